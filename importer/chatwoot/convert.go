package chatwoot

import (
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/jsondoc"
	"github.com/slakit/slakit/sla"
)

var statuses = map[string]sla.Status{
	"open": sla.StatusOpen, "pending": sla.StatusPending, "snoozed": sla.StatusPending, "resolved": sla.StatusSolved,
}

// convert yields the events of every conversation, then reports the
// messages of conversations the input does not hold.
func (c *conv) convert() {
	order := slices.Clone(c.order)
	start := make(map[jsondoc.ID]time.Time, len(order)) // a conversation's first instant
	for _, id := range order {
		t := c.convs[id].CreatedAt.Time
		for _, m := range c.msgs[id] {
			if t.IsZero() || m.CreatedAt.Before(t) {
				t = m.CreatedAt.Time
			}
		}
		start[id] = t
	}
	slices.SortStableFunc(order, func(a, b jsondoc.ID) int {
		if d := start[a].Compare(start[b]); d != 0 {
			return d
		}
		return jsondoc.CompareIDs(string(a), string(b))
	})
	for _, id := range order {
		if !c.conversationEvents(c.convs[id], c.msgs[id]) {
			return
		}
	}
	var orphans []jsondoc.ID
	for id := range c.msgs {
		if c.convs[id] == nil {
			orphans = append(orphans, id)
		}
	}
	slices.SortFunc(orphans, func(a, b jsondoc.ID) int { return c.msgs[a][0].seq - c.msgs[b][0].seq })
	for _, id := range orphans {
		ms := c.msgs[id]
		if !c.o.Problem(ms[0].pos, importer.KindUnknownTicket,
			"conversation %s is not in the input (no channel nor creation to start from); its messages skipped: %d", id, len(ms)) {
			return
		}
	}
}

// ticket is what the conversion knows of a conversation.
type ticket struct {
	id       string
	status   sla.Status
	priority string
	team     string
	agent    string
}

func (c *conv) conversationEvents(cv *conversation, msgs []*message) bool {
	slices.SortStableFunc(msgs, func(a, b *message) int {
		if d := a.CreatedAt.Compare(b.CreatedAt.Time); d != 0 {
			return d
		}
		if d := jsondoc.CompareIDs(string(a.ID), string(b.ID)); d != 0 {
			return d
		}
		return a.seq - b.seq
	})
	tk := &ticket{id: string(cv.ID), status: sla.StatusOpen}
	ev := sla.Event{TicketID: tk.id, At: cv.CreatedAt.Time, Type: sla.EventCreated, Status: sla.StatusOpen}
	ch := cv.Meta.Channel
	if ch == "" {
		ch = c.inboxes[cv.InboxID]
	}
	ev.Channel = channel(ch)
	if cv.Meta.Sender != nil && cv.Meta.Sender.ID != "" {
		ev.Customer = &sla.Customer{ID: string(cv.Meta.Sender.ID)}
	}
	if len(msgs) > 0 {
		m := msgs[0]
		switch {
		case ev.At.IsZero() || m.CreatedAt.Before(ev.At):
			ev.At = m.CreatedAt.Time
		}
		if m.kind == "incoming" && !m.Private && m.CreatedAt.Sub(ev.At) <= foldWithin {
			ev.Text, ev.MessageID = m.Content, m.SourceID
			msgs = msgs[1:]
		} else if m.kind == "outgoing" || m.kind == "template" {
			ev.Author = sla.AuthorAgent // the business wrote first
		}
	}
	if ev.At.IsZero() {
		return c.o.Problem(cv.pos, importer.KindMalformed, "a conversation without created_at nor messages; skipped")
	}
	if !c.o.Event(ev) {
		return false
	}
	for _, m := range msgs {
		if !c.messageEvents(tk, m) {
			return false
		}
	}
	if want, ok := statuses[strings.ToLower(cv.Status)]; ok && want != tk.status {
		return c.o.Problem(cv.pos, importer.KindMismatch,
			"the history ends %s but the conversation is %s: messages pages missing?", tk.status, cv.Status)
	}
	return true
}

