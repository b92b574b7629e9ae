package sla

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
// The cycle counts from its start to its stop (or now) except during its
// pauses.
//
// A cycle fills one cache line (64 bytes), so that the reads of an event
// and of a result touch one line a cycle: its start, deadline and stop
// are [nanos] in the location of its start (loc), its metric a code for
// the built-in ones, its cycle number and levels fired small numbers.
// What does not fit (a custom metric's name, a large cycle number, a
// level fired past the first 15, an instant beyond the years nanos hold
// or a deadline or stop in another location, the pauses, a breach that
// is not the deadline) is kept in ext, and a bit of the cycle says it is
// there, so that a cycle without any reads no ext. Read and write them
// through their methods (startAt, dueAt, stopAt, breachAt, metric, num,
// fired; setDue, setStop, breachAtDue, setBreach, fire).
type cycle struct {
	Target  time.Duration // 0: no target
	Base    time.Duration // business time counted before the current span (all of it once paused or stopped)
	start   nanos         // when the cycle started, in loc
	due     nanos         // the deadline; noNanos while paused before reaching the target
	stopped nanos         // when it stopped; noNanos while open
	loc     *time.Location
	// ext holds what few cycles need; nil until first needed.
	ext   *cycleExt
	fired uint16     // bit i: level i of the policy's ladder fired in this cycle; firedAway: in ext
	n     uint16     // the 1-based cycle number within the metric; 0: in ext
	State phase      // running, paused, met, breached or cancelled
	code  metricCode // the metric; 0: in ext
	// Cancel says the cycle was stopped by solving or closing (cancelled
	// unless breached).
	Cancel bool
	bits   cycleBits
}

// cycleBits are a cycle's flags.
type cycleBits uint8

const (
	// bBreachDue says that the recorded breach (sticky) is the deadline;
	// otherwise it is ext's breach, if any (bBreach).
	bBreachDue cycleBits = 1 << iota
	// bBreach says that ext holds a breach that is not the deadline.
	bBreach
	// bPauses says that ext holds pauses.
	bPauses
	// bDueAway and bStopAway say that ext holds the deadline or the stop
	// whole (beyond nanos, or in another location than loc).
	bDueAway
	bStopAway
	// bCounted says that Base sums the cycle's counting spans in the
	// calendar its ticket counts in now: set when the cycle opens or is
	// recounted, cleared when the ticket's policy or calendar changes
	// while it is stopped, unset in a cycle read from JSON. A view of a
	// cycle whose state one engine built then reads its time from Base
	// (see clock).
	bCounted
	// bMetricAway and bNumAway say that ext holds the metric's name (its
	// code is 0) or the cycle number (its n is 0).
	bMetricAway
	bNumAway
)

// bAway are the bits that say that ext holds something.
const bAway = bBreach | bPauses | bDueAway | bStopAway | bMetricAway | bNumAway

// firedAway in a cycle's fired says that ext holds the levels fired.
const firedAway = 1 << 15

// metricCode is a metric in one byte: the built-in ones have theirs, the
// others get one as cycles meet them (see metricCodes); 0 for a metric
// whose name the cycle's ext keeps.
type metricCode uint8

// The built-in metrics' codes.
const (
	codeFirstResponse metricCode = iota + 1
	codeNextResponse
	codePeriodicUpdate
	codeResolution
	codeOLATimeToOwn
	codeOLATimeToResolve
)

// builtinMetrics are the metrics of the built-in codes.
var builtinMetrics = [...]Metric{codeFirstResponse: FirstResponse, codeNextResponse: NextResponse,
	codePeriodicUpdate: PeriodicUpdate, codeResolution: Resolution, codeOLATimeToOwn: OLATimeToOwn,
	codeOLATimeToResolve: OLATimeToResolve}

// metricCodes gives each other metric (a custom one) a code of its own
// for the life of the process, the first time a cycle of it is opened or
// read, so that its cycles need no ext for their metric: at most
// maxMetricCode codes, for names of at most maxCodedName bytes; any other
// metric's name is kept in the cycle's ext. Codes never leave the
// process (a State's JSON has the names), so that which metric got which
// code changes no output. It is safe for concurrent use: readers load
// the table, which is never changed once stored; a new code stores a new
// table.
var metricCodes struct {
	mu    sync.Mutex
	table atomic.Pointer[metricTable]
}

// metricTable is metricCodes' table: names by code, codes by name.
type metricTable struct {
	names []Metric
	codes map[Metric]metricCode
}

const (
	maxMetricCode = math.MaxUint8
	maxCodedName  = 64
)

