package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// The settings sections: version, priorities, whatsapp and kpis.

func (c *compiler) priorities(p pair) {
	if p.val == nil {
		c.defaultPriorities()
		return
	}
	items := c.list(p.val, "priorities", "priority names")
	for i, it := range items {
		field := fmt.Sprintf("priorities[%d]", i)
		s, ok := c.name(it, field, "a priority name")
		if !ok {
			continue
		}
		if c.prioSet[s] {
			c.errf(it, field, ErrDuplicate, "priority %s listed twice", q(s))
			continue
		}
		c.prioSet[s] = true
		c.set.priorities = append(c.set.priorities, s)
	}
	if len(c.set.priorities) == 0 {
		if n := c.resolve(p.val); len(items) == 0 && n != nil && (isList(n) || isNull(n)) {
			c.errf(p.val, "priorities", ErrValue, "empty list: name the priorities highest first, or leave the key out for urgent, high, normal, low")
		}
		c.defaultPriorities()
	}
}

func (c *compiler) defaultPriorities() {
	c.set.priorities = slices.Clone(sla.DefaultPriorities())
	for _, p := range c.set.priorities {
		c.prioSet[p] = true
	}
}

func (c *compiler) priority(n *node, field string) (string, bool) {
	s, ok := c.name(n, field, "a priority")
	if !ok {
		return "", false
	}
	if !c.prioSet[s] {
		c.errf(n, field, ErrUndefined, "undefined priority %s (priorities: %s)", q(s), nameList(c.set.priorities, len(c.set.priorities)))
		return "", false
	}
	return s, true
}

func (c *compiler) whatsapp(p pair) {
	if p.val == nil {
		return
	}
	f := c.fields(p.val, "whatsapp", "the WhatsApp settings", "closing_soon", "send_margin", "max_skew", "reactions_count")
	cfg := whatsappwindow.DefaultConfig()
	n0 := len(c.errs)
	if v, ok := f["closing_soon"]; ok {
		cfg.ClosingSoon = nil
		seen := map[time.Duration]bool{}
		for i, it := range c.list(v.val, "whatsapp.closing_soon", "durations") {
			field := fmt.Sprintf("whatsapp.closing_soon[%d]", i)
			d, good := c.duration(it, field)
			if !good {
				continue
			}
			if d > whatsappwindow.Length {
				c.errf(it, field, ErrValue, "%v is longer than the 24h window", d)
				continue
			}
			if seen[d] {
				c.errf(it, field, ErrDuplicate, "%v listed twice", d)
				continue
			}
			seen[d] = true
			cfg.ClosingSoon = append(cfg.ClosingSoon, d)
		}
	}
	if v, ok := f["send_margin"]; ok {
		cfg.SendMargin, _ = c.duration(v.val, "whatsapp.send_margin")
	}
	if v, ok := f["max_skew"]; ok {
		cfg.MaxSkew, _ = c.duration(v.val, "whatsapp.max_skew")
	}
	if v, ok := f["reactions_count"]; ok {
		cfg.ReactionsCount, _ = c.boolean(v.val, "whatsapp.reactions_count")
	}
	if len(c.errs) > n0 {
		return
	}
	tr, err := whatsappwindow.New(cfg)
	if err != nil {
		c.errf(p.key, "whatsapp", ErrValue, "%s", strings.TrimPrefix(err.Error(), "whatsappwindow: "))
		return
	}
	c.set.whatsapp, c.set.tracker = cfg, tr
}

func (c *compiler) kpis(p pair) {
	if p.val == nil {
		return
	}
	f := c.fields(p.val, "kpis", "the KPI settings", "fcr", "goals", "goals_by")
	if v, ok := f["fcr"]; ok {
		ff := c.fields(v.val, "kpis.fcr", "the first contact resolution settings", "max_agent_replies")
		if m, ok := ff["max_agent_replies"]; ok {
			if n, good := c.integer(m.val, "kpis.fcr.max_agent_replies"); good {
				if n < 1 {
					c.errf(m.val, "kpis.fcr.max_agent_replies", ErrValue, "want at least 1, got %d", n)
				} else {
					c.set.kpi.MaxAgentReplies = n
				}
			}
		}
	}
	if v, ok := f["goals"]; ok {
		for _, g := range c.pairs(v.val, "kpis.goals", "goals by KPI name") {
			if goal, good := c.goal(g, "kpis.goals."+g.name); good {
				c.set.kpi.Goals = append(c.set.kpi.Goals, goal)
			}
		}
	}
	if v, ok := f["goals_by"]; ok {
		c.goalsBy(v.val)
	}
}

// version checks the required version: 1.
func (c *compiler) version(root *node, top map[string]pair) {
	v, ok := top["version"]
	if !ok {
		c.errf(root, "version", ErrVersion, "version is required: add version: 1")
		return
	}
	n := c.resolve(v.val)
	switch {
	case n == nil:
	case !isScalar(n) || n.Tag != "!!int":
		c.errf(n, "version", ErrVersion, "want the number 1, got %s", kindName(n))
	case n.Value != "1":
		c.errf(n, "version", ErrVersion, "unsupported version %s: this slakit reads version 1", cut(n.Value, maxEcho))
	}
}
