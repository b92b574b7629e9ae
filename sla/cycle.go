package sla

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
)

// This file holds every rule of one cycle of a metric: how it opens,
// runs, pauses, resumes, stops and reopens, how its elapsed time and
// deadline are counted in the calendar of the policy in force, when it is
// breached, and its verdict.

// ClockState is the state of one cycle of a metric.
type ClockState string

// Clock states. A cycle that is breached stays breached (even when it is
// paused, stopped, re-targeted to a longer target or resumed).
const (
	ClockRunning   ClockState = "running"
	ClockPaused    ClockState = "paused"
	ClockMet       ClockState = "met"       // stopped before its deadline
	ClockBreached  ClockState = "breached"  // running at or past its deadline, or stopped at or after it
	ClockCancelled ClockState = "cancelled" // stopped by solving or closing before its deadline; not counted
)

// phase is a cycle's [ClockState] in one byte.
type phase uint8

// The phases, one per ClockState. The zero phase is none.
const (
	phRunning phase = iota + 1
	phPaused
	phMet
	phBreached
	phCancelled
)

var phaseStates = [...]ClockState{phRunning: ClockRunning, phPaused: ClockPaused, phMet: ClockMet,
	phBreached: ClockBreached, phCancelled: ClockCancelled}

// clockState returns the ClockState of p ("" for none).
func (p phase) clockState() ClockState {
	if int(p) < len(phaseStates) {
		return phaseStates[p]
	}
	return ""
}

// String returns the ClockState's name.
func (p phase) String() string { return string(p.clockState()) }

// phaseOf returns the phase of s; false for an unknown state.
func phaseOf(s ClockState) (phase, bool) {
	for p, cs := range phaseStates {
		if cs == s && p > 0 {
			return phase(p), true
		}
	}
	return 0, false
}

// span is a stretch of time during which a cycle was paused (or, after a
// reopening, stopped). To is zero while the pause lasts.
type span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// cycle is one measurement of a metric: it starts, may pause and resume,
// and stops. Its target comes from the policy in force at the ticket's
// priority; a cycle with no target is tracked (so that a policy that
// starts to apply later measures from the real start) but not reported.
// The cycle counts from Start to its stop (or now) except during its
// pauses.
//
// Its stop is [packed] against Start, and its recorded breach is most
// often its deadline, which a flag says: read them through stopAt and
// breachAt, write them and the deadline through setStop, setDue,
// breachAtDue and setBreach.
type cycle struct {
	Metric Metric
	Start  time.Time // when the cycle started
	// due is the deadline; zero while paused before reaching the target.
	due     time.Time
	stopped packed // when it stopped; zero while open
	// ext holds what few cycles need: pauses, a breach that is not the
	// deadline, a stop that cannot be packed; nil until first needed.
	ext    *cycleExt
	Target time.Duration // 0: no target
	Base   time.Duration // business time counted before the current span (all of it once paused or stopped)
	Fired  uint64        // bit i: level i of the policy's ladder fired in this cycle
	N      int32         // 1-based cycle number within the metric
	Cancel bool          // stopped by solving or closing (cancelled unless breached)
	State  phase         // running, paused, met, breached or cancelled
	// marks holds what a cycle says of its breach and of its ext without
	// reading the ext (see cycleMarks).
	marks cycleMarks
	// counted says that Base sums the cycle's counting spans in the
	// calendar its ticket counts in now: set when the cycle opens or is
	// recounted, cleared when the ticket's policy or calendar changes
	// while it is stopped, false in a cycle read from JSON. A view of a
	// cycle whose state one engine built then reads its time from Base
	// (see clock).
	counted bool
}

// cycleMarks are a cycle's flags of its breach and of what its ext holds:
// a cycle whose ext (a separate allocation, often kept empty from a
// recycled record) holds neither pauses nor a breach reads no ext.
type cycleMarks uint8

const (
	// breachDue says that the recorded breach (sticky) is the deadline;
	// otherwise it is ext's breach, if any (oddBreach).
	breachDue cycleMarks = 1 << iota
	// oddBreach says that ext holds a breach that is not the deadline.
	oddBreach
	// hasPauses says that ext holds pauses.
	hasPauses
)

// cycleExt is the part of a cycle that few cycles need.
type cycleExt struct {
	// pauses holds the pauses in order (the last has no To while paused).
	pauses []span
	// odd holds the recorded breach when it is not the deadline (0) and
	// the stop when it cannot be packed (1); nil when neither.
	odd *[2]time.Time
}

