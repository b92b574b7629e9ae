package policy

import (
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
)

// The keys of an SLA policy beyond its targets: validity dates.

// validity reads valid: {from: DATE, until: DATE}, dates in the zone of
// cal (UTC when nil); until is inclusive, so the instant returned is the
// start of the next day.
func (c *compiler) validity(n *node, field string, cal *calendar.Calendar) (from, until time.Time) {
	loc := time.UTC
	if cal != nil {
		loc = cal.Location()
	}
	f := c.fields(n, field, "the validity dates (from, until)", "from", "until")
	date := func(k string) (time.Time, *node) {
		v, ok := f[k]
		if !ok {
			return time.Time{}, nil
		}
		r := c.resolve(v.val)
		if r == nil {
			return time.Time{}, nil
		}
		if !isScalar(r) || (r.Tag != "!!str" && r.Tag != "!!timestamp") {
			c.errf(r, field+"."+k, ErrField, "want a date such as 2026-01-31, got %s", kindName(r))
			return time.Time{}, nil
		}
		d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(r.Value), loc)
		if err != nil {
			c.errf(r, field+"."+k, ErrValue, "bad date %s: want YYYY-MM-DD", q(r.Value))
			return time.Time{}, nil
		}
		return d, r
	}
	from, _ = date("from")
	u, un := date("until")
	if !u.IsZero() {
		until = time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, loc)
	}
	if !from.IsZero() && !until.IsZero() && !from.Before(until) {
		c.errf(un, field+".until", ErrValue, "until %s is before from %s", u.Format(time.DateOnly), from.Format(time.DateOnly))
		return time.Time{}, time.Time{}
	}
	if r := c.resolve(n); r != nil && isMap(r) && len(r.Content) == 0 {
		c.errf(r, field, ErrField, "valid needs from, until or both")
	}
	return from, until
}
