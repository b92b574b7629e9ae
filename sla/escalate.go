package sla

import (
	"fmt"
	"math"
	"math/bits"
	"time"
	"unsafe"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/internal/threshold"
)

// This file runs the escalation ladders: between events, the levels of the
// policy's ladder fall due at instants computed from the open cycles and
// the WhatsApp window (see package escalation). Each fires once in its
// scope, at its instant: a level with a metric once per cycle of it, a
// level without metric once per ticket (re-armed by a reopening), a window
// level once per window. Its set_priority, assign and add_tags actions
// change the ticket then, which may re-target the cycles or change the
// policy before the next level.

// windowCycle is the index nextFiring gives a firing of a window level,
// which belongs to no cycle.
const windowCycle = -1

// olaIndex is the index nextFiring gives a firing for the OLA cycle
// st.olas[i]; olaCycleOf reverses it (-1 for other indices).
func olaIndex(i int) int { return -2 - i }

func olaCycleOf(k int) int {
	if k <= -2 {
		return -2 - k
	}
	return -1
}

// policyOf returns the policy in force for st, as e.policy(st.policy)
// does, found by its name (see policyPrio, which most callers use: it
// reads st's index first).
func (e *Engine) policyOf(st *State) *compiled { return e.ixPols[e.policyPos(st)+1] }

// policyPos returns the index in e.policies of the policy in force for st,
// -1 for none, found first by the identity of its name: a state's policy
// name is the compiled policy's own string, so that most lookups compare
// no bytes.
func (e *Engine) policyPos(st *State) int {
	name := st.policy
	if p := unsafe.StringData(name); len(name) > 0 {
		for i, n := range e.names {
			if unsafe.StringData(n) == p && len(n) == len(name) {
				return i
			}
		}
	}
	return e.policyIndex(name)
}

// ladderClock is a clock a level of a ticket's ladder may still fire on:
// a running cycle's, an OLA cycle's or the WhatsApp window's, made into an
// [escalation.Clock] only when a ladder is asked about it. It holds no
// pointer, so that gathering the clocks into a buffer costs no write
// barrier: its cycle is found by source.
type ladderClock struct {
	fired uint64 // as escalation.Clock.Fired
	k     int32  // the cycle's index in st.open, olaIndex, or windowCycle
	id    int32  // the id of its memo: the cycle's index in st.cycles, or k
}

// ladderClocks appends to buf[:0] the clocks of st that a level of the
// ladder of its policy pol may still fire on: each running cycle's (in
// the order of st.open), each running OLA cycle's, then the WhatsApp
// window's; and returns them with the calendar the ticket's cycles count
// in. The levels whose condition on the ticket tk rules them out
// ([escalation.Ladder.RuledOut]) are set in each clock's fired, as if
// fired; with rc, the memos of the ladder, the answers kept there are
// reused (see firingMemos.ruledOut). It returns none when st has no
// ladder. With ms, no clock of a running cycle is returned: the least of
// their bounds is returned instead (noFiring when none), each found in ms
// or computed and kept there (cycleBound).
func (e *Engine) ladderClocks(st *State, pol *compiled, tk *Ticket, buf []ladderClock, ms, rc *firingMemos) ([]ladderClock, *calendar.Calendar, int64) {
	out := buf[:0]
	least := int64(noFiring)
	if pol == nil || pol.ladder == nil || !st.Created() || st.Closed() {
		return out, nil, least
	}
	lad := pol.ladder
	cal := calOf(pol, st)
	tmask, wmask := lad.TicketMask(), lad.WindowMask()
	more := st.x()
	ticketFired := more.fired & tmask
	if rc != nil {
		ticketFired |= rc.ruledOut(tk, ^ticketFired)
	} else {
		ticketFired |= lad.RuledOut(tk, ^ticketFired)
	}
	cycles := st.cycles
	for k, i := range st.open {
		c := &cycles[i]
		if !c.running() {
			continue
		}
		fired, ok := pol.cycleFired(c, tmask, ticketFired)
		if !ok {
			continue
		}
		if ms != nil {
			at, hit := ms.lookup(int32(i), c, cal, fired)
			if !hit {
				at = cycleBound(pol, c, cal, fired, int32(i), tk, ms)
			}
			least = min(least, at)
			continue
		}
		out = append(out, ladderClock{k: int32(k), id: int32(i), fired: fired})
	}
	for i := range more.olas {
		if !pol.watchesOLAs() {
			break // no level watches an OLA metric
		}
		c := &more.olas[i]
		if !c.running() {
			continue
		}
		cmask := pol.ladderMask(c.Metric)
		if cmask&^(c.Fired|ticketFired) == 0 {
			continue
		}
		k := int32(olaIndex(i))
		out = append(out, ladderClock{k: k, id: k, fired: c.Fired | ticketFired | ^cmask})
	}
	if wmask == 0 || st.ticket.Status == StatusSolved {
		return out, cal, least
	}
	if closes := e.windowClosesAt(st); !closes.IsZero() {
		out = append(out, ladderClock{k: windowCycle, id: windowCycle, fired: st.windowFired(closes) | ticketFired | ^wmask})
	}
	return out, cal, least
}

// cycleFired returns the levels of p's ladder that cannot fire on the
// clock of the running cycle c, counted as fired, and false when no level
// is left (see levelsLeft); tmask is the ladder's levels without metric,
// ticketFired those of the ticket fired or ruled out.
func (p *compiled) cycleFired(c *cycle, tmask, ticketFired uint64) (uint64, bool) {
	watched, ok := p.slotMask(c.Metric)
	if !ok {
		watched = p.scanMask(c.Metric)
	}
	return levelsLeft(c, watched|tmask, ticketFired, p.ladder)
}

// levelsLeft returns the levels of the ladder lad that cannot fire on the
// clock of the running cycle c, counted as fired (see ladderClocks): those
// fired in it, those among the levels without metric fired or ruled out
// in ticketFired, and those not among watched (the levels that watch its
// metric, and those without metric); and false when no level is left, or
// none that fires without a target when c has none.
func levelsLeft(c *cycle, watched, ticketFired uint64, lad *escalation.Ladder) (uint64, bool) {
	fired := c.Fired&watched | ticketFired
	left := watched &^ fired
	if left == 0 || c.Target <= 0 && left&lad.ElapsedMask() == 0 {
		return 0, false // without a target, only an elapsed-time trigger fires
	}
	return fired | ^watched, true
}

// source returns the cycle of lc, a clock of st that ladderClocks returned
// with the calendar cal, and the calendar it counts in; nil for the
// window's clock.
func (e *Engine) source(st *State, lc *ladderClock, cal *calendar.Calendar) (*cycle, *calendar.Calendar) {
	switch {
	case lc.k >= 0:
		return &st.cycles[lc.id], cal
	case lc.k == windowCycle:
		return nil, cal
	}
	c := &st.x().olas[olaCycleOf(int(lc.k))]
	if o := e.olaByName(c.OLA); o != nil {
		return &c.cycle, o.cal
	}
	return &c.cycle, calOf(nil, st)
}

// clock sets *clk to the clock of lc, a clock of st whose cycle c (nil
// for the window's) counts in cal: a cycle's as it stood at the start of
// its current running span, which needs no calendar (see
// [escalation.Ladder.NotBefore]), the window's at st.lastAt. It is written
// in place: a Clock is too large to return cheaply.
func (e *Engine) clock(clk *escalation.Clock, st *State, lc *ladderClock, c *cycle, cal *calendar.Calendar) {
	if c == nil {
		*clk = escalation.Clock{At: st.lastAt, Running: true, Calendar: cal, WindowClosesAt: e.windowClosesAt(st), Fired: lc.fired}
		return
	}
	cycleClock(clk, c, cal, lc.fired)
}

