package zendesk

import (
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/jsondoc"
	"github.com/slakit/slakit/sla"
)

// ticket is what the conversion knows of a ticket.
type ticket struct {
	id        string
	requester jsondoc.ID
	status    sla.Status
	priority  string
	team      string
	agent     string
	tags      []string
}

var statuses = map[string]sla.Status{
	"new": sla.StatusNew, "open": sla.StatusOpen, "pending": sla.StatusPending, "hold": sla.StatusOnHold,
	"on-hold": sla.StatusOnHold, "on_hold": sla.StatusOnHold, "solved": sla.StatusSolved, "closed": sla.StatusClosed,
}

var priorities = map[string]bool{"low": true, "normal": true, "high": true, "urgent": true}

// ticket yields the events of one ticket; it reports false when the
// consumer stopped.
func (c *conv) ticket(id string, ups []*update) bool {
	first := ups[0]
	if !slices.ContainsFunc(first.changes, func(ch change) bool { return ch.kind == "Create" }) {
		return c.o.Problem(first.pos, importer.KindNoCreate,
			"the ticket's first update (%s at %s) has no Create event: its history starts in the middle; updates skipped: %d",
			first.id, first.at.Format(time.RFC3339), len(ups))
	}
	tk := &ticket{id: id}
	if !c.create(tk, first) {
		return false
	}
	for _, u := range ups[1:] {
		if tk.status == sla.StatusClosed {
			if !c.o.Problem(u.pos, importer.KindAfterClosed, "update %s at %s after the ticket was closed; skipped",
				u.id, u.at.Format(time.RFC3339)) {
				return false
			}
			continue
		}
		for _, ch := range u.changes {
			if !c.apply(tk, u, ch) {
				return false
			}
		}
	}
	return true
}

// create yields the created event of the ticket's first update, then the
// update's other changes.
func (c *conv) create(tk *ticket, u *update) bool {
	ev := sla.Event{TicketID: tk.id, At: u.at, Type: sla.EventCreated, Channel: u.channel}
	for _, ch := range u.changes {
		if ch.kind == "Create" && ch.field == "requester_id" {
			r, _, _ := jsondoc.Scalar(ch.value)
			tk.requester = jsondoc.ID(r)
		}
	}
	if tk.requester == "" && c.author(tk, u, change{}) == sla.AuthorCustomer {
		tk.requester = u.author // an end user opened it: the requester
	}
	ev.Author = c.author(tk, u, change{})
	var rest []change
	closed, commented := false, false
	for _, ch := range u.changes {
		switch {
		case ch.kind == "Create":
			switch ch.field {
			case "status":
				s, ok := c.status(tk, u, ch)
				if !ok {
					return false
				}
				if s == sla.StatusClosed {
					s, closed = sla.StatusSolved, true // a ticket cannot be created closed
				}
				if s != "" {
					ev.Status = s
				}
			case "priority":
				p, ok := c.priority(tk, u, ch)
				if !ok {
					return false
				}
				ev.Priority = p
			case "group_id":
				ev.Team = c.group(ch.value)
			case "assignee_id":
				ev.Agent = c.agent(ch.value)
			case "tags":
				ev.Tags, _ = jsondoc.Strings(ch.value)
			case "subject":
				ev.Subject, _, _ = jsondoc.Scalar(ch.value)
			}
		case ch.kind == "Comment" && !commented:
			commented = true
			ev.Text = ch.body
			ev.Author = c.author(tk, u, ch)
		default:
			rest = append(rest, ch)
		}
	}
	if tk.requester != "" {
		ev.Customer = &sla.Customer{ID: string(tk.requester)}
	}
	if ev.Author == sla.AuthorCustomer {
		ev.Author = "" // the default
	}
	tk.status, tk.priority, tk.team, tk.agent, tk.tags = orNew(ev.Status), ev.Priority, ev.Team, ev.Agent, slices.Clone(ev.Tags)
	if !c.o.Event(ev) {
		return false
	}
	if closed && !c.emitStatus(tk, u, sla.StatusClosed) {
		return false
	}
	for _, ch := range rest {
		if !c.apply(tk, u, ch) {
			return false
		}
	}
	return true
}

// orNew is s, or new when the Create events set no status.
func orNew(s sla.Status) sla.Status {
	if s == "" {
		return sla.StatusNew
	}
	return s
}

