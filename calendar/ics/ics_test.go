package ics_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/calendar/ics"
)

func TestParse(t *testing.T) {
	f, err := os.Open("testdata/holidays.ics")
	require.NoError(t, err)
	defer f.Close()
	got, err := ics.Parse(f)
	require.NoError(t, err)
	assert.Equal(t, []calendar.FileHoliday{
		{Name: "Summer shutdown, all offices", Year: 2026, Month: time.August, Day: 3, Days: 12},
		{Name: "Christmas Eve", Year: 0, Month: time.December, Day: 24, Days: 1},
		{Name: "Company day", Year: 2026, Month: time.October, Day: 16, Days: 1},
		{Name: "Bridge day", Year: 2027, Month: time.January, Day: 2, Days: 1},
	}, got, "DTEND is exclusive; the cancelled event is skipped")
}

// event wraps VEVENT lines into a calendar.
func event(lines ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n" +
		strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, err string
	}{
		{"timed event", event("DTSTART:20261016T090000Z", "SUMMARY:Offsite"), `event 1 ("Offsite", DTSTART 20261016T090000Z): not an all-day event`},
		{"weekly rule", event("DTSTART;VALUE=DATE:20261016", "RRULE:FREQ=WEEKLY", "SUMMARY:Fridays"), `RRULE "FREQ=WEEKLY": only FREQ=YEARLY`},
		{"bad end", event("DTSTART;VALUE=DATE:20261016", "DTEND;VALUE=DATE:2026-10-17"), `DTEND "2026-10-17"`},
		{"end before start", event("DTSTART;VALUE=DATE:20261016", "DTEND;VALUE=DATE:20261010"), "lasts -6 days"},
		{"too long", event("DTSTART;VALUE=DATE:20260101", "DURATION:P400D"), "lasts 400 days"},
		{"hours", event("DTSTART;VALUE=DATE:20260101", "DURATION:PT8H"), `DURATION "PT8H"`},
		{"no start", event("SUMMARY:Nothing"), "no DTSTART"},
		{"not ical", "hello\n", "not an iCalendar file"},
		{"too large", strings.Repeat("x", ics.MaxBytes+1), "larger than"},
		{"long summary cut", event("SUMMARY:" + strings.Repeat("a", 5000)), `"` + strings.Repeat("a", 57) + `...", DTSTART ): no DTSTART`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ics.Parse(strings.NewReader(tt.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

func TestCalendarWithFile(t *testing.T) {
	spec := calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"de-be", "holidays.ics"}}
	c, err := calendar.New(spec, calendar.WithHolidayFiles(ics.Dir(os.DirFS("testdata"))))
	require.NoError(t, err)
	berlin := c.Location()
	assert.False(t, c.IsOpen(time.Date(2026, 8, 14, 10, 0, 0, 0, berlin)), "last day of the shutdown")
	assert.True(t, c.IsOpen(time.Date(2026, 8, 17, 10, 0, 0, 0, berlin)))
	assert.False(t, c.IsOpen(time.Date(2029, 12, 24, 10, 0, 0, 0, berlin)), "Christmas Eve every year")
	cl := c.Closures(time.Date(2026, 10, 1, 0, 0, 0, 0, berlin), time.Date(2026, 11, 1, 0, 0, 0, 0, berlin))
	require.Len(t, cl, 2)
	assert.Equal(t, "Tag der Deutschen Einheit", cl[0].Name)
	assert.Equal(t, calendar.Closure{Date: time.Date(2026, 10, 16, 0, 0, 0, 0, berlin), Name: "Company day", Source: "holidays.ics"}.Name, cl[1].Name)
	assert.Equal(t, "holidays.ics", cl[1].Source)

	// Without the option, or with a missing file, the entry is an error naming it.
	_, err = calendar.New(spec)
	require.ErrorIs(t, err, calendar.ErrHolidayFile)
	assert.Contains(t, err.Error(), `calendar: holidays[1]: "holidays.ics": cannot use holiday file: holiday files are read only from a policy loaded from a file`)
	spec.Holidays = []string{"../holidays.ics"}
	_, err = calendar.New(spec, calendar.WithHolidayFiles(ics.Dir(os.DirFS("testdata"))))
	require.ErrorIs(t, err, calendar.ErrHolidayFile)
	assert.Contains(t, err.Error(), "invalid argument")
}

// FuzzParse: any input is parsed or refused, never a panic, and the result is usable.
func FuzzParse(f *testing.F) {
	src, err := os.ReadFile("testdata/holidays.ics")
	require.NoError(f, err)
	f.Add(string(src))
	f.Add(event("DTSTART;VALUE=DATE:20260229"))
	f.Add(event("DTSTART;VALUE=DATE:20261016", "DURATION:P52W"))
	f.Fuzz(func(t *testing.T, s string) {
		hs, err := ics.Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		_, _ = calendar.New(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"daily": {"09:00-17:00"}}, Holidays: []string{"f.ics"}},
			calendar.WithHolidayFiles(func(string) ([]calendar.FileHoliday, error) { return hs, nil }))
	})
}
