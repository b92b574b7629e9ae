// Package wallclock places a wall-clock time, read without a UTC offset,
// in a time zone, the same way wherever slakit reads one (the deadline
// command, the ServiceNow importer).
package wallclock

import "time"

// In returns the instant whose wall clock in loc is w's in UTC (w is a
// wall-clock time read as if in UTC). Where clocks skip that wall clock
// (the gap when they spring forward), it is read with the offset in force
// before the gap, so it moves forward by the gap's length (02:30 on
// Berlin's spring-forward night is 03:30 CEST); where they repeat it (when
// they fall back), it is the earlier of the two instants (02:30 on
// Berlin's fall-back night is 02:30 CEST). time.Date guarantees neither.
func In(w time.Time, loc *time.Location) time.Time {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if d := wallOf(t).Sub(w); d < 0 {
		// In a gap, read with the offset after it: t lies before the gap
		// and its wall clock came out the gap's length early.
		return t.Add(-d)
	} else if d > 0 {
		return t // in a gap, read with the offset before it
	}
	// A repeated wall clock: the offset of the period before t's may give
	// it too, at an earlier instant.
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, before := start.Add(-time.Nanosecond).Zone()
	u := w.Add(-time.Duration(before) * time.Second).In(loc)
	if u.Before(t) && wallOf(u).Equal(w) {
		return u
	}
	return t
}

// wallOf returns t's wall clock in its location, as the same wall clock in
// UTC.
func wallOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
