package sla

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/whatsappwindow"
)

// Engine applies events to ticket states and evaluates their clocks.
// It is built once by [NewEngine], is immutable, and is safe for
// concurrent use by multiple goroutines. Only an Engine from NewEngine is
// usable: the zero Engine and a nil *Engine are not (their methods may
// panic).
type Engine struct {
	policies []*compiled
	// names holds the policies' names, in order: policy looks a name up
	// at every event and result, in one run of memory rather than in
	// each compiled policy.
	names   []string
	byName  map[string]int
	prios   []string
	prioIdx map[string]int
	// prioSlot finds a priority by its name's hash (prioHash): 0 for
	// none, i+1 for prios[i]; prioHashed says no two priorities share a
	// hash, else prioIndex looks the name up in prioIdx.
	prioSlot   [prioSlots]uint8
	prioNames  []string // "" and then prios, so that prioSlot's values index it
	prioHashed bool
	defPrio    int
	router     Router
	// bitRouter is router when it takes the event's type as a bit (see
	// bitRouter), ruleNames its rules' names and routeNeeds what an event
	// must have for one of them to apply. routeTypes are the types
	// route asks the router about: the bitRouter's types, every type for
	// another router, none without one.
	bitRouter  bitRouter
	ruleNames  []string
	routeNeeds *eventbit.Needs
	routeTypes eventbit.Set
	// customs lists every custom metric some policy defines, once, in
	// order of first definition: they are tracked on every ticket, as the
	// built-in metrics are (see customMetric).
	customs []Metric
	// customRules holds the rule of each of customs while no policy is in
	// force (see customMetric).
	customRules []customRule
	customOn    eventbit.Set // of customRules (see compiled.customOn)
	// customDef is the definition of each custom metric by the first
	// policy that defines it.
	customDef map[Metric]*CustomMetric
	ladders   bool // some policy has an escalation ladder
	// id tells this engine from every other built in the process (see
	// State.fireBy): from 1 on, in order of construction.
	id uint64
	// ixID is the engine's stamp on the policy and priority indices it
	// keeps in states (see State.ixBy): its id, or noStamp.
	ixID uint32
	// ixPols is nil and then policies: a state's policy index (1 + the
	// position, 0 for none) indexes it.
	ixPols   []*compiled
	whatsapp *whatsappwindow.Tracker
	// sendMargin is the tracker's send margin (free-form must go out that
	// long before the window closes).
	sendMargin time.Duration
	closeAfter time.Duration // Config.CloseSolvedAfter
	atRisk     float64       // Config.AtRisk, defaulted
	olas       []*compiledOLA
	// olaTeams holds the teams the OLAs name, once each; olaAnyTeam says
	// some OLA picks holdings by its When instead (see mayHold). olaLens
	// has the bit teamLenBit of the length of each of olaTeams' names.
	olaTeams   []string
	olaAnyTeam bool
	olaLens    uint64
	// reads is what choosing the policy again reads of a ticket: the
	// priority, and what the policies' When and CalendarBy read.
	reads Attrs
}

// engines counts the engines built, to give each its id.
var engines atomic.Uint64

