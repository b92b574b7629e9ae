package escalation

import (
	"math/bits"
	"sync"
	"time"

	"github.com/slakit/slakit/calendar"
)

// Clock is what a ladder is told about one cycle of one metric, as it stands at the instant
// At. The SLA engine fills it in; a host using ladders on its own clocks can too.
type Clock struct {
	// Metric names the metric of the cycle: a built-in metric
	// ("first_response"), a custom metric or an OLA metric
	// ("ola.time_to_own"), as the engine fills it; "" for a clock of no
	// metric, such as the engine's clock of a WhatsApp window. A level
	// without a window trigger watches the clock when its own Metric is ""
	// (the ticket as a whole), [AnyMetric] or this name.
	Metric  string
	Cycle   int           // 1-based cycle number within the metric
	Start   time.Time     // when the cycle started
	Target  time.Duration // the cycle's target; 0 when it has none (percent and breach triggers never fire)
	Elapsed time.Duration // business time counted up to At
	At      time.Time
	// Running reports whether the clock runs at At: started, not paused, not stopped. A clock
	// running past its deadline (breached, still open) is running.
	Running bool
	// Calendar is the policy's calendar, in which elapsed time is counted; nil is 24x7.
	Calendar *calendar.Calendar
	// WindowClosesAt is when the WhatsApp customer service window closes; zero when none
	// applies (window triggers never fire).
	WindowClosesAt time.Time
	// Fired has bit i set when level i already fired in this cycle; it never fires again.
	Fired uint64
	// Deadline is the instant Elapsed reaches Target as the clock runs on
	// from At (in the past when it did already), or zero when not known.
	// It must be exact: Calendar.Add(At, Target-Elapsed) when Elapsed is
	// below Target. A level at or past the target (a breach trigger, a
	// percent of 100 or more) then fires no earlier than Deadline plus the
	// excess, which spares [Ladder.NotBefore] a bound far too early and
	// [Ladder.Next] the calendar for such a level that cannot come first.
	Deadline time.Time
	// WhenErrors collects the levels whose When returned an error (the
	// level did not fire): [Ladder.Next], [Ladder.NextAfter] and [Ladder.Due]
	// append to it; the caller empties it.
	WhenErrors []WhenError
}

// WhenError is a level whose When returned an error, and the instant the level would have
// fired.
type WhenError struct {
	Level string
	At    time.Time
	Err   error
}

// ClockInfo is the state of a clock at the instant a level would fire, as a level's When sees
// it (clock.metric, clock.elapsed, clock.remaining, clock.percent in expressions).
type ClockInfo struct {
	Metric    string        `expr:"metric" json:"metric"`
	Cycle     int           `expr:"cycle" json:"cycle"`
	Target    time.Duration `expr:"target" json:"target"`
	Elapsed   time.Duration `expr:"elapsed" json:"elapsed"`
	Remaining time.Duration `expr:"remaining" json:"remaining"` // negative past the deadline
	Percent   float64       `expr:"percent" json:"percent"`     // 100 * elapsed / target; 0 without a target
}

// Context is what a level's When is given.
type Context struct {
	Ticket any // the host's ticket; an *sla.Ticket when the SLA engine asks
	Clock  ClockInfo
	At     time.Time // the instant the level would fire
}

// Firing is a level that falls due.
type Firing struct {
	Ladder  string
	Level   string
	Index   int // the level's index in the ladder
	Metric  string
	Cycle   int
	At      time.Time
	Actions []Action // shared with the ladder: do not modify
}

// earliest returns an instant no later than the one at which the clock's
// elapsed time reaches x, which is above Elapsed, found without the
// calendar: business time never outruns wall time, from At, or from the
// Deadline for x beyond the target.
func (c *Clock) earliest(x time.Duration) time.Time {
	at := c.At.Add(x - c.Elapsed)
	if d, ok := c.pastDeadline(x); ok && d.After(at) {
		return d
	}
	return at
}

// pastDeadline returns the Deadline plus what x is past the target, an
// instant no later than the one at which the elapsed time reaches x; false
// when x is below the target or the Deadline is not known.
func (c *Clock) pastDeadline(x time.Duration) (time.Time, bool) {
	if c.Target > 0 && x >= c.Target && !c.Deadline.IsZero() {
		return c.Deadline.Add(x - c.Target), true
	}
	return time.Time{}, false
}

func info(c *Clock, at time.Time) ClockInfo {
	elapsed := c.Elapsed
	if c.Running && at.After(c.At) {
		elapsed += c.Calendar.Between(c.At, at)
	}
	ci := ClockInfo{Metric: c.Metric, Cycle: c.Cycle, Target: c.Target, Elapsed: elapsed}
	if c.Target > 0 {
		ci.Remaining = c.Target - elapsed
		ci.Percent = 100 * float64(elapsed) / float64(c.Target)
	}
	return ci
}

