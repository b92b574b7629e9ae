package policy

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/slakit/slakit/sla"
)

// This file runs the simple conditions most rules are made of as Go code
// instead of on expr's virtual machine: comparisons of ticket and event
// fields with literals, membership in literal lists and in tags,
// has_keyword, and !, && and || over those. expr still parses and
// type-checks every expression (so errors and positions are the same); the
// checked tree of a program in this subset becomes a closure that reads
// the ticket and the event directly, without an environment and without
// the reflection and boxing of the VM. Anything else runs on the VM.
// TestNativeMatchesVM and FuzzNativeMatchesVM check both agree.

// nativeFunc is a condition run as Go code. It reads t and ev (never nil;
// a condition without an event is given noEvent, which it does not read)
// and cannot fail. m holds the keyword scans made for t and ev so far (see
// scans; 0 for none), and the function returns them with those it made.
type nativeFunc func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans)

// cond is a compiled condition.
type cond struct {
	prog   *vm.Program
	native nativeFunc // nil: prog runs on the VM
	fields bool       // prog reads ticket.fields or event.fields
	// knownTypes holds the event types (bits of eventTypes) for which the
	// type alone tells a native condition's answer, and trueTypes those of
	// them it holds for: a condition that compares event.type with other
	// types is false, one that is that comparison itself holds exactly
	// for its types.
	knownTypes, trueTypes uint16
	// lead, for a condition run on the VM that is a chain of && (or of
	// ||) whose first operands are in the fast path, is those operands run
	// as Go code: when lead gives leads (false for &&, true for ||), so
	// does the condition, and the VM would not look further.
	lead  nativeFunc
	leads bool
	site  *evalSite // where failures are counted; nil in tests
}

// allTypes is every event type's bit.
const allTypes = 1<<len(eventTypes) - 1

func newCond(prog *vm.Program) *cond {
	if prog == nil {
		return nil
	}
	c := &cond{prog: prog, fields: readsFields(prog.Node())}
	c.compileNative(nil)
	return c
}

// compileNative sets the Go code of c, with the keyword scans of pl (nil:
// none).
func (c *cond) compileNative(pl *scanPlan) {
	if f, ok := pl.nativeBool(c.prog.Node()); ok {
		c.native = f
		types := typesFor(c.prog.Node())
		c.knownTypes, c.trueTypes = allTypes&^types, 0
		if _, only := typeTest(c.prog.Node()); only {
			c.knownTypes, c.trueTypes = allTypes, types
		}
	} else {
		c.lead, c.leads = pl.leadingNative(c.prog.Node())
	}
}

// leadingNative returns the first operands of the chain of && or || n
// that are in the fast path, compiled as one, and the answer they give
// the whole chain when they give it (false for &&, true for ||); nil when
// n is no such chain or its first operand is not in the fast path.
func (pl *scanPlan) leadingNative(n ast.Node) (nativeFunc, bool) {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return nil, false
	}
	var and bool
	switch b.Operator {
	case "&&", "and":
		and = true
	case "||", "or":
	default:
		return nil, false
	}
	var lead nativeFunc
	for _, op := range chain(n, and) {
		f, ok := pl.nativeBool(op)
		if !ok {
			break
		}
		if l := lead; l == nil {
			lead = f
		} else {
			lead = logical(l, f, and)
		}
	}
	return lead, !and
}

// chain returns the operands of a chain of && (and: true) or || over n,
// in the order they are evaluated.
func chain(n ast.Node, and bool) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok {
		switch b.Operator {
		case "&&", "and":
			if and {
				return append(chain(b.Left, and), chain(b.Right, and)...)
			}
		case "||", "or":
			if !and {
				return append(chain(b.Left, and), chain(b.Right, and)...)
			}
		}
	}
	return []ast.Node{n}
}

// decided returns the answer of c on t and ev when it is known without
// an environment: c runs as Go code, or its first operands decide it (and
// the fields it reads are within the limits, else reading them fails). m
// and the scans returned are as for a nativeFunc.
func (c *cond) decided(t *sla.Ticket, ev *sla.Event, m scans) (holds, known bool, _ scans) {
	switch {
	case c.native != nil:
		holds, m = c.native(t, ev, m)
		return holds, true, m
	case c.lead == nil:
		return false, false, m
	case c.fields && (checkFields(t.Fields) != nil || checkFields(ev.Fields) != nil):
		return false, false, m
	}
	if holds, m = c.lead(t, ev, m); holds == c.leads {
		return c.leads, true, m
	}
	return false, false, m
}

