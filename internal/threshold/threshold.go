// Package threshold computes the elapsed business time at which an
// escalation trigger is reached on a clock with a given target: the one
// piece of trigger arithmetic that package escalation and the SLA engine's
// escalation bounds share.
package threshold

import "time"

// The kinds of trigger that count business time, as escalation's
// TriggerKind numbers them; any other kind has no threshold.
const (
	Percent = 1 // a share of the target, in basis points
	Breach  = 2 // an offset from the target
	Elapsed = 3 // a business time elapsed, whatever the target
)

// Of returns the elapsed business time at which a trigger of the kind, with
// its basis points bp (Percent) or its offset (Breach, Elapsed), is reached
// on a clock with the given target, never below zero; false for a kind
// without a threshold (a window trigger, which is wall-clock). A Breach
// past the largest duration saturates there.
func Of(kind uint8, bp int64, offset, target time.Duration) (time.Duration, bool) {
	var x time.Duration
	switch kind {
	case Percent:
		// target * bp / 10000 without overflowing.
		x = target/10000*time.Duration(bp) + target%10000*time.Duration(bp)/10000
	case Breach:
		x = target + offset
		if offset > 0 && x < target {
			x = time.Duration(1<<63 - 1)
		}
	case Elapsed:
		x = offset
	default:
		return 0, false
	}
	return max(x, 0), true
}

// At returns the instant, in Unix nanoseconds, at which a running clock
// reaches the elapsed business time x, as a bound no later than the real
// one: from (the start of its current span) plus the business time still
// missing past base (none when base has reached x), and, for a threshold
// past a target the clock has, no earlier than its deadline due (hasDue)
// plus the excess, since the target's business time ends at the deadline.
// fromDue says that the deadline gave the bound. ok is false when the
// instant would leave the int64 range.
func At(from, due int64, hasDue bool, x, base, target time.Duration) (at int64, fromDue, ok bool) {
	d := max(x-base, 0)
	at = from + int64(d)
	if at < from {
		return 0, false, false
	}
	if d > 0 && target > 0 && x >= target && hasDue {
		u := due + int64(x-target)
		if u < due {
			return 0, false, false
		}
		if u > at {
			return u, true, true
		}
	}
	return at, false, true
}