// cycleClock sets *clk to the clock of the running cycle c, counted in
// cal with the levels fired, as it stood at the start of its current
// running span (see clock).
func cycleClock(clk *escalation.Clock, c *cycle, cal *calendar.Calendar, fired uint64) {
	*clk = escalation.Clock{Metric: string(c.Metric), Cycle: int(c.N), Start: c.Start, Target: c.Target,
		Elapsed: c.Base, At: c.from(), Running: true, Calendar: cal, Deadline: c.due, Fired: fired}
}

// cycleBound returns the bound of the clock of the running cycle c
// (index id in st.cycles), counted in cal with the levels fired, that
// the ladder of pol gives for the ticket tk ([escalation.Ladder.NotBefore],
// in Unix nanoseconds as fireNanos gives it, noFiring when no level can
// fire), and keeps it in ms unless an instant is too far to hold: the
// walk's answer for a clock whose memo it did not find, as firingBound
// gives it for the other clocks. The levels tk's conditions rule out must
// be among fired, and the ladder memoized (ms is not nil): its bound is
// then worked out in Unix nanoseconds (boundNanos), without a Clock.
func cycleBound(pol *compiled, c *cycle, cal *calendar.Calendar, fired uint64, id int32, tk *Ticket, ms *firingMemos) int64 {
	from, ok1 := memoInstant(c.from())
	due, ok2 := memoInstant(c.due)
	// A zero due is no deadline; a zero start (which no state holds) is
	// left to the ladder.
	if ok1 && ok2 && from != math.MinInt64 {
		if at, ok := pol.boundNanos(from, due, c.Base, c.Target, fired); ok {
			if at == 0 {
				return -1 // zero says none: a bound short of it, not kept (see fireNanos)
			}
			ms.put(id, cal, from, due, c.Base, c.Target, fired, at)
			return at
		}
	}
	return cycleBoundOf(pol.ladder, c, cal, fired, id, tk, ms)
}

// cycleBoundOf is cycleBound asking the ladder itself, on an
// [escalation.Clock]: for the clocks boundNanos does not answer for.
func cycleBoundOf(lad *escalation.Ladder, c *cycle, cal *calendar.Calendar, fired uint64, id int32, tk *Ticket, ms *firingMemos) int64 {
	var clk escalation.Clock
	cycleClock(&clk, c, cal, fired)
	at, held := int64(noFiring), true
	if b, ok := lad.NotBefore(&clk, tk); ok {
		at, held = fireNanos(b)
	}
	var key firingKey
	if held && key.of(c, cal, fired) {
		ms.store(id, &key, at)
	}
	return at
}

// ladderBounds is what the bounds after an event read of a policy's
// ladder, worked out once by boundsOf.
type ladderBounds struct {
	triggers []escalation.Trigger // the levels' triggers, by index (see boundNanos)
	// cycles says that only running cycles' clocks may fire a level: no
	// window level, and none watching an OLA metric (see firingBound).
	cycles bool
	// memoized says that the ladder's answers may be memoized
	// ([escalation.Ladder.TicketWhenOnly]).
	memoized bool
	// clockWhen says that a level's condition may read the clock or fail
	// ([escalation.Ladder.ClockWhenMask]).
	clockWhen bool
	// kept says that the bound after an event may be kept over the next
	// events that change nothing it reads (see State.boundStale): only
	// running cycles' clocks fire a level (cycles), its answers are
	// memoized, no level's condition may read the clock or fail, and each
	// level's condition on the ticket declares what it reads, so that a
	// change of the ticket it reads passes through State.touches. Tests
	// clear it to compare with the walk after every event.
	kept bool
	// exact says that a memoized search works a clock's next firing out
	// itself (nextExact) rather than asking the ladder: set with memoized
	// (tests clear it to compare with the ladder's answers).
	exact bool
	// searchKept says that the search before an event that finds no level
	// due leaves the least of the clocks' bounds as the bound, for the
	// walk after the event to keep (see fireUntil): set with kept. Tests
	// clear it to compare with the walk after the event.
	searchKept bool
	// opened says that after an event whose only changes that may move
	// the bound opened cycles, the bound kept before it stands for the
	// other clocks: only the new ones are walked (see openedBound). Set
	// with kept; tests clear it to compare with the walk after the event.
	opened bool
	levels []escalation.Level // the levels, by index (see nextExact)
}

// boundsOf returns the ladderBounds of p, whose masks are set; the zero
// ladderBounds without a ladder.
func boundsOf(p *compiled) ladderBounds {
	lad := p.ladder
	if lad == nil {
		return ladderBounds{}
	}
	b := ladderBounds{triggers: make([]escalation.Trigger, lad.Len()), memoized: lad.TicketWhenOnly(),
		clockWhen: lad.ClockWhenMask() != 0, cycles: lad.WindowMask() == 0 && !p.watchesOLAs()}
	b.exact = b.memoized
	b.kept = b.cycles && b.memoized && !b.clockWhen && lad.Rereads(0) == 0
	b.searchKept, b.opened = b.kept, b.kept
	b.levels = make([]escalation.Level, lad.Len())
	for i := range b.triggers {
		b.levels[i] = lad.Level(i)
		b.triggers[i] = b.levels[i].At
	}
	return b
}

// boundNanos returns the bound [escalation.Ladder.NotBefore] gives on the
// running clock of p's ladder that counts from the instant from with the
// business time base before it, toward target and the deadline due
// (math.MinInt64 for none), with the levels fired (those the ticket's
// conditions rule out among them, and those not watching the clock's
// metric): Unix nanoseconds all, noFiring when no level can fire. The
// levels left then fire on the clock's business time alone, and their
// conditions hold, so the bound is the least instant any of them may
// reach, worked out as NotBefore does: from plus what is left of its
// threshold, or for a level at or past the target the deadline plus the
// excess when that is later. It reports false when that instant is past
// the last one a memo holds (fireNanos would not hold it): the caller then
// asks the ladder.
func (p *compiled) boundNanos(from, due int64, base, target time.Duration, fired uint64) (int64, bool) {
	trig := p.bounds.triggers
	best, found := int64(noFiring), false
	for left := ^fired & (uint64(1)<<uint(len(trig)) - 1); left != 0; left &= left - 1 {
		tr := &trig[bits.TrailingZeros64(left)]
		if tr.Kind != escalation.Elapsed && target <= 0 {
			continue // a percent or breach trigger needs a target (a window one, the window)
		}
		x, ok := threshold.Of(uint8(tr.Kind), tr.BasisPoints, tr.Offset, target)
		if !ok {
			continue // a window trigger: a cycle's clock has no window
		}
		t, _, ok := threshold.At(from, due, due != math.MinInt64, x, base, target)
		if !ok {
			return 0, false // past the int64 range
		}
		best, found = min(best, t), true
	}
	if found && best > memoLast {
		return 0, false // past what a memo holds, or past the int64 range
	}
	return best, true
}

// memoKey returns the key of the memo of the clock of the cycle c, counted
// in cal with the levels fired (see firingMemos), and false when it has
// none: instants too far to memoize.
func memoKey(c *cycle, cal *calendar.Calendar, fired uint64) (firingKey, bool) {
	var k firingKey
	ok := k.of(c, cal, fired)
	return k, ok
}

// of sets k to memoKey's key, in place, and reports whether there is one.
func (k *firingKey) of(c *cycle, cal *calendar.Calendar, fired uint64) bool {
	from, ok1 := memoInstant(c.from())
	due, ok2 := memoInstant(c.due)
	*k = firingKey{cal: cal, from: from, due: due, base: c.Base, target: c.Target, fired: fired}
	return ok1 && ok2
}

// atNow moves clk, a running clock as it stood at the start of its span,
// to the instant now, no earlier.
func atNow(clk *escalation.Clock, now time.Time) {
	if now.After(clk.At) {
		clk.Elapsed += clk.Calendar.Between(clk.At, now)
		clk.At = now
	}
}

