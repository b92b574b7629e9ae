package calendar_test

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

var (
	utcOffice = calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}}
	// spSupport is the sp-support calendar of testdata/policies/multidesk.yaml.
	spSupport = calendar.Spec{
		Timezone:  "America/Sao_Paulo",
		Hours:     map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}},
		Holidays:  []string{"br", "2026-12-24"},
		Overrides: map[string][]string{"2026-12-31": {"08:00-12:00"}},
	}
	// berlinSupport is the berlin-support calendar of the same policy, open on Sunday nights
	// too, across the hour clocks skip or repeat.
	berlinSupport = calendar.Spec{
		Timezone: "Europe/Berlin",
		Hours:    map[string][]string{"mon-fri": {"09:00-17:30"}, "sun": {"01:00-04:00"}},
		Holidays: []string{"de-be", "2026-12-24", "2026-12-31"},
	}
)

// TestAddLongBackward is the audit's two cases: counting back hundreds of thousands of business
// hours came out centuries too early, with the business time between the result and the
// instant far more than asked.
func TestAddLongBackward(t *testing.T) {
	sp := mustLoc(t, "America/Sao_Paulo")
	tests := []struct {
		name     string
		spec     calendar.Spec
		at       time.Time
		d        time.Duration
		want     time.Time // zero: only the year is known
		wantYear int
	}{
		// 700,000 h is 17,500 weeks of 40 h: the same Friday noon, 122,500 days earlier.
		{"UTC office hours, 700,000 h", utcOffice, time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC), -700000 * time.Hour,
			time.Date(2026, 3, 6-122500, 12, 0, 0, 0, time.UTC), 1690},
		{"UTC office hours, 700,000 h forward", utcOffice, time.Date(2026, 3, 6-122500, 12, 0, 0, 0, time.UTC), 700000 * time.Hour,
			time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC), 2026},
		// 49 h a week would be 156 years back (1869); the holidays of 1970 to 2026, some
		// 6,000 h, take it two years further.
		{"São Paulo sp-support, 400,000 h", spSupport, time.Date(2026, 3, 6, 17, 30, 0, 0, sp), -400000 * time.Hour,
			time.Time{}, 1867},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := calendar.New(tt.spec)
			require.NoError(t, err)
			got := c.Add(tt.at, tt.d)
			if !tt.want.IsZero() {
				assert.Equal(t, rfc(tt.want.In(c.Location())), rfc(got))
			}
			assert.Equal(t, tt.wantYear, got.Year(), "Add(%s, %v) = %s", rfc(tt.at), tt.d, rfc(got))
			if tt.d < 0 {
				assert.Equal(t, -tt.d, c.Between(got, tt.at), "Between(%s, %s)", rfc(got), rfc(tt.at))
				assert.True(t, c.IsOpen(got), "Add(%s, %v) = %s: the latest such instant is open", rfc(tt.at), tt.d, rfc(got))
				assert.True(t, c.Add(got, -tt.d).Equal(tt.at), "Add(Add(t, d), -d) == t for an open t")
			} else {
				assert.Equal(t, tt.d, c.Between(tt.at, got), "Between(%s, %s)", rfc(tt.at), rfc(got))
			}
		})
	}
}

