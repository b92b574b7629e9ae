package calendar_test

import (
	"math"
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