// x returns the cycle's ext, allocating it on first use.
func (c *cycle) x() *cycleExt {
	if c.ext == nil {
		c.ext = &cycleExt{}
	}
	return c.ext
}

// oddBreachAt returns the breach ext holds (zero when none).
func (c *cycle) oddBreachAt() time.Time {
	if c.marks&oddBreach == 0 {
		return time.Time{}
	}
	return c.ext.odd[0]
}

// setOdd sets odd instant i of the cycle.
func (c *cycle) setOdd(i int, t time.Time) {
	if i == 0 {
		if c.marks&oddBreach == 0 && t.IsZero() {
			return // none to clear
		}
		c.marks &^= oddBreach
		if !t.IsZero() {
			c.marks |= oddBreach
		}
	}
	switch {
	case c.ext != nil && c.ext.odd != nil:
	case t.IsZero():
		return
	case c.ext == nil:
		// One allocation for the ext and its odd instants.
		b := &struct {
			x cycleExt
			o [2]time.Time
		}{}
		b.x.odd = &b.o
		c.ext = &b.x
	default:
		c.ext.odd = new([2]time.Time)
	}
	c.ext.odd[i] = t
}

// stopAt is when the cycle stopped; zero while it is open.
func (c *cycle) stopAt() time.Time {
	if c.stopped == farInstant {
		return c.ext.odd[1]
	}
	return c.stopped.unpack(c.Start)
}

// setStop sets when the cycle stopped (zero: open).
func (c *cycle) setStop(t time.Time) {
	p, ok := pack(c.Start, t)
	switch {
	case !ok:
		p = farInstant
		c.setOdd(1, t)
	case c.stopped == farInstant:
		c.ext.odd[1] = time.Time{}
	}
	c.stopped = p
}

// breachAt is the recorded breach; zero when none.
func (c *cycle) breachAt() time.Time {
	if c.marks&breachDue != 0 {
		return c.due
	}
	return c.oddBreachAt()
}

// hasBreach reports whether a breach is recorded.
func (c *cycle) hasBreach() bool {
	if c.marks&breachDue != 0 {
		return !c.due.IsZero()
	}
	return c.marks&oddBreach != 0
}

// setDue sets the deadline; a breach recorded at the former deadline
// stays where it was.
func (c *cycle) setDue(t time.Time) {
	if c.marks&breachDue != 0 && c.due != t {
		c.setBreach(c.due)
	}
	c.due = t
}

// breachAtDue records the breach at the deadline.
func (c *cycle) breachAtDue() {
	c.setOdd(0, time.Time{})
	c.marks |= breachDue
}

// setBreach records the breach at t (zero: none).
func (c *cycle) setBreach(t time.Time) {
	c.marks &^= breachDue
	c.setOdd(0, t)
}

// dueBy reports whether the cycle has a deadline that is not after t.
func (c *cycle) dueBy(t time.Time) bool { return !c.due.IsZero() && !c.due.After(t) }

// cycleJSON is the JSON form of a cycle, in the form's field order (cycle
// orders its fields to take less memory).
type cycleJSON struct {
	Metric     Metric        `json:"metric"`
	N          int           `json:"n"`
	Start      time.Time     `json:"start"`
	Stop       time.Time     `json:"stop,omitzero"`
	Pauses     []span        `json:"pauses,omitempty"`
	Target     time.Duration `json:"target_ns"`
	Base       time.Duration `json:"base_ns"`
	Deadline   time.Time     `json:"deadline,omitzero"`
	BreachedAt time.Time     `json:"breached,omitzero"`
	State      ClockState    `json:"state"`
	Fired      uint64        `json:"fired,omitempty"`
	Cancel     bool          `json:"cancel,omitempty"`
}

// maxCycleN is the largest cycle number a cycle holds.
const maxCycleN = 1<<31 - 1

func (c *cycle) toJSON() cycleJSON {
	return cycleJSON{Metric: c.Metric, N: int(c.N), Start: c.Start, Stop: c.stopAt(), Pauses: c.spans(), Target: c.Target,
		Base: c.Base, Deadline: c.due, BreachedAt: c.breachAt(), State: c.State.clockState(), Fired: c.Fired, Cancel: c.Cancel}
}

