package policy

import (
	"errors"
	"maps"
	"math/bits"
	"slices"
	"sync"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/sla"
)

// eventTypes are the event types a rule's on may name, in bit order.
var eventTypes = [...]sla.EventType{
	sla.EventCreated, sla.EventMessage, sla.EventNote, sla.EventStatus, sla.EventPriority,
	sla.EventAssign, sla.EventUpdate, sla.EventEscalated, sla.EventCSAT, sla.EventWindowRejected,
}

// eventBit returns the bit of the event type t, 0 for an unknown type.
// It tells the types apart by their first byte, then compares one name
// (with a constant, which needs no call).
func eventBit(t sla.EventType) uint16 {
	if t == "" {
		return 0
	}
	switch t[0] {
	case 'c':
		if t == sla.EventCreated {
			return 1 << 0
		}
		if t == sla.EventCSAT {
			return 1 << 8
		}
	case 'm':
		if t == sla.EventMessage {
			return 1 << 1
		}
	case 'n':
		if t == sla.EventNote {
			return 1 << 2
		}
	case 's':
		if t == sla.EventStatus {
			return 1 << 3
		}
	case 'p':
		if t == sla.EventPriority {
			return 1 << 4
		}
	case 'a':
		if t == sla.EventAssign {
			return 1 << 5
		}
	case 'u':
		if t == sla.EventUpdate {
			return 1 << 6
		}
	case 'e':
		if t == sla.EventEscalated {
			return 1 << 7
		}
	case 'w':
		if t == sla.EventWindowRejected {
			return 1 << 9
		}
	}
	return 0
}

// rule is a compiled routing rule.
type rule struct {
	index int // in Set.rules
	name  string
	on    uint16 // bit set of eventTypes
	when  *cond  // nil: always
	set   Decision
}

// Decision is what one applied rule wrote to a ticket: its set section.
// Empty fields are left alone.
type Decision struct {
	Rule     string
	Priority string
	Team     string
	Agent    string
	Tags     []string       // added
	Fields   map[string]any // set; a nil value deletes
	Stop     bool           // no further rules ran for the event
}

// Routing is the outcome of [Set.Route].
type Routing struct {
	Ticket    sla.Ticket // the ticket after the rules' writes
	Decisions []Decision // the rules applied, in order
}

// Rules returns the names of the applied rules, in order.
func (r Routing) Rules() []string {
	out := make([]string, len(r.Decisions))
	for i, d := range r.Decisions {
		out[i] = d.Rule
	}
	return out
}

var eventEnvPool = sync.Pool{New: func() any { return newEventExprEnv() }}

// route runs the rules against t and ev, applying their writes to t at
// once (later rules see them), and returns the rules applied: the bit i
// for the rule i (in Set.rules) below 64, and the others appended to
// *more. The rules of an event are applied in the order of their indices,
// so the bits and *more give the order. It returns the failures of the
// rules whose when failed (taken as not holding), joined.
//
// bit is the event type's bit, which some rule runs on (see runs).
func (s *Set) route(t *sla.Ticket, ev *sla.Event, bit uint16, more *[]int) (uint64, error) {
	var low uint64
	var vm routeVM
	var m scans // the keyword scans made for the event (see scanPlan)
	steps := s.steps[bits.TrailingZeros16(bit)]
	for i := range steps {
		// A condition run as Go code (or decided by its first operands)
		// reads the ticket as the rules before left it, without an
		// environment.
		st := &steps[i]
		if st.native != nil {
			var ok bool
			if ok, m = st.native(t, ev, m); !ok {
				continue
			}
		} else if st.when != nil {
			var ok bool
			if ok, m = vm.decide(st.when, t, ev, m); !ok {
				continue
			}
		}
		r := st.r
		r.set.apply(t)
		if vm.env != nil {
			vm.env.t.refresh() // the VM's copy of the ticket is stale
		}
		if i := r.index; i < 64 {
			low |= 1 << i
		} else {
			*more = append(*more, i)
		}
		if r.set.Stop {
			break
		}
	}
	return low, vm.done()
}

// ruleStep is a rule of an event type as route reads it: with its
// condition's Go code beside it, so that a rule whose condition does not
// hold is passed without reading the rule or the condition (cache lines
// an event's routing would otherwise read for each rule).
type ruleStep struct {
	native nativeFunc // when's Go code; nil: no condition, or one on the VM
	when   *cond      // nil: always
	r      *rule
}

// planSteps sets the steps of each event type from typeRules, once the
// conditions' Go code is compiled.
func (s *Set) planSteps() {
	for b, rs := range s.typeRules {
		steps := make([]ruleStep, len(rs))
		for i, r := range rs {
			steps[i] = ruleStep{when: r.when, r: r}
			if r.when != nil {
				steps[i].native = r.when.native
			}
		}
		s.steps[b] = steps
	}
}

// eachRule calls f with the index of each rule of low and more (as route
// returns them), in order.
func eachRule(low uint64, more []int, f func(i int)) {
	for ; low != 0; low &= low - 1 {
		f(bits.TrailingZeros64(low))
	}
	for _, i := range more {
		f(i)
	}
}

// routeVM is what routing an event needs for the conditions run on the
// VM: an environment, taken at the first, and their failures.
type routeVM struct {
	env  *eventExprEnv
	errs []error
}

// decide returns the answer of w, a condition that is not native: from
// its first operands when they decide it, else from the VM.
func (v *routeVM) decide(w *cond, t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
	ok, known, m := w.decided(t, ev, m)
	if !known {
		ok = v.eval(w, t, ev)
	}
	return ok, m
}