// knownAnswer returns the answer of c for an event whose type has the bit
// (see eventBit) when the type alone tells it: a native condition that
// compares event.type with other types is false, one that is that
// comparison itself is true for its types. known is false when c must be
// run. It is small enough to be inlined.
func (c *cond) knownAnswer(bit uint16) (holds, known bool) {
	return c.trueTypes&bit != 0, c.knownTypes&bit != 0
}

// typesFor returns the event types for which the boolean node may hold,
// from its comparisons of event.type with literals (event.type ==
// "assign", event.type in ["created", "message"]) and the && and || over
// them; every type for anything else.
func typesFor(n ast.Node) uint16 {
	if bits, ok := typeTest(n); ok {
		return bits
	}
	x, ok := n.(*ast.BinaryNode)
	if !ok {
		return allTypes
	}
	switch x.Operator {
	case "&&", "and":
		return typesFor(x.Left) & typesFor(x.Right)
	case "||", "or":
		return typesFor(x.Left) | typesFor(x.Right)
	}
	return allTypes
}

// onTypes returns the event types on which the condition c may hold, when
// the type alone rules the others out before anything else is looked at:
// c compares event.type with literals, or is a chain of && whose first
// operand does (so on other types the rest is never run and cannot fail).
// nil when that is not so, when c can hold on no known type, or when c
// reads ticket.fields or event.fields (fields over the expression limits
// fail it before it runs, on any type).
func (c *cond) onTypes() []sla.EventType {
	if c.fields {
		return nil
	}
	bits, ok := typeTest(chain(c.prog.Node(), true)[0]) // c itself when not an &&
	if !ok || bits == 0 || bits == allTypes {
		return nil
	}
	var types []sla.EventType
	for b, t := range eventTypes {
		if bits&(1<<b) != 0 {
			types = append(types, t)
		}
	}
	return types
}

// typeTest returns the event types for which n holds when n compares
// event.type with literals (event.type == "assign", event.type in
// ["created", "message"]); false for any other node.
func typeTest(n ast.Node) (uint16, bool) {
	x, ok := n.(*ast.BinaryNode)
	if !ok {
		return 0, false
	}
	switch x.Operator {
	case "==":
		for _, pair := range [2][2]ast.Node{{x.Left, x.Right}, {x.Right, x.Left}} {
			if isEventType(pair[0]) {
				if lit, ok := pair[1].(*ast.StringNode); ok {
					return eventBit(sla.EventType(lit.Value)), true
				}
			}
		}
	case "in":
		if !isEventType(x.Left) {
			break
		}
		var bits uint16
		switch r := x.Right.(type) {
		case *ast.ConstantNode: // a literal list, as the compiler folds it
			set, ok := r.Value.(map[string]struct{})
			if !ok {
				return 0, false
			}
			for v := range set {
				bits |= eventBit(sla.EventType(v))
			}
			return bits, true
		case *ast.ArrayNode:
			for _, n := range r.Nodes {
				lit, ok := n.(*ast.StringNode)
				if !ok {
					return 0, false
				}
				bits |= eventBit(sla.EventType(lit.Value))
			}
			return bits, true
		}
	}
	return 0, false
}

func isEventType(n ast.Node) bool {
	path, ok := memberPath(n)
	return ok && len(path) == 2 && path[0] == "event" && path[1] == "type"
}

// eval reports whether the condition holds in env. A failure makes it
// false, is counted at the condition's site and is returned as an
// [*sla.CondError] naming the condition.
func (c *cond) eval(env any) (bool, error) {
	if c.native != nil {
		ok, _ := c.native(boundTicket(env), boundEvent(env), 0)
		return ok, nil
	}
	var err error
	ok := false
	if c.fields {
		err = fieldsErr(env)
	}
	if err == nil {
		ok, err = runErr(c.prog, env)
	}
	if err == nil {
		return ok, nil
	}
	if c.site == nil {
		return false, err
	}
	err = unshift(err, c.site.shift)
	c.site.fail(err, ticketOf(env).ID, instantOf(env))
	return false, &sla.CondError{Cond: c.site.field, Name: c.site.name, Err: err}
}

