package policy

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// compiler turns the node tree into a Set, in passes: the names other
// sections refer to first (priorities, calendars, ladder names), then the
// SLA policies (which define custom metrics), then ladders, rules and the
// rest.
type compiler struct {
	*loader
	set        *Set
	prioNode   *yaml.Node
	ladderKeys map[string]bool
	calKeys    map[string]bool // every calendar named, compiled or not
	metrics    map[string]bool // built-in and custom metric names
	levels     map[string][]levelRef
}

// levelRef is where a ladder's level is, and the metric it watches.
type levelRef struct {
	node   *yaml.Node
	field  string
	metric string
}

var topKeys = []string{"version", "calendars", "priorities", "rules", "slas", "escalations", "whatsapp", "kpis", "close_solved_after"}

// defaultTracker tracks windows with the default settings when the document
// has no whatsapp section; a Tracker is immutable, so sets share it.
var defaultTracker, _ = whatsappwindow.New(whatsappwindow.DefaultConfig())

func compileDoc(file string, src []byte) (*Set, error) {
	c := &compiler{
		loader: &loader{file: file},
		set: &Set{
			file: file, calendars: map[string]*calendar.Calendar{}, ladders: map[string]*escalation.Ladder{},
			whatsapp: whatsappwindow.DefaultConfig(), tracker: defaultTracker, kpi: KPI{MaxAgentReplies: 1},
		},
		ladderKeys: map[string]bool{},
		calKeys:    map[string]bool{},
		metrics:    map[string]bool{},
		levels:     map[string][]levelRef{},
	}
	for _, m := range []sla.Metric{sla.FirstResponse, sla.NextResponse, sla.PeriodicUpdate, sla.Resolution} {
		c.metrics[string(m)] = true
	}
	root := c.parse(src)
	if root != nil {
		c.document(root)
	}
	c.errs.sort()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	c.warns.sort()
	c.set.warnings = c.warns
	return c.set, nil
}

func (c *compiler) document(root *yaml.Node) {
	top := c.fields(root, "", "the policy document", topKeys...)
	if root.Kind != yaml.MappingNode {
		return
	}
	if v, ok := top["version"]; !ok {
		c.errf(root, "version", ErrVersion, "version is required: add version: 1")
	} else if n := c.resolve(v.val); n != nil && (n.Kind != yaml.ScalarNode || n.Tag != "!!int") {
		c.errf(n, "version", ErrVersion, "want the number 1, got %s", kindName(n))
	} else if n != nil && n.Value != "1" {
		c.errf(n, "version", ErrVersion, "unsupported version %s: this slakit reads version 1", n.Value)
	}
	c.priorities(top["priorities"])
	c.calendars(top["calendars"])
	if p, ok := top["escalations"]; ok {
		for _, e := range c.pairs(p.val, "escalations", "escalation ladders by name") {
			c.ladderKeys[e.name] = true
		}
	}
	c.slas(top["slas"])
	c.escalations(top["escalations"])
	c.rules(top["rules"])
	c.whatsapp(top["whatsapp"])
	c.kpis(top["kpis"])
	if p, ok := top["close_solved_after"]; ok {
		c.set.closeSolvedAfter, _ = c.duration(p.val, "close_solved_after")
	}
	c.unfired()
}

// unfired warns about ladders no policy uses and levels that watch a
// metric none of the policies using their ladder has a target for.
func (c *compiler) unfired() {
	for _, name := range sortedSet(c.ladderKeys) {
		refs := c.levels[name]
		if len(refs) == 0 {
			continue
		}
		var users []sla.Policy
		for _, p := range c.set.policies {
			if p.Escalation == name {
				users = append(users, p)
			}
		}
		if len(users) == 0 {
			c.warnf(refs[0].node, "escalations."+name, "ladder %q is used by no policy: its levels never fire", name)
			continue
		}
		for _, r := range refs {
			if r.metric == "" || r.metric == escalation.AnyMetric {
				continue // the ticket's clocks or the window can make it fire
			}
			targeted := false
			for _, p := range users {
				for _, ts := range p.Targets {
					if ts[sla.Metric(r.metric)] > 0 {
						targeted = true
					}
				}
			}
			if !targeted {
				c.warnf(r.node, r.field, "level can never fire: no policy using ladder %q has a target for %s", name, r.metric)
			}
		}
	}
}

