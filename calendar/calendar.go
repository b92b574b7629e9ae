package calendar

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Calendar is a compiled business calendar: open hours per weekday, holidays and dated
// overrides in one time zone. It is immutable and safe for concurrent use.
//
// The zero Calendar, and a nil *Calendar, are open 24x7 in UTC, like [Always].
type Calendar struct {
	loc  *time.Location // nil: open 24x7
	nom  nominal
	zone zone
}

// Always is a calendar open 24x7: business time is elapsed time.
var Always = &Calendar{}

// Domain of the arithmetic: instants before Start are taken as Start, instants after End as End.
var (
	Start = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

var (
	startSec = Start.Unix()
	endSec   = End.Unix()
)

// New compiles a [Spec]. The error, if any, is a [SpecErrors] listing every problem.
func New(s Spec) (*Calendar, error) {
	var errs SpecErrors
	c := &Calendar{}

	switch tz := strings.TrimSpace(s.Timezone); {
	case tz == "":
		errs = append(errs, &SpecError{Field: "timezone", Err: fmt.Errorf("%w: a zone name is required", ErrUnknownZone)})
	case strings.EqualFold(tz, "local"):
		errs = append(errs, &SpecError{Field: "timezone", Value: s.Timezone,
			Err: fmt.Errorf("%w: name the zone (the machine's local zone is not allowed)", ErrUnknownZone)})
	default:
		loc, err := time.LoadLocation(tz)
		if err != nil {
			errs = append(errs, &SpecError{Field: "timezone", Value: s.Timezone, Err: ErrUnknownZone})
		}
		c.loc = loc
	}

	// Weekly hours.
	var named [7]string
	for _, key := range sortedKeys(s.Hours) {
		days, ok := parseDays(key)
		if !ok {
			errs = append(errs, &SpecError{Field: "hours", Value: key, Err: ErrUnknownDay})
			continue
		}
		ws := parseRanges("hours."+key, s.Hours[key], &errs)
		for _, d := range days {
			if named[d] != "" {
				errs = append(errs, &SpecError{Field: "hours", Value: key,
					Err: fmt.Errorf("%w: %s is also in %q", ErrDuplicateDay, dayNames[d].short, named[d])})
				continue
			}
			named[d] = key
			c.nom.week[d] = ws
		}
	}

	// Holidays: dates closed whole.
	closed := map[int64]bool{}
	for i, h := range s.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		code := strings.ToLower(strings.TrimSpace(h))
		if isDateLike(code) {
			day, ok := parseDate(code)
			if !ok {
				errs = append(errs, &SpecError{Field: field, Value: h, Err: ErrBadDate})
				continue
			}
			closed[day] = true
			continue
		}
		set, ok := lookupSet(code)
		if !ok {
			errs = append(errs, &SpecError{Field: field, Value: h, Err: ErrUnknownHolidaySet})
			continue
		}
		for _, d := range observedDays(nil, set, holidayFrom, holidayTo) {
			closed[d] = true
		}
	}

	// Overrides: dates with their own hours.
	overrides := map[int64][]window{}
	for _, key := range sortedKeys(s.Overrides) {
		day, ok := parseDate(key)
		if !ok {
			errs = append(errs, &SpecError{Field: "overrides", Value: key, Err: ErrBadDate})
			continue
		}
		overrides[day] = parseRanges("overrides."+key, s.Overrides[key], &errs)
	}

	for d := range 7 {
		c.nom.weekTotal += dayTotal(c.nom.week[d])
	}
	if c.nom.weekTotal == 0 && len(errs) == 0 {
		errs = append(errs, &SpecError{Field: "hours", Err: ErrNoOpenTime})
	}
	if len(errs) > 0 {
		return nil, errs
	}

	c.nom.build(closed, overrides)
	c.zone.base, c.zone.trans = transitions(c.loc)
	c.zone.build(&c.nom)
	return c, nil
}

