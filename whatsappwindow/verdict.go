package whatsappwindow

import (
	"fmt"
	"time"
)

// State is the condition of a window at an instant.
type State uint8

// The window states. The zero State is NeverOpened.
const (
	// NeverOpened means the user never wrote or called; only templates can be sent.
	NeverOpened State = iota
	// Open means the window is open and not yet closing soon.
	Open
	// ClosingSoon means the window is open and the time remaining is at most one
	// of the configured thresholds.
	ClosingSoon
	// Expired means the window has closed; only templates can be sent.
	Expired
	// Rejected means the window is open by the local clock, but Meta refused a
	// free-form message with error 131047 after the last user message. Meta
	// wins: only templates can be sent until the user writes again.
	Rejected
)

var stateNames = [...]string{
	NeverOpened: "never_opened",
	Open:        "open",
	ClosingSoon: "closing_soon",
	Expired:     "expired",
	Rejected:    "rejected",
}

// String returns the state's snake_case name, or "state(N)" for an invalid one.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// MarshalText encodes the state as its name.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= len(stateNames) {
		return nil, fmt.Errorf("whatsappwindow: invalid state %d", uint8(s))
	}
	return []byte(stateNames[s]), nil
}

// UnmarshalText decodes a state name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("whatsappwindow: unknown state %q", b)
}

// Verdict is what may be sent on a window at one instant. It is a small
// value computed by [Tracker.Verdict]; nothing in it changes afterwards.
type Verdict struct {
	// State is the window's state.
	State State
	// ClosesAt is when the window closes (last user activity + 24h); zero
	// if it never opened.
	ClosesAt time.Time
	// Remaining is the time left before ClosesAt, zero once closed.
	Remaining time.Duration
	// Threshold is the smallest closing-soon lead time reached when State
	// is ClosingSoon, zero otherwise.
	Threshold time.Duration
	// FreeForm reports whether a free-form (non-template) message may be
	// sent: the window is open at the instant plus the send margin and Meta
	// has not rejected a send since the last user message.
	FreeForm bool
	// FreeFormUntil is the first instant at which free-form stops being
	// allowed (ClosesAt minus the send margin); zero when free-form is not
	// allowed.
	FreeFormUntil time.Time
	// TemplateRequired reports whether only an approved template can be
	// sent; it is the negation of FreeForm.
	TemplateRequired bool
	// FreeEntryPoint reports whether a free entry point window is open: every
	// message sent now is free. It changes the price, never the permission.
	FreeEntryPoint bool
	// FreeEntryPointUntil is when that free entry point window ends; zero
	// if none is open.
	FreeEntryPointUntil time.Time
	// Next is the earliest instant after the verdict's instant at which the
	// verdict changes with no new observation (a threshold reached, free-form
	// stopping, the window or the free entry point closing); zero if none.
	// A host can set one timer for it instead of polling.
	Next time.Time
}

// ClosesBefore reports whether free-form messages stop being possible no
// later than deadline, so that a reply due at deadline may need a template:
// it is true unless deadline is before FreeFormUntil.
func (v Verdict) ClosesBefore(deadline time.Time) bool {
	return !v.FreeForm || !deadline.Before(v.FreeFormUntil)
}

// Verdict returns what may be sent on w at the instant at, given everything
// observed so far: at is the present or a future instant (a deadline), not
// a moment in the past before later observations.
//
// The window is open iff at is before ClosesAt; exactly 24 hours after the
// last user message it is closed. Free-form is allowed iff at + SendMargin
// is before ClosesAt and no 131047 rejection came in a later second than
// the last user message (see [Window.RejectedAt]).
func (t *Tracker) Verdict(w Window, at time.Time) Verdict {
	// A wrapper that inlines: the caller's copy of w is read in place and
	// the verdict written where the caller keeps it.
	var v Verdict
	t.verdict(&v, &w, at)
	return v
}

// verdict writes into *v, which must be zero, the verdict on *w at at (see
// [Tracker.Verdict]).
func (t *Tracker) verdict(v *Verdict, w *Window, at time.Time) {
	if w.inFreeEntry(at) {
		v.FreeEntryPoint = true
		v.FreeEntryPointUntil = w.FreeEntryEnd
		v.Next = w.FreeEntryEnd
	}
	if w.LastUserAt.IsZero() {
		v.State = NeverOpened
		v.TemplateRequired = true
		return
	}
	closes := w.LastUserAt.Add(Length) // w.ClosesAt()
	v.ClosesAt = closes
	rejected := w.rejectionPending()
	if !at.Before(closes) {
		v.State = Expired
		v.TemplateRequired = true
		return
	}
	v.Remaining = closes.Sub(at)
	v.Next = earliest(v.Next, closes)
	if rejected {
		v.State = Rejected
	} else {
		v.State = Open
		// The thresholds are longest first: those reached (Remaining at
		// most d) come first, the last of them the smallest; the first one
		// not reached is the next to come (closes - d is earliest for the
		// longest d), the others come after it and never change Next
		// (unless it is the zero instant, which Next reads as none).
		for _, d := range t.cfg.ClosingSoon {
			if v.Remaining > d {
				if v.Next = earliest(v.Next, closes.Add(-d)); !v.Next.IsZero() {
					break
				}
				continue
			}
			v.State, v.Threshold = ClosingSoon, d
		}
	}
	until := closes.Add(-t.cfg.SendMargin)
	if !rejected && at.Before(until) {
		v.FreeForm, v.FreeFormUntil = true, until
		v.Next = earliest(v.Next, until)
	}
	v.TemplateRequired = !v.FreeForm
}

// earliest returns the earlier of a and b, treating zero as "none".
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