// nextFiring returns the first escalation level that falls due for the
// ticket as it stands at st.lastAt under its policy pol, and the index in
// st.open of the cycle that reaches it (windowCycle for a window level).
// With record, the levels whose When failed are recorded on st. A
// non-zero before limits the search to the levels falling due before it:
// a later one is not returned, and costs no calendar. ms, if not nil,
// holds bounds on the clocks' next firings: a clock whose bound is not
// before the limit is passed over (with a limit, a clock without one gets
// its bound first, kept there), and the exact next firing of each clock
// searched is kept in it. The firing is written to *best (a Firing is too
// large to return cheaply), which holds nothing meaningful when none is
// found.
func (e *Engine) nextFiring(st *State, pol *compiled, tk *Ticket, record bool, before time.Time, ms *firingMemos, best *escalation.Firing) (int, bool) {
	k, ok, _, _ := e.nextFiringRest(st, pol, tk, record, before, ms, best)
	return k, ok
}

// nextFiringRest is nextFiring that, when it finds no firing, also
// returns the least bound in Unix nanoseconds of the clocks it walked, as
// their memos hold it (noFiring when none can fire), and which clock gives
// it as firingMemos.least says: a bound on the next firing, as firingBound
// would find it from the same memos. The bound is math.MinInt64 when the
// search cannot tell (a clock searched without memos, or a ladder that
// fires on other clocks than running cycles').
func (e *Engine) nextFiringRest(st *State, pol *compiled, tk *Ticket, record bool, before time.Time, ms *firingMemos, best *escalation.Firing) (int, bool, int64, int32) {
	if ms != nil && pol != nil && pol.bounds.cycles {
		return e.searchCycles(st, pol, tk, record, before, ms, best)
	}
	k, ok := e.searchGathered(st, pol, tk, record, before, ms, best)
	return k, ok, math.MinInt64, 0
}

// searchGathered is nextFiring for every ladder: the clocks of the
// running cycles, the OLA cycles and the window, gathered by ladderClocks.
func (e *Engine) searchGathered(st *State, pol *compiled, tk *Ticket, record bool, before time.Time, ms *firingMemos, best *escalation.Firing) (int, bool) {
	var s search // as in searchCycles
	s.st, s.tk, s.record, s.before, s.ms = st, tk, record, before, ms
	var buf [4]ladderClock
	clocks, cal, _ := e.ladderClocks(st, pol, tk, buf[:], nil, ms)
	if len(clocks) > 0 {
		s.lad = pol.ladder
	}
	for i := range clocks {
		lc := &clocks[i]
		k := int(lc.k)
		c, ccal := e.source(st, lc, cal)
		if ms != nil && c != nil && s.memoized(best, pol, c, ccal, lc.fired, lc.id, k) {
			continue
		}
		var clk escalation.Clock
		e.clock(&clk, st, lc, c, ccal)
		s.clock(best, &clk, k)
	}
	return s.bestK, s.found
}

// searchCycles is nextFiringRest with the memos ms of a ladder that fires
// on running cycles' clocks only (ladderBounds.cycles): one walk of them,
// as firingBound's, without gathering them.
func (e *Engine) searchCycles(st *State, pol *compiled, tk *Ticket, record bool, before time.Time, ms *firingMemos, best *escalation.Firing) (int, bool, int64, int32) {
	if !st.Created() || st.Closed() {
		return 0, false, math.MinInt64, 0
	}
	var s search // set field by field: a literal is built apart, then copied
	s.st, s.lad, s.tk, s.record, s.before, s.ms = st, pol.ladder, tk, record, before, ms
	s.rest, s.restBy = noFiring, -1
	cal := calOf(pol, st)
	tmask := s.lad.TicketMask()
	ticketFired := st.x().fired & tmask
	ticketFired |= ms.ruledOut(tk, ^ticketFired)
	for k, i := range st.open {
		c := &st.cycles[i]
		if !c.running() {
			continue
		}
		watched, ok := pol.slotMask(c.Metric) // cycleFired, in line
		if !ok {
			watched = pol.scanMask(c.Metric)
		}
		fired, ok := levelsLeft(c, watched|tmask, ticketFired, s.lad)
		if !ok || s.memoized(best, pol, c, cal, fired, int32(i), k) {
			continue
		}
		var clk escalation.Clock
		cycleClock(&clk, c, cal, fired)
		s.clock(best, &clk, k)
	}
	return s.bestK, s.found, s.rest, s.restBy
}

// search is the state of one search of nextFiring: its arguments, and
// whether a firing was found so far, from the clock bestK. The firing
// itself is passed apart (best): a pointer held here would leak with the
// ticket, which the ladder's conditions take as an interface.
type search struct {
	st     *State
	lad    *escalation.Ladder
	tk     *Ticket
	record bool
	before time.Time
	ms     *firingMemos
	bestK  int
	found  bool
	// st.lastAt in Unix nanoseconds, once known (nowKnown), and whether
	// it is held (see memoInstant): nextExact's now.
	nowNs             int64
	nowKnown, nowHeld bool
	// rest is the least bound, in Unix nanoseconds, of the clocks that
	// gave no firing (math.MinInt64 once a clock is searched without
	// memos), restBy which clock gives it (see nextFiringRest).
	rest   int64
	restBy int32
}

// bound counts at, the bound of the clock of the cycle st.cycles[id] that
// gave no firing, in rest.
func (s *search) bound(at int64, id int32) {
	if at < s.rest {
		s.restBy = id + 1 // a conditional move, as min below
	}
	s.rest = min(s.rest, at)
}

// memoized searches, with the memos, the clock of the running cycle c
// (index id in st.cycles, k in st.open) counted in cal with the levels
// fired: passed over when its memo, or the bound worked out for it when
// there is a limit, is not before the limit; otherwise its exact next
// firing from st.lastAt, kept as its memo. It reports false, having done
// nothing, when the clock's instants are too far to memoize: the caller
// then searches it without memos (clock).
func (s *search) memoized(best *escalation.Firing, pol *compiled, c *cycle, cal *calendar.Calendar, fired uint64, id int32, k int) bool {
	ms := s.ms
	limit := s.before
	if s.found {
		limit = best.At
	}
	at, hit := ms.lookup(id, c, cal, fired)
	if !hit && !limit.IsZero() {
		// A clock whose memo is gone (a level just fired on it, most
		// often): its bound first, kept as its memo, rules out most of
		// them without a calendar.
		at, hit = cycleBound(pol, c, cal, fired, id, s.tk, ms), true
	}
	if hit && (at == noFiring || (!limit.IsZero() && !memoBefore(at, limit))) {
		s.bound(at, id)
		return true // no firing of the clock comes before the limit
	}
	key, keyed := memoKey(c, cal, fired)
	if !keyed {
		return false
	}
	if pol.bounds.exact {
		if !s.nowKnown {
			s.nowNs, s.nowHeld = memoInstant(s.st.lastAt)
			s.nowKnown = true
		}
		if s.nowHeld {
			if i, at, ns, served := pol.nextExact(c, cal, &key, s.st.lastAt, s.nowNs, s.tk); served {
				if i < 0 {
					ns = noFiring
				}
				ms.store(id, &key, ns)
				if i >= 0 && (s.before.IsZero() || at.Before(s.before)) && (!s.found || at.Before(best.At)) {
					pol.firing(best, c, i, at)
					s.bestK, s.found = k, true
				} else {
					s.bound(ns, id)
				}
				return true
			}
		}
	}
	var f escalation.Firing
	var ok bool
	var clk escalation.Clock
	cycleClock(&clk, c, cal, fired)
	atNow(&clk, s.st.lastAt)
	f, ok = s.lad.Next(&clk, s.tk)
	s.st.levelErrors(&clk, s.record)
	at = noFiring
	if ok {
		at, keyed = memoInstant(f.At)
	}
	if keyed {
		ms.store(id, &key, at)
	} else {
		at = math.MinInt64 // too far to hold: no bound
	}
	if ok && (s.before.IsZero() || f.At.Before(s.before)) && (!s.found || f.At.Before(best.At)) {
		*best, s.bestK, s.found = f, k, true
	} else {
		s.bound(at, id)
	}
	return true
}

