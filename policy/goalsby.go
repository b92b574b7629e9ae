package policy

import (
	"errors"

	"github.com/slakit/slakit/kpi"
)

// goalsBy compiles kpis.goals_by: dimension, then group, then goals, e.g.
// {channel: {whatsapp: {first_response_p90: "<= 1h"}}}.
func (c *compiler) goalsBy(n *node) {
	for _, d := range c.pairs(n, "kpis.goals_by", "goals per dimension (channel, priority, team, fields.NAME, ...)") {
		dfield := "kpis.goals_by." + d.name
		var de *kpi.DimensionError
		switch err := kpi.CheckDimension(d.name); {
		case errors.As(err, &de):
			c.errf(d.key, dfield, ErrUndefined, "unknown group %s (%s)", q(de.Name), de.Msg)
			continue
		case err != nil:
			c.errf(d.key, dfield, ErrUndefined, "%v", err)
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
