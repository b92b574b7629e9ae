package policy

import (
	"fmt"
	"strings"

	"github.com/slakit/slakit/kpi"
)

// goal compiles one goal entry (KPI name: target) at field.
func (c *compiler) goal(g pair, field string) (Goal, bool) {
	_, metric, err := kpi.KPIUnit(g.name)
	if err == nil && metric != "" && !c.metrics[string(metric)] {
		err = fmt.Errorf("metric %s is not a built-in metric or a custom metric of a policy", q(string(metric)))
	}
	if err != nil {
		c.errf(g.key, field, ErrUndefined, "%s", strings.TrimPrefix(err.Error(), "kpi: "))
		return Goal{}, false
	}
	text, good := c.str(g.val, field, `a goal such as ">= 95%"`)
	if !good {
		return Goal{}, false
	}
	goal, err := kpi.ParseGoal(g.name, text)
	if err != nil {
		c.errf(g.val, field, ErrValue, "%s", strings.TrimPrefix(err.Error(), "kpi: "))
		return Goal{}, false
	}
	return Goal{Name: g.name, Target: strings.TrimSpace(text),
		Pos: Position{File: c.file, Line: g.val.Line, Col: g.val.Column}, Goal: goal}, true
}

// goalsBy compiles kpis.goals_by: dimension, then group, then goals, e.g.
// {channel: {whatsapp: {first_response_p90: "<= 1h"}}}.
func (c *compiler) goalsBy(n *node) {
	for _, d := range c.pairs(n, "kpis.goals_by", "goals per dimension (channel, priority, team, fields.NAME, ...)") {
		dfield := "kpis.goals_by." + d.name
		if err := kpi.CheckDimension(d.name); err != nil {
			c.errf(d.key, dfield, ErrUndefined, "%s", strings.TrimPrefix(err.Error(), "kpi: invalid config: "))
			continue
		}
		for _, grp := range c.pairs(d.val, dfield, "goals per group value") {
			gfield := dfield + "." + grp.name
			for _, g := range c.pairs(grp.val, gfield, "goals by KPI name") {
				goal, ok := c.goal(g, gfield+"."+g.name)
				if !ok {
					continue
				}
				if c.set.kpi.GoalsBy == nil {
					c.set.kpi.GoalsBy = map[string]map[string][]Goal{}
				}
				if c.set.kpi.GoalsBy[d.name] == nil {
					c.set.kpi.GoalsBy[d.name] = map[string][]Goal{}
				}
				c.set.kpi.GoalsBy[d.name][grp.name] = append(c.set.kpi.GoalsBy[d.name][grp.name], goal)
			}
		}
	}
}
