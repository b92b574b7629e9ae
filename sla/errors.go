package sla

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors reported by the engine. They can be tested with [errors.Is]; the
// errors returned by [Engine.Apply] and listed in a [Result] are
// [*EventError] values wrapping one of them.
var (
	// ErrConfig is wrapped by every error [NewEngine] returns.
	ErrConfig = errors.New("sla: invalid config")
	// ErrUnknownTicket: the event's ticket has no state (no created event
	// was applied), or the event belongs to another ticket.
	ErrUnknownTicket = errors.New("sla: unknown ticket")
	// ErrUnknownEventType: the event's type is not one of the EventXxx constants.
	ErrUnknownEventType = errors.New("sla: unknown event type")
	// ErrInvalidEvent: the event is malformed (no ticket id, no instant or
	// one outside the years 1900-2999, an
	// unknown status, author or priority, a csat score outside 1-5, ...).
	ErrInvalidEvent = errors.New("sla: invalid event")
	// ErrOutOfOrder: the event is earlier than an event already applied to
	// its ticket.
	ErrOutOfOrder = errors.New("sla: event out of order")
	// ErrAlreadyCreated: a created event for a ticket that already exists.
	ErrAlreadyCreated = errors.New("sla: ticket already created")
	// ErrClosed: an event for a ticket that is closed.
	ErrClosed = errors.New("sla: event after closed")
	// ErrState: a State that cannot be decoded (bad JSON, unknown version,
	// impossible values).
	ErrState = errors.New("sla: invalid state")
)

// EventError is the error for an event that could not be applied. The
// event is skipped; the ticket's state is as it was before the event.
type EventError struct {
	Ticket string    // the event's ticket id
	Seq    int       // 1-based number of the event among the ticket's events (in a replay, in the input); 0 for a malformed line
	Line   int       // 1-based position in the replay input; 0 from Apply
	Type   EventType // the event's type as given
	At     time.Time // the event's instant as given
	Err    error     // one of the package's sentinel errors, possibly wrapped
}

// Error names the ticket, the event's number (and input line) and the
// problem.
func (e *EventError) Error() string {
	var b strings.Builder
	b.WriteString("sla: ")
	if e.Ticket != "" {
		fmt.Fprintf(&b, "ticket %q: ", e.Ticket)
	}
	switch {
	case e.Seq > 0 && e.Line > 0:
		fmt.Fprintf(&b, "event %d (line %d)", e.Seq, e.Line)
	case e.Seq > 0:
		fmt.Fprintf(&b, "event %d", e.Seq)
	default: // a malformed line: which event of the ticket it is, is unknown
		fmt.Fprintf(&b, "line %d", e.Line)
	}
	switch {
	case e.Type != "":
		fmt.Fprintf(&b, " %s", e.Type)
	case e.Line == 0 || !e.At.IsZero():
		b.WriteString(" no type") // an event without a type, rather than an unreadable line
	}
	if !e.At.IsZero() {
		fmt.Fprintf(&b, " at %s", e.At.Format(time.RFC3339Nano))
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "sla: "))
	return b.String()
}

// Unwrap returns the underlying error.
func (e *EventError) Unwrap() error { return e.Err }

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidEvent}, args...)...)
}
