package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/slakit/slakit/escalation"
)

// The escalations section: ladders, their levels and actions, and the
// warnings about levels that can never fire.

var levelKeys = []string{"name", "metric", "at", "when", "during", "actions"}

// The rules of a ladder (names, triggers, actions, the number of levels)
// are escalation.New's: this file reads the levels, checks what only the
// document knows (types, metrics, priorities, calendars, expressions), and
// places New's errors at the nodes their field paths name.

// ladderDoc is a ladder as read from the document: where each field path
// an escalation.LevelError may name is, and how many errors the document
// had before the ladder.
type ladderDoc struct {
	key   *node
	field string // "escalations.NAME"
	at    map[string]place
	n0    int // len(c.errs) before the ladder
}

// place is where a field path of escalation.New is in the document, and
// the sentinel its errors get.
type place struct {
	loc
	sentinel error
}

func (c *compiler) escalations(p pair) {
	for _, e := range c.pairs(p.val, "escalations", "escalation ladders by name") {
		d := ladderDoc{key: e.key, field: "escalations." + e.name, at: map[string]place{}, n0: len(c.errs)}
		var levels []escalation.Level
		for i, it := range c.entries(e.val, d.field, "levels") {
			lv := c.level(it, i, &d)
			levels = append(levels, lv)
			c.levels[e.name] = append(c.levels[e.name], levelRef{node: it, field: fmt.Sprintf("%s[%d]", d.field, i), metric: lv.Metric})
		}
		for path, pl := range d.at { // for sla's checks of the ladder (set_priority)
			c.mark("ladders."+e.name+"."+path, pl.node, pl.field)
		}
		l, err := escalation.New(e.name, levels)
		c.ladderErrors(err, &d, levels)
		if err == nil && len(c.errs) == d.n0 {
			c.set.ladders[e.name] = l
		}
	}
}

// ladderErrors places the errors of escalation.New. An error at a field
// the document already had an error at, or inside or around it, is the
// same problem seen from the Go side (a level that is not a mapping has no
// name): it is dropped.
func (c *compiler) ladderErrors(err error, d *ladderDoc, levels []escalation.Level) {
	for _, e := range joined(err) {
		var le *escalation.LevelError
		if !errors.As(e, &le) {
			c.errf(d.key, d.field, ErrValue, "%v", e)
			continue
		}
		field := d.field + strings.TrimPrefix(le.Field, "levels")
		if le.Field != "levels" && erredNear(c.errs[d.n0:], field) {
			continue
		}
		pl, found := d.at[le.Field]
		switch {
		case le.Field == "levels":
			pl = place{loc{d.key, d.field}, ErrValue}
		case !found:
			// The key is missing: place the error at the level.
			lp, _, _ := strings.Cut(le.Field, ".")
			n := d.key
			if lv, ok := d.at[lp]; ok {
				n = lv.node
			}
			pl = place{loc{n, field}, ErrField}
		}
		msg := le.Msg
		if errors.Is(le, escalation.ErrDuplicateLevel) {
			pl.sentinel = ErrDuplicate
			msg += d.firstLine(le.Field, levels)
		}
		c.errf(pl.node, pl.field, pl.sentinel, "%s", msg)
	}
}

// firstLine returns " (first at line N)" for a duplicate level name at
// path ("levels[i].name"): the line of the first level of that name.
func (d *ladderDoc) firstLine(path string, levels []escalation.Level) string {
	var i int
	if _, err := fmt.Sscanf(path, "levels[%d].name", &i); err != nil || i >= len(levels) {
		return ""
	}
	for k := range i {
		if levels[k].Name == levels[i].Name {
			if pl, ok := d.at[fmt.Sprintf("levels[%d].name", k)]; ok {
				return fmt.Sprintf(" (first at line %d)", pl.node.Line)
			}
		}
	}
	return ""
}

// erredNear reports whether one of errs is at field, inside it, or at a
// field that contains it.
func erredNear(errs []*Error, field string) bool {
	within := func(inner, outer string) bool {
		return strings.HasPrefix(inner, outer) && len(inner) > len(outer) && (inner[len(outer)] == '.' || inner[len(outer)] == '[')
	}
	for _, e := range errs {
		if e.Field == field || within(e.Field, field) || within(field, e.Field) {
			return true
		}
	}
	return false
}

