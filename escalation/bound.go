package escalation

import (
	"math/bits"
	"time"

	"github.com/slakit/slakit/calendar"
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