// codedMetric returns the metric of code k, which is not a built-in one.
func codedMetric(k metricCode) Metric { return metricCodes.table.Load().names[k] }

// codeOf returns the code of m, giving it one if it has none and codes
// are left; 0 when m has none.
func codeOf(m Metric) metricCode {
	switch m {
	case FirstResponse:
		return codeFirstResponse
	case NextResponse:
		return codeNextResponse
	case PeriodicUpdate:
		return codePeriodicUpdate
	case Resolution:
		return codeResolution
	case OLATimeToOwn:
		return codeOLATimeToOwn
	case OLATimeToResolve:
		return codeOLATimeToResolve
	case "":
		return 0
	}
	if t := metricCodes.table.Load(); t != nil {
		if k, ok := t.codes[m]; ok {
			return k
		}
	}
	return newCode(m)
}

// newCode gives m, which has no code, one if codes are left.
func newCode(m Metric) metricCode {
	if len(m) > maxCodedName {
		return 0
	}
	metricCodes.mu.Lock()
	defer metricCodes.mu.Unlock()
	old := metricCodes.table.Load()
	if old == nil {
		old = &metricTable{names: builtinMetrics[:]}
	}
	if k, ok := old.codes[m]; ok {
		return k
	}
	k := len(old.names)
	if k > maxMetricCode {
		return 0
	}
	t := &metricTable{names: append(slices.Clip(old.names), m), codes: make(map[Metric]metricCode, k+1)}
	maps.Copy(t.codes, old.codes)
	t.codes[m] = metricCode(k)
	metricCodes.table.Store(t)
	return metricCode(k)
}

// cycleExt is the part of a cycle that few cycles need.
type cycleExt struct {
	// pauses holds the pauses in order (the last has no To while paused).
	pauses []span
	metric Metric // when the cycle's code is 0
	fired  uint64 // when the cycle's fired is firedAway
	n      int32  // when the cycle's n is 0
	// start, due, stop and breach are kept whole when the cycle's nanos
	// is farNanos (start), when its bit says so (due, stop, breach).
	start, due, stop, breach time.Time
}

// x returns the cycle's ext, allocating it on first use.
func (c *cycle) x() *cycleExt {
	if c.ext == nil {
		c.ext = &cycleExt{}
	}
	return c.ext
}

// is reports whether the cycle measures m.
func (c *cycle) is(m Metric) bool { return c.metric() == m }

// metric returns the metric the cycle measures.
func (c *cycle) metric() Metric {
	switch {
	case c.code == 0:
		return c.extMetric()
	case int(c.code) < len(builtinMetrics):
		return builtinMetrics[c.code]
	}
	return codedMetric(c.code)
}

// extMetric is the metric the cycle's ext keeps, if any.
func (c *cycle) extMetric() Metric {
	if c.bits&bMetricAway == 0 {
		return ""
	}
	return c.ext.metric
}

// setMetric sets the metric the cycle measures.
func (c *cycle) setMetric(m Metric) {
	if c.bits&bMetricAway != 0 {
		c.bits &^= bMetricAway
		c.ext.metric = ""
	}
	if c.code = codeOf(m); c.code == 0 && m != "" {
		c.x().metric = m
		c.bits |= bMetricAway
	}
}

// num returns the cycle number.
func (c *cycle) num() int32 {
	if c.bits&bNumAway != 0 {
		return c.ext.n
	}
	return int32(c.n)
}

// setNum sets the cycle number.
func (c *cycle) setNum(n int32) {
	if c.bits&bNumAway != 0 {
		c.bits &^= bNumAway
		c.ext.n = 0
	}
	c.n = uint16(n)
	if n < 0 || n > math.MaxUint16 {
		c.n = 0
		c.x().n = n
		c.bits |= bNumAway
	}
}

// firedSet returns the levels fired in the cycle (bit i: level i).
func (c *cycle) firedSet() uint64 {
	if c.fired&firedAway != 0 {
		return c.ext.fired
	}
	return uint64(c.fired)
}

// setFired sets the levels fired in the cycle.
func (c *cycle) setFired(f uint64) {
	if f < firedAway && c.fired&firedAway == 0 {
		c.fired = uint16(f)
		return
	}
	c.fired = firedAway
	c.x().fired = f
}

// fire records the levels of bits as fired in the cycle.
func (c *cycle) fire(bits uint64) { c.setFired(c.firedSet() | bits) }

func (c *cycle) counted() bool { return c.bits&bCounted != 0 }

// setCounted sets whether the cycle is counted (see bCounted).
func (c *cycle) setCounted(v bool) {
	if v {
		c.bits |= bCounted
	} else {
		c.bits &^= bCounted
	}
}