// fromJSON returns the cycle j describes; an error for a cycle number
// beyond what a cycle holds or an unknown state (the State's checks
// refuse the others).
func (j *cycleJSON) fromJSON() (cycle, error) {
	if j.N > maxCycleN || j.N < -maxCycleN {
		return cycle{}, fmt.Errorf("cycle number %d out of range", j.N)
	}
	p, ok := phaseOf(j.State)
	if !ok {
		return cycle{}, fmt.Errorf("unknown state %q", j.State)
	}
	c := cycle{Metric: j.Metric, N: int32(j.N), Start: j.Start, Target: j.Target,
		Base: j.Base, State: p, Fired: j.Fired, Cancel: j.Cancel}
	c.setStop(j.Stop)
	c.setDue(j.Deadline)
	if !j.BreachedAt.IsZero() && j.BreachedAt == j.Deadline {
		c.breachAtDue()
	} else {
		c.setBreach(j.BreachedAt)
	}
	if len(j.Pauses) > 0 {
		c.x().pauses = j.Pauses
		c.marks |= hasPauses
	}
	return c, nil
}

// spans returns the cycle's pauses, in order; the caller may change an
// element in place but not the slice.
func (c *cycle) spans() []span {
	if c.marks&hasPauses == 0 {
		return nil
	}
	return c.ext.pauses
}

// addSpan appends p to the cycle's pauses.
func (c *cycle) addSpan(p span) {
	if c.ext == nil {
		// One allocation for the ext and its first pause.
		b := &struct {
			x cycleExt
			p [1]span
		}{}
		b.x.pauses = b.p[:0]
		c.ext = &b.x
	}
	c.ext.pauses = append(c.ext.pauses, p)
	c.marks |= hasPauses
}

// cloneExt gives the cycle its own copy of its ext (see [State.Clone]).
func (c *cycle) cloneExt() {
	if c.ext == nil {
		return
	}
	x := *c.ext
	x.pauses = slices.Clone(x.pauses)
	if x.odd != nil {
		o := *x.odd
		x.odd = &o
	}
	c.ext = &x
}

// newCycle opens cycle n of m at t with the target (0 for none) counted
// in cal.
func newCycle(m Metric, n int32, t time.Time, target time.Duration, cal *calendar.Calendar) cycle {
	var c cycle
	var due time.Time
	if target > 0 {
		due = cal.Add(t, target)
	}
	c.begin(m, n, t, target, due)
	return c
}

// begin makes c, in its place, cycle n of m running from t with the
// target (0 for none) and its deadline due (zero for none), counted from
// its start; c keeps its ext (nil, or an empty one a replay's recycled
// record left, see replayTicket.reset).
func (c *cycle) begin(m Metric, n int32, t time.Time, target time.Duration, due time.Time) {
	c.Metric, c.Start, c.due, c.stopped = m, t, due, noInstant
	c.Target, c.Base, c.Fired, c.N = target, 0, 0, n
	c.Cancel, c.State, c.marks, c.counted = false, phRunning, 0, true
}

func (c *cycle) open() bool    { return c.stopped == noInstant }
func (c *cycle) running() bool { return c.open() && c.State == phRunning }

// from is the start of the current counting span.
func (c *cycle) from() time.Time {
	if ps := c.spans(); len(ps) > 0 {
		return ps[len(ps)-1].To
	}
	return c.Start
}

// elapsed is the business time counted up to at.
func (c *cycle) elapsed(cal *calendar.Calendar, at time.Time) time.Duration {
	if c.running() {
		if f := c.from(); at.After(f) {
			return c.Base + cal.Between(f, at)
		}
	}
	return c.Base
}

// reach is the instant at which the cycle's elapsed time reached (or, when
// it is running, will reach) d; false when it is paused or stopped before.
func (c *cycle) reach(cal *calendar.Calendar, d time.Duration) (time.Time, bool) {
	if c.running() && d >= c.Base {
		return cal.Add(c.from(), d-c.Base), true
	}
	var cum time.Duration
	from := c.Start
	for _, p := range c.spans() {
		e := cal.Between(from, p.From)
		if cum+e >= d {
			return cal.Add(from, d-cum), true
		}
		if p.To.IsZero() {
			return time.Time{}, false
		}
		cum += e
		from = p.To
	}
	if c.open() {
		return cal.Add(from, d-cum), true
	}
	if e := cal.Between(from, c.stopAt()); cum+e >= d {
		return cal.Add(from, d-cum), true
	}
	return time.Time{}, false
}