func (c *compiler) level(it *node, i int, d *ladderDoc) escalation.Level {
	var lv escalation.Level
	lf := fmt.Sprintf("%s[%d]", d.field, i)
	path := fmt.Sprintf("levels[%d]", i)
	d.at[path] = place{loc{it, lf}, ErrValue}
	f := c.fields(it, lf, "an escalation level", levelKeys...)
	if !isMap(it) {
		return lv
	}
	if n, has := f["name"]; has {
		d.at[path+".name"] = place{loc{n.val, lf + ".name"}, ErrValue}
		lv.Name, _ = c.name(n.val, lf+".name", "a level name")
	}
	if m, has := f["metric"]; has {
		d.at[path+".metric"] = place{loc{m.val, lf + ".metric"}, ErrValue}
		if s, good := c.name(m.val, lf+".metric", "a metric name"); good {
			if s != escalation.AnyMetric && !c.metrics[s] {
				c.errf(m.val, lf+".metric", ErrUndefined, "undefined metric %s (want any, a built-in metric, a custom metric of a policy or an OLA metric)", q(s))
			}
			lv.Metric = s
		}
	}
	if a, has := f["at"]; has {
		d.at[path+".at"] = place{loc{a.val, lf + ".at"}, ErrValue}
		lv.At = c.trigger(a.val, lf+".at")
	}
	if w, has := f["when"]; has {
		if prog, good := c.expression(w.val, lf+".when", lv.Name, envLevel); good {
			lv.When, lv.WhenTicketOnly = levelCond(prog), prog.native != nil // the fast path reads the ticket alone
			lv.WhenTicket = levelTicketCond(prog)
			lv.WhenReads = uint64(prog.reads()) // what the engine must see change to ask it again
		}
	}
	if dn, has := f["during"]; has {
		lv.During, _ = c.calendarRef(dn.val, lf+".during")
	}
	if a, has := f["actions"]; has {
		d.at[path+".actions"] = place{loc{a.val, lf + ".actions"}, ErrValue}
		for j, an := range c.list(a.val, lf+".actions", "actions") {
			if act, pl, good := c.action(an, fmt.Sprintf("%s.actions[%d]", lf, j)); good {
				d.at[fmt.Sprintf("%s.actions[%d]", path, len(lv.Actions))] = pl
				lv.Actions = append(lv.Actions, act)
			}
		}
	}
	return lv
}

// trigger reads a level's at.
func (c *compiler) trigger(n *node, field string) escalation.Trigger {
	s, good := c.str(n, field, "a trigger such as 80%, breach+2h or 20m")
	if !good {
		return escalation.Trigger{}
	}
	tr, err := escalation.ParseTrigger(s)
	var te *escalation.TriggerError
	switch {
	case errors.As(err, &te):
		c.errf(n, field, ErrValue, "bad trigger %s: %s", q(te.Text), te.Msg)
	case err != nil:
		c.errf(n, field, ErrValue, "%v", err)
	}
	return tr
}

var actionKeys = []string{"notify", "assign", "escalate", "set_priority", "add_tags", "message_customer", "custom"}

// action reads one action, and where escalation.New's errors about it
// belong.
func (c *compiler) action(n *node, field string) (escalation.Action, place, bool) {
	ps := c.pairs(n, field, "an action such as {notify: assignee}")
	if len(ps) != 1 {
		if len(ps) > 1 {
			c.errf(ps[1].key, field, ErrField, "an action has one key; write each action as its own list item")
		} else if r := c.resolve(n); r != nil && (isMap(r) || isNull(r)) {
			c.errf(n, field, ErrField, "empty action; want one of %s", strings.Join(actionKeys, ", "))
		}
		return escalation.Action{}, place{}, false
	}
	p := ps[0]
	af := field + "." + p.name
	act := escalation.Action{Type: escalation.ActionType(p.name)}
	pl := place{loc{p.val, af}, ErrValue}
	ok := true
	switch p.name {
	case "notify", "assign", "escalate", "message_customer":
		act.Target, ok = c.name(p.val, af, "a target")
	case "set_priority":
		act.Target, ok = c.priority(p.val, af)
	case "add_tags":
		act.Tags, ok = c.strs(p.val, af, "a tag")
	case "custom":
		pl = place{loc{p.key, af + ".name"}, ErrField}
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
	default:
		c.errf(p.key, af, ErrField, "unknown action %s (want %s)", q(p.name), strings.Join(actionKeys, ", "))
		return act, pl, false
	}
	return act, pl, ok
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