func (c *compiler) priorities(p pair) {
	if p.val == nil {
		c.set.priorities = slices.Clone(sla.DefaultPriorities())
		return
	}
	c.prioNode = p.key
	items := c.list(p.val, "priorities", "priority names")
	for i, it := range items {
		field := fmt.Sprintf("priorities[%d]", i)
		s, ok := c.name(it, field, "a priority name")
		if !ok {
			continue
		}
		if slices.Contains(c.set.priorities, s) {
			c.errf(it, field, ErrDuplicate, "priority %q listed twice", s)
			continue
		}
		c.set.priorities = append(c.set.priorities, s)
	}
	if len(c.set.priorities) == 0 {
		if n := c.resolve(p.val); len(items) == 0 && n != nil && (n.Kind == yaml.SequenceNode || n.Tag == "!!null") {
			c.errf(p.val, "priorities", ErrValue, "empty list: name the priorities highest first, or leave the key out for urgent, high, normal, low")
		}
		c.set.priorities = slices.Clone(sla.DefaultPriorities())
	}
}

func (c *compiler) priority(n *yaml.Node, field string) (string, bool) {
	s, ok := c.name(n, field, "a priority")
	if !ok {
		return "", false
	}
	if !slices.Contains(c.set.priorities, s) {
		c.errf(n, field, ErrUndefined, "undefined priority %q (priorities: %s)", s, strings.Join(c.set.priorities, ", "))
		return "", false
	}
	return s, true
}

