package sla

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/slakit/slakit/calendar"
)

// DayTarget is a target in business days of the policy's calendar, as
// support desks write "within 3 working days" or "by the end of the
// business day". At the start of a cycle it becomes business time (the
// business time from the start to the deadline it names), so pauses,
// percents and escalation triggers work as for any target; a re-target
// (a change of priority or policy) computes it again from the cycle's
// start.
//
// The zero DayTarget is no target.
type DayTarget struct {
	// Days counts business days after the start's ("3bd"): the deadline
	// is the same wall-clock time Days business days later (see
	// [calendar.Calendar.AddDays]). At least 1 unless EndOfDay.
	Days int
	// At, when positive, is the time of day of the deadline ("2bd@16:00"
	// is Days 2, At 16h): that local time on the Days-th business day, or
	// the next open instant if the calendar is closed then.
	At time.Duration
	// EndOfDay sets the deadline at the close of the start's business day
	// ("eod", see [calendar.Calendar.EndOfDay]); Days and At are then 0.
	EndOfDay bool
}

// String returns the target as a policy writes it: "3bd", "2bd@16:00", "eod".
func (d DayTarget) String() string {
	switch {
	case d.EndOfDay:
		return "eod"
	case d.At > 0:
		return fmt.Sprintf("%dbd@%02d:%02d", d.Days, int(d.At/time.Hour), int(d.At%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dbd", d.Days)
}

// maxTargetDays bounds the business days of a target (about 40 years).
const maxTargetDays = 10000

var dayTargetRE = regexp.MustCompile(`^([0-9]+)bd(?:@([0-9]{1,2}):([0-9]{2}))?$`)

// ParseDayTarget parses a target in business days as a policy writes it:
// "3bd" (3 business days), "2bd@16:00" (16:00 on the 2nd business day) or
// "eod" (the end of the business day), with 1 to 10000 days. The error is
// a [*DayTargetError].
func ParseDayTarget(s string) (DayTarget, error) {
	if s == "eod" {
		return DayTarget{EndOfDay: true}, nil
	}
	bad := func(msg string) (DayTarget, error) { return DayTarget{}, &DayTargetError{Text: s, Msg: msg} }
	m := dayTargetRE.FindStringSubmatch(s)
	if m == nil {
		return bad("want business days such as 3bd or 2bd@16:00, or eod")
	}
	var d DayTarget
	if len(m[1]) <= 5 { // longer is out of range, and might not fit an int
		d.Days, _ = strconv.Atoi(m[1])
	}
	if m[2] != "" {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		if h > 23 || mi > 59 {
			return bad(fmt.Sprintf("time of day %s:%s: want 00:00 to 23:59", m[2], m[3]))
		}
		d.At = time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute
	}
	if d.Days < 1 || d.Days > maxTargetDays {
		return bad(fmt.Sprintf("want 1 to %d business days (eod for the same day)", maxTargetDays))
	}
	return d, nil
}

// DayTargetError is a target in business days that [ParseDayTarget]
// refuses: Text as given, Msg what is wanted. It wraps [ErrConfig].
type DayTargetError struct {
	Text string
	Msg  string
}

// Error prints `sla: invalid config: bad target "TEXT": MSG`.
func (e *DayTargetError) Error() string {
	return fmt.Sprintf("%v: bad target %s: %s", ErrConfig, quoteName(e.Text), e.Msg)
}

// Unwrap returns [ErrConfig].
func (e *DayTargetError) Unwrap() error { return ErrConfig }

func (d DayTarget) check() error {
	switch {
	case d.EndOfDay && (d.Days != 0 || d.At != 0):
		return fmt.Errorf("%s: end of day takes no days or time", d)
	case d.EndOfDay:
		return nil
	case d.Days < 1 || d.Days > maxTargetDays:
		return fmt.Errorf("%d business days: want 1 to %d", d.Days, maxTargetDays)
	case d.At < 0 || d.At >= 24*time.Hour || d.At%time.Minute != 0:
		return fmt.Errorf("time of day %v: want whole minutes from 00:00 to 23:59", d.At)
	}
	return nil
}

// deadline is the instant the target names for a cycle started at t.
func (d DayTarget) deadline(cal *calendar.Calendar, t time.Time) time.Time {
	if d.EndOfDay {
		return cal.EndOfDay(t)
	}
	end := cal.AddDays(t, d.Days)
	if d.At > 0 {
		loc := cal.Location()
		y, m, day := end.In(loc).Date()
		h, mi := int(d.At/time.Hour), int(d.At%time.Hour/time.Minute)
		end = cal.NextOpen(time.Date(y, m, day, h, mi, 0, 0, loc))
	}
	return end
}

// duration is the business time from t to the deadline: at least a
// second, so that a target never vanishes.
func (d DayTarget) duration(cal *calendar.Calendar, t time.Time) time.Duration {
	return max(cal.Between(t, d.deadline(cal, t)), time.Second)
}
