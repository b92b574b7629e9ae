package escalation

import (
	"math/bits"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/threshold"
)

// NotBefore returns an instant before which no level of the ladder fires
// on the clock c, and false when none can fire. It is cheap: it reads no
// calendar, since business time never outruns wall time, and it asks only
// the conditions on the ticket alone ([Level.WhenTicketOnly]). Every
// firing [Ladder.Next] returns for c, or for c as it stands at any later
// instant with nothing else changed, is at or after the bound; pass the
// clock as it stood at the start of its current running span (At that
// start, Elapsed the business time counted before it) to get a bound that
// holds for the whole span. A host compares the bound with the instant of
// its next event and asks Next only when that event is not earlier.
func (l *Ladder) NotBefore(c *Clock, ticket any) (time.Time, bool) {
	if l == nil || !c.Running {
		return time.Time{}, false
	}
	if c.WindowClosesAt.IsZero() {
		if at, ok := unixNanos(c.At); ok {
			if dl, ok := unixNanos(c.Deadline); ok || c.Deadline.IsZero() {
				if best, ok, exact := l.notBeforeNanos(c, ticket, at, dl); exact {
					return best, ok
				}
			}
		}
	}
	return l.notBefore(c, ticket)
}

// notBefore is NotBefore on a running clock, in time.Time arithmetic: the
// general path, which notBeforeNanos answers as for most clocks.
func (l *Ladder) notBefore(c *Clock, ticket any) (time.Time, bool) {
	var best time.Time
	found := false
	// While best is c.At plus bestD (not a window level's), a level at
	// c.At plus no less is told apart without computing its instant.
	var bestD time.Duration
	bestRel := false
	for left := l.unfired(c.Fired); left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		lv := &l.levels[i]
		if !lv.watches(c.Metric) {
			continue
		}
		at, d, rel := c.At, time.Duration(0), false
		switch {
		case lv.At.Kind == Window:
			if c.WindowClosesAt.IsZero() {
				continue
			}
			if from := c.WindowClosesAt.Add(-lv.At.Offset); from.After(at) {
				at = from
			}
		case lv.At.Kind != Elapsed && c.Target <= 0:
			continue // a percent or breach trigger needs a target
		default:
			rel = true
			x, _ := lv.At.threshold(c.Target)
			if x > c.Elapsed {
				d = x - c.Elapsed
			}
			if found && bestRel && d >= bestD {
				continue
			}
			if d > 0 {
				at = c.At.Add(d)
				if dl, ok := c.pastDeadline(x); ok && dl.After(at) {
					at, rel = dl, false // a bound from the Deadline is not At plus d
				}
			}
		}
		if !at.Before(calendar.End) || (found && !at.Before(best)) {
			continue
		}
		if lv.When != nil && lv.WhenTicketOnly {
			if ok, err := lv.askTicket(ticket); err == nil && !ok {
				continue // a failure is left to Next, which records it
			}
		}
		best, found, bestD, bestRel = at, true, d, rel
	}
	return best, found
}

// nanosSpan bounds the instants unixNanos converts: within about 272
// years of 1970, Unix nanoseconds fit in an int64 with room to spare.
const nanosSpan = 1 << 33

// unixNanos returns t in Unix nanoseconds, and false when it is too far
// from 1970 (the zero instant among them).
func unixNanos(t time.Time) (int64, bool) {
	if sec := t.Unix(); uint64(sec+nanosSpan) < 2*nanosSpan {
		return sec*1e9 + int64(t.Nanosecond()), true
	}
	return 0, false
}

// notBeforeNanos is notBefore on a running clock without a window, with
// its instant at and (unless zero) its Deadline dl in Unix nanoseconds:
// the same levels compared in integers, the bound built at the end from
// the instant it counts from, as notBefore builds it. It reports false
// (exact) when an instant would leave the int64 range: the caller then
// asks notBefore.
func (l *Ladder) notBeforeNanos(c *Clock, ticket any, at, dl int64) (bound time.Time, found, exact bool) {
	// The best bound so far: best, in Unix nanoseconds, is c.At plus
	// bestD, or (fromDl) the Deadline plus bestOff.
	var best int64
	var bestD, bestOff time.Duration
	bestRel, fromDl := false, false
	for left := l.unfired(c.Fired); left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		lv := &l.levels[i]
		if lv.At.Kind == Window || !lv.watches(c.Metric) {
			continue // without a window, a window level never fires
		}
		if lv.At.Kind != Elapsed && c.Target <= 0 {
			continue // a percent or breach trigger needs a target
		}
		x, _ := lv.At.threshold(c.Target)
		d := max(x-c.Elapsed, 0)
		if found && bestRel && d >= bestD {
			continue
		}
		t, fromDue, ok := threshold.At(at, dl, !c.Deadline.IsZero(), x, c.Elapsed, c.Target)
		if !ok {
			return time.Time{}, false, false // past the int64 range
		}
		rel, off := !fromDue, x-c.Target // a bound from the Deadline is not At plus d
		// t is before calendar.End, which is past the int64 range.
		if found && t >= best {
			continue
		}
		if lv.When != nil && lv.WhenTicketOnly {
			if ok, err := lv.askTicket(ticket); err == nil && !ok {
				continue // a failure is left to Next, which records it
			}
		}
		best, found, bestD, bestRel = t, true, d, rel
		fromDl, bestOff = !rel, off
	}
	switch {
	case !found:
		return time.Time{}, false, true
	case fromDl:
		return c.Deadline.Add(bestOff), true, true
	case bestD == 0:
		return c.At, true, true
	}
	return c.At.Add(bestD), true, true
}
