package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/whatsappwindow"
)

// ClockState is the state of one cycle of a metric.
type ClockState string

// Clock states. A cycle that is breached stays breached (even when it is
// paused, stopped, re-targeted to a longer target or resumed).
const (
	StateRunning   ClockState = "running"
	StatePaused    ClockState = "paused"
	StateMet       ClockState = "met"       // stopped before its deadline
	StateBreached  ClockState = "breached"  // running at or past its deadline, or stopped at or after it
	StateCancelled ClockState = "cancelled" // stopped by solving or closing before its deadline; not counted
)

// Span is a stretch of time during which a cycle was paused (or, after a
// reopening, stopped). To is zero while the pause lasts.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// Cycle is one measurement of a metric: it starts, may pause and resume,
// and stops. Its target comes from the policy in force at the ticket's
// priority; a cycle with no target is tracked (so that a policy that
// starts to apply later measures from the real start) but not reported.
// The cycle counts from Start to Stop (or now) except during its Pauses.
type Cycle struct {
	Metric     Metric        `json:"metric"`
	N          int           `json:"n"`                 // 1-based cycle number within the metric
	Start      time.Time     `json:"start"`             // when the cycle started
	Stop       time.Time     `json:"stop,omitzero"`     // when it stopped; zero while open
	Pauses     []Span        `json:"pauses,omitempty"`  // in order; the last has no To while paused
	Target     time.Duration `json:"target_ns"`         // 0: no target
	Base       time.Duration `json:"base_ns"`           // business time counted before the current span (all of it once paused or stopped)
	Deadline   time.Time     `json:"deadline,omitzero"` // zero while paused before reaching the target
	BreachedAt time.Time     `json:"breached,omitzero"` // recorded breach (sticky)
	State      ClockState    `json:"state"`             // running, paused, met, breached or cancelled
	Fired      uint64        `json:"fired,omitempty"`   // bit i: level i of the policy's ladder fired in this cycle
}

func (c *Cycle) open() bool    { return c.Stop.IsZero() }
func (c *Cycle) running() bool { return c.open() && c.State == StateRunning }

// from is the start of the current counting span.
func (c *Cycle) from() time.Time {
	if n := len(c.Pauses); n > 0 {
		return c.Pauses[n-1].To
	}
	return c.Start
}

// elapsed is the business time counted up to at.
func (c *Cycle) elapsed(cal *calendar.Calendar, at time.Time) time.Duration {
	if c.running() {
		if f := c.from(); at.After(f) {
			return c.Base + cal.Between(f, at)
		}
	}
	return c.Base
}

