package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// This file is the glue to expr-lang: the environments expressions are
// compiled against, the functions they may call, compiling and running.

// Bounds on one expression.
const (
	maxExprLen   = 2048 // bytes of source
	maxExprNodes = 500  // AST nodes
	exprBudget   = 100_000
)

// customerEnv is ticket.customer and event.customer.
type customerEnv struct {
	ID       string `expr:"id"`
	Tier     string `expr:"tier"`
	Country  string `expr:"country"`
	Language string `expr:"language"`
	Phone    string `expr:"phone"`
}

// ticketEnv is what expressions see as ticket.
type ticketEnv struct {
	ID        string         `expr:"id"`
	Channel   string         `expr:"channel"`
	Priority  string         `expr:"priority"`
	Status    string         `expr:"status"`
	Team      string         `expr:"team"`
	Agent     string         `expr:"agent"`
	Tags      []string       `expr:"tags"`
	Subject   string         `expr:"subject"`
	Customer  *customerEnv   `expr:"customer"` // never nil: points to cust
	Fields    map[string]any `expr:"fields"`
	CreatedAt time.Time      `expr:"created_at"`

	cust          customerEnv
	src           *sla.Ticket // the ticket bound; nil: none (an empty ticket)
	loaded        bool        // the fields above hold src
	fieldsChecked bool        // fieldsErr is known
	fieldsErr     error       // Fields are over the limits
}

// eventEnv is what expressions see as event.
type eventEnv struct {
	Type       string         `expr:"type"`
	At         time.Time      `expr:"at"`
	Author     string         `expr:"author"` // customer when the event says nothing
	Public     bool           `expr:"public"` // true when the event says nothing
	Text       string         `expr:"text"`
	Channel    string         `expr:"channel"`
	Priority   string         `expr:"priority"`
	Status     string         `expr:"status"`
	Team       string         `expr:"team"`
	Agent      string         `expr:"agent"`
	Tags       []string       `expr:"tags"`
	RemoveTags []string       `expr:"remove_tags"`
	Subject    string         `expr:"subject"`
	Customer   *customerEnv   `expr:"customer"` // never nil: empty when the event has none
	Fields     map[string]any `expr:"fields"`
	Tier       string         `expr:"tier"`
	Score      int            `expr:"score"`

	cust          customerEnv
	src           *sla.Event // the event bound; nil: none (an empty event)
	loaded        bool       // the fields above hold src
	fieldsChecked bool
	fieldsErr     error
}

// The environments hold pointers to their parts, so that reading
// ticket.channel does not copy the whole ticket into an interface. Build
// them with the newXxx functions, which set the pointers.
//
// Binding a ticket or event to an environment only records a pointer: the
// conditions run as Go code (native.go) read the few fields they need from
// it, held to the same limits, and the exported fields the virtual machine
// reads are filled in (ensureLoaded) only before a program runs on it.

// eventExprEnv is the environment of rules and of custom metric start and
// stop conditions.
type eventExprEnv struct {
	Ticket *ticketEnv `expr:"ticket"`
	Event  *eventEnv  `expr:"event"`
	Now    time.Time  `expr:"now"`

	t ticketEnv
	e eventEnv
}

func newEventExprEnv() *eventExprEnv {
	env := &eventExprEnv{}
	env.Ticket, env.Event = &env.t, &env.e
	env.t.Customer, env.e.Customer = &env.t.cust, &env.e.cust
	return env
}

// set binds the ticket, the event and now (the event's instant).
func (env *eventExprEnv) set(t *sla.Ticket, ev *sla.Event) {
	env.t.bind(t)
	env.e.bind(ev)
	env.Now = ev.At
}

func (env *eventExprEnv) reset() {
	env.t.bind(nil)
	env.e.bind(nil)
	env.Now = time.Time{}
}

// ticketExprEnv is the environment of SLA policy conditions and custom
// metric pause conditions: the engine gives them the ticket only.
type ticketExprEnv struct {
	Ticket *ticketEnv `expr:"ticket"`

	t ticketEnv
}

func newTicketExprEnv() *ticketExprEnv {
	env := &ticketExprEnv{}
	env.Ticket, env.t.Customer = &env.t, &env.t.cust
	return env
}

// levelExprEnv is the environment of escalation level conditions.
type levelExprEnv struct {
	Ticket *ticketEnv           `expr:"ticket"`
	Clock  escalation.ClockInfo `expr:"clock"`
	Now    time.Time            `expr:"now"`

	t ticketEnv
}

