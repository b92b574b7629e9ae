package policy

import (
	"github.com/expr-lang/expr/ast"

	"github.com/slakit/slakit/sla"
)

// ticketAttrs maps the names of ticket's members to the attributes the
// engine tells apart; a name not here reads any.
var ticketAttrs = map[string]sla.Attrs{
	"status": sla.AttrStatus, "priority": sla.AttrPriority, "team": sla.AttrTeam,
	"agent": sla.AttrAgent, "tags": sla.AttrTags, "subject": sla.AttrSubject,
	"fields": sla.AttrFields, "id": sla.AttrFixed, "channel": sla.AttrFixed,
	"customer": sla.AttrFixed, "created_at": sla.AttrFixed,
}

// reads returns the ticket attributes p reads: those named by the members
// of ticket it asks for, or every one when it uses ticket otherwise (as a
// whole, or a member by a computed name). A condition that reads nothing
// of the ticket reads [sla.AttrFixed], so that its answer is never taken
// for unknown.
func (p *cond) reads() sla.Attrs {
	if p == nil {
		return sla.AttrAll
	}
	var reads sla.Attrs
	uses, named := 0, 0
	ast.Find(p.prog.Node(), func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			if x.Value == "ticket" {
				uses++
			}
		case *ast.MemberNode:
			id, ok := x.Node.(*ast.IdentifierNode)
			prop, str := x.Property.(*ast.StringNode)
			if ok && str && id.Value == "ticket" && !x.Method {
				a, known := ticketAttrs[prop.Value]
				if !known {
					a = sla.AttrAll
				}
				reads |= a
				named++
			}
		}
		return false
	})
	if uses != named {
		return sla.AttrAll
	}
	if p.fields {
		reads |= sla.AttrFields
	}
	if reads == 0 {
		reads = sla.AttrFixed
	}
	return reads
}
