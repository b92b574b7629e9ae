package calendar_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func rfc(t time.Time) string { return t.Format(time.RFC3339Nano) }

var (
	spDesk = calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}},
		Holidays: []string{"br", "2026-12-24"},
		Overrides: map[string][]string{
			"2026-12-31": {"08:00-12:00"},
			"2026-04-21": {"10:00-14:00"}, // Tiradentes, opened anyway
			"2026-03-11": {},              // a Wednesday closed for training
		},
	}
	nyDesk = calendar.Spec{
		Timezone: "America/New_York",
		Hours:    map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"us"},
	}
	berlinNight = calendar.Spec{
		Timezone: "Europe/Berlin",
		Hours:    map[string][]string{"daily": {"00:00-04:00", "22:00-24:00"}},
	}
	nyAllDay = calendar.Spec{
		Timezone: "America/New_York",
		Hours:    map[string][]string{"daily": {"00:00-24:00"}},
	}
	spMidnight = calendar.Spec{ // São Paulo's DST used to start at midnight
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"daily": {"00:00-02:00", "23:00-24:00"}},
	}
)

func TestAddBetween(t *testing.T) {
	tests := []struct {
		name   string
		spec   calendar.Spec
		zone   string
		from   string // wall-clock, in zone
		add    time.Duration
		want   string // RFC 3339
		reason string
	}{
		{"within a morning", spDesk, "America/Sao_Paulo", "2026-03-02T09:00:00", 2 * time.Hour, "2026-03-02T11:00:00-03:00", ""},
		{"across lunch", spDesk, "America/Sao_Paulo", "2026-03-02T11:30:00", time.Hour, "2026-03-02T13:30:00-03:00", "lunch 12-13 is closed"},
		{"ends at closing time", spDesk, "America/Sao_Paulo", "2026-03-02T17:00:00", time.Hour, "2026-03-02T18:00:00-03:00", "due at closing, not next morning"},
		{"ends at lunch", spDesk, "America/Sao_Paulo", "2026-03-02T11:00:00", time.Hour, "2026-03-02T12:00:00-03:00", ""},
		{"from closed time", spDesk, "America/Sao_Paulo", "2026-03-02T06:00:00", 30 * time.Minute, "2026-03-02T08:30:00-03:00", ""},
		{"friday to saturday", spDesk, "America/Sao_Paulo", "2026-03-06T17:30:00", time.Hour, "2026-03-07T09:30:00-03:00", ""},
		{"saturday to monday", spDesk, "America/Sao_Paulo", "2026-03-07T12:00:00", 2 * time.Hour, "2026-03-09T09:00:00-03:00", ""},
		{"holiday set", spDesk, "America/Sao_Paulo", "2026-09-04T17:00:00", 2 * time.Hour, "2026-09-05T10:00:00-03:00", "2026-09-07 Independência is a Monday; here Friday to Saturday"},
		{"holiday monday", spDesk, "America/Sao_Paulo", "2026-09-05T12:00:00", 2 * time.Hour, "2026-09-08T09:00:00-03:00", "Saturday, then Monday 7 Sep is closed"},
		{"explicit date and christmas", spDesk, "America/Sao_Paulo", "2026-12-23T17:00:00", 2 * time.Hour, "2026-12-26T10:00:00-03:00", ""},
		{"override opens a holiday", spDesk, "America/Sao_Paulo", "2026-04-20T17:00:00", 2 * time.Hour, "2026-04-21T11:00:00-03:00", "Tiradentes override 10-14"},
		{"override half day", spDesk, "America/Sao_Paulo", "2026-12-31T11:00:00", 2 * time.Hour, "2027-01-02T10:00:00-03:00", "closes at 12, 1 Jan closed"},
		{"empty override closes", spDesk, "America/Sao_Paulo", "2026-03-10T17:00:00", 2 * time.Hour, "2026-03-12T09:00:00-03:00", ""},
		{"40 hours", nyDesk, "America/New_York", "2026-03-02T09:00:00", 40 * time.Hour, "2026-03-06T17:00:00-05:00", ""},
		{"US observed holiday", nyDesk, "America/New_York", "2026-07-02T16:00:00", 2 * time.Hour, "2026-07-06T10:00:00-04:00", "4 July 2026 is a Saturday, observed Friday 3 July"},
		{"thanksgiving", nyDesk, "America/New_York", "2026-11-25T16:00:00", 2 * time.Hour, "2026-11-27T10:00:00-05:00", ""},
		{"spring forward 9-17", nyDesk, "America/New_York", "2026-03-06T16:00:00", 2 * time.Hour, "2026-03-09T10:00:00-04:00", "window outside the switch keeps 8h"},
		{"2000 hours", nyDesk, "America/New_York", "2026-01-05T09:00:00", 2000 * time.Hour, "2027-01-04T17:00:00-05:00", "50 weeks, plus the 9 weekday holidays before 18 Dec, 25 Dec and 1 Jan"},
		{"24x7 spring", nyAllDay, "America/New_York", "2026-03-07T12:00:00", 24 * time.Hour, "2026-03-08T13:00:00-04:00", "the day has 23 hours"},
		{"24x7 fall", nyAllDay, "America/New_York", "2026-10-31T12:00:00", 24 * time.Hour, "2026-11-01T11:00:00-05:00", "the day has 25 hours"},
		{"night shift spring", berlinNight, "Europe/Berlin", "2026-03-29T00:00:00", 3 * time.Hour, "2026-03-29T04:00:00+02:00", "00-04 holds 3h on the switch day"},
		{"night shift fall", berlinNight, "Europe/Berlin", "2026-10-25T00:00:00", 5 * time.Hour, "2026-10-25T04:00:00+01:00", "00-04 holds 5h when clocks fall back"},
		{"midnight DST start", spMidnight, "America/Sao_Paulo", "2018-11-03T23:00:00", 2 * time.Hour, "2018-11-04T02:00:00-02:00", "4 Nov 2018 began at 01:00; 00-02 held 1h"},
		{"midnight DST end", spMidnight, "America/Sao_Paulo", "2019-02-16T22:30:00", 2 * time.Hour, "2019-02-17T00:00:00-03:00", "16 Feb 23:00-24:00 happened twice"},
		{"sub-second", nyDesk, "America/New_York", "2026-03-02T16:59:59.25", 1500 * time.Millisecond, "2026-03-03T09:00:00.75-05:00", ""},
		{"zero", nyDesk, "America/New_York", "2026-03-01T03:00:00", 0, "2026-03-01T03:00:00-05:00", "Add(t, 0) == t even when closed"},
		{"backward", nyDesk, "America/New_York", "2026-03-09T10:00:00", -2 * time.Hour, "2026-03-06T16:00:00-05:00", ""},
		{"backward to an opening", nyDesk, "America/New_York", "2026-03-09T10:00:00", -time.Hour, "2026-03-09T09:00:00-04:00", "latest instant with 1h before Monday 10:00, not Friday's close"},
		{"backward a whole day", nyDesk, "America/New_York", "2026-03-06T17:00:00", -8 * time.Hour, "2026-03-06T09:00:00-05:00", "8 business hours before Friday 17:00 is Friday 09:00, as every peer says"},
		{"backward over a weekend", nyDesk, "America/New_York", "2026-03-09T09:30:00", -90 * time.Minute, "2026-03-06T16:00:00-05:00", ""},
		{"backward over lunch", spDesk, "America/Sao_Paulo", "2026-03-02T13:30:00", -time.Hour, "2026-03-02T11:30:00-03:00", ""},
		{"backward to lunch end", spDesk, "America/Sao_Paulo", "2026-03-02T14:00:00", -time.Hour, "2026-03-02T13:00:00-03:00", "not 12:00, the close before lunch"},
		{"backward over a holiday", spDesk, "America/Sao_Paulo", "2026-09-08T09:00:00", -2 * time.Hour, "2026-09-05T12:00:00-03:00", "Tuesday 08-09, Monday 7 Sep closed, Saturday 12-13"},
		{"backward into spring forward", nyAllDay, "America/New_York", "2026-03-08T13:00:00", -24 * time.Hour, "2026-03-07T12:00:00-05:00", "the day has 23 hours"},
		{"backward night shift fall", berlinNight, "Europe/Berlin", "2026-10-25T04:00:00", -5 * time.Hour, "2026-10-25T00:00:00+02:00", "00-04 holds 5h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := calendar.New(tt.spec)
			require.NoError(t, err)
			loc := mustLoc(t, tt.zone)
			from, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", tt.from, loc)
			require.NoError(t, err)
			got := c.Add(from, tt.add)
			assert.Equal(t, tt.want, rfc(got), "Add(%s, %v) (%s)", rfc(from), tt.add, tt.reason)
			assert.Equal(t, tt.add, c.Between(from, got), "Between(%s, %s)", rfc(from), rfc(got))
			assert.Equal(t, -tt.add, c.Between(got, from), "Between(%s, %s)", rfc(got), rfc(from))
		})
	}
}

