package calendar

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnsignedDayArithmetic checks the unsigned shortcuts of weekday and posFromSeconds
// against the floored division they replace, on both sides of zero and at the int64 ends.
func TestUnsignedDayArithmetic(t *testing.T) {
	values := []int64{
		math.MinInt64, math.MinInt64 + 3, -daySecs - 1, -daySecs, -86399, -8, -7, -6, -5, -4, -3,
		-1, 0, 1, 3, 6, 7, daySecs - 1, daySecs, daySecs + 1, 20_000 * daySecs, 253402300799,
		math.MaxInt64 - 4, math.MaxInt64 - 3, math.MaxInt64,
	}
	r := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		values = append(values, r.Int64N(1<<40)-1<<39, r.Int64())
	}
	for _, v := range values {
		assert.Equal(t, int(floorMod(v+4, 7)), weekday(v), "weekday(%d)", v)
		p := posFromSeconds(v/2, 5) // halved: sec*1e9 overflows beyond a few centuries anyway
		day := floorDiv(v/2, daySecs)
		assert.Equal(t, pos{day, (v/2-day*daySecs)*int64(time.Second) + 5}, p, "posFromSeconds(%d)", v/2)
	}
}

// floorMod is the floored remainder weekday computes without a signed division.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// TestNominalSumsDayByDay compares between and add, which look the exceptions up once per end
// and skip the exception search when the regular days before the next exception hold the sum,
// with a walk that sums the open time of each date, on calendars with sparse and dense
// holidays and overrides.
func TestNominalSumsDayByDay(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
	}{
		{"Berlin, holidays", Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:30"}},
			Holidays: []string{"de-be", "2026-12-24", "2026-12-31"}}},
		{"Sao Paulo, lunch, overrides", Spec{Timezone: "America/Sao_Paulo",
			Hours:     map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}},
			Holidays:  []string{"br", "2026-12-24"},
			Overrides: map[string][]string{"2026-12-31": {"08:00-12:00"}, "2027-01-02": {}, "2026-11-29": {"10:00-11:00"}}}},
		{"New York, dense overrides", Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-sun": {"00:00-24:00"}},
			Holidays: []string{"us"}, Overrides: denseOverrides()}},
	}
	r := rand.New(rand.NewPCG(3, 5))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.spec)
			require.NoError(t, err)
			n := &c.nom
			base := daysFromCivil(2026, 10, 1)
			for range 3000 {
				day := base + r.Int64N(200)
				p := pos{day, r.Int64N(dayNanos + 1)}
				q := pos{day + r.Int64N(60), r.Int64N(dayNanos + 1)}
				if q.less(p) {
					p, q = q, p
				}
				want := int64(0)
				for d := p.day; d <= q.day; d++ {
					lo, hi := int64(0), int64(dayNanos)
					if d == p.day {
						lo = p.tod
					}
					if d == q.day {
						hi = q.tod
					}
					want += openWithin(n.windows(d), lo, hi)
				}
				require.Equal(t, want, n.between(p, q), "between(%v, %v)", p, q)
				require.Equal(t, -want, n.between(q, p), "between(%v, %v)", q, p)
				if want == 0 {
					continue
				}
				// add(p, want) is the earliest position with that much open time: q, or the
				// end of the last open window before q.
				got := n.add(p, want)
				require.Equal(t, want, n.between(p, got), "add(%v, %d) = %v", p, want, got)
				require.False(t, q.less(got), "add(%v, %d) = %v after %v", p, want, got, q)
				if want > 1 {
					require.Less(t, n.between(p, n.add(p, want-1)), want)
				}
			}
		})
	}
}

// denseOverrides closes one date in three over five months.
func denseOverrides() map[string][]string {
	m := map[string][]string{}
	d := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for k := range 150 {
		if k%3 == 0 {
			m[d.AddDate(0, 0, k).Format(time.DateOnly)] = []string{}
		}
	}
	return m
}

