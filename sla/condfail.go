package sla

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slakit/slakit/escalation"
)

// This file records the conditions that fail at run time for a ticket:
// a policy's When, its CalendarBy, a custom metric's Start, Stop or Pause,
// an OLA's When, the routing rules and an escalation level's When may
// return an error. The engine takes such a condition as false, as before,
// and keeps the failure on the ticket's state, where its result names it.

// CondError is the error a condition returns to name itself: package policy
// returns one for every expression that fails at run time. A condition may
// return any other error; the engine then names it by the Go field it came
// from ("Policy.When", "CustomMetric.Start", "OLA.When", "Level.When",
// "Router") and the name of its policy, metric, OLA or level.
type CondError struct {
	Cond string // where the condition is written: "rules[2].when", "escalations.standard[1].when"
	Name string // the rule, SLA policy, custom metric, OLA or level it belongs to
	Err  error
}

// Error returns "cond (name): err".
func (e *CondError) Error() string {
	msg := "failed"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return e.Cond + " (" + e.Name + "): " + msg
}

// Unwrap returns Err.
func (e *CondError) Unwrap() error { return e.Err }

// CondFailure is a condition that failed at run time for a ticket: the
// engine took it as false. Identical failures (the same condition, name
// and message) are one CondFailure with their count.
type CondFailure struct {
	Cond  string // the condition, as [CondError.Cond]
	Name  string // its rule, SLA policy, custom metric, OLA or level
	Error string // the message: its first line, cut to 240 bytes (and "...")
	Count int    // how many times it failed so
	// At is the first instant it failed at: that of the event, or of the
	// escalation firing, after which the condition was checked. A level's
	// When is checked after each event and firing of its ticket (it
	// decides whether the level may fire then or later); each check that
	// fails counts once.
	At time.Time
}

// MaxCondFailures is the most distinct [CondFailure] entries a ticket
// keeps; further failures are only counted ([Result.FailuresOmitted]).
const MaxCondFailures = 8

// maxFailureMsg bounds the message of a CondFailure, in bytes.
const maxFailureMsg = 240

// condFailures is the failures of a ticket's conditions, kept with the
// rarely used part of its State.
type condFailures struct {
	list    []CondFailure
	omitted int // failures not in list: list was full
}

// condFailed records on st that a condition failed with err at t; cond
// and name name it when err is no [*CondError].
func (st *State) condFailed(err error, cond, name string, t time.Time) {
	if ce := asCondError(err); ce != nil {
		cond, name, err = ce.Cond, ce.Name, ce.Err
	}
	msg := failureMsg(err)
	m := st.xw()
	if m.fails == nil {
		m.fails = &condFailures{}
	}
	f := m.fails
	for i := range f.list {
		if c := &f.list[i]; c.Cond == cond && c.Name == name && c.Error == msg {
			c.Count = min(c.Count, maxCycleN-1) + 1
			return
		}
	}
	if len(f.list) == MaxCondFailures {
		f.omitted = min(f.omitted, maxCycleN-1) + 1
		return
	}
	f.list = append(f.list, CondFailure{Cond: cond, Name: name, Error: msg, Count: 1, At: t})
}

// asCondError returns the [*CondError] err is or wraps, or nil.
func asCondError(err error) *CondError {
	if ce, ok := err.(*CondError); ok {
		return ce // the usual case, without the allocation of errors.As
	}
	var ce *CondError
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}

// failureMsg is the first line of err's message, cut to maxFailureMsg
// bytes on a rune boundary (expr-lang adds lines that show the place).
func failureMsg(err error) string {
	msg := "failed"
	if err != nil {
		msg = err.Error()
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	if len(msg) > maxFailureMsg {
		n := maxFailureMsg
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n] + "..."
	}
	return msg
}

// failures returns the failures recorded on st and how many were omitted.
func (st *State) failures() ([]CondFailure, int) {
	if f := st.x().fails; f != nil {
		return f.list, f.omitted
	}
	return nil, 0
}

// condErrs calls f with every error joined in err (errors.Join), or with
// err itself.
func condErrs(err error, f func(error)) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			condErrs(e, f)
		}
		return
	}
	f(err)
}

// condFailuresFromJSON checks the failures of a decoded State: at most
// MaxCondFailures distinct entries, each counted at least once, with an
// instant, omitted ones only once the list is full.
func condFailuresFromJSON(list []condFailureJSON, omitted int) (*condFailures, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: condition_failures: "+format, append([]any{ErrState}, args...)...)
	}
	switch {
	case len(list) > MaxCondFailures:
		return nil, bad("%d entries, at most %d", len(list), MaxCondFailures)
	case omitted < 0 || omitted > maxCycleN:
		return nil, bad("omitted %d out of range", omitted)
	case omitted > 0 && len(list) < MaxCondFailures:
		return nil, bad("%d omitted while the list has room", omitted)
	}
	f := &condFailures{list: make([]CondFailure, len(list)), omitted: omitted}
	for i, j := range list {
		c := CondFailure(j)
		switch {
		case c.Count < 1 || c.Count > maxCycleN:
			return nil, bad("entry %d: count %d out of range", i+1, c.Count)
		case c.At.IsZero() || !inRange(c.At):
			return nil, bad("entry %d: instant outside the years 1900 to 2999", i+1)
		case c.Cond == "" || c.Error == "":
			return nil, bad("entry %d: no condition or no error", i+1)
		case len(c.Error) > maxFailureMsg+len("...") || strings.ContainsRune(c.Error, '\n'):
			return nil, bad("entry %d: the error is not one line of at most %d bytes", i+1, maxFailureMsg)
		}
		for _, p := range f.list[:i] {
			if p.Cond == c.Cond && p.Name == c.Name && p.Error == c.Error {
				return nil, bad("entry %d repeats an earlier one", i+1)
			}
		}
		f.list[i] = c
	}
	return f, nil
}

// customFailed records on st that the Stop condition (stop) or the Start
// condition of the custom metric name failed with err at t; the engine
// takes it as false.
func (st *State) customFailed(err error, name Metric, stop bool, t time.Time) {
	cond := "CustomMetric.Start"
	if stop {
		cond = "CustomMetric.Stop"
	}
	st.condFailed(err, cond, string(name), t)
}

// levelErrors records on st, with record, the levels of clk whose When
// failed, at the instant of st's last event or firing.
func (st *State) levelErrors(clk *escalation.Clock, record bool) {
	if !record {
		return
	}
	for _, f := range clk.WhenErrors {
		st.condFailed(f.Err, "Level.When", f.Level, st.lastAt)
	}
}
