package policy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/duration"
	"github.com/slakit/slakit/sla"
)

// The keys of an SLA policy beyond plain targets: targets in business
// days, pauses per metric, validity dates.

// dayTarget reads a target in business days ("3bd", "2bd@16:00", "eod");
// isDays is false when n is not written as one (then nothing is reported).
// sla.ParseDayTarget has the rules of the text.
func (c *compiler) dayTarget(n *node, field string) (d sla.DayTarget, isDays, ok bool) {
	r := c.resolve(n)
	if r == nil || !isScalar(r) || r.Tag != "!!str" {
		return d, false, false
	}
	v := strings.TrimSpace(r.Value)
	if v != "eod" && !strings.Contains(v, "bd") {
		return d, false, false
	}
	d, err := sla.ParseDayTarget(v)
	var de *sla.DayTargetError
	switch {
	case errors.As(err, &de):
		c.errf(r, field, ErrValue, "bad target %s: %s", q(de.Text), de.Msg)
		return d, true, false
	case err != nil:
		c.errf(r, field, ErrValue, "%v", err)
		return d, true, false
	}
	return d, true, true
}

// targetDuration is a target in business time; a target in days is
// refused with a hint at business days.
func (c *compiler) targetDuration(n *node, field string) (time.Duration, bool) {
	if r := c.resolve(n); r != nil && isScalar(r) && r.Tag == "!!str" && strings.ContainsAny(r.Value, "dD") {
		if _, err := duration.Parse(r.Value); errors.Is(err, duration.ErrDays) {
			c.errf(r, field, ErrValue, "bad duration %s: %v, or business days: 3bd, 2bd@16:00, eod", q(r.Value), err)
			return 0, false
		}
	}
	return c.duration(n, field)
}

// pauseOn reads pause_on: a list of the statuses that pause resolution,
// or a map from built-in metric to such a list; at is its path in
// sla.Config.
func (c *compiler) pauseOn(n *node, field, at string) ([]sla.Status, map[sla.Metric][]sla.Status) {
	if r := c.resolve(n); r == nil || !isMap(r) {
		return c.pauseStatuses(n, field, at), nil
	}
	out := map[sla.Metric][]sla.Status{}
	for _, e := range c.pairs(n, field, "statuses by metric") {
		mf := field + "." + e.name
		c.mark(at+"."+e.name, e.key, mf)
		out[sla.Metric(e.name)] = c.pauseStatuses(e.val, mf, at+"."+e.name)
	}
	return nil, out
}

// pauseStatuses reads a list of statuses that pause a clock; at is its
// path in sla.Config.
func (c *compiler) pauseStatuses(n *node, field, at string) []sla.Status {
	out := []sla.Status{}
	for j, st := range c.list(n, field, "statuses") {
		sf := fmt.Sprintf("%s[%d]", field, j)
		if s, good := c.name(st, sf, "a status"); good {
			c.mark(fmt.Sprintf("%s[%d]", at, len(out)), st, sf)
			out = append(out, sla.Status(s))
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

// policyCalendar reads slas[].calendar: a calendar name, or
// {by: EXPR, map: {VALUE: NAME, ...}, default: NAME}, the calendar of each
// ticket picked by the value of EXPR.
func (c *compiler) policyCalendar(n *node, field, polName string, pol *sla.Policy) {
	r := c.resolve(n)
	if r == nil {
		return
	}
	if !isMap(r) {
		if cal, ok := c.calendarRef(r, field); ok {
			pol.Calendar, pol.CalendarName = cal, r.Value
		}
		return
	}
	f := c.fields(r, field, "a calendar per ticket (by, map, default)", "by", "map", "default")
	if d, ok := f["default"]; ok {
		if cal, good := c.calendarRef(d.val, field+".default"); good {
			pol.Calendar, pol.CalendarName = cal, c.resolve(d.val).Value
		}
	} else {
		c.warnf(r, field, "no default calendar: tickets whose value is not in map count 24x7")
	}
	by, hasBy := f["by"]
	m, hasMap := f["map"]
	if !hasBy {
		c.errf(r, field+".by", ErrField, "by is required: an expression over ticket whose value is a key of map")
	}
	if !hasMap {
		c.errf(r, field+".map", ErrField, "map is required: the calendar name for each value of by")
		return
	}
	var keys, names []string
	cals := map[string]*calendar.Calendar{}
	for _, e := range c.pairs(m.val, field+".map", "calendar names by value") {
		if cal, good := c.calendarRef(e.val, field+".map."+e.name); good {
			name := c.resolve(e.val).Value
			keys, names = append(keys, e.name), append(names, name)
			cals[name] = cal
		}
	}
	if mr := c.resolve(m.val); mr != nil && isMap(mr) && len(mr.Content) == 0 {
		c.errf(mr, field+".map", ErrValue, "map is empty: give the calendar name for each value of by")
	}
	if !hasBy || len(keys) == 0 {
		return
	}
	src, ok := c.str(by.val, field+".by", "an expression")
	if !ok {
		return
	}
	if strings.TrimSpace(src) == "" {
		c.errf(by.val, field+".by", ErrExpr, "empty expression: want one whose value is a key of map, such as ticket.customer.country")
		return
	}
	conds := make([]func(*sla.Ticket) (bool, error), len(keys))
	for i, k := range keys {
		cond, good := c.compileCond(by.val, field+".by", polName, "("+src+") == "+strconv.Quote(k), 1, envTicket)
		if !good {
			return // the same error for every key: report it once
		}
		conds[i] = ticketCond(cond)
		pol.CalendarByReads |= cond.reads()
	}
	pol.Calendars = cals
	pol.CalendarBy = func(t *sla.Ticket) (string, error) {
		for i, cond := range conds {
			if ok, err := cond(t); ok || err != nil {
				return names[i], err // the same expression fails for every key: once
			}
		}
		return "", nil
	}
}

// policyWarnings warns about settings of an SLA policy that cannot work
// together: a default priority without targets, business-day targets
// without a calendar, a first response paused while the ticket is new.
func (c *compiler) policyWarnings(pol *sla.Policy, f map[string]pair, field string) {
	if d, ok := f["default_priority"]; ok && pol.DefaultPriority != "" {
		if len(pol.Targets[pol.DefaultPriority]) == 0 && len(pol.DayTargets[pol.DefaultPriority]) == 0 {
			c.warnf(d.val, field+".default_priority", "the policy has no targets for its default priority %s: tickets without a priority get no clocks", q(pol.DefaultPriority))
		}
	}
	if t, ok := f["targets"]; ok && len(pol.DayTargets) > 0 && pol.Calendar == nil && pol.CalendarBy == nil {
		c.warnf(t.key, field+".targets", "targets in business days without a calendar count every day as a business day and eod as midnight UTC")
	}
	if p, ok := f["pause_on"]; ok && slices.Contains(pol.PauseFor[sla.FirstResponse], sla.StatusNew) {
		c.warnf(p.val, field+".pause_on.first_response", "first_response pauses on new: a ticket waiting for its first response is new, so the clock would not run")
	}
}
