package escalation_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// firstAlone is the reference for Next: each level asked alone, in a
// ladder of its own, and the earliest kept (ladder order among equals).
// A level's WhenTicketOnly is cleared: the reference asks When last.
func firstAlone(t *testing.T, levels []escalation.Level, c escalation.Clock, tk any) (escalation.Firing, bool) {
	t.Helper()
	var best escalation.Firing
	found := false
	for i, lv := range levels {
		lv.WhenTicketOnly = false
		one, err := escalation.New("l", []escalation.Level{lv})
		require.NoError(t, err)
		c1 := c
		c1.Fired = c.Fired >> uint(i) & 1
		if f, ok := one.Next(&c1, tk); ok && (!found || f.At.Before(best.At)) {
			f.Index = i
			best, found = f, true
		}
	}
	return best, found
}

// TestNextSkipsOnlyLosers checks that Next, which skips the work of
// levels that cannot fire first, and NextBefore, which also skips those
// not before a given instant, agree with asking every level alone, on
// random ladders (conditions, some on the ticket alone, quiet hours, every
// trigger kind), clocks and tickets.
func TestNextSkipsOnlyLosers(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 1))
	triggers := []string{"50%", "80%", "100%", "breach", "breach-30m", "breach+2h", "20m", "3h", "window-2h", "window-15m"}
	metrics := []string{"", "any", "first_response", "resolution"}
	billing := func(x *escalation.Context) (bool, error) {
		tk, _ := x.Ticket.(*ticket)
		return tk != nil && tk.Team == "billing", nil
	}
	whens := []func(*escalation.Context) (bool, error){
		nil,
		func(x *escalation.Context) (bool, error) { return x.Clock.Percent < 150, nil },
		func(x *escalation.Context) (bool, error) { return x.At.Weekday() != time.Tuesday, nil },
		billing,
	}
	tickets := []any{nil, &ticket{Team: "billing"}, &ticket{Team: "support"}}
	start := time.Date(2026, 3, 6, 9, 0, 0, 0, sp) // a Friday; Sao Paulo
	for n := range 3000 {
		var levels []escalation.Level
		for i := range 1 + r.IntN(5) {
			tr := trig(t, triggers[r.IntN(len(triggers))])
			w := r.IntN(len(whens))
			lv := escalation.Level{Name: string(rune('a' + i)), At: tr, When: whens[w], Actions: notify("x")}
			lv.WhenTicketOnly = w == len(whens)-1 && r.IntN(4) > 0 // also billing asked last
			if tr.Kind != escalation.Window {
				lv.Metric = metrics[r.IntN(len(metrics))]
			}
			if r.IntN(3) == 0 {
				lv.During = nyOffice
			}
			levels = append(levels, lv)
		}
		l, err := escalation.New("l", levels)
		require.NoError(t, err)
		at := start.Add(time.Duration(r.IntN(200)) * 17 * time.Minute)
		c := escalation.Clock{Metric: metrics[1+r.IntN(3)], Cycle: 1, Start: start, At: at,
			Target: time.Duration(r.IntN(10)) * 30 * time.Minute, Elapsed: time.Duration(r.IntN(40)) * 10 * time.Minute,
			Running: r.IntN(8) > 0, Calendar: spDesk, Fired: r.Uint64() & uint64(r.IntN(4))}
		if c.Metric == "any" {
			c.Metric = "next_response"
		}
		if r.IntN(2) == 0 {
			c.WindowClosesAt = at.Add(time.Duration(r.IntN(48)) * time.Hour)
		}
		tk := tickets[r.IntN(len(tickets))]
		want, wantOK := firstAlone(t, levels, c, tk)
		got, ok := l.Next(&c, tk)
		require.Equal(t, wantOK, ok, "case %d: Next found", n)
		if ok {
			require.Equal(t, want.Index, got.Index, "case %d: Next level", n)
			require.Equal(t, rfc(want.At), rfc(got.At), "case %d: Next instant", n)
		}
		before := at.Add(time.Duration(r.IntN(60)) * time.Hour)
		gotB, okB := l.NextBefore(&c, tk, before)
		wantB := wantOK && want.At.Before(before)
		require.Equal(t, wantB, okB, "case %d: NextBefore(%s) found; Next = %s", n, rfc(before), rfc(want.At))
		if okB {
			require.Equal(t, want.Index, gotB.Index, "case %d: NextBefore level", n)
			require.Equal(t, rfc(want.At), rfc(gotB.At), "case %d: NextBefore instant", n)
		}
	}
}