// readsFields reports whether the tree reads a fields map.
func readsFields(n ast.Node) bool {
	found := false
	ast.Find(n, func(n ast.Node) bool {
		if m, ok := n.(*ast.MemberNode); ok {
			if path, ok := memberPath(m); ok && len(path) >= 2 && path[1] == "fields" {
				found = true
			}
		}
		return found
	})
	return found
}

func ticketOf(env any) *ticketEnv {
	switch e := env.(type) {
	case *eventExprEnv:
		return &e.t
	case *ticketExprEnv:
		return &e.t
	case *levelExprEnv:
		return &e.t
	}
	return &ticketEnv{}
}

// instantOf returns the instant a condition runs at in env: the event's
// or the level's instant (now), or for a ticket condition, which has none,
// the ticket's creation.
func instantOf(env any) time.Time {
	switch e := env.(type) {
	case *eventExprEnv:
		return e.Now
	case *levelExprEnv:
		return e.Now
	}
	return ticketOf(env).CreatedAt
}

// boundTicket returns the ticket bound to env, never nil.
func boundTicket(env any) *sla.Ticket { return ticketOf(env).ticket() }

// boundEvent returns the event bound to env, never nil.
func boundEvent(env any) *sla.Event {
	if e, ok := env.(*eventExprEnv); ok {
		return e.e.event()
	}
	return &noEvent
}

// strField is a string a native condition reads: a field of the ticket,
// of the event or of one of their customers, held to the limits the
// virtual machine's copy has.
type strField uint8

const (
	ticketID strField = iota + 1
	ticketChannel
	ticketPriority
	ticketStatus
	ticketTeam
	ticketAgent
	ticketSubject
	eventType
	eventAuthor
	eventText
	eventChannel
	eventPriority
	eventStatus
	eventTeam
	eventAgent
	eventSubject
	eventTier
	ticketCustomer // + a customerField
	eventCustomer  = ticketCustomer + customerFields
)

// customerField is a field of a customer, in the order of customerNames.
const (
	customerID = iota
	customerTier
	customerCountry
	customerLanguage
	customerPhone
	customerFields
)

// The names of the fields, by path.
var (
	ticketNames = map[string]strField{"id": ticketID, "channel": ticketChannel, "priority": ticketPriority,
		"status": ticketStatus, "team": ticketTeam, "agent": ticketAgent, "subject": ticketSubject}
	eventNames = map[string]strField{"type": eventType, "author": eventAuthor, "text": eventText,
		"channel": eventChannel, "priority": eventPriority, "status": eventStatus, "team": eventTeam,
		"agent": eventAgent, "subject": eventSubject, "tier": eventTier}
	customerNames = map[string]strField{"id": customerID, "tier": customerTier, "country": customerCountry,
		"language": customerLanguage, "phone": customerPhone}
)

// get returns the field of t or ev.
func (f strField) get(t *sla.Ticket, ev *sla.Event) string {
	const n = maxStringBytes
	switch f {
	case ticketID:
		return cut(t.ID, n)
	case ticketChannel:
		return cut(t.Channel, n)
	case ticketPriority:
		return cut(t.Priority, n)
	case ticketStatus:
		return cut(string(t.Status), n)
	case ticketTeam:
		return cut(t.Team, n)
	case ticketAgent:
		return cut(t.Agent, n)
	case ticketSubject:
		return cut(t.Subject, maxTextBytes)
	case eventType:
		return cut(string(ev.Type), n)
	case eventAuthor:
		return authorOf(ev)
	case eventText:
		return cut(ev.Text, maxTextBytes)
	case eventChannel:
		return cut(ev.Channel, n)
	case eventPriority:
		return cut(ev.Priority, n)
	case eventStatus:
		return cut(string(ev.Status), n)
	case eventTeam:
		return cut(ev.Team, n)
	case eventAgent:
		return cut(ev.Agent, n)
	case eventSubject:
		return cut(ev.Subject, maxTextBytes)
	case eventTier:
		return cut(ev.Tier, n)
	}
	c := &t.Customer
	if f >= eventCustomer {
		c = customerOfEvent(ev)
		f -= customerFields
	}
	switch f - ticketCustomer {
	case customerID:
		return cut(c.ID, n)
	case customerTier:
		return cut(c.Tier, n)
	case customerCountry:
		return cut(c.Country, n)
	case customerLanguage:
		return cut(c.Language, n)
	case customerPhone:
		return cut(c.Phone, n)
	}
	return ""
}