// startAt is when the cycle started.
func (c *cycle) startAt() time.Time {
	if c.start.held() {
		return time.Unix(0, c.start.ns()).In(c.loc) // a held start has its location
	}
	return c.startOdd()
}

// startOdd is startAt for the zero start or one beyond nanos.
func (c *cycle) startOdd() time.Time {
	if c.start == farNanos {
		return c.ext.start
	}
	return time.Time{}.In(orUTC(c.loc))
}

// orUTC returns loc, or UTC for nil.
func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// setStart sets when the cycle started; its instants are then kept in
// t's location.
func (c *cycle) setStart(t time.Time) {
	if c.start == farNanos {
		c.ext.start = time.Time{}
	}
	c.loc = t.Location()
	if c.start = toNanos(t); c.start == farNanos {
		c.x().start = t
	}
}

// put returns t as the cycle keeps it in its nanos, and whether it must
// also keep it whole (its location is not the cycle's, or it is beyond
// nanos); the zero instant is noNanos in any location.
func (c *cycle) put(t time.Time) (nanos, bool) {
	n := toNanos(t)
	return n, n == farNanos || n != noNanos && !sameZone(t, c.loc)
}

// sameZone reports whether t, given back in loc, is the same time.Time
// to every reader: loc is t's location, or a time zone of the IANA
// database of the same name ("Area/City"), loaded twice (by an event's
// reader and by a calendar). A zone fixed at an offset has no name, or
// one of its own without a slash ("-03", "CET"), and time.UTC and
// time.Local are named "UTC" and "Local": those are the same only as the
// same location.
func sameZone(t time.Time, loc *time.Location) bool {
	l := t.Location()
	if l == loc {
		return true
	}
	if loc == nil {
		return false
	}
	name := l.String()
	return name == loc.String() && strings.IndexByte(name, '/') > 0
}

// sameTime reports whether a and b are the same instant in the same zone
// (see sameZone): a time.Time's ==, with locations compared as sameZone
// does.
func sameTime(a, b time.Time) bool {
	return a == b || a.Equal(b) && (a.IsZero() && b.IsZero() || sameZone(a, b.Location()))
}

// get returns the instant the cycle keeps as n, or whole in ext's *w
// when away.
func (c *cycle) get(n nanos, away bool, w *time.Time) time.Time {
	if away {
		return *w
	}
	if n == noNanos {
		return time.Time{}
	}
	return n.in(c.loc)
}

// dueAt is the deadline; zero while paused before reaching the target.
func (c *cycle) dueAt() time.Time {
	if c.bits&bDueAway != 0 {
		return c.ext.due
	}
	if c.due == noNanos {
		return time.Time{}
	}
	return c.due.in(c.loc)
}

// putDue keeps t as the deadline (setDue also moves a breach recorded at
// the former one).
func (c *cycle) putDue(t time.Time) {
	n, away := c.put(t)
	c.due = n
	if away {
		c.bits |= bDueAway
		c.x().due = t
	} else if c.bits&bDueAway != 0 {
		c.bits &^= bDueAway
		c.ext.due = time.Time{}
	}
}

// stopAt is when the cycle stopped; zero while it is open.
func (c *cycle) stopAt() time.Time {
	if c.bits&bStopAway != 0 {
		return c.ext.stop
	}
	if c.stopped == noNanos {
		return time.Time{}
	}
	return c.stopped.in(c.loc)
}

// setStop sets when the cycle stopped (zero: open).
func (c *cycle) setStop(t time.Time) {
	n, away := c.put(t)
	c.stopped = n
	if away {
		c.bits |= bStopAway
		c.x().stop = t
	} else if c.bits&bStopAway != 0 {
		c.bits &^= bStopAway
		c.ext.stop = time.Time{}
	}
}

// breachAt is the recorded breach; zero when none.
func (c *cycle) breachAt() time.Time {
	switch {
	case c.bits&bBreachDue != 0:
		return c.dueAt()
	case c.bits&bBreach != 0:
		return c.ext.breach
	}
	return time.Time{}
}

// hasBreach reports whether a breach is recorded.
func (c *cycle) hasBreach() bool {
	if c.bits&bBreachDue != 0 {
		return c.due != noNanos
	}
	return c.bits&bBreach != 0
}

// setDue sets the deadline; a breach recorded at the former deadline
// stays where it was.
func (c *cycle) setDue(t time.Time) {
	if c.bits&bBreachDue != 0 {
		if old := c.dueAt(); !sameTime(old, t) {
			c.setBreach(old)
		}
	}
	c.putDue(t)
}