// TestAddLongSpansProperty checks that Add and Between are inverse over spans up to the
// largest Duration, forward and backward, from instants between 1700 and 2300 (before, in and
// after the years of the span table and of the zone's offset changes), and that Add is
// monotone in d.
func TestAddLongSpansProperty(t *testing.T) {
	cals := map[string]*calendar.Calendar{
		"America/Sao_Paulo": calendar.MustNew(spSupport),
		"Europe/Berlin":     calendar.MustNew(berlinSupport),
		"America/New_York":  calendar.MustNew(nyDesk),
	}
	rounds := 400
	if raceEnabled {
		rounds = 40
	}
	rng := rand.New(rand.NewPCG(20261130, 7))
	lo := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	// duration returns a duration of random sign whose magnitude is spread over every scale
	// from a second to the largest Duration, the extremes included.
	duration := func() time.Duration {
		var m int64
		switch k := rng.IntN(20); k {
		case 0:
			m = math.MaxInt64
		default:
			bits := 30 + rng.IntN(34) // up to 2^63
			m = rng.Int64N(int64(uint64(1)<<bits-1)) + 1
		}
		if rng.IntN(2) == 0 {
			if m == math.MaxInt64 && rng.IntN(2) == 0 {
				return math.MinInt64 // taken as -MaxInt64
			}
			return -time.Duration(m)
		}
		return time.Duration(m)
	}
	for _, zone := range slices.Sorted(maps.Keys(cals)) { // in one order, for one sequence of inputs
		c := cals[zone]
		t.Run(zone, func(t *testing.T) {
			for range rounds {
				at := time.Unix(lo+rng.Int64N(hi-lo), rng.Int64N(int64(time.Second))).In(c.Location())
				d1, d2 := duration(), duration()
				if d1 > d2 {
					d1, d2 = d2, d1
				}
				u1, u2 := c.Add(at, d1), c.Add(at, d2)
				require.False(t, u2.Before(u1), "Add(%s, %v) = %s before Add(.., %v) = %s", rfc(at), d2, rfc(u2), d1, rfc(u1))
				for _, x := range []struct {
					d time.Duration
					u time.Time
				}{{d1, u1}, {d2, u2}} {
					want := x.d
					if want == math.MinInt64 {
						want = -math.MaxInt64 // the documented magnitude of the most negative Duration
					}
					require.True(t, x.u.After(calendar.Start) && x.u.Before(calendar.End),
						"Add(%s, %v) = %s: within the range for these calendars", rfc(at), x.d, rfc(x.u))
					if want > 0 {
						require.False(t, x.u.Before(at), "Add(%s, %v) = %s", rfc(at), x.d, rfc(x.u))
						require.Equal(t, want, c.Between(at, x.u), "Between(%s, Add(.., %v) = %s)", rfc(at), x.d, rfc(x.u))
						require.True(t, c.IsOpen(x.u.Add(-time.Nanosecond)), "Add(%s, %v) = %s: the earliest such instant ends open time", rfc(at), x.d, rfc(x.u))
					} else {
						require.False(t, x.u.After(at), "Add(%s, %v) = %s", rfc(at), x.d, rfc(x.u))
						require.Equal(t, -want, c.Between(x.u, at), "Between(Add(.., %v) = %s, %s)", x.d, rfc(x.u), rfc(at))
						require.Equal(t, want, c.Between(at, x.u), "Between(%s, Add(.., %v) = %s)", rfc(at), x.d, rfc(x.u))
						require.True(t, c.IsOpen(x.u), "Add(%s, %v) = %s: the latest such instant is open", rfc(at), x.d, rfc(x.u))
					}
				}
			}
		})
	}
}

// TestAddOutOfRange checks the documented ends: a sum that would end past End is End, and a
// count back that finds less business time than asked between Start and t is Start.
func TestAddOutOfRange(t *testing.T) {
	for _, spec := range []calendar.Spec{utcOffice, spSupport, berlinSupport, nyDesk} {
		c := calendar.MustNew(spec)
		t.Run(spec.Timezone, func(t *testing.T) {
			// Year 100: far less than 292 years of business time since Start.
			early := time.Date(100, 6, 1, 12, 0, 0, 0, c.Location())
			assert.True(t, c.Add(early, math.MinInt64).Equal(calendar.Start), "Add(year 100, MinInt64)")
			assert.True(t, c.Add(early, -time.Duration(math.MaxInt64)).Equal(calendar.Start), "Add(year 100, -MaxInt64)")
			have := c.Between(calendar.Start, early)
			assert.Less(t, have, time.Duration(math.MaxInt64))
			assert.True(t, c.Add(early, -have-time.Nanosecond).Equal(calendar.Start), "one nanosecond more than there is")
			assert.True(t, c.Add(early, -have).After(calendar.Start), "exactly what there is")
			assert.Equal(t, have, c.Between(c.Add(early, -have), early))

			late := time.Date(9900, 6, 1, 12, 0, 0, 0, c.Location())
			assert.True(t, c.Add(late, math.MaxInt64).Equal(calendar.End), "Add(year 9900, MaxInt64)")
			assert.Less(t, c.Between(late, calendar.End), time.Duration(math.MaxInt64))

			// Before Start and after End, nothing moves the wrong way.
			before := calendar.Start.Add(-time.Hour)
			assert.True(t, c.Add(before, -time.Hour).Equal(before))
			after := calendar.End.Add(time.Hour)
			assert.True(t, c.Add(after, time.Hour).Equal(after))
			assert.True(t, c.Add(after, -8*time.Hour).Before(calendar.End))
		})
	}
}

// TestAddFarExceptions: with holidays a thousand years apart, the measure of the regular days
// between them passes the largest int64 before the holidays are taken off. Summed with
// saturation, a sum from year 1 of the largest Duration came out at End, and one back from
// 9999 at Start, with a Between 8 h short.
func TestAddFarExceptions(t *testing.T) {
	c := calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"0001-01-02", "9999-12-30"}})
	tests := []struct {
		at   time.Time
		d    time.Duration
		want string
	}{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64, "1228-07-25T16:47:16.854775807Z"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), math.MinInt64, "8772-06-07T09:12:43.145224193Z"},
	}
	for _, tt := range tests {
		got := c.Add(tt.at, tt.d)
		assert.Equal(t, tt.want, rfc(got), "Add(%s, %v)", rfc(tt.at), tt.d)
		want := time.Duration(math.MaxInt64)
		if tt.d > 0 {
			assert.Equal(t, want, c.Between(tt.at, got))
		} else {
			assert.Equal(t, want, c.Between(got, tt.at))
		}
	}
}