// operand is a string-valued node a native condition reads: the
// concatenation of its parts, each a literal (field 0) or a field.
type operand []strPart

type strPart struct {
	field strField // 0: lit
	lit   string
}

func (p strPart) get(t *sla.Ticket, ev *sla.Event) string {
	if p.field == 0 {
		return p.lit
	}
	return p.field.get(t, ev)
}

// get returns the value of o for t and ev.
func (o operand) get(t *sla.Ticket, ev *sla.Event) string {
	s := o[0].get(t, ev)
	for _, p := range o[1:] {
		s += p.get(t, ev)
	}
	return s
}

// memberPath returns the names of a member chain such as ticket.customer.tier.
func memberPath(n ast.Node) ([]string, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return []string{x.Value}, true
	case *ast.MemberNode:
		if x.Optional || x.Method {
			return nil, false
		}
		p, ok := x.Property.(*ast.StringNode)
		if !ok {
			return nil, false
		}
		head, ok := memberPath(x.Node)
		return append(head, p.Value), ok
	}
	return nil, false
}

// nativeString compiles a string-valued node: a literal, a field, or a
// concatenation of those (its parts left to right).
func nativeString(n ast.Node) (operand, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return operand{{lit: x.Value}}, true
	case *ast.BinaryNode:
		if x.Operator != "+" {
			return nil, false
		}
		l, ok1 := nativeString(x.Left)
		r, ok2 := nativeString(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		return append(l[:len(l):len(l)], r...), true
	case *ast.MemberNode:
		path, ok := memberPath(x)
		if !ok {
			return nil, false
		}
		var f strField
		switch {
		case len(path) == 2 && path[0] == "ticket":
			f = ticketNames[path[1]]
		case len(path) == 2 && path[0] == "event":
			f = eventNames[path[1]]
		case len(path) == 3 && path[1] == "customer" && (path[0] == "ticket" || path[0] == "event"):
			c, ok := customerNames[path[2]]
			if !ok {
				return nil, false
			}
			f = ticketCustomer + c
			if path[0] == "event" {
				f = eventCustomer + c
			}
		}
		if f != 0 {
			return operand{{field: f}}, true
		}
	}
	return nil, false
}

// nativeList compiles a []string-valued node: tags fields.
func nativeList(n ast.Node) (func(*sla.Ticket, *sla.Event) []string, bool) {
	path, ok := memberPath(n)
	if !ok || len(path) != 2 {
		return nil, false
	}
	switch {
	case path[0] == "ticket" && path[1] == "tags":
		return func(t *sla.Ticket, _ *sla.Event) []string { return limitTags(t.Tags) }, true
	case path[0] == "event" && path[1] == "tags":
		return func(_ *sla.Ticket, ev *sla.Event) []string { return limitTags(ev.Tags) }, true
	case path[0] == "event" && path[1] == "remove_tags":
		return func(_ *sla.Ticket, ev *sla.Event) []string { return limitTags(ev.RemoveTags) }, true
	}
	return nil, false
}

// nativeBool compiles a boolean node, or reports that it is outside the
// fast path; has_keyword calls share the scans of pl (nil: none).
func (pl *scanPlan) nativeBool(n ast.Node) (nativeFunc, bool) {
	switch x := n.(type) {
	case *ast.BoolNode:
		v := x.Value
		return func(_ *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return v, m }, true
	case *ast.UnaryNode:
		if x.Operator != "!" && x.Operator != "not" {
			return nil, false
		}
		f, ok := pl.nativeBool(x.Node)
		if !ok {
			return nil, false
		}
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			ok, m := f(t, ev, m)
			return !ok, m
		}, true
	case *ast.MemberNode:
		if path, ok := memberPath(x); ok && len(path) == 2 && path[0] == "event" && path[1] == "public" {
			return func(_ *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return publicOf(ev), m }, true
		}
	case *ast.BinaryNode:
		return pl.nativeBinary(x)
	case *ast.CallNode:
		return pl.nativeCall(x)
	}
	return nil, false
}

// logical returns l && r (and) or l || r.
func logical(l, r nativeFunc, and bool) nativeFunc {
	if and {
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			if ok, m := l(t, ev, m); !ok {
				return false, m
			} else {
				return r(t, ev, m)
			}
		}
	}
	return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
		if ok, m := l(t, ev, m); ok {
			return true, m
		} else {
			return r(t, ev, m)
		}
	}
}