// levelBound returns the bound of level i of p's ladder on a running
// clock (as boundNanos works it out: from, due, base and target as there),
// no earlier than start, with its threshold; ok is false when it leaves
// the int64 range, and fires false when the level cannot fire on a
// cycle's clock (a window level, or one that needs a target the clock has
// not).
func (p *compiled) levelBound(i int, from, due, start int64, base, target time.Duration) (b int64, x time.Duration, ok, fires bool) {
	tr := &p.bounds.triggers[i]
	if tr.Kind != escalation.Elapsed && target <= 0 {
		return 0, 0, true, false // a percent or breach trigger needs a target
	}
	x, ok = threshold.Of(uint8(tr.Kind), tr.BasisPoints, tr.Offset, target)
	if !ok {
		return 0, 0, true, false // a window trigger: a cycle's clock has no window
	}
	b, _, ok = threshold.At(from, due, due != math.MinInt64, x, base, target)
	return max(b, start), x, ok, ok
}

// nextExact returns the first level of p's memoized ladder to fire on
// the clock of the running cycle c, counted in cal with the levels fired
// (those the ticket's conditions rule out among them, and those not
// watching its metric), as it stands at now: what [escalation.Ladder.Next]
// returns for the clock moved to now (cycleClock, then atNow): its index
// (-1 for none) and its instant, in Unix nanoseconds too (see firing). k
// is the clock's memo key (its instants from and due), nowNs now in Unix
// nanoseconds. It weighs first the level with the least bound
// (boundNanos's, no earlier than now), then only the levels whose bound is
// before the best instant found so far, or equal to it and earlier in the
// ladder: most often the calendar is asked for one level. A level's instant is the calendar's sum
// from the start of the cycle's running span, without moving the clock to
// now first, for a calendar with a zone other than UTC (whose sums are in
// its zone, from whichever instant); for the others (the always-open ones
// among them, whose sums keep the zone of the instant summed from) from
// now, as Next sums. It reports false (served) when it does not answer: an
// instant too far to hold, a clock that starts after now (a caution:
// Next's clock would start there too), or a level found to fire first
// whose condition no longer holds for tk; the caller then asks Next.
func (p *compiled) nextExact(c *cycle, cal *calendar.Calendar, k *firingKey, now time.Time, nowNs int64, tk *Ticket) (best int, bestAt time.Time, bestNs int64, served bool) {
	fromNs, due := k.from, k.due
	if fromNs == math.MinInt64 || fromNs > nowNs {
		return -1, time.Time{}, 0, false
	}
	from, start, startNs := c.from(), c.from(), fromNs
	if nowNs > fromNs {
		start, startNs = now, nowNs
	}
	trig := p.bounds.triggers
	left := ^k.fired & (uint64(1)<<uint(len(trig)) - 1)
	first, firstB, firstX := -1, int64(0), time.Duration(0)
	for l := left; l != 0; l &= l - 1 {
		i := bits.TrailingZeros64(l)
		b, x, ok, can := p.levelBound(i, fromNs, due, startNs, c.Base, c.Target)
		if !ok {
			return -1, time.Time{}, 0, false // past the int64 range
		}
		if can && (first < 0 || b < firstB) {
			first, firstB, firstX = i, b, x
		}
	}
	if first < 0 {
		return -1, time.Time{}, 0, true
	}
	zoned := cal.Location() != time.UTC
	elapsed, counted := c.Base, startNs == fromNs
	best = -1
	// The first level, then the others whose bound is before the instant
	// found, or equal and earlier in the ladder.
	i, x, l := first, firstX, left&^(1<<uint(first))
	for {
		at := start // the level's instant, as Next's when finds it
		if zoned {
			if x > c.Base {
				if a := cal.Add(from, x-c.Base); a.After(start) {
					at = a
				}
			}
		} else {
			if !counted {
				elapsed += cal.Between(from, now)
				counted = true
			}
			if x > elapsed {
				at = cal.Add(start, x-elapsed)
			}
		}
		if d := p.bounds.levels[i].During; d != nil {
			at = d.NextOpen(at)
		}
		if at.Before(calendar.End) {
			ns, held := memoInstant(at)
			if !held {
				return -1, time.Time{}, 0, false
			}
			if best < 0 || ns < bestNs || ns == bestNs && i < best {
				best, bestNs, bestAt = i, ns, at
			}
		}
		for i = -1; l != 0 && i < 0; l &= l - 1 {
			j := bits.TrailingZeros64(l)
			b, xj, _, can := p.levelBound(j, fromNs, due, startNs, c.Base, c.Target)
			if can && (best < 0 || b < bestNs || b == bestNs && j < best) {
				i, x = j, xj
			}
		}
		if i < 0 {
			break
		}
	}
	if best < 0 {
		return -1, time.Time{}, 0, true
	}
	if lv := &p.bounds.levels[best]; lv.When != nil && (lv.WhenTicket == nil || !lv.WhenTicket(tk)) {
		return -1, time.Time{}, 0, false // Next asks the condition, and then the levels after it
	}
	return best, bestAt, bestNs, true
}

// firing sets *f to the firing of level i of p's ladder at the instant at
// on the clock of the cycle c, as [escalation.Ladder.Next] gives it.
func (p *compiled) firing(f *escalation.Firing, c *cycle, i int, at time.Time) {
	lv := &p.bounds.levels[i]
	*f = escalation.Firing{Ladder: p.ladder.Name(), Level: lv.Name, Index: i, Metric: string(c.Metric),
		Cycle: int(c.N), At: at, Actions: lv.Actions}
}

// clock searches the clock clk of st.open[k] (a cycle's as it stood at
// the start of its running span, or the window's: k is windowCycle)
// without memos, from st.lastAt: only a firing earlier than the one found
// so far, and before the limit, replaces it.
func (s *search) clock(best *escalation.Firing, clk *escalation.Clock, k int) {
	s.rest = math.MinInt64 // a clock without memos: no bound known
	atNow(clk, s.st.lastAt)
	var f escalation.Firing
	var ok bool
	switch {
	case k == windowCycle && (s.found || s.before.IsZero()):
		// Of a window level and a cycle's level at one instant, the
		// one earlier in the ladder comes first.
		f, ok = s.lad.Next(clk, s.tk)
		ok = ok && (!s.found || f.At.Before(best.At) || (f.At.Equal(best.At) && f.Index < best.Index))
	case s.found:
		f, ok = s.lad.NextBefore(clk, s.tk, best.At) // only an earlier firing replaces best
	case !s.before.IsZero():
		f, ok = s.lad.NextBefore(clk, s.tk, s.before)
	default:
		f, ok = s.lad.Next(clk, s.tk)
	}
	s.st.levelErrors(clk, s.record)
	if ok {
		*best, s.bestK, s.found = f, k, true
	}
}