func newLevelExprEnv() *levelExprEnv {
	env := &levelExprEnv{}
	env.Ticket, env.t.Customer = &env.t, &env.t.cust
	return env
}

func customerOf(c sla.Customer) customerEnv {
	const n = maxStringBytes
	return customerEnv{ID: cut(c.ID, n), Tier: cut(c.Tier, n), Country: cut(c.Country, n),
		Language: cut(c.Language, n), Phone: cut(c.Phone, n)}
}

var (
	noTicket sla.Ticket
	noEvent  sla.Event
)

// bind makes t (nil: an empty ticket) the ticket e stands for, without
// copying it; it drops what e held before.
func (e *ticketEnv) bind(t *sla.Ticket) {
	if e.loaded {
		*e = ticketEnv{Customer: e.Customer}
	}
	e.src, e.fieldsChecked, e.fieldsErr = t, false, nil
}

// ticket returns the bound ticket, never nil.
func (e *ticketEnv) ticket() *sla.Ticket {
	if e.src == nil {
		return &noTicket
	}
	return e.src
}

// ensureLoaded copies the bound ticket into e's fields, held to the data
// limits, unless that is done; e.Customer keeps pointing to e.cust.
func (e *ticketEnv) ensureLoaded() {
	if e.loaded {
		return
	}
	const n = maxStringBytes
	t := e.ticket()
	*e = ticketEnv{
		ID: cut(t.ID, n), Channel: cut(t.Channel, n), Priority: cut(t.Priority, n), Status: cut(string(t.Status), n),
		Team: cut(t.Team, n), Agent: cut(t.Agent, n), Tags: limitTags(t.Tags), Subject: cut(t.Subject, maxTextBytes),
		Customer: e.Customer, Fields: t.Fields, CreatedAt: t.CreatedAt, cust: customerOf(t.Customer),
		src: e.src, loaded: true, fieldsChecked: e.fieldsChecked, fieldsErr: e.fieldsErr,
	}
}

// refresh makes e see what a rule's set may have changed in its ticket.
func (e *ticketEnv) refresh() {
	e.bind(e.src)
}

// bind makes ev (nil: an empty event) the event e stands for, without
// copying it; it drops what e held before.
func (e *eventEnv) bind(ev *sla.Event) {
	if e.loaded {
		*e = eventEnv{Customer: e.Customer}
	}
	e.src, e.fieldsChecked, e.fieldsErr = ev, false, nil
}

// event returns the bound event, never nil.
func (e *eventEnv) event() *sla.Event {
	if e.src == nil {
		return &noEvent
	}
	return e.src
}

// authorOf is event.author: customer when the event says nothing.
func authorOf(ev *sla.Event) string {
	if a := ev.Author; a != "" {
		return cut(string(a), maxStringBytes)
	}
	return string(sla.AuthorCustomer)
}

// publicOf is event.public: true when the event says nothing.
func publicOf(ev *sla.Event) bool {
	return ev.Public == nil || *ev.Public
}

// customerOfEvent returns the event's customer, an empty one when it has
// none.
func customerOfEvent(ev *sla.Event) *sla.Customer {
	if ev.Customer != nil {
		return ev.Customer
	}
	return &noTicket.Customer
}

// ensureLoaded copies the bound event into e's fields, held to the data
// limits, unless that is done.
func (e *eventEnv) ensureLoaded() {
	if e.loaded {
		return
	}
	const n = maxStringBytes
	ev := e.event()
	*e = eventEnv{
		Type: cut(string(ev.Type), n), At: ev.At, Author: authorOf(ev), Public: publicOf(ev),
		Text: cut(ev.Text, maxTextBytes), Channel: cut(ev.Channel, n), Priority: cut(ev.Priority, n),
		Status: cut(string(ev.Status), n), Team: cut(ev.Team, n), Agent: cut(ev.Agent, n), Tags: limitTags(ev.Tags),
		RemoveTags: limitTags(ev.RemoveTags), Subject: cut(ev.Subject, maxTextBytes), Fields: ev.Fields,
		Tier: cut(ev.Tier, n), Score: ev.Score, Customer: e.Customer, cust: customerOf(*customerOfEvent(ev)),
		src: e.src, loaded: true, fieldsChecked: e.fieldsChecked, fieldsErr: e.fieldsErr,
	}
}

