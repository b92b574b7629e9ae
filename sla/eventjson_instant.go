package sla

import "time"

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
	if len(s) != len("2006-01-02T15:04:05Z") && len(s) != len("2006-01-02T15:04:05-07:00") {
		return time.Time{}, false
	}
	b := (*[20]byte)(s)
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits4(b[0], b[1], b[2], b[3])
	month, ok2 := digits2(b[5], b[6])
	day, ok3 := digits2(b[8], b[9])
	hour, ok4 := digits2(b[11], b[12])
	minute, ok5 := digits2(b[14], b[15])
	sec, ok6 := digits2(b[17], b[18])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	unix := (civilDays(year, month, day)*24+int64(hour))*3600 + int64(minute)*60 + int64(sec)
	if len(s) == len("2006-01-02T15:04:05Z") {
		if b[19] != 'Z' {
			return time.Time{}, false
		}
		return time.Unix(unix, 0).UTC(), true
	}
	z := (*[25]byte)(s)
	zh, ok1 := digits2(z[20], z[21])
	zm, ok2 := digits2(z[23], z[24])
	if !ok1 || !ok2 || zh > 23 || zm > 59 || z[22] != ':' || z[19] != '+' && z[19] != '-' {
		return time.Time{}, false
	}
	offset := (zh*60 + zm) * 60
	if z[19] == '-' {
		offset = -offset
	}
	t := time.Unix(unix-int64(offset), 0) // in the local zone
	if _, local := t.Zone(); local == offset {
		return t.In(t.Location()), true // as UnmarshalText sets it (a local zone of UTC is held as UTC)
	}
	return t.In(time.FixedZone("", offset)), true
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