// cutoff is the firing to beat while looking for the first level: a level
// firing after at, or at at with an index above index, loses. The zero
// cutoff beats nothing.
type cutoff struct {
	at    time.Time
	index int
	set   bool
}

// loses reports whether level i firing at (or after) at cannot beat k.
// Inlined: without a cutoff (a search's first level), it costs no call.
func (k *cutoff) loses(at time.Time, i int) bool {
	return k.set && k.beats(at, i)
}

// beats is loses for a cutoff that is set.
func (k *cutoff) beats(at time.Time, i int) bool {
	return at.After(k.at) || (at.Equal(k.at) && i > k.index)
}

// when returns the instant >= c.At at which level i fires if nothing changes after c.At, and
// false if it will not: it fired already, watches another metric, the clock does not run, the
// trigger has no meaning for the clock, the window closes first, or When does not hold then.
// It also returns false, without asking During or When, once the level is seen to lose to k.
func (l *Ladder) when(i int, c *Clock, ticket any, k *cutoff) (time.Time, bool) {
	lv := &l.levels[i]
	if c.Fired&(1<<uint(i)) != 0 || !c.Running || !lv.watches(c.Metric) {
		return time.Time{}, false
	}
	at := c.At
	asked := false // When (ticket only) holds
	var closes time.Time
	if lv.At.Kind == Window {
		if c.WindowClosesAt.IsZero() {
			return time.Time{}, false
		}
		closes = c.WindowClosesAt
		if from := closes.Add(-lv.At.Offset); from.After(at) {
			at = from
		}
	} else {
		if lv.At.Kind != Elapsed && c.Target <= 0 {
			return time.Time{}, false
		}
		x, _ := lv.At.threshold(c.Target)
		if x > c.Elapsed {
			// Business time never outruns wall time: the level fires no
			// earlier than At plus what is left, so a loser costs no Add
			// (and without a cutoff, nothing loses).
			if k.set && k.loses(c.earliest(x), i) {
				return time.Time{}, false
			}
			if lv.When != nil && lv.WhenTicketOnly {
				ok, err := lv.askTicket(ticket)
				if err == nil && !ok {
					return time.Time{}, false // nor a ticket the condition rules out
				}
				asked = err == nil // a failure is asked again, and recorded, at the instant
			}
			at = c.Calendar.Add(c.At, x-c.Elapsed)
		}
	}
	if k.loses(at, i) {
		return time.Time{}, false // During and When only make it later or stop it
	}
	if lv.During != nil {
		at = lv.During.NextOpen(at)
	}
	if !closes.IsZero() && !at.Before(closes) {
		return time.Time{}, false
	}
	if !at.Before(calendar.End) {
		return time.Time{}, false
	}
	if lv.When != nil && !asked {
		var ok bool
		var err error
		if lv.WhenTicketOnly {
			ok, err = lv.askTicket(ticket)
		} else {
			ok, err = askWhen(lv.When, ticket, c, at)
		}
		if err != nil {
			c.WhenErrors = append(c.WhenErrors, WhenError{Level: lv.Name, At: at, Err: err})
			return time.Time{}, false
		}
		if !ok {
			return time.Time{}, false
		}
	}
	return at, true
}

// contexts holds the Contexts given to When, which must not keep them.
var contexts = sync.Pool{New: func() any { return new(Context) }}

// askTicket asks the When of lv, which reads the ticket alone
// ([Level.WhenTicketOnly]), through WhenTicket when it has one.
func (lv *Level) askTicket(ticket any) (bool, error) {
	if lv.WhenTicket != nil {
		return lv.WhenTicket(ticket), nil
	}
	return askWhen(lv.When, ticket, nil, time.Time{})
}

// askWhen reports whether when holds for the ticket and the clock c at
// the instant at, or its error; a nil c gives when the ticket only.
func askWhen(when func(*Context) (bool, error), ticket any, c *Clock, at time.Time) (bool, error) {
	x := contexts.Get().(*Context)
	*x = Context{Ticket: ticket, At: at}
	if c != nil {
		x.Clock = info(c, at)
	}
	ok, err := when(x)
	*x = Context{}
	contexts.Put(x)
	return ok, err
}

// Next returns the first level to fire at or after c.At if nothing changes, and false if none
// will. Levels due at the same instant come in ladder order. ticket is passed to the levels'
// When.
func (l *Ladder) Next(c *Clock, ticket any) (Firing, bool) {
	return l.next(c, ticket, cutoff{})
}

