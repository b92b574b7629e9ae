package policy

import (
	"fmt"

	"github.com/slakit/slakit/calendar"
)

// The calendars section: each entry becomes a calendar.Calendar, and
// calendar errors are placed at the key or item they are about.

func (c *compiler) calendars(p pair) {
	for _, e := range c.pairs(p.val, "calendars", "calendars by name") {
		field := "calendars." + e.name
		c.calKeys[e.name] = true
		cs := c.calendarSpec(e, field)
		if !cs.ok {
			continue
		}
		cal, err := calendar.New(cs.spec)
		if err != nil {
			c.calendarErrors(err, e.key, field, cs.at)
			continue
		}
		c.set.calendars[e.name] = cal
	}
}

// calSpec is a calendar as read from the document: the spec, the node of
// each field path a calendar.SpecError may name, and whether every value
// had the right type.
type calSpec struct {
	spec calendar.Spec
	at   map[string]*node
	ok   bool
}

func (c *compiler) calendarSpec(e pair, field string) calSpec {
	f := c.fields(e.val, field, "a calendar", "timezone", "hours", "holidays", "overrides")
	cs := calSpec{at: map[string]*node{}, ok: true}
	if tz, has := f["timezone"]; has {
		cs.at["timezone"] = tz.val
		cs.spec.Timezone, _ = c.str(tz.val, field+".timezone", "an IANA zone name")
	} else {
		c.errf(e.key, field+".timezone", ErrCalendar, "timezone is required (an IANA name such as America/Sao_Paulo, or UTC)")
		cs.ok = false
	}
	cs.spec.Hours = c.timeRanges(f, "hours", field, &cs)
	cs.spec.Overrides = c.timeRanges(f, "overrides", field, &cs)
	if h, has := f["holidays"]; has {
		for i, it := range c.list(h.val, field+".holidays", "holiday sets and dates") {
			path := fmt.Sprintf("holidays[%d]", i)
			cs.at[path] = it
			if v, good := c.str(it, field+"."+path, `a holiday set such as "br" or a date "2026-12-24"`); good {
				cs.spec.Holidays = append(cs.spec.Holidays, v)
			} else {
				cs.ok = false
			}
		}
	}
	return cs
}

// timeRanges reads hours or overrides: time ranges by day or date.
func (c *compiler) timeRanges(f map[string]pair, sect, field string, cs *calSpec) map[string][]string {
	s, has := f[sect]
	if !has {
		return nil
	}
	cs.at[sect] = s.key
	out := map[string][]string{}
	for _, d := range c.pairs(s.val, field+"."+sect, "a mapping of "+sect) {
		cs.at[sect+"."+d.name] = d.key
		items := c.list(d.val, field+"."+sect+"."+d.name, "time ranges")
		list := make([]string, 0, len(items))
		for i, it := range items {
			path := fmt.Sprintf("%s.%s[%d]", sect, d.name, i)
			cs.at[path] = it
			if v, good := c.str(it, field+"."+path, `a range "HH:MM-HH:MM"`); good {
				list = append(list, v)
			} else {
				cs.ok = false
			}
		}
		out[d.name] = list
	}
	return out
}

// calendarErrors places the errors of calendar.New at the nodes their
// field paths name (the calendar's key when none does).
func (c *compiler) calendarErrors(err error, key *node, field string, at map[string]*node) {
	specErrs, isList := err.(calendar.SpecErrors)
	if !isList {
		c.errf(key, field, ErrCalendar, "%v", err)
		return
	}
	for _, se := range specErrs {
		n := at[se.Field]
		if se.Value != "" && (se.Field == "hours" || se.Field == "overrides") {
			if k := at[se.Field+"."+se.Value]; k != nil {
				n = k
			}
		}
		if n == nil {
			n = key
		}
		msg := se.Err.Error()
		if se.Value != "" {
			msg = q(se.Value) + ": " + msg
		}
		c.errf(n, field+"."+se.Field, ErrCalendar, "%s", msg)
	}
}

// calendarRef resolves a calendar name.
func (c *compiler) calendarRef(n *node, field string) (*calendar.Calendar, bool) {
	s, ok := c.name(n, field, "a calendar name")
	if !ok {
		return nil, false
	}
	cal, ok := c.set.calendars[s]
	if !ok && c.calKeys[s] {
		return nil, false // the calendar has errors of its own
	}
	if !ok {
		c.errf(n, field, ErrUndefined, "undefined calendar %s%s", q(s), c.known(&c.calNames, c.calKeys))
		return nil, false
	}
	return cal, true
}
