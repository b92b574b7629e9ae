package sla

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/internal/echo"
)

// Errors reported by the engine. They can be tested with [errors.Is]; the
// errors returned by [Engine.Apply] and listed in a [Result] are
// [*EventError] values wrapping one of them.
var (
	// ErrConfig is matched by every error [NewEngine] returns (each a
	// [*ConfigError]).
	ErrConfig = errors.New("sla: invalid config")
	// ErrUndefined reports a name in a [Config] that refers to nothing (a
	// priority, a metric, an escalation ladder). A [*ConfigError] wraps it.
	ErrUndefined = errors.New("sla: undefined name")
	// ErrDuplicate reports a name given twice in a [Config] (a priority, a
	// policy, a custom metric, an OLA), or a custom metric that takes the
	// name of a built-in one. A [*ConfigError] wraps it.
	ErrDuplicate = errors.New("sla: duplicate name")
	// ErrUnknownTicket is returned for an event whose ticket has no state
	// (no created event was applied), or that belongs to another ticket.
	ErrUnknownTicket = errors.New("sla: unknown ticket")
	// ErrUnknownEventType is returned for an event whose type is not one of
	// the EventXxx constants.
	ErrUnknownEventType = errors.New("sla: unknown event type")
	// ErrInvalidEvent is returned for a malformed event (no ticket id, no
	// instant or one outside the years 1900-2999, an unknown status, author
	// or priority, a csat score outside 1-5, ...).
	ErrInvalidEvent = errors.New("sla: invalid event")
	// ErrOutOfOrder is returned for an event earlier than an event already
	// applied to its ticket.
	ErrOutOfOrder = errors.New("sla: event out of order")
	// ErrAlreadyCreated is returned for a created event of a ticket that
	// already exists.
	ErrAlreadyCreated = errors.New("sla: ticket already created")
	// ErrClosed is returned for an event of a ticket that is closed.
	ErrClosed = errors.New("sla: event after closed")
	// ErrState reports a State that cannot be decoded (bad JSON, unknown
	// version, impossible values).
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

// ConfigError is one problem of a [Config], as [NewEngine] reports it
// (every problem at once, joined). Field is the path of the offending
// setting, spelt as a policy document spells it, with indexes into the
// Config's slices: "policies[1].reopen", "policies[0].pause_on[2]",
// "policies[0].pause_on.first_response[0]" ([Policy.PauseFor]),
// "policies[0].metrics[1].name", "policies[0].targets.urgent.resolution"
// ([Policy.Targets] or [Policy.DayTargets]), "olas[0].targets",
// "ladders.standard.levels[2].actions[0]", "priorities[3]", "at_risk".
// A loader maps it to a place in its document; Msg says what is wrong.
//
// Every ConfigError matches [ErrConfig] with [errors.Is]; Err is
// [ErrUndefined], [ErrDuplicate] or ErrConfig itself.
type ConfigError struct {
	Field string
	Msg   string
	Err   error
}

// Error prints "sla: invalid config: field: message".
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrConfig, e.Field, e.Msg)
}

// Unwrap returns Err.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrConfig], which every ConfigError is.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// configErrors collects the problems of a Config.
type configErrors []error

// add records a problem at field, wrapping ErrConfig.
func (l *configErrors) add(field, format string, args ...any) {
	l.addErr(ErrConfig, field, format, args...)
}

// addErr records a problem at field that wraps sentinel.
func (l *configErrors) addErr(sentinel error, field, format string, args ...any) {
	*l = append(*l, &ConfigError{Field: field, Msg: fmt.Sprintf(format, args...), Err: sentinel})
}

// quoteName returns s quoted, cut with "..." when long.
func quoteName[S ~string](s S) string { return echo.Quote(string(s)) }

// nameList joins the first few names for a message ("a, b and 3 more").
func nameList(names []string) string { return echo.List(names, len(names)) }