func TestDSTDays(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	berlin := mustLoc(t, "Europe/Berlin")
	tests := []struct {
		name     string
		spec     calendar.Spec
		from, to time.Time
		want     time.Duration
	}{
		{"NY 01-04 on spring day holds 2h", calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"sun": {"01:00-04:00"}}},
			time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny), 2 * time.Hour},
		{"NY 01-04 on fall day holds 4h", calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"sun": {"01:00-04:00"}}},
			time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 0, 0, 0, 0, ny), 4 * time.Hour},
		{"range starting in the gap opens after it", calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"sun": {"02:30-05:00"}}},
			time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny), 2 * time.Hour},
		{"range inside the repeated hour counts twice", calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"sun": {"02:15-02:45"}}},
			time.Date(2026, 10, 25, 0, 0, 0, 0, berlin), time.Date(2026, 10, 26, 0, 0, 0, 0, berlin), time.Hour},
		{"full week with spring day", nyAllDay, time.Date(2026, 3, 2, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny), 167 * time.Hour},
		{"full year NY 24x7", nyAllDay, time.Date(2026, 1, 1, 0, 0, 0, 0, ny), time.Date(2027, 1, 1, 0, 0, 0, 0, ny), 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.MustNew(tt.spec)
			assert.Equal(t, tt.want, c.Between(tt.from, tt.to), "Between(%s, %s)", rfc(tt.from), rfc(tt.to))
			u := c.Add(tt.from, tt.want)
			assert.False(t, u.After(tt.to), "Add(%s, %v) = %s", rfc(tt.from), tt.want, rfc(u))
			assert.Equal(t, tt.want, c.Between(tt.from, u))
		})
	}
}