// apply yields the events of one change of an update after the first.
func (c *conv) apply(tk *ticket, u *update, ch change) bool {
	base := sla.Event{TicketID: tk.id, At: u.at}
	switch ch.kind {
	case "Comment":
		author := c.author(tk, u, ch)
		if !ch.public {
			base.Type, base.Text = sla.EventNote, ch.body
			return c.o.Event(base)
		}
		base.Type, base.Author, base.Text = sla.EventMessage, author, ch.body
		return c.o.Event(base)
	case "SatisfactionRating":
		switch strings.ToLower(ch.score) {
		case "good":
			base.Type, base.Score = sla.EventCSAT, 5
		case "bad":
			base.Type, base.Score = sla.EventCSAT, 1
		default:
			return true // offered, unoffered: no rating yet
		}
		return c.o.Event(base)
	case "Change", "Create":
	default:
		return true
	}
	switch ch.field {
	case "status":
		s, ok := c.status(tk, u, ch)
		if !ok {
			return false
		}
		if s != "" && s != tk.status {
			return c.emitStatus(tk, u, s)
		}
	case "priority":
		p, ok := c.priority(tk, u, ch)
		if !ok {
			return false
		}
		if p != "" && p != tk.priority {
			tk.priority = p
			base.Type, base.Priority = sla.EventPriority, p
			return c.o.Event(base)
		}
	case "group_id":
		team := c.group(ch.value)
		if team != tk.team {
			tk.team = team
			base.Type, base.Team, base.ClearTeam = sla.EventAssign, team, team == ""
			return c.o.Event(base)
		}
	case "assignee_id":
		agent := c.agent(ch.value)
		if agent != "" && agent != tk.agent {
			tk.agent = agent
			base.Type, base.Agent = sla.EventAssign, agent
			return c.o.Event(base)
		}
	case "tags":
		now, _ := jsondoc.Strings(ch.value)
		before := tk.tags
		if len(ch.prev) > 0 {
			before, _ = jsondoc.Strings(ch.prev)
		}
		var added, removed []string
		for _, t := range now {
			if !slices.Contains(before, t) {
				added = append(added, t)
			}
		}
		for _, t := range before {
			if !slices.Contains(now, t) {
				removed = append(removed, t)
			}
		}
		tk.tags = slices.Clone(now)
		if len(added)+len(removed) > 0 {
			base.Type, base.Tags, base.RemoveTags = sla.EventUpdate, added, removed
			return c.o.Event(base)
		}
	case "subject":
		if s, _, _ := jsondoc.Scalar(ch.value); s != "" {
			base.Type, base.Subject = sla.EventUpdate, s
			return c.o.Event(base)
		}
	}
	return true
}

func (c *conv) emitStatus(tk *ticket, u *update, s sla.Status) bool {
	tk.status = s
	return c.o.Event(sla.Event{TicketID: tk.id, At: u.at, Type: sla.EventStatus, Status: s})
}

// status reads a status value: "" when it cannot be read (reported); ok
// is false when the consumer stopped.
func (c *conv) status(tk *ticket, u *update, ch change) (sla.Status, bool) {
	raw, _, err := jsondoc.Scalar(ch.value)
	s, known := statuses[strings.ToLower(raw)]
	if err != nil || !known {
		return "", c.o.Problem(u.pos, importer.KindBadValue, "status %s unknown; ignored", ch.value)
	}
	return s, true
}

// priority reads a priority value: "" for null or when it cannot be read
// (reported); ok is false when the consumer stopped.
func (c *conv) priority(tk *ticket, u *update, ch change) (string, bool) {
	raw, null, err := jsondoc.Scalar(ch.value)
	if null || raw == "" {
		return "", true
	}
	p := strings.ToLower(raw)
	if err != nil || !priorities[p] {
		return "", c.o.Problem(u.pos, importer.KindBadValue, "priority %s unknown (want low, normal, high or urgent); ignored", ch.value)
	}
	return p, true
}

// group names a group: its side-loaded name, or its id; "" for null.
func (c *conv) group(raw []byte) string {
	id, _, _ := jsondoc.Scalar(raw)
	if name := c.groups[jsondoc.ID(id)]; name != "" {
		return name
	}
	return id
}

// agent names a user: its side-loaded name, or its id; "" for null.
func (c *conv) agent(raw []byte) string {
	id, _, _ := jsondoc.Scalar(raw)
	if u, ok := c.users[jsondoc.ID(id)]; ok && u.name != "" {
		return u.name
	}
	return id
}

// author tells who wrote a comment: its author's role when the user is
// side-loaded; otherwise the customer when the author is the requester.
func (c *conv) author(tk *ticket, u *update, ch change) sla.Author {
	id := ch.author
	if id == "" {
		id = u.author
	}
	if usr, ok := c.users[id]; ok {
		switch usr.role {
		case "end-user", "end_user":
			return sla.AuthorCustomer
		case "agent", "admin":
			return sla.AuthorAgent
		}
	}
	if id != "" && (id == tk.requester || tk.requester == "") {
		return sla.AuthorCustomer
	}
	return sla.AuthorAgent
}