// breachAtDue records the breach at the deadline.
func (c *cycle) breachAtDue() {
	c.setBreach(time.Time{})
	c.bits |= bBreachDue
}

// setBreach records the breach at t (zero: none).
func (c *cycle) setBreach(t time.Time) {
	c.bits &^= bBreachDue
	switch {
	case !t.IsZero():
		c.bits |= bBreach
		c.x().breach = t
	case c.bits&bBreach != 0:
		c.bits &^= bBreach
		c.ext.breach = time.Time{}
	}
}

// dueBy reports whether the cycle has a deadline that is not after t.
func (c *cycle) dueBy(t time.Time) bool {
	if c.due.held() {
		n := toNanos(t)
		return n.held() && c.due <= n || n == farNanos && !c.dueAt().After(t)
	}
	return c.due == farNanos && !c.dueAt().After(t)
}

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
	return cycleJSON{Metric: c.metric(), N: int(c.num()), Start: c.startAt(), Stop: c.stopAt(), Pauses: c.spans(), Target: c.Target,
		Base: c.Base, Deadline: c.dueAt(), BreachedAt: c.breachAt(), State: c.State.clockState(), Fired: c.firedSet(), Cancel: c.Cancel}
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
	c := cycle{Target: j.Target, Base: j.Base, State: p, Cancel: j.Cancel}
	c.setMetric(j.Metric)
	c.setNum(int32(j.N))
	c.setStart(j.Start)
	c.setFired(j.Fired)
	c.setStop(j.Stop)
	c.setDue(j.Deadline)
	if !j.BreachedAt.IsZero() && j.BreachedAt == j.Deadline {
		c.breachAtDue()
	} else {
		c.setBreach(j.BreachedAt)
	}
	if len(j.Pauses) > 0 {
		c.x().pauses = j.Pauses
		c.bits |= bPauses
	}
	return c, nil
}

