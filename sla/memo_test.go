package sla_test

import (
	"math/rand/v2"
	"testing"

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
