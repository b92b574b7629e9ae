package sla

import (
	"time"

	"github.com/slakit/slakit/calendar"
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
}

// Escalation is an escalation level that is due for a clock, as reported
// by [Config.Ladders].
type Escalation struct {
	Ladder  string    `json:"ladder"`
	Level   string    `json:"level"`
	Metric  Metric    `json:"metric"`
	Cycle   int       `json:"cycle"`
	At      time.Time `json:"at"` // when the level became due
	Actions []Action  `json:"actions"`
}

// Action is something an escalation level asks the host to do.
type Action struct {
	Type   string `json:"type"`   // notify, assign, escalate, set_priority, add_tags, message_customer, custom
	Target string `json:"target"` // whom or what, as written in the ladder
}

// ClockContext is what a [Ladders] implementation is told about one clock.
type ClockContext struct {
	Ladder   string             // the policy's Escalation
	Ticket   *Ticket            // the ticket; read only
	Clock    Clock              // the clock at At
	Calendar *calendar.Calendar // the policy's calendar (never nil)
	At       time.Time          // the evaluation instant

	cycle *Cycle
}

// When returns the instant at which the clock's elapsed business time
// reached, or will reach if it is not paused again, d. It reports false
// when the clock is paused or stopped before reaching d.
func (c *ClockContext) When(d time.Duration) (time.Time, bool) {
	if c.cycle == nil {
		return time.Time{}, false
	}
	if d < 0 {
		d = 0
	}
	t, ok := c.cycle.reach(c.Calendar, d)
	if ok && !c.cycle.open() && t.After(c.cycle.Stop) {
		return time.Time{}, false
	}
	return t.In(c.Calendar.Location()), ok
}

// Ladders is the seam to escalation ladders (package escalation provides
// an implementation). For each reported clock of a ticket whose policy
// names a ladder, [Engine.Evaluate] calls Due, which returns every level of
// the ladder due for that clock at c.At (levels fire at most once per
// cycle, so the list only grows while the cycle runs) and the next instant
// after c.At at which another level becomes due (zero for none), which
// feeds [View.NextWake].
type Ladders interface {
	Due(c *ClockContext) (due []Escalation, next time.Time)
}

// View is what [Engine.Evaluate] reports about a ticket at an instant.
type View struct {
	Ticket   string
	Policy   string // "" when no policy applies (no clocks then)
	Priority string // the effective priority
	Status   Status
	At       time.Time
	// Clocks lists every cycle that has a target, in start order.
	Clocks []Clock
	// Escalations lists the escalation levels due (see [Ladders]).
	Escalations []Escalation
	// NextWake is the earliest instant after At at which the view changes
	// without a new event (a deadline passing, an escalation level falling
	// due); zero when nothing will.
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

// EvaluateInto is [Engine.Evaluate] writing into v and reusing its slices.
func (e *Engine) EvaluateInto(v *View, st *State, at time.Time) {
	if at.Before(st.LastAt) {
		at = st.LastAt
	}
	if lim := st.Ticket.CreatedAt.Add(maxSpan); st.Created() && at.After(lim) {
		at = lim
	}
	pol := e.policy(st.Policy)
	cal := calOf(pol)
	loc := cal.Location()
	*v = View{Ticket: st.Ticket.ID, Policy: st.Policy, Status: st.Ticket.Status, At: at.In(loc),
		Clocks: v.Clocks[:0], Escalations: v.Escalations[:0]}
	if st.Created() {
		v.Priority = e.prios[e.priority(&st.Ticket)]
	}
	if n := st.reported(); cap(v.Clocks) < n {
		v.Clocks = make([]Clock, 0, n)
	}
	var wake time.Time
	for i := range st.Cycles {
		c := &st.Cycles[i]
		if c.Target <= 0 {
			continue
		}
		ck := c.clock(cal, at)
		if ck.State == StateRunning && ck.Deadline.After(at) {
			wake = earliest(wake, ck.Deadline)
		}
		if pol != nil && pol.Escalation != "" && e.ladders != nil {
			tk := st.Ticket // a copy, so that st does not escape to the heap
			ctx := ClockContext{Ladder: pol.Escalation, Ticket: &tk, Clock: ck, Calendar: cal, At: v.At, cycle: c}
			due, next := e.ladders.Due(&ctx)
			v.Escalations = append(v.Escalations, due...)
			if next.After(at) {
				wake = earliest(wake, next)
			}
		}
		v.Clocks = append(v.Clocks, ck)
	}
	if !wake.IsZero() {
		v.NextWake = wake.In(loc)
	}
}

// reported counts the cycles that have a target.
func (s *State) reported() int {
	n := 0
	for i := range s.Cycles {
		if s.Cycles[i].Target > 0 {
			n++
		}
	}
	return n
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func (c *Cycle) clock(cal *calendar.Calendar, at time.Time) Clock {
	loc := cal.Location()
	ck := Clock{Metric: c.Metric, Cycle: c.N, State: c.State, Start: c.Start.In(loc), Target: c.Target}
	end := at
	if !c.open() {
		end = c.Stop
		ck.Stop = c.Stop.In(loc)
	}
	ck.Elapsed = c.elapsed(cal, end)
	ck.PausedTime = max(cal.Between(c.Start, end)-ck.Elapsed, 0)
	ck.Remaining = c.Target - ck.Elapsed
	ck.Percent = 100 * float64(ck.Elapsed) / float64(c.Target)
	deadline := c.Deadline
	if deadline.IsZero() && c.State == StatePaused {
		deadline = cal.Add(at, c.Target-c.Base)
	}
	if !deadline.IsZero() {
		ck.Deadline = deadline.In(loc)
	}
	breached := c.BreachedAt
	if c.open() {
		ck.Paused = c.State == StatePaused
		if breached.IsZero() && c.State == StateRunning && !deadline.IsZero() && !at.Before(deadline) {
			breached = deadline
		}
		if !breached.IsZero() {
			ck.State = StateBreached
		}
	}
	if !breached.IsZero() {
		ck.BreachedAt = breached.In(loc)
	}
	return ck
}