// setDeadline recomputes the deadline from the target.
func (c *cycle) setDeadline(cal *calendar.Calendar) {
	var due time.Time
	if c.Target > 0 {
		if d, ok := c.reach(cal, c.Target); ok {
			due = d
		}
	}
	c.setDue(due)
}

// retarget gives the cycle a new target (0 for none), counted in cal, at
// the instant t; a deadline that is already past is a breach at t.
func (c *cycle) retarget(cal *calendar.Calendar, target time.Duration, t time.Time) {
	c.Target = target
	c.setDeadline(cal)
	c.breachAtChange(t)
}

// breachAtChange records a breach at t when a change at t (a new target,
// a reopening) leaves the cycle with its time already run out.
func (c *cycle) breachAtChange(t time.Time) {
	if c.Target > 0 && !c.hasBreach() && (c.Base >= c.Target || c.dueBy(t)) {
		c.setBreach(t)
	}
}

// breachTest is advance's test of a cycle's breach, small enough to
// inline into its loop: the Unix seconds of the deadline of a running
// cycle with a target (else noBreach), and whether that deadline is not
// after the instant of Unix seconds ts and nanoseconds tn (then advance
// records the breach, breachAtDueIf). The deadline is the instant the
// time runs out, so an event at the deadline itself is late. The
// instants are compared by wall clock, as the engine compares every
// instant (an event's loses its monotonic clock reading, if any, as it is
// applied), without time.Time.After's call.
//
// A zero deadline (none) is not after any instant since year 1:
// breachAtDueIf tells it apart, off the common path.
func (c *cycle) breachTest(ts int64, tn int) (int64, bool) {
	if c.State != phRunning || c.Target <= 0 {
		return noBreach, false // most cycles
	}
	ds := c.due.Unix()
	return ds, ds < ts || ds == ts && c.due.Nanosecond() <= tn
}

// noBreach is breachTest's deadline for a cycle no later instant
// breaches unless it changes.
const noBreach = math.MaxInt64

// breachAtDueIf records the breach at the deadline of a running cycle
// whose deadline is not after the instant breachTest was given, if it has
// a deadline and no breach yet.
func (c *cycle) breachAtDueIf() {
	if !c.due.IsZero() && !c.hasBreach() {
		c.breachAtDue()
	}
}

// pausedDeadline is the deadline of a cycle paused before reaching its
// target, were it to resume at t; zero when it has no target left.
func (c *cycle) pausedDeadline(cal *calendar.Calendar, t time.Time) time.Time {
	if c.Target > c.Base {
		return cal.Add(t, c.Target-c.Base)
	}
	return time.Time{}
}

// rebase recomputes Base with cal (the calendar of a new policy).
func (c *cycle) rebase(cal *calendar.Calendar) {
	c.Base, c.counted = 0, true
	from := c.Start
	for _, p := range c.spans() {
		c.Base += cal.Between(from, p.From)
		from = p.To
	}
	if !c.open() && !from.IsZero() {
		c.Base += cal.Between(from, c.stopAt())
	}
}

// reached reports whether the cycle's deadline is behind it: a deadline
// that has passed is an instant of the past, which pausing and resuming do
// not move.
func (c *cycle) reached() bool {
	return c.Target > 0 && c.Base >= c.Target && !c.due.IsZero()
}

// pause stops counting at t. It costs O(1) however many pauses the cycle
// had: the deadline is either passed (and stays) or unknown while paused.
func (c *cycle) pause(cal *calendar.Calendar, t time.Time) {
	c.Base += cal.Between(c.from(), t)
	c.addSpan(span{From: t})
	c.State = phPaused
	switch {
	case c.Target == 0 || c.Base < c.Target:
		c.setDue(time.Time{}) // unknown until it resumes
	case c.due.IsZero():
		c.setDeadline(cal)
	}
}

// resume counts again from t, in O(1) like pause.
func (c *cycle) resume(cal *calendar.Calendar, t time.Time) {
	ps := c.spans()
	ps[len(ps)-1].To = t
	c.State = phRunning
	if !c.reached() {
		c.setDeadline(cal) // from t: no pause to scan
	}
}