func TestOpenNextOpenNextClose(t *testing.T) {
	c := calendar.MustNew(spDesk)
	sp := c.Location()
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, sp) }
	tests := []struct {
		name            string
		t               time.Time
		open            bool
		nextOpen, close time.Time
	}{
		{"morning", at(2, 9, 0), true, at(2, 9, 0), at(2, 12, 0)},
		{"opening instant", at(2, 8, 0), true, at(2, 8, 0), at(2, 12, 0)},
		{"closing instant is closed", at(2, 12, 0), false, at(2, 13, 0), at(2, 12, 0)},
		{"lunch", at(2, 12, 30), false, at(2, 13, 0), at(2, 12, 30)},
		{"night", at(2, 22, 0), false, at(3, 8, 0), at(2, 22, 0)},
		{"saturday afternoon", at(7, 14, 0), false, at(9, 8, 0), at(7, 14, 0)},
		{"closed wednesday", at(11, 9, 0), false, at(12, 8, 0), at(11, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.open, c.IsOpen(tt.t), "IsOpen(%s)", rfc(tt.t))
			assert.Equal(t, rfc(tt.nextOpen), rfc(c.NextOpen(tt.t)), "NextOpen(%s)", rfc(tt.t))
			assert.Equal(t, rfc(tt.close), rfc(c.NextClose(tt.t)), "NextClose(%s)", rfc(tt.t))
		})
	}
}

func TestAlwaysOpen(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	t0 := time.Date(2026, 3, 7, 12, 0, 0, 0, ny)
	for name, c := range map[string]*calendar.Calendar{"Always": calendar.Always, "zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			assert.True(t, c.IsOpen(t0))
			assert.Equal(t, 24*time.Hour, c.Between(t0, t0.Add(24*time.Hour)))
			assert.Equal(t, -time.Hour, c.Between(t0, t0.Add(-time.Hour)))
			assert.True(t, c.Add(t0, 90*time.Minute).Equal(t0.Add(90*time.Minute)))
			assert.True(t, c.NextOpen(t0).Equal(t0))
			assert.True(t, c.NextClose(t0).Equal(calendar.End))
			assert.Equal(t, time.UTC, c.Location())
		})
	}
	// A spec open every hour of every day never closes either.
	c := calendar.MustNew(nyAllDay)
	assert.True(t, c.NextClose(t0).Equal(calendar.End), "NextClose = %s", c.NextClose(t0))
}