func (pl *scanPlan) nativeBinary(x *ast.BinaryNode) (nativeFunc, bool) {
	switch x.Operator {
	case "&&", "and", "||", "or":
		l, ok1 := pl.nativeBool(x.Left)
		r, ok2 := pl.nativeBool(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		and := x.Operator == "&&" || x.Operator == "and"
		if f := andField(x.Left, r); f != nil && and {
			return f, true
		}
		return logical(l, r, and), true
	case "==", "!=":
		l, ok1 := nativeString(x.Left)
		r, ok2 := nativeString(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		return nativeEqual(l, r, x.Operator == "!="), true
	case "in":
		l, ok := nativeString(x.Left)
		if !ok {
			return nil, false
		}
		var words []string
		switch r := x.Right.(type) {
		case *ast.ConstantNode: // a literal list, as the compiler folds it
			set, ok := r.Value.(map[string]struct{})
			if !ok {
				return nil, false
			}
			words = slices.Sorted(maps.Keys(set))
		case *ast.ArrayNode:
			for _, n := range r.Nodes {
				s, ok := n.(*ast.StringNode)
				if !ok {
					return nil, false
				}
				words = append(words, s.Value)
			}
		default:
			list, ok := nativeList(x.Right)
			if !ok {
				return nil, false
			}
			return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
				return slices.Contains(list(t, ev), l.get(t, ev)), m
			}, true
		}
		if len(words) > maxScanned {
			set := make(map[string]bool, len(words))
			for _, w := range words {
				set[w] = true
			}
			return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return set[l.get(t, ev)], m }, true
		}
		if len(l) == 1 && l[0].field != 0 {
			f := l[0].field
			return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
				return slices.Contains(words, f.get(t, ev)), m
			}, true
		}
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			return slices.Contains(words, l.get(t, ev)), m
		}, true
	}
	return nil, false
}

// maxScanned is the longest literal list in which membership is looked up
// by comparing with each item; a longer one is made a set.
const maxScanned = 16

// nativeEqual compiles l == r (l != r when not); a field compared with a
// literal, the most common condition, reads the field alone.
func nativeEqual(l, r operand, not bool) nativeFunc {
	if f, lit, ok := fieldLiteral(l, r); ok {
		return fieldEquals(f, lit, not)
	}
	if not {
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return l.get(t, ev) != r.get(t, ev), m }
	}
	return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return l.get(t, ev) == r.get(t, ev), m }
}

// nativeCall compiles has_keyword(text, [literal words]), as patched; a
// call whose scans pl shares reads them (see scanPlan.shared).
func (pl *scanPlan) nativeCall(x *ast.CallNode) (nativeFunc, bool) {
	id, ok := x.Callee.(*ast.IdentifierNode)
	if !ok || id.Value != "has_keyword" || len(x.Arguments) != 3 {
		return nil, false
	}
	text, ok := nativeString(x.Arguments[0])
	if !ok {
		return nil, false
	}
	c, ok := x.Arguments[1].(*ast.ConstantNode)
	if !ok {
		return nil, false
	}
	kw, ok := c.Value.(*keywords)
	if !ok {
		return nil, false
	}
	if f := pl.shared(text, kw); f != nil {
		return f, true
	}
	if len(text) == 1 {
		p := text[0]
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			s := p.get(t, ev)
			return s != "" && kw.matchString(s), m
		}, true
	}
	// A concatenation is matched part after part, not built.
	if len(text) > maxParts {
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			s := text.get(t, ev)
			return s != "" && kw.matchString(s), m
		}, true
	}
	return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
		return matchJoined(text, kw, t, ev), m
	}, true
}

// fieldLiteral returns the field and the literal of a comparison of one
// field with one literal, either way round.
func fieldLiteral(l, r operand) (strField, string, bool) {
	if len(l) != 1 || len(r) != 1 || (l[0].field == 0) == (r[0].field == 0) {
		return 0, "", false
	}
	if l[0].field == 0 {
		return r[0].field, l[0].lit, true
	}
	return l[0].field, r[0].lit, true
}