// firingBound returns an instant before which no escalation level fires
// for the ticket as it stands under its policy pol, whatever instant it is
// asked at before its next change, in Unix nanoseconds (an instant too far
// to hold replaced by a bound short of it, see fireNanos), and false when
// none can fire; cheaper than nextFiring, it reads no calendar. ms, if not
// nil, holds bounds for the clocks: a clock found there is not computed
// again, and the bound of one computed is kept there. by says which clock
// gives the bound, as firingMemos.least holds it.
func (e *Engine) firingBound(st *State, pol *compiled, ms *firingMemos) (least int64, by int32, ok bool) {
	if ms == nil || pol == nil || !pol.bounds.cycles && (pol.ladder == nil || pol.ladder.WindowMask() != 0 || len(st.x().olas) > 0 && pol.watchesOLAs()) {
		least, ok = e.clockBounds(st, pol, ms, ms)
		return least, 0, ok
	}
	// Only running cycles' clocks (most ladders): one walk of them, without
	// gathering them.
	if !st.Created() || st.Closed() {
		return noFiring, -1, false
	}
	lad := pol.ladder
	cal := calOf(pol, st)
	tmask := lad.TicketMask()
	ticketFired := st.x().fired & tmask
	ticketFired |= ms.ruledOut(&st.ticket, ^ticketFired)
	least, by = noFiring, -1
	cycles := st.cycles
	for _, i := range st.open {
		c := &cycles[i]
		if !c.running() {
			continue
		}
		watched, ok := pol.slotMask(c.Metric)
		if !ok {
			watched = pol.scanMask(c.Metric)
		}
		fired, ok := levelsLeft(c, watched|tmask, ticketFired, lad)
		if !ok {
			continue
		}
		// ms.lookup, in line: a memo found costs no call.
		at, hit := int64(0), false
		if m := ms.memoSlot(int32(i)); m.holds(int32(i)) {
			if k := &m.key; k.fired == fired && k.base == c.Base && k.target == c.Target && k.cal == cal {
				from, ok1 := memoInstant(c.from())
				due, ok2 := memoInstant(c.due)
				at, hit = m.at, ok1 && ok2 && k.from == from && k.due == due
			}
		}
		if !hit {
			at = cycleBound(pol, c, cal, fired, int32(i), &st.ticket, ms)
		}
		if at < least {
			by = int32(i) + 1 // a conditional move, as min below
		}
		least = min(least, at)
	}
	return least, by, least != noFiring
}

// openedBound is firingBound after an event whose only changes that may
// move the bound opened cycles at t (see State.boundOpened), for a ladder
// whose bound may be kept (ladderBounds.kept) and the memos ms: the least
// of the bound kept in st (none when zero), which stands for every other
// clock, and of the bounds of the running cycles that started at t (those
// opened, and any other that started then, whose bound is worked out
// again), and which clock gives it (see firingMemos.least).
func (e *Engine) openedBound(st *State, pol *compiled, ms *firingMemos, t time.Time) (least int64, by int32, ok bool) {
	least, by = st.fireAt, ms.least
	if least == 0 {
		least, by = noFiring, -1
	}
	cal := calOf(pol, st)
	tmask := pol.ladder.TicketMask()
	ticketFired := st.x().fired & tmask
	ticketFired |= ms.ruledOut(&st.ticket, ^ticketFired)
	ts, tn := t.Unix(), t.Nanosecond() // no running cycle starts after t
	for _, i := range st.open {
		c := &st.cycles[i]
		if !c.running() || c.Start.Unix() != ts || c.Start.Nanosecond() != tn {
			continue
		}
		fired, ok := pol.cycleFired(c, tmask, ticketFired)
		if !ok {
			continue
		}
		at := cycleBound(pol, c, cal, fired, int32(i), &st.ticket, ms)
		if at < least {
			by = int32(i) + 1
		}
		least = min(least, at)
	}
	return least, by, least != noFiring
}

// boundOpen, added to State.fireBy with boundKept, says that cycles
// opened at the event's instant since st.fireAt was found, and that no
// other change that may move it was made (see State.boundOpened). Engine
// ids never reach it.
const boundOpen = 1 << 62

// boundOpened marks the opening of a cycle at the event's instant: a clock
// that starts running moves the bound on the next firing only by its own
// bound, so that the bound kept stands for the other clocks (see
// Engine.openedBound). A later mark of another change clears it with
// st.fireBy (see boundStale).
func (st *State) boundOpened() { st.fireBy |= boundOpen }

// clockBounds is firingBound for every ladder: the clocks of the running
// cycles, the OLA cycles and the window, gathered by ladderClocks. With
// wm (ms), the walk answers for the running cycles; without, every clock
// is gathered.
func (e *Engine) clockBounds(st *State, pol *compiled, ms, wm *firingMemos) (int64, bool) {
	var buf [4]ladderClock
	clocks, cal, least := e.ladderClocks(st, pol, &st.ticket, buf[:], wm, ms) // least: the least bound from wm
	for i := range clocks {
		lc := &clocks[i]
		c, ccal := e.source(st, lc, cal)
		var key firingKey
		keyed := false
		if ms != nil && c != nil {
			key, keyed = memoKey(c, ccal, lc.fired)
		}
		if keyed {
			// An OLA cycle's, unless the walk did not answer for the
			// running cycles.
			if at, hit := ms.find(lc.id, &key); hit {
				least = min(least, at)
				continue
			}
		}
		var clk escalation.Clock
		e.clock(&clk, st, lc, c, ccal)
		at := int64(noFiring)
		if b, ok := pol.ladder.NotBefore(&clk, &st.ticket); ok {
			var held bool
			if at, held = fireNanos(b); !held {
				keyed = false // too far to memoize: taken as it is
			}
		}
		if keyed {
			ms.store(lc.id, &key, at)
		}
		least = min(least, at)
	}
	return least, least != noFiring
}

// windowFired returns the window levels fired in the window that closes
// at closes: none when they fired in an earlier window.
func (st *State) windowFired(closes time.Time) uint64 {
	if m := st.x(); m.winFor.Equal(closes) {
		return m.winFired
	}
	return 0
}

// setFire records in st the instant at of its next firing, or with
// bound a bound on it; none can fire when not found. st.fireAt holds it in
// Unix nanoseconds, zero for none (see fireNanos).
func (st *State) setFire(by uint64, at time.Time, found, bound bool) {
	st.fireBy, st.fireBound, st.fireAt = by, bound, 0
	if found {
		ns, held := fireNanos(at)
		st.fireAt, st.fireBound = ns, bound || !held
	}
}

// keepBound records in st, for the engine id, the bound b on its next
// firing in Unix nanoseconds (noFiring: none can fire), and in ms, if not
// nil, the clock by that gives it (see firingMemos.least).
func (st *State) keepBound(id uint64, b int64, by int32, ms *firingMemos) {
	switch b {
	case noFiring:
		b, by = 0, -1
	case 0:
		b = -1 // zero says none
	}
	st.fireBy, st.fireBound, st.fireAt = id, true, b
	if ms != nil {
		ms.least = by
	}
}

// fireNanos returns the instant t in Unix nanoseconds, and true, or false
// with a bound short of it in its place: for an instant too far to hold
// (see memoInstant), or at zero, which says none.
func fireNanos(t time.Time) (int64, bool) {
	ns, ok := memoInstant(t)
	switch {
	case !ok || ns == math.MinInt64:
		if t.Unix() > 0 {
			return memoLast, false // past 2242
		}
		return math.MinInt64 + 1, false // before 1698: no instant held is earlier
	case ns == 0:
		return -1, false
	}
	return ns, true
}

// memoLast is the last instant a memo holds, in Unix nanoseconds.
const memoLast = memoSpan*1e9 - 1

// fireAfter reports whether st.fireAt, the next firing or a bound on it
// (not none), is after t; false when t is too far to tell.
func (st *State) fireAfter(t time.Time) bool {
	sec := t.Unix() // as memoInstant, without the zero instant; cheap enough to inline
	return uint64(sec+memoSpan) < 2*memoSpan && st.fireAt > sec*1e9+int64(t.Nanosecond())
}

// fireDue reports whether a level of st may fall due by t: false when the
// next firing, or a bound on it, is known and after t, or none can fire
// (fireUntil's first test; inlined into apply, which calls fireUntil only
// then).
func (st *State) fireDue(by uint64, t time.Time) bool {
	return st.fireBy != by || st.fireAt != 0 && !st.fireAfter(t)
}

// peekFiring returns the instant of the next firing without changing st.
func (e *Engine) peekFiring(st *State) (time.Time, bool) {
	if st.fireBy == e.id && st.fireAt == 0 {
		return time.Time{}, false
	}
	if st.fireBy == e.id && !st.fireBound {
		return memoTime(st.fireAt), true
	}
	// A copy of the ticket, so that st does not escape to the heap; a peek
	// records no failure.
	tk := st.ticket
	var f escalation.Firing
	pol, _ := e.policyPrio(st)
	_, ok := e.nextFiring(st, pol, &tk, false, time.Time{}, nil, &f)
	return f.At, ok
}

