package calendar_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// wallIn parses a wall-clock time in zone.
func wallIn(t *testing.T, zone, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02T15:04", s, mustLoc(t, zone))
	require.NoError(t, err)
	return at
}

func TestPrevOpenPrevClose(t *testing.T) {
	weekend := calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"sat": {"22:00-24:00"}, "sun": {"00:00-06:00"}, "mon-fri": {"09:00-17:00"}}}
	tests := []struct {
		name                string
		spec                calendar.Spec
		zone, at            string
		prevOpen, prevClose string // RFC 3339
		reason              string
	}{
		{"morning", spDesk, "America/Sao_Paulo", "2026-03-03T09:30", "2026-03-03T08:00:00-03:00", "2026-03-02T18:00:00-03:00", ""},
		{"lunch", spDesk, "America/Sao_Paulo", "2026-03-03T12:30", "2026-03-03T08:00:00-03:00", "2026-03-03T12:00:00-03:00", ""},
		{"afternoon", spDesk, "America/Sao_Paulo", "2026-03-03T15:00", "2026-03-03T13:00:00-03:00", "2026-03-03T12:00:00-03:00", ""},
		{"at an opening", spDesk, "America/Sao_Paulo", "2026-03-03T13:00", "2026-03-03T13:00:00-03:00", "2026-03-03T12:00:00-03:00", "an instant at or before t"},
		{"at a close", spDesk, "America/Sao_Paulo", "2026-03-03T18:00", "2026-03-03T13:00:00-03:00", "2026-03-03T18:00:00-03:00", ""},
		{"sunday", spDesk, "America/Sao_Paulo", "2026-03-08T10:00", "2026-03-07T09:00:00-03:00", "2026-03-07T13:00:00-03:00", "Saturday 09-13"},
		{"monday before opening", spDesk, "America/Sao_Paulo", "2026-03-09T07:00", "2026-03-07T09:00:00-03:00", "2026-03-07T13:00:00-03:00", ""},
		{"after a closed wednesday", spDesk, "America/Sao_Paulo", "2026-03-12T07:00", "2026-03-10T13:00:00-03:00", "2026-03-10T18:00:00-03:00", "11 Mar has an empty override"},
		{"after a holiday", spDesk, "America/Sao_Paulo", "2026-09-08T07:00", "2026-09-05T09:00:00-03:00", "2026-09-05T13:00:00-03:00", "7 Sep closed by br"},
		{"shift across midnight", weekend, "UTC", "2026-03-08T03:00", "2026-03-07T22:00:00Z", "2026-03-06T17:00:00Z", "Saturday 22:00 to Sunday 06:00 is one period"},
		{"after the shift", weekend, "UTC", "2026-03-08T07:00", "2026-03-07T22:00:00Z", "2026-03-08T06:00:00Z", ""},
		{"spring forward", nyAllDay, "America/New_York", "2026-03-08T12:00", "start", "start", "never closes: Start"},
		{"lost hour joins two ranges", calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"sun": {"01:00-02:00", "03:00-04:00"}}},
			"America/New_York", "2026-03-08T03:30", "2026-03-08T01:00:00-05:00", "2026-03-01T04:00:00-05:00", "02:00 EST is 03:00 EDT: one period"},
		{"repeated hour", calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"sun": {"02:15-02:45"}}},
			"Europe/Berlin", "2026-10-25T04:00", "2026-10-25T02:15:00+01:00", "2026-10-25T02:45:00+01:00", "the second 02:15-02:45"},
		{"midnight DST start", spMidnight, "America/Sao_Paulo", "2018-11-04T01:30", "2018-11-03T23:00:00-03:00", "2018-11-03T02:00:00-03:00", "4 Nov 2018 began at 01:00: 23:00 to 02:00 is one period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.MustNew(tt.spec)
			at := wallIn(t, tt.zone, tt.at)
			show := func(u time.Time) string {
				if u.Equal(calendar.Start) {
					return "start"
				}
				return rfc(u)
			}
			assert.Equal(t, tt.prevOpen, show(c.PrevOpen(at)), "PrevOpen(%s) (%s)", rfc(at), tt.reason)
			assert.Equal(t, tt.prevClose, show(c.PrevClose(at)), "PrevClose(%s) (%s)", rfc(at), tt.reason)
		})
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		name     string
		spec     calendar.Spec
		zone, at string
		n        int
		want     string
		reason   string
	}{
		{"zero is NextOpen", spDesk, "America/Sao_Paulo", "2026-03-03T07:00", 0, "2026-03-03T08:00:00-03:00", ""},
		{"next day same time", spDesk, "America/Sao_Paulo", "2026-03-03T10:15", 1, "2026-03-04T10:15:00-03:00", ""},
		{"three days over the weekend", spDesk, "America/Sao_Paulo", "2026-03-05T10:15", 3, "2026-03-09T10:15:00-03:00", "Fri, Sat (a business day), Mon"},
		{"lands on a short saturday", spDesk, "America/Sao_Paulo", "2026-03-06T16:00", 1, "2026-03-09T08:00:00-03:00", "Saturday is closed at 16:00: next open instant"},
		{"lands in lunch", spDesk, "America/Sao_Paulo", "2026-03-02T12:30", 1, "2026-03-03T13:00:00-03:00", "closed at 12:30, starts from 13:00"},
		{"skips a holiday", spDesk, "America/Sao_Paulo", "2026-09-04T10:00", 2, "2026-09-08T10:00:00-03:00", "Sat 5, Mon 7 closed, Tue 8"},
		{"skips a closed override", spDesk, "America/Sao_Paulo", "2026-03-10T10:00", 1, "2026-03-12T10:00:00-03:00", ""},
		{"from closed time", nyDesk, "America/New_York", "2026-03-06T18:00", 1, "2026-03-10T09:00:00-04:00", "counts from Monday 09:00"},
		{"across spring forward", nyAllDay, "America/New_York", "2026-03-07T02:30", 1, "2026-03-08T03:00:00-04:00", "02:30 does not exist on 8 March"},
		{"ten days", nyDesk, "America/New_York", "2026-11-20T11:00", 10, "2026-12-07T11:00:00-05:00", "Thanksgiving on 26 Nov"},
		{"negative is NextOpen", nyDesk, "America/New_York", "2026-03-07T11:00", -3, "2026-03-09T09:00:00-04:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.MustNew(tt.spec)
			at := wallIn(t, tt.zone, tt.at)
			assert.Equal(t, tt.want, rfc(c.AddDays(at, tt.n)), "AddDays(%s, %d) (%s)", rfc(at), tt.n, tt.reason)
		})
	}
	c := calendar.MustNew(nyDesk)
	assert.True(t, c.AddDays(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt).Equal(calendar.End))
	assert.Equal(t, "2026-03-10T11:00:00Z", rfc(calendar.Always.AddDays(time.Date(2026, 3, 7, 11, 0, 0, 0, time.UTC), 3)))
}