// reach is the instant at which the cycle's elapsed time reached (or, when
// it is running, will reach) d; false when it is paused or stopped before.
func (c *Cycle) reach(cal *calendar.Calendar, d time.Duration) (time.Time, bool) {
	if c.running() && d >= c.Base {
		return cal.Add(c.from(), d-c.Base), true
	}
	var cum time.Duration
	from := c.Start
	for _, p := range c.Pauses {
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
	if e := cal.Between(from, c.Stop); cum+e >= d {
		return cal.Add(from, d-cum), true
	}
	return time.Time{}, false
}

// rebase recomputes Base with cal (the calendar of a new policy).
func (c *Cycle) rebase(cal *calendar.Calendar) {
	c.Base = 0
	from := c.Start
	for _, p := range c.Pauses {
		c.Base += cal.Between(from, p.From)
		from = p.To
	}
	if !c.open() && !from.IsZero() {
		c.Base += cal.Between(from, c.Stop)
	}
}

// pause stops counting at t.
func (c *Cycle) pause(cal *calendar.Calendar, t time.Time) {
	c.Base += cal.Between(c.from(), t)
	c.Pauses = append(c.Pauses, Span{From: t})
	c.State = StatePaused
}

// resume counts again from t.
func (c *Cycle) resume(t time.Time) {
	c.Pauses[len(c.Pauses)-1].To = t
	c.State = StateRunning
}

// Stats counts what KPIs need beyond the clocks.
type Stats struct {
	AgentReplies     int       `json:"agent_replies"`               // public agent (and counted bot) messages
	CustomerMessages int       `json:"customer_messages"`           // customer messages after created
	Reopens          int       `json:"reopens"`                     // times the ticket left solved
	Escalations      int       `json:"escalations"`                 // escalated events
	EscalationTier   string    `json:"escalation_tier,omitempty"`   // tier of the last escalated event
	CSAT             int       `json:"csat,omitempty"`              // last csat score
	FirstReplyAt     time.Time `json:"first_reply_at,omitzero"`     // first public agent reply
	LastCustomerAt   time.Time `json:"last_customer_at,omitzero"`   // last customer message (or created)
	WindowRejectedAt time.Time `json:"window_rejected_at,omitzero"` // last window_rejected event
	// WindowExpiredBeforeFirstResponse: the WhatsApp window closed while the
	// ticket waited for its first agent reply (known at the next message).
	WindowExpiredBeforeFirstResponse bool      `json:"window_expired_before_first_response,omitempty"`
	SolvedAt                         time.Time `json:"solved_at,omitzero"` // last time the ticket was solved
	ClosedAt                         time.Time `json:"closed_at,omitzero"`
	WaitingSince                     time.Time `json:"waiting_since,omitzero"` // oldest unanswered customer message
	PolicyChanges                    int       `json:"policy_changes"`
	PriorityChanges                  int       `json:"priority_changes"`
}

// Handoff is a change of the team holding a ticket: from the instant At
// the ticket is held by To (an empty team means unassigned). Changes made
// by routing rules count like assign events.
type Handoff struct {
	At   time.Time `json:"at"`
	From string    `json:"from"`
	To   string    `json:"to"`
}

// RuleApplied is one entry of a ticket's trace of routing rules.
type RuleApplied struct {
	Rule string    `json:"rule"`
	At   time.Time `json:"at"`
}

// State is everything the engine knows about one ticket. The zero State is
// a ticket not yet created. The host keeps it (for instance as JSON, see
// [State.MarshalJSON]) and hands it back to [Engine.Apply] with the next
// event.
//
// Like append, Apply takes ownership of the State it is given: it may
// modify that value's slices, so keep only the State it returns, or
// [State.Clone] it first. Evaluate never modifies a State.
type State struct {
	Ticket  Ticket        // current attributes
	Policy  string        // name of the policy in force; "" when none matches
	Events  int           // events applied
	LastAt  time.Time     // instant of the last applied event
	Replied bool          // a public agent reply has been seen
	Waiting bool          // the customer waits for a public reply
	Stats   Stats         // counters for KPIs
	Cycles  []Cycle       // every cycle, in start order
	Rules   []RuleApplied // trace of routing rules
	// Escalations lists the escalation levels fired, in firing order.
	Escalations []Escalation
	// Window is the WhatsApp customer service window of a WhatsApp ticket
	// (see [Config.WhatsApp]); zero otherwise.
	Window whatsappwindow.Window
	// Handoffs lists the changes of team after creation, in order (the
	// team set at creation, rules included, is Handoffs[0].From, or the
	// ticket's Team when there is no handoff).
	Handoffs []Handoff

	open    []int         // indices of open cycles, ascending (derived)
	lastRes int           // 1 + index of the last resolution cycle; 0 for none (derived)
	nth     []metricCount // cycles started per metric (derived)

	// fireAt caches the instant of the next escalation firing as computed
	// after the last change (zero: none); valid only when fireKnown.
	fireAt    time.Time
	fireKnown bool
}

type metricCount struct {
	m Metric
	n int
}

// seenN notes that a cycle numbered n of m exists.
func (s *State) seenN(m Metric, n int) {
	for i := range s.nth {
		if s.nth[i].m == m {
			s.nth[i].n = max(s.nth[i].n, n)
			return
		}
	}
	s.nth = append(s.nth, metricCount{m, n})
}

// nextN counts a new cycle of m and returns its number.
func (s *State) nextN(m Metric) int {
	for i := range s.nth {
		if s.nth[i].m == m {
			s.nth[i].n++
			return s.nth[i].n
		}
	}
	s.nth = append(s.nth, metricCount{m, 1})
	return 1
}

// Clone returns a deep copy of s, which later Apply calls on s do not change.
func (s State) Clone() State {
	c := s
	c.Ticket = s.Ticket.clone()
	c.Cycles = slices.Clone(s.Cycles)
	for i := range c.Cycles {
		c.Cycles[i].Pauses = slices.Clone(c.Cycles[i].Pauses)
	}
	c.Rules = slices.Clone(s.Rules)
	c.Escalations = slices.Clone(s.Escalations)
	c.Window.Seen = slices.Clone(s.Window.Seen)
	c.Handoffs = slices.Clone(s.Handoffs)
	c.open = slices.Clone(s.open)
	c.nth = slices.Clone(s.nth)
	return c
}

// Created reports whether the ticket has been created.
func (s *State) Created() bool { return s.Events > 0 }

// Closed reports whether the ticket is closed (no event may follow).
func (s *State) Closed() bool { return s.Ticket.Status == StatusClosed }

// StateVersion is the version of the JSON form of [State].
const StateVersion = 1

type stateJSON struct {
	V           int                    `json:"v"`
	Ticket      Ticket                 `json:"ticket"`
	Policy      string                 `json:"policy"`
	Events      int                    `json:"events"`
	LastAt      time.Time              `json:"last_at"`
	Replied     bool                   `json:"replied"`
	Waiting     bool                   `json:"waiting"`
	Stats       Stats                  `json:"stats"`
	Cycles      []Cycle                `json:"cycles"`
	Rules       []RuleApplied          `json:"rules"`
	Escalations []Escalation           `json:"escalations,omitempty"`
	Window      *whatsappwindow.Window `json:"whatsapp,omitempty"`
	// Handoffs is omitted when empty, so states without a change of team
	// keep the JSON they had before handoffs were recorded.
	Handoffs []Handoff `json:"handoffs,omitempty"`
}

// MarshalJSON encodes s as versioned JSON ({"v":1,...}) with a stable
// field order. Instants keep their zone offset and sub-second digits, so
// decoding and re-encoding gives the same bytes and the same clocks.
func (s State) MarshalJSON() ([]byte, error) {
	j := stateJSON{V: StateVersion, Ticket: s.Ticket, Policy: s.Policy, Events: s.Events, LastAt: s.LastAt,
		Replied: s.Replied, Waiting: s.Waiting, Stats: s.Stats, Cycles: s.Cycles, Rules: s.Rules, Escalations: s.Escalations,
		Handoffs: s.Handoffs}
	if s.Window.Key != (whatsappwindow.Key{}) {
		j.Window = &s.Window
	}
	if j.Cycles == nil {
		j.Cycles = []Cycle{}
	}
	if j.Rules == nil {
		j.Rules = []RuleApplied{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON produced. Unknown fields and
// versions are refused with [ErrState].
func (s *State) UnmarshalJSON(b []byte) error {
	var j stateJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if j.V != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrState, j.V, StateVersion)
	}
	*s = State{Ticket: j.Ticket, Policy: j.Policy, Events: j.Events, LastAt: j.LastAt, Replied: j.Replied,
		Waiting: j.Waiting, Stats: j.Stats, Cycles: j.Cycles, Rules: j.Rules, Escalations: j.Escalations, Handoffs: j.Handoffs}
	if j.Window != nil {
		s.Window = *j.Window
	}
	if len(s.Handoffs) == 0 {
		s.Handoffs = nil
	}
	if len(s.Cycles) == 0 {
		s.Cycles = nil
	}
	if len(s.Rules) == 0 {
		s.Rules = nil
	}
	for i := range s.Cycles {
		c := &s.Cycles[i]
		switch c.State {
		case StateRunning, StatePaused:
			if !c.open() {
				return fmt.Errorf("%w: cycle %d: state %s with a stop", ErrState, i+1, c.State)
			}
			paused := len(c.Pauses) > 0 && c.Pauses[len(c.Pauses)-1].To.IsZero()
			if paused != (c.State == StatePaused) {
				return fmt.Errorf("%w: cycle %d: state %s does not match its pauses", ErrState, i+1, c.State)
			}
			s.open = append(s.open, i)
		case StateMet, StateBreached, StateCancelled:
			if c.open() {
				return fmt.Errorf("%w: cycle %d: state %s without a stop", ErrState, i+1, c.State)
			}
		default:
			return fmt.Errorf("%w: cycle %d: unknown state %q", ErrState, i+1, c.State)
		}
		if c.Metric == Resolution {
			s.lastRes = i + 1
		}
		s.seenN(c.Metric, c.N)
	}
	return nil
}