// ensureLoaded fills in the fields of env's ticket and event for the
// virtual machine.
func ensureLoaded(env any) {
	switch e := env.(type) {
	case *eventExprEnv:
		e.t.ensureLoaded()
		e.e.ensureLoaded()
	case *ticketExprEnv:
		e.t.ensureLoaded()
	case *levelExprEnv:
		e.t.ensureLoaded()
	}
}

// envKind says which environment an expression is compiled against.
type envKind uint8

const (
	envEvent  envKind = iota // ticket, event, now
	envTicket                // ticket
	envLevel                 // ticket, clock, now
)

func (k envKind) env() any {
	switch k {
	case envTicket:
		return &ticketExprEnv{}
	case envLevel:
		return &levelExprEnv{}
	}
	return &eventExprEnv{}
}

func (k envKind) hasNow() bool { return k != envTicket }

var baseOptions = append(disableBuiltins(), // now and date among them: no hidden clock
	expr.AsBool(),
	expr.MaxNodes(maxExprNodes),
	expr.Function("has_keyword", callHasKeyword,
		new(func(string, *keywords) bool),
		new(func(string, []string) bool),
		new(func(string, []any) bool),
		new(func(string, *keywords, any) bool), // as patched (see patcher)
		new(func(string, []string, any) bool),
		new(func(string, []any, any) bool)),
	expr.Function("is_open", callIsOpen, new(func(*calendar.Calendar, time.Time) bool)),
	// expr's trim (disabled) is quadratic in a long cutset: see trim.go.
	expr.Function("trim", callTrim, new(func(string) string), new(func(string, string) string)),
	// expr's indexOf, lastIndexOf, split and contains (disabled, or
	// rewritten by the patcher) take time proportional to text times
	// separator on some inputs: see search.go.
	expr.Function("indexOf", callIndexOf, new(func(string, string) int)),
	expr.Function("lastIndexOf", callLastIndexOf, new(func(string, string) int)),
	expr.Function("split", callSplit, new(func(string, string) []string), new(func(string, string, int) []string)),
	expr.Function(containsFunc, callContains, new(func(string, string) bool)),
	sortedBuiltin("keys", callKeys), // in the keys' order, not Go's map order: see mapkeys.go
	sortedBuiltin("values", callValues),
)

func disableBuiltins() []expr.Option {
	opts := make([]expr.Option, len(disabledBuiltins))
	for i, name := range disabledBuiltins {
		opts[i] = expr.DisableBuiltin(name)
	}
	return opts
}

func callHasKeyword(args ...any) (any, error) {
	text, _ := args[0].(string)
	if text == "" {
		return false, nil
	}
	switch w := args[1].(type) {
	case *keywords:
		return w.matchString(text), nil
	case []string:
		return hasKeyword(text, w), nil
	case []any:
		words := make([]string, 0, len(w))
		for _, x := range w {
			if s, ok := x.(string); ok {
				words = append(words, s)
			}
		}
		return hasKeyword(text, words), nil
	}
	return false, nil
}

func callIsOpen(args ...any) (any, error) {
	c, _ := args[0].(*calendar.Calendar)
	at, _ := args[1].(time.Time)
	if c == nil || at.IsZero() {
		return false, nil
	}
	return c.IsOpen(at), nil
}

// patcher rewrites calls whose arguments are known when the document is
// compiled: has_keyword with a literal list gets the list folded once,
// is_open("name") gets the calendar and the instant now.
type patcher struct {
	kind      envKind
	calendars map[string]*calendar.Calendar
	declared  map[string]bool // calendars named in the document, compiled or not
	err       *file.Error     // the first problem found
	undefined bool            // err is an undefined calendar
}

func (p *patcher) fail(n ast.Node, format string, args ...any) {
	if p.err == nil {
		loc := n.Location()
		p.err = &file.Error{Location: loc, Message: fmt.Sprintf(format, args...)}
		p.err.Line, p.err.Column = 1, loc.From
	}
}

