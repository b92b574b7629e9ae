package escalation_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
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
		lv.WhenTicketOnly, lv.WhenTicket = false, nil
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
	for n := range 3000 {
		levels, _ := randomLevels(t, r)
		l, err := escalation.New("l", levels)
		require.NoError(t, err)
		c := randomClock(r, spDesk)
		at := c.At
		tk := randomTickets[r.IntN(len(randomTickets))]
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

var (
	randomTriggers = []string{"50%", "80%", "100%", "breach", "breach-30m", "breach+2h", "20m", "3h", "window-2h", "window-15m"}
	randomMetrics  = []string{"", "any", "first_response", "resolution"}
	randomWhens    = []func(*escalation.Context) (bool, error){
		nil,
		func(x *escalation.Context) (bool, error) { return x.Clock.Percent < 150, nil },
		func(x *escalation.Context) (bool, error) { return x.At.Weekday() != time.Tuesday, nil },
		func(x *escalation.Context) (bool, error) { // billing, on the ticket alone
			tk, _ := x.Ticket.(*ticket)
			return tk != nil && tk.Team == "billing", nil
		},
	}
	// billingTicket is the billing condition above, for Level.WhenTicket.
	billingTicket = func(x any) bool {
		tk, _ := x.(*ticket)
		return tk != nil && tk.Team == "billing"
	}
	randomTickets = []any{nil, &ticket{Team: "billing"}, &ticket{Team: "support"}}
	randomStart   = time.Date(2026, 3, 6, 9, 0, 0, 0, sp) // a Friday; Sao Paulo
)

// randomLevels returns 1 to 5 levels: every trigger kind, conditions on the
// clock, the instant or the ticket (that one mostly marked WhenTicketOnly),
// quiet hours; plain reports that none has a condition or quiet hours.
func randomLevels(t *testing.T, r *rand.Rand) ([]escalation.Level, bool) {
	var levels []escalation.Level
	plain := true
	for i := range 1 + r.IntN(5) {
		tr := trig(t, randomTriggers[r.IntN(len(randomTriggers))])
		w := r.IntN(len(randomWhens))
		lv := escalation.Level{Name: string(rune('a' + i)), At: tr, When: randomWhens[w], Actions: notify("x")}
		lv.WhenTicketOnly = w == len(randomWhens)-1 && r.IntN(4) > 0 // also billing asked last
		if lv.WhenTicketOnly && r.IntN(2) == 0 {
			lv.WhenTicket = billingTicket // billing asked without a Context
		}
		if tr.Kind != escalation.Window {
			lv.Metric = randomMetrics[r.IntN(len(randomMetrics))]
		}
		if r.IntN(3) == 0 {
			lv.During = nyOffice
		}
		plain = plain && lv.When == nil && lv.During == nil
		levels = append(levels, lv)
	}
	return levels, plain
}

// randomClock returns a clock counting in cal, mostly running, at one of
// 200 instants from randomStart, with some levels fired and, half the
// time, a WhatsApp window; half the running clocks with a target know
// their deadline.
func randomClock(r *rand.Rand, cal *calendar.Calendar) escalation.Clock {
	at := randomStart.Add(time.Duration(r.IntN(200)) * 17 * time.Minute)
	c := escalation.Clock{Metric: randomMetrics[1+r.IntN(3)], Cycle: 1, Start: randomStart, At: at,
		Target: time.Duration(r.IntN(10)) * 30 * time.Minute, Elapsed: time.Duration(r.IntN(40)) * 10 * time.Minute,
		Running: r.IntN(8) > 0, Calendar: cal, Fired: r.Uint64() & uint64(r.IntN(4))}
	if c.Metric == "any" {
		c.Metric = "next_response"
	}
	if r.IntN(2) == 0 {
		c.WindowClosesAt = at.Add(time.Duration(r.IntN(48)) * time.Hour)
	}
	if c.Running && c.Target > 0 && r.IntN(2) == 0 {
		// The deadline, exact: ahead, or reached some time before At.
		if c.Elapsed < c.Target {
			c.Deadline = cal.Add(at, c.Target-c.Elapsed)
		} else {
			c.Deadline = at.Add(-time.Duration(r.IntN(30)) * 17 * time.Minute)
			c.Elapsed = c.Target + cal.Between(c.Deadline, at)
		}
	}
	return c
}

// TestNextBehindPlainLevelThatCannotFire: a percent level without
// conditions is no help on a clock without a target, so the levels with
// larger elapsed-time thresholds are still asked (they were once skipped
// as if it fired, and a later level with quiet hours won).
func TestNextBehindPlainLevelThatCannotFire(t *testing.T) {
	levels := []escalation.Level{
		{Name: "quiet", At: trig(t, "20m"), During: nyOffice, Actions: notify("x")},
		{Name: "three-hours", At: trig(t, "3h"), Actions: notify("x")},
		{Name: "at-target", At: trig(t, "100%"), Actions: notify("x")},
	}
	l, err := escalation.New("l", levels)
	require.NoError(t, err)
	// Saturday 11:55 in Sao Paulo, 2h40m counted, no target: three-hours
	// fires after 20 more business minutes, on Monday at 08:20; quiet
	// waits for New York's office, Monday 08:00 there (09:00 in Sao Paulo).
	c := escalation.Clock{Metric: "resolution", Cycle: 1, Start: randomStart, At: time.Date(2026, 3, 7, 11, 55, 0, 0, sp),
		Elapsed: 2*time.Hour + 40*time.Minute, Running: true, Calendar: spDesk}
	f, ok := l.Next(&c, nil)
	require.True(t, ok)
	require.Equal(t, "three-hours", f.Level)
	require.Equal(t, "2026-03-09T08:20:00-03:00", rfc(f.At))
}