// build fills the derived tables of n from its weekly hours and the dated exceptions.
func (n *nominal) build(closed map[int64]bool, overrides map[int64][]window) {
	n.fullWeek = true
	for i := range 14 {
		ws := n.week[i%7]
		n.weekCum[i+1] = n.weekCum[i] + dayTotal(ws)
		n.fullWeek = n.fullWeek && isFull(ws)
	}
	days := make([]int64, 0, len(closed)+len(overrides))
	for d := range closed {
		days = append(days, d)
	}
	for d := range overrides {
		if !closed[d] {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	n.excCum = append(n.excCum, 0)
	for _, d := range days {
		ws, ok := overrides[d]
		if !ok {
			ws = nil // a holiday
		}
		regular := n.week[weekday(d)]
		if slices.Equal(ws, regular) {
			continue // no different from its weekday
		}
		e := exception{day: d, delta: dayTotal(ws) - dayTotal(regular), w0: int32(len(n.wins)), wn: int32(len(ws))}
		n.wins = append(n.wins, ws...)
		n.exc = append(n.exc, e)
		n.excCum = append(n.excCum, n.excCum[len(n.excCum)-1]+e.delta)
	}
}

// MustNew is like [New] but panics on an error. It is meant for tests and examples with
// literal specs.
func MustNew(s Spec) *Calendar {
	c, err := New(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Location returns the calendar's time zone; UTC for an always-open calendar.
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

func (c *Calendar) always() bool { return c == nil || c.loc == nil }

// clampSec returns the Unix seconds and nanoseconds of t, clamped to [Start, End].
func clampSec(t time.Time) (int64, int64) {
	sec := t.Unix()
	switch {
	case sec < startSec:
		return startSec, 0
	case sec > endSec:
		return endSec, int64(End.Nanosecond())
	}
	return sec, int64(t.Nanosecond())
}

// wall returns the wall-clock position of t and the number of offset changes at or before it.
func (c *Calendar) wall(t time.Time) (pos, int) {
	sec, ns := clampSec(t)
	i := c.zone.index(sec)
	return posFromSeconds(sec+c.zone.offset(i), ns), i
}

// instant returns the instant of wall-clock position p under offset off (seconds), in the
// calendar's zone, clamped to End.
func (c *Calendar) instant(p pos, off int64) time.Time {
	if p.day > endSec/daySecs+2 {
		return End.In(c.loc)
	}
	sec := p.day*daySecs + p.tod/int64(time.Second) - off
	ns := p.tod % int64(time.Second)
	if sec > endSec {
		return End.In(c.loc)
	}
	return time.Unix(sec, ns).In(c.loc)
}

// IsOpen reports whether t is within business hours: whether its wall-clock time in the
// calendar's zone falls inside an open range of its local date.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.always() {
		return true
	}
	p, _ := c.wall(t)
	return c.nom.isOpen(p)
}

// Between returns the business time in [a, b): the real elapsed time during which the calendar
// is open. It is negative when b is before a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if c.always() {
		return b.Sub(a)
	}
	if b.Before(a) {
		return -c.Between(b, a)
	}
	pa, ia := c.wall(a)
	pb, ib := c.wall(b)
	return time.Duration(satAdd(c.nom.between(pa, pb), -(c.zone.corr[ib] - c.zone.corr[ia])))
}

// Add returns the earliest instant u with Between(t, u) == d: t plus d of business time.
// Add(t, 0) is t. A target that is reached exactly at a closing time is due at that closing
// time, not at the next opening. For a negative d, Add returns the earliest u before t with
// Between(u, t) == -d, which, when the business time runs out at an opening, is the closing time
// before it. Results past [End] are End.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	switch {
	case d == 0:
		return t
	case c.always():
		return t.Add(d)
	case t.After(End):
		return t
	case d < 0:
		return c.sub(t, -d)
	}
	p, i := c.wall(t)
	z := &c.zone
	need := int64(d)
	if i < len(z.trans) {
		avail := c.nom.between(p, z.wallBefore(i))
		if avail < need {
			// Find the last transition j before which the target is not yet reached; rest is
			// what remains after transition i (cum differences cannot overflow).
			rest := need - avail
			j := i
			lo, hi := i+1, len(z.trans)
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if z.cum[m]-z.cum[i] < rest {
					j, lo = m, m+1
				} else {
					hi = m
				}
			}
			return c.instant(c.nom.add(z.wallAfter(j), rest-(z.cum[j]-z.cum[i])), z.trans[j].after)
		}
	}
	return c.instant(c.nom.add(p, need), z.offset(i))
}

// sub returns the earliest u before t with Between(u, t) == d, d > 0.
func (c *Calendar) sub(t time.Time, d time.Duration) time.Time {
	// Step back far enough to hold more than d, then count forward.
	span := time.Duration(satMul(int64(d)/c.nom.weekTotal+2, int64(7*24*time.Hour)))
	for {
		from := Start
		if t.Sub(Start) > span {
			from = t.Add(-span)
		}
		have := c.Between(from, t)
		if have > d {
			return c.Add(from, have-d)
		}
		if from.Equal(Start) {
			return Start.In(c.loc)
		}
		if span > math.MaxInt64/2 {
			span = math.MaxInt64
		} else {
			span *= 2
		}
	}
}

// NextOpen returns the earliest open instant at or after t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.always() {
		return t
	}
	for range len(c.zone.trans) + 2 {
		p, i := c.wall(t)
		if c.nom.isOpen(p) {
			return t
		}
		u := c.instant(c.nom.nextOpen(p), c.zone.offset(i))
		if i < len(c.zone.trans) && u.Unix() >= c.zone.trans[i].at {
			// The wall-clock time lies past the next offset change: look again from there.
			t = time.Unix(c.zone.trans[i].at, 0).In(c.loc)
			continue
		}
		return u
	}
	return End.In(c.loc) // unreachable: every step passes an offset change
}

// NextClose returns the earliest closed instant at or after t; [End] when the calendar never
// closes after t.
func (c *Calendar) NextClose(t time.Time) time.Time {
	if c.always() {
		return End
	}
	for range len(c.zone.trans) + 2 {
		p, i := c.wall(t)
		if !c.nom.isOpen(p) {
			return t
		}
		q, ok := c.nom.nextClose(p)
		var u time.Time
		if ok {
			u = c.instant(q, c.zone.offset(i))
		}
		if i < len(c.zone.trans) && (!ok || u.Unix() >= c.zone.trans[i].at) {
			t = time.Unix(c.zone.trans[i].at, 0).In(c.loc)
			continue
		}
		if !ok {
			return End.In(c.loc)
		}
		return u
	}
	return End.In(c.loc)
}
