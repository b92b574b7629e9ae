package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
)

// The keys of an SLA policy beyond its targets: pauses per metric,
// validity dates.

// pauseOn reads pause_on: a list of the statuses that pause resolution,
// or a map from built-in metric to such a list.
func (c *compiler) pauseOn(n *node, field string) ([]sla.Status, map[sla.Metric][]sla.Status) {
	if r := c.resolve(n); r == nil || !isMap(r) {
		return c.pauseStatuses(n, field, sla.Resolution), nil
	}
	out := map[sla.Metric][]sla.Status{}
	for _, e := range c.pairs(n, field, "statuses by metric") {
		mf := field + "." + e.name
		if !isBuiltin(e.name) {
			c.errf(e.key, mf, ErrValue, "%s is not a built-in metric (want first_response, next_response, periodic_update or resolution; a custom metric has its own pause condition)", q(e.name))
			continue
		}
		out[sla.Metric(e.name)] = c.pauseStatuses(e.val, mf, sla.Metric(e.name))
	}
	return nil, out
}

// pauseStatuses reads the statuses that pause metric m.
func (c *compiler) pauseStatuses(n *node, field string, m sla.Metric) []sla.Status {
	out := []sla.Status{}
	for j, st := range c.list(n, field, "statuses") {
		sf := fmt.Sprintf("%s[%d]", field, j)
		s, good := c.name(st, sf, "a status")
		if !good {
			continue
		}
		switch sla.Status(s) {
		case sla.StatusNew, sla.StatusOpen, sla.StatusPending, sla.StatusOnHold:
			out = append(out, sla.Status(s))
		default:
			c.errf(st, sf, ErrValue, "status %s cannot pause the %s clock (want new, open, pending or on_hold)", q(s), m)
		}
	}
	return out
}

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