// NewEngine checks cfg and builds an engine. Every problem is reported at
// once, joined: each is a [*ConfigError] naming the offending field, and
// matches [ErrConfig] with [errors.Is].
func NewEngine(cfg Config) (*Engine, error) {
	var errs configErrors
	e := &Engine{byName: map[string]int{}, prioIdx: map[string]int{}, router: cfg.Rules, whatsapp: cfg.WhatsApp}
	if cfg.WhatsApp != nil {
		e.sendMargin = cfg.WhatsApp.Config().SendMargin
	}
	if br, ok := cfg.Rules.(bitRouter); ok {
		e.bitRouter, e.ruleNames, e.routeNeeds, e.routeTypes = br, br.RuleNames(), br.RouteNeeds(), br.RouteTypes()
	} else if cfg.Rules != nil {
		e.routeTypes = eventbit.All
	}
	e.id = engines.Add(1)
	e.ixID = stampOf(e.id)
	e.closeAfter = cfg.CloseSolvedAfter
	if cfg.CloseSolvedAfter < 0 || cfg.CloseSolvedAfter > maxSpan {
		errs.add("close_solved_after", "%v: want a positive duration (0: never)", cfg.CloseSolvedAfter)
	}
	e.atRisk = cfg.AtRisk
	if e.atRisk == 0 {
		e.atRisk = DefaultAtRisk
	}
	if !(e.atRisk > 0 && e.atRisk < 100) {
		errs.add("at_risk", "%v%%: want a percent above 0 and below 100", cfg.AtRisk)
	}
	if !e.checkPriorities(cfg, &errs) {
		return nil, errors.Join(errs...)
	}
	for i, p := range cfg.Policies {
		if p.Name == "" {
			errs.add(fmt.Sprintf("policies[%d].name", i), "name is required")
		} else if _, dup := e.byName[p.Name]; dup {
			errs.addErr(ErrDuplicate, fmt.Sprintf("policies[%d].name", i), "policy %s defined twice", quoteName(p.Name))
		}
		c := compile(p, i, e.prios, e.prioIdx, &errs)
		c.prioOr = e.defPrio
		if c.defPrio >= 0 {
			c.prioOr = c.defPrio
		}
		if p.Escalation != "" {
			c.ladder = cfg.Ladders[p.Escalation]
			e.ladders = e.ladders || c.ladder != nil
			if c.ladder == nil {
				known := " (none is defined)"
				if len(cfg.Ladders) > 0 {
					known = " (defined: " + nameList(sortedKeys(cfg.Ladders)) + ")"
				}
				errs.addErr(ErrUndefined, fmt.Sprintf("policies[%d].escalation", i), "undefined escalation ladder %s%s", quoteName(p.Escalation), known)
			}
		}
		if _, dup := e.byName[p.Name]; !dup {
			e.byName[p.Name] = i
		}
		e.policies = append(e.policies, c)
		e.names = append(e.names, p.Name)
	}
	e.ixPols = append([]*compiled{nil}, e.policies...)
	e.reads = policyReads(cfg.Policies)
	e.customDef = map[Metric]*CustomMetric{}
	for _, p := range e.policies {
		for j := range p.Metrics {
			if m := &p.Metrics[j]; m.Name != "" && e.customDef[m.Name] == nil {
				e.customs = append(e.customs, m.Name)
				e.customDef[m.Name] = m
				e.customRules = append(e.customRules, ruleOf(m))
			}
		}
	}
	e.customOn = customOn(e.customRules)
	for _, p := range e.policies {
		p.masks = ladderMasks(p.ladder, e.policies)
		p.reads = readsOf(p.ladder)
		p.bounds = boundsOf(p)
		p.customs = make([]customRule, len(e.customs))
		for j, m := range e.customs {
			p.customs[j] = ruleOf(e.customMetric(p, m))
		}
		p.customOn = customOn(p.customs)
		for si := range p.pauses {
			p.pauses[si] = p.pausesAt(si)
		}
	}
	e.olas = compileOLAs(cfg.OLAs, e.prios, e.prioIdx, &errs)
	for _, o := range e.olas {
		if o.Team == "" {
			e.olaAnyTeam = true // its When picks the holdings
		} else if !slices.Contains(e.olaTeams, o.Team) {
			e.olaTeams = append(e.olaTeams, o.Team)
			e.olaLens |= teamLenBit(o.Team)
		}
	}
	e.checkLadders(cfg.Ladders, &errs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// checkPriorities checks and records the priorities and the default
// priority; false when there are none to go on with.
func (e *Engine) checkPriorities(cfg Config, errs *configErrors) bool {
	prios := cfg.Priorities
	if prios == nil {
		prios = defaultPriorities
	}
	e.prioIdx = make(map[string]int, len(prios))
	if len(prios) == 0 {
		errs.add("priorities", "empty list: name the priorities highest first, or leave them out (nil) for %s", nameList(defaultPriorities))
		return false
	}
	for i, p := range prios {
		if p == "" {
			errs.add(fmt.Sprintf("priorities[%d]", i), "a priority needs a name")
		}
		if _, dup := e.prioIdx[p]; dup {
			errs.addErr(ErrDuplicate, fmt.Sprintf("priorities[%d]", i), "priority %s listed twice", quoteName(p))
			continue
		}
		e.prioIdx[p] = len(e.prios)
		e.prios = append(e.prios, p)
	}
	e.prioSlot, e.prioHashed = prioSlotsOf(e.prios)
	e.prioNames = append([]string{""}, e.prios...)
	def := cfg.DefaultPriority
	if def == "" {
		def = "normal"
		if _, ok := e.prioIdx[def]; !ok {
			def = e.prios[len(e.prios)/2]
		}
	}
	if i, ok := e.prioIdx[def]; ok {
		e.defPrio = i
	} else {
		errs.addErr(ErrUndefined, "default_priority", "undefined priority %s (priorities: %s)", quoteName(def), nameList(e.prios))
	}
	return true
}

// Priorities returns the engine's priorities, highest first.
func (e *Engine) Priorities() []string { return slices.Clone(e.prios) }

// priority returns the index of the ticket's effective priority under the
// policy pol (nil for none): its own, else the policy's default, else the
// engine's.
func (e *Engine) priority(t *Ticket, pol *compiled) int {
	if i, ok := e.prioIndex(t.Priority); ok {
		return i
	}
	if pol != nil {
		return pol.prioOr
	}
	return e.defPrio
}

// policyReads is what choosing among ps reads of a ticket: its priority
// (the effective one), and what each When and CalendarBy declares it reads
// (any attribute when it declares nothing).
func policyReads(ps []Policy) Attrs {
	reads := AttrPriority
	declared := func(set bool, a Attrs) Attrs {
		switch {
		case !set:
			return 0
		case a == 0:
			return AttrAll
		}
		return a
	}
	for i := range ps {
		reads |= declared(ps[i].When != nil, ps[i].WhenReads) | declared(ps[i].CalendarBy != nil, ps[i].CalendarByReads)
	}
	return reads
}

// rereads reports whether the policy must be chosen again after an event
// changed the attributes changed of st's ticket: when the policies'
// conditions read one of them, or, once a condition failed for the
// ticket, whatever changed, since a failure asked again is counted again.
func (e *Engine) rereads(st *State, changed Attrs) bool {
	if changed&e.reads != 0 {
		return true
	}
	m := st.more
	return changed != 0 && m != nil && m.fails != nil
}

// selectPolicy returns the index of the first policy matching st's
// ticket, or -1; a failure of a When at t is recorded on st.
func (e *Engine) selectPolicy(st *State, t time.Time) int {
	tk := &st.ticket
	for i, p := range e.policies {
		if !p.valid(tk.CreatedAt) {
			continue
		}
		if p.When == nil {
			return i
		}
		ok, err := p.When(tk)
		if err != nil {
			st.condFailed(err, "Policy.When", p.Name, t)
		} else if ok {
			return i
		}
	}
	return -1
}

func (e *Engine) policy(name string) *compiled { return e.ixPols[e.policyIndex(name)+1] }

// policyIndex returns the index in e.policies of the policy named name,
// -1 for none.
func (e *Engine) policyIndex(name string) int {
	if name == "" {
		return -1
	}
	if len(e.names) <= fewNames {
		for i, n := range e.names {
			if n == name {
				return i
			}
		}
		return -1
	}
	if i, ok := e.byName[name]; ok {
		return i
	}
	return -1
}

// fewNames is how many names a list may have for a linear search to find
// one sooner than a map: most engines have a few policies and priorities,
// looked up by name at every event.
const fewNames = 8

// intern returns the engine's own string of the priority named p (p
// itself when it names none): two strings that share their bytes compare
// equal without comparing them, and the engine compares a ticket's
// priority with its list at every event.
func (e *Engine) intern(p string) string {
	if i, ok := e.prioIndex(p); ok {
		return e.prios[i]
	}
	return p
}

// prioIndex returns the index of the priority named p, and false (with
// an index to ignore) when there is none. When no two priorities share a
// hash (prioHashed, which also says none is empty), the name's hash picks
// the one priority that may be p, and one comparison confirms it.
func (e *Engine) prioIndex(p string) (int, bool) {
	if e.prioHashed {
		if len(p) == 0 {
			return -1, false // a ticket without priority
		}
		j := e.prioSlot[prioHash(p)]
		return int(j) - 1, e.prioNames[j] == p // prioNames[0] is "", which p is not
	}
	i, ok := e.prioIdx[p]
	return i, ok
}

// prioSlots is the size of Engine.prioSlot, a power of two.
const prioSlots = 32

// prioHash hashes a non-empty priority name into [0, prioSlots).
func prioHash(p string) int {
	return (len(p) + int(p[0])) & (prioSlots - 1)
}

// prioSlotsOf builds the table Engine.prioSlot of the priorities prios;
// false when two share a hash or one is empty (prioIndex then searches).
func prioSlotsOf(prios []string) ([prioSlots]uint8, bool) {
	var t [prioSlots]uint8
	if len(prios) >= prioSlots {
		return t, false
	}
	for i, p := range prios {
		if p == "" {
			return t, false
		}
		h := prioHash(p)
		if t[h] != 0 {
			return t, false
		}
		t[h] = uint8(i + 1)
	}
	return t, true
}

// customRule is a custom metric's conditions with the event types on
// which its Start and Stop are asked.
type customRule struct {
	*CustomMetric
	startOn, stopOn eventbit.Set
}

// ruleOf returns the rule of m, whose StartOn and StopOn NewEngine checked.
func ruleOf(m *CustomMetric) customRule {
	return customRule{m, typeSet(m.StartOn), typeSet(m.StopOn)}
}

// customOn returns the event types some condition of rules is asked on.
func customOn(rules []customRule) eventbit.Set {
	var on eventbit.Set
	for _, r := range rules {
		on |= r.startOn | r.stopOn
	}
	return on
}

// typeSet returns the set of the types ts; every type when ts is empty.
func typeSet(ts []EventType) eventbit.Set {
	if len(ts) == 0 {
		return eventbit.All
	}
	var set eventbit.Set
	for _, t := range ts {
		if k := kindOf(t); k != 0 {
			set |= k.bit()
		}
	}
	return set
}

// customMetric returns the conditions that rule the custom metric m: the
// definition of the policy in force when it defines m, else that of the
// first policy that does. So a custom metric is measured from its real
// start even when the policy that targets it applies later (a tag added
// after creation), as built-in metrics are; while the policy in force
// does not define it, its cycles have no target and are not reported.
func (e *Engine) customMetric(pol *compiled, m Metric) *CustomMetric {
	if pol != nil {
		if j, ok := pol.customIndex(m); ok {
			return &pol.Metrics[j]
		}
	}
	return e.customDef[m]
}