func TestDomainEdges(t *testing.T) {
	c := calendar.MustNew(nyDesk)
	far := time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, c.Add(far, time.Hour).Equal(far), "Add past End returns its input")
	assert.True(t, c.Add(time.Date(9999, 12, 1, 0, 0, 0, 0, time.UTC), 1000*time.Hour).Equal(calendar.End))
	assert.Equal(t, c.Between(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), calendar.End), c.Between(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), far))
	early := time.Date(-500, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.False(t, c.Add(early, time.Hour).Before(early))
	huge := c.Between(calendar.Start, calendar.End)
	assert.Greater(t, huge, time.Duration(0))
	// The largest duration still terminates.
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	maxD := time.Duration(1<<63 - 1)
	// 292 years of business time: some 1,230 calendar years at 40 hours a week. Sums this close
	// to the largest Duration saturate on the way, so Between is only nearly exact here.
	u := c.Add(t0, maxD)
	assert.Equal(t, 3256, u.Year(), "Add(%s, max) = %s", rfc(t0), rfc(u))
	assert.InEpsilon(t, float64(maxD), float64(c.Between(t0, u)), 0.01)
	assert.False(t, c.Add(t0, -maxD).After(t0))
}

func TestSpecErrors(t *testing.T) {
	tests := []struct {
		name  string
		spec  calendar.Spec
		field string
		err   error
	}{
		{"no zone", calendar.Spec{Hours: map[string][]string{"mon": {"09:00-17:00"}}}, "timezone", calendar.ErrUnknownZone},
		{"unknown zone", calendar.Spec{Timezone: "Europe/Atlantis", Hours: map[string][]string{"mon": {"09:00-17:00"}}}, "timezone", calendar.ErrUnknownZone},
		{"local zone", calendar.Spec{Timezone: "Local", Hours: map[string][]string{"mon": {"09:00-17:00"}}}, "timezone", calendar.ErrUnknownZone},
		{"malformed range", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"9-17"}}}, "hours.mon[0]", calendar.ErrBadRange},
		{"bad minutes", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:60-17:00"}}}, "hours.mon[0]", calendar.ErrBadRange},
		{"past 24:00", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-24:30"}}}, "hours.mon[0]", calendar.ErrBadRange},
		{"starts at 24:00", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"24:00-24:00"}}}, "hours.mon[0]", calendar.ErrBadRange},
		{"reversed", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"17:00-09:00"}}}, "hours.mon[0]", calendar.ErrReversedRange},
		{"empty range", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-09:00"}}}, "hours.mon[0]", calendar.ErrReversedRange},
		{"overlap", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-13:00", "12:00-17:00"}}}, "hours.mon[1]", calendar.ErrOverlap},
		{"day twice", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}, "fri": {"09:00-12:00"}}}, "hours", calendar.ErrDuplicateDay},
		{"daily and a day", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"daily": {"09:00-17:00"}, "sun": {}}}, "hours", calendar.ErrDuplicateDay},
		{"unknown day", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fry": {"09:00-17:00"}}}, "hours", calendar.ErrUnknownDay},
		{"unknown set", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Holidays: []string{"xx"}}, "holidays[0]", calendar.ErrUnknownHolidaySet},
		{"unknown region", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Holidays: []string{"de-xx"}}, "holidays[0]", calendar.ErrUnknownHolidaySet},
		{"impossible holiday", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Holidays: []string{"2026-02-29"}}, "holidays[0]", calendar.ErrBadDate},
		{"impossible override", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Overrides: map[string][]string{"2026-13-01": {}}}, "overrides", calendar.ErrBadDate},
		{"bad override range", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon": {"09:00-17:00"}}, Overrides: map[string][]string{"2026-12-24": {"09:00"}}}, "overrides.2026-12-24[0]", calendar.ErrBadRange},
		{"no open time", calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {}}, Overrides: map[string][]string{"2026-12-24": {"09:00-12:00"}}}, "hours", calendar.ErrNoOpenTime},
		{"no hours at all", calendar.Spec{Timezone: "UTC"}, "hours", calendar.ErrNoOpenTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := calendar.New(tt.spec)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, tt.err)
			var se *calendar.SpecError
			require.True(t, errors.As(err, &se), "error %v is not a *SpecError", err)
			assert.Equal(t, tt.field, se.Field, "field of %v", err)
			assert.Contains(t, err.Error(), "calendar: ")
		})
	}
}

