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
	// ErrSyntax reports a document that is not valid YAML (at the
	// parser's line, column 1), that holds invalid UTF-8 or a control
	// character YAML does not allow, or that holds a second YAML document.
	ErrSyntax = errors.New("policy: yaml syntax error")
	// ErrField reports an unknown or duplicate key, a value of the wrong
	// type or a missing field.
	ErrField = errors.New("policy: bad field")
	// ErrDuplicate reports a name defined twice: a rule, an SLA policy, an
	// OLA, a priority, a custom metric, or a level within a ladder.
	ErrDuplicate = errors.New("policy: duplicate name")
	// ErrValue reports a bad value: a duration, a trigger, a goal, a value
	// outside an enumeration, or a setting the engine refuses.
	ErrValue = errors.New("policy: bad value")
	// ErrCalendar reports a calendar that does not compile: a missing or
	// unknown time zone, bad hours, holidays or overrides, or a holiday
	// file that cannot be used; the message is that of the calendar
	// package's error.
	ErrCalendar = errors.New("policy: bad calendar")
	// ErrExpr reports an expression that is empty or does not compile: a
	// syntax or type error, an unknown name, a value that is not boolean,
	// a text over the length limit, a worst case over the cost budget.
	ErrExpr = errors.New("policy: bad expression")
	// ErrUndefined reports a reference to a name the document does not
	// define: a calendar (is_open("name") in an expression included), a
	// ladder, a priority, a metric; and a goal's unknown KPI or an unknown
	// kpis.goals_by dimension.
	ErrUndefined = errors.New("policy: undefined reference")
	// ErrVersion reports a missing version key, or a version other than
	// the number 1.
	ErrVersion = errors.New("policy: unsupported version")
	// ErrTooLarge reports a document of more than 4 MiB, or of more than
	// 1,000,000 nodes once YAML aliases are expanded.
	ErrTooLarge = errors.New("policy: document too large")
	// ErrEmpty reports a document with nothing in it (no YAML document, or
	// an empty one).
	ErrEmpty = errors.New("policy: empty document")
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
