package zendesk

import (
	"encoding/json"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/jsondoc"
	"github.com/slakit/slakit/importer/internal/out"
	"github.com/slakit/slakit/sla"
)

// Reader converts Zendesk ticket audits and ticket events into events. A
// Reader is for one import at a time; it is not safe for concurrent use.
type Reader struct {
	records int
}

// Records returns the number of audits and ticket events read so far.
func (r *Reader) Records() int { return r.records }

// update is one audit or ticket event, in a form common to both.
type update struct {
	pos     importer.Problem // file, line, record and ticket
	id      jsondoc.ID
	at      time.Time
	author  jsondoc.ID
	channel string
	changes []change
	seq     int // input order
}

// change is one Create, Change, Comment or SatisfactionRating event.
type change struct {
	kind   string // Create, Change, Comment, SatisfactionRating
	field  string
	value  json.RawMessage
	prev   json.RawMessage
	body   string
	public bool
	author jsondoc.ID
	score  string
}

type user struct {
	name, role string
}

// Events reads all the inputs, then yields every ticket's events, ticket
// after ticket in order of their first update, and the problems (as
// [*importer.Problem] errors).
func (r *Reader) Events(inputs ...importer.Input) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		c := &conv{o: out.New(yield), users: map[jsondoc.ID]user{}, groups: map[jsondoc.ID]string{}, seen: map[string]bool{}}
		var ups []*update
		for _, in := range inputs {
			var ok bool
			if ups, ok = c.read(r, in, ups); !ok {
				return
			}
		}
		c.convert(ups)
	}
}

type conv struct {
	o      *out.Out
	users  map[jsondoc.ID]user
	groups map[jsondoc.ID]string
	seen   map[string]bool // ticket id + update id
}

// read appends the updates of one input; it reports false when the
// consumer stopped.
func (c *conv) read(r *Reader, in importer.Input, ups []*update) ([]*update, bool) {
	file := importer.Problem{File: in.Name}
	data, parts, p := jsondoc.Load(in, "audits", "ticket_events", "users", "groups")
	if p != nil {
		return ups, c.o.Report(p)
	}
	if len(parts) == 0 && !strings.Contains(string(data), `"audits"`) && !strings.Contains(string(data), `"ticket_events"`) {
		return ups, c.o.Problem(file, importer.KindMalformed, "no audits, ticket_events, users or groups: not a Zendesk export page")
	}
	for _, rec := range parts["users"] {
		var u struct {
			ID   jsondoc.ID `json:"id"`
			Name string     `json:"name"`
			Role string     `json:"role"`
		}
		if err := json.Unmarshal(rec.Raw, &u); err != nil || u.ID == "" {
			if !c.bad(in.Name, rec, "", err, "a user without an id") {
				return ups, false
			}
			continue
		}
		c.users[u.ID] = user{name: u.Name, role: u.Role}
	}
	for _, rec := range parts["groups"] {
		var g struct {
			ID   jsondoc.ID `json:"id"`
			Name string     `json:"name"`
		}
		if err := json.Unmarshal(rec.Raw, &g); err != nil || g.ID == "" {
			if !c.bad(in.Name, rec, "", err, "a group without an id") {
				return ups, false
			}
			continue
		}
		c.groups[g.ID] = g.Name
	}
	for _, rec := range parts["audits"] {
		r.records++
		u, ticket, err := decodeAudit(rec.Raw)
		if !c.add(&ups, in.Name, rec, u, ticket, err) {
			return ups, false
		}
	}
	for _, rec := range parts["ticket_events"] {
		r.records++
		u, ticket, err := decodeTicketEvent(rec.Raw)
		if !c.add(&ups, in.Name, rec, u, ticket, err) {
			return ups, false
		}
	}
	return ups, true
}

