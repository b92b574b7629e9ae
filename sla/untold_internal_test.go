package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestUntoldMatchesTold compares the states a replay builds (applyFound
// with found: its cycles without a target stop uncounted, see cycle.stop)
// with the ones Apply builds, over random histories of derivedEngines
// (pauses, a recount on a change of priority, calendars in São Paulo, New
// York and Berlin, engines mixed within a history, Advance steps): the
// same state once each uncounted cycle is counted again in the ticket's
// calendar where Apply's is counted in it; where Apply's is not (the
// policy or calendar changed since it stopped), only the Base of such a
// cycle may differ. A cycle with a target left uncounted, or an untold
// stop counted differently from a told one, fails it.
func TestUntoldMatchesTold(t *testing.T) {
	es := derivedEngines(t)
	r := rand.New(rand.NewPCG(14, 2026))
	uncounted := 0
	for h := range 150 {
		uncounted += untoldHistory(t, es, r, fmt.Sprintf("history %d", h))
	}
	require.Greater(t, uncounted, 200, "uncounted cycles seen")
}

// FuzzUntoldMatchesTold is TestUntoldMatchesTold for one history of the
// fuzzer's seed.
func FuzzUntoldMatchesTold(f *testing.F) {
	for _, seed := range []uint64{0, 1, 14, 2026, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		untoldHistory(t, derivedEngines(t), rand.New(rand.NewPCG(seed, 14)), "history")
	})
}

// untoldHistory runs one random history of up to 40 steps both ways (see
// TestUntoldMatchesTold) and returns how many uncounted cycles it met.
func untoldHistory(t *testing.T, es []*Engine, r *rand.Rand, name string) int {
	types := []EventType{EventMessage, EventMessage, EventMessage, EventNote, EventStatus, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusOpen, StatusPending}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
	ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: []string{"email", "whatsapp"}[r.IntN(2)],
		Priority: []string{"urgent", "normal"}[r.IntN(2)]}
	e := es[r.IntN(len(es))]
	told, err := e.Apply(State{}, ev)
	require.NoError(t, err)
	untold := told.Clone()
	n, checked := 0, map[int]bool{}
	for step := range 40 {
		at = at.Add(time.Duration(r.IntN(4*60)) * time.Minute)
		what := fmt.Sprintf("%s, step %d", name, step)
		if r.IntN(3) == 0 {
			e = es[r.IntN(len(es))]
		}
		if r.IntN(6) == 0 {
			told, _ = e.Advance(told, at)
			untold, _ = e.Advance(untold, at)
		} else {
			ev := randomEvent(r, at, types, statuses)
			var err1 error
			told, err1 = e.Apply(told, ev)
			if c, ok := e.closeAt(&untold); ok && !c.After(ev.At) {
				untold, _ = e.Advance(untold, c)
			}
			err2 := e.applyFound(&untold, &ev, true)
			require.Equal(t, err1 == nil, err2 == nil, what)
		}
		n += checkUntold(t, e, &told, &untold, checked, what)
		if told.Closed() {
			break
		}
	}
	return n
}

// checkUntold requires untold to be told but for its uncounted cycles (see
// TestUntoldMatchesTold), and returns how many it stopped at this step. e
// applied the step: a cycle is counted again in its calendar at the step
// that stops it, and recorded in checked; at a later step (e may be
// another engine, whose Advance keeps the policy), only its Base may
// differ.
func checkUntold(t *testing.T, e *Engine, told, untold *State, checked map[int]bool, what string) int {
	t.Helper()
	requireMarks(t, told, what+", told")
	requireMarks(t, untold, what+", untold")
	requireOpened(t, told, what+", told")
	requireOpened(t, untold, what+", untold")
	got := untold.Clone()
	cal := calOf(e.policy(got.policy), &got)
	n := 0
	require.Len(t, got.cycles, len(told.cycles), what)
	for i := range got.cycles {
		c, w := &got.cycles[i], &told.cycles[i]
		if c.counted || c.Base == w.Base && !w.counted {
			continue
		}
		require.Zero(t, c.Target, "%s: cycle %d (%s) with a target uncounted", what, i, c.Metric)
		require.False(t, c.open(), "%s: cycle %d (%s) open and uncounted", what, i, c.Metric)
		if checked[i] {
			c.Base, c.counted = w.Base, w.counted // checked when it stopped
			continue
		}
		n++
		checked[i] = true
		require.True(t, w.counted, "%s: cycle %d (%s)", what, i, c.Metric)
		c.rebase(cal) // counted again in the calendar the told one counted in
	}
	require.Equal(t, stateText(t, e, told), stateText(t, e, &got), what)
	return n
}