func TestEndOfDay(t *testing.T) {
	tests := []struct {
		name     string
		spec     calendar.Spec
		zone, at string
		want     string
		reason   string
	}{
		{"morning", spDesk, "America/Sao_Paulo", "2026-03-03T09:00", "2026-03-03T18:00:00-03:00", ""},
		{"before opening", spDesk, "America/Sao_Paulo", "2026-03-03T06:00", "2026-03-03T18:00:00-03:00", ""},
		{"lunch", spDesk, "America/Sao_Paulo", "2026-03-03T12:30", "2026-03-03T18:00:00-03:00", ""},
		{"at the close", spDesk, "America/Sao_Paulo", "2026-03-03T18:00", "2026-03-04T18:00:00-03:00", "t is not before the end: the next business day"},
		{"evening", spDesk, "America/Sao_Paulo", "2026-03-06T19:00", "2026-03-07T13:00:00-03:00", "Saturday 09-13"},
		{"sunday", spDesk, "America/Sao_Paulo", "2026-03-08T10:00", "2026-03-09T18:00:00-03:00", ""},
		{"half day", spDesk, "America/Sao_Paulo", "2026-12-31T09:00", "2026-12-31T12:00:00-03:00", "override 08-12"},
		{"holiday", spDesk, "America/Sao_Paulo", "2026-12-25T09:00", "2026-12-26T13:00:00-03:00", "Christmas from br, then Saturday"},
		{"24:00", berlinNight, "Europe/Berlin", "2026-03-02T23:00", "2026-03-03T00:00:00+01:00", "the range ends at the next midnight"},
		{"fall back", calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"sun": {"02:15-02:45"}}}, "Europe/Berlin", "2026-10-25T00:00",
			"2026-10-25T02:45:00+01:00", "the second 02:45"},
		{"midnight DST end", spMidnight, "America/Sao_Paulo", "2019-02-16T22:30", "2019-02-17T00:00:00-03:00", "23:00-24:00 happened twice; its end is the second midnight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.MustNew(tt.spec)
			at := wallIn(t, tt.zone, tt.at)
			assert.Equal(t, tt.want, rfc(c.EndOfDay(at)), "EndOfDay(%s) (%s)", rfc(at), tt.reason)
		})
	}
	assert.Equal(t, "2026-03-08T00:00:00Z", rfc(calendar.Always.EndOfDay(time.Date(2026, 3, 7, 11, 0, 0, 0, time.UTC))))
}

