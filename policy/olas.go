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
	for i, it := range c.entries(p.val, "olas", "OLAs") {
		field := fmt.Sprintf("olas[%d]", i)
		f := c.fields(it, field, "an OLA", olaKeys...)
		if !isMap(it) {
			continue
		}
		at := fmt.Sprintf("olas[%d]", len(c.set.olas)) // the OLA's path in sla.Config
		o := sla.OLA{Name: c.entryName(it, f, field, "OLA")}
		c.mark(at, it, field)
		if n, ok := f["name"]; ok {
			c.mark(at+".name", n.val, field+".name")
		} else {
			c.mark(at+".name", it, field+".name")
		}
		team, hasTeam := f["team"]
		when, hasWhen := f["when"]
		c.mark(at+".team", it, field+".team")
		switch {
		case hasTeam && hasWhen:
			c.errf(when.key, field+".when", ErrField, "give team or when, not both")
			c.mark(at+".team", when.key, field+".when")
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
			o.PauseOn = c.pauseStatuses(po.val, field+".pause_on", at+".pause_on")
		}
		t, ok := f["targets"]
		if !ok {
			c.errf(it, field+".targets", ErrField, "targets are required: time_to_own and/or time_to_resolve per priority")
		} else {
			c.mark(at+".targets", t.key, field+".targets")
			o.Targets = c.olaTargets(t, field+".targets", at+".targets")
		}
		c.set.olas = append(c.set.olas, o)
	}
}

// olaTargets reads an OLA's targets; at is their path in sla.Config. The
// document spells the metrics without their "ola." prefix.
func (c *compiler) olaTargets(t pair, field, at string) map[string]map[sla.Metric]time.Duration {
	out := map[string]map[sla.Metric]time.Duration{}
	for _, pe := range c.pairs(t.val, field, "targets by priority") {
		pf := field + "." + pe.name
		c.mark(at+"."+pe.name, pe.key, pf)
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
			c.mark(at+"."+pe.name+"."+string(m), me.key, mf)
			if d, ok := c.duration(me.val, mf); ok {
				ts[m] = d
				c.metrics[string(m)] = true // ladders may watch it
			}
		}
		out[pe.name] = ts
	}
	return out
}