func (p *patcher) Visit(node *ast.Node) {
	if c := containsCall(*node); c != nil {
		ast.Patch(node, c)
		return
	}
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	switch id.Value {
	case "has_keyword":
		if len(call.Arguments) != 2 {
			return
		}
		arr, ok := call.Arguments[1].(*ast.ArrayNode)
		if !ok {
			return
		}
		words := make([]string, 0, len(arr.Nodes))
		for _, n := range arr.Nodes {
			s, ok := n.(*ast.StringNode)
			if !ok {
				return
			}
			words = append(words, s.Value)
		}
		c := &ast.ConstantNode{Value: newKeywords(words)}
		c.SetLocation(arr.Location())
		// The environment goes along as a third argument, which
		// has_keyword does not read: the call is checked again after
		// this patch, and in this form a text of the wrong type keeps
		// the error message it has always had.
		env := &ast.IdentifierNode{Value: "$env"}
		env.SetLocation(arr.Location())
		call.Arguments = []ast.Node{call.Arguments[0], c, env}
		call.SetType(nil) // checked again with the new arguments
	case "is_open":
		if len(call.Arguments) != 1 {
			p.fail(call, "is_open takes one calendar name")
			return
		}
		if !p.kind.hasNow() {
			p.fail(call, "is_open is not available here: this condition has no instant (now)")
			return
		}
		s, ok := call.Arguments[0].(*ast.StringNode)
		if !ok {
			p.fail(call.Arguments[0], "is_open takes a calendar name in quotes")
			return
		}
		c, ok := p.calendars[s.Value]
		if !ok && !p.declared[s.Value] {
			p.fail(s, "is_open: undefined calendar %q", s.Value)
			p.undefined = true
			return
		}
		cn := &ast.ConstantNode{Value: c}
		cn.SetLocation(s.Location())
		now := &ast.IdentifierNode{Value: "now"}
		now.SetLocation(s.Location())
		call.Arguments = []ast.Node{cn, now}
		call.SetType(nil)
	}
}

// exprError is a compile error of an expression: its message and its
// 1-based line and column inside the expression's source.
type exprError struct {
	Line, Col int
	Msg       string
	Undefined bool // the calendar of is_open is undefined
}

// String returns "line:col: message".
func (e *exprError) String() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, exprMessage(e.Msg))
}

// vmProgram is a compiled expression.
type vmProgram = vm.Program

// compileExpr compiles a boolean expression whose cost is within the
// budget.
func compileExpr(src string, kind envKind, calendars map[string]*calendar.Calendar, declared map[string]bool) (*vm.Program, *exprError) {
	prog, e := compileUnbounded(src, kind, calendars, declared)
	if e != nil {
		return nil, e
	}
	if ce := checkCost(prog.Node()); ce != nil {
		line, col := lineCol(src, ce.node.Location().From)
		return nil, &exprError{Line: line, Col: col, Msg: ce.msg}
	}
	return prog, nil
}

// compileUnbounded compiles a boolean expression.
func compileUnbounded(src string, kind envKind, calendars map[string]*calendar.Calendar, declared map[string]bool) (*vm.Program, *exprError) {
	if len(src) > maxExprLen {
		return nil, &exprError{Line: 1, Col: 1, Msg: fmt.Sprintf("expression longer than %d bytes", maxExprLen)}
	}
	if !utf8.ValidString(src) {
		return nil, &exprError{Line: 1, Col: 1, Msg: "expression is not valid UTF-8"}
	}
	p := &patcher{kind: kind, calendars: calendars, declared: declared}
	opts := append(baseOptions[:len(baseOptions):len(baseOptions)], expr.Env(kind.env()), expr.Patch(p))
	prog, err := safeCompile(src, opts)
	if p.err != nil {
		line, col := lineCol(src, p.err.From)
		return nil, &exprError{Line: line, Col: col, Msg: p.err.Message, Undefined: p.undefined}
	}
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			line, col := fe.Line, fe.Column+1
			if line < 1 {
				line, col = 1, 1
			}
			return nil, &exprError{Line: line, Col: col, Msg: strings.TrimSpace(fe.Message)}
		}
		return nil, &exprError{Line: 1, Col: 1, Msg: err.Error()}
	}
	return prog, nil
}

