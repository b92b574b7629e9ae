package calendar_test

import (
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
)

// FuzzWallBound checks that business time never outruns wall time:
// Add(t, d) >= t.Add(d) whenever the result is before End. The escalation
// package relies on it to skip levels that cannot fire first.
func FuzzWallBound(f *testing.F) {
	for i := range fuzzCalendars {
		f.Add(uint8(i), int64(1772712000-fuzzEpoch), int64(0), int64(2*time.Hour))
		f.Add(uint8(i), int64(1540699200-fuzzEpoch), int64(1), int64(time.Minute))
		f.Add(uint8(i), int64(1773000000-fuzzEpoch), int64(999999999), int64(40*time.Hour))
	}
	// The audit's cases, forward (see FuzzArithmetic).
	f.Add(uint8(len(fuzzCalendars)-1), int64(1772798400-fuzzEpoch), int64(0), int64(700000*time.Hour))
	f.Add(uint8(0), int64(1772829000-fuzzEpoch), int64(0), int64(400000*time.Hour))
	cals := make([]*calendar.Calendar, len(fuzzCalendars))
	for i, s := range fuzzCalendars {
		cals[i] = calendar.MustNew(s)
	}
	const span = int64(200 * 365 * 24 * 3600)
	f.Fuzz(func(t *testing.T, which uint8, sec, nsec, d1 int64) {
		c := cals[int(which)%len(cals)]
		sec = fuzzEpoch + sec%span
		at := time.Unix(sec, nsec%int64(time.Second)).In(c.Location())
		d1 = d1 % maxFuzzD
		if d1 < 0 {
			d1 = -d1
		}
		u := c.Add(at, time.Duration(d1))
		if u.Before(calendar.End) && u.Before(at.Add(time.Duration(d1))) {
			t.Fatalf("Add(%s, %v) = %s, before %s", at, time.Duration(d1), u, at.Add(time.Duration(d1)))
		}
	})
}