// bad reports a malformed record; it reports false when the consumer
// stopped.
func (c *conv) bad(file string, rec jsondoc.Record, ticket jsondoc.ID, err error, what string) bool {
	msg := what
	if err != nil {
		msg = jsondoc.Message(err)
	}
	return c.o.Problem(importer.Problem{File: file, Line: rec.Line, Record: rec.Path, Ticket: string(ticket)},
		importer.KindMalformed, "%s; skipped", msg)
}

func (c *conv) add(ups *[]*update, file string, rec jsondoc.Record, u *update, ticket jsondoc.ID, err error) bool {
	if err != nil {
		return c.bad(file, rec, ticket, err, "")
	}
	u.pos = importer.Problem{File: file, Line: rec.Line, Record: rec.Path, Ticket: string(ticket)}
	if u.id != "" {
		key := string(ticket) + "\x00" + string(u.id)
		if c.seen[key] {
			return c.o.Problem(u.pos, importer.KindDuplicate, "update %s read before; skipped", u.id)
		}
		c.seen[key] = true
	}
	u.seq = len(*ups)
	*ups = append(*ups, u)
	return true
}

// decodeAudit decodes one audit of the Ticket Audits API.
func decodeAudit(raw json.RawMessage) (*update, jsondoc.ID, error) {
	var a struct {
		ID        jsondoc.ID   `json:"id"`
		TicketID  jsondoc.ID   `json:"ticket_id"`
		CreatedAt jsondoc.Time `json:"created_at"`
		AuthorID  jsondoc.ID   `json:"author_id"`
		Via       *struct {
			Channel json.RawMessage `json:"channel"`
		} `json:"via"`
		Events []struct {
			Type      string          `json:"type"`
			FieldName string          `json:"field_name"`
			Value     json.RawMessage `json:"value"`
			Previous  json.RawMessage `json:"previous_value"`
			Body      string          `json:"body"`
			Public    *bool           `json:"public"`
			AuthorID  jsondoc.ID      `json:"author_id"`
			Score     string          `json:"score"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, peekTicket(raw), err
	}
	if err := check(a.TicketID, a.CreatedAt); err != nil {
		return nil, a.TicketID, err
	}
	u := &update{id: a.ID, at: a.CreatedAt.Time, author: a.AuthorID}
	if a.Via != nil {
		ch, _, _ := jsondoc.Scalar(a.Via.Channel)
		u.channel = channel(ch)
	}
	for _, e := range a.Events {
		ch := change{kind: e.Type, field: e.FieldName, value: e.Value, prev: e.Previous, body: e.Body,
			public: e.Public == nil || *e.Public, author: e.AuthorID, score: e.Score}
		if ch.kind == "SatisfactionRating" {
			ch.score = scoreOf(e.Score, e.Value)
		}
		u.changes = append(u.changes, ch)
	}
	return u, a.TicketID, nil
}

// scoreOf reads a satisfaction score from its own member or from value.
func scoreOf(score string, value json.RawMessage) string {
	if score != "" {
		return score
	}
	s, _, _ := jsondoc.Scalar(value)
	return s
}

// fieldKeys are the fields a child event of the ticket event export may
// carry as members of its own.
var fieldKeys = []string{"status", "priority", "group_id", "assignee_id", "subject", "tags", "requester_id"}

// decodeTicketEvent decodes one event of the incremental ticket event
// export. A child event names its field with field_name and value, or
// carries the field as a member of its own ("status": "open").
func decodeTicketEvent(raw json.RawMessage) (*update, jsondoc.ID, error) {
	var te struct {
		ID        jsondoc.ID                   `json:"id"`
		TicketID  jsondoc.ID                   `json:"ticket_id"`
		CreatedAt jsondoc.Time                 `json:"created_at"`
		Timestamp jsondoc.Time                 `json:"timestamp"`
		UpdaterID jsondoc.ID                   `json:"updater_id"`
		Via       json.RawMessage              `json:"via"`
		Children  []map[string]json.RawMessage `json:"child_events"`
	}
	if err := json.Unmarshal(raw, &te); err != nil {
		return nil, peekTicket(raw), err
	}
	at := te.CreatedAt
	if at.IsZero() {
		at = te.Timestamp
	}
	if err := check(te.TicketID, at); err != nil {
		return nil, te.TicketID, err
	}
	u := &update{id: te.ID, at: at.Time, author: te.UpdaterID}
	via, _, _ := jsondoc.Scalar(te.Via)
	u.channel = channel(via)
	for _, m := range te.Children {
		var kind, field, body string
		var author jsondoc.ID
		unmarshalIf(m["event_type"], &kind)
		if kind == "" {
			unmarshalIf(m["type"], &kind)
		}
		unmarshalIf(m["field_name"], &field)
		unmarshalIf(m["body"], &body)
		unmarshalIf(m["author_id"], &author)
		public := true
		if p, ok := m["public"]; ok {
			unmarshalIf(p, &public)
		} else if p, ok := m["comment_public"]; ok {
			unmarshalIf(p, &public)
		}
		base := change{kind: kind, body: body, public: public, author: author, prev: m["previous_value"]}
		switch {
		case kind == "SatisfactionRating":
			var score string
			unmarshalIf(m["score"], &score)
			base.score = scoreOf(score, m["value"])
			u.changes = append(u.changes, base)
		case field != "" || kind == "Comment":
			base.field, base.value = field, m["value"]
			u.changes = append(u.changes, base)
		default:
			for _, k := range fieldKeys {
				if v, ok := m[k]; ok {
					ch := base
					ch.field, ch.value = k, v
					u.changes = append(u.changes, ch)
				}
			}
		}
	}
	return u, te.TicketID, nil
}

// unmarshalIf decodes raw into v when raw is present; a value of another
// type leaves v as it was.
func unmarshalIf(raw json.RawMessage, v any) {
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, v)
	}
}

func check(ticket jsondoc.ID, at jsondoc.Time) error {
	switch {
	case ticket == "":
		return errString("no ticket_id")
	case at.IsZero():
		return errString("no created_at")
	case !jsondoc.InRange(at.Time):
		return errString("created_at outside the years 1900 to 2999")
	}
	return nil
}

type errString string

func (e errString) Error() string { return string(e) }

// peekTicket is the ticket id of a record that cannot be decoded whole,
// when it can be read.
func peekTicket(raw json.RawMessage) jsondoc.ID {
	var t struct {
		TicketID json.RawMessage `json:"ticket_id"`
	}
	if json.Unmarshal(raw, &t) != nil {
		return ""
	}
	s, _, err := jsondoc.Scalar(t.TicketID)
	if err != nil {
		return ""
	}
	return jsondoc.ID(s)
}

var channelAliases = map[string]string{"mail": "email", "web_form": "web", "web_service": "api"}

// channel turns a via channel into an event channel: lower case, words
// joined by underscores, the export's names read as the API's.
func channel(via string) string {
	ch := strings.Join(strings.Fields(strings.ToLower(via)), "_")
	if a, ok := channelAliases[ch]; ok {
		return a
	}
	return ch
}

// convert groups the updates by ticket and yields each ticket's events.
func (c *conv) convert(ups []*update) {
	byTicket := map[string][]*update{}
	var order []string
	for _, u := range ups {
		id := u.pos.Ticket
		if byTicket[id] == nil {
			order = append(order, id)
		}
		byTicket[id] = append(byTicket[id], u)
	}
	for _, id := range order {
		slices.SortStableFunc(byTicket[id], func(a, b *update) int {
			if d := a.at.Compare(b.at); d != 0 {
				return d
			}
			if d := jsondoc.CompareIDs(string(a.id), string(b.id)); d != 0 {
				return d
			}
			return a.seq - b.seq
		})
	}
	slices.SortStableFunc(order, func(a, b string) int {
		if d := byTicket[a][0].at.Compare(byTicket[b][0].at); d != 0 {
			return d
		}
		return jsondoc.CompareIDs(a, b)
	})
	for _, id := range order {
		if !c.ticket(id, byTicket[id]) {
			return
		}
	}
}