func (c *conv) messageEvents(tk *ticket, m *message) bool {
	base := sla.Event{TicketID: tk.id, At: m.CreatedAt.Time}
	switch {
	case m.kind == "activity":
		return c.activity(tk, m, base)
	case m.Private:
		base.Type, base.Text = sla.EventNote, m.Content
		return c.o.Event(base)
	case m.kind == "incoming":
		base.Type, base.Author, base.Text, base.MessageID = sla.EventMessage, sla.AuthorCustomer, m.Content, m.SourceID
		if tk.status == sla.StatusSolved || tk.status == sla.StatusPending {
			tk.status = sla.StatusOpen // Chatwoot reopens; so does the engine
		}
		return c.o.Event(base)
	}
	base.Type, base.Text, base.MessageID = sla.EventMessage, m.Content, m.SourceID
	base.Author = sla.AuthorBot
	if m.SenderType == "User" {
		base.Author = sla.AuthorAgent
	}
	return c.o.Event(base)
}

// activity yields what an activity message says happened.
func (c *conv) activity(tk *ticket, m *message, base sla.Event) bool {
	a := parseActivity(m.Content)
	if a.status != "" && a.status != tk.status {
		tk.status = a.status
		ev := base
		ev.Type, ev.Status = sla.EventStatus, a.status
		if !c.o.Event(ev) {
			return false
		}
	}
	if a.assignee != "" && c.teams[a.assignee] && a.team == "" {
		a.team, a.assignee = a.assignee, ""
	}
	ev := base
	ev.Type = sla.EventAssign
	if a.clearTeam && tk.team != "" {
		tk.team, ev.ClearTeam = "", true
	}
	if a.team != "" && a.team != tk.team {
		tk.team, ev.Team = a.team, a.team
	}
	if a.assignee != "" && a.assignee != tk.agent {
		tk.agent, ev.Agent = a.assignee, a.assignee
	}
	if (ev.ClearTeam || ev.Team != "" || ev.Agent != "") && !c.o.Event(ev) {
		return false
	}
	if a.priority != "" && a.priority != tk.priority {
		tk.priority = a.priority
		ev := base
		ev.Type, ev.Priority = sla.EventPriority, a.priority
		return c.o.Event(ev)
	}
	return true
}

// action is what one activity message says.
type action struct {
	status    sla.Status
	assignee  string // an agent, or a team (told apart by the known teams)
	team      string
	clearTeam bool
	priority  string
}

// parseActivity reads Chatwoot's English activity texts; anything else is
// no action.
func parseActivity(s string) action {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "Conversation was marked resolved"), strings.HasPrefix(s, "Conversation was resolved by"):
		return action{status: sla.StatusSolved}
	case strings.HasPrefix(s, "Conversation was reopened"), strings.HasPrefix(s, "Conversation was marked open"),
		strings.HasPrefix(s, "System reopened the conversation"):
		return action{status: sla.StatusOpen}
	case strings.HasPrefix(s, "Conversation was marked as pending"), strings.HasPrefix(s, "Conversation was snoozed"):
		return action{status: sla.StatusPending}
	case strings.HasSuffix(s, " self-assigned this conversation"):
		return action{assignee: strings.TrimSuffix(s, " self-assigned this conversation")}
	case strings.HasPrefix(s, "Unassigned from "):
		return action{clearTeam: true}
	case strings.HasPrefix(s, "Assigned to "):
		rest := strings.TrimPrefix(s, "Assigned to ")
		if i := strings.LastIndex(rest, " by "); i >= 0 {
			rest = rest[:i]
		}
		if agent, team, ok := strings.Cut(rest, " via "); ok {
			return action{assignee: agent, team: team}
		}
		return action{assignee: rest}
	case strings.Contains(s, " set the priority to "):
		_, p, _ := strings.Cut(s, " set the priority to ")
		return action{priority: priority(p)}
	case strings.Contains(s, " changed the priority from "):
		_, rest, _ := strings.Cut(s, " changed the priority from ")
		if i := strings.LastIndex(rest, " to "); i >= 0 {
			return action{priority: priority(rest[i+len(" to "):])}
		}
	}
	return action{}
}

// priority maps a Chatwoot priority to slakit's names: medium is normal.
func priority(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "medium":
		return "normal"
	case "low", "high", "urgent":
		return p
	}
	return ""
}
