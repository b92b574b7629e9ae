// Package ics reads holidays from iCalendar (.ics) files, such as the exports of HR and shared
// calendars, for [calendar.WithHolidayFiles].
//
// Every event of a file closes the dates it covers: an all-day event (DTSTART;VALUE=DATE)
// closes its date, or the dates up to its DTEND (exclusive) or through its DURATION in days; an
// event repeating every year (RRULE:FREQ=YEARLY, with nothing else) closes its dates every year
// from 1970 to 2099. Cancelled events (STATUS:CANCELLED) are skipped. Events with a time of day,
// other repetition rules and files over 4 MiB are errors naming the event: a holiday file closes
// whole dates, and slakit would rather refuse an event than guess what it means.
//
// This package is the only one that knows the iCalendar library (github.com/arran4/golang-ical).
package ics

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/slakit/slakit/calendar"
)

// MaxBytes is the largest file Parse reads.
const MaxBytes = 4 << 20

// maxEventDays bounds one event: a closure of a year at most.
const maxEventDays = 366

// Dir returns a reader for [calendar.WithHolidayFiles] that opens the named files in fsys, for
// example os.DirFS of the directory of the policy file. Names are slash-separated paths
// within fsys; fs.FS refuses names that leave it ("../x.ics").
func Dir(fsys fs.FS) func(name string) ([]calendar.FileHoliday, error) {
	return func(name string) ([]calendar.FileHoliday, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return Parse(f)
	}
}

// Parse reads an iCalendar stream and returns the dates its events close.
func Parse(r io.Reader) ([]calendar.FileHoliday, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxBytes {
		return nil, fmt.Errorf("larger than %d bytes", MaxBytes)
	}
	cal, err := ical.ParseCalendar(strings.NewReader(string(src)))
	if err != nil {
		return nil, fmt.Errorf("not an iCalendar file: %v", err)
	}
	var out []calendar.FileHoliday
	for i, ev := range cal.Events() {
		h, ok, err := holiday(ev)
		if err != nil {
			return nil, fmt.Errorf("event %d (%s): %v", i+1, describe(ev), err)
		}
		if ok {
			out = append(out, h)
		}
	}
	return out, nil
}

// value returns a property's value and VALUE parameter.
func value(ev *ical.VEvent, p ical.ComponentProperty) (string, string, bool) {
	prop := ev.GetProperty(p)
	if prop == nil {
		return "", "", false
	}
	var kind string
	if v := prop.ICalParameters["VALUE"]; len(v) > 0 {
		kind = strings.ToUpper(v[0])
	}
	return strings.TrimSpace(prop.Value), kind, true
}

// describe names an event for an error: its summary and start as written, each cut to a
// readable length.
func describe(ev *ical.VEvent) string {
	summary, _, _ := value(ev, ical.ComponentPropertySummary)
	start, _, _ := value(ev, ical.ComponentPropertyDtStart)
	return fmt.Sprintf("%q, DTSTART %s", cut(unescape(summary)), cut(start))
}

// cut shortens s to at most 60 runes.
func cut(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// holiday turns one event into the dates it closes; false for a cancelled event.
func holiday(ev *ical.VEvent) (calendar.FileHoliday, bool, error) {
	if st, _, _ := value(ev, ical.ComponentPropertyStatus); strings.EqualFold(st, "CANCELLED") {
		return calendar.FileHoliday{}, false, nil
	}
	start, kind, ok := value(ev, ical.ComponentPropertyDtStart)
	if !ok {
		return calendar.FileHoliday{}, false, errors.New("no DTSTART")
	}
	first, ok := parseDate(start)
	if !ok || (kind != "" && kind != "DATE") {
		return calendar.FileHoliday{}, false, errors.New("not an all-day event (want DTSTART;VALUE=DATE:YYYYMMDD)")
	}
	days := 1
	if end, _, ok := value(ev, ical.ComponentPropertyDtEnd); ok {
		last, ok := parseDate(end)
		if !ok {
			return calendar.FileHoliday{}, false, fmt.Errorf("DTEND %q: want a date YYYYMMDD", cut(end))
		}
		days = int(math.Round(last.Sub(first).Hours() / 24))
	} else if dur, _, ok := value(ev, ical.ComponentPropertyDuration); ok {
		n, ok := parseDays(dur)
		if !ok {
			return calendar.FileHoliday{}, false, fmt.Errorf("DURATION %q: want whole days such as P1D or P2W", cut(dur))
		}
		days = n
	}
	if days < 1 || days > maxEventDays {
		return calendar.FileHoliday{}, false, fmt.Errorf("lasts %d days: want 1 to %d", days, maxEventDays)
	}
	summary, _, _ := value(ev, ical.ComponentPropertySummary)
	h := calendar.FileHoliday{Name: unescape(summary), Year: first.Year(), Month: first.Month(), Day: first.Day(), Days: days}
	if rule, _, ok := value(ev, ical.ComponentPropertyRrule); ok {
		if !strings.EqualFold(rule, "FREQ=YEARLY") {
			return calendar.FileHoliday{}, false, fmt.Errorf("RRULE %q: only FREQ=YEARLY is understood; list the dates instead", cut(rule))
		}
		h.Year = 0
	}
	return h, true, nil
}

// parseDate parses an iCalendar DATE, YYYYMMDD.
func parseDate(s string) (time.Time, bool) {
	if len(s) != 8 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", s)
	return t, err == nil
}

// parseDays parses a DURATION of whole days or weeks: P1D, P2W.
func parseDays(s string) (int, bool) {
	if len(s) < 3 || s[0] != 'P' {
		return 0, false
	}
	n, err := strconv.Atoi(s[1 : len(s)-1])
	if err != nil || n < 0 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'D':
		return n, true
	case 'W':
		return 7 * n, n <= maxEventDays
	}
	return 0, false
}

// unescape undoes iCalendar TEXT escapes: \, \; \\ \n.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\\`, `\`, `\n`, " ", `\N`, " ").Replace(s)
}
