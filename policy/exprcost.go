package policy

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
)

// This file bounds what one evaluation of an expression may cost. When a
// document is loaded, every expression's checked tree is walked once to
// find an upper bound of its work and of the memory it allocates, for
// any ticket and event within the data limits below; an expression whose
// bound is over the budget is a load error. At run time the environments
// hold the data to those limits (see limitTicket), so the bound holds for
// every evaluation.

// Data limits: what an expression sees of a ticket and an event.
const (
	maxTextBytes   = 32 << 10 // ticket.subject, event.subject, event.text: longer texts are cut
	maxStringBytes = 256      // every other string, each tag: longer ones are cut
	maxTags        = 64       // ticket.tags, event.tags, event.remove_tags: later tags are left out
	maxFieldKeys   = 100      // fields: keys
	maxFieldItems  = 100      // fields: items of a list value
	maxFieldBytes  = 64 << 10 // fields: all strings together
)

// The budget of one evaluation, in work units (about a nanosecond each)
// and bytes allocated.
const (
	maxWork   = 1_000_000
	maxAlloc  = 1 << 20
	itemWork  = 60 // one item visited by all, any, filter, ...
	callWork  = 100
	sliceWord = 16 // bytes of one item of a list
)

// allowedBuiltins are the expr-lang builtins expressions may call; every
// other one (reduce, map, repeat, join, replace, toJSON, now, date, ...)
// is disabled, because it is not needed by a condition or because its
// result can grow without bound. trim, indexOf, lastIndexOf and split are
// disabled too: expressions call this package's own, linear in their
// arguments whatever they hold (see trim.go and search.go); and so are
// keys and values, which list a map in Go's random order (mapkeys.go).
var allowedBuiltins = []string{
	"all", "none", "any", "one", "filter", "find", "findIndex", "findLast", "findLastIndex", "count", "sum",
	"len", "type", "abs", "ceil", "floor", "round", "int", "float", "string",
	"trimPrefix", "trimSuffix", "upper", "lower", "hasPrefix", "hasSuffix",
	"max", "min", "duration", "first", "last", "get",
}

