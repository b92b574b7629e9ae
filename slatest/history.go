package slatest

import (
	"slices"
	"time"

	"github.com/slakit/slakit/sla"
)

// History builds the events of one or more tickets for a test:
//
//	sp, _ := time.LoadLocation("America/Sao_Paulo")
//	evs := slatest.NewHistory("T1", time.Date(2026, 3, 2, 9, 5, 0, 0, sp)).
//		Created("whatsapp", "normal", "Problema de pagamento").
//		WithCustomer(sla.Customer{ID: "c1", Tier: "vip"}).WithMessageID("wamid.1").
//		After(4 * time.Minute).Agent("Olá! Vou verificar.").
//		After(time.Hour).Customer("Obrigado").
//		After(time.Minute).Status(sla.StatusSolved).
//		Events()
//
// Each method adds one event to the current ticket at the current instant
// and returns the History; [History.WithCustomer], [History.WithMessageID]
// and [History.Edit] change the event just added; [History.After] and
// [History.At] move the instant, [History.Ticket] switches the ticket. The zero History is not
// usable; call [NewHistory].
type History struct {
	ticket string
	at     time.Time
	evs    []sla.Event
}

// NewHistory starts a history with the ticket id at the instant at.
func NewHistory(ticket string, at time.Time) *History {
	return &History{ticket: ticket, at: at}
}

// Ticket makes id the current ticket (the instant stays).
func (h *History) Ticket(id string) *History { h.ticket = id; return h }

// At sets the current instant.
func (h *History) At(at time.Time) *History { h.at = at; return h }

// After moves the current instant on by d.
func (h *History) After(d time.Duration) *History { h.at = h.at.Add(d); return h }

// Add adds ev, filling in its ticket and instant when they are unset.
func (h *History) Add(ev sla.Event) *History {
	if ev.TicketID == "" {
		ev.TicketID = h.ticket
	}
	if ev.At.IsZero() {
		ev.At = h.at
	}
	h.evs = append(h.evs, ev)
	return h
}

// Edit changes the last event added (to set a customer tier, a message
// id, tags, ...). It does nothing on an empty history.
func (h *History) Edit(f func(ev *sla.Event)) *History {
	if len(h.evs) > 0 {
		f(&h.evs[len(h.evs)-1])
	}
	return h
}

// WithCustomer sets the customer of the last event added (a created
// event: the ticket's requester, whose tier and country policies read).
// Call it after Created: like Edit, it does nothing on an empty history.
func (h *History) WithCustomer(c sla.Customer) *History {
	return h.Edit(func(ev *sla.Event) { ev.Customer = &c })
}

// WithMessageID sets the message id of the last event added (a created
// event or a message), so that a redelivered WhatsApp message can be
// tested: two customer messages with one id count once. Like Edit, it
// does nothing on an empty history.
func (h *History) WithMessageID(id string) *History {
	return h.Edit(func(ev *sla.Event) { ev.MessageID = id })
}

// Created opens the current ticket by a customer message on channel at
// priority ("" for the default) with text.
func (h *History) Created(channel, priority, text string) *History {
	return h.Add(sla.Event{Type: sla.EventCreated, Channel: channel, Priority: priority, Text: text})
}

// Customer adds a public customer message.
func (h *History) Customer(text string) *History {
	return h.Add(sla.Event{Type: sla.EventMessage, Author: sla.AuthorCustomer, Text: text})
}

// Agent adds a public agent message.
func (h *History) Agent(text string) *History {
	return h.Add(sla.Event{Type: sla.EventMessage, Author: sla.AuthorAgent, Text: text})
}

// Note adds an internal note.
func (h *History) Note(text string) *History {
	return h.Add(sla.Event{Type: sla.EventNote, Author: sla.AuthorAgent, Text: text})
}

// Status changes the ticket's status.
func (h *History) Status(s sla.Status) *History {
	return h.Add(sla.Event{Type: sla.EventStatus, Status: s})
}

// Priority changes the ticket's priority.
func (h *History) Priority(p string) *History {
	return h.Add(sla.Event{Type: sla.EventPriority, Priority: p})
}

// Assign assigns the ticket to a team and/or an agent ("" leaves it).
func (h *History) Assign(team, agent string) *History {
	return h.Add(sla.Event{Type: sla.EventAssign, Team: team, Agent: agent})
}

// Escalated records a human escalation to tier.
func (h *History) Escalated(tier string) *History {
	return h.Add(sla.Event{Type: sla.EventEscalated, Tier: tier})
}

// CSAT records a satisfaction rating (1-5).
func (h *History) CSAT(score int) *History {
	return h.Add(sla.Event{Type: sla.EventCSAT, Score: score})
}

// WindowRejected records a WhatsApp 131047 rejection.
func (h *History) WindowRejected() *History {
	return h.Add(sla.Event{Type: sla.EventWindowRejected})
}

// Events returns the events sorted by instant (stable: events at equal
// instants keep the order they were added). The History can still be
// added to.
func (h *History) Events() []sla.Event {
	evs := slices.Clone(h.evs)
	slices.SortStableFunc(evs, func(a, b sla.Event) int { return a.At.Compare(b.At) })
	return evs
}
