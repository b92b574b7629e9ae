package webhook

import (
	"github.com/slakit/slakit/sla"
	ww "github.com/slakit/slakit/whatsappwindow"
)

// Event returns the message as an event of the SLA engine for the given
// ticket, and false when it is nothing the engine counts (a reaction, a
// system notice, a request_welcome): only user messages are customer
// messages. With create, the event is the ticket's created event on the
// whatsapp channel, with the customer's WhatsApp id as phone and customer
// id; otherwise it is a customer message. The host decides which ticket a
// conversation belongs to and when a message starts a new one.
//
// The event carries Meta's timestamp, the message id (so that a redelivery
// counts once for the window) and whether the message came from a
// referral.
func (m Message) Event(ticket string, create bool) (sla.Event, bool) {
	if m.Kind() != ww.UserMessage {
		return sla.Event{}, false
	}
	ev := sla.Event{TicketID: ticket, At: m.At, Type: sla.EventMessage, Author: sla.AuthorCustomer,
		Text: m.Text, MessageID: m.ID, Referral: m.Referral != nil}
	if create {
		ev.Type = sla.EventCreated
		ev.Channel = sla.WhatsAppChannel
		ev.Customer = &sla.Customer{ID: m.UserKey(), Phone: m.From}
	}
	return ev, true
}

// Event returns a status as an event of the SLA engine for the given
// ticket: a failed status with error 131047 is a window_rejected event;
// every other status is nothing the engine counts (false). The agent's
// messages reach the engine from the helpdesk, not from their statuses.
func (s Status) Event(ticket string) (sla.Event, bool) {
	if !s.Rejected() {
		return sla.Event{}, false
	}
	return sla.Event{TicketID: ticket, At: s.At, Type: sla.EventWindowRejected, MessageID: s.ID}, true
}
