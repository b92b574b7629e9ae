package policy

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/sla"
)

// The olas section: operational level agreements per team.

var olaKeys = []string{"name", "team", "when", "calendar", "pause_on", "targets"}

func (c *compiler) olas(p pair) {
	if p.val == nil {
		return
	}
	names := map[string]*node{}
	for i, it := range c.list(p.val, "olas", "OLAs") {
		field := fmt.Sprintf("olas[%d]", i)
		f := c.fields(it, field, "an OLA", olaKeys...)
		if !isMap(it) {
			continue
		}
		o := sla.OLA{Name: c.uniqueName(it, f, field, "OLA", names)}
		team, hasTeam := f["team"]
		when, hasWhen := f["when"]
		switch {
		case hasTeam && hasWhen:
			c.errf(when.key, field+".when", ErrField, "give team or when, not both")
		case hasTeam:
			o.Team, _ = c.name(team.val, field+".team", "a team name")
		case hasWhen:
			if cond, good := c.expression(when.val, field+".when", o.Name, envTicket); good {
				o.When = ticketCond(cond)
			}
		default:
			c.errf(it, field+".team", ErrField, "team is required (or when, an expression over ticket)")
		}
		if cl, ok := f["calendar"]; ok {
			o.Calendar, _ = c.calendarRef(cl.val, field+".calendar")
		}
		if po, ok := f["pause_on"]; ok {
			o.PauseOn = c.pauseStatuses(po.val, field+".pause_on", "OLA")
		}
		t, ok := f["targets"]
		if !ok {
			c.errf(it, field+".targets", ErrField, "targets are required: time_to_own and/or time_to_resolve per priority")
		} else {
			o.Targets = c.olaTargets(t, field+".targets")
		}
		c.set.olas = append(c.set.olas, o)
	}
}

func (c *compiler) olaTargets(t pair, field string) map[string]map[sla.Metric]time.Duration {
	out := map[string]map[sla.Metric]time.Duration{}
	n, n0 := 0, len(c.errs)
	for _, pe := range c.priorityPairs(t.val, field) {
		pf := field + "." + pe.name
		ts := map[sla.Metric]time.Duration{}
		for _, me := range c.pairs(pe.val, pf, "targets by OLA metric") {
			mf := pf + "." + me.name
			var m sla.Metric
			switch me.name {
			case "time_to_own":
				m = sla.OLATimeToOwn
			case "time_to_resolve":
				m = sla.OLATimeToResolve
			default:
				c.errf(me.key, mf, ErrUndefined, "undefined OLA metric %s (want time_to_own or time_to_resolve)", q(me.name))
				continue
			}
			if d, ok := c.duration(me.val, mf); ok {
				ts[m] = d
				n++
				c.metrics[string(m)] = true // ladders may watch it
			}
		}
		out[pe.name] = ts
	}
	if n == 0 && len(c.errs) == n0 {
		c.errf(t.key, field, ErrValue, "an OLA needs at least one target (time_to_own or time_to_resolve)")
	}
	return out
}
