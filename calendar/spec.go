package calendar

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Spec is the declarative form of a business calendar, as written in a policy document.
//
// Hours maps day names to lists of open ranges. Keys are day names ("mon" .. "sun", or the
// full English names), ranges of days ("mon-fri", wrapping around the week as in "fri-mon"),
// or "daily". A day may be named by one key only. Ranges are "HH:MM-HH:MM" in the calendar's
// wall-clock time, start before end, end up to "24:00"; ranges of one day must not overlap
// (touching ranges such as "09:00-12:00" and "12:00-13:00" are joined). An empty list, or a day
// no key names, is closed.
//
// Holidays lists holiday sets by code ("us", "br", "de", "de-by", "ch-zh", "au-nsw", ...; see
// [HolidaySets]), single dates ("2026-12-24"), dates every year ("12-24", from 1970 to 2099)
// inclusive ranges of dates ("2026-08-03..2026-08-14", a closure such as a summer
// shutdown; at most 36,600 days in all, holiday files included), and iCalendar files
// ("holidays.ics", read with the reader given by [WithHolidayFiles]). A holiday closes its whole local date; a set closes
// the observed date of each of its holidays.
//
// Overrides maps dates ("2026-12-24") to the ranges open on that date. An override replaces
// whatever the date would otherwise have, holiday or not; an empty list closes the date.
type Spec struct {
	Timezone  string              `yaml:"timezone" json:"timezone"`
	Hours     map[string][]string `yaml:"hours,omitempty" json:"hours,omitempty"`
	Holidays  []string            `yaml:"holidays,omitempty" json:"holidays,omitempty"`
	Overrides map[string][]string `yaml:"overrides,omitempty" json:"overrides,omitempty"`
}

// Sentinel errors wrapped by [SpecError]; test for them with [errors.Is].
var (
	// ErrUnknownZone reports a Timezone that is empty, "Local" (in any
	// case), or not a zone [time.LoadLocation] can load.
	ErrUnknownZone = errors.New("unknown time zone")
	// ErrBadRange reports an hours or overrides range that is not
	// "HH:MM-HH:MM" with times between 00:00 and 24:00 (24:00 only as
	// the end).
	ErrBadRange = errors.New(`malformed range, want "HH:MM-HH:MM" between 00:00 and 24:00`)
	// ErrReversedRange reports a range that ends at or before its start.
	ErrReversedRange = errors.New("range ends before it starts")
	// ErrOverlap reports two ranges of one day's list that overlap.
	ErrOverlap = errors.New("ranges overlap")
	// ErrDuplicateDay reports a weekday named by two keys of Hours.
	ErrDuplicateDay = errors.New("day named twice")
	// ErrUnknownDay reports a key of Hours that is not a day name, a range
	// of days ("mon-fri"), daily or everyday.
	ErrUnknownDay = errors.New("unknown day name")
	// ErrUnknownHolidaySet reports a Holidays entry that is not a date (it
	// does not start with a digit) nor an .ics file, and names no known
	// holiday set.
	ErrUnknownHolidaySet = errors.New("unknown holiday set")
	// ErrBadDate reports a Holidays or Overrides date that cannot be read
	// or does not exist, a range of dates that ends before it starts, or
	// ranges of dates that add up to more than 36,600 days.
	ErrBadDate = errors.New("impossible date")
	// ErrNoOpenTime reports a week with no open time (only when the Spec
	// has no other problem).
	ErrNoOpenTime = errors.New("no open time in the week")
	// ErrHolidayFile reports a holiday file that cannot be used: files
	// are not allowed (no [WithHolidayFiles]), the file cannot be read,
	// it holds an impossible date, or its closures add up to more than
	// 36,600 days.
	ErrHolidayFile = errors.New("cannot use holiday file")
)

// SpecError describes one problem of a [Spec]. Field is a path into the spec in its YAML
// spelling ("timezone", "hours.mon-fri[1]", "holidays[2]", "overrides.2026-12-24[0]"), Value
// the offending text, and Err one of the package's sentinel errors.
type SpecError struct {
	Field string
	Value string
	Err   error
}