// safeCompile calls expr.Compile, turning a panic (none is known; expr's
// options panic only on programmer errors) into an error.
func safeCompile(src string, opts []expr.Option) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("cannot compile: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

// lineCol converts a rune offset in src to a 1-based line and column.
func lineCol(src string, offset int) (int, int) {
	line, col, i := 1, 1, 0
	for _, r := range src {
		if i == offset {
			break
		}
		i++
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

var vmPool = sync.Pool{New: func() any { return &vm.VM{MemoryBudget: exprBudget} }}

// run evaluates a compiled condition; a failure is false.
func run(p *vm.Program, env any) bool {
	ok, _ := runErr(p, env)
	return ok
}

// runErr evaluates a compiled condition. A nil value where a string was
// needed, a missing field compared with a number, a result that is not a
// boolean are errors.
func runErr(p *vm.Program, env any) (bool, error) {
	ensureLoaded(env)
	m := vmPool.Get().(*vm.VM)
	out, err := m.Run(p, env)
	vmPool.Put(m)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the result is %v, not true or false", out)
	}
	return b, nil
}

// evalSite is a condition in the document, where its run-time failures
// are counted.
type evalSite struct {
	field, name string
	pos         Position
	shift       int // characters put before the expression on its first line
	count       atomic.Int64
	last        atomic.Pointer[evalFailure]
}

type evalFailure struct {
	at     time.Time // the instant the condition ran at
	ticket string
	err    error
}

// fail counts a failure of the condition on ticket at instant at, and
// keeps it as the last one unless the one kept is later: at a later
// instant, or at the same instant on a ticket whose id sorts after. So
// the failure kept does not depend on the order in which goroutines
// sharing the Set run their tickets; one goroutine's failures on one
// ticket replace each other in the order they happen.
func (s *evalSite) fail(err error, ticket string, at time.Time) {
	s.count.Add(1)
	f := &evalFailure{at: at, ticket: ticket, err: err}
	for {
		old := s.last.Load()
		if old != nil && (old.at.After(at) || old.at.Equal(at) && old.ticket > ticket) {
			return
		}
		if s.last.CompareAndSwap(old, f) {
			return
		}
	}
}

// limitTags returns the first maxTags tags, each cut to maxStringBytes;
// it copies only when a tag is too long.
func limitTags(tags []string) []string {
	tags = tags[:min(len(tags), maxTags)]
	for i, t := range tags {
		if len(t) > maxStringBytes {
			out := slices.Clone(tags)
			for j := i; j < len(out); j++ {
				out[j] = cut(out[j], maxStringBytes)
			}
			return out
		}
	}
	return tags
}

// checkFields reports fields over the limits an expression may read:
// more than maxFieldKeys keys, a list of more than maxFieldItems items,
// a list or map inside a list, more than maxFieldBytes of strings.
func checkFields(m map[string]any) error {
	if len(m) > maxFieldKeys {
		return fmt.Errorf("fields over the expression limits: %d keys, at most %d", len(m), maxFieldKeys)
	}
	bytes := 0
	for _, v := range m {
		switch x := v.(type) {
		case string:
			bytes += len(x)
		case []any:
			if len(x) > maxFieldItems {
				return fmt.Errorf("fields over the expression limits: a list of %d items, at most %d", len(x), maxFieldItems)
			}
			for _, it := range x {
				switch y := it.(type) {
				case string:
					bytes += len(y)
				case []any, map[string]any:
					return errors.New("fields over the expression limits: a list or map inside a list")
				}
			}
		case map[string]any:
			return errors.New("fields over the expression limits: a map as a field value")
		}
	}
	if bytes > maxFieldBytes {
		return fmt.Errorf("fields over the expression limits: %d bytes of text, at most %d", bytes, maxFieldBytes)
	}
	return nil
}

// fieldsErr checks the fields of the ticket (and event) of env, once per
// evaluation.
func fieldsErr(env any) error {
	ensureLoaded(env)
	t := ticketOf(env)
	if !t.fieldsChecked {
		t.fieldsErr, t.fieldsChecked = checkFields(t.Fields), true
	}
	if t.fieldsErr != nil {
		return t.fieldsErr
	}
	if e, ok := env.(*eventExprEnv); ok {
		if !e.e.fieldsChecked {
			e.e.fieldsErr, e.e.fieldsChecked = checkFields(e.e.Fields), true
		}
		return e.e.fieldsErr
	}
	return nil
}

// expression compiles the boolean expression held by n, the condition
// field of the rule, policy, metric or level name.
func (c *compiler) expression(n *node, field, name string, kind envKind) (*cond, bool) {
	src, ok := c.str(n, field, "an expression")
	if !ok {
		return nil, false
	}
	if strings.TrimSpace(src) == "" {
		c.errf(n, field, ErrExpr, "empty expression; leave the key out to match always")
		return nil, false
	}
	return c.compileCond(n, field, name, src, 0, kind)
}

// compileCond compiles src, the text of n or, when shift > 0, a condition
// built around it whose first shift characters are not in n (errors on
// the first line are moved back by shift).
func (c *compiler) compileCond(n *node, field, name, src string, shift int, kind envKind) (*cond, bool) {
	prog, e := compileExpr(src, kind, c.set.calendars, c.calKeys)
	if e != nil {
		if e.Line == 1 {
			e.Col = max(e.Col-shift, 1)
		}
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
	p := newCond(prog)
	p.site = &evalSite{field: field, name: name, pos: Position{File: c.file, Line: n.Line, Col: n.Column}, shift: shift}
	c.set.sites = append(c.set.sites, p.site)
	return p, true
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

// ticketCond adapts a condition on the ticket alone. One that compares
// a field of the ticket with a literal (most SLAs' when) is one call,
// without the general path's second.
func ticketCond(p *cond) func(*sla.Ticket) (bool, error) {
	if p.native != nil {
		if eq := ticketEqual(p.prog.Node()); eq != nil {
			return eq
		}
	}
	return ticketCondAny(p)
}

// ticketCondAny is ticketCond for any condition.
func ticketCondAny(p *cond) func(*sla.Ticket) (bool, error) {
	return func(t *sla.Ticket) (bool, error) {
		if t == nil {
			return false, nil
		}
		if p.native != nil {
			ok, _ := p.native(t, &noEvent, 0)
			return ok, nil
		}
		if ok, known, _ := p.decided(t, &noEvent, 0); known {
			return ok, nil
		}
		env := ticketEnvPool.Get().(*ticketExprEnv)
		env.t.bind(t)
		ok, err := p.eval(env)
		env.t.bind(nil)
		ticketEnvPool.Put(env)
		return ok, err
	}
}

func eventCond(p *cond) func(*sla.Ticket, *sla.Event) (bool, error) {
	return func(t *sla.Ticket, ev *sla.Event) (bool, error) {
		if t == nil || ev == nil {
			return false, nil
		}
		if holds, known := p.knownAnswer(eventBit(ev.Type)); known {
			return holds, nil // the event's type rules it out, or is the whole condition
		}
		if p.native != nil {
			ok, _ := p.native(t, ev, 0)
			return ok, nil
		}
		if ok, known, _ := p.decided(t, ev, 0); known {
			return ok, nil
		}
		env := eventEnvPool.Get().(*eventExprEnv)
		env.set(t, ev)
		ok, err := p.eval(env)
		env.reset()
		eventEnvPool.Put(env)
		return ok, err
	}
}

func levelCond(p *cond) func(*escalation.Context) (bool, error) {
	return func(x *escalation.Context) (bool, error) {
		if x == nil {
			return false, nil
		}
		t, _ := x.Ticket.(*sla.Ticket)
		tk := t
		if tk == nil {
			tk = &noTicket
		}
		if ok, known, _ := p.decided(tk, &noEvent, 0); known {
			return ok, nil
		}
		env := levelEnvPool.Get().(*levelExprEnv)
		env.t.bind(t)
		env.Clock = x.Clock
		env.Now = x.At
		ok, err := p.eval(env)
		env.t.bind(nil)
		env.Clock, env.Now = escalation.ClockInfo{}, time.Time{}
		levelEnvPool.Put(env)
		return ok, err
	}
}

// levelTicketCond returns levelCond(p) asked with the ticket alone, for
// [escalation.Level.WhenTicket]; nil when p runs on the VM (which needs
// its environment).
func levelTicketCond(p *cond) func(ticket any) bool {
	if p.native == nil {
		return nil
	}
	return func(ticket any) bool {
		t, _ := ticket.(*sla.Ticket)
		if t == nil {
			t = &noTicket
		}
		ok, _ := p.native(t, &noEvent, 0)
		return ok
	}
}

// unshift returns err with its place moved back by shift characters when
// it is on the first line of an expression that had them put before it.
func unshift(err error, shift int) error {
	fe, ok := err.(*file.Error)
	if !ok || shift <= 0 || fe.Line != 1 || fe.Column < shift {
		return err
	}
	c := *fe
	c.Column -= shift
	const prefix = "\n | "
	if parts := strings.Split(c.Snippet, prefix); len(parts) == 3 && len(parts[1]) >= shift && len(parts[2]) >= shift {
		c.Snippet = prefix + parts[1][shift:] + prefix + parts[2][shift:]
	}
	return &c
}
