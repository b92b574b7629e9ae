// Package duration reads the durations of policy documents, triggers, goals
// and the command line: Go syntax ("90s", "15m", "4h", "1h30m"), with days
// refused, because a business day is not 24 hours.
package duration

import (
	"errors"
	"strings"
	"time"
)

// Errors returned by Parse; their messages are meant to be shown as they are.
var (
	ErrDays   = errors.New("days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h")
	ErrSyntax = errors.New("want Go syntax such as 90s, 15m, 4h, 1h30m")
)

// Parse reads a duration in Go syntax, refusing days with [ErrDays]. The
// sign is kept; callers that need a positive duration check it.
func Parse(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "dD") {
		return 0, ErrDays
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, ErrSyntax
	}
	return d, nil
}
