package sla

import (
	"maps"
	"slices"
	"time"
)

// Status is a ticket's status.
type Status string

// Ticket statuses. A ticket is created as new unless its created event
// says otherwise. Closed is terminal.
const (
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending"
	StatusOnHold  Status = "on_hold"
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed"
)

func (s Status) valid() bool {
	switch s {
	case StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusClosed:
		return true
	}
	return false
}

// Customer is the requester of a ticket.
type Customer struct {
	ID       string `json:"id,omitempty"`
	Tier     string `json:"tier,omitempty"`
	Country  string `json:"country,omitempty"`
	Language string `json:"language,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Ticket holds a ticket's current attributes, as the events and the
// routing rules left them. Policy conditions and custom metric conditions
// read it.
//
// Fields values should be JSON values (string, float64, bool, nil,
// []any, map[string]any) so that a [State] round-trips through JSON
// unchanged.
type Ticket struct {
	ID      string `json:"id"`
	Channel string `json:"channel,omitempty"`
	// Priority is the priority as the events, the router and escalation
	// set_priority actions set it; "" when none was set. A name not in
	// [Config.Priorities] (a Router may write one) counts as none. The
	// priority the clocks use, this one or else the default of the policy
	// in force or of the Config, is [View.Priority].
	Priority  string         `json:"priority,omitempty"`
	Status    Status         `json:"status"`
	Team      string         `json:"team,omitempty"`
	Agent     string         `json:"agent,omitempty"`
	Tags      []string       `json:"tags,omitempty"`
	Subject   string         `json:"subject,omitempty"`
	Customer  Customer       `json:"customer,omitzero"`
	Fields    map[string]any `json:"fields,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

// HasTag reports whether the ticket carries tag.
func (t Ticket) HasTag(tag string) bool { return slices.Contains(t.Tags, tag) }

// smallMerge is the largest product of the two lengths for which the
// tag helpers compare every pair rather than build a set.
const smallMerge = 256

// addTags appends the tags the ticket does not carry yet, once each, and
// reports whether any was added. It costs O(n+m).
func (t *Ticket) addTags(tags []string) bool {
	n := len(t.Tags)
	if len(tags)*(n+len(tags)) <= smallMerge {
		for _, tag := range tags {
			if tag != "" && !slices.Contains(t.Tags, tag) {
				t.Tags = append(t.Tags, tag)
			}
		}
		return len(t.Tags) != n
	}
	have := make(map[string]struct{}, n+len(tags))
	for _, tag := range t.Tags {
		have[tag] = struct{}{}
	}
	for _, tag := range tags {
		if _, dup := have[tag]; tag != "" && !dup {
			have[tag] = struct{}{}
			t.Tags = append(t.Tags, tag)
		}
	}
	return len(t.Tags) != n
}

// removeTags removes the tags and reports whether any was there, in O(n+m).
func (t *Ticket) removeTags(tags []string) bool {
	n := len(t.Tags)
	if len(tags) == 0 || n == 0 {
		return false
	}
	if len(tags)*n <= smallMerge {
		t.Tags = slices.DeleteFunc(t.Tags, func(s string) bool { return slices.Contains(tags, s) })
		return len(t.Tags) != n
	}
	gone := make(map[string]struct{}, len(tags))
	for _, tag := range tags {
		gone[tag] = struct{}{}
	}
	t.Tags = slices.DeleteFunc(t.Tags, func(s string) bool {
		_, ok := gone[s]
		return ok
	})
	return len(t.Tags) != n
}

func (t Ticket) clone() Ticket {
	t.Tags = slices.Clone(t.Tags)
	t.Fields = maps.Clone(t.Fields)
	return t
}

// EventType names what happened to a ticket.
type EventType string

// Event types.
const (
	EventCreated        EventType = "created"         // the ticket is opened; payload: initial attributes, Author
	EventMessage        EventType = "message"         // a message; payload: Author, Public, Text
	EventNote           EventType = "note"            // an internal note (never a response)
	EventStatus         EventType = "status"          // payload: Status
	EventPriority       EventType = "priority"        // payload: Priority
	EventAssign         EventType = "assign"          // payload: Team and/or Agent, or ClearTeam
	EventUpdate         EventType = "update"          // payload: Tags (added), RemoveTags, Fields (set), Subject
	EventEscalated      EventType = "escalated"       // a human escalation; payload: Tier
	EventCSAT           EventType = "csat"            // a satisfaction rating; payload: Score 1-5
	EventWindowRejected EventType = "window_rejected" // WhatsApp error 131047 seen by the host
)

// Author is who wrote a message (or opened a ticket).
type Author string

// Authors. An empty Author means customer.
const (
	AuthorCustomer Author = "customer"
	AuthorAgent    Author = "agent"
	AuthorBot      Author = "bot"
)

// Event is one thing that happened to a ticket, at an instant. Which
// payload fields matter depends on Type (see the EventXxx constants);
// the others are ignored. The JSON form is the one of the events file
// (docs/events.md), e.g.
//
//	{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","priority":"normal"}
type Event struct {
	TicketID string `json:"ticket"`
	// At is when the event happened. The engine compares instants by wall
	// clock: a monotonic clock reading (one from time.Now) is dropped.
	At   time.Time `json:"at"`
	Type EventType `json:"type"`

	Channel    string         `json:"channel,omitempty"`     // created
	Priority   string         `json:"priority,omitempty"`    // created, priority
	Status     Status         `json:"status,omitempty"`      // created (default new), status
	Team       string         `json:"team,omitempty"`        // created, assign
	Agent      string         `json:"agent,omitempty"`       // created, assign
	Tags       []string       `json:"tags,omitempty"`        // created (initial), update (added)
	RemoveTags []string       `json:"remove_tags,omitempty"` // update
	Subject    string         `json:"subject,omitempty"`     // created, update
	Customer   *Customer      `json:"customer,omitempty"`    // created
	Fields     map[string]any `json:"fields,omitempty"`      // created, update (set; a nil value deletes)

	Author Author `json:"author,omitempty"` // created, message: customer (default), agent or bot
	Public *bool  `json:"public,omitempty"` // message: default true
	Text   string `json:"text,omitempty"`   // created, message, note

	// WhatsApp (created, message): the message's id, so that a redelivered
	// message is counted once by the window, and whether it came with a
	// referral (a Click-to-WhatsApp ad or a Page button).
	MessageID string `json:"message_id,omitempty"`
	Referral  bool   `json:"referral,omitempty"`

	Tier  string `json:"tier,omitempty"`  // escalated (JSON: a string or a number)
	Score int    `json:"score,omitempty"` // csat: 1-5

	// ClearTeam, on an assign event, removes the ticket's team (a hand-off
	// to no team). Its JSON form is an explicit empty team: "team": "".
	ClearTeam bool `json:"-"`
}

func (ev *Event) author() Author {
	if ev.Author == "" {
		return AuthorCustomer
	}
	return ev.Author
}

func (ev *Event) public() bool { return ev.Public == nil || *ev.Public }