// settled returns st, or a copy of it with the levels due by at fired
// and a ticket solved long enough closed, as Advance would do; st is not
// changed.
func (e *Engine) settled(st *State, at time.Time) *State {
	if c, ok := e.closeAt(st); !ok || c.After(at) {
		if pol, _ := e.policyPrio(st); pol == nil || pol.ladder == nil {
			return st
		}
		if st.fireBy == e.id && (st.fireAt == 0 || st.fireAfter(at)) {
			return st // no level fires by at
		}
		if next, ok := e.peekFiring(st); !ok || next.After(at) {
			return st
		}
	}
	s := st.Clone()
	e.advanceTo(&s, at)
	return &s
}

// fire fires, in time order, every level that falls due up to t
// (inclusive) and returns how many fired. fresh says st changed since its
// levels were last checked (an event was just applied): a level's When
// that fails is recorded only in a check after a change, so that a host
// that advances a state more often records the same failures. It leaves
// in st the instant of the next firing.
func (e *Engine) fire(st *State, t time.Time, fresh bool) int {
	return e.fireUntil(st, t, fresh, true)
}

// fireUntil is fire; without exact, it looks only for the levels due by t
// and leaves no next firing: cheaper for a caller about to change st. It
// then leaves, at most, the least of the clocks' bounds when the search
// walked them all and found none due (see ladderBounds.searchKept), which
// the event keeps unless it marks a change; else the next firing unknown.
func (e *Engine) fireUntil(st *State, t time.Time, fresh, exact bool) int {
	if !e.ladders {
		return 0
	}
	if st.fireBy == e.id && (st.fireAt == 0 || st.fireAfter(t)) {
		return 0 // nothing changed since the next firing was computed
	}
	if !st.Created() || st.Closed() {
		// No level fires before a ticket's creation (most calls here: the
		// event that creates it) or after its close; as nextFiring finds.
		if exact {
			st.setFire(e.id, time.Time{}, false, false)
		} else {
			st.fireBy = 0
		}
		return 0
	}
	n := 0
	var f escalation.Firing
	var before time.Time // with exact, no limit
	if !exact {
		before = t.Add(time.Nanosecond)
	}
	// Each firing marks one level of one open cycle, of the ticket or of the
	// window. A firing's actions may open cycles (an assign opens the new
	// team's OLA cycle), which a ladder handing the ticket back and forth
	// watches again: such a chain stops at the limit, its levels left due
	// for the next call.
	for limit := (len(st.open)+len(st.x().olas)+1)*escalation.MaxLevels + 1; limit > 0; limit-- {
		// The memos of the policy in force now: a firing's actions may
		// have moved the ticket to another policy, with another ladder.
		pol, _ := e.indexed(st)
		ms := st.x().memos // those kept for this ladder found without a call, as in fireAfterEvent
		if ms == nil || pol == nil || ms.lad != pol.ladder || ms.lad == nil {
			ms = e.memos(st, pol, false)
		}
		k, ok, rest, by := e.nextFiringRest(st, pol, &st.ticket, fresh, before, ms, &f)
		if !ok || f.At.After(t) {
			switch {
			case exact:
				st.setFire(e.id, f.At, ok, false)
				if ms != nil {
					ms.least = firingBy(st, k, ok)
				}
			case !ok && rest != math.MinInt64 && pol.bounds.searchKept:
				// No level is due by t, and the search walked every clock
				// with its memo: the least of their bounds is the bound
				// firingBound would find now, which the event keeps unless
				// it marks a change (see fireAfterEvent).
				st.keepBound(e.id, rest, by, ms)
			default:
				st.fireBy = 0
			}
			break
		}
		e.applyFiring(st, k, &f)
		fresh = true // the firing changed st
		n++
	}
	return n
}

// fireAfterEvent fires the levels due at t, the instant of the event just
// applied, whose condition the event made true; pol is the policy in force
// (as e.policyPrio(st) finds it). Most events leave no level due: a bound on the
// next firing, cheaper to find, tells so, and stands for the firing until
// the next change, unless a level's condition may fail.
func (e *Engine) fireAfterEvent(st *State, pol *compiled, t time.Time) {
	if !e.ladders {
		return
	}
	// A condition that may fail is asked at the check after every change,
	// which records its failures; the bound asks none.
	if pol == nil || !pol.bounds.clockWhen {
		if !st.Created() || st.Closed() {
			st.fireBy, st.fireBound, st.fireAt = e.id, true, 0 // none fires: firingBound's answer
			return
		}
		// The memos kept for this ladder, found without a call on the way
		// most events take; memos makes or empties them. (An emptied table
		// found for a policy without ladder is never read: the walk stops
		// first.)
		ms := st.x().memos
		var b int64
		var by int32
		var ok bool
		switch {
		case ms == nil || pol == nil || ms.lad != pol.ladder:
			ms = e.memos(st, pol, true)
			b, by, ok = e.firingBound(st, pol, ms)
		case st.fireBy == e.id|boundKept && pol.bounds.kept:
			// Nothing the bound reads changed since this engine found
			// st.fireAt, the bound or the next firing itself, before the
			// event (no mark cleared st.fireBy, see State.boundStale);
			// the memos held this ladder's answers through the event, so
			// that a change of an attribute a level reads was marked. The
			// walk would find that bound again, or one not after it.
			if st.fireAt == 0 || st.fireAfter(t) {
				st.fireBy = e.id
				return
			}
			e.fire(st, t, true)
			return
		case st.fireBy == e.id|boundKept|boundOpen && pol.bounds.opened:
			// As above, but cycles opened at t (State.boundOpened): the
			// bound kept stands for the other clocks.
			b, by, ok = e.openedBound(st, pol, ms, t)
		default:
			b, by, ok = e.firingBound(st, pol, ms)
		}
		if !ok {
			st.keepBound(e.id, noFiring, -1, ms)
			return
		} else if tn, tok := memoInstant(t); tok && b > tn {
			st.keepBound(e.id, b, by, ms)
			return
		}
	}
	e.fire(st, t, true)
}

// applyFiring records the firing f of the open cycle st.open[k] and applies
// its ticket actions at its instant.
func (e *Engine) applyFiring(st *State, k int, f *escalation.Firing) {
	t := f.At
	pol, prio := e.indexed(st)
	e.advance(st, t)
	bit := uint64(1) << uint(f.Index)
	x := Escalation{Ladder: f.Ladder, Level: f.Level, At: t, Actions: f.Actions}
	m := st.xw()
	if i := olaCycleOf(k); i >= 0 {
		c := &m.olas[i]
		x.Metric, x.Cycle = c.Metric, int(c.N)
		c.Fired |= bit
	} else if k == windowCycle {
		closes := e.windowClosesAt(st)
		m.winFired, m.winFor = st.windowFired(closes)|bit, closes
	} else {
		c := &st.cycles[st.open[k]]
		x.Metric, x.Cycle = c.Metric, int(c.N)
		if pol.ladder.TicketMask()&bit != 0 {
			m.fired |= bit
		} else {
			c.Fired |= bit
		}
	}
	st.boundStale()
	m.escalations = append(m.escalations, x)
	if t.After(st.lastAt) {
		st.lastAt = t
	}
	var changed Attrs
	team, status := st.ticket.Team, st.ticket.Status
	for _, a := range f.Actions {
		var ed edit
		switch a.Type {
		case escalation.SetPriority:
			ed.priority = a.Target
		case escalation.Assign:
			ed.team = a.Target
		case escalation.AddTags:
			ed.tags = a.Tags
		default:
			continue
		}
		from := st.ticket.Team
		changed |= st.write(&ed)
		st.handoff(t, from)
	}
	if changed != 0 {
		if st.touches(changed) {
			st.more.memos.forget(changed)
		}
		if e.rereads(st, changed) {
			pol, _ = e.reselect(st, pol, prio, t, false)
		}
		e.syncPauses(st, pol, calOf(pol, st), t)
		e.olaEvent(st, nil, t, team, status)
	}
}

