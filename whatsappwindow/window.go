package whatsappwindow

import (
	"fmt"
	"slices"
	"time"
)

// Length is the life of a customer service window: it closes this long
// after the user's last message or call.
const Length = 24 * time.Hour

// FreeEntryPointLength is the life of a free entry point window, counted
// from the business reply that opened it.
const FreeEntryPointLength = 72 * time.Hour

// ErrorCodeReengagement is the Cloud API error code for a free-form message
// refused because the customer service window is closed ("Re-engagement
// message"). Classify rejections by this code, never by the error text.
const ErrorCodeReengagement = 131047

// seenCap is how many recent user message ids a Window keeps for
// deduplication.
const seenCap = 16

// Key identifies a window: one business phone number and one user.
// Business is the Cloud API phone_number_id (not the display number). User
// is the user's WhatsApp id (wa_id), or the business-scoped user id (BSUID)
// when the payload carries no phone number. Hosts must use the same form
// of user id for one user throughout.
type Key struct {
	Business string `json:"business"`
	User     string `json:"user"`
}

// String returns "business/user".
func (k Key) String() string { return k.Business + "/" + k.User }

// UserID returns the user side of a [Key] for a user known by the WhatsApp
// id waID (the phone number) and the business-scoped user id bsuid: waID,
// or bsuid when there is no phone number. The webhook package and the SLA
// engine both key windows with it, so that one user has one window and a
// redelivered message is recognised on either road.
func UserID(waID, bsuid string) string {
	if waID != "" {
		return waID
	}
	return bsuid
}

// Kind says what an [Observation] saw.
type Kind uint8

// The kinds of observation. The zero Kind is invalid.
const (
	// UserMessage is a message the user sent (text, media, location,
	// contacts, interactive or button reply, order, unsupported). It opens
	// or refreshes the window.
	UserMessage Kind = iota + 1
	// UserReaction is a reaction the user put on a business message. It
	// opens or refreshes the window only when [Config.ReactionsCount] is set.
	UserReaction
	// UserCall is a call the user placed to the business. It opens or
	// refreshes the window.
	UserCall
	// UserOther is inbound activity that is not the user writing or calling
	// (system notices, request_welcome, types this package does not know).
	// It never changes the window.
	UserOther
	// BusinessMessage is a message the business sent: a send the API
	// accepted, or a sent, delivered, read or played status. It never
	// extends the window; a send or a sent status may open a free entry
	// point, any status may confirm one (see [Observation.Status]).
	BusinessMessage
	// Rejection is a send refused with error 131047, either synchronously
	// or as a failed status. Free-form messages are then refused until a
	// user message in the same second or a later one (see
	// [Window.RejectedAt]).
	Rejection
)

var kindNames = [...]string{
	UserMessage:     "user_message",
	UserReaction:    "user_reaction",
	UserCall:        "user_call",
	UserOther:       "user_other",
	BusinessMessage: "business_message",
	Rejection:       "rejection",
}