// stop stops the cycle at t and gives its verdict. cancel says it was
// stopped by solving or closing rather than by its own stop condition.
//
// Most stops are of a running cycle that never paused, with a deadline if
// it has a target, at an instant in its start's location that packs
// against it: stop counts and packs those itself, in one call (an open
// cycle's stop is not farInstant, so setStop has nothing to clear), and
// judges them met or cancelled unless breached (verdict). stopSlow, the
// general path, does the same for them, and the differential tests of
// stop hold the two to it.
//
// untold says that the cycle's State is never written out or handed out
// (a replay's record, see step.untold). Such a cycle without a target,
// stopped on the common path, is not counted: no view reports it, no
// later change of target or calendar reads its Base (recompute and reopen
// count it again from its start), so only a State's JSON would show its
// time. Its Base is then short, and counted false says so.
func (c *cycle) stop(cal *calendar.Calendar, t time.Time, cancel, untold bool) {
	if c.State != phRunning || c.marks&hasPauses != 0 || t.Location() != c.Start.Location() {
		c.stopSlow(cal, t, cancel)
		return
	}
	p, ok := packUnix(c.Start.Unix(), t.Unix(), t.Nanosecond())
	if !ok || t.IsZero() {
		c.stopSlow(cal, t, cancel) // as pack: too far to pack, or the zero instant
		return
	}
	// One test of the target, whose two ways do not ask it again (about
	// half of the cycles have none).
	if c.Target > 0 {
		if c.due.IsZero() {
			c.stopSlow(cal, t, cancel)
			return
		}
		c.Base += cal.Between(c.Start, t)
		if c.Base >= c.Target {
			c.stopped, c.Cancel = p, cancel
			c.verdict(cal, cancel) // breached
			return
		}
	} else if !untold {
		c.Base += cal.Between(c.Start, t)
	} else {
		c.counted = false
	}
	c.stopped, c.Cancel = p, cancel
	switch {
	case c.hasBreach():
		c.State = phBreached // a breach recorded before (verdict's first case)
	case cancel:
		c.State = phCancelled
	default:
		c.State = phMet
	}
}

// stopSlow is stop for any cycle.
func (c *cycle) stopSlow(cal *calendar.Calendar, t time.Time, cancel bool) {
	if c.State == phRunning {
		c.Base += cal.Between(c.from(), t)
	} else if c.State == phPaused {
		ps := c.spans()
		ps[len(ps)-1].To = t
	}
	c.setStop(t)
	c.Cancel = cancel
	if c.due.IsZero() {
		// Stopped while paused: the deadline it had if it resumed now.
		c.setDue(c.pausedDeadline(cal, t))
	}
	c.verdict(cal, cancel)
}

// verdict gives a cycle that stop just stopped its state: breached if a
// breach is recorded or its time ran out (then at its deadline),
// cancelled if stopped by solving or closing (cancel), else met.
func (c *cycle) verdict(cal *calendar.Calendar, cancel bool) {
	switch {
	case c.hasBreach():
		c.State = phBreached
	case c.Target > 0 && c.Base >= c.Target:
		c.State = phBreached
		c.setDeadline(cal)
		c.breachAtDue()
	case cancel:
		c.State = phCancelled
	default:
		c.State = phMet
	}
}

// recompute measures the cycle against target (0 for none), counted in
// cal, from its real start, as if it had always had that target: a breach
// recorded under the former target is forgotten, and a stopped cycle gets
// its verdict again. t is the instant of the change.
func (c *cycle) recompute(cal *calendar.Calendar, target time.Duration, t time.Time) {
	c.rebase(cal)
	c.Target = target
	c.setBreach(time.Time{})
	var due time.Time
	if target > 0 {
		if d, ok := c.reach(cal, target); ok {
			due = d
		}
	}
	c.setDue(due)
	if c.open() {
		// A running cycle's deadline is past, or a paused one's reached.
		if c.dueBy(t) {
			c.breachAtDue()
		}
		return
	}
	switch {
	case target > 0 && c.Base >= target:
		c.State = phBreached
		c.breachAtDue()
	case c.State == phBreached && c.Cancel:
		c.State = phCancelled
	case c.State == phBreached:
		c.State = phMet
	}
	if target > 0 && c.due.IsZero() {
		c.setDue(cal.Add(c.stopAt(), target-c.Base))
	}
}

