package policy

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
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
	prioSet    map[string]bool // the priorities, for lookups
	ladderKeys map[string]bool
	calKeys    map[string]bool // every calendar named, compiled or not
	calNames   []string        // calKeys sorted, once needed
	metrics    map[string]bool // built-in and custom metric names
	levels     map[string][]levelRef
	calOpts    []calendar.Option // how calendars read holiday files
	at         map[string]loc    // sla.ConfigError field path -> place in the document
	rawPrios   []string          // the priorities as listed, repeats included, for sla to check
	prioNodes  []loc             // where each of rawPrios is (sla: priorities[i])
	firsts     map[string]*node  // "policy:NAME", "rule:NAME", "OLA:NAME" -> the first entry\'s name
}

// levelRef is where a ladder's level is, and the metric it watches.
type levelRef struct {
	node   *node
	field  string
	metric string
}

var topKeys = []string{"version", "calendars", "priorities", "rules", "slas", "escalations", "whatsapp", "kpis", "close_solved_after", "at_risk", "default_priority", "olas"}

// defaultTracker tracks windows with the default settings when the document
// has no whatsapp section; a Tracker is immutable, so sets share it.
var defaultTracker, _ = whatsappwindow.New(whatsappwindow.DefaultConfig())

func compileDoc(file string, src []byte, calOpts ...calendar.Option) (*Set, error) {
	c := &compiler{
		loader: &loader{file: file},
		set: &Set{
			file: file, calendars: map[string]*calendar.Calendar{}, ladders: map[string]*escalation.Ladder{},
			whatsapp: whatsappwindow.DefaultConfig(), tracker: defaultTracker, kpi: KPI{MaxAgentReplies: 1},
		},
		ladderKeys: map[string]bool{},
		prioSet:    map[string]bool{},
		calKeys:    map[string]bool{},
		metrics:    map[string]bool{},
		levels:     map[string][]levelRef{},
		calOpts:    calOpts,
		at:         map[string]loc{},
		firsts:     map[string]*node{},
	}
	for _, m := range sla.BuiltinMetrics() {
		c.metrics[string(m)] = true
	}
	root := c.parse(src)
	if root != nil {
		c.document(root)
	}
	if err := c.finish(&c.errs).Err(); err != nil {
		return nil, err
	}
	c.set.warnings = c.finish(&c.warns)
	slices.SortStableFunc(c.set.sites, func(a, b *evalSite) int {
		return cmp.Or(cmp.Compare(a.pos.Line, b.pos.Line), cmp.Compare(a.pos.Col, b.pos.Col))
	})
	return c.set, nil
}

func (c *compiler) document(root *node) {
	top := c.fields(root, "", "the policy document", topKeys...)
	if !isMap(root) {
		return
	}
	c.version(root, top)
	c.priorities(top["priorities"])
	if p, ok := top["default_priority"]; ok {
		c.set.defaultPriority, _ = c.name(p.val, "default_priority", "a priority")
		c.mark("default_priority", p.val, "default_priority")
	}
	c.calendars(top["calendars"])
	if p, ok := top["escalations"]; ok {
		for _, e := range c.pairs(p.val, "escalations", "escalation ladders by name") {
			c.ladderKeys[e.name] = true
		}
	}
	c.slas(top["slas"])
	c.olas(top["olas"])
	c.escalations(top["escalations"])
	c.rules(top["rules"])
	c.whatsapp(top["whatsapp"])
	c.kpis(top["kpis"])
	if p, ok := top["close_solved_after"]; ok {
		c.set.closeSolvedAfter, _ = c.duration(p.val, "close_solved_after")
		c.mark("close_solved_after", p.val, "close_solved_after")
	}
	if p, ok := top["at_risk"]; ok {
		c.set.atRisk, _ = c.percent(p.val, "at_risk")
		c.mark("at_risk", p.val, "at_risk")
	}
	c.engineErrors(root)
	c.unfired()
}

// known lists the defined names for a message about an undefined one;
// the sorted list is made once, at the first such message.
func (c *compiler) known(sorted *[]string, set map[string]bool) string {
	if len(set) == 0 {
		return " (none is defined)"
	}
	if *sorted == nil {
		*sorted = sortedSet(set)
	}
	return " (defined: " + nameList(*sorted, len(*sorted)) + ")"
}

// entryName reads the required name of the entry it (a policy, rule or
// OLA) and records where the first entry of that kind and name is (see
// firstLine); "" when there is none to use.
func (c *compiler) entryName(it *node, f map[string]pair, field, what string) string {
	n, has := f["name"]
	if !has {
		c.errf(it, field+".name", ErrField, "name is required")
		return ""
	}
	s, good := c.name(n.val, field+".name", "a "+what+" name")
	if !good {
		return ""
	}
	if _, seen := c.firsts[what+":"+s]; !seen {
		c.firsts[what+":"+s] = n.val
	}
	return s
}

// firstLine returns " (first at line N)" for an entry of that kind and
// name defined twice: the line of the first.
func (c *compiler) firstLine(what, name string) string {
	if n, ok := c.firsts[what+":"+name]; ok {
		return fmt.Sprintf(" (first at line %d)", n.Line)
	}
	return ""
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
