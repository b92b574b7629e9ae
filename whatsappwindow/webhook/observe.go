package webhook

import (
	ww "github.com/slakit/slakit/whatsappwindow"
)

// Message types that are the user writing: they open or refresh the window.
// "unknown" is the older name of "unsupported".
var userTypes = map[string]bool{
	"text": true, "image": true, "video": true, "audio": true, "document": true, "sticker": true,
	"location": true, "contacts": true, "interactive": true, "button": true, "order": true,
	"unsupported": true, "unknown": true,
}

// Kind classifies the message for the window: [ww.UserMessage] for the
// user writing, [ww.UserReaction] for a reaction, [ww.UserOther] for
// system notices, request_welcome and types this package does not know.
func (m Message) Kind() ww.Kind {
	switch {
	case userTypes[m.Type]:
		return ww.UserMessage
	case m.Type == "reaction":
		return ww.UserReaction
	}
	return ww.UserOther
}

// Observation returns the message as a window observation.
func (m Message) Observation() ww.Observation {
	return ww.Observation{Key: m.Key(), Kind: m.Kind(), MessageID: m.ID, At: m.At, Referral: m.Referral != nil}
}

// Observation returns the status as a window observation: a
// [ww.BusinessMessage] with its billing and status for sent, delivered,
// read and played, a [ww.Rejection] for a failure with error 131047. ok is false for
// other failures and unknown statuses, which say nothing about the window.
func (s Status) Observation() (o ww.Observation, ok bool) {
	o = ww.Observation{Key: s.Key(), MessageID: s.ID, At: s.At}
	switch {
	case s.Rejected():
		o.Kind = ww.Rejection
	case s.Status == "sent" || s.Status == "delivered" || s.Status == "read" || s.Status == "played":
		o.Kind, o.Status = ww.BusinessMessage, s.Status
		if p := s.Pricing; p != nil {
			o.Billing.Model, o.Billing.Type, o.Billing.Category = p.Model, p.Type, ww.Category(p.Category)
		}
		if c := s.Conversation; c != nil {
			o.Billing.ConversationID, o.Billing.ConversationOrigin, o.Billing.ConversationExpires = c.ID, c.Origin, c.Expires
		}
	default:
		return ww.Observation{}, false
	}
	return o, true
}

// Observation returns a user-initiated call as a [ww.UserCall]; ok is false
// for calls the business placed.
func (c Call) Observation() (o ww.Observation, ok bool) {
	if !c.UserInitiated() {
		return ww.Observation{}, false
	}
	return ww.Observation{Key: c.Key(), Kind: ww.UserCall, MessageID: c.ID, At: c.At}, true
}

// Observations returns every window observation of the batch: messages,
// then statuses, then calls, each in payload order. The order does not
// matter to [ww.Tracker.Observe].
func (b *Batch) Observations() []ww.Observation {
	obs := make([]ww.Observation, 0, len(b.Messages)+len(b.Statuses)+len(b.Calls))
	for _, m := range b.Messages {
		obs = append(obs, m.Observation())
	}
	for _, s := range b.Statuses {
		if o, ok := s.Observation(); ok {
			obs = append(obs, o)
		}
	}
	for _, c := range b.Calls {
		if o, ok := c.Observation(); ok {
			obs = append(obs, o)
		}
	}
	return obs
}
