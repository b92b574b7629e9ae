package calendar

import (
	"fmt"
	"sort"
	"time"
)

// closure is a local date closed by a holiday entry or an empty override.
type closure struct {
	day          int64
	name, source string
}

// Closure is a local date that a holiday, a closure or an override closes.
type Closure struct {
	// Date is the start of the local date in the calendar's zone: its midnight, or the first
	// instant of the date where a clock change skips midnight.
	Date time.Time
	// Name is the holiday's name for a date from a holiday set, "holiday" for a date or a
	// yearly date, "closure" for a range of dates, and "override" for an override with no
	// hours.
	Name string
	// Source is the entry that closes the date: the holidays entry as written ("br",
	// "12-24", "2026-08-03..2026-08-14") or "overrides.2026-03-11".
	Source string
}

// Closures returns the local dates that start before to and end after from (whole dates, in
// the calendar's zone) and are closed by a holiday, a closure or an override, in date order.
// A date closed by several entries is listed once, under the first holiday entry that names
// it, else as an override; a holiday that an override opens is not listed. Dates that a
// holiday closes are listed whether or not the weekly hours would have opened them.
func (c *Calendar) Closures(from, to time.Time) []Closure {
	if c.always() || !from.Before(to) {
		return nil
	}
	p, _ := c.wall(from)
	q, _ := c.wall(to)
	last := q.day // exclusive
	if q.tod > 0 {
		last++
	}
	i := sort.Search(len(c.closed), func(k int) bool { return c.closed[k].day >= p.day })
	var out []Closure
	for ; i < len(c.closed) && c.closed[i].day < last; i++ {
		cl := c.closed[i]
		if len(c.nom.windows(cl.day)) > 0 {
			continue // opened by an override
		}
		out = append(out, Closure{Date: c.firstAt(pos{cl.day, 0}), Name: cl.name, Source: cl.source})
	}
	return out
}

// Hours returns the open ranges of weekday d in a regular week, "HH:MM-HH:MM" in order, with
// touching ranges joined; none when the day is closed. An always-open calendar is open
// "00:00-24:00".
func (c *Calendar) Hours(d time.Weekday) []string {
	if c.always() {
		return []string{"00:00-24:00"}
	}
	ws := c.nom.week[d%7]
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = clock(w.open) + "-" + clock(w.close)
	}
	return out
}

// clock formats nanoseconds since midnight as "HH:MM".
func clock(ns int64) string {
	m := ns / minuteNS
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
