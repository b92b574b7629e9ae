package sla

import (
	"strings"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
)

// This file links tickets on the WhatsApp channel to the 24-hour customer
// service window (package whatsappwindow): customer messages open and
// refresh it, agent and bot messages are business messages, and a
// window_rejected event (Meta's error 131047) refuses free-form text until
// the customer writes again.

// WhatsAppChannel is the Ticket.Channel of WhatsApp conversations: the
// tickets whose window the engine tracks when [Config.WhatsApp] is set.
// Channels are compared without regard to case ("WhatsApp" is this one).
const WhatsAppChannel = "whatsapp"

// WhatsApp is the window of a WhatsApp ticket as [Engine.Evaluate] sees it.
type WhatsApp struct {
	// Verdict is what may be sent at the view's instant.
	Verdict whatsappwindow.Verdict
	// LastCustomerMessageAt is the instant of the customer's last message
	// (Meta's timestamp); zero if none.
	LastCustomerMessageAt time.Time
	// ExpiredBeforeFirstResponse reports that the window closed while the
	// ticket still waited for its first agent reply: the reply needed (or
	// needs) a template. It is reported apart from SLA breaches.
	ExpiredBeforeFirstResponse bool
}

// tracksWindow reports whether the engine keeps a window for the ticket.
func (e *Engine) tracksWindow(tk *Ticket) bool {
	// A channel that folds to "whatsapp" takes 8 or 9 bytes (its s may be
	// a long s, U+017F, two bytes): the length rules out most others.
	ch := tk.Channel
	return e.whatsapp != nil && uint(len(ch)-len(WhatsAppChannel)) <= 1 &&
		(ch == WhatsAppChannel || strings.EqualFold(ch, WhatsAppChannel))
}

// windowKey keys a ticket's window: one conversation, one window. The
// user is the customer's phone, or else the customer id, as the webhook
// package keys the same user's window ([whatsappwindow.UserID]); a
// ticket with neither has a window of its own.
func windowKey(tk *Ticket) whatsappwindow.Key {
	user := whatsappwindow.UserID(tk.Customer.Phone, tk.Customer.ID)
	if user == "" {
		user = tk.ID
	}
	return whatsappwindow.Key{Business: "sla", User: user}
}

// observeWindow feeds the event, of kind k, to the ticket's window. It
// runs after the event changed the ticket and before the clocks react to
// it; apply calls it only for the kinds that move a window (a message, a
// window rejection, created, which opens with a message).
func (e *Engine) observeWindow(st *State, ev *Event, k evKind, t time.Time) {
	tk := &st.ticket
	if !e.tracksWindow(tk) {
		return
	}
	var kind whatsappwindow.Kind
	switch {
	case k == kWindowRejected:
		kind = whatsappwindow.Rejection
	case ev.author() == AuthorCustomer:
		kind = whatsappwindow.UserMessage
	case ev.public():
		kind = whatsappwindow.BusinessMessage
	default:
		return
	}
	if st.window == nil {
		// One allocation for the window and room for the ids of its first
		// two messages (a window of 240 B, the size class of the window
		// and a list of two grown apart).
		b := &struct {
			w    whatsappwindow.Window
			seen [2]string
		}{}
		b.w.Seen = b.seen[:0]
		st.window = &b.w
	}
	if st.stats.at[atFirstReply] == noInstant && !st.window.LastUserAt.IsZero() && closedBy(st.window.LastUserAt, t) {
		st.stats.WindowExpiredBeforeFirstResponse = true
	}
	if st.window.Key.Business == "" && st.window.Key.User == "" { // no key yet (a struct compare calls memequal)
		st.window.Key = windowKey(tk)
	}
	if kind == whatsappwindow.BusinessMessage && businessKeeps(st.window) {
		return
	}
	// The event's instant is the message's own timestamp: no skew clamp.
	// The observation is built in the call's argument list, not in a
	// variable first.
	_, _ = e.whatsapp.Observe(st.window, whatsappwindow.Observation{Key: st.window.Key, Kind: kind, MessageID: ev.MessageID,
		At: t, Referral: ev.Referral && kind == whatsappwindow.UserMessage}, time.Time{})
}

