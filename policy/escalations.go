package policy

import (
	"fmt"
	"strings"

	"github.com/slakit/slakit/escalation"
)

// The escalations section: ladders, their levels and actions, and the
// warnings about levels that can never fire.

var levelKeys = []string{"name", "metric", "at", "when", "during", "actions"}

func (c *compiler) escalations(p pair) {
	for _, e := range c.pairs(p.val, "escalations", "escalation ladders by name") {
		field := "escalations." + e.name
		var levels []escalation.Level
		ok := true
		items := c.list(e.val, field, "levels")
		if len(items) > escalation.MaxLevels {
			c.errf(e.key, field, ErrValue, "%d levels: a ladder has at most %d", len(items), escalation.MaxLevels)
			continue
		}
		names := map[string]*node{}
		for i, it := range items {
			lf := fmt.Sprintf("%s[%d]", field, i)
			lv, good := c.level(it, lf, names)
			ok = ok && good
			levels = append(levels, lv)
			c.levels[e.name] = append(c.levels[e.name], levelRef{node: it, field: lf, metric: lv.Metric})
		}
		if !ok {
			continue
		}
		l, err := escalation.New(e.name, levels)
		if err != nil { // every check New does was done above; keep its word anyway
			c.errf(e.key, field, ErrValue, "%v", err)
			continue
		}
		c.set.ladders[e.name] = l
	}
}

func (c *compiler) level(it *node, lf string, names map[string]*node) (escalation.Level, bool) {
	var lv escalation.Level
	f := c.fields(it, lf, "an escalation level", levelKeys...)
	if !isMap(it) {
		return lv, false
	}
	n0 := len(c.errs)
	lv.Name = c.uniqueName(it, f, lf, "level", names)
	if m, has := f["metric"]; has {
		if s, good := c.name(m.val, lf+".metric", "a metric name"); good {
			if s != escalation.AnyMetric && !c.metrics[s] {
				c.errf(m.val, lf+".metric", ErrUndefined, "undefined metric %s (want any, a built-in metric, a custom metric of a policy or an OLA metric)", q(s))
			}
			lv.Metric = s
		}
	}
	if a, has := f["at"]; has {
		if s, good := c.str(a.val, lf+".at", "a trigger such as 80%, breach+2h or 20m"); good {
			tr, err := escalation.ParseTrigger(s)
			if err != nil {
				c.errf(a.val, lf+".at", ErrValue, "%s", strings.TrimPrefix(err.Error(), "escalation: "))
			}
			lv.At = tr
		}
	} else {
		c.errf(it, lf+".at", ErrField, "at is required (80%%, breach-30m, breach, breach+2h, 20m or window-2h)")
	}
	if m, has := f["metric"]; has && lv.At.Kind == escalation.Window {
		c.errf(m.val, lf+".metric", ErrValue, "a window trigger fires once per window: remove metric")
	}
	if w, has := f["when"]; has {
		if prog, good := c.expression(w.val, lf+".when", lv.Name, envLevel); good {
			lv.When = levelCond(prog)
		}
	}
	if d, has := f["during"]; has {
		lv.During, _ = c.calendarRef(d.val, lf+".during")
	}
	if a, has := f["actions"]; has {
		acts := c.list(a.val, lf+".actions", "actions")
		if len(acts) == 0 {
			c.errf(a.val, lf+".actions", ErrValue, "a level needs at least one action")
		}
		for j, an := range acts {
			if act, good := c.action(an, fmt.Sprintf("%s.actions[%d]", lf, j)); good {
				lv.Actions = append(lv.Actions, act)
			}
		}
	} else {
		c.errf(it, lf+".actions", ErrField, "actions are required")
	}
	return lv, len(c.errs) == n0
}

var actionKeys = []string{"notify", "assign", "escalate", "set_priority", "add_tags", "message_customer", "custom"}

func (c *compiler) action(n *node, field string) (escalation.Action, bool) {
	ps := c.pairs(n, field, "an action such as {notify: assignee}")
	if len(ps) != 1 {
		if len(ps) > 1 {
			c.errf(ps[1].key, field, ErrField, "an action has one key; write each action as its own list item")
		} else if r := c.resolve(n); r != nil && isMap(r) {
			c.errf(n, field, ErrField, "empty action; want one of %s", strings.Join(actionKeys, ", "))
		}
		return escalation.Action{}, false
	}
	p := ps[0]
	af := field + "." + p.name
	act := escalation.Action{Type: escalation.ActionType(p.name)}
	switch p.name {
	case "notify", "assign", "escalate", "message_customer":
		s, ok := c.name(p.val, af, "a target")
		act.Target = s
		return act, ok
	case "set_priority":
		s, ok := c.priority(p.val, af)
		act.Target = s
		return act, ok
	case "add_tags":
		tags, ok := c.strs(p.val, af, "a tag")
		if ok && len(tags) == 0 {
			c.errf(p.val, af, ErrValue, "add_tags needs at least one tag")
			ok = false
		}
		act.Tags = tags
		return act, ok
	case "custom":
		ok := true
		for _, kv := range c.pairs(p.val, af, "{name: ..., params}") {
			s, good := c.str(kv.val, af+"."+kv.name, "a string")
			ok = ok && good
			if kv.name == "name" {
				act.Target = s
				continue
			}
			if act.Params == nil {
				act.Params = map[string]string{}
			}
			act.Params[kv.name] = s
		}
		if ok && strings.TrimSpace(act.Target) == "" {
			c.errf(p.key, af+".name", ErrField, "custom action needs a name")
			ok = false
		}
		return act, ok
	}
	c.errf(p.key, af, ErrField, "unknown action %s (want %s)", q(p.name), strings.Join(actionKeys, ", "))
	return act, false
}

// unfired warns about ladders no policy uses and levels that watch a
// metric none of the policies using their ladder has a target for.
func (c *compiler) unfired() {
	targeted := map[string]map[string]bool{} // ladder -> metrics its users have targets for
	for _, p := range c.set.policies {
		if p.Escalation == "" {
			continue
		}
		m := targeted[p.Escalation]
		if m == nil {
			m = map[string]bool{}
			targeted[p.Escalation] = m
		}
		for _, ts := range p.Targets {
			for metric, d := range ts {
				if d > 0 {
					m[string(metric)] = true
				}
			}
		}
		for _, ts := range p.DayTargets {
			for metric := range ts {
				m[string(metric)] = true
			}
		}
	}
	for _, m := range targeted { // OLA clocks run on every ticket whose policy uses the ladder
		for _, o := range c.set.olas {
			for _, ts := range o.Targets {
				for metric := range ts {
					m[string(metric)] = true
				}
			}
		}
	}
	for _, name := range sortedSet(c.ladderKeys) {
		refs := c.levels[name]
		if len(refs) == 0 {
			continue
		}
		m, used := targeted[name]
		if !used {
			c.warnf(refs[0].node, "escalations."+name, "ladder %s is used by no policy: its levels never fire", q(name))
			continue
		}
		for _, r := range refs {
			// A level without metric watches the ticket's clocks (or the window).
			if r.metric != "" && r.metric != escalation.AnyMetric && !m[r.metric] {
				c.warnf(r.node, r.field, "level can never fire: no policy using ladder %s has a target for %s", q(name), r.metric)
			}
		}
	}
}