// disabledBuiltins are expr-lang's builtins not in allowedBuiltins.
var disabledBuiltins = func() []string {
	var out []string
	for _, f := range builtin.Builtins {
		if !slices.Contains(allowedBuiltins, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}()

// shape bounds a value: the bytes of the strings it holds, the number of
// its items (a list or a map), and the shape of one item (nil: as large
// as the whole).
type shape struct {
	bytes, items int64
	elem         *shape
}

func (s shape) item() shape {
	if s.elem != nil {
		return *s.elem
	}
	return shape{bytes: s.bytes, items: s.items}
}

// cost bounds the evaluation of a node: its work, its allocations and the
// shape of its value.
type cost struct {
	work, alloc int64
	val         shape
}

// sat adds and multiplies without overflow: bounds saturate at 2^50.
const satMax = 1 << 50

func sadd(xs ...int64) int64 {
	var s int64
	for _, x := range xs {
		s = min(s+min(x, satMax), satMax)
	}
	return s
}

func smul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > satMax/b {
		return satMax
	}
	return a * b
}

func maxShape(a, b shape) shape {
	out := shape{bytes: max(a.bytes, b.bytes), items: max(a.items, b.items)}
	if a.elem != nil && b.elem != nil {
		e := maxShape(*a.elem, *b.elem)
		out.elem = &e
	}
	return out
}

var (
	shortString = shape{bytes: maxStringBytes}
	textString  = shape{bytes: maxTextBytes}
	tagList     = shape{bytes: maxTags * maxStringBytes, items: maxTags, elem: &shortString}
	fieldValue  = shape{bytes: maxFieldBytes, items: maxFieldItems, elem: &shape{bytes: maxFieldBytes}}
	fieldMap    = shape{bytes: maxFieldBytes, items: maxFieldKeys, elem: &fieldValue}
)

// dataShape is the shape of a member of the environment, by its path.
func dataShape(path []string) (shape, bool) {
	if len(path) < 2 || (path[0] != "ticket" && path[0] != "event" && path[0] != "clock") {
		return shape{}, false
	}
	switch last := path[len(path)-1]; {
	case len(path) == 2 && (last == "subject" || last == "text"):
		return textString, true
	case len(path) == 2 && (last == "tags" || last == "remove_tags"):
		return tagList, true
	case len(path) == 2 && last == "fields":
		return fieldMap, true
	case len(path) == 3 && path[1] == "fields":
		return fieldValue, true
	case len(path) == 2 && (last == "customer"):
		return shape{bytes: 5 * maxStringBytes, items: 5, elem: &shortString}, true
	case len(path) <= 3 && path[1] != "fields":
		return shortString, true // strings, numbers, instants, durations
	}
	return shape{}, false
}

// costError is an expression over the budget, or using what the model
// does not allow, at a node.
type costError struct {
	node ast.Node
	msg  string
}

// estimator walks a checked tree.
type estimator struct {
	vars  map[string]shape // let variables
	elems []shape          // the items of the enclosing predicates, innermost last
	err   *costError
}

func (e *estimator) fail(n ast.Node, format string, args ...any) cost {
	if e.err == nil {
		e.err = &costError{node: n, msg: fmt.Sprintf(format, args...)}
	}
	return cost{}
}

// exprCost returns the bound of an expression's evaluation, or the node
// where it cannot be bounded.
func exprCost(n ast.Node) (cost, *costError) {
	e := &estimator{vars: map[string]shape{}}
	c := e.node(n)
	return c, e.err
}

func (e *estimator) node(n ast.Node) cost {
	switch x := n.(type) {
	case *ast.NilNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return cost{work: 1}
	case *ast.StringNode:
		return cost{work: 1, val: shape{bytes: int64(len(x.Value))}}
	case *ast.BytesNode:
		return cost{work: 1, val: shape{bytes: int64(len(x.Value))}}
	case *ast.ConstantNode:
		return cost{work: 1, val: constShape(x.Value)}
	case *ast.IdentifierNode:
		return e.identifier(x)
	case *ast.PointerNode:
		if len(e.elems) == 0 || x.Name != "" {
			return cost{work: 1} // #index, #acc: numbers
		}
		return cost{work: 1, val: e.elems[len(e.elems)-1]}
	case *ast.UnaryNode:
		c := e.node(x.Node)
		return cost{work: sadd(c.work, 1), alloc: c.alloc}
	case *ast.BinaryNode:
		return e.binary(x)
	case *ast.ChainNode:
		return e.node(x.Node)
	case *ast.MemberNode:
		return e.member(x)
	case *ast.SliceNode:
		c := e.node(x.Node)
		for _, m := range []ast.Node{x.From, x.To} {
			if m != nil {
				mc := e.node(m)
				c.work, c.alloc = sadd(c.work, mc.work), sadd(c.alloc, mc.alloc)
			}
		}
		c.work = sadd(c.work, 1)
		return c
	case *ast.CallNode:
		return e.call(x)
	case *ast.BuiltinNode:
		return e.builtin(x)
	case *ast.ConditionalNode:
		c, a, b := e.node(x.Cond), e.node(x.Exp1), e.node(x.Exp2)
		return cost{work: sadd(c.work, max(a.work, b.work), 1), alloc: sadd(c.alloc, max(a.alloc, b.alloc)),
			val: maxShape(a.val, b.val)}
	case *ast.VariableDeclaratorNode:
		v := e.node(x.Value)
		prev, had := e.vars[x.Name]
		e.vars[x.Name] = v.val
		body := e.node(x.Expr)
		if had {
			e.vars[x.Name] = prev
		} else {
			delete(e.vars, x.Name)
		}
		return cost{work: sadd(v.work, body.work), alloc: sadd(v.alloc, body.alloc), val: body.val}
	case *ast.SequenceNode:
		var c cost
		for _, m := range x.Nodes {
			mc := e.node(m)
			c = cost{work: sadd(c.work, mc.work), alloc: sadd(c.alloc, mc.alloc), val: mc.val}
		}
		return c
	case *ast.ArrayNode:
		return e.list(x.Nodes)
	case *ast.MapNode:
		return e.list(x.Pairs)
	case *ast.PairNode:
		k, v := e.node(x.Key), e.node(x.Value)
		return cost{work: sadd(k.work, v.work), alloc: sadd(k.alloc, v.alloc),
			val: shape{bytes: sadd(k.val.bytes, v.val.bytes), items: v.val.items, elem: v.val.elem}}
	}
	return e.fail(n, "this kind of expression is not supported")
}

func (e *estimator) identifier(x *ast.IdentifierNode) cost {
	if v, ok := e.vars[x.Value]; ok {
		return cost{work: 1, val: v}
	}
	switch x.Value {
	case "ticket", "event", "clock", "now":
		return cost{work: 1}
	}
	return e.fail(x, "%s is not available in conditions", x.Value)
}

// list is an array or map literal.
func (e *estimator) list(nodes []ast.Node) cost {
	c := cost{alloc: smul(int64(len(nodes)), sliceWord)}
	var elem shape
	for i, m := range nodes {
		mc := e.node(m)
		c.work, c.alloc = sadd(c.work, mc.work, 1), sadd(c.alloc, mc.alloc)
		c.val.bytes = sadd(c.val.bytes, mc.val.bytes)
		if i == 0 {
			elem = mc.val
		} else {
			elem = maxShape(elem, mc.val)
		}
	}
	c.val.items, c.val.elem = int64(len(nodes)), &elem
	return c
}

func constShape(v any) shape {
	switch x := v.(type) {
	case string:
		return shape{bytes: int64(len(x))}
	case *keywords:
		var n int64
		for _, w := range x.folded {
			n += int64(len(w))
		}
		return shape{bytes: n, items: int64(len(x.folded))}
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		var n int64
		if r.Kind() == reflect.Map {
			for _, k := range r.MapKeys() {
				if k.Kind() == reflect.String {
					n += int64(k.Len())
				}
			}
		} else {
			for i := range r.Len() {
				if s, ok := r.Index(i).Interface().(string); ok {
					n += int64(len(s))
				}
			}
		}
		return shape{bytes: n, items: int64(r.Len()), elem: &shape{bytes: n}}
	}
	return shape{}
}

func (e *estimator) binary(x *ast.BinaryNode) cost {
	l, r := e.node(x.Left), e.node(x.Right)
	c := cost{work: sadd(l.work, r.work, 1), alloc: sadd(l.alloc, r.alloc)}
	switch x.Operator {
	case "..":
		from, ok1 := x.Left.(*ast.IntegerNode)
		to, ok2 := x.Right.(*ast.IntegerNode)
		if !ok1 || !ok2 {
			return e.fail(x, "a range needs whole numbers at both ends, such as 1..10")
		}
		n := max(int64(to.Value)-int64(from.Value)+1, 0)
		c.work, c.alloc = sadd(c.work, n), sadd(c.alloc, smul(n, 8))
		c.val = shape{items: n}
		return c
	case "+":
		// Strings (and values of unknown type, which may be strings) are
		// joined: the result holds both.
		n := sadd(l.val.bytes, r.val.bytes)
		c.work, c.alloc, c.val = sadd(c.work, n), sadd(c.alloc, n), shape{bytes: n}
		return c
	case "in":
		// A scan of the right side, comparing the left with each item.
		c.work = sadd(c.work, smul(r.val.items, sadd(itemWork, l.val.bytes)), r.val.bytes)
		return c
	case "matches":
		// Go's regexp runs in time proportional to text times pattern:
		// measured, up to about 25 units per byte and pattern byte (80 ns
		// a byte for a+b); a pattern without operators is a fast search.
		if lit, ok := x.Right.(*ast.StringNode); ok && regexp.QuoteMeta(lit.Value) == lit.Value {
			c.work = sadd(c.work, l.val.bytes, r.val.bytes)
			return c
		}
		c.work = sadd(c.work, smul(smul(sadd(l.val.bytes, 1), sadd(r.val.bytes, 1)), 25))
		return c
	case "??":
		c.val = maxShape(l.val, r.val)
		return c
	case "contains": // a contains of values that are not strings (see containsCall)
		c.work = sadd(c.work, l.val.bytes, r.val.bytes)
		return c
	}
	// Comparisons, startsWith, endsWith: at most a pass over the shorter
	// side; arithmetic, and, or: nothing more.
	c.work = sadd(c.work, min(l.val.bytes, r.val.bytes))
	return c
}

func (e *estimator) member(x *ast.MemberNode) cost {
	if name, ok := hostMethod(x); ok { // a method value: let f = now.Local; f()
		return e.fail(x.Property, hostMethodMsg, name)
	}
	if path, ok := memberPath(x); ok {
		if s, ok := dataShape(path); ok {
			return cost{work: int64(len(path)), val: s}
		}
	}
	c, p := e.node(x.Node), e.node(x.Property)
	return cost{work: sadd(c.work, p.work, 1), alloc: sadd(c.alloc, p.alloc), val: c.val.item()}
}

func (e *estimator) call(x *ast.CallNode) cost {
	var args []cost
	c := cost{work: callWork}
	callee := ""
	if id, ok := x.Callee.(*ast.IdentifierNode); ok {
		callee = id.Value
	}
	for _, a := range x.Arguments {
		if id, ok := a.(*ast.IdentifierNode); ok && id.Value == "$env" && callee == "has_keyword" {
			continue // added by the patcher to has_keyword, not read
		}
		ac := e.node(a)
		args = append(args, ac)
		c.work, c.alloc = sadd(c.work, ac.work), sadd(c.alloc, ac.alloc)
	}
	if m, ok := x.Callee.(*ast.MemberNode); ok {
		if name, ok := hostMethod(m); ok {
			return e.fail(m.Property, hostMethodMsg, name)
		}
		cc := e.node(m.Node)
		c.work, c.alloc = sadd(c.work, cc.work), sadd(c.alloc, cc.alloc)
	}
	switch callee {
	case "has_keyword":
		if len(args) == 2 {
			// Fold the text (about two units a byte), then a fast search per
			// keyword (a third of a unit a byte); a list that is not literal
			// is folded at each call.
			text, words := args[0].val, args[1].val
			c.work = sadd(c.work, smul(text.bytes, 2), smul(text.bytes, max(words.items, 1))/3, smul(words.bytes, 2))
			c.alloc = sadd(c.alloc, smul(text.bytes, 2), smul(words.bytes, 5), smul(words.items, sliceWord))
		}
		return c
	case "is_open":
		return c
	case "indexOf", "lastIndexOf", containsFunc:
		if len(args) == 2 {
			c.work = sadd(c.work, searchWork(args[0].val.bytes, args[1].val.bytes))
		}
		return c
	case "split":
		if len(args) >= 2 {
			in := args[0].val
			items := sadd(in.bytes, 1)
			c.work = sadd(c.work, searchWork(in.bytes, args[1].val.bytes), smul(items, sliceWord))
			c.alloc = sadd(c.alloc, smul(items, sliceWord))
			c.val = shape{bytes: in.bytes, items: items, elem: &shape{bytes: in.bytes}}
		}
		return c
	case "keys", "values":
		// The keys sorted: at most 100 (fields), each compared with a few
		// dozen others.
		if len(args) == 1 {
			in := args[0].val
			c.work = sadd(c.work, smul(in.items, 64), in.bytes)
			c.alloc = sadd(c.alloc, smul(in.items, 2*sliceWord))
			c.val = in
			if callee == "values" {
				c.val = shape{bytes: in.bytes, items: in.items, elem: &shape{bytes: in.bytes}}
				if in.elem != nil {
					c.val.elem = in.elem
				}
			}
		}
		return c
	case "trim":
		// A pass over the text (decoding each rune, one lookup each), and
		// for a cutset two (setting its runes' bits, clearing them): measured,
		// about 1.5 units per byte of text and cutset together.
		if len(args) > 0 {
			c.work = sadd(c.work, smul(args[0].val.bytes, 2))
			c.val = shape{bytes: args[0].val.bytes}
		}
		if len(args) > 1 {
			c.work = sadd(c.work, smul(args[1].val.bytes, 3))
		}
		return c
	}
	// A method of now, a duration or clock (Format, Add, Hours, ...): a
	// result at most a few times as long as its arguments.
	var n int64 = 64
	for _, a := range args {
		n = sadd(n, smul(a.val.bytes, 4))
	}
	c.work, c.alloc, c.val = sadd(c.work, n), sadd(c.alloc, n), shape{bytes: n}
	return c
}

// hostMethods are the methods of time.Time whose result depends on the
// machine that runs the expression (its time zone) rather than on the
// expression's data. The other methods of time.Time, time.Duration and
// *time.Location (In, Zone, ZoneBounds, Location, Format, ...) depend on
// the instant, its location and their arguments only.
var hostMethods = []string{"Local"}

const hostMethodMsg = "%s is not available in conditions: it reads the time zone of the machine; an instant is in the time zone of the event that gave it (use is_open for business hours)"

var timeType = reflect.TypeFor[time.Time]()

// hostMethod returns the name of the method m calls when it is one of
// hostMethods on an instant.
func hostMethod(m *ast.MemberNode) (string, bool) {
	s, ok := m.Property.(*ast.StringNode)
	if !ok || !slices.Contains(hostMethods, s.Value) {
		return "", false
	}
	t := m.Node.Type()
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// A value whose type is known only at run time (an item of a list or
	// map, a let of one) may be an instant too.
	return s.Value, t == nil || t == timeType || t.Kind() == reflect.Interface
}

// searchWork bounds a search of a text for a separator (search.go): a
// pass over both, a fast one (strings) for a separator of at most
// shortSep bytes; measured, a Knuth-Morris-Pratt pass takes about 2 units
// a byte of text and 3 a byte of separator.
func searchWork(text, sep int64) int64 {
	if sep <= shortSep {
		return sadd(text, sep)
	}
	return sadd(smul(text, 3), smul(sep, 4))
}

// iterating are the builtins that take a predicate over a collection.
var iterating = []string{"all", "none", "any", "one", "filter", "find", "findIndex", "findLast", "findLastIndex", "count", "sum"}

func (e *estimator) builtin(x *ast.BuiltinNode) cost {
	if !slices.Contains(allowedBuiltins, x.Name) { // map and reduce pass expr's DisableBuiltin
		return e.fail(x, "%s is not available in conditions", x.Name)
	}
	if slices.Contains(iterating, x.Name) && len(x.Arguments) > 0 {
		coll := e.node(x.Arguments[0])
		c := cost{work: sadd(coll.work, 1), alloc: coll.alloc}
		n := coll.val.items
		var body cost
		for _, p := range append(x.Arguments[1:], x.Map) {
			if pn, ok := p.(*ast.PredicateNode); ok {
				e.elems = append(e.elems, coll.val.item())
				b := e.node(pn.Node)
				e.elems = e.elems[:len(e.elems)-1]
				body.work, body.alloc = sadd(body.work, b.work), sadd(body.alloc, b.alloc)
				body.val = b.val
			}
		}
		c.work = sadd(c.work, smul(n, sadd(itemWork, body.work)))
		c.alloc = sadd(c.alloc, smul(n, body.alloc))
		switch x.Name {
		case "filter":
			c.alloc = sadd(c.alloc, smul(n, sliceWord))
			c.val = coll.val
		case "find", "findLast":
			c.val = coll.val.item()
		}
		return c
	}
	var args []cost
	c := cost{work: 1}
	for _, a := range x.Arguments {
		ac := e.node(a)
		args = append(args, ac)
		c.work, c.alloc = sadd(c.work, ac.work), sadd(c.alloc, ac.alloc)
	}
	var in shape // the first argument
	if len(args) > 0 {
		in = args[0].val
	}
	switch x.Name {
	case "len", "type", "abs", "ceil", "floor", "round", "int", "float", "duration",
		"hasPrefix", "hasSuffix", "max", "min":
		for _, a := range args {
			c.work = sadd(c.work, a.val.bytes, smul(a.val.items, 2))
		}
	case "string":
		// Printing a list or map takes several times its size.
		n := smul(sadd(in.bytes, smul(in.items, 32), 32), 6)
		c.work, c.alloc, c.val = sadd(c.work, n), sadd(c.alloc, n), shape{bytes: n}
	case "trimPrefix", "trimSuffix", "upper", "lower":
		n := smul(in.bytes, 2) // a lower or upper case letter may take more bytes
		c.work, c.alloc, c.val = sadd(c.work, n), sadd(c.alloc, n), shape{bytes: n}
	case "first", "last", "get":
		c.val = in.item()
	default:
		return e.fail(x, "%s is not available in conditions", x.Name)
	}
	return c
}

// checkCost reports an expression whose bound is over the budget.
func checkCost(n ast.Node) *costError {
	c, err := exprCost(n)
	if err != nil {
		return err
	}
	switch {
	case c.work > maxWork:
		return &costError{node: n, msg: fmt.Sprintf("expression too costly: up to %s work units per evaluation on a ticket within the limits (at most %s)",
			count(c.work), count(maxWork))}
	case c.alloc > maxAlloc:
		return &costError{node: n, msg: fmt.Sprintf("expression too costly: up to %s bytes of memory per evaluation on a ticket within the limits (at most %s)",
			count(c.alloc), count(maxAlloc))}
	}
	return nil
}

// count prints a bound: "more than 10^15" when it saturated.
func count(n int64) string {
	if n >= satMax {
		return fmt.Sprintf("more than 10^%d", int(math.Log10(satMax)))
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