// Advance fires the escalation levels that fall due up to at (inclusive),
// in time order, applying their set_priority, assign and add_tags actions
// to the ticket at their instants, and returns the new state and the
// levels fired. With [Config.CloseSolvedAfter], a ticket solved that long
// by at is closed at its own instant. A host calls it from the timer it set to
// [View.NextWake]; Apply does the same up to each event's instant before
// applying it, so a level never fires twice. Events earlier than the last
// firing are then out of order. Like Apply, Advance takes ownership of st.
func (e *Engine) Advance(st State, at time.Time) (State, []Escalation) {
	if !st.Created() || st.Closed() {
		return st, nil
	}
	if lim := st.ticket.CreatedAt.Add(maxSpan); at.After(lim) {
		at = lim
	}
	n0 := len(st.x().escalations)
	s := scratchPool.Get().(*scratch)
	s.st = st
	e.advanceTo(&s.st, at)
	st = s.st
	*s = scratch{}
	scratchPool.Put(s)
	esc := st.x().escalations
	if len(esc) == n0 {
		return st, nil
	}
	return st, append([]Escalation(nil), esc[n0:]...)
}

// checkLadders reports set_priority actions naming unknown priorities and
// window levels without a WhatsApp tracker to tell when windows close.
func (e *Engine) checkLadders(ladders map[string]*escalation.Ladder, errs *configErrors) {
	for _, name := range sortedKeys(ladders) {
		l := ladders[name]
		for i := range l.Len() {
			lv := l.Level(i)
			at := fmt.Sprintf("ladders.%s.levels[%d]", name, i)
			if lv.Scope() == escalation.PerWindow && e.whatsapp == nil {
				errs.add(at+".at", "level %s: a window trigger needs Config.WhatsApp (a tracker of the WhatsApp window); without one it never fires", quoteName(lv.Name))
			}
			for j, a := range lv.Actions {
				if _, ok := e.prioIdx[a.Target]; a.Type == escalation.SetPriority && !ok {
					errs.addErr(ErrUndefined, fmt.Sprintf("%s.actions[%d]", at, j), "set_priority: undefined priority %s (priorities: %s)", quoteName(a.Target), nameList(e.prios))
				}
			}
		}
	}
}

// firingMemos holds, for the running clocks of one ticket's ladder, an
// instant before which the clock fires no level: the bound
// [escalation.Ladder.NotBefore] gives after an event, or the exact next
// firing once [escalation.Ladder.Next] was asked. Each is kept with what
// it was computed from (firingKey): the clock at the start of its running
// span, its deadline, its calendar and its levels fired or ruled out by
// the ticket's conditions. Either answer holds for any clock equal in all
// of these at any later instant: business time runs from the span's
// start, and a firing exact at one instant is the firing at a later one
// up to it, since the levels due before fired then (fireUntil fires every
// level due by an event before applying it). So a memo is found by its
// key alone, whatever happened since: a cycle started, paused, resumed,
// re-targeted or recounted in another calendar, a level fired, a ticket
// attribute that a level's condition reads changed, each gives the clock
// another key; a stopped or paused cycle's clock is no longer asked.
//
// The state's instant never moves back while it keeps its memos (Apply
// refuses an earlier event, a firing only moves it on); a replay's
// recycled record empties them, and Clone and JSON drop them. Only a
// ladder whose conditions are all asked of the ticket alone is memoized
// ([escalation.Ladder.TicketWhenOnly]): its answers are then functions of
// the key, and no failure is left unrecorded; the window's clock never
// is.
type firingMemos struct {
	lad   *escalation.Ladder // the ladder the memos are for
	reads Attrs              // what the ladder's levels that declare it read (readsOf)
	// least says which clock gives st.fireAt, when this engine found it
	// last with these memos (the bound after an event, or the next
	// firing): 1 + the index in st.cycles of its cycle, -1 for none (none
	// can fire), 0 when not known. A stop or pause of another cycle does
	// not move it (see State.boundStopped). In the padding after reads.
	least int32
	// The answers of the ladder's RuledOut for the ticket (see ruledOut),
	// in 16 bytes: the table stays in a 288-byte size class, and its
	// head (these and the fields above) in 32 bytes, before the memos.
	known uint64 // the levels whose answer is kept
	ruled uint64 // those of them ruled out
	// m holds the memos, the memo of the clock id in its slot
	// memoSlot(id): a clock's memo replaces the one of another clock in
	// its slot. A replay's record gives each a cache line of its own
	// (see replayTicket).
	m [memoSlots]firingMemo
}

// readsOf returns the attributes that the conditions on the ticket alone
// of the levels of lad read, of the levels that declare them
// ([escalation.Ladder.Rereads], taken as sla's Attrs).
func readsOf(lad *escalation.Ladder) Attrs {
	var reads Attrs
	always := lad.Rereads(0)
	for a := Attrs(1); a != 0 && a <= AttrAll; a <<= 1 {
		if lad.Rereads(uint64(a))&^always != 0 {
			reads |= a
		}
	}
	return reads
}

// firingMemo is the bound of one clock; its tag says which: memoTag of
// the clock's id (the index in st.cycles of its cycle, or olaIndex of its
// OLA cycle), zero for none.
type firingMemo struct {
	key firingKey
	at  int64 // Unix nanoseconds; noFiring when no level can fire
	tag int32
}

// memoSlots is the number of memos a firingMemos holds.
const memoSlots = 4

// memoSlot returns the memo of the clock id, which holds it if any does.
func (ms *firingMemos) memoSlot(id int32) *firingMemo { return &ms.m[uint32(id)%memoSlots] }

// holds reports whether m is the memo of the clock id.
func (m *firingMemo) holds(id int32) bool { return m.tag == memoTag(id) }

// memoTag returns the tag of the memo of the clock id: never zero, the tag
// of an empty memo, for an id a memo may carry (a cycle's index in
// st.cycles, or olaIndex of an OLA cycle's; the window's clock is never
// memoized).
func memoTag(id int32) int32 { return id ^ math.MinInt32 }

// firingKey is what a clock's bound is computed from (see firingMemos),
// instants in Unix nanoseconds.
type firingKey struct {
	cal          *calendar.Calendar
	from, due    int64
	base, target time.Duration
	fired        uint64
}

// noFiring is the bound of a clock on which no level can fire.
const noFiring = math.MaxInt64

// memoSpan bounds the instants a memo holds: within about 272 years of
// 1970, Unix nanoseconds fit in an int64.
const memoSpan = 1 << 33

// memoInstant returns t in Unix nanoseconds (math.MinInt64 for the zero
// instant), and false when it is too far from 1970 to be memoized.
func memoInstant(t time.Time) (int64, bool) {
	if sec := t.Unix(); uint64(sec+memoSpan) < 2*memoSpan {
		return sec*1e9 + int64(t.Nanosecond()), true
	}
	return math.MinInt64, t.IsZero() // the zero instant is far before 1970
}

// memoTime returns the instant of Unix nanoseconds ns, in UTC.
func memoTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// memoBefore reports whether the instant ns is before t.
func memoBefore(ns int64, t time.Time) bool {
	n, ok := memoInstant(t)
	if !ok {
		return t.Unix() > 0 // t is past every instant a memo holds, or before
	}
	return ns < n
}

// memos returns the memos of the ladder of st's policy pol, emptied when they were kept for
// another ladder; nil when the ladder cannot be
// memoized, or when st has none and alloc is false.
func (e *Engine) memos(st *State, pol *compiled, alloc bool) *firingMemos {
	if pol == nil || !pol.bounds.memoized {
		return nil
	}
	ms := st.x().memos
	if ms == nil {
		if !alloc {
			return nil
		}
		ms = new(firingMemos)
		st.xw().memos = ms
	}
	if ms.lad != pol.ladder {
		*ms = firingMemos{lad: pol.ladder, reads: pol.reads}
	}
	return ms
}

