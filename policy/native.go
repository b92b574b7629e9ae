package policy

import (
	"slices"

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
// the environment's fields directly, without the reflection and boxing of
// the VM. Anything else runs on the VM. TestNativeMatchesVM checks both
// agree on random tickets and events.

// cond is a compiled condition.
type cond struct {
	prog   *vm.Program
	native func(env any) bool // nil: prog runs on the VM
	fields bool               // prog reads ticket.fields or event.fields
	// direct reports that native may be given the *sla.Ticket alone as
	// its environment: it reads no event and needs no fold cache (see
	// boundTicket), so a condition on the ticket runs without a pooled
	// environment.
	direct bool
	// types holds the event types (bits of eventTypes) for which a native
	// condition may hold; for the others it is false without being run.
	types uint16
	// typesOnly reports that the condition is the test of event.type
	// itself: for a known type, it holds exactly when types has its bit.
	typesOnly bool
	site      *evalSite // where failures are counted; nil in tests
}

// allTypes is every event type's bit.
const allTypes = 1<<len(eventTypes) - 1

func newCond(prog *vm.Program) *cond {
	if prog == nil {
		return nil
	}
	c := &cond{prog: prog, fields: readsFields(prog.Node())}
	if f, ok := nativeBool(prog.Node()); ok {
		c.native = f
		c.direct = !readsEventOrKeywords(prog.Node())
		c.types = typesFor(prog.Node())
		_, c.typesOnly = typeTest(prog.Node())
	}
	return c
}

// knownAnswer returns the answer of c for an event of type t when the
// type alone tells it: a native condition that compares event.type with
// other types is false, one that is that comparison itself is true for
// its types. known is false when c must be run.
func (c *cond) knownAnswer(t sla.EventType) (holds, known bool) {
	bit := eventBit(t)
	if c.native == nil || bit == 0 || (!c.typesOnly && c.types&bit != 0) {
		return false, false
	}
	return c.types&bit != 0, true
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

// readsEventOrKeywords reports whether the tree names the event or calls
// has_keyword (whose fold cache lives in an environment).
func readsEventOrKeywords(n ast.Node) bool {
	found := false
	ast.Find(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			found = found || x.Value == "event"
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "has_keyword" {
				found = true
			}
		}
		return found
	})
	return found
}