func TestSpecAccepts(t *testing.T) {
	for name, spec := range map[string]calendar.Spec{
		"full day names":  {Timezone: "UTC", Hours: map[string][]string{"Monday": {"09:00-17:00"}, "TUESDAY": {"09:00-17:00"}}},
		"wrapping range":  {Timezone: "UTC", Hours: map[string][]string{"fri-mon": {"09:00-17:00"}}},
		"touching ranges": {Timezone: "UTC", Hours: map[string][]string{"mon": {"12:00-13:00", "09:00-12:00"}}},
		"24:00 end":       {Timezone: "UTC", Hours: map[string][]string{"sat": {"22:00-24:00"}, "sun": {"00:00-06:00"}}},
		"subdivision":     {Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"de-by", "DE"}},
		"every set":       {Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: calendar.HolidaySets()},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := calendar.New(spec)
			require.NoError(t, err)
		})
	}
	// Touching ranges are one stretch of open time.
	c := calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"daily": {"12:00-13:00", "09:00-12:00"}}})
	assert.Equal(t, "2026-03-02T13:00:00Z", rfc(c.NextClose(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))))
	// A weekend shift across midnight: Saturday 22:00 to Sunday 06:00 is one stretch.
	c = calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"sat": {"22:00-24:00"}, "sun": {"00:00-06:00"}}})
	assert.Equal(t, "2026-03-08T06:00:00Z", rfc(c.NextClose(time.Date(2026, 3, 7, 23, 0, 0, 0, time.UTC))))
	assert.Equal(t, 8*time.Hour, c.Between(time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)))
}

func TestHolidaySets(t *testing.T) {
	sets := calendar.HolidaySets()
	assert.True(t, slices.IsSorted(sets))
	for _, want := range []string{"us", "br", "de", "de-by", "ch-zh", "au-nsw", "gb", "it", "es", "lv", "ecb"} {
		assert.Contains(t, sets, want)
	}
	// Regional holidays: Epiphany (6 Jan) is a holiday in Bavaria, not in Berlin.
	by := calendar.MustNew(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"de-by"}})
	be := calendar.MustNew(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"de-be"}})
	epiphany := time.Date(2026, 1, 6, 10, 0, 0, 0, by.Location())
	assert.False(t, by.IsOpen(epiphany))
	assert.True(t, be.IsOpen(epiphany))
	// Good Friday and Christmas close both.
	assert.False(t, be.IsOpen(time.Date(2026, 4, 3, 10, 0, 0, 0, be.Location())))
	assert.False(t, be.IsOpen(time.Date(2026, 12, 25, 10, 0, 0, 0, be.Location())))
	// Observed across the year: 1 Jan 2028 is a Saturday, observed Friday 31 Dec 2027.
	us := calendar.MustNew(nyDesk)
	assert.False(t, us.IsOpen(time.Date(2027, 12, 31, 10, 0, 0, 0, us.Location())))
	// Years outside 1970-2099 do not apply rule-based sets; explicit dates apply any year.
	assert.True(t, us.IsOpen(time.Date(2100, 12, 24, 10, 0, 0, 0, us.Location())))
	old := calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2150-03-02"}})
	assert.False(t, old.IsOpen(time.Date(2150, 3, 2, 10, 0, 0, 0, time.UTC)))
}

// Compiling the same spec twice, listing holidays in another order, or loading the zone again
// changes nothing: there is no shared state.
func TestNoSharedState(t *testing.T) {
	a := calendar.MustNew(calendar.Spec{Timezone: "America/New_York", Hours: nyDesk.Hours, Holidays: []string{"us", "2026-12-24", "2026-12-31"}})
	b := calendar.MustNew(calendar.Spec{Timezone: "America/New_York", Hours: nyDesk.Hours, Holidays: []string{"2026-12-31", "us", "2026-12-24", "us"}})
	ny := mustLoc(t, "America/New_York")
	for h := 0; h < 24*400; h += 7 {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, ny).Add(time.Duration(h) * time.Hour)
		require.Equal(t, a.IsOpen(at), b.IsOpen(at), "IsOpen(%s)", rfc(at))
		require.Equal(t, rfc(a.Add(at, 13*time.Hour)), rfc(b.Add(at, 13*time.Hour)), "Add(%s)", rfc(at))
	}
}

// A compiled calendar is shared by many goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	c := calendar.MustNew(spDesk)
	var wg sync.WaitGroup
	results := make([]string, 8)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := time.Date(2026, 3, 2, 9, 0, 0, 0, c.Location())
			var d time.Duration
			for i := range 2000 {
				u := c.Add(at, time.Duration(i)*time.Minute)
				d += c.Between(at, u)
				_ = c.NextOpen(u)
				_ = c.NextClose(u)
			}
			results[g] = d.String()
		}()
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, results[0], r)
	}
}