// eval runs w on the VM against t and ev; a failure is noted and taken as
// not holding.
func (v *routeVM) eval(w *cond, t *sla.Ticket, ev *sla.Event) bool {
	if v.env == nil {
		v.env = eventEnvPool.Get().(*eventExprEnv)
		v.env.set(t, ev)
	}
	ok, err := w.eval(v.env)
	if err != nil {
		v.errs = append(v.errs, err)
	}
	return ok
}

// done gives the environment back and returns the failures, joined.
func (v *routeVM) done() error {
	if v.env == nil && v.errs == nil {
		return nil // no condition ran on the VM
	}
	return v.finish()
}

func (v *routeVM) finish() error {
	if v.env != nil {
		v.env.reset()
		eventEnvPool.Put(v.env)
	}
	if v.errs == nil {
		return nil
	}
	return errors.Join(v.errs...)
}

func (d *Decision) apply(t *sla.Ticket) {
	if d.Priority != "" {
		t.Priority = d.Priority
	}
	if d.Team != "" {
		t.Team = d.Team
	}
	if d.Agent != "" {
		t.Agent = d.Agent
	}
	for _, tag := range d.Tags {
		if !slices.Contains(t.Tags, tag) {
			t.Tags = append(t.Tags, tag)
		}
	}
	if len(d.Fields) == 0 {
		return
	}
	for k, v := range d.Fields {
		if v == nil {
			delete(t.Fields, k)
			continue
		}
		if t.Fields == nil {
			t.Fields = make(map[string]any, len(d.Fields))
		}
		t.Fields[k] = v
	}
}

// runs returns the bit of the event type et and whether some rule runs on
// it.
func (s *Set) runs(et sla.EventType) (uint16, bool) {
	bit := eventBit(et)
	return bit, bit&s.ruleTypes != 0
}

// mayRun reports whether some rule may run on the event type et, by its
// first byte alone: false when none does.
func (s *Set) mayRun(et sla.EventType) bool {
	return et != "" && s.ruleFirsts&(1<<(et[0]&31)) != 0
}

// Route runs the routing rules for one event, for hosts that want routing
// without the SLA engine. t is the ticket as the event left it (the event's
// own changes applied); ev is the event. Rules whose on lists the event's
// type run in order: a rule whose when holds is applied at once (later
// rules see its writes), and a rule with stop ends the run. Route does not
// modify t: the result holds a copy with the writes.
func (s *Set) Route(t sla.Ticket, ev sla.Event) Routing {
	t.Tags = slices.Clone(t.Tags)
	t.Fields = maps.Clone(t.Fields)
	var r Routing
	bit, ok := s.runs(ev.Type)
	if !ok {
		r.Ticket = t
		return r
	}
	var more []int
	low, _ := s.route(&t, &ev, bit, &more) // failures are counted in EvalErrors
	eachRule(low, more, func(i int) {
		d := s.rules[i].set
		d.Tags = slices.Clone(d.Tags)
		d.Fields = maps.Clone(d.Fields)
		r.Decisions = append(r.Decisions, d)
	})
	r.Ticket = t
	return r
}

// Router returns the routing rules as an [sla.Router], for
// [sla.Config.Rules]: the engine calls it after applying each event, the
// rules change the ticket in place, and the engine records the names of
// the rules applied in the ticket's trace.
//
// The router of a nil *Set runs no rule.
func (s *Set) Router() sla.Router { return router{s} }

type router struct{ s *Set }

func (r router) Route(t *sla.Ticket, ev *sla.Event) ([]string, error) {
	if r.s == nil || !r.s.mayRun(ev.Type) {
		return nil, nil // most events whose type no rule runs on
	}
	bit, ok := r.s.runs(ev.Type)
	if !ok {
		return nil, nil
	}
	var more []int
	low, err := r.s.route(t, ev, bit, &more)
	return r.s.names(low, more), err
}

// names returns the names of the rules applied, those of the bits of low
// and those indexed by more (past the 64th), in order; nil for none.
func (s *Set) names(low uint64, more []int) []string {
	if len(more) == 0 && low&(low-1) == 0 { // one rule or none: no copy
		if low == 0 {
			return nil
		}
		i := bits.TrailingZeros64(low)
		return s.ruleNames[i : i+1 : i+1]
	}
	names := make([]string, 0, bits.OnesCount64(low)+len(more))
	eachRule(low, more, func(i int) { names = append(names, s.ruleNames[i]) })
	return names
}

// RouteBit is Route for an event whose type's bit the engine found (one
// of RouteTypes): the engine asks a router that has it so, once it knows
// some rule runs on the type. It returns the rules applied as a set of
// their positions in RuleNames (bit i for the i-th), and the names of
// those past the 64th, in order: no slice for the engine to drop.
func (r router) RouteBit(t *sla.Ticket, ev *sla.Event, bit eventbit.Set) (uint64, []string, error) {
	if bit&r.RouteTypes() == 0 {
		return 0, nil, nil
	}
	var more []int
	low, err := r.s.route(t, ev, uint16(bit), &more)
	if more != nil { // past the 64th rule (rare): names makes no call otherwise
		return low, r.s.names(0, more), err
	}
	return low, nil, err
}

// RouteTypes returns the event types some rule runs on.
func (r router) RouteTypes() eventbit.Set {
	if r.s == nil {
		return 0
	}
	return eventbit.Set(r.s.ruleTypes)
}

// RouteNeeds returns what an event must have for some rule to apply to
// it, by type (see need): the engine does not ask about an event that
// has none of it. The engine must not change it.
func (r router) RouteNeeds() *eventbit.Needs {
	if r.s == nil {
		return &eventbit.Needs{}
	}
	return &r.s.needs
}

// RuleNames returns the names of the rules, in order, which RouteBit's
// sets refer to; the engine must not change it.
func (r router) RuleNames() []string {
	if r.s == nil {
		return nil
	}
	return r.s.ruleNames
}
