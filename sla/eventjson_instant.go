package sla

import (
	"encoding/binary"
	"math"
	"time"
)

// parseInstant parses an RFC 3339 instant exactly as
// time.Time.UnmarshalText does, with a shortcut for the form of nearly
// every event, 2006-01-02T15:04:05Z or 2006-01-02T15:04:05-07:00 (no
// fraction of a second): the fields are checked against the same ranges,
// and the result is in the same location. Like UnmarshalText, that is
// time.UTC for "Z", the process's local zone when the offset is the local
// zone's at that instant, and otherwise a zone fixed at the offset. Any
// other form goes to UnmarshalText.
func parseInstant(b []byte) (time.Time, error) {
	if t, ok := parseInstantShort(b); ok {
		return t, nil
	}
	var t time.Time
	err := t.UnmarshalText(b)
	return t, err
}

func parseInstantShort(s []byte) (time.Time, bool) {
	t, _, ok := parseInstantFields(s)
	return t, ok
}

// parseInstantFields is parseInstantShort; it also returns the seconds
// of the time of day (hour, minute, second) in s.
func parseInstantFields(s []byte) (time.Time, int64, bool) {
	if len(s) != len("2006-01-02T15:04:05Z") && len(s) != len("2006-01-02T15:04:05-07:00") {
		return time.Time{}, 0, false
	}
	b := (*[20]byte)(s)
	clock, ok := timeOfDay(b)
	if !ok || b[4] != '-' || b[7] != '-' {
		return time.Time{}, 0, false
	}
	year, ok1 := digits4(b[0], b[1], b[2], b[3])
	month, ok2 := digits2(b[5], b[6])
	day, ok3 := digits2(b[8], b[9])
	if !(ok1 && ok2 && ok3) || month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year) {
		return time.Time{}, 0, false
	}
	unix := civilDays(year, month, day)*86400 + clock
	if len(s) == len("2006-01-02T15:04:05Z") {
		if b[19] != 'Z' {
			return time.Time{}, 0, false
		}
		return time.Unix(unix, 0).UTC(), clock, true
	}
	z := (*[25]byte)(s)
	zh, ok1 := digits2(z[20], z[21])
	zm, ok2 := digits2(z[23], z[24])
	if !ok1 || !ok2 || zh > 23 || zm > 59 || z[22] != ':' || z[19] != '+' && z[19] != '-' {
		return time.Time{}, 0, false
	}
	offset := (zh*60 + zm) * 60
	if z[19] == '-' {
		offset = -offset
	}
	t := time.Unix(unix-int64(offset), 0) // in the local zone
	if _, local := t.Zone(); local == offset {
		return t.In(t.Location()), clock, true // as UnmarshalText sets it (a local zone of UTC is held as UTC)
	}
	return t.In(time.FixedZone("", offset)), clock, true
}

// timeOfDay returns the seconds of the time of day of b, a date and time
// such as 2006-01-02T15:04:05, when its "T15:04:05" part is valid.
func timeOfDay(b *[20]byte) (int64, bool) {
	// "15:04:05" read as one number: the digits' high nibbles must be 3
	// and their low ones at most 9 (adding 6 carries none of them over),
	// and the colons are colons.
	const (
		pattern = 0x3030_3a30_303a_3030 // "00:00:00", little-endian
		high    = 0xf0f0_fff0_f0ff_f0f0
		low     = 0x0f0f_000f_0f00_0f0f
	)
	x := binary.LittleEndian.Uint64(b[11:])
	d := x & low
	if b[10] != 'T' || x&high != pattern || (d+0x0606_0006_0600_0606)&high != 0 {
		return 0, false
	}
	v := d*10 + d>>8 // at bytes 0, 3 and 6: tens*10 + units, at most 99
	hour, minute, sec := int64(v&0xff), int64(v>>24&0xff), int64(v>>48&0xff)
	if hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	return hour*3600 + minute*60 + sec, true
}