// ruledOut returns the levels among mask of the ladder of ms that the
// conditions of tk, the ticket of the memos' state, rule out, as
// ms.lad.RuledOut(tk, mask) does. It asks only the levels whose answer is
// not kept, and keeps the new answers of those that declare what they
// read ([escalation.Level.WhenReads]): a condition on the ticket alone
// answers the same for a ticket that is the same in every attribute it
// reads. The answers a change of the ticket may change are dropped when
// it happens (State.touched).
func (ms *firingMemos) ruledOut(tk *Ticket, mask uint64) uint64 {
	if mask&^ms.known != 0 {
		ms.ask(tk, mask) // out of line: ruledOut is inlined into the walk
	}
	return ms.ruled & mask
}

// ask asks the levels among mask whose answer is not kept.
func (ms *firingMemos) ask(tk *Ticket, mask uint64) {
	ask := mask &^ ms.known
	ms.ruled = ms.ruled&^ask | ms.lad.RuledOut(tk, ask)
	ms.known |= ask &^ ms.lad.Rereads(0) // not those that declare nothing
}

// touches reports whether the change of the ticket's attributes a makes
// its memos drop answers they keep (see firingMemos.ruledOut): then
// st.more.memos.forget(a) must follow. Every change of the ticket after
// its creation goes through it: an event's and its routing rules' (apply),
// an escalation level's actions (applyFiring). Inlined: apply asks it
// after every event that changed the ticket.
func (st *State) touches(a Attrs) bool {
	m := st.more
	return m != nil && m.memos != nil && a&m.memos.reads != 0
}

// forget drops the answers of the levels whose condition reads an
// attribute among a.
func (ms *firingMemos) forget(a Attrs) { ms.known &^= ms.lad.Rereads(uint64(a)) }

// find returns the bound kept for the clock id with the key k.
func (ms *firingMemos) find(id int32, k *firingKey) (int64, bool) {
	if m := ms.memoSlot(id); m.holds(id) {
		return m.at, m.key.equal(k)
	}
	return 0, false
}

// lookup returns the bound kept for the clock id of the running cycle c,
// counted in cal with the levels fired, when its key is that of the
// clock; as find with memoKey's key, without building it.
func (ms *firingMemos) lookup(id int32, c *cycle, cal *calendar.Calendar, fired uint64) (int64, bool) {
	m := ms.memoSlot(id)
	if k := &m.key; !m.holds(id) || k.fired != fired || k.base != c.Base || k.target != c.Target || k.cal != cal {
		return 0, false
	}
	from, ok1 := memoInstant(c.from())
	due, ok2 := memoInstant(c.due)
	return m.at, ok1 && ok2 && m.key.from == from && m.key.due == due
}

// equal reports whether k and o are the same key, field by field (cheaper
// than comparing the structs, which calls memequal).
func (k *firingKey) equal(o *firingKey) bool {
	return k.from == o.from && k.fired == o.fired && k.due == o.due && k.base == o.base &&
		k.target == o.target && k.cal == o.cal
}

// store keeps at as the bound of the clock id with the key k, in place
// of the clock's former one.
func (ms *firingMemos) store(id int32, k *firingKey, at int64) {
	ms.put(id, k.cal, k.from, k.due, k.base, k.target, k.fired, at)
}

// put is store with the key's fields apart, written field by field: no
// temporary key or memo, whose copy by wide moves would wait on the
// narrow stores that built it.
func (ms *firingMemos) put(id int32, cal *calendar.Calendar, from, due int64, base, target time.Duration, fired uint64, at int64) {
	m := ms.memoSlot(id)
	m.key.cal, m.key.from, m.key.due, m.key.base, m.key.target, m.key.fired = cal, from, due, base, target, fired
	m.at, m.tag = at, memoTag(id)
}

// emptied returns ms with no memo, for another ticket; nil for nil.
func (ms *firingMemos) emptied() *firingMemos {
	if ms != nil {
		*ms = firingMemos{}
	}
	return ms
}

// ladderMask is the mask of a policy's ladder for one metric
// ([escalation.Ladder.Mask]).
type ladderMask struct {
	metric Metric
	mask   uint64
}

// ladderMasks returns the masks of the ladder lad for the metrics an engine
// names: built-in, custom (of every policy in ps) and OLA metrics, after
// maskSlots slots that hold one metric each, found by slotOf; nil without
// a ladder.
func ladderMasks(lad *escalation.Ladder, ps []*compiled) []ladderMask {
	if lad == nil {
		return nil
	}
	var out []ladderMask
	add := func(m Metric) {
		for _, x := range out {
			if len(x.metric) == len(m) && unsafe.StringData(string(x.metric)) == unsafe.StringData(string(m)) {
				return
			}
		}
		out = append(out, ladderMask{metric: m, mask: lad.Mask(string(m))})
	}
	// The metrics most cycles have first.
	for _, m := range []Metric{Resolution, FirstResponse, NextResponse} {
		add(m)
	}
	for _, p := range ps {
		for i := range p.Metrics {
			add(p.Metrics[i].Name)
		}
	}
	add(PeriodicUpdate)
	// The OLA metrics last, whatever came before (see watchesOLAs).
	for _, m := range OLAMetrics() {
		out = append(out, ladderMask{metric: m, mask: lad.Mask(string(m))})
	}
	// The slots come first: slot h holds the first metric whose slotOf is
	// h; an empty slot holds "" with its mask.
	table := make([]ladderMask, maskSlots, maskSlots+len(out))
	for h := range table {
		table[h] = ladderMask{mask: lad.Mask("")}
	}
	for i := len(out) - 1; i >= 0; i-- {
		table[slotOf(out[i].metric)] = out[i]
	}
	return append(table, out...)
}

// maskSlots is the number of slots that open a policy's masks table, in
// which ladderMask looks a metric up first.
const maskSlots = 16

// slotOf returns the slot of the metric m in a masks table, from its
// length and first byte.
func slotOf(m Metric) int {
	if len(m) == 0 {
		return 0
	}
	return (len(m) + int(m[0])) & (maskSlots - 1)
}

// watchesOLAs reports whether a level of p's ladder may fire on an OLA
// cycle, from the masks of the OLA metrics that close p.masks.
func (p *compiled) watchesOLAs() bool {
	n := len(p.masks)
	return n < 2 || p.masks[n-1].mask|p.masks[n-2].mask != 0
}

// ladderMask returns the mask of p's ladder for the metric m, found by the
// identity of the string first: the engine's cycles carry the names
// ladderMasks took.
func (p *compiled) ladderMask(m Metric) uint64 {
	if mask, ok := p.slotMask(m); ok {
		return mask
	}
	return p.scanMask(m)
}

// slotMask is ladderMask when m is in its slot, and false otherwise: the
// walks test the slot in line and call scanMask past it.
func (p *compiled) slotMask(m Metric) (uint64, bool) {
	if h := slotOf(m); h < len(p.masks) && p.masks[h].is(m) {
		return p.masks[h].mask, true
	}
	return 0, false
}

// scanMask is ladderMask past the metric's slot: the table past the
// slots, then the ladder.
func (p *compiled) scanMask(m Metric) uint64 {
	for i := min(maskSlots, len(p.masks)); i < len(p.masks); i++ {
		if p.masks[i].is(m) {
			return p.masks[i].mask
		}
	}
	return p.ladder.Mask(string(m))
}

// is reports whether x is the mask of the metric m, by the identity of the
// string: the engine's cycles carry the names ladderMasks took.
func (x *ladderMask) is(m Metric) bool {
	return len(x.metric) == len(m) && unsafe.StringData(string(x.metric)) == unsafe.StringData(string(m))
}

// firingBy returns what firingMemos.least holds for the firing that
// nextFiring found (found) on the clock k of st.
func firingBy(st *State, k int, found bool) int32 {
	switch {
	case !found:
		return -1
	case k >= 0:
		return int32(st.open[k]) + 1
	}
	return 0 // an OLA cycle's or the window's
}
