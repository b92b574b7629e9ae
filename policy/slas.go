package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/sla"
)

// The slas section: SLA policies, their targets and custom metrics.

var policyKeys = []string{"name", "when", "calendar", "targets", "pause_on", "reopen", "count_bot_replies", "escalation", "metrics", "default_priority", "valid", "on_priority_change"}

func (c *compiler) slas(p pair) {
	items := c.list(p.val, "slas", "SLA policies")
	names := map[string]*node{}
	var catchAll string
	for i, it := range items {
		field := fmt.Sprintf("slas[%d]", i)
		f := c.fields(it, field, "an SLA policy", policyKeys...)
		if !isMap(it) {
			continue
		}
		var pol sla.Policy
		nameNode := it
		if n, ok := f["name"]; ok {
			nameNode = n.val
		}
		pol.Name = c.uniqueName(it, f, field, "policy", names)
		if catchAll != "" {
			c.warnf(nameNode, field, "policy %s can never apply: policy %s above it has no when and matches every ticket", q(pol.Name), q(catchAll))
		}
		if w, ok := f["when"]; ok {
			if prog, good := c.expression(w.val, field+".when", pol.Name, envTicket); good {
				pol.When = ticketCond(prog)
			}
		} else if catchAll == "" {
			catchAll = pol.Name
		}
		if cl, ok := f["calendar"]; ok {
			c.policyCalendar(cl.val, field+".calendar", pol.Name, &pol)
		}
		if po, ok := f["pause_on"]; ok {
			pol.PauseOn, pol.PauseFor = c.pauseOn(po.val, field+".pause_on")
		}
		if v, ok := f["valid"]; ok {
			pol.ValidFrom, pol.ValidUntil = c.validity(v.val, field+".valid", pol.Calendar)
		}
		if d, ok := f["default_priority"]; ok {
			pol.DefaultPriority, _ = c.priority(d.val, field+".default_priority")
		}
		if o, ok := f["on_priority_change"]; ok {
			if s, good := c.name(o.val, field+".on_priority_change", "keep_breach or recompute"); good {
				switch sla.PriorityChange(s) {
				case sla.KeepBreach, sla.Recompute:
					pol.OnPriorityChange = sla.PriorityChange(s)
				default:
					c.errf(o.val, field+".on_priority_change", ErrValue, "on_priority_change %s: want keep_breach or recompute", q(s))
				}
			}
		}
		if r, ok := f["reopen"]; ok {
			if s, good := c.name(r.val, field+".reopen", "resume or restart"); good {
				switch sla.Reopen(s) {
				case sla.ReopenResume, sla.ReopenRestart:
					pol.Reopen = sla.Reopen(s)
				default:
					c.errf(r.val, field+".reopen", ErrValue, "reopen %s: want resume or restart", q(s))
				}
			}
		}
		if b, ok := f["count_bot_replies"]; ok {
			pol.CountBotReplies, _ = c.boolean(b.val, field+".count_bot_replies")
		}
		if e, ok := f["escalation"]; ok {
			if s, good := c.name(e.val, field+".escalation", "a ladder name"); good {
				if !c.ladderKeys[s] {
					c.errf(e.val, field+".escalation", ErrUndefined, "undefined escalation ladder %s%s", q(s), c.known(&c.ladderNames, c.ladderKeys))
				} else {
					pol.Escalation = s
				}
			}
		}
		own := map[string]bool{}
		if m, ok := f["metrics"]; ok {
			pol.Metrics = c.customMetrics(m.val, field+".metrics", own)
		}
		if t, ok := f["targets"]; ok {
			pol.Targets, pol.DayTargets = c.targets(t, field+".targets", own)
		} else {
			c.warnf(nameNode, field, "policy %s has no targets: it runs no clocks", q(pol.Name))
		}
		c.policyWarnings(&pol, f, field)
		c.set.policies = append(c.set.policies, pol)
	}
}

