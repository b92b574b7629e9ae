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
// the bound is the firing itself. A clock that knows its deadline gets a
// bound no earlier, and often later, than one that does not.
func TestNotBeforeBoundsNext(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 5))
	cals := []*calendar.Calendar{spDesk, nil}
	exact, tighter := 0, 0
	for n := range 6000 {
		levels, plain := randomLevels(t, r)
		l, err := escalation.New("l", levels)
		require.NoError(t, err)
		c0 := randomClock(r, cals[r.IntN(len(cals))])
		from := c0.At
		tk := randomTickets[r.IntN(len(randomTickets))]
		bound, bounded := l.NotBefore(&c0, tk)
		if !c0.Deadline.IsZero() {
			blind := c0
			blind.Deadline = time.Time{}
			b, ok := l.NotBefore(&blind, tk)
			require.Equal(t, bounded, ok, "case %d: NotBefore with and without the deadline", n)
			require.False(t, bound.Before(b), "case %d: the deadline made the bound %s earlier than %s", n, rfc(bound), rfc(b))
			if bound.After(b) {
				tighter++
			}
		}
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
	require.Greater(t, exact, 30, "cases where the bound must be the firing")
	require.Greater(t, tighter, 50, "cases where the deadline tightens the bound")
	var none *escalation.Ladder
	_, ok := none.NotBefore(&escalation.Clock{Running: true}, nil)
	require.False(t, ok)
}
