package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// TestEscalationChainSpreadsOverCalls: a ladder whose assign actions keep
// opening OLA cycles it watches (a ticket handed from team a to team b
// and back every minute) fires a bounded number of levels per call; the
// levels still due are not lost, they fire at the next calls.
func TestEscalationChainSpreadsOverCalls(t *testing.T) {
	on := func(team string) func(*escalation.Context) (bool, error) {
		return func(c *escalation.Context) (bool, error) { return c.Ticket.(*sla.Ticket).Team == team, nil }
	}
	l, err := escalation.New("pingpong", []escalation.Level{
		{Name: "to-b", Metric: string(sla.OLATimeToResolve), At: trigger(t, "1m"), When: on("a"), Actions: []escalation.Action{act(escalation.Assign, "b")}},
		{Name: "to-a", Metric: string(sla.OLATimeToResolve), At: trigger(t, "1m"), When: on("b"), Actions: []escalation.Action{act(escalation.Assign, "a")}},
	})
	require.NoError(t, err)
	ola := func(team string) sla.OLA {
		return sla.OLA{Name: "ola-" + team, Team: team, Targets: targets{"normal": {sla.OLATimeToResolve: time.Hour}}}
	}
	e := mustEngine(t, sla.Config{
		Policies: []sla.Policy{{Name: "p", Targets: targets{"normal": {sla.Resolution: 1000 * time.Hour}}, Escalation: "pingpong"}},
		Ladders:  map[string]*escalation.Ladder{"pingpong": l},
		OLAs:     []sla.OLA{ola("a"), ola("b")},
	})
	st, errs := applyAll(t, e, events(t, ev("2026-03-02T09:00:00Z", "created", `"team":"a"`, `"priority":"normal"`)))
	require.Empty(t, errs)
	at := mustTime(t, "2026-03-02T19:00:00Z") // 600 hand-offs due, one a minute
	first := len(e.Evaluate(st, at).Escalations)
	assert.Less(t, first, 600, "one call fires a bounded number of levels")
	var all []sla.Escalation
	for range 10 {
		var fired []sla.Escalation
		st, fired = e.Advance(st, at)
		all = append(all, fired...)
		if len(fired) == 0 {
			break
		}
	}
	require.Len(t, all, 600, "the levels left due fire at the next calls")
	assert.Equal(t, mustTime(t, "2026-03-02T09:01:00Z"), all[0].At.UTC())
	assert.Equal(t, mustTime(t, "2026-03-02T19:00:00Z"), all[599].At.UTC())
	assert.Equal(t, "a", st.Ticket().Team)
}