func (c *compiler) customMetrics(n *node, field string, own map[string]bool) []sla.CustomMetric {
	var out []sla.CustomMetric
	for _, e := range c.pairs(n, field, "custom metrics by name") {
		mf := field + "." + e.name
		if isBuiltin(e.name) {
			c.errf(e.key, mf, ErrDuplicate, "%s is a built-in metric", q(e.name))
			continue
		}
		if strings.TrimSpace(e.name) == "" {
			c.errf(e.key, mf, ErrValue, "a metric needs a name")
			continue
		}
		f := c.fields(e.val, mf, "a custom metric", "start", "stop", "pause")
		m := sla.CustomMetric{Name: sla.Metric(e.name)}
		ok := true
		for _, k := range []string{"start", "stop"} {
			v, has := f[k]
			if !has {
				c.errf(e.key, mf+"."+k, ErrField, "%s is required", k)
				ok = false
				continue
			}
			prog, good := c.expression(v.val, mf+"."+k, e.name, envEvent)
			if !good {
				ok = false
				continue
			}
			if k == "start" {
				m.Start = eventCond(prog)
			} else {
				m.Stop = eventCond(prog)
			}
		}
		if v, has := f["pause"]; has {
			if prog, good := c.expression(v.val, mf+".pause", e.name, envTicket); good {
				m.Pause = ticketCond(prog)
			} else {
				ok = false
			}
		}
		own[e.name] = true
		c.metrics[e.name] = true
		if ok {
			out = append(out, m)
		}
	}
	return out
}

func isBuiltin(m string) bool {
	switch sla.Metric(m) {
	case sla.FirstResponse, sla.NextResponse, sla.PeriodicUpdate, sla.Resolution:
		return true
	}
	return false
}

// priorityPairs returns the entries of a mapping of targets by priority
// whose key is a priority, reporting the others.
func (c *compiler) priorityPairs(n *node, field string) []pair {
	var out []pair
	for _, pe := range c.pairs(n, field, "targets by priority") {
		if !c.prioSet[pe.name] {
			c.errf(pe.key, field+"."+pe.name, ErrUndefined, "undefined priority %s (priorities: %s)", q(pe.name), nameList(c.set.priorities, len(c.set.priorities)))
			continue
		}
		out = append(out, pe)
	}
	return out
}

func (c *compiler) targets(t pair, field string, own map[string]bool) (map[string]map[sla.Metric]time.Duration, map[string]map[sla.Metric]sla.DayTarget) {
	out := map[string]map[sla.Metric]time.Duration{}
	var days map[string]map[sla.Metric]sla.DayTarget
	for _, pe := range c.priorityPairs(t.val, field) {
		pf := field + "." + pe.name
		ts := map[sla.Metric]time.Duration{}
		var nextNode *node
		for _, me := range c.pairs(pe.val, pf, "targets by metric") {
			mf := pf + "." + me.name
			if !isBuiltin(me.name) && !own[me.name] {
				c.errf(me.key, mf, ErrUndefined, "undefined metric %s (want first_response, next_response, periodic_update, resolution or a metric of this policy)", q(me.name))
				continue
			}
			if dt, isDays, ok := c.dayTarget(me.val, mf); isDays {
				if ok {
					if days == nil {
						days = map[string]map[sla.Metric]sla.DayTarget{}
					}
					if days[pe.name] == nil {
						days[pe.name] = map[sla.Metric]sla.DayTarget{}
					}
					days[pe.name][sla.Metric(me.name)] = dt
				}
				continue
			}
			if d, ok := c.targetDuration(me.val, mf); ok {
				ts[sla.Metric(me.name)] = d
				if me.name == string(sla.NextResponse) {
					nextNode = me.val
				}
			}
		}
		if nr, res := ts[sla.NextResponse], ts[sla.Resolution]; nextNode != nil && res > 0 && nr > res {
			c.warnf(nextNode, pf+".next_response", "next_response target %v is longer than the resolution target %v", nr, res)
		}
		out[pe.name] = ts
	}
	if n := len(c.set.priorities) - len(out); n > 0 && len(out) > 0 {
		// Name the first few missing: the walk stops after len(out)+maxQuoted items.
		var missing []string
		for _, p := range c.set.priorities {
			if _, ok := out[p]; !ok {
				if missing = append(missing, p); len(missing) == maxQuoted {
					break
				}
			}
		}
		c.warnf(t.key, field, "no targets for priority %s: tickets of that priority get no clocks under this policy", nameList(missing, n))
	}
	return out, days
}