// spans returns the cycle's pauses, in order; the caller may change an
// element in place but not the slice.
func (c *cycle) spans() []span {
	if c.bits&bPauses == 0 {
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
	if c.bits&bPauses == 0 {
		c.ext.pauses = c.ext.pauses[:0] // a recycled ext's
	}
	c.ext.pauses = append(c.ext.pauses, p)
	c.bits |= bPauses
}

// emptied returns the cycle's ext emptied for another cycle (see
// replayTicket.reset), keeping its storage: the fields the cycle says it
// holds are zeroed (the pauses to their capacity), and an ext that holds
// nothing is left untouched, unread.
func (c *cycle) emptied() *cycleExt {
	x := c.ext
	if x == nil || c.bits&bAway == 0 && c.fired&firedAway == 0 && c.start != farNanos {
		return x
	}
	*x = cycleExt{pauses: emptied(x.pauses)}
	return x
}

// cloneExt gives the cycle its own copy of its ext (see [State.Clone]).
func (c *cycle) cloneExt() {
	if c.ext == nil {
		return
	}
	x := *c.ext
	x.pauses = slices.Clone(x.pauses)
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
	c.ext = c.emptied() // nothing held from a cycle before (none when c is new)
	c.Target, c.Base, c.stopped, c.fired = target, 0, noNanos, 0
	c.Cancel, c.State, c.bits, c.start = false, phRunning, bCounted, noNanos
	c.setStart(t)
	c.setMetric(m)
	c.setNum(n)
	c.putDue(due)
}

func (c *cycle) open() bool    { return c.stopped == noNanos } // a stop kept whole is not the zero one
func (c *cycle) running() bool { return c.open() && c.State == phRunning }

// from is the start of the current counting span.
func (c *cycle) from() time.Time {
	if ps := c.spans(); len(ps) > 0 {
		return ps[len(ps)-1].To
	}
	return c.startAt()
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
	from := c.startAt()
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
	ns := c.due.ns()
	if ns < 0 {
		// None (as the zero instant's second), or beyond nanos or before
		// 1970: breachAtDueIf tells, and the walk's bound is none.
		if c.due == noNanos {
			return zeroUnix, true
		}
		return math.MinInt64, true
	}
	ds := ns / 1e9
	return ds, ds < ts || ds == ts && int(ns-ds*1e9) <= tn
}

// zeroUnix is the Unix second of the zero instant.
const zeroUnix = -62135596800

// noBreach is breachTest's deadline for a cycle no later instant
// breaches unless it changes.
const noBreach = math.MaxInt64

// breachAtDueIf records the breach at the deadline of a running cycle
// for which breachTest said so at t, if it has a deadline not after t
// (breachTest's answer for a deadline before 1970 or beyond nanos is
// checked here) and no breach yet.
func (c *cycle) breachAtDueIf(t time.Time) {
	if c.due != noNanos && !c.hasBreach() && (c.due.ns() >= 0 || !c.dueAt().After(t)) {
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
	c.Base = 0
	c.bits |= bCounted
	from := c.startAt()
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
	return c.Target > 0 && c.Base >= c.Target && c.due != noNanos
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
	case c.due == noNanos:
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
// it has a target, at an instant in its start's location that nanos
// hold: stop counts and keeps those itself, in one call (an open cycle's
// stop is not away, so setStop has nothing to clear), and
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
	if c.State != phRunning || c.bits&bPauses != 0 || t.Location() != c.loc {
		c.stopSlow(cal, t, cancel)
		return
	}
	p := toNanos(t)
	if !p.held() || !c.start.held() {
		c.stopSlow(cal, t, cancel) // as setStop: beyond nanos, or the zero instant
		return
	}
	start := c.start.in(c.loc)
	// One test of the target, whose two ways do not ask it again (about
	// half of the cycles have none).
	if c.Target > 0 {
		if c.due == noNanos {
			c.stopSlow(cal, t, cancel)
			return
		}
		c.Base += cal.Between(start, t)
		if c.Base >= c.Target {
			c.stopped, c.Cancel = p, cancel
			c.verdict(cal, cancel) // breached
			return
		}
	} else if !untold {
		c.Base += cal.Between(start, t)
	} else {
		c.bits &^= bCounted
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
	if c.due == noNanos {
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
	if target > 0 && c.due == noNanos {
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
	if !built || c.bits&(bCounted|bPauses|bStopAway) != bCounted || !c.stopped.held() || !c.start.held() ||
		c.State == phPaused {
		return c.anyClock(ck, cal, loc, at, built)
	}
	ck.Metric, ck.Cycle, ck.Target = c.metric(), int(c.num()), c.Target
	ck.Start = c.start.in(loc)
	ck.Stop = c.stopped.in(loc)
	ck.Elapsed, ck.PausedTime = c.Base, 0
	ck.Remaining = c.Target - c.Base
	ck.Percent = 100 * float64(c.Base) / float64(c.Target)
	ck.Paused, ck.AfterWindow = false, false
	state := c.State
	ck.State = state.clockState()
	ck.Deadline = time.Time{}
	if c.due.held() {
		ck.Deadline = c.due.in(loc)
	} else if c.due == farNanos {
		ck.Deadline = c.dueAt().In(loc)
	}
	ck.BreachedAt = time.Time{}
	if c.bits&bBreachDue != 0 {
		ck.BreachedAt = ck.Deadline // converted once
	} else if c.bits&bBreach != 0 {
		ck.BreachedAt = c.ext.breach.In(loc)
	}
	return state
}

// anyClock is clock for any cycle.
func (c *cycle) anyClock(ck *Clock, cal *calendar.Calendar, loc *time.Location, at time.Time, built bool) phase {
	ck.Metric, ck.Cycle, ck.Target = c.metric(), int(c.num()), c.Target
	start := c.startAt()
	ck.Start = start.In(loc)
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
	if !built || c.bits&(bCounted|bPauses) != bCounted {
		if p := cal.Between(start, end) - elapsed; p > 0 {
			ck.PausedTime = p
		}
	}
	ck.Remaining = c.Target - elapsed
	ck.Percent = 100 * float64(elapsed) / float64(c.Target)
	deadline := c.dueAt()
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

// fromMemo is memoInstant of from, read from the cycle's nanos when it
// never paused.
func (c *cycle) fromMemo() (int64, bool) {
	if ns := c.start.ns(); c.bits&bPauses == 0 && inMemoSpan(ns) {
		return ns, true // noNanos and farNanos are not in the span
	}
	return c.fromMemoSlow()
}

func (c *cycle) fromMemoSlow() (int64, bool) { return memoInstant(c.from()) }

// dueMemo is memoInstant of the deadline.
func (c *cycle) dueMemo() (int64, bool) {
	if ns := c.due.ns(); inMemoSpan(ns) {
		return ns, true
	}
	return c.dueMemoSlow()
}

func (c *cycle) dueMemoSlow() (int64, bool) { return memoInstant(c.dueAt()) }

// inMemoSpan reports whether the Unix nanoseconds ns are within memoSpan.
func inMemoSpan(ns int64) bool { return uint64(ns+memoSpan*1e9) < 2*memoSpan*1e9 }