func (c *compiler) calendars(p pair) {
	for _, e := range c.pairs(p.val, "calendars", "calendars by name") {
		field := "calendars." + e.name
		c.calKeys[e.name] = true
		f := c.fields(e.val, field, "a calendar", "timezone", "hours", "holidays", "overrides")
		at := map[string]*yaml.Node{} // SpecError field path -> node
		var spec calendar.Spec
		ok := true
		if tz, has := f["timezone"]; has {
			at["timezone"] = tz.val
			spec.Timezone, _ = c.str(tz.val, field+".timezone", "an IANA zone name")
		} else {
			c.errf(e.key, field+".timezone", ErrCalendar, "timezone is required (an IANA name such as America/Sao_Paulo, or UTC)")
			ok = false
		}
		ranges := func(sect string) map[string][]string {
			s, has := f[sect]
			if !has {
				return nil
			}
			at[sect] = s.key
			out := map[string][]string{}
			for _, d := range c.pairs(s.val, field+"."+sect, "a mapping of "+sect) {
				at[sect+"."+d.name] = d.key
				items := c.list(d.val, field+"."+sect+"."+d.name, "time ranges")
				list := make([]string, 0, len(items))
				for i, it := range items {
					path := fmt.Sprintf("%s.%s[%d]", sect, d.name, i)
					at[path] = it
					if v, good := c.str(it, field+"."+path, `a range "HH:MM-HH:MM"`); good {
						list = append(list, v)
					} else {
						ok = false
					}
				}
				out[d.name] = list
			}
			return out
		}
		spec.Hours = ranges("hours")
		spec.Overrides = ranges("overrides")
		if h, has := f["holidays"]; has {
			for i, it := range c.list(h.val, field+".holidays", "holiday sets and dates") {
				path := fmt.Sprintf("holidays[%d]", i)
				at[path] = it
				if v, good := c.str(it, field+"."+path, `a holiday set such as "br" or a date "2026-12-24"`); good {
					spec.Holidays = append(spec.Holidays, v)
				} else {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		cal, err := calendar.New(spec)
		if err != nil {
			specErrs, isList := err.(calendar.SpecErrors)
			if !isList {
				c.errf(e.key, field, ErrCalendar, "%v", err)
				continue
			}
			for _, se := range specErrs {
				n := at[se.Field]
				if se.Value != "" && (se.Field == "hours" || se.Field == "overrides") {
					if k := at[se.Field+"."+se.Value]; k != nil {
						n = k
					}
				}
				if n == nil {
					n = e.key
				}
				msg := strings.TrimPrefix(se.Error(), "calendar: "+se.Field+": ")
				c.errf(n, field+"."+se.Field, ErrCalendar, "%s", msg)
			}
			continue
		}
		c.set.calendars[e.name] = cal
	}
}

// calendarRef resolves a calendar name.
func (c *compiler) calendarRef(n *yaml.Node, field string) (*calendar.Calendar, bool) {
	s, ok := c.name(n, field, "a calendar name")
	if !ok {
		return nil, false
	}
	cal, ok := c.set.calendars[s]
	if !ok && c.calKeys[s] {
		return nil, false // the calendar has errors of its own
	}
	if !ok {
		c.errf(n, field, ErrUndefined, "undefined calendar %q%s", s, known(sortedSet(c.calKeys)))
		return nil, false
	}
	return cal, true
}

func known(names []string) string {
	if len(names) == 0 {
		return " (none is defined)"
	}
	return " (defined: " + strings.Join(names, ", ") + ")"
}

// expression compiles the boolean expression held by n.
func (c *compiler) expression(n *yaml.Node, field string, kind envKind) (*vm.Program, bool) {
	src, ok := c.str(n, field, "an expression")
	if !ok {
		return nil, false
	}
	if strings.TrimSpace(src) == "" {
		c.errf(n, field, ErrExpr, "empty expression; leave the key out to match always")
		return nil, false
	}
	prog, e := compileExpr(src, kind, c.set.calendars, c.calKeys)
	if e != nil {
		if r := c.resolve(n); r != nil {
			n = r
		}
		switch {
		case kind == envTicket && (e.Msg == "unknown name event" || e.Msg == "unknown name now"):
			e.Msg += "; SLA policy when and metric pause see only ticket"
		case kind == envLevel && e.Msg == "unknown name event":
			e.Msg += "; a level's when sees ticket, clock and now"
		}
		line, col := c.exprPos(n, e.Line, e.Col)
		sentinel := ErrExpr
		if e.Undefined {
			sentinel = ErrUndefined
		}
		c.errs = append(c.errs, &Error{File: c.file, Line: line, Col: col, Field: field,
			Msg: fmt.Sprintf("%s (expression %d:%d)", exprMessage(e.Msg), e.Line, e.Col), Err: sentinel})
		return nil, false
	}
	return prog, true
}

var envNames = strings.NewReplacer(
	"*policy.eventExprEnv", "the environment", "*policy.ticketExprEnv", "the environment",
	"*policy.levelExprEnv", "the environment", "*policy.ticketEnv", "ticket", "*policy.eventEnv", "event",
	"*policy.customerEnv", "customer", "policy.ticketEnv", "ticket", "policy.eventEnv", "event",
	"policy.customerEnv", "customer", "escalation.ClockInfo", "clock", "*policy.keywords", "[]string",
	"*calendar.Calendar", "calendar name",
)

func exprMessage(msg string) string { return envNames.Replace(msg) }

// Condition adapters: the engine wants Go funcs. Environments are pooled.
var (
	ticketEnvPool = sync.Pool{New: func() any { return newTicketExprEnv() }}
	levelEnvPool  = sync.Pool{New: func() any { return newLevelExprEnv() }}
)

func ticketCond(prog *vm.Program) func(*sla.Ticket) bool {
	p := newCond(prog)
	return func(t *sla.Ticket) bool {
		if t == nil {
			return false
		}
		env := ticketEnvPool.Get().(*ticketExprEnv)
		env.t.load(t)
		ok := p.eval(env)
		env.t.load(&sla.Ticket{})
		ticketEnvPool.Put(env)
		return ok
	}
}

func eventCond(prog *vm.Program) func(*sla.Ticket, *sla.Event) bool {
	p := newCond(prog)
	return func(t *sla.Ticket, ev *sla.Event) bool {
		if t == nil || ev == nil {
			return false
		}
		env := eventEnvPool.Get().(*eventExprEnv)
		env.set(t, ev)
		ok := p.eval(env)
		env.reset()
		eventEnvPool.Put(env)
		return ok
	}
}

func levelCond(prog *vm.Program) func(*escalation.Context) bool {
	p := newCond(prog)
	return func(x *escalation.Context) bool {
		if x == nil {
			return false
		}
		env := levelEnvPool.Get().(*levelExprEnv)
		if t, ok := x.Ticket.(*sla.Ticket); ok && t != nil {
			env.t.load(t)
		}
		env.Clock = x.Clock
		env.Now = x.At
		ok := p.eval(env)
		env.t.load(&sla.Ticket{})
		env.Clock, env.Now = escalation.ClockInfo{}, time.Time{}
		levelEnvPool.Put(env)
		return ok
	}
}

var policyKeys = []string{"name", "when", "calendar", "targets", "pause_on", "reopen", "count_bot_replies", "escalation", "metrics"}

func (c *compiler) slas(p pair) {
	items := c.list(p.val, "slas", "SLA policies")
	names := map[string]*yaml.Node{}
	var catchAll string
	for i, it := range items {
		field := fmt.Sprintf("slas[%d]", i)
		f := c.fields(it, field, "an SLA policy", policyKeys...)
		if it.Kind != yaml.MappingNode {
			continue
		}
		var pol sla.Policy
		nameNode := it
		if n, ok := f["name"]; ok {
			nameNode = n.val
		}
		pol.Name = c.uniqueName(it, f, field, "policy", names)
		if catchAll != "" {
			c.warnf(nameNode, field, "policy %q can never apply: policy %q above it has no when and matches every ticket", pol.Name, catchAll)
		}
		if w, ok := f["when"]; ok {
			if prog, good := c.expression(w.val, field+".when", envTicket); good {
				pol.When = ticketCond(prog)
			}
		} else if catchAll == "" {
			catchAll = pol.Name
		}
		if cl, ok := f["calendar"]; ok {
			pol.Calendar, _ = c.calendarRef(cl.val, field+".calendar")
		}
		if po, ok := f["pause_on"]; ok {
			pol.PauseOn = []sla.Status{}
			for j, st := range c.list(po.val, field+".pause_on", "statuses") {
				sf := fmt.Sprintf("%s.pause_on[%d]", field, j)
				s, good := c.name(st, sf, "a status")
				if !good {
					continue
				}
				switch sla.Status(s) {
				case sla.StatusNew, sla.StatusOpen, sla.StatusPending, sla.StatusOnHold:
					pol.PauseOn = append(pol.PauseOn, sla.Status(s))
				default:
					c.errf(st, sf, ErrValue, "status %q cannot pause the resolution clock (want new, open, pending or on_hold)", s)
				}
			}
		}
		if r, ok := f["reopen"]; ok {
			if s, good := c.name(r.val, field+".reopen", "resume or restart"); good {
				switch sla.Reopen(s) {
				case sla.ReopenResume, sla.ReopenRestart:
					pol.Reopen = sla.Reopen(s)
				default:
					c.errf(r.val, field+".reopen", ErrValue, "reopen %q: want resume or restart", s)
				}
			}
		}
		if b, ok := f["count_bot_replies"]; ok {
			pol.CountBotReplies, _ = c.boolean(b.val, field+".count_bot_replies")
		}
		if e, ok := f["escalation"]; ok {
			if s, good := c.name(e.val, field+".escalation", "a ladder name"); good {
				if !c.ladderKeys[s] {
					c.errf(e.val, field+".escalation", ErrUndefined, "undefined escalation ladder %q%s", s, known(sortedSet(c.ladderKeys)))
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
			pol.Targets = c.targets(t, field+".targets", own)
		} else {
			c.warnf(nameNode, field, "policy %q has no targets: it runs no clocks", pol.Name)
		}
		c.set.policies = append(c.set.policies, pol)
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (c *compiler) customMetrics(n *yaml.Node, field string, own map[string]bool) []sla.CustomMetric {
	var out []sla.CustomMetric
	for _, e := range c.pairs(n, field, "custom metrics by name") {
		mf := field + "." + e.name
		if isBuiltin(e.name) {
			c.errf(e.key, mf, ErrDuplicate, "%q is a built-in metric", e.name)
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
			prog, good := c.expression(v.val, mf+"."+k, envEvent)
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
			if prog, good := c.expression(v.val, mf+".pause", envTicket); good {
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

func (c *compiler) targets(t pair, field string, own map[string]bool) map[string]map[sla.Metric]time.Duration {
	out := map[string]map[sla.Metric]time.Duration{}
	for _, pe := range c.pairs(t.val, field, "targets by priority") {
		pf := field + "." + pe.name
		if !slices.Contains(c.set.priorities, pe.name) {
			c.errf(pe.key, pf, ErrUndefined, "undefined priority %q (priorities: %s)", pe.name, strings.Join(c.set.priorities, ", "))
			continue
		}
		ts := map[sla.Metric]time.Duration{}
		var nextNode *yaml.Node
		for _, me := range c.pairs(pe.val, pf, "targets by metric") {
			mf := pf + "." + me.name
			if !isBuiltin(me.name) && !own[me.name] {
				c.errf(me.key, mf, ErrUndefined, "undefined metric %q (want first_response, next_response, periodic_update, resolution or a metric of this policy)", me.name)
				continue
			}
			if d, ok := c.duration(me.val, mf); ok {
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
	var missing []string
	for _, p := range c.set.priorities {
		if _, ok := out[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 && len(out) > 0 {
		c.warnf(t.key, field, "no targets for priority %s: tickets of that priority get no clocks under this policy", strings.Join(missing, ", "))
	}
	return out
}

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
		names := map[string]*yaml.Node{}
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

// uniqueName reads the required name of the entry it (a policy, rule or
// level), reporting a missing name and one already in names, where it is
// then recorded; "" when there is none to use.
func (c *compiler) uniqueName(it *yaml.Node, f map[string]pair, field, what string, names map[string]*yaml.Node) string {
	n, has := f["name"]
	if !has {
		c.errf(it, field+".name", ErrField, "name is required")
		return ""
	}
	s, good := c.name(n.val, field+".name", "a "+what+" name")
	if !good {
		return ""
	}
	if prev, dup := names[s]; dup {
		where := ""
		if what == "level" {
			where = " in the ladder"
		}
		c.errf(n.val, field+".name", ErrDuplicate, "%s %q defined twice%s (first at line %d)", what, s, where, prev.Line)
	}
	names[s] = n.val
	return s
}

func (c *compiler) level(it *yaml.Node, lf string, names map[string]*yaml.Node) (escalation.Level, bool) {
	var lv escalation.Level
	f := c.fields(it, lf, "an escalation level", levelKeys...)
	if it.Kind != yaml.MappingNode {
		return lv, false
	}
	n0 := len(c.errs)
	lv.Name = c.uniqueName(it, f, lf, "level", names)
	if m, has := f["metric"]; has {
		if s, good := c.name(m.val, lf+".metric", "a metric name"); good {
			if s != escalation.AnyMetric && !c.metrics[s] {
				c.errf(m.val, lf+".metric", ErrUndefined, "undefined metric %q (want any, a built-in metric or a custom metric of a policy)", s)
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
		if prog, good := c.expression(w.val, lf+".when", envLevel); good {
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

func (c *compiler) action(n *yaml.Node, field string) (escalation.Action, bool) {
	ps := c.pairs(n, field, "an action such as {notify: assignee}")
	if len(ps) != 1 {
		if len(ps) > 1 {
			c.errf(ps[1].key, field, ErrField, "an action has one key; write each action as its own list item")
		} else if r := c.resolve(n); r != nil && r.Kind == yaml.MappingNode {
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
	c.errf(p.key, af, ErrField, "unknown action %q (want %s)", p.name, strings.Join(actionKeys, ", "))
	return act, false
}

var ruleKeys = []string{"name", "on", "when", "set", "stop"}

func (c *compiler) rules(p pair) {
	names := map[string]*yaml.Node{}
	for i, it := range c.list(p.val, "rules", "routing rules") {
		field := fmt.Sprintf("rules[%d]", i)
		f := c.fields(it, field, "a routing rule", ruleKeys...)
		if it.Kind != yaml.MappingNode {
			continue
		}
		r := &rule{on: eventBit(sla.EventCreated)}
		r.name = c.uniqueName(it, f, field, "rule", names)
		r.set.Rule = r.name
		if o, has := f["on"]; has {
			r.on = 0
			items := []*yaml.Node{o.val}
			if n := c.resolve(o.val); n != nil && n.Kind != yaml.ScalarNode {
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
					c.errf(it, tf, ErrValue, "unknown event type %q (want %s)", t, eventTypeList())
				}
				r.on |= bit
			}
		}
		if w, has := f["when"]; has {
			prog, _ := c.expression(w.val, field+".when", envEvent)
			r.when = newCond(prog)
		}
		if s, has := f["stop"]; has {
			r.set.Stop, _ = c.boolean(s.val, field+".stop")
		}
		if s, has := f["set"]; has {
			c.ruleSet(s.val, field+".set", &r.set)
		} else if !r.set.Stop {
			c.errf(it, field+".set", ErrField, "set is required (priority, team, agent, tags, fields), unless the rule only stops")
		}
		c.set.rules = append(c.set.rules, r)
		c.set.ruleNames = append(c.set.ruleNames, r.name)
	}
}

func eventTypeList() string {
	s := make([]string, len(eventTypes))
	for i, t := range eventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (c *compiler) ruleSet(n *yaml.Node, field string, d *Decision) {
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

func (c *compiler) whatsapp(p pair) {
	if p.val == nil {
		return
	}
	f := c.fields(p.val, "whatsapp", "the WhatsApp settings", "closing_soon", "send_margin", "max_skew", "reactions_count")
	cfg := whatsappwindow.DefaultConfig()
	n0 := len(c.errs)
	if v, ok := f["closing_soon"]; ok {
		cfg.ClosingSoon = nil
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
			if slices.Contains(cfg.ClosingSoon, d) {
				c.errf(it, field, ErrDuplicate, "%v listed twice", d)
				continue
			}
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
	f := c.fields(p.val, "kpis", "the KPI settings", "fcr", "goals")
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
			field := "kpis.goals." + g.name
			_, metric, err := kpi.KPIUnit(g.name)
			if err == nil && metric != "" && !c.metrics[string(metric)] {
				err = fmt.Errorf("metric %q is not a built-in metric or a custom metric of a policy", metric)
			}
			if err != nil {
				c.errf(g.key, field, ErrUndefined, "%s", strings.TrimPrefix(err.Error(), "kpi: "))
				continue
			}
			text, good := c.str(g.val, field, `a goal such as ">= 95%"`)
			if !good {
				continue
			}
			goal, err := kpi.ParseGoal(g.name, text)
			if err != nil {
				c.errf(g.val, field, ErrValue, "%s", strings.TrimPrefix(err.Error(), "kpi: "))
				continue
			}
			c.set.kpi.Goals = append(c.set.kpi.Goals, Goal{Name: g.name, Target: strings.TrimSpace(text),
				Pos: Position{File: c.file, Line: g.val.Line, Col: g.val.Column}, Goal: goal})
		}
	}
}
