package policy

import (
	"fmt"
	"strings"

	"github.com/slakit/slakit/sla"
)

// The rules section: routing rules (run by route.go).

var ruleKeys = []string{"name", "on", "when", "set", "stop"}

func (c *compiler) rules(p pair) {
	names := map[string]*node{}
	for i, it := range c.entries(p.val, "rules", "routing rules") {
		field := fmt.Sprintf("rules[%d]", i)
		f := c.fields(it, field, "a routing rule", ruleKeys...)
		if !isMap(it) {
			continue
		}
		r := &rule{index: len(c.set.rules), on: eventBit(sla.EventCreated)}
		if r.name = c.entryName(it, f, field, "rule"); r.name != "" {
			if prev := names[r.name]; prev != nil {
				c.errf(f["name"].val, field+".name", ErrDuplicate, "rule %s defined twice%s", q(r.name), c.firstLine("rule", r.name))
			}
			names[r.name] = f["name"].val
		}
		r.set.Rule = r.name
		if o, has := f["on"]; has {
			r.on = 0
			items := []*node{o.val}
			if n := c.resolve(o.val); n != nil && !isScalar(n) {
				items = c.list(o.val, field+".on", "event types")
			}
			for j, it := range items {
				tf := fmt.Sprintf("%s.on[%d]", field, j)
				t, good := c.name(it, tf, "an event type")
				if !good {
					continue
				}
				bit := eventBit(sla.EventType(t))
				if bit == 0 {
					c.errf(it, tf, ErrValue, "unknown event type %s (want %s)", q(t), eventTypeList())
				}
				r.on |= bit
			}
		}
		if w, has := f["when"]; has {
			r.when, _ = c.expression(w.val, field+".when", r.name, envEvent)
		}
		if s, has := f["stop"]; has {
			r.set.Stop, _ = c.boolean(s.val, field+".stop")
		}
		if s, has := f["set"]; has {
			c.ruleSet(s.val, field+".set", &r.set)
		} else if !r.set.Stop {
			c.errf(it, field+".set", ErrField, "set is required (priority, team, agent, tags, fields), unless the rule only stops")
		}
		for b := range eventTypes {
			if r.on&(1<<b) != 0 {
				c.set.typeRules[b] = append(c.set.typeRules[b], r)
			}
		}
		c.set.rules = append(c.set.rules, r)
		c.set.ruleTypes |= r.on
		for b, t := range eventTypes {
			if r.on&(1<<b) != 0 {
				c.set.ruleFirsts |= 1 << (t[0] & 31)
			}
		}
		c.set.ruleNames = append(c.set.ruleNames, r.name)
	}
	var conds []*cond
	for _, r := range c.set.rules {
		if r.when != nil {
			conds = append(conds, r.when)
		}
	}
	c.set.scans = planScans(conds) // the rules' has_keyword calls share their scans
	c.set.planNeeds()
	c.set.planSteps()
}

func eventTypeList() string {
	s := make([]string, len(eventTypes))
	for i, t := range eventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (c *compiler) ruleSet(n *node, field string, d *Decision) {
	f := c.fields(n, field, "the writes of the rule", "priority", "team", "agent", "tags", "fields")
	if v, ok := f["priority"]; ok {
		d.Priority, _ = c.priority(v.val, field+".priority")
	}
	if v, ok := f["team"]; ok {
		d.Team, _ = c.name(v.val, field+".team", "a team")
	}
	if v, ok := f["agent"]; ok {
		d.Agent, _ = c.name(v.val, field+".agent", "an agent")
	}
	if v, ok := f["tags"]; ok {
		d.Tags, _ = c.strs(v.val, field+".tags", "a tag")
	}
	if v, ok := f["fields"]; ok {
		for _, kv := range c.pairs(v.val, field+".fields", "ticket fields by name") {
			val, good := c.scalar(kv.val, field+".fields."+kv.name)
			if !good {
				continue
			}
			if d.Fields == nil {
				d.Fields = map[string]any{}
			}
			d.Fields[kv.name] = val
		}
	}
}