// instantCache remembers, for the last dates and UTC offsets an events
// reader met, what parseInstantShort works out from them: the Unix
// seconds of the date's midnight at the offset, and the location the
// instant gets. That location is UTC for "Z"; for an offset, it is the
// local zone or a fixed zone according as the local zone's offset at the
// instant is the same, which holds for all the instants of one zone of
// the local location (time.Time.ZoneBounds): the cache keeps those bounds
// and works the location out again outside them. An instant of a cached
// date and offset then costs the check of its time of day.
//
// The cache reads time.Local when it fills an entry, so the local zone
// must not change while it is in use (nothing may change time.Local while
// another goroutine reads times anyway).
type instantCache [16]instantEntry

type instantEntry struct {
	date uint64         // the date's first eight bytes, "2006-01-"; zero for an empty entry
	rest uint64         // its last two bytes, then the zone: "Z" or "-07:00"
	base int64          // Unix seconds of the date's midnight at the offset
	loc  *time.Location // where the instant goes
	lo   int64          // Unix seconds from which loc holds
	hi   int64          // and up to which (excluded)
}

// instantKey returns the key of the date and zone of s, an instant of
// the form 2006-01-02T15:04:05Z or 2006-01-02T15:04:05-07:00.
func instantKey(s []byte) (date, rest uint64) {
	date = binary.LittleEndian.Uint64(s)
	rest = uint64(binary.LittleEndian.Uint16(s[8:]))
	if len(s) == len("2006-01-02T15:04:05Z") {
		return date, rest | uint64(s[19])<<16
	}
	return date, rest | binary.LittleEndian.Uint64(s[17:])&^0xffff // the zone's six bytes over the seconds
}

// parse is parseInstant through the cache; a nil cache is none.
func (c *instantCache) parse(s []byte) (time.Time, error) {
	if c == nil || len(s) != len("2006-01-02T15:04:05Z") && len(s) != len("2006-01-02T15:04:05-07:00") {
		return parseInstant(s)
	}
	date, rest := instantKey(s)
	e := &c[(date^rest)*0x9e3779b97f4a7c15>>60]
	if e.date == date && e.rest == rest {
		if clock, ok := timeOfDay((*[20]byte)(s)); ok {
			if unix := e.base + clock; e.lo <= unix && unix < e.hi {
				return time.Unix(unix, 0).In(e.loc), nil
			}
		}
	}
	t, clock, ok := parseInstantFields(s)
	if !ok {
		var t time.Time
		err := t.UnmarshalText(s)
		return t, err
	}
	unix := t.Unix()
	*e = instantEntry{date: date, rest: rest, base: unix - clock, loc: t.Location(), lo: math.MinInt64, hi: math.MaxInt64}
	if s[19] != 'Z' { // the bounds of the local zone at the instant
		start, end := time.Unix(unix, 0).ZoneBounds()
		if !start.IsZero() {
			e.lo = start.Unix()
		}
		if !end.IsZero() {
			e.hi = end.Unix()
		}
	}
	return t, nil
}

// digits2 returns the number of two decimal digits.
func digits2(a, b byte) (int, bool) {
	a, b = a-'0', b-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

// digits4 returns the number of four decimal digits.
func digits4(a, b, c, d byte) (int, bool) {
	hi, ok1 := digits2(a, b)
	lo, ok2 := digits2(c, d)
	return hi*100 + lo, ok1 && ok2
}

// daysInMonth returns the number of days of the month in the proleptic
// Gregorian calendar.
func daysInMonth(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDays returns the days from 1970-01-01 to the date (year 0 to 9999,
// proleptic Gregorian calendar), after Howard Hinnant's days_from_civil.
func civilDays(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400                     // [0, 399]
	mp := (int64(month) + 9) % 12          // March is 0
	doy := (153*mp+2)/5 + int64(day) - 1   // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}
