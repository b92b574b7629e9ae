package sla_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// TestPropertyMemoizedLadder is TestPropertyApplyEvaluateIsReplay with a
// ladder whose condition reads the ticket alone, which the engine
// memoizes: the states kept from event to event (with their memos) must
// match those that went through JSON after every event (without), and
// the replay must yield the same results.
func TestPropertyMemoizedLadder(t *testing.T) {
	cfg := genConfig(t)
	levels := make([]escalation.Level, 0, 5)
	std := cfg.Ladders["standard"]
	for i := range std.Len() {
		lv := std.Level(i)
		if lv.When != nil {
			notTier2 := func(x any) bool { tk, _ := x.(*sla.Ticket); return tk == nil || tk.Team != "tier2" }
			lv.When = func(c *escalation.Context) (bool, error) { return notTier2(c.Ticket), nil }
			lv.WhenTicketOnly, lv.WhenTicket = true, notTier2
		}
		levels = append(levels, lv)
	}
	l, err := escalation.New("standard", levels)
	require.NoError(t, err)
	require.True(t, l.TicketWhenOnly())
	cfg.Ladders = map[string]*escalation.Ladder{"standard": l}
	checkReplayIsReference(t, mustEngine(t, cfg), rand.New(rand.NewPCG(17, 5)))
}

// A level's action that moves the ticket to another policy, with another
// ladder, leaves the clocks to be asked of the new ladder at once: no
// bound kept for the old ladder stands for the new one's. Each case runs
// twice, with the memoized ladders and with a ladder whose clock
// condition keeps the engine from memoizing, which must agree.
func TestFiringMemosAcrossALadderChange(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	trig := func(s string) escalation.Trigger {
		tr, err := escalation.ParseTrigger(s)
		require.NoError(t, err)
		return tr
	}
	notify := []escalation.Action{{Type: escalation.Notify, Target: "lead"}}
	tests := []struct {
		name   string
		action escalation.Action         // the first ladder's action at 10m
		moved  func(tk *sla.Ticket) bool // whether the ticket is under the second policy
		want   []string
	}{
		{name: "add_tags", action: escalation.Action{Type: escalation.AddTags, Tags: []string{"esc"}},
			moved: func(tk *sla.Ticket) bool { return slices.Contains(tk.Tags, "esc") },
			want:  []string{"A/mover@09:10", "B/b-fr10@09:10"}},
		{name: "assign", action: escalation.Action{Type: escalation.Assign, Target: "billing"},
			moved: func(tk *sla.Ticket) bool { return tk.Team == "billing" },
			want:  []string{"A/mover@09:10", "B/b-fr10@09:10"}},
	}
	for _, tt := range tests {
		for _, memoized := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s memoized=%v", tt.name, memoized), func(t *testing.T) {
				aLevels := []escalation.Level{
					{Name: "mover", Metric: "resolution", At: trig("10m"), Actions: []escalation.Action{tt.action}},
					{Name: "a-fr90", Metric: "first_response", At: trig("90%"), Actions: notify},
				}
				if !memoized { // a condition on the clock: not memoized
					aLevels = append(aLevels, escalation.Level{Name: "never", Metric: "resolution", At: trig("7h"),
						Actions: notify, When: func(*escalation.Context) (bool, error) { return false, nil }})
				}
				a, err := escalation.New("A", aLevels)
				require.NoError(t, err)
				require.Equal(t, memoized, a.TicketWhenOnly())
				b, err := escalation.New("B", []escalation.Level{
					{Name: "b-res", Metric: "resolution", At: trig("10m"), Actions: notify},
					{Name: "b-fr10", Metric: "first_response", At: trig("10%"), Actions: notify},
				})
				require.NoError(t, err)
				targets := map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour}}
				eng := mustEngine(t, sla.Config{
					Policies: []sla.Policy{
						{Name: "P1", When: func(tk *sla.Ticket) (bool, error) { return !tt.moved(tk), nil }, Targets: targets, Escalation: "A"},
						{Name: "P2", When: func(tk *sla.Ticket) (bool, error) { return tt.moved(tk), nil }, Targets: targets, Escalation: "B"},
					},
					Ladders: map[string]*escalation.Ladder{"A": a, "B": b},
				})
				var st sla.State
				for _, ev := range []sla.Event{
					{TicketID: "T", At: at, Type: sla.EventCreated},
					{TicketID: "T", At: at.Add(30 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
				} {
					st, err = eng.Apply(st, ev)
					require.NoError(t, err)
				}
				v := eng.Evaluate(st, at.Add(time.Hour))
				assert.Equal(t, "P2", v.Policy)
				var got []string
				for _, x := range v.Escalations {
					got = append(got, x.Ladder+"/"+x.Level+"@"+x.At.Format("15:04"))
				}
				assert.Equal(t, tt.want, got)
			})
		}
	}
}