// TestSumsOrderAndEnds checks Between's order test and Add's test for an instant after End,
// which compare Unix seconds and nanoseconds instead of asking time.Time: instants a
// nanosecond apart, within and across seconds, in both orders, and around Start and End.
func TestSumsOrderAndEnds(t *testing.T) {
	c, err := New(Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-sun": {"00:00-24:00"}}})
	require.NoError(t, err)
	ny := c.Location()
	at := time.Date(2026, 11, 1, 1, 30, 0, 500, ny) // the repeated hour of the DST change
	tests := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"a nanosecond", at, at.Add(1), 1},
		{"across a second", at.Add(999_999_500), at.Add(999_999_501), 1},
		{"the repeated hour counts twice", time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 11, 1, 3, 0, 0, 0, ny), 4 * time.Hour},
		{"same instant, other zones", at, at.UTC(), 0},
		{"both after End", End.Add(time.Hour), End.Add(2 * time.Hour), 0},
		{"End and a nanosecond after", End, End.Add(1), 0},
		{"a nanosecond before End", End.Add(-1), End.Add(time.Hour), 1},
		{"both before Start", Start.Add(-2 * time.Hour), Start.Add(-time.Hour), 0},
		{"before Start to after it", Start.Add(-time.Hour), Start.Add(time.Second + 3), time.Second + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, c.Between(tt.a, tt.b))
			assert.Equal(t, -tt.want, c.Between(tt.b, tt.a))
		})
	}
	// Add leaves an instant after End as it is, and brings End and the instants before it
	// no further than End.
	for _, u := range []time.Time{End.Add(1), End.Add(time.Hour), End.In(ny).Add(time.Second)} {
		assert.Equal(t, u, c.Add(u, time.Hour), "Add(%v)", u)
	}
	assert.True(t, c.Add(End, time.Hour).Equal(End))
	assert.True(t, c.Add(End.Add(-1), time.Hour).Equal(End))
	assert.True(t, c.Add(End.Add(-time.Hour), 30*time.Minute).Equal(End.Add(-30*time.Minute)))
	assert.True(t, c.Add(Start.Add(-time.Hour), time.Minute).Equal(Start.Add(time.Minute)))
}

// TestBetweenAcrossOffsetChanges checks Between, on a calendar open around the hours at which
// the offsets change, against a count of its open minutes, for spans that end just before, at
// and just after an offset change (where the end's transition count is no longer the start's)
// or lie on both sides of one.
func TestBetweenAcrossOffsetChanges(t *testing.T) {
	changes := map[string][]time.Time{
		"America/New_York":  {time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)},
		"Europe/Berlin":     {time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC)},
		"America/Sao_Paulo": {time.Date(2018, 11, 4, 3, 0, 0, 0, time.UTC), time.Date(2019, 2, 17, 2, 0, 0, 0, time.UTC)},
	}
	offsets := []time.Duration{-25 * time.Hour, -time.Hour, -time.Minute, 0, time.Minute, time.Hour, 26 * time.Hour}
	for zone, at := range changes {
		t.Run(zone, func(t *testing.T) {
			c, err := New(Spec{Timezone: zone, Hours: map[string][]string{"mon-sun": {"00:00-03:30", "23:00-24:00"}}})
			require.NoError(t, err)
			for _, ch := range at {
				// The zone's offset does change at ch.
				require.NotEqual(t, offsetAt(ch.Add(-1), c.Location()), offsetAt(ch, c.Location()), "%v", ch)
				for _, da := range offsets {
					for _, db := range offsets {
						a, b := ch.Add(da), ch.Add(db)
						want := time.Duration(0)
						for m := a; m.Before(b); m = m.Add(time.Minute) {
							if c.IsOpen(m) {
								want += time.Minute
							}
						}
						for m := b; m.Before(a); m = m.Add(time.Minute) {
							if c.IsOpen(m) {
								want -= time.Minute
							}
						}
						assert.Equal(t, want, c.Between(a, b), "Between(%v, %v)", a, b)
					}
				}
			}
		})
	}
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}