// Add never overflows: the most negative duration is the largest one backwards. Every calendar
// here has more than 292 years of business time between Start and 2026, so the result is
// not Start.
func TestAddExtremes(t *testing.T) {
	for _, spec := range []calendar.Spec{nyDesk, spDesk, nyAllDay} {
		c := calendar.MustNew(spec)
		t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, c.Location())
		u := c.Add(t0, math.MinInt64)
		assert.False(t, u.After(t0), "Add(%s, MinInt64)", rfc(t0))
		assert.True(t, u.After(calendar.Start), "Add(%s, MinInt64) = %s", rfc(t0), rfc(u))
		assert.Equal(t, time.Duration(math.MaxInt64), c.Between(u, t0), "Between(Add(%s, MinInt64) = %s, ..)", rfc(t0), rfc(u))
		assert.Equal(t, u, c.Add(t0, -math.MaxInt64), "MinInt64 is taken as -MaxInt64")
		assert.False(t, c.Add(t0, math.MinInt64+1).After(t0))
		early := time.Date(-100, 1, 1, 0, 0, 0, 0, time.UTC)
		assert.True(t, c.Add(early, -time.Hour).Equal(early), "before Start, Add returns its input")
	}
	assert.False(t, calendar.Always.Add(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), math.MinInt64).After(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)))
}

