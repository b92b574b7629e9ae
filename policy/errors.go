package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/slakit/slakit/internal/echo"
)

// Sentinel errors. Every [*Error] of a failed load wraps one of them, so
// callers can branch with [errors.Is] on the [ErrorList] returned by [Load].
var (
	ErrSyntax    = errors.New("policy: yaml syntax error")
	ErrField     = errors.New("policy: bad field") // unknown or duplicate key, wrong type, missing field
	ErrDuplicate = errors.New("policy: duplicate name")
	ErrValue     = errors.New("policy: bad value") // durations, triggers, goals, enumerations
	ErrCalendar  = errors.New("policy: bad calendar")
	ErrExpr      = errors.New("policy: bad expression")
	ErrUndefined = errors.New("policy: undefined reference") // calendars, ladders, priorities, metrics
	ErrVersion   = errors.New("policy: unsupported version")
	ErrTooLarge  = errors.New("policy: document too large")
	ErrEmpty     = errors.New("policy: empty document")
)

// Error is one problem (or, in [Set.Warnings], one warning) of a policy
// document, at a position in it. Line and Col are 1-based; Field is the
// path of the offending field in YAML spelling ("slas[0].targets.urgent").
// It prints as "file:line:col: field: message", the form editors and
// `slakit check` use.
type Error struct {
	File  string
	Line  int
	Col   int
	Field string
	Msg   string
	Err   error // the sentinel error (nil for warnings)
}

// Error prints "file:line:col: field: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is a list of positioned errors, sorted by position by [Load].
// The zero value is an empty list ready to use.
type ErrorList []*Error

// Error returns the first error and how many more there are. Print the
// whole list with [ErrorList.String] or range over it.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "policy: no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// String returns every error, one a line.
func (l ErrorList) String() string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// Err returns nil when the list is empty and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the individual errors, so that [errors.Is] and
// [errors.As] see each of them.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// sort orders the list by position, keeping the order of equal positions.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// Bounds on what a load reports, so that the report stays proportional
// to a person's reading, not to the input.
const (
	maxErrors = 100           // errors (and warnings) listed; the rest are counted
	maxQuoted = echo.MaxNames // names one message lists
	maxEcho   = echo.MaxBytes // bytes of a value one message quotes
	maxField  = 160           // bytes of a field path
	maxMsg    = 1024          // bytes of one message
)

// q returns s quoted, cut to maxEcho bytes with "..." marking the cut.
func q(s string) string { return echo.Quote(s) }

// cut returns the longest prefix of s of at most n bytes that ends at a
// rune boundary.
func cut(s string, n int) string { return echo.Cut(s, n) }

// nameList joins names for a message, each quoted as by q when needed;
// total is how many there are in all, so that the list ends with "and N
// more" when names holds only the first few.
func nameList(names []string, total int) string { return echo.List(names, total) }
