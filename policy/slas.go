package policy

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/sla"
)

// The slas section: SLA policies, their targets and custom metrics.

var policyKeys = []string{"name", "when", "calendar", "targets", "pause_on", "reopen", "count_bot_replies", "escalation", "metrics", "default_priority", "valid", "on_priority_change"}

func (c *compiler) slas(p pair) {
	items := c.entries(p.val, "slas", "SLA policies")
	var catchAll string
	for i, it := range items {
		field := fmt.Sprintf("slas[%d]", i)
		f := c.fields(it, field, "an SLA policy", policyKeys...)
		if !isMap(it) {
			continue
		}
		var pol sla.Policy
		at := fmt.Sprintf("policies[%d]", len(c.set.policies)) // the policy's path in sla.Config
		nameNode := it
		if n, ok := f["name"]; ok {
			nameNode = n.val
		}
		// sla's errors about the policy, and about its name when it has
		// none (reported here already), are placed at the entry.
		c.mark(at, it, field)
		c.mark(at+".name", nameNode, field+".name")
		pol.Name = c.entryName(it, f, field, "policy")
		if catchAll != "" {
			c.warnf(nameNode, field, "policy %s can never apply: policy %s above it has no when and matches every ticket", q(pol.Name), q(catchAll))
		}
		if w, ok := f["when"]; ok {
			if prog, good := c.expression(w.val, field+".when", pol.Name, envTicket); good {
				pol.When, pol.WhenReads = ticketCond(prog), prog.reads()
			}
		} else if catchAll == "" {
			catchAll = pol.Name
		}
		if cl, ok := f["calendar"]; ok {
			c.policyCalendar(cl.val, field+".calendar", pol.Name, &pol)
		}
		if po, ok := f["pause_on"]; ok {
			pol.PauseOn, pol.PauseFor = c.pauseOn(po.val, field+".pause_on", at+".pause_on")
		}
		if v, ok := f["valid"]; ok {
			pol.ValidFrom, pol.ValidUntil = c.validity(v.val, field+".valid", pol.Calendar)
		}
		for _, k := range []string{"default_priority", "on_priority_change", "reopen", "escalation"} {
			if v, ok := f[k]; ok {
				c.mark(at+"."+k, v.val, field+"."+k)
			}
		}
		if d, ok := f["default_priority"]; ok {
			pol.DefaultPriority, _ = c.name(d.val, field+".default_priority", "a priority")
		}
		if o, ok := f["on_priority_change"]; ok {
			s, _ := c.name(o.val, field+".on_priority_change", "keep_breach or recompute")
			pol.OnPriorityChange = sla.PriorityChange(s)
		}
		if r, ok := f["reopen"]; ok {
			s, _ := c.name(r.val, field+".reopen", "resume or restart")
			pol.Reopen = sla.Reopen(s)
		}
		if b, ok := f["count_bot_replies"]; ok {
			pol.CountBotReplies, _ = c.boolean(b.val, field+".count_bot_replies")
		}
		if e, ok := f["escalation"]; ok {
			pol.Escalation, _ = c.name(e.val, field+".escalation", "a ladder name")
		}
		if m, ok := f["metrics"]; ok {
			pol.Metrics = c.customMetrics(m.val, field+".metrics", at+".metrics")
		}
		if t, ok := f["targets"]; ok {
			pol.Targets, pol.DayTargets = c.targets(t, field+".targets", at+".targets")
		} else {
			c.warnf(nameNode, field, "policy %s has no targets: it runs no clocks", q(pol.Name))
		}
		c.policyWarnings(&pol, f, field)
		c.set.policies = append(c.set.policies, pol)
	}
}

// customMetrics reads a policy's metrics; at is their path in sla.Config.
// A metric is passed on even when its conditions have errors, so that sla
// checks its name and the targets that name it.
func (c *compiler) customMetrics(n *node, field, at string) []sla.CustomMetric {
	var out []sla.CustomMetric
	for _, e := range c.pairs(n, field, "custom metrics by name") {
		mf := field + "." + e.name
		path := fmt.Sprintf("%s[%d]", at, len(out))
		c.mark(path, e.key, mf)
		c.mark(path+".name", e.key, mf)
		f := c.fields(e.val, mf, "a custom metric", "start", "stop", "pause")
		m := sla.CustomMetric{Name: sla.Metric(e.name)}
		for _, k := range []string{"start", "stop"} {
			c.mark(path+"."+k, e.key, mf+"."+k)
			v, has := f[k]
			if !has {
				c.errf(e.key, mf+"."+k, ErrField, "%s is required", k)
				continue
			}
			cond := never // the expression's errors are reported; never stands in for sla
			var on []sla.EventType
			if prog, good := c.expression(v.val, mf+"."+k, e.name, envEvent); good {
				cond, on = eventCond(prog), prog.onTypes()
			}
			if k == "start" {
				m.Start, m.StartOn = cond, on
			} else {
				m.Stop, m.StopOn = cond, on
			}
		}
		if v, has := f["pause"]; has {
			if prog, good := c.expression(v.val, mf+".pause", e.name, envTicket); good {
				m.Pause = ticketCond(prog)
			}
		}
		c.metrics[e.name] = true
		out = append(out, m)
	}
	return out
}

// never stands in for a condition that has errors.
func never(*sla.Ticket, *sla.Event) (bool, error) { return false, nil }

// targets reads a policy's targets; at is their path in sla.Config.
func (c *compiler) targets(t pair, field, at string) (map[string]map[sla.Metric]time.Duration, map[string]map[sla.Metric]sla.DayTarget) {
	out := map[string]map[sla.Metric]time.Duration{}
	var days map[string]map[sla.Metric]sla.DayTarget
	for _, pe := range c.pairs(t.val, field, "targets by priority") {
		pf := field + "." + pe.name
		c.mark(at+"."+pe.name, pe.key, pf)
		ts := map[sla.Metric]time.Duration{}
		var nextNode *node
		for _, me := range c.pairs(pe.val, pf, "targets by metric") {
			mf := pf + "." + me.name
			c.mark(at+"."+pe.name+"."+me.name, me.key, mf)
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