// String returns the kind's snake_case name, or "kind(N)" for an invalid one.
func (k Kind) String() string {
	if k.valid() {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

func (k Kind) valid() bool { return k >= UserMessage && k <= Rejection }

// Observation is one thing seen on a conversation, as the host or the
// webhook package reports it to [Tracker.Observe].
type Observation struct {
	// Key names the window.
	Key Key
	// Kind says what was seen.
	Kind Kind
	// MessageID is Meta's message id (wamid) or call id (wacid). User
	// activity with an id already seen is ignored. It may be empty.
	MessageID string
	// At is Meta's timestamp of the event (the webhook's timestamp field),
	// not the instant the host received it. For a synchronous rejection it
	// is the instant of the send attempt.
	At time.Time
	// Referral reports whether a user message came through a Click to
	// WhatsApp ad or a Facebook Page button (the webhook's referral
	// object): it makes a free entry point candidate.
	Referral bool
	// Billing is what a status webhook said about the price of a business
	// message. It is empty for everything else.
	Billing Billing
	// Status is, for a business message a status webhook reported, the
	// status: "sent", "delivered", "read" or "played". It is empty for a
	// send the host reports. Only a send or a sent status can be the reply
	// that opens a free entry point (or, priced, answers the candidate
	// without one): a later status may belong to a message sent before the
	// ad click.
	Status string
}

// Billing is the pricing information of a status webhook: the pricing and
// conversation objects. Strings are Meta's own values.
type Billing struct {
	// Model is pricing.pricing_model: "PMP" (per message) or "CBP"
	// (conversation based).
	Model string
	// Type is pricing.type: "regular", "free_customer_service" or
	// "free_entry_point".
	Type string
	// Category is pricing.category.
	Category Category
	// ConversationID is conversation.id (sent for free entry point messages
	// and, before Graph API v24.0, for every message).
	ConversationID string
	// ConversationOrigin is conversation.origin.type.
	ConversationOrigin string
	// ConversationExpires is conversation.expiration_timestamp. It ends a
	// billing conversation and is never used for the service window.
	ConversationExpires time.Time
}

// FreeEntryPoint reports whether the status says the message was sent
// inside a free entry point window.
func (b Billing) FreeEntryPoint() bool {
	return b.Type == "free_entry_point" || b.Category == CategoryReferralConversion ||
		b.ConversationOrigin == string(CategoryReferralConversion)
}

// known reports whether the status carried any pricing information.
func (b Billing) known() bool {
	return b.Type != "" || b.Category != "" || b.ConversationOrigin != ""
}

// Window is the state of one customer service window, a plain value that
// the host stores (it marshals to JSON) and hands back to [Tracker.Observe]
// and [Tracker.Verdict]. The zero Window has never been opened; its Key is
// set by the first observation.
//
// Observe mutates a Window in place: a Window is not safe for concurrent
// use, so callers serialise the observations of one key, as they would the
// updates of one database row. A copy of a Window shares its Seen list with
// the original: to keep an old copy unchanged while observing the new one,
// clone Seen (or keep the old one as JSON). Instants are stored in UTC.
type Window struct {
	// Key names the window.
	Key Key `json:"key"`
	// LastUserAt is the latest user activity that counts; the window closes
	// [Length] after it. Zero if the user never wrote or called.
	LastUserAt time.Time `json:"last_user_at,omitzero"`
	// LastUserMessageID is the id of the message or call that set LastUserAt.
	LastUserMessageID string `json:"last_user_message_id,omitempty"`
	// RejectedAt is the latest 131047 rejection. Free-form messages are
	// refused while its whole second is after LastUserAt's: a user message
	// in the same second as the rejection, or later, lifts it. Meta stamps
	// user messages in whole seconds while a synchronous rejection carries
	// the host's clock to the nanosecond, so a finer comparison would keep
	// a window refused (up to 24h) after the user wrote again.
	RejectedAt time.Time `json:"rejected_at,omitzero"`
	// ReferralAt is the latest user message that came through a free entry
	// point (the candidate).
	ReferralAt time.Time `json:"referral_at,omitzero"`
	// FreeEntryStart and FreeEntryEnd bound the free entry point window,
	// [FreeEntryStart, FreeEntryEnd). Both are zero when there is none;
	// equal when a status showed that the reply was not free.
	FreeEntryStart time.Time `json:"free_entry_start,omitzero"`
	FreeEntryEnd   time.Time `json:"free_entry_end,omitzero"`
	// FreeEntryConfirmed reports whether a status webhook confirmed the free
	// entry point (pricing type free_entry_point or origin
	// referral_conversion).
	FreeEntryConfirmed bool `json:"free_entry_confirmed,omitempty"`
	// Seen holds the ids of the most recent user messages and calls, oldest
	// first, for deduplication. It is bounded.
	Seen []string `json:"seen,omitempty"`
}

// ClosesAt returns the instant the window closes, [Length] after the last
// counting user activity; zero if the user never wrote or called. The
// window is open at instants before it.
func (w Window) ClosesAt() time.Time {
	if w.LastUserAt.IsZero() {
		return time.Time{}
	}
	return w.LastUserAt.Add(Length)
}

// seen reports whether id is in the deduplication list.
func (w *Window) seen(id string) bool { return slices.Contains(w.Seen, id) }

// remember adds id to the deduplication list, dropping the oldest id when
// the list is full.
func (w *Window) remember(id string) {
	if n := len(w.Seen); n >= seenCap {
		copy(w.Seen, w.Seen[n-seenCap+1:])
		w.Seen = w.Seen[:seenCap-1]
	}
	w.Seen = append(w.Seen, id)
}

// inFreeEntry reports whether t falls inside the free entry point window.
func (w *Window) inFreeEntry(t time.Time) bool {
	// Most windows have none: that test inlines, the comparisons do not.
	return !w.FreeEntryStart.IsZero() && w.inFreeEntryBounds(t)
}

// inFreeEntryBounds reports whether t lies in [FreeEntryStart, FreeEntryEnd).
func (w *Window) inFreeEntryBounds(t time.Time) bool {
	return !t.Before(w.FreeEntryStart) && t.Before(w.FreeEntryEnd)
}

// answered reports whether the current candidate already got its reply.
func (w *Window) answered() bool {
	return !w.FreeEntryStart.IsZero() && !w.FreeEntryStart.Before(w.ReferralAt)
}

func (w *Window) setFreeEntry(start, end time.Time) bool {
	if w.FreeEntryStart.Equal(start) && w.FreeEntryEnd.Equal(end) {
		return false
	}
	w.FreeEntryStart, w.FreeEntryEnd = start, end
	return true
}

// observeUser applies counting user activity at ts.
func (w *Window) observeUser(ts time.Time, o *Observation) bool {
	changed := false
	if o.MessageID != "" {
		if w.seen(o.MessageID) {
			return false
		}
		w.remember(o.MessageID)
		changed = true
	}
	if ts.After(w.LastUserAt) {
		w.LastUserAt, w.LastUserMessageID = ts, o.MessageID
		changed = true
	}
	if o.Referral && w.observeReferral(ts) {
		changed = true
	}
	return changed
}

// observeReferral makes ts the free entry point candidate, unless a free
// entry point window is already open then (a second ad click never extends
// it) or a newer candidate is known.
func (w *Window) observeReferral(ts time.Time) bool {
	if w.inFreeEntry(ts) || !ts.After(w.ReferralAt) {
		return false
	}
	w.ReferralAt = ts
	if w.FreeEntryStart.IsZero() || !ts.Before(w.FreeEntryStart) {
		// A new candidate: Meta has not spoken about it yet. (A click older
		// than the current window, delivered late, keeps its confirmation.)
		w.FreeEntryConfirmed = false
	}
	return true
}

// observeBusiness applies a business message (a send or its status) at ts;
// send reports whether it is the send itself (reported by the host, or a
// sent status), whose instant is the reply's.
func (w *Window) observeBusiness(ts time.Time, b Billing, send bool) bool {
	switch {
	case b.FreeEntryPoint():
		return w.confirmFreeEntry(ts, b)
	case b.known() && !w.FreeEntryConfirmed && w.inFreeEntry(ts):
		// Meta priced a message we thought free: the reply did not open a
		// free entry point (a desktop user, a wa.me link). Keep the start so
		// the candidate counts as answered, with an empty window.
		return w.setFreeEntry(w.FreeEntryStart, w.FreeEntryStart)
	case send && b.known() && !w.FreeEntryConfirmed && w.FreeEntryEnd.After(w.FreeEntryStart) &&
		!ts.Before(w.ReferralAt) && ts.Before(w.FreeEntryStart):
		// Meta priced a reply sent before the estimate's start (its status
		// stamped in whole seconds, the host's send, seen first, with its
		// clock's fraction of a second): that reply opened no free entry
		// point.
		return w.setFreeEntry(ts, ts)
	case !send:
		// A delivered or read status may be of a message sent before the
		// candidate: it neither opens nor answers it.
		return false
	case b.known() && w.pending(ts):
		// Meta priced the first reply to the candidate (regular or
		// free_customer_service): it opened no free entry point. Record
		// the candidate as answered, with an empty window.
		return w.setFreeEntry(ts, ts)
	}
	return w.estimateFreeEntry(ts)
}

// pending reports whether a business message at ts would be the first reply
// to the candidate: the candidate is not answered yet and ts is within
// Length of it.
func (w *Window) pending(ts time.Time) bool {
	return !w.ReferralAt.IsZero() && !w.answered() && !ts.Before(w.ReferralAt) && ts.Before(w.ReferralAt.Add(Length))
}

// estimateFreeEntry opens the free entry point window at the first business
// message within Length of the candidate.
func (w *Window) estimateFreeEntry(ts time.Time) bool {
	if w.ReferralAt.IsZero() || ts.Before(w.ReferralAt) || !ts.Before(w.ReferralAt.Add(Length)) {
		return false
	}
	if !w.answered() {
		return w.setFreeEntry(ts, ts.Add(FreeEntryPointLength))
	}
	// An earlier reply observed late moves the start back, unless Meta has
	// already spoken (confirmed, or denied with an empty window).
	if !w.FreeEntryConfirmed && w.FreeEntryEnd.After(w.FreeEntryStart) && ts.Before(w.FreeEntryStart) {
		return w.setFreeEntry(ts, ts.Add(FreeEntryPointLength))
	}
	return false
}

// confirmFreeEntry records a status that says the message was free under a
// free entry point. Meta's expiration timestamp, when present, is the truth.
func (w *Window) confirmFreeEntry(ts time.Time, b Billing) bool {
	changed := !w.FreeEntryConfirmed
	w.FreeEntryConfirmed = true
	if exp := b.ConversationExpires; !exp.IsZero() {
		exp = exp.UTC()
		return w.setFreeEntry(exp.Add(-FreeEntryPointLength), exp) || changed
	}
	if w.inFreeEntry(ts) {
		return changed
	}
	return w.setFreeEntry(ts, ts.Add(FreeEntryPointLength)) || changed
}

// rejectionPending reports whether a 131047 rejection refuses free-form:
// one came in a later second than the last user activity (see RejectedAt).
// LastUserAt must not be zero.
func (w *Window) rejectionPending() bool {
	return !w.RejectedAt.IsZero() && w.RejectedAt.Unix() > w.LastUserAt.Unix()
}

// observeRejection records a 131047 rejection at ts.
func (w *Window) observeRejection(ts time.Time) bool {
	if !ts.After(w.RejectedAt) {
		return false
	}
	w.RejectedAt = ts
	return true
}
