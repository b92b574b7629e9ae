package escalation_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// TestNotBeforeBoundsNext checks, on random ladders and clocks, that no
// firing Next returns for a clock at any instant of its running span is
// earlier than NotBefore of the clock as it stood at the span's start, and
// that on a 24x7 calendar, for ladders without conditions or quiet hours,
// the bound is the firing itself.
func TestNotBeforeBoundsNext(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 5))
	triggers := []string{"50%", "80%", "100%", "breach", "breach-30m", "breach+2h", "20m", "3h", "window-2h", "window-15m"}
	metrics := []string{"", "any", "first_response", "resolution"}
	billing := func(x *escalation.Context) (bool, error) {
		tk, _ := x.Ticket.(*ticket)
		return tk != nil && tk.Team == "billing", nil
	}
	whens := []func(*escalation.Context) (bool, error){
		nil,
		nil,
		func(x *escalation.Context) (bool, error) { return x.Clock.Percent < 150, nil },
		billing,
	}
	tickets := []any{nil, &ticket{Team: "billing"}, &ticket{Team: "support"}}
	cals := []*calendar.Calendar{spDesk, nil}
	start := time.Date(2026, 3, 6, 9, 0, 0, 0, sp) // a Friday; Sao Paulo
	exact := 0
	for n := range 3000 {
		var levels []escalation.Level
		plain := true
		for i := range 1 + r.IntN(5) {
			tr := trig(t, triggers[r.IntN(len(triggers))])
			w := r.IntN(len(whens))
			lv := escalation.Level{Name: string(rune('a' + i)), At: tr, When: whens[w], Actions: notify("x")}
			lv.WhenTicketOnly = w == len(whens)-1 && r.IntN(4) > 0
			if tr.Kind != escalation.Window {
				lv.Metric = metrics[r.IntN(len(metrics))]
			}
			if r.IntN(3) == 0 {
				lv.During = nyOffice
			}
			plain = plain && lv.When == nil && lv.During == nil
			levels = append(levels, lv)
		}
		l, err := escalation.New("l", levels)
		require.NoError(t, err)
		from := start.Add(time.Duration(r.IntN(200)) * 17 * time.Minute)
		c0 := escalation.Clock{Metric: metrics[1+r.IntN(3)], Cycle: 1, Start: start, At: from,
			Target: time.Duration(r.IntN(10)) * 30 * time.Minute, Elapsed: time.Duration(r.IntN(40)) * 10 * time.Minute,
			Running: r.IntN(8) > 0, Calendar: cals[r.IntN(len(cals))], Fired: r.Uint64() & uint64(r.IntN(4))}
		if c0.Metric == "any" {
			c0.Metric = "next_response"
		}
		if r.IntN(2) == 0 {
			c0.WindowClosesAt = from.Add(time.Duration(r.IntN(48)) * time.Hour)
		}
		tk := tickets[r.IntN(len(tickets))]
		bound, bounded := l.NotBefore(&c0, tk)
		if f, ok := l.Next(&c0, tk); ok && plain && c0.Calendar == nil {
			require.True(t, bounded, "case %d: Next fires at %s, NotBefore finds none", n, rfc(f.At))
			require.Equal(t, rfc(f.At), rfc(bound), "case %d: NotBefore on 24x7 without conditions", n)
			exact++
		}
		for range 4 {
			c := c0
			c.At = from.Add(time.Duration(r.IntN(72*60)) * time.Minute)
			if c.Running {
				c.Elapsed += c.Calendar.Between(from, c.At)
			}
			f, ok := l.Next(&c, tk)
			if !ok {
				continue
			}
			require.True(t, bounded, "case %d: Next at %s fires at %s, NotBefore finds none", n, rfc(c.At), rfc(f.At))
			require.False(t, f.At.Before(bound), "case %d: Next at %s fires at %s, before NotBefore %s", n, rfc(c.At), rfc(f.At), rfc(bound))
		}
	}
	require.Greater(t, exact, 40, "cases where the bound must be the firing")
	var none *escalation.Ladder
	_, ok := none.NotBefore(&escalation.Clock{Running: true}, nil)
	require.False(t, ok)
}