// equalLiteral reads node as one of the fields rules test most compared
// with a literal (== or !=, either way round): the field, the literal and
// whether the operator is !=; false for any other node.
func equalLiteral(node ast.Node) (f strField, lit string, not, ok bool) {
	x, isBin := node.(*ast.BinaryNode)
	if !isBin || x.Operator != "==" && x.Operator != "!=" {
		return 0, "", false, false
	}
	l, ok1 := nativeString(x.Left)
	r, ok2 := nativeString(x.Right)
	if !ok1 || !ok2 {
		return 0, "", false, false
	}
	f, lit, ok = fieldLiteral(l, r)
	return f, lit, x.Operator == "!=", ok
}

// ticketEqual compiles a condition that is one of the ticket's fields
// compared with a literal (an SLA's when, most often: ticket.channel ==
// "whatsapp") as a condition on the ticket alone, answered as
// fieldEquals answers it (false for no ticket); nil for any other
// condition.
func ticketEqual(node ast.Node) func(*sla.Ticket) (bool, error) {
	f, lit, not, ok := equalLiteral(node)
	if !ok {
		return nil
	}
	const n = maxStringBytes
	switch f {
	case ticketChannel:
		return func(t *sla.Ticket) (bool, error) { return t != nil && (cut(t.Channel, n) == lit) != not, nil }
	case ticketTeam:
		return func(t *sla.Ticket) (bool, error) { return t != nil && (cut(t.Team, n) == lit) != not, nil }
	case ticketAgent:
		return func(t *sla.Ticket) (bool, error) { return t != nil && (cut(t.Agent, n) == lit) != not, nil }
	case ticketPriority:
		return func(t *sla.Ticket) (bool, error) { return t != nil && (cut(t.Priority, n) == lit) != not, nil }
	}
	return nil
}

// fieldEquals compiles f == lit (f != lit when not). The fields rules
// compare most read the ticket or the event in place.
func fieldEquals(f strField, lit string, not bool) nativeFunc {
	const n = maxStringBytes
	switch f {
	case ticketChannel:
		return func(t *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return (cut(t.Channel, n) == lit) != not, m }
	case ticketTeam:
		return func(t *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return (cut(t.Team, n) == lit) != not, m }
	case ticketAgent:
		return func(t *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return (cut(t.Agent, n) == lit) != not, m }
	case ticketPriority:
		return func(t *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return (cut(t.Priority, n) == lit) != not, m }
	case eventAuthor:
		return func(_ *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return (authorOf(ev) == lit) != not, m }
	case eventType:
		return func(_ *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			return (cut(string(ev.Type), n) == lit) != not, m
		}
	case ticketCustomer + customerTier:
		return func(t *sla.Ticket, _ *sla.Event, m scans) (bool, scans) {
			return (cut(t.Customer.Tier, n) == lit) != not, m
		}
	}
	return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) { return (f.get(t, ev) == lit) != not, m }
}

// andField compiles left && r when left compares one of the fields rules
// test most with a literal (event.author == "customer" && ...,
// ticket.channel == "whatsapp" && ...): the field is compared in the
// closure of &&, answering as fieldEquals does, instead of in a call of
// its own. nil for any other left.
func andField(left ast.Node, r nativeFunc) nativeFunc {
	f, lit, not, ok := equalLiteral(left)
	if !ok {
		return nil
	}
	const n = maxStringBytes
	switch f {
	case eventAuthor:
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			if (authorOf(ev) == lit) == not {
				return false, m
			}
			return r(t, ev, m)
		}
	case ticketChannel:
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			if (cut(t.Channel, n) == lit) == not {
				return false, m
			}
			return r(t, ev, m)
		}
	}
	return nil
}

// matchJoined is has_keyword(text, kw) for a concatenation of at most
// maxParts parts.
func matchJoined(text operand, kw *keywords, t *sla.Ticket, ev *sla.Event) bool {
	var buf [maxParts]string
	vals := buf[:len(text)]
	empty, whole := true, true
	for i := range vals {
		v := text[i].get(t, ev)
		vals[i] = v
		empty = empty && v == ""
		whole = whole && (i == len(vals)-1 || joinsWhole(v))
	}
	switch {
	case empty:
		return false
	case !whole:
		return kw.matchString(strings.Join(vals, ""))
	}
	return kw.matchParts(vals)
}

// maxParts is the most parts of a concatenation has_keyword reads one
// after the other; a longer one is built.
const maxParts = 4
