package escalation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// TestRuledOutChangesNoAnswer checks, on random ladders, clocks and
// tickets, that setting the levels RuledOut returns in a clock's Fired
// changes no answer of Next, NextBefore or NotBefore, and no error they
// record; and that a ladder whose conditions are all asked of the ticket
// alone is TicketWhenOnly, and one with another condition is not.
func TestRuledOutChangesNoAnswer(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	cals := []*calendar.Calendar{spDesk, nil}
	ruled := 0
	for n := range 6000 {
		levels, _ := randomLevels(t, r)
		l, err := escalation.New("l", levels)
		require.NoError(t, err)
		only := true
		for _, lv := range levels {
			only = only && (lv.When == nil || lv.WhenTicket != nil)
		}
		require.Equal(t, only, l.TicketWhenOnly(), "case %d", n)
		c := randomClock(r, cals[r.IntN(len(cals))])
		tk := randomTickets[r.IntN(len(randomTickets))]
		out := l.RuledOut(tk, ^c.Fired)
		require.Zero(t, out&c.Fired, "case %d: a fired level ruled out", n)
		if out != 0 {
			ruled++
		}
		folded := c
		folded.Fired |= out
		f1, ok1 := l.Next(&c, tk)
		f2, ok2 := l.Next(&folded, tk)
		require.Equal(t, ok1, ok2, "case %d: Next", n)
		require.Equal(t, f1, f2, "case %d: Next", n)
		require.Equal(t, c.WhenErrors, folded.WhenErrors, "case %d: errors recorded", n)
		b1, ok1 := l.NotBefore(&c, tk)
		b2, ok2 := l.NotBefore(&folded, tk)
		require.Equal(t, ok1, ok2, "case %d: NotBefore", n)
		require.Equal(t, b1, b2, "case %d: NotBefore", n)
		before := c.At.Add(time.Duration(r.IntN(72*60)) * time.Minute)
		f1, ok1 = l.NextBefore(&c, tk, before)
		f2, ok2 = l.NextBefore(&folded, tk, before)
		require.Equal(t, ok1, ok2, "case %d: NextBefore", n)
		require.Equal(t, f1, f2, "case %d: NextBefore", n)
	}
	require.Greater(t, ruled, 300, "cases with a level ruled out")
	var none *escalation.Ladder
	assert.False(t, none.TicketWhenOnly())
	assert.Zero(t, none.RuledOut(randomTickets[1], ^uint64(0)))
}

// TestRuledOutAsksOnlyTheMask: RuledOut asks the conditions of the levels
// in its mask that have a WhenTicket, and no other.
func TestRuledOutAsksOnlyTheMask(t *testing.T) {
	asked := 0
	billing := func(x any) bool { asked++; return billingTicket(x) }
	l, err := escalation.New("l", []escalation.Level{
		{Name: "a", At: trig(t, "80%"), Actions: notify("x")},
		{Name: "b", At: trig(t, "20m"), When: randomWhens[3], WhenTicketOnly: true, WhenTicket: billing, Actions: notify("x")},
		{Name: "c", At: trig(t, "breach"), When: randomWhens[3], WhenTicketOnly: true, Actions: notify("x")},
		{Name: "d", At: trig(t, "breach+1h"), When: randomWhens[3], WhenTicketOnly: true, WhenTicket: billing, Actions: notify("x")},
	})
	require.NoError(t, err)
	assert.False(t, l.TicketWhenOnly(), "c has a When without WhenTicket")
	support := randomTickets[2]
	for _, tc := range []struct {
		mask      uint64
		want      uint64
		wantAsked int
		ticket    any
	}{
		{mask: ^uint64(0), want: 0b1010, wantAsked: 2, ticket: support},
		{mask: 0b0010, want: 0b0010, wantAsked: 1, ticket: support},
		{mask: 0b0101, want: 0, wantAsked: 0, ticket: support},
		{mask: ^uint64(0), want: 0, wantAsked: 2, ticket: randomTickets[1]},
	} {
		asked = 0
		assert.Equal(t, tc.want, l.RuledOut(tc.ticket, tc.mask), "mask %b", tc.mask)
		assert.Equal(t, tc.wantAsked, asked, "mask %b", tc.mask)
	}
}

// TestRereads: the levels whose RuledOut answer a change may change are
// those asked through WhenTicket that read a changed attribute, and those
// that declare nothing, whatever changed.
func TestRereads(t *testing.T) {
	const team, tags, prio = 1 << 2, 1 << 4, 1 << 1 // bits of the host's choosing
	ask := func(reads uint64) escalation.Level {
		return escalation.Level{At: trig(t, "20m"), When: randomWhens[3], WhenTicketOnly: true, WhenTicket: billingTicket,
			WhenReads: reads, Actions: notify("x")}
	}
	levels := []escalation.Level{
		ask(team),
		ask(tags | prio),
		ask(0), // declares nothing
		{At: trig(t, "80%"), Actions: notify("x")},                                           // no condition
		{At: trig(t, "breach"), When: randomWhens[3], WhenReads: team, Actions: notify("x")}, // no WhenTicket: RuledOut does not ask it
	}
	for i := range levels {
		levels[i].Name = fmt.Sprintf("l%d", i)
	}
	l, err := escalation.New("l", levels)
	require.NoError(t, err)
	for _, tc := range []struct {
		changed, want uint64
	}{
		{changed: 0, want: 0b00100},
		{changed: team, want: 0b00101},
		{changed: tags, want: 0b00110},
		{changed: prio | 1, want: 0b00110},
		{changed: 1 << 7, want: 0b00100},
		{changed: ^uint64(0), want: 0b00111},
	} {
		assert.Equal(t, tc.want, l.Rereads(tc.changed), "changed %b", tc.changed)
	}
	var none *escalation.Ladder
	assert.Zero(t, none.Rereads(^uint64(0)))
}