// reopen runs a stopped cycle again from t, with the target (0 for none)
// counted in cal (the policy in force may have changed since it stopped).
func (c *cycle) reopen(cal *calendar.Calendar, target time.Duration, t time.Time) {
	c.addSpan(span{From: c.stopAt(), To: t})
	c.setStop(time.Time{})
	c.State = phRunning
	c.rebase(cal)
	c.retarget(cal, target, t)
}

// clock writes into ck the view of the cycle at the instant at, instants
// in loc. It writes every field of ck (AfterWindow false: openClocks sets
// it), so that ck may hold an earlier view: a replay into a sink makes
// its results in storage it reuses without clearing it (see
// resultStore.reuse). built says that one engine built the cycle's state
// from its first event, so that counted can be trusted: cal is then the
// calendar Base was counted in. It returns the phase of ck.State.
//
// The most common cycle of a result, stopped (met, breached or
// cancelled), never paused, its stop packed, counted in the calendar of
// the view (built and counted), is written here: its Base is all of its
// time, its paused time zero, and no calendar is asked. anyClock writes
// any cycle (the differential tests of the views hold the two alike).
func (c *cycle) clock(ck *Clock, cal *calendar.Calendar, loc *time.Location, at time.Time, built bool) phase {
	if !built || !c.counted || c.stopped == noInstant || c.stopped == farInstant || c.State == phPaused ||
		c.marks&hasPauses != 0 {
		return c.anyClock(ck, cal, loc, at, built)
	}
	ck.Metric, ck.Cycle, ck.Target = c.Metric, int(c.N), c.Target
	ck.Start = c.Start.In(loc)
	ck.Stop = time.Unix(c.stopped.unixAt(c.Start.Unix())).In(loc) // unpackAt, without its call
	ck.Elapsed, ck.PausedTime = c.Base, 0
	ck.Remaining = c.Target - c.Base
	ck.Percent = 100 * float64(c.Base) / float64(c.Target)
	ck.Paused, ck.AfterWindow = false, false
	state := c.State
	ck.State = state.clockState()
	ck.Deadline = time.Time{}
	if !c.due.IsZero() {
		ck.Deadline = c.due.In(loc)
	}
	ck.BreachedAt = time.Time{}
	if c.marks&breachDue != 0 {
		ck.BreachedAt = ck.Deadline // converted once
	} else if c.marks&oddBreach != 0 {
		ck.BreachedAt = c.ext.odd[0].In(loc)
	}
	return state
}

// anyClock is clock for any cycle.
func (c *cycle) anyClock(ck *Clock, cal *calendar.Calendar, loc *time.Location, at time.Time, built bool) phase {
	ck.Metric, ck.Cycle, ck.Target = c.Metric, int(c.N), c.Target
	ck.Start = c.Start.In(loc)
	open := c.open()
	end, elapsed := at, c.Base
	ck.Stop = time.Time{}
	if !open {
		// A stopped cycle's Base is all of its time.
		end = c.stopAt()
		ck.Stop = end.In(loc)
	} else if c.State == phRunning {
		if f := c.from(); at.After(f) {
			elapsed += cal.Between(f, at)
		}
	}
	ck.Elapsed, ck.PausedTime = elapsed, 0
	// A cycle counted in cal that never paused has its elapsed time for
	// all the business time since its start: no paused time to find.
	if !built || !c.counted || c.marks&hasPauses != 0 {
		if p := cal.Between(c.Start, end) - elapsed; p > 0 {
			ck.PausedTime = p
		}
	}
	ck.Remaining = c.Target - elapsed
	ck.Percent = 100 * float64(elapsed) / float64(c.Target)
	deadline := c.due
	if deadline.IsZero() && c.State == phPaused {
		deadline = c.pausedDeadline(cal, at)
	}
	ck.Deadline = time.Time{}
	if !deadline.IsZero() {
		ck.Deadline = deadline.In(loc)
	}
	state, breached := c.State, c.breachAt()
	ck.Paused, ck.AfterWindow = open && state == phPaused, false
	if open {
		if breached.IsZero() && state == phRunning && !deadline.IsZero() && !at.Before(deadline) {
			breached = deadline
		}
		if !breached.IsZero() {
			state = phBreached
		}
	}
	ck.State = state.clockState()
	ck.BreachedAt = time.Time{}
	if !breached.IsZero() {
		ck.BreachedAt = breached.In(loc)
	}
	return state
}