// NextBefore is [Ladder.Next] restricted to levels firing before the
// instant before: it returns what Next returns when that fires before
// before, and false otherwise. A host comparing the next firings of several
// clocks passes the earliest found so far, which spares the levels that
// cannot be earlier most of their work.
func (l *Ladder) NextBefore(c *Clock, ticket any, before time.Time) (Firing, bool) {
	f, ok := l.next(c, ticket, cutoff{at: before, index: -1, set: true})
	if !ok || !f.At.Before(before) {
		return Firing{}, false
	}
	return f, true
}

func (l *Ladder) next(c *Clock, ticket any, k cutoff) (Firing, bool) {
	if l == nil {
		return Firing{}, false
	}
	// A plain level (no When, no During) with a business-time trigger fires
	// at Calendar.Add(At, threshold-Elapsed), which grows with the
	// threshold: among those, the smallest threshold (first in ladder
	// order) fires first, and any other business-time level with a larger
	// threshold cannot fire before it. So one Add decides most ladders.
	plain, plainX := -1, time.Duration(0)
	unfired := l.unfired(c.Fired)
	for left := unfired; left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		lv := &l.levels[i]
		if lv.When != nil || lv.During != nil || lv.At.Kind == Window || !lv.watches(c.Metric) ||
			(lv.At.Kind != Elapsed && c.Target <= 0) {
			continue // not plain, or never fires on this clock
		}
		if x, ok := lv.At.threshold(c.Target); ok && (plain < 0 || x < plainX) {
			plain, plainX = i, x
		}
	}
	// The first firing so far: level best at bestAt.
	best, bestAt, found := 0, time.Time{}, false
	plainFires := false // the plain level fires (at bestAt, until another replaces it)
	if plain >= 0 {
		if at, ok := l.when(plain, c, ticket, &k); ok {
			best, bestAt, found, plainFires = plain, at, true, true
			k = cutoff{at: at, index: plain, set: true}
		}
	}
	for left := unfired; left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		if i == plain {
			continue
		}
		if plainFires {
			lv := &l.levels[i]
			// A larger threshold not yet reached fires later; one reached
			// already fires at At, with the plain level, and may come first.
			if x, ok := lv.At.threshold(c.Target); ok && lv.At.Kind != Window && ((x > plainX && x > c.Elapsed) || (x == plainX && i > plain)) {
				continue // fires no earlier than the plain level
			}
		}
		at, ok := l.when(i, c, ticket, &k)
		if ok && (!found || at.Before(bestAt) || (at.Equal(bestAt) && i < best)) {
			best, bestAt, found = i, at, true
			k = cutoff{at: at, index: i, set: true}
		}
	}
	if !found {
		return Firing{}, false
	}
	return l.firing(best, c, bestAt), true
}

// unfired returns the levels not in fired, as bits.
func (l *Ladder) unfired(fired uint64) uint64 {
	return ^fired & (uint64(1)<<uint(len(l.levels)) - 1)
}

func (l *Ladder) firing(i int, c *Clock, at time.Time) Firing {
	lv := &l.levels[i]
	return Firing{Ladder: l.name, Level: lv.Name, Index: i, Metric: c.Metric, Cycle: c.Cycle,
		At: at, Actions: lv.Actions}
}

// Due returns the levels whose firing instants fall in (from, to], in time order, computed from
// c as it stands at c.At <= from (its last change), levels fired before c.At being marked in
// c.Fired. A level firing exactly at the cycle's start is included when from is that start.
// Because consecutive intervals (t0, t1], (t1, t2], ... do not overlap, a host running a ladder
// from a timer or a cron tick reports each level once. Due appends to dst.
func (l *Ladder) Due(dst []Firing, c Clock, ticket any, from, to time.Time) []Firing {
	if l == nil {
		return dst
	}
	for {
		f, ok := l.Next(&c, ticket)
		if !ok || f.At.After(to) {
			return dst
		}
		c.Fired |= 1 << uint(f.Index)
		if f.At.After(from) || (f.At.Equal(from) && from.Equal(c.Start)) {
			dst = append(dst, f)
		}
	}
}

// NextAfter returns the first level whose firing instant is after the instant after, computed
// like [Ladder.Due], and false if none will fire. A host sets its timer to the result.
func (l *Ladder) NextAfter(c Clock, ticket any, after time.Time) (Firing, bool) {
	if l == nil {
		return Firing{}, false
	}
	for {
		f, ok := l.Next(&c, ticket)
		if !ok || f.At.After(after) {
			return f, ok
		}
		c.Fired |= 1 << uint(f.Index)
	}
}
