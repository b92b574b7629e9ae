package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFullStatsIntoMatchesStatAt checks fullStatsInto, which unpacks the
// instants against the creation's seconds and location taken once,
// against statAt one instant at a time: zero, packed (before and after
// creation, to the nanosecond) and kept whole (another zone, too far),
// written over a Stats full of junk.
func TestFullStatsIntoMatchesStatAt(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	zones = append(zones, time.UTC)
	rng := rand.New(rand.NewPCG(19, 5))
	junk := time.Date(1999, 1, 1, 0, 0, 0, 1, zones[1])
	for n := range 2000 {
		loc := zones[rng.IntN(len(zones))]
		created := time.Date(1900+rng.IntN(1100), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, rng.IntN(1e9), loc)
		var s State
		s.ticket.CreatedAt = created
		for i := range nStatAt {
			var at time.Time
			switch rng.IntN(5) {
			case 0: // zero
			case 1:
				at = created.Add(time.Duration(rng.Int64N(int64(400 * time.Hour))))
			case 2:
				at = created.Add(-time.Duration(rng.Int64N(int64(time.Hour))) - 1)
			case 3:
				at = created.Add(time.Duration(rng.Int64N(int64(time.Hour)))).In(zones[rng.IntN(len(zones))])
			case 4:
				at = created.AddDate(0, 0, 1).Add(time.Duration(packSecs) * time.Second)
			}
			s.setStatAt(i, at)
		}
		s.stats.AgentReplies, s.stats.Reopens = int32(n), int32(n%7)
		s.stats.WindowExpiredBeforeFirstResponse = n%3 == 0
		if n%4 == 0 {
			r := &s.xw().stats
			r.Escalations, r.EscalationTier, r.CSAT, r.PolicyChanges = n, "t2", 4, 2
			r.WindowRejectedAt = created.Add(time.Minute)
		}
		st := Stats{AgentReplies: -1, CustomerMessages: -1, Reopens: -1, Escalations: -1, EscalationTier: "x", CSAT: -1,
			FirstReplyAt: junk, LastCustomerAt: junk, WindowRejectedAt: junk, WindowExpiredBeforeFirstResponse: true,
			SolvedAt: junk, ClosedAt: junk, WaitingSince: junk, PolicyChanges: -1, PriorityChanges: -1}
		s.fullStatsInto(&st)
		r := &s.x().stats
		want := Stats{AgentReplies: n, Reopens: n % 7, WindowExpiredBeforeFirstResponse: n%3 == 0,
			Escalations: r.Escalations, EscalationTier: r.EscalationTier, CSAT: r.CSAT, PolicyChanges: r.PolicyChanges,
			WindowRejectedAt: r.WindowRejectedAt,
			FirstReplyAt:     s.statAt(atFirstReply), LastCustomerAt: s.statAt(atLastCustomer), SolvedAt: s.statAt(atSolved),
			ClosedAt: s.statAt(atClosed), WaitingSince: s.statAt(atWaiting)}
		// == on the instants: the same wall, nanoseconds and location.
		require.True(t, st == want, "ticket %d created %s: got %+v, want %+v", n, created, st, want)
		assert.True(t, s.fullStats() == want)
	}
}