// closedBy reports whether a window whose last user message came at last
// is closed at t: !t.Before(last.Add(whatsappwindow.Length)), in Unix
// seconds and nanoseconds instead of an Add and a Before (neither of
// which inlines). Both instants carry no monotonic reading (the window's
// are stored by Observe in UTC, an event's instant is stripped of it);
// instants beyond ±2^62 seconds, where the seconds could overflow, take
// the general path.
func closedBy(last, t time.Time) bool {
	const far = 1 << 62
	ls, ts := last.Unix(), t.Unix()
	if uint64(ls+far) >= 2*far || uint64(ts+far) >= 2*far {
		return closedByFar(last, t)
	}
	const length = int64(whatsappwindow.Length / time.Second)
	d := ts - ls
	return d > length || d == length && t.Nanosecond() >= last.Nanosecond()
}

// closedByFar is closedBy by the rules' own arithmetic, for any instants.
func closedByFar(last, t time.Time) bool { return !t.Before(last.Add(whatsappwindow.Length)) }

// businessKeeps reports whether a business message as the engine observes
// it (keyed as w, with no billing) leaves w as it is, so that Observe need
// not be called: w has its key and no free entry point candidate, and such
// a message changes a window only by opening the candidate's free entry
// point (a business message never extends the window).
func businessKeeps(w *whatsappwindow.Window) bool {
	return w.ReferralAt.IsZero() && (w.Key.Business != "" || w.Key.User != "")
}

// windowView writes into *w (every field: w may hold an earlier view)
// the window of st's ticket at at, instants in loc, and returns the
// instant its verdict next changes (zero when none); the engine must
// track its window (see tracksWindow).
func (e *Engine) windowView(w *WhatsApp, st *State, at time.Time, loc *time.Location) time.Time {
	win := st.win()
	w.Verdict = e.whatsapp.Verdict(*win, at)
	vd := &w.Verdict
	next := vd.Next
	expired := st.stats.WindowExpiredBeforeFirstResponse
	w.LastCustomerMessageAt = time.Time{} // w may hold an earlier view
	if last := win.LastUserAt; !last.IsZero() {
		// The verdict's ClosesAt is win.ClosesAt() when the window opened:
		// read before it is put in loc, not computed again.
		closes := vd.ClosesAt
		expired = expired || st.stats.at[atFirstReply] == noInstant && !at.Before(closes)
		w.LastCustomerMessageAt = last.In(loc)
		if !closes.IsZero() {
			vd.ClosesAt = closes.In(loc)
		}
	}
	w.ExpiredBeforeFirstResponse = expired
	// The instants in loc, the zero instant as it is (written out: a
	// function for it is past the inliner's budget).
	if !vd.FreeFormUntil.IsZero() {
		vd.FreeFormUntil = vd.FreeFormUntil.In(loc)
	}
	if !vd.FreeEntryPointUntil.IsZero() {
		vd.FreeEntryPointUntil = vd.FreeEntryPointUntil.In(loc)
	}
	if !next.IsZero() {
		vd.Next = next.In(loc)
	}
	return next
}

// windowClosesAt is when the ticket's window closes; zero when none applies.
func (e *Engine) windowClosesAt(st *State) time.Time {
	if !e.tracksWindow(&st.ticket) {
		return time.Time{}
	}
	return st.win().ClosesAt()
}

// afterWindow reports whether a reply due at deadline falls at or after the
// last instant free-form text can go out in the ticket's window.
func (e *Engine) afterWindow(st *State, deadline time.Time) bool {
	closes := e.windowClosesAt(st)
	if closes.IsZero() {
		return true // never opened: only templates
	}
	return !deadline.Before(closes.Add(-e.sendMargin))
}