// Error prints "calendar: field: "value": problem".
func (e *SpecError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("calendar: %s: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("calendar: %s: %q: %v", e.Field, e.Value, e.Err)
}

// Unwrap returns the sentinel error.
func (e *SpecError) Unwrap() error { return e.Err }

// SpecErrors is every problem found in a [Spec], in a stable order (timezone, hours by key,
// holidays by index, overrides by date).
type SpecErrors []*SpecError

// Error prints the first problem and how many more there are.
func (l SpecErrors) Error() string {
	switch len(l) {
	case 0:
		return "calendar: no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	b.WriteString(l[0].Error())
	fmt.Fprintf(&b, " (and %d more errors)", len(l)-1)
	return b.String()
}

// Unwrap returns the individual errors, so that [errors.Is] and [errors.As] see each of them.
func (l SpecErrors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// window is a half-open range of wall-clock time within one local date, in nanoseconds since
// the date's midnight: [open, close), 0 <= open < close <= dayNanos.
type window struct{ open, close int64 }

const (
	dayNanos  = int64(24 * time.Hour)
	daySecs   = int64(24 * 60 * 60)
	minuteNS  = int64(time.Minute)
	maxWeekNS = 7 * dayNanos
)

var dayNames = [...]struct {
	short, long string
}{
	{"sun", "sunday"}, {"mon", "monday"}, {"tue", "tuesday"}, {"wed", "wednesday"},
	{"thu", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
}

func parseDay(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range dayNames {
		if s == n.short || s == n.long {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// parseDays turns an hours key into the weekdays it names.
func parseDays(key string) ([]time.Weekday, bool) {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == "daily" || k == "everyday" {
		return []time.Weekday{0, 1, 2, 3, 4, 5, 6}, true
	}
	if from, to, ok := strings.Cut(k, "-"); ok {
		a, ok1 := parseDay(from)
		b, ok2 := parseDay(to)
		if !ok1 || !ok2 {
			return nil, false
		}
		var out []time.Weekday
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				return out, true
			}
		}
	}
	d, ok := parseDay(k)
	if !ok {
		return nil, false
	}
	return []time.Weekday{d}, true
}

// parseClock parses "HH:MM" (00:00 to 24:00) into nanoseconds since midnight.
func parseClock(s string) (int64, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	for _, c := range s[:2] + s[3:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return int64(h)*int64(time.Hour) + int64(m)*minuteNS, true
}

// parseRange parses "HH:MM-HH:MM".
func parseRange(s string) (window, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return window{}, ErrBadRange
	}
	o, ok1 := parseClock(strings.TrimSpace(a))
	c, ok2 := parseClock(strings.TrimSpace(b))
	if !ok1 || !ok2 || o == dayNanos {
		return window{}, ErrBadRange
	}
	if c <= o {
		return window{}, ErrReversedRange
	}
	return window{o, c}, nil
}

// parseRanges parses and checks a list of ranges for one day, reporting problems under field.
// The result is sorted with touching ranges joined.
func parseRanges(field string, list []string, errs *SpecErrors) []window {
	ws := make([]window, 0, len(list))
	idx := make([]int, 0, len(list))
	bad := false
	for i, s := range list {
		w, err := parseRange(s)
		if err != nil {
			*errs = append(*errs, &SpecError{Field: fmt.Sprintf("%s[%d]", field, i), Value: s, Err: err})
			bad = true
			continue
		}
		ws = append(ws, w)
		idx = append(idx, i)
	}
	if bad {
		return nil
	}
	order := make([]int, len(ws))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return ws[order[i]].open < ws[order[j]].open })
	out := make([]window, 0, len(ws))
	for k, oi := range order {
		w := ws[oi]
		if k > 0 {
			prev := ws[order[k-1]]
			if w.open < prev.close {
				*errs = append(*errs, &SpecError{Field: fmt.Sprintf("%s[%d]", field, idx[oi]), Value: list[idx[oi]],
					Err: fmt.Errorf("%w with %q", ErrOverlap, list[idx[order[k-1]]])})
				return nil
			}
			if w.open == out[len(out)-1].close {
				out[len(out)-1].close = w.close
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// parseDate parses "YYYY-MM-DD" into a day number, rejecting impossible dates.
func parseDate(s string) (int64, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return 0, false
	}
	y, m, d := t.Date()
	return daysFromCivil(int64(y), int(m), d), true
}

// validDate reports whether month m of year y has a day d.
func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// maxClosureDays bounds the days that the closure ranges of one Spec may name together.
const maxClosureDays = 36600

// entryKind tells the forms of a Spec.Holidays entry apart.
type entryKind int

const (
	entrySet    entryKind = iota // a holiday set code: "br"
	entryDate                    // one date: "2026-12-24"
	entryYearly                  // a date every year: "12-24"
	entryRange                   // the dates of an inclusive range: "2026-08-03..2026-08-14"
	entryFile                    // a holiday file: "holidays.ics"
)

// holidayEntry is a parsed Spec.Holidays entry.
type holidayEntry struct {
	kind     entryKind
	set      *holidaySet // entrySet
	from, to int64       // entryDate, entryRange: day numbers
	month    int         // entryYearly
	mday     int         // entryYearly
}

// parseHolidayEntry parses a lower-cased, trimmed Spec.Holidays entry.
func parseHolidayEntry(s string) (holidayEntry, error) {
	if strings.HasSuffix(s, ".ics") {
		return holidayEntry{kind: entryFile}, nil
	}
	if len(s) == 0 || s[0] < '0' || s[0] > '9' {
		set, ok := lookupSet(s)
		if !ok {
			return holidayEntry{}, ErrUnknownHolidaySet
		}
		return holidayEntry{kind: entrySet, set: set}, nil
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		from, ok1 := parseDate(a)
		to, ok2 := parseDate(b)
		switch {
		case !ok1 || !ok2:
			return holidayEntry{}, fmt.Errorf(`%w: want a range "YYYY-MM-DD..YYYY-MM-DD"`, ErrBadDate)
		case to < from:
			return holidayEntry{}, fmt.Errorf("%w: the range ends before it starts", ErrBadDate)
		}
		return holidayEntry{kind: entryRange, from: from, to: to}, nil
	}
	if len(s) == 5 && s[2] == '-' {
		m, err1 := strconv.Atoi(s[:2])
		d, err2 := strconv.Atoi(s[3:])
		if err1 != nil || err2 != nil || !validDate(2000, m, d) || s[0] == '+' || s[3] == '+' {
			return holidayEntry{}, fmt.Errorf(`%w: want a date "MM-DD" every year`, ErrBadDate)
		}
		return holidayEntry{kind: entryYearly, month: m, mday: d}, nil
	}
	day, ok := parseDate(s)
	if !ok {
		return holidayEntry{}, ErrBadDate
	}
	return holidayEntry{kind: entryDate, from: day}, nil
}

// sortedKeys returns the keys of m in order, so that errors come out in a stable order.
func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