// eval reports whether the condition holds in env. A failure makes it
// false, is counted at the condition's site and is returned as an
// [*sla.CondError] naming the condition.
func (c *cond) eval(env any) (bool, error) {
	if c.native != nil {
		return c.native(env), nil
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
	c.site.fail(err, ticketOf(env).ID)
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

// boundTicket returns the ticket env stands for: env itself when a
// direct condition is given the ticket alone.
func boundTicket(env any) *sla.Ticket {
	if t, ok := env.(*sla.Ticket); ok {
		return t
	}
	return ticketOf(env).ticket()
}

func eventOf(env any) *eventEnv {
	if e, ok := env.(*eventExprEnv); ok {
		return &e.e
	}
	return &eventEnv{}
}

func foldCacheOf(env any) *foldCache {
	if c, ok := env.(cacher); ok {
		return c.cache()
	}
	return new(foldCache)
}

// The string and list fields the fast path reads, by path, from the bound
// ticket and event, held to the limits the virtual machine's copy has.
var (
	ticketStrings = map[string]func(*sla.Ticket) string{
		"id":       func(t *sla.Ticket) string { return cut(t.ID, maxStringBytes) },
		"channel":  func(t *sla.Ticket) string { return cut(t.Channel, maxStringBytes) },
		"priority": func(t *sla.Ticket) string { return cut(t.Priority, maxStringBytes) },
		"status":   func(t *sla.Ticket) string { return cut(string(t.Status), maxStringBytes) },
		"team":     func(t *sla.Ticket) string { return cut(t.Team, maxStringBytes) },
		"agent":    func(t *sla.Ticket) string { return cut(t.Agent, maxStringBytes) },
		"subject":  func(t *sla.Ticket) string { return cut(t.Subject, maxTextBytes) },
	}
	eventStrings = map[string]func(*eventEnv) string{
		"type":     func(e *eventEnv) string { return cut(string(e.event().Type), maxStringBytes) },
		"author":   (*eventEnv).author,
		"text":     func(e *eventEnv) string { return cut(e.event().Text, maxTextBytes) },
		"channel":  func(e *eventEnv) string { return cut(e.event().Channel, maxStringBytes) },
		"priority": func(e *eventEnv) string { return cut(e.event().Priority, maxStringBytes) },
		"status":   func(e *eventEnv) string { return cut(string(e.event().Status), maxStringBytes) },
		"team":     func(e *eventEnv) string { return cut(e.event().Team, maxStringBytes) },
		"agent":    func(e *eventEnv) string { return cut(e.event().Agent, maxStringBytes) },
		"subject":  func(e *eventEnv) string { return cut(e.event().Subject, maxTextBytes) },
		"tier":     func(e *eventEnv) string { return cut(e.event().Tier, maxStringBytes) },
	}
	customerStrings = map[string]func(*sla.Customer) string{
		"id":       func(c *sla.Customer) string { return cut(c.ID, maxStringBytes) },
		"tier":     func(c *sla.Customer) string { return cut(c.Tier, maxStringBytes) },
		"country":  func(c *sla.Customer) string { return cut(c.Country, maxStringBytes) },
		"language": func(c *sla.Customer) string { return cut(c.Language, maxStringBytes) },
		"phone":    func(c *sla.Customer) string { return cut(c.Phone, maxStringBytes) },
	}
)

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

// nativeString compiles a string-valued node.
func nativeString(n ast.Node) (func(any) string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		v := x.Value
		return func(any) string { return v }, true
	case *ast.BinaryNode:
		if x.Operator != "+" {
			return nil, false
		}
		l, ok1 := nativeString(x.Left)
		r, ok2 := nativeString(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		return func(env any) string { return l(env) + r(env) }, true
	case *ast.MemberNode:
		path, ok := memberPath(x)
		if !ok {
			return nil, false
		}
		switch {
		case len(path) == 2 && path[0] == "ticket" && ticketStrings[path[1]] != nil:
			f := ticketStrings[path[1]]
			return func(env any) string { return f(boundTicket(env)) }, true
		case len(path) == 2 && path[0] == "event" && eventStrings[path[1]] != nil:
			f := eventStrings[path[1]]
			return func(env any) string { return f(eventOf(env)) }, true
		case len(path) == 3 && path[0] == "ticket" && path[1] == "customer" && customerStrings[path[2]] != nil:
			f := customerStrings[path[2]]
			return func(env any) string { return f(&boundTicket(env).Customer) }, true
		case len(path) == 3 && path[0] == "event" && path[1] == "customer" && customerStrings[path[2]] != nil:
			f := customerStrings[path[2]]
			return func(env any) string { return f(eventOf(env).customer()) }, true
		}
	}
	return nil, false
}

// nativeList compiles a []string-valued node: tags fields.
func nativeList(n ast.Node) (func(any) []string, bool) {
	path, ok := memberPath(n)
	if !ok || len(path) != 2 {
		return nil, false
	}
	switch {
	case path[0] == "ticket" && path[1] == "tags":
		return func(env any) []string { return limitTags(boundTicket(env).Tags) }, true
	case path[0] == "event" && path[1] == "tags":
		return func(env any) []string { return limitTags(eventOf(env).event().Tags) }, true
	case path[0] == "event" && path[1] == "remove_tags":
		return func(env any) []string { return limitTags(eventOf(env).event().RemoveTags) }, true
	}
	return nil, false
}

// nativeBool compiles a boolean node, or reports that it is outside the
// fast path.
func nativeBool(n ast.Node) (func(any) bool, bool) {
	switch x := n.(type) {
	case *ast.BoolNode:
		v := x.Value
		return func(any) bool { return v }, true
	case *ast.UnaryNode:
		if x.Operator != "!" && x.Operator != "not" {
			return nil, false
		}
		f, ok := nativeBool(x.Node)
		if !ok {
			return nil, false
		}
		return func(env any) bool { return !f(env) }, true
	case *ast.MemberNode:
		if path, ok := memberPath(x); ok && len(path) == 2 && path[0] == "event" && path[1] == "public" {
			return func(env any) bool { return eventOf(env).public() }, true
		}
	case *ast.BinaryNode:
		return nativeBinary(x)
	case *ast.CallNode:
		return nativeCall(x)
	}
	return nil, false
}

func nativeBinary(x *ast.BinaryNode) (func(any) bool, bool) {
	switch x.Operator {
	case "&&", "and", "||", "or":
		l, ok1 := nativeBool(x.Left)
		r, ok2 := nativeBool(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		if x.Operator == "&&" || x.Operator == "and" {
			return func(env any) bool { return l(env) && r(env) }, true
		}
		return func(env any) bool { return l(env) || r(env) }, true
	case "==", "!=":
		l, ok1 := nativeString(x.Left)
		r, ok2 := nativeString(x.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		if x.Operator == "==" {
			return func(env any) bool { return l(env) == r(env) }, true
		}
		return func(env any) bool { return l(env) != r(env) }, true
	case "in":
		l, ok := nativeString(x.Left)
		if !ok {
			return nil, false
		}
		switch r := x.Right.(type) {
		case *ast.ConstantNode:
			set, ok := r.Value.(map[string]struct{})
			if !ok {
				return nil, false
			}
			return func(env any) bool { _, in := set[l(env)]; return in }, true
		case *ast.ArrayNode:
			words := make([]string, 0, len(r.Nodes))
			for _, n := range r.Nodes {
				s, ok := n.(*ast.StringNode)
				if !ok {
					return nil, false
				}
				words = append(words, s.Value)
			}
			return func(env any) bool { return slices.Contains(words, l(env)) }, true
		}
		if list, ok := nativeList(x.Right); ok {
			return func(env any) bool { return slices.Contains(list(env), l(env)) }, true
		}
	}
	return nil, false
}

// nativeCall compiles has_keyword(text, [literal words]), as patched.
func nativeCall(x *ast.CallNode) (func(any) bool, bool) {
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
	if parts := concatParts(x.Arguments[0]); len(parts) > 1 && len(parts) <= maxFoldParts {
		// A concatenation is folded part after part, not built.
		return func(env any) bool {
			var buf [maxFoldParts]string
			vals, empty, whole := buf[:len(parts)], true, true
			for i, p := range parts {
				vals[i] = p(env)
				empty = empty && vals[i] == ""
				whole = whole && (i == len(parts)-1 || joinsWhole(vals[i]))
			}
			switch {
			case empty:
				return false
			case !whole:
				return kw.match(foldCacheOf(env).fold(text(env)))
			}
			return kw.match(foldCacheOf(env).foldParts(vals))
		}, true
	}
	return func(env any) bool {
		s := text(env)
		return s != "" && kw.match(foldCacheOf(env).fold(s))
	}, true
}

// concatParts returns the operands of a string concatenation a + b + ...,
// left to right, compiled; a node that nativeString compiles and that is
// no concatenation is its one part.
func concatParts(n ast.Node) []func(any) string {
	if b, ok := n.(*ast.BinaryNode); ok && b.Operator == "+" {
		l, r := concatParts(b.Left), concatParts(b.Right)
		if l == nil || r == nil {
			return nil
		}
		return append(l, r...)
	}
	if f, ok := nativeString(n); ok {
		return []func(any) string{f}
	}
	return nil
}
