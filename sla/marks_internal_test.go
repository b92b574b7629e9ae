package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireMarks fails unless every cycle of st (its OLA cycles too) says
// of its ext what its ext holds: hasPauses when it holds pauses,
// oddBreach when it holds a breach that is not the deadline. A cycle
// reads its ext only where its marks say so, so a mark missing hides a
// pause or a breach, and a mark left set reads one that is gone.
func requireMarks(t *testing.T, st *State, what string) {
	t.Helper()
	check := func(c *cycle, i int) {
		x := c.ext
		pauses := x != nil && len(x.pauses) > 0
		breach := x != nil && x.odd != nil && !x.odd[0].IsZero()
		require.Equal(t, pauses, c.marks&hasPauses != 0, "%s: cycle %d (%s#%d): pauses marked", what, i, c.Metric, c.N)
		require.Equal(t, breach, c.marks&oddBreach != 0, "%s: cycle %d (%s#%d): breach marked", what, i, c.Metric, c.N)
	}
	for i := range st.cycles {
		check(&st.cycles[i], i)
	}
	if st.more != nil {
		for i := range st.more.olas {
			check(&st.more.olas[i].cycle, -i-1)
		}
	}
}

// TestMarksThroughJSON checks the marks of cycles read from JSON: a
// cycle with pauses and a breach that is not its deadline, and one with
// neither.
func TestMarksThroughJSON(t *testing.T) {
	tAt := func(h int) time.Time { return time.Date(2026, 3, 2, 9+h, 0, 0, 0, time.UTC) }
	for _, j := range []cycleJSON{
		{Metric: Resolution, N: 1, State: ClockRunning},
		{Metric: Resolution, N: 1, State: ClockPaused, Pauses: []span{{From: tAt(1)}}, BreachedAt: tAt(2), Deadline: tAt(3)},
		{Metric: Resolution, N: 1, State: ClockBreached, Stop: tAt(4), BreachedAt: tAt(3), Deadline: tAt(3)},
	} {
		c, err := j.fromJSON()
		require.NoError(t, err)
		var st State
		st.cycles = []cycle{c}
		requireMarks(t, &st, string(j.State))
		require.Equal(t, j, c.toJSON())
	}
}
