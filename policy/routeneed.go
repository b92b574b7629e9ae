package policy

import (
	"slices"

	"github.com/expr-lang/expr/ast"
)

// What an event must have for a routing rule to apply. Most events a
// rule runs on cannot satisfy it whatever the ticket: the reference
// policy's billing rule needs a customer's message, its outage rule a
// message with text, and an agent's reply (most messages) has neither.
// When every rule on an event's type needs something of the event, the
// engine is told (RouteNeeds) and looks at the event first: it does not
// ask the router about an event no rule can apply to. Only conditions run
// as Go code are read: they cannot fail (a condition on the VM may, and
// its failure is recorded), and they answer without side effects, so that
// skipping them changes nothing but the work.

// need is what an event must have for a rule's condition to hold: the
// author (authorOf) when hasAuthor, and a text when text. The zero need
// asks nothing.
type need struct {
	author    string
	hasAuthor bool
	text      bool
}

// needOf returns what an event must have for r to apply; false when r may
// apply to any event (no condition, a condition on the VM, or one that
// asks nothing of the event this reads).
func (r *rule) needOf() (need, bool) {
	if r.when == nil || r.when.native == nil {
		return need{}, false
	}
	return eventNeed(r.when.prog.Node())
}

// eventNeed returns what an event must have for the condition n, run as
// Go code, to hold: each operand of a chain of && must hold, and of those
// it reads event.author compared (==) with a literal, and has_keyword on
// event.text alone, which is false on an empty text. False when it finds
// neither.
func eventNeed(n ast.Node) (need, bool) {
	var nd need
	found := false
	for _, op := range chain(n, true) {
		if f, lit, not, ok := equalLiteral(op); ok && f == eventAuthor && !not {
			if !nd.hasAuthor {
				nd.author, nd.hasAuthor, found = lit, true, true
			}
			continue
		}
		if x, ok := op.(*ast.CallNode); ok && len(x.Arguments) == 3 {
			id, ok := x.Callee.(*ast.IdentifierNode)
			if !ok || id.Value != "has_keyword" {
				continue
			}
			if text, ok := nativeString(x.Arguments[0]); ok && len(text) == 1 && text[0].field == eventText {
				nd.text, found = true, true
			}
		}
	}
	return nd, found
}

// planNeeds sets the needs of the event types every rule of which needs
// something of the event. A rule that needs both a text and an author is
// counted as needing a text, which costs less to look at.
func (s *Set) planNeeds() {
	for b, rs := range s.typeRules {
		var text bool
		var authors []string
		all := len(rs) > 0
		for _, r := range rs {
			n, ok := r.needOf()
			if !ok {
				all = false
				break
			}
			if n.text {
				text = true
			} else if !slices.Contains(authors, n.author) {
				authors = append(authors, n.author)
			}
		}
		if all {
			s.needs.Types |= 1 << b
			if text {
				s.needs.Text |= 1 << b
			}
			s.needs.Authors[b] = authors
		}
	}
}
