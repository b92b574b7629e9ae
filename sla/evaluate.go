package sla

import (
	"math/bits"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// Clock is the view of one cycle of a metric at an instant. Instants are
// in the zone of the policy's calendar (UTC when it has none); durations
// are business time of that calendar.
type Clock struct {
	Metric     Metric
	Cycle      int        // 1-based cycle number within the metric
	State      ClockState // running, paused, met, breached or cancelled
	Start      time.Time
	Stop       time.Time     // zero while open
	Target     time.Duration // target at the ticket's priority
	Deadline   time.Time     // for a paused clock: the deadline if it resumed now
	Elapsed    time.Duration // business time counted
	PausedTime time.Duration // business time spent paused
	Remaining  time.Duration // Target - Elapsed; negative past the deadline
	Percent    float64       // 100 * Elapsed / Target
	BreachedAt time.Time     // zero unless breached
	Paused     bool          // reports whether the clock is paused now (a breached clock may be)
	// AfterWindow reports, for an open response clock of a WhatsApp
	// ticket, that its deadline falls at or after the last instant a
	// free-form reply can go out (the window's close less the send
	// margin): a reply made at the deadline will need a template.
	AfterWindow bool
}

// Escalation is an escalation level that fired for a clock. Cycle numbers
// the clock's cycle within its metric; for an OLA metric it counts within
// its OLA ([OLAClock].OLA), which Escalation does not name, so two
// firings of a level on the cycles of two OLAs (two teams' agreements) can
// share Ladder, Level, Metric and Cycle: a host that keys the firings it
// has acted on adds At.
type Escalation struct {
	Ladder  string              `json:"ladder"`
	Level   string              `json:"level"`
	Metric  Metric              `json:"metric"`
	Cycle   int                 `json:"cycle"`
	At      time.Time           `json:"at"` // when the level fired
	Actions []escalation.Action `json:"actions"`
}

// View is what [Engine.Evaluate] reports about a ticket at an instant.
type View struct {
	Ticket string
	Policy string // "" when no policy applies (no clocks then)
	// Calendar names the calendar the clocks count in: the one the
	// policy's CalendarBy chose for the ticket, else the policy's
	// CalendarName ("" for none).
	Calendar string
	Priority string // the effective priority
	Status   Status
	At       time.Time
	// Clocks lists every cycle that has a target, in start order.
	Clocks []Clock
	// Escalations lists every escalation level fired up to At, in firing
	// order (see [Engine.Advance]).
	Escalations []Escalation
	// WhatsApp is the customer service window of a WhatsApp ticket; nil for
	// other tickets or without [Config.WhatsApp].
	WhatsApp *WhatsApp
	// OLAs lists every cycle of the OLA metrics (see [OLA]), in start
	// order; they do not count in Agreement.
	OLAs []OLAClock
	// Agreement is the ticket's standing against its SLA policy (see
	// [Agreement]).
	Agreement Agreement
	// NextWake is the earliest instant after At at which the view changes
	// without a new event (a deadline passing, an escalation level falling
	// due, a solved ticket closing by itself); zero when nothing will.
	NextWake time.Time
}

// Evaluate reports every clock of the ticket at the instant at, with its
// deadline, remaining time and percent elapsed, the escalations due, and
// NextWake. An at earlier than the last applied event counts as that
// event's instant; one more than 200 years after the ticket's creation
// counts as that bound. Evaluate does not modify st.
func (e *Engine) Evaluate(st State, at time.Time) View {
	var v View
	e.EvaluateInto(&v, &st, at)
	return v
}

// viewAt is the instant a view of st asked for at describes: not before
// the last event, nor after the longest span a ticket is followed.
// The instants are compared by wall clock (st's carry no monotonic clock
// reading), on Unix seconds and nanoseconds without time.Time.Before's
// call.
func (e *Engine) viewAt(st *State, at time.Time) time.Time {
	sec := at.Unix()
	if beforeUnix(sec, at.Nanosecond(), st.lastAt) {
		at, sec = st.lastAt, st.lastAt.Unix()
	}
	if st.Created() && beyondSpanUnix(st.ticket.CreatedAt, at, sec) {
		at = st.ticket.CreatedAt.Add(maxSpan)
	}
	return at
}

// EvaluateInto is [Engine.Evaluate] writing into v and reusing its slices.
// v and st must not be nil; st is not modified.
func (e *Engine) EvaluateInto(v *View, st *State, at time.Time) {
	_, _, _, _ = e.evaluate(v, st, at, nil)
}

// evaluate is EvaluateInto; it returns the state the view describes (st,
// or a copy with the escalation levels due by the view's instant fired),
// the calendar its clocks count in, the mask of its reported cycles (see
// [State.reported]) and whether every reported cycle is counted in that
// calendar (see [cycle.counted]).
// With own non-nil, e built st from its first event (a replay's state; see
// [cycle.clock]), the view's storage comes from own, not from v, at is
// already as viewAt gives it, and st is settled by at (see advanceTo).
func (e *Engine) evaluate(v *View, st *State, at time.Time, own *resultStore) (*State, *calendar.Calendar, uint64, bool) {
	built := own != nil
	if !built {
		at = e.viewAt(st, at) // a replay's caller did
	}
	// No level fires on a closed ticket, by at or later: it is settled,
	// and has no next firing. A replay's caller advanced st to at.
	closed := st.Closed()
	if !closed && !built {
		st = e.settled(st, at) // levels due by at fire on a copy
	}
	pol, prio := e.policyPrio(st)
	cal := calOf(pol, st)
	loc := cal.Location()
	more := st.x()
	// Every field of v is written (v may hold an earlier view): a field
	// at a time, not through a composite literal copied whole.
	v.Ticket, v.Policy, v.Status, v.At = st.ticket.ID, st.policy, st.ticket.Status, at.In(loc)
	v.Clocks, v.Escalations, v.OLAs = v.Clocks[:0], v.Escalations[:0], v.OLAs[:0]
	v.WhatsApp, v.NextWake = nil, time.Time{}
	if v.Calendar = more.calendar; v.Calendar == "" && pol != nil {
		v.Calendar = pol.CalendarName
	}
	v.Priority = ""
	if st.Created() {
		v.Priority = e.prios[prio]
	}
	n, reported, counted := st.reported()
	if own != nil {
		v.Clocks = own.clocks.take(n)
		v.OLAs = own.olas.take(len(more.olas))
		v.Escalations = own.escalations.take(len(more.escalations))
	} else if cap(v.Clocks) < n {
		v.Clocks = make([]Clock, 0, n)
	}
	var wake time.Time
	if e.tracksWindow(&st.ticket) {
		if own != nil {
			v.WhatsApp = own.windows.one()
		} else {
			v.WhatsApp = new(WhatsApp)
		}
		if next := e.windowView(v.WhatsApp, st, at, loc); !next.IsZero() && next.After(at) {
			wake = earliest(wake, next)
		}
	}
	var seen uint8 // the phases of the clocks, for the agreement
	cycles := st.cycles
	for i := nextIn(reported, 0); i < len(cycles); i = nextIn(reported, i+1) {
		c := &cycles[i]
		if c.Target <= 0 {
			continue
		}
		// The storage has room for every reported cycle, and clock writes
		// every field (it may hold an earlier view).
		n := len(v.Clocks)
		v.Clocks = v.Clocks[:n+1]
		seen |= 1 << (c.clock(&v.Clocks[n], cal, loc, at, built) & 7) // phases are below 8
	}
	// What only open clocks give (at risk, a deadline to come, a reply's
	// deadline against the window) after the loop, which then keeps fewer
	// values: a closed ticket has none (closing stops every cycle).
	risk := false
	if !closed {
		var next time.Time
		risk, next = e.openClocks(v.Clocks, st, at, v.WhatsApp != nil)
		if !next.IsZero() {
			wake = earliest(wake, next)
		}
	}
	v.Agreement = agreement(seen, risk)
	if len(more.olas) > 0 {
		var next time.Time
		v.OLAs, next = e.olaClocks(v.OLAs, st, at, loc, built)
		if !next.IsZero() {
			wake = earliest(wake, next)
		}
	}
	if esc := more.escalations; len(esc) > 0 {
		// Each copied in place, then its instant converted there.
		dst := slices.Grow(v.Escalations, len(esc))[:len(esc)]
		for i := range esc {
			x := &dst[i]
			*x = esc[i]
			x.At = x.At.In(loc)
		}
		v.Escalations = dst
	}
	if pol != nil && pol.ladder != nil && !closed {
		if next, ok := e.peekFiring(st); ok {
			wake = earliest(wake, next)
		}
	}
	if c, ok := e.closeAt(st); ok && c.After(at) {
		wake = earliest(wake, c)
	}
	if !wake.IsZero() {
		v.NextWake = wake.In(loc)
	}
	return st, cal, reported, counted
}

// openClocks goes over the clocks of a view at at of st's ticket: it
// reports whether a running one is at or past the at-risk share of its
// target and returns the earliest deadline of a running one after at
// (zero for none); with win (the engine tracks the ticket's window), it
// sets AfterWindow on the open response clocks with a deadline. A clock
// is open when it has no stop.
func (e *Engine) openClocks(clocks []Clock, st *State, at time.Time, win bool) (bool, time.Time) {
	risk, wake := false, time.Time{}
	for k := range clocks {
		ck := &clocks[k]
		if !ck.Stop.IsZero() {
			continue
		}
		if ck.State == ClockRunning {
			risk = risk || ck.Percent >= e.atRisk
			if ck.Deadline.After(at) {
				wake = earliest(wake, ck.Deadline)
			}
		}
		if win && !ck.Deadline.IsZero() && (ck.Metric == FirstResponse || ck.Metric == NextResponse) {
			ck.AfterWindow = e.afterWindow(st, ck.Deadline)
		}
	}
	return risk, wake
}

// reported counts the cycles that have a target (the cycles a view
// reports), and returns with the count their mask (bit i set for each
// such cycle i below 64, see nextIn) and whether each of them is
// counted (see [cycle.counted]).
func (s *State) reported() (int, uint64, bool) {
	n, mask, counted := 0, uint64(0), true
	for i := range s.cycles {
		if c := &s.cycles[i]; c.Target > 0 {
			n++
			counted = counted && c.counted
			if i < 64 {
				mask |= 1 << (i & 63)
			}
		}
	}
	return n, mask, counted
}

// nextIn returns the first index from i on that mask, a mask of cycles as
// reported returns it, may hold: the next one whose bit is set below 64,
// else i itself from 64 on (the mask says nothing of those), else 64.
// Walking the cycles with it visits every cycle of the mask, and maybe
// others.
func nextIn(mask uint64, i int) int {
	if i >= 64 {
		return i
	}
	if m := mask >> (i & 63); m != 0 { // i is below 64: no test for a larger shift
		return i + bits.TrailingZeros64(m)
	}
	return 64
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