func TestHolidayEntries(t *testing.T) {
	c := calendar.MustNew(calendar.Spec{
		Timezone:  "Europe/Rome",
		Hours:     map[string][]string{"mon-fri": {"09:00-18:00"}},
		Holidays:  []string{"12-24", "02-29", "2026-08-03..2026-08-14", "2026-11-02", "it"},
		Overrides: map[string][]string{"2026-08-10": {"09:00-13:00"}, "2026-03-16": {}},
	})
	rome := c.Location()
	closed := func(y int, m time.Month, d int) bool { return !c.IsOpen(time.Date(y, m, d, 10, 0, 0, 0, rome)) }
	assert.True(t, closed(2026, 12, 24), "12-24 every year")
	assert.True(t, closed(2027, 12, 24))
	assert.True(t, closed(2028, 2, 29), "02-29 in leap years")
	assert.False(t, closed(2027, 3, 1), "02-29 is not 1 March in other years")
	assert.True(t, closed(2026, 8, 3), "first day of the range")
	assert.True(t, closed(2026, 8, 14), "last day of the range")
	assert.False(t, closed(2026, 8, 17))
	assert.False(t, closed(2026, 8, 10), "the override opens a day of the range")
	assert.True(t, closed(2027, 10, 4), "San Francesco, national from 2026")
	assert.False(t, closed(2025, 10, 3), "a Friday")

	got := c.Closures(time.Date(2026, 8, 1, 0, 0, 0, 0, rome), time.Date(2026, 8, 18, 0, 0, 0, 0, rome))
	var lines []string
	for _, cl := range got {
		lines = append(lines, cl.Date.Format("2006-01-02 Mon")+" "+cl.Name+" ["+cl.Source+"]")
	}
	assert.Equal(t, []string{
		"2026-08-03 Mon closure [2026-08-03..2026-08-14]",
		"2026-08-04 Tue closure [2026-08-03..2026-08-14]",
		"2026-08-05 Wed closure [2026-08-03..2026-08-14]",
		"2026-08-06 Thu closure [2026-08-03..2026-08-14]",
		"2026-08-07 Fri closure [2026-08-03..2026-08-14]",
		"2026-08-08 Sat closure [2026-08-03..2026-08-14]",
		"2026-08-09 Sun closure [2026-08-03..2026-08-14]",
		"2026-08-11 Tue closure [2026-08-03..2026-08-14]",
		"2026-08-12 Wed closure [2026-08-03..2026-08-14]",
		"2026-08-13 Thu closure [2026-08-03..2026-08-14]",
		"2026-08-14 Fri closure [2026-08-03..2026-08-14]",
		"2026-08-15 Sat Assunzione [it]",
	}, lines)
	march := c.Closures(time.Date(2026, 3, 16, 12, 0, 0, 0, rome), time.Date(2026, 3, 16, 13, 0, 0, 0, rome))
	require.Len(t, march, 1, "a date that overlaps [from, to)")
	assert.Equal(t, "override", march[0].Name)
	assert.Equal(t, "overrides.2026-03-16", march[0].Source)
	assert.Empty(t, c.Closures(time.Date(2026, 3, 17, 0, 0, 0, 0, rome), time.Date(2026, 3, 17, 0, 0, 0, 0, rome)))
	assert.Empty(t, calendar.Always.Closures(time.Date(2026, 1, 1, 0, 0, 0, 0, rome), time.Date(2027, 1, 1, 0, 0, 0, 0, rome)))
	// The date of a closure is the first instant of its date, also when midnight is skipped.
	sp := calendar.MustNew(calendar.Spec{Timezone: "America/Sao_Paulo", Hours: spMidnight.Hours, Holidays: []string{"2018-11-04"}})
	cl := sp.Closures(time.Date(2018, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 11, 10, 0, 0, 0, 0, time.UTC))
	require.Len(t, cl, 1)
	assert.Equal(t, "2018-11-04T01:00:00-02:00", rfc(cl[0].Date))
}

func TestHolidayEntryErrors(t *testing.T) {
	for _, tt := range []struct{ entry, msg string }{
		{"13-01", `want a date "MM-DD" every year`},
		{"02-30", `want a date "MM-DD" every year`},
		{"2026-08-14..2026-08-03", "the range ends before it starts"},
		{"2026-08-03..", `want a range "YYYY-MM-DD..YYYY-MM-DD"`},
		{"2026-08-03..2026-13-01", `want a range`},
		{"0001-01-01..9999-12-31", "closures add up to more than 36600 days"},
		{"2026-02-29", "impossible date"},
		{"1-2", "impossible date"},
	} {
		t.Run(tt.entry, func(t *testing.T) {
			_, err := calendar.New(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Holidays: []string{"us", tt.entry}})
			require.ErrorIs(t, err, calendar.ErrBadDate)
			assert.Contains(t, err.Error(), `calendar: holidays[1]: "`+tt.entry+`": impossible date`)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestHours(t *testing.T) {
	c := calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"13:00-18:00", "08:00-12:00", "12:00-12:30"}, "sat": {"22:00-24:00"}}})
	assert.Equal(t, []string{"08:00-12:30", "13:00-18:00"}, c.Hours(time.Monday), "sorted, touching ranges joined")
	assert.Equal(t, []string{"22:00-24:00"}, c.Hours(time.Saturday))
	assert.Empty(t, c.Hours(time.Sunday))
	assert.Equal(t, []string{"00:00-24:00"}, calendar.Always.Hours(time.Sunday))
}
