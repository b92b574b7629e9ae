package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"

	"github.com/slakit/slakit/kpi"
)

// The settings sections: version, priorities, whatsapp and kpis.

func (c *compiler) priorities(p pair) {
	if p.val == nil {
		c.defaultPriorities()
		return
	}
	items := c.list(p.val, "priorities", "priority names")
	c.rawPrios, c.prioNodes = make([]string, 0, len(items)), make([]loc, 0, len(items))
	for i, it := range items {
		field := fmt.Sprintf("priorities[%d]", i)
		s, ok := c.name(it, field, "a priority name")
		if !ok {
			continue
		}
		c.rawPrios = append(c.rawPrios, s)
		c.prioNodes = append(c.prioNodes, loc{it, field})
		if c.prioSet[s] {
			continue // sla reports the repeat
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
	c.rawPrios, c.prioNodes = nil, nil
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
	at := map[string]loc{} // whatsappwindow.ConfigError field -> place in the document
	if v, ok := f["closing_soon"]; ok {
		cfg.ClosingSoon = nil
		for i, it := range c.list(v.val, "whatsapp.closing_soon", "durations") {
			field := fmt.Sprintf("whatsapp.closing_soon[%d]", i)
			if d, good := c.duration(it, field); good {
				at[fmt.Sprintf("closing_soon[%d]", len(cfg.ClosingSoon))] = loc{it, field}
				cfg.ClosingSoon = append(cfg.ClosingSoon, d)
			}
		}
	}
	for key, d := range map[string]*time.Duration{"send_margin": &cfg.SendMargin, "max_skew": &cfg.MaxSkew} {
		if v, ok := f[key]; ok {
			*d, _ = c.duration(v.val, "whatsapp."+key)
			at[key] = loc{v.val, "whatsapp." + key}
		}
	}
	if v, ok := f["reactions_count"]; ok {
		cfg.ReactionsCount, _ = c.boolean(v.val, "whatsapp.reactions_count")
	}
	// The thresholds' rules are whatsappwindow's: New checks them and says
	// which field is wrong.
	tr, err := whatsappwindow.New(cfg)
	for _, e := range joined(err) {
		var ce *whatsappwindow.ConfigError
		if !errors.As(e, &ce) {
			c.errf(p.key, "whatsapp", ErrValue, "%v", e)
			continue
		}
		l, ok := at[ce.Field]
		if !ok {
			l = loc{p.key, "whatsapp." + ce.Field}
		}
		c.errf(l.node, l.field, ErrValue, "%s", ce.Msg)
	}
	if err == nil && len(c.errs) == n0 {
		c.set.whatsapp, c.set.tracker = cfg, tr
	}
}

// loc is where a value is in the document: its node and field path.
type loc struct {
	node  *node
	field string
}

// joined returns the errors joined in err (by errors.Join), or err alone.
func joined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
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

// goal reads one goal (kpis.goals or one group of kpis.goals_by) at field. kpi.ParseGoal checks the name and the
// target; the policy checks that a per-metric KPI names a metric it has.
func (c *compiler) goal(g pair, field string) (Goal, bool) {
	text, good := c.str(g.val, field, `a goal such as ">= 95%"`)
	if !good {
		return Goal{}, false
	}
	goal, err := kpi.ParseGoal(g.name, text)
	var ge *kpi.GoalError
	switch {
	case errors.As(err, &ge) && ge.Field == "name":
		c.errf(g.key, field, ErrUndefined, "unknown kpi %s (%s)", q(ge.KPI), ge.Msg)
		return Goal{}, false
	case errors.As(err, &ge):
		c.errf(g.val, field, ErrValue, "%s: %s", q(ge.Target), ge.Msg)
		return Goal{}, false
	case err != nil:
		c.errf(g.val, field, ErrValue, "%v", err)
		return Goal{}, false
	case goal.Metric != "" && !c.metrics[string(goal.Metric)]:
		c.errf(g.key, field, ErrUndefined, "metric %s is not a built-in metric or a custom metric of a policy", q(string(goal.Metric)))
		return Goal{}, false
	}
	return Goal{Name: g.name, Target: strings.TrimSpace(text),
		Pos: Position{File: c.file, Line: g.val.Line, Col: g.val.Column}, Goal: goal}, true
}
