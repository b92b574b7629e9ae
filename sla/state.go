package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unsafe"

	"github.com/slakit/slakit/whatsappwindow"
)

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
	// WindowExpiredBeforeFirstResponse reports whether the WhatsApp window
	// closed while the ticket waited for its first agent reply (known at
	// the next message).
	WindowExpiredBeforeFirstResponse bool      `json:"window_expired_before_first_response,omitempty"`
	SolvedAt                         time.Time `json:"solved_at,omitzero"` // last time the ticket was solved
	ClosedAt                         time.Time `json:"closed_at,omitzero"`
	WaitingSince                     time.Time `json:"waiting_since,omitzero"` // oldest unanswered customer message
	// PolicyChanges counts the times the SLA policy in force changed; the
	// ticket's first policy is not counted.
	PolicyChanges int `json:"policy_changes"`
	// PriorityChanges counts the times the ticket's effective priority
	// ([View.Priority]) changed while its policy stayed in force; the
	// ticket's first priority is not counted, and a change that also
	// changes the policy counts in PolicyChanges only.
	PriorityChanges int `json:"priority_changes"`
}

// ticketStats is the part of [Stats] that most tickets use; the rest,
// rareStats, is kept with the rarely used parts of a State.
type ticketStats struct {
	AgentReplies, CustomerMessages, Reopens int32 // counted with inc
	WindowExpiredBeforeFirstResponse        bool
	// opened is no statistic: derived (see openedMetrics), it takes the
	// padding after the flag above.
	opened openedMetrics
	// at holds the instants, [packed] against the ticket's creation: read
	// and write them through State.statAt and State.setStatAt.
	at [nStatAt]packed
}

// The instants of ticketStats.
const (
	atFirstReply = iota
	atLastCustomer
	atSolved
	atClosed
	atWaiting
	nStatAt
)

// statAt returns the instant i (atFirstReply...) of the ticket's
// statistics; zero when not set.
func (s *State) statAt(i int) time.Time {
	if p := s.stats.at[i]; p != farInstant {
		return p.unpack(s.ticket.CreatedAt)
	}
	return s.more.farAt[i]
}

// setStatAt sets the instant i of the ticket's statistics; one that
// cannot be packed is kept whole in the rarely used part.
func (s *State) setStatAt(i int, t time.Time) {
	p, ok := pack(s.ticket.CreatedAt, t)
	if !ok {
		m := s.xw()
		if m.farAt == nil {
			m.farAt = new([nStatAt]time.Time)
		}
		m.farAt[i], p = t, farInstant
	}
	s.stats.at[i] = p
}

// setCreationStat sets the instant i of the ticket's statistics to the
// ticket's creation: setStatAt(i, s.ticket.CreatedAt), whose packed form
// is the instant's nanoseconds alone (no second after the creation).
func (s *State) setCreationStat(i int) {
	s.stats.at[i] = packed(int64(s.ticket.CreatedAt.Nanosecond()) ^ packFlip)
}

// copyStatAt sets the instant dst of the ticket's statistics to the
// instant src, without packing it again.
func (s *State) copyStatAt(dst, src int) {
	p := s.stats.at[src]
	if p == farInstant {
		s.more.farAt[dst] = s.more.farAt[src]
	}
	s.stats.at[dst] = p
}

// inc returns n+1, or n at the largest int32.
func inc(n int32) int32 { return min(n, maxCycleN-1) + 1 }

// rareStats is the part of [Stats] that only escalated, rated, rejected
// or re-prioritised tickets use.
type rareStats struct {
	Escalations, CSAT, PolicyChanges, PriorityChanges int
	EscalationTier                                    string
	WindowRejectedAt                                  time.Time
}

// fullStats returns the Stats of s.
func (s *State) fullStats() Stats {
	var st Stats
	s.fullStatsInto(&st)
	return st
}

// fullStatsInto writes the Stats of s into st, every field: the instants
// unpacked against the creation's seconds and location taken once.
func (s *State) fullStatsInto(st *Stats) {
	h, r := &s.stats, &s.x().stats
	sec, loc := s.ticket.CreatedAt.Unix(), s.ticket.CreatedAt.Location()
	st.AgentReplies, st.CustomerMessages, st.Reopens = int(h.AgentReplies), int(h.CustomerMessages), int(h.Reopens)
	st.Escalations, st.EscalationTier, st.CSAT = r.Escalations, r.EscalationTier, r.CSAT
	st.WindowRejectedAt, st.WindowExpiredBeforeFirstResponse = r.WindowRejectedAt, h.WindowExpiredBeforeFirstResponse
	st.PolicyChanges, st.PriorityChanges = r.PolicyChanges, r.PriorityChanges
	for i, dst := range [nStatAt]*time.Time{atFirstReply: &st.FirstReplyAt, atLastCustomer: &st.LastCustomerAt,
		atSolved: &st.SolvedAt, atClosed: &st.ClosedAt, atWaiting: &st.WaitingSince} {
		switch p := h.at[i]; p {
		case noInstant:
			*dst = time.Time{}
		case farInstant:
			*dst = s.more.farAt[i]
		default:
			// unpackAt written out: time.Unix and Time.In inline here, where
			// unpackAt's call does not.
			*dst = time.Unix(p.unixAt(sec)).In(loc)
		}
	}
}

// splitStats is the inverse of fullStats but for the instants of
// ticketStats (see setStats); false when a counter of st is beyond what
// ticketStats holds.
func splitStats(st *Stats) (ticketStats, rareStats, bool) {
	ok := st.AgentReplies <= maxCycleN && st.CustomerMessages <= maxCycleN && st.Reopens <= maxCycleN &&
		st.AgentReplies >= -maxCycleN && st.CustomerMessages >= -maxCycleN && st.Reopens >= -maxCycleN
	return ticketStats{AgentReplies: int32(st.AgentReplies), CustomerMessages: int32(st.CustomerMessages), Reopens: int32(st.Reopens),
			WindowExpiredBeforeFirstResponse: st.WindowExpiredBeforeFirstResponse},
		rareStats{Escalations: st.Escalations, CSAT: st.CSAT, PolicyChanges: st.PolicyChanges, PriorityChanges: st.PriorityChanges,
			EscalationTier: st.EscalationTier, WindowRejectedAt: st.WindowRejectedAt}, ok
}

// setStats sets the instants of the ticket's statistics from st.
func (s *State) setStats(st *Stats) {
	for i, t := range [nStatAt]time.Time{atFirstReply: st.FirstReplyAt, atLastCustomer: st.LastCustomerAt,
		atSolved: st.SolvedAt, atClosed: st.ClosedAt, atWaiting: st.WaitingSince} {
		s.setStatAt(i, t)
	}
}

// handoff is a change of the team holding a ticket: from the instant At
// the ticket is held by To (an empty team means unassigned). Changes made
// by routing rules and ladder actions count like assign events.
type handoff struct {
	At   time.Time `json:"at"`
	From string    `json:"from"`
	To   string    `json:"to"`
}

// RuleApplied is one entry of a ticket's trace of routing rules.
type RuleApplied struct {
	Rule string    `json:"rule"`
	At   time.Time `json:"at"`
}

// State is everything the engine knows about one ticket: its attributes,
// the policy in force, every cycle of every metric, the routing rules and
// escalation levels applied, its WhatsApp window and the changes of team.
// The zero State is a ticket not yet created. A State is opaque: the host
// keeps it (for instance as JSON, see [State.MarshalJSON]), hands it back
// to [Engine.Apply] with the next event, and reads it through the engine
// ([Engine.Evaluate], [Engine.Result]) or the accessors below.
//
// Like append, Apply takes ownership of the State it is given: it may
// modify that value's slices, so keep only the State it returns, or
// [State.Clone] it first. Evaluate never modifies a State.
type State struct {
	// The fields are laid out for a replay's record (see replayTicket),
	// which a large replay may have to fetch from memory at each event of
	// the ticket: those most events read, the ticket's id, status, team
	// and creation among them, lie in few cache lines; the ticket's
	// rarely read attributes (subject, customer, fields) in lines of their
	// own. TestRecordLayout pins where each lies: a field added must keep
	// it.
	ticket Ticket    // current attributes
	events int       // events applied
	lastAt time.Time // instant of the last applied event (or firing)
	fireAt int64     // see fireBy; in Unix nanoseconds (see State.setFire)
	// fireBy is the id of the engine that computed fireAt after the last
	// change: fireAt holds the instant of the next escalation firing (or
	// a bound, see fireBound; zero: none) only for that engine, whose
	// ladders it read. Zero, or another engine's id (a State handed from
	// one engine to another, say after a policy reload), says unknown.
	// With boundKept added to it (apply adds it before the event's
	// changes), the bound or firing fireAt holds was that engine's, and
	// no change that may move it has been made since: see boundStale.
	fireBy uint64
	cycles []cycle // every cycle, in start order
	open   []int   // indices of open cycles, ascending (derived)
	// nth holds the number of the last cycle of each metric that has one
	// numbered 2 or more (derived); nil when none, so that a ticket
	// without such a metric spends 8 B on it, not 24. Read it through
	// counts, write it through addCount.
	nth *[]metricCount
	// more holds what most tickets never have; nil until first needed.
	// Read it through x, write it through xw.
	more *stateMore
	// window is the WhatsApp customer service window of a WhatsApp ticket
	// (see [Config.WhatsApp]), allocated at its first message; nil
	// otherwise. Read it through win.
	window *whatsappwindow.Window
	// breachFrom is a bound on the instants that advance may find a
	// running cycle breached at (derived; 0: not known): no running cycle
	// with a target has a deadline before its Unix second but those whose
	// breach is recorded. Set anew by advance, stopResponses, stopAll,
	// reselect and retarget (from the cycles left running), lowered by
	// openCycle, cleared where deadlines move or cycles run again
	// (recompute, reopen, resume).
	breachFrom int64
	replied    bool // a public agent reply has been seen
	waiting    bool // the customer waits for a public reply
	// fireBound says fireAt holds only a bound on the next escalation
	// firing, not its instant: no level fires before it (zero: none can
	// fire). See fireBy.
	fireBound bool
	// olaShut says that no OLA cycle is open (derived; false: not known):
	// olaEvent, which alone opens one, left none open, or the ticket was
	// just created (a State never created holds none, see check). A
	// ticket an OLA's team held once keeps its stopped cycles: olaWatch
	// skips it.
	olaShut bool
	lastRes int32 // 1 + index of the last resolution cycle; 0 for none (derived)
	// unpaused says that no open cycle is paused (derived; false: not
	// known): set and cleared by syncPauses, which alone pauses a cycle,
	// and set by the event that creates the ticket (its cycles all run).
	unpaused bool
	// ixPol and ixPrio index the policy in force (1 + its position in
	// Engine.policies; 0 for none) and the ticket's effective priority
	// (its position in Engine.prios), for the engine whose stamp
	// (Engine.ixID) ixBy holds (derived; 0: none). See policyPrio.
	ixPrio uint8
	ixPol  uint16
	ixBy   uint32
	stats  ticketStats // counters for KPIs (the rest in more)
	// policy, the name of the policy in force ("" when none matches), is
	// read when the policy is chosen again and in results: last.
	policy string
}

// stateMore is the part of a [State] that most tickets never use, kept
// apart so that an open ticket costs less memory.
type stateMore struct {
	// rules comes first: a replay's record keeps room for one rule just
	// before (see replayTicket), in the same cache line.
	rules       []RuleApplied // trace of routing rules
	escalations []Escalation  // escalation levels fired, in firing order
	// handoffs lists the changes of team after creation, in order (the
	// team set at creation, rules included, is handoffs[0].From, or the
	// ticket's Team when there is no handoff).
	handoffs []handoff
	// farAt holds the instants of the ticket's statistics that cannot be
	// packed (see State.setStatAt); nil when none.
	farAt *[nStatAt]time.Time
	// winFired has bit i set when the window level i fired in the window
	// that closes at winFor.
	winFired uint64
	winFor   time.Time
	stats    rareStats // the counters for KPIs that most tickets never change

	// The fields events read come last. In a replay's record (see
	// replayTicket), which a large replay may have to fetch from memory at
	// each event of the ticket, the last 32 bytes (what most events read)
	// share a cache line with the head of the memos, and the 32 before
	// (what only some tickets' events read) one with the fields above.
	calendar string // the calendar the policy's CalendarBy chose; "" for the policy's own
	// olas holds the cycles of the OLA metrics, in start order.
	olas  []olaCycle
	fails *condFailures // the conditions that failed at run time; nil when none did
	// memos holds bounds on the next escalation firing of the ticket's
	// running clocks (see firingMemos); nil until the first event after
	// which a ladder was searched (a replay's record holds its own from
	// the start). Derived: not kept in JSON, nor by Clone.
	memos *firingMemos
	// fired has bit i set when level i of the ladder, a level without
	// metric, fired since the ticket was created or last reopened.
	fired uint64
}

// noMore and noWindow are what x and win return for a State without
// them. They are never written.
var (
	noMore   stateMore
	noWindow whatsappwindow.Window
)

// x returns the rarely used part of s for reading (never write through it).
func (s *State) x() *stateMore {
	if s.more == nil {
		return &noMore
	}
	return s.more
}

// xw returns the rarely used part of s for writing, allocating it.
func (s *State) xw() *stateMore {
	if s.more == nil {
		s.more = &stateMore{}
	}
	return s.more
}

// xwRules is xw for recording n routing rules applied. Most tickets
// that have the rarely used part have it for a rule applied at creation:
// the part and room for one rule are allocated at once.
func (s *State) xwRules(n int) *stateMore {
	if s.more == nil && n == 1 {
		b := &struct {
			m stateMore
			r [1]RuleApplied
		}{}
		b.m.rules = b.r[:0]
		s.more = &b.m
	}
	return s.xw()
}

// win returns the WhatsApp window of s for reading (never write through it).
func (s *State) win() *whatsappwindow.Window {
	if s.window == nil {
		return &noWindow
	}
	return s.window
}

type metricCount struct {
	m Metric
	n int32
}

// counts returns nth's counts; the caller may change an element in
// place but not the slice.
func (s *State) counts() []metricCount {
	if s.nth == nil {
		return nil
	}
	return *s.nth
}

// addCount appends mc to nth.
func (s *State) addCount(mc metricCount) {
	if s.nth == nil {
		// One allocation for the slice and its first count.
		b := &struct {
			s []metricCount
			c [1]metricCount
		}{}
		b.s = b.c[:0]
		s.nth = &b.s
	}
	*s.nth = append(*s.nth, mc)
}

// seenN notes that a cycle numbered n of m exists.
func (s *State) seenN(m Metric, n int32) {
	nth := s.counts()
	for i := range nth {
		if nth[i].m == m {
			nth[i].n = max(nth[i].n, n)
			return
		}
	}
	s.addCount(metricCount{m, n})
}

// openedMetrics has bit i set when the ticket has had a cycle of the
// built-in metric of index i (builtinIndex), once openedKnown is set: by
// the event that creates the ticket, before any cycle starts. A State
// read from JSON has openedKnown clear: its bits say nothing, and nextN
// searches the cycles as for a custom metric. A recycled record's state
// has it clear too, until its next ticket's created event sets it. A
// cycle of a built-in metric sets its bit as it opens: the creation's in
// openCycle, any later one in nextNOf, where the bit is clear for the
// first cycle of its metric only.
type openedMetrics uint8

const openedKnown openedMetrics = 1 << 7

// openedBit is the bit in openedMetrics of m, of metric index mi (see
// compiled.metricIndex: a built-in metric's is its builtinIndex; -1
// without a policy); 0 for a custom metric.
func openedBit(m Metric, mi int) openedMetrics {
	if mi < 0 {
		mi = builtinIndex(m)
	}
	if uint(mi) >= uint(len(builtins)) {
		return 0
	}
	return 1 << (uint(mi) & 7)
}

// Every built-in metric has a bit of openedMetrics below openedKnown: a
// fifth or later one added to builtins keeps its own (the mask above only
// spares a shift check), and an eighth fails to compile here.
var _ [7 - len(builtins)]struct{}

// nextN counts a new cycle of m and returns its number. Most metrics
// never have a second cycle, so nth holds only those that do; for the
// others the cycles are searched, at most twice per metric.
func (s *State) nextN(m Metric) int32 { return s.nextNOf(m, -1) }

// nextNOf is nextN for m of metric index mi (see openedBit): a built-in
// metric the ticket never had a cycle of, as s.stats.opened says when
// known, is numbered 1 without the search (the first periodic update and
// next response of most tickets, which would search every cycle), and
// its bit set.
func (s *State) nextNOf(m Metric, mi int) int32 {
	bit := openedBit(m, mi)
	if o := s.stats.opened; o&(openedKnown|bit) == openedKnown && bit != 0 {
		s.stats.opened = o | bit
		return 1 // no cycle of m: nth holds none either
	}
	nth := s.counts()
	for i := range nth {
		if nth[i].m == m {
			nth[i].n = min(nth[i].n, maxCycleN-1) + 1
			return nth[i].n
		}
	}
	for i := len(s.cycles) - 1; i >= 0; i-- {
		if c := &s.cycles[i]; c.Metric == m {
			n := min(c.N, maxCycleN-1) + 1
			s.addCount(metricCount{m, n})
			return n
		}
	}
	return 1
}

// Clone returns a deep copy of s, which later Apply calls on s do not change.
func (s State) Clone() State {
	c := s
	c.ticket = s.ticket.clone()
	c.cycles = slices.Clone(s.cycles)
	for i := range c.cycles {
		c.cycles[i].cloneExt()
	}
	if s.window != nil {
		w := *s.window
		w.Seen = slices.Clone(w.Seen)
		c.window = &w
	}
	if s.more != nil {
		m := *s.more
		m.rules = slices.Clone(m.rules)
		m.escalations = slices.Clone(m.escalations)
		m.handoffs = slices.Clone(m.handoffs)
		m.olas = slices.Clone(m.olas)
		for i := range m.olas {
			m.olas[i].cloneExt()
		}
		if m.farAt != nil {
			f := *m.farAt
			m.farAt = &f
		}
		if m.fails != nil {
			f := *m.fails
			f.list = slices.Clone(f.list)
			m.fails = &f
		}
		m.memos = nil // derived: the clone finds its own
		c.more = &m
	}
	c.open = slices.Clone(s.open)
	if s.nth != nil {
		nth := slices.Clone(*s.nth)
		c.nth = &nth
	}
	return c
}

// reuse empties s, the state of a ticket that a replay has forgotten once
// its Result was handed over, into the zero State (a ticket not yet
// created), keeping for the next ticket the storage that the Result does
// not share (see [Engine.result]): the WhatsApp window, and the rarely
// used part with its rules, escalations, OLA cycles and handoffs. The
// Result shares the ticket's tags and fields and the condition failures:
// those are let go, and so are the cycles, the open indices and
// the cycle counts, which the caller provides again (see
// [replayTicket.reset]). The kept pieces are empty, which every reader
// takes as it takes their absence (an empty window or rarely used part
// reads as none).
func (s *State) reuse() {
	window, more := s.window, s.more
	*s = State{}
	if window != nil {
		*window = whatsappwindow.Window{Seen: emptied(window.Seen)}
		s.window = window
	}
	if more != nil {
		more.reuse()
		s.more = more
	}
}

// reuse empties m in place for another ticket, keeping the storage of
// its rules, escalations, OLA cycles, handoffs and memos. Every field is
// written, one by one: a stateMore built apart would be copied over
// whole, its pointers a second time.
func (m *stateMore) reuse() {
	m.calendar, m.fails, m.memos, m.olas, m.fired = "", nil, m.memos.emptied(), emptied(m.olas), 0
	m.stats, m.rules, m.escalations, m.farAt = rareStats{}, emptied(m.rules), emptied(m.escalations), nil
	m.handoffs, m.winFired, m.winFor = emptied(m.handoffs), 0, time.Time{}
}

// maxReuse bounds the bytes of one slice a recycled State keeps (see
// emptied): a ticket with a longer history gives its storage up, so that
// a replay's live tickets never carry more than that from the tickets
// before them.
const maxReuse = 2048

// emptied returns s cleared and of length 0, keeping its storage; nil
// when it has none or more than maxReuse bytes of it. Clearing the
// elements lets go of what they pointed to; those past the length were
// never set, since a replayed state's slices only grow (append) until
// emptied.
func emptied[T any](s []T) []T {
	if cap(s) == 0 || uintptr(cap(s))*unsafe.Sizeof(s[:1][0]) > maxReuse {
		return nil
	}
	// Element by element: most are one or two elements long, which clear
	// would hand to three calls of the runtime. Each is zeroed in place,
	// with no zero value on the stack to copy from (which every call,
	// empty slices included, would clear first).
	for i := range s {
		s[i] = *new(T)
	}
	return s[:0]
}

// Created reports whether the ticket has been created.
func (s *State) Created() bool { return s.events > 0 }

// Closed reports whether the ticket is closed (no event may follow).
func (s *State) Closed() bool { return s.ticket.Status == StatusClosed }

// Ticket returns a copy of the ticket's current attributes, as the events,
// the routing rules and the escalation actions left them.
func (s *State) Ticket() Ticket { return s.ticket.clone() }

// Policy returns the name of the policy in force; "" when none applies.
func (s *State) Policy() string { return s.policy }

// LastAt returns the instant of the last event applied (or of the last
// escalation level fired, when later); zero before the ticket is created.
func (s *State) LastAt() time.Time { return s.lastAt }

// Rules returns the trace of the routing rules applied, in order.
func (s *State) Rules() []RuleApplied { return slices.Clone(s.x().rules) }

// StateVersion is the version of the JSON form of [State].
const StateVersion = 1

type stateJSON struct {
	V           int                    `json:"v"`
	Ticket      Ticket                 `json:"ticket"`
	Policy      string                 `json:"policy"`
	Calendar    string                 `json:"calendar,omitempty"`
	Events      int                    `json:"events"`
	LastAt      time.Time              `json:"last_at"`
	Replied     bool                   `json:"replied"`
	Waiting     bool                   `json:"waiting"`
	Stats       Stats                  `json:"stats"`
	Cycles      []cycleJSON            `json:"cycles"`
	Rules       []RuleApplied          `json:"rules"`
	Escalations []Escalation           `json:"escalations,omitempty"`
	Window      *whatsappwindow.Window `json:"whatsapp,omitempty"`
	// Handoffs is omitted when empty, so states without a change of team
	// keep the JSON they had before handoffs were recorded.
	Handoffs []handoff `json:"handoffs,omitempty"`
	// OLAs: the cycles of the OLA metrics, omitted when there are none.
	OLAs []olaCycleJSON `json:"olas,omitempty"`
	// Fired: the levels without metric fired (see stateMore.fired).
	Fired uint64 `json:"fired,omitempty"`
	// WindowFired: the window levels fired in the current window.
	WindowFired *windowFiredJSON `json:"window_fired,omitempty"`
	// CondFailures: the conditions that failed at run time, omitted when
	// none did (see condFailures).
	CondFailures        []condFailureJSON `json:"condition_failures,omitempty"`
	CondFailuresOmitted int               `json:"condition_failures_omitted,omitempty"`
}

type condFailureJSON struct {
	Cond  string    `json:"condition"`
	Name  string    `json:"name"`
	Error string    `json:"error"`
	Count int       `json:"count"`
	At    time.Time `json:"first_at"`
}

type windowFiredJSON struct {
	ClosesAt time.Time `json:"closes_at"`
	Levels   uint64    `json:"levels"`
}

// MarshalJSON encodes s as versioned JSON ({"v":1,...}) with a stable
// field order. Instants keep their zone offset and sub-second digits, so
// decoding and re-encoding gives the same bytes and the same clocks.
func (s State) MarshalJSON() ([]byte, error) {
	m := s.x()
	j := stateJSON{V: StateVersion, Ticket: s.ticket, Policy: s.policy, Calendar: m.calendar, Events: s.events, LastAt: s.lastAt,
		Replied: s.replied, Waiting: s.waiting, Stats: s.fullStats(), Cycles: make([]cycleJSON, len(s.cycles)),
		Rules: m.rules, Escalations: m.escalations, Handoffs: m.handoffs, Fired: m.fired}
	for i := range s.cycles {
		j.Cycles[i] = s.cycles[i].toJSON()
	}
	if len(m.olas) > 0 {
		j.OLAs = make([]olaCycleJSON, len(m.olas))
		for i := range m.olas {
			o := &m.olas[i]
			j.OLAs[i] = olaCycleJSON{OLA: o.OLA, Team: o.Team, cycleJSON: o.toJSON()}
		}
	}
	if m.winFired != 0 {
		j.WindowFired = &windowFiredJSON{ClosesAt: m.winFor, Levels: m.winFired}
	}
	if f := m.fails; f != nil {
		j.CondFailuresOmitted = f.omitted
		j.CondFailures = make([]condFailureJSON, len(f.list))
		for i, c := range f.list {
			j.CondFailures[i] = condFailureJSON(c)
		}
	}
	if s.window != nil && s.window.Key != (whatsappwindow.Key{}) {
		j.Window = s.window
	}
	if j.Rules == nil {
		j.Rules = []RuleApplied{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON produced. Unknown fields and
// versions, and states Apply could not have produced (a negative elapsed
// time or target, an elapsed time longer than the time since the cycle
// started, cycles out of order or numbered wrongly, pauses or a
// stop out of order, two open cycles of one metric, instants outside the
// ticket's life), are refused with [ErrState] and a message naming the
// cycle.
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
	*s = State{ticket: j.Ticket, policy: j.Policy, events: j.Events, lastAt: j.LastAt, replied: j.Replied,
		waiting: j.Waiting, window: j.Window}
	if len(j.Cycles) > 0 {
		s.cycles = make([]cycle, len(j.Cycles))
		for i := range j.Cycles {
			c, err := j.Cycles[i].fromJSON()
			if err != nil {
				return fmt.Errorf("%w: cycle %d (%s#%d): %w", ErrState, i+1, j.Cycles[i].Metric, j.Cycles[i].N, err)
			}
			s.cycles[i] = c
		}
	}
	var m stateMore
	var ok bool
	if s.stats, m.stats, ok = splitStats(&j.Stats); !ok {
		return fmt.Errorf("%w: a stats counter out of range", ErrState)
	}
	m.calendar, m.rules, m.escalations, m.handoffs, m.fired = j.Calendar, j.Rules, j.Escalations, j.Handoffs, j.Fired
	if len(j.OLAs) > 0 {
		m.olas = make([]olaCycle, len(j.OLAs))
		for i := range j.OLAs {
			o := &j.OLAs[i]
			c, err := o.fromJSON()
			if err != nil {
				return fmt.Errorf("%w: ola cycle %d (%s %s#%d): %w", ErrState, i+1, o.OLA, o.Metric, o.N, err)
			}
			m.olas[i] = olaCycle{OLA: o.OLA, Team: o.Team, cycle: c}
		}
	}
	if w := j.WindowFired; w != nil {
		m.winFired, m.winFor = w.Levels, w.ClosesAt
	}
	if len(j.CondFailures) > 0 || j.CondFailuresOmitted != 0 {
		f, err := condFailuresFromJSON(j.CondFailures, j.CondFailuresOmitted)
		if err != nil {
			return err
		}
		m.fails = f
	}
	if len(m.handoffs) == 0 {
		m.handoffs = nil
	}
	if len(m.rules) == 0 {
		m.rules = nil
	}
	if len(m.escalations) == 0 {
		m.escalations = nil
	}
	if len(m.olas) == 0 {
		m.olas = nil
	}
	if m.stats != (rareStats{}) || m.calendar != "" || m.rules != nil || m.escalations != nil || m.handoffs != nil || m.olas != nil || m.fired != 0 || m.winFired != 0 || !m.winFor.IsZero() || m.fails != nil {
		s.more = &m
	}
	s.setStats(&j.Stats)
	return s.check()
}

// check refuses a decoded state that Apply could not have produced:
// impossible values are reported, never a panic or nonsense later. It
// derives the indices Apply keeps (open cycles, last resolution, cycle
// counts).
func (s *State) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrState}, args...)...)
	}
	switch {
	case s.events < 0:
		return bad("negative event count %d", s.events)
	case s.events == 0 && (s.ticket.ID != "" || len(s.cycles) > 0 || len(s.x().olas) > 0 || len(s.x().escalations) > 0 || s.x().fails != nil):
		return bad("a ticket never created has attributes, cycles, OLA cycles, escalations or condition failures")
	case s.events == 0:
		return nil
	case s.ticket.ID == "":
		return bad("no ticket id")
	case !s.ticket.Status.valid():
		return bad("unknown ticket status %q", s.ticket.Status)
	case s.ticket.CreatedAt.IsZero() || !inRange(s.ticket.CreatedAt):
		return bad("ticket created_at %s outside the years 1900 to 2999", s.ticket.CreatedAt.Format(time.RFC3339))
	case s.lastAt.Before(s.ticket.CreatedAt) || s.lastAt.Sub(s.ticket.CreatedAt) > maxSpan:
		return bad("last_at %s not within 200 years after the creation", s.lastAt.Format(time.RFC3339))
	}
	if err := s.checkOLAs(); err != nil {
		return err
	}
	return s.checkCycles()
}

// inRange reports whether t is zero or an instant events may have.
func inRange(t time.Time) bool { return t.IsZero() || (!t.Before(minInstant) && t.Before(maxInstant)) }

// checkCycles checks the handoffs and the cycles of a created ticket and
// derives the indices Apply keeps.
func (s *State) checkCycles() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrState}, args...)...)
	}
	var prev time.Time
	handoffs := s.x().handoffs
	for i := range handoffs {
		if h := handoffs[i].At; h.Before(prev) || h.Before(s.ticket.CreatedAt) || h.After(s.lastAt) {
			return bad("handoff %d at %s out of order", i+1, h.Format(time.RFC3339))
		}
		prev = handoffs[i].At
	}
	prev = time.Time{}
	for i := range s.cycles {
		c := &s.cycles[i]
		where := fmt.Sprintf("cycle %d (%s#%d)", i+1, c.Metric, c.N)
		switch {
		case c.Metric == "":
			return bad("cycle %d: no metric", i+1)
		case c.N < 1:
			return bad("%s: cycle number %d below 1", where, c.N)
		case c.Target < 0 || c.Target > maxSpan:
			return bad("%s: target %v outside 0 to 200 years", where, c.Target)
		case c.Base < 0 || c.Base > maxSpan:
			return bad("%s: elapsed time %v is negative or over 200 years", where, c.Base)
		case c.Start.Before(s.ticket.CreatedAt) || c.Start.After(s.lastAt):
			return bad("%s: start %s outside the ticket's life", where, c.Start.Format(time.RFC3339))
		case c.Base > s.lastAt.Sub(c.Start):
			// Business time is counted within the wall-clock time since the start.
			return bad("%s: elapsed time %v longer than the time since its start", where, c.Base)
		case c.Start.Before(prev):
			return bad("%s: starts before the cycle listed before it: cycles out of order", where)
		case !inRange(c.due) || !inRange(c.breachAt()):
			return bad("%s: deadline or breach outside the years 1900 to 2999", where)
		}
		prev = c.Start
		if err := s.checkCycle(i); err != nil {
			return err
		}
	}
	if s.Closed() && len(s.open) > 0 {
		return bad("a closed ticket with open cycles")
	}
	// nth keeps only the metrics with a cycle numbered 2 or more.
	if s.nth != nil {
		if *s.nth = slices.DeleteFunc(*s.nth, func(mc metricCount) bool { return mc.n < 2 }); len(*s.nth) == 0 {
			s.nth = nil
		}
	}
	return nil
}

// checkCycle checks the pauses, stop and state of cycle i and notes it in
// the derived indices.
func (s *State) checkCycle(i int) error {
	c := &s.cycles[i]
	where := fmt.Sprintf("cycle %d (%s#%d)", i+1, c.Metric, c.N)
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{ErrState, where}, args...)...)
	}
	from, open := c.Start, false
	for k, p := range c.spans() {
		if open || p.From.Before(from) || (!p.To.IsZero() && p.To.Before(p.From)) || p.From.After(s.lastAt) || p.To.After(s.lastAt) {
			return bad("pause %d out of order", k+1)
		}
		open = p.To.IsZero()
		from = p.To
	}
	if stop := c.stopAt(); !c.open() && (open || stop.Before(from) || stop.After(s.lastAt)) {
		return bad("stop %s out of order", stop.Format(time.RFC3339))
	}
	switch c.State {
	case phRunning, phPaused:
		if !c.open() {
			return bad("state %s with a stop", c.State)
		}
		if open != (c.State == phPaused) {
			return bad("state %s does not match its pauses", c.State)
		}
		for _, j := range s.open {
			if s.cycles[j].Metric == c.Metric {
				return bad("a second open cycle of %s", c.Metric)
			}
		}
		s.open = append(s.open, i)
	case phMet, phBreached, phCancelled:
		if c.open() {
			return bad("state %s without a stop", c.State)
		}
	default:
		return bad("unknown state %q", c.State)
	}
	for _, mc := range s.counts() {
		if mc.m == c.Metric && c.N <= mc.n {
			return bad("cycle numbers of %s must increase", c.Metric)
		}
	}
	if c.Metric == Resolution {
		s.lastRes = int32(i + 1)
	}
	s.seenN(c.Metric, c.N)
	return nil
}

// boundKept, added to State.fireBy, says that st.fireAt is still a bound
// on the next escalation firing for that engine: apply adds it before the
// event changes st, and every change that may move the bound clears it
// (boundStale). Engine ids never reach it.
const boundKept = 1 << 63

// boundStale marks a change of st that may move the bound on its next
// escalation firing: a cycle stopped, paused, resumed, re-targeted or
// recounted, a level fired or re-armed, the policy, priority or
// calendar chosen again, an attribute a level's condition reads changed.
// The next firing is then unknown (fireBy zero), and the walk after the
// event is not skipped (see Engine.fireAfterEvent). A cycle opened at the
// event's instant marks less (see boundOpened), and a stop or a pause
// less when its clock did not give the bound (see boundStopped). A
// missing mark is a firing missed or late: TestKeptBoundMatchesWalk
// replays histories with and without the skip.
func (st *State) boundStale() { st.fireBy = 0 }

// boundStopped marks the stop or pause of the open cycle st.cycles[i]: a
// clock no longer running moves the bound on the next firing (or the next
// firing itself) only when it gave it (firingMemos.least), since the
// others' stay as they are; see boundStale.
func (st *State) boundStopped(i int) {
	least := int32(0)
	if m := st.more; m != nil && m.memos != nil {
		least = m.memos.least
	}
	// Without a branch on least, which the cycles stopped make hard to
	// predict: known is 1 when least is not 0, other 1 when it is not
	// i+1 (min compiles to a conditional move), and fireBy is cleared
	// unless both are.
	known := uint64(min(uint32(least), 1))
	other := uint64(min(uint32(least)^uint32(i+1), 1))
	st.fireBy &= -(known & other)
}

// boundNone marks the stop of every open cycle (stopAll): with no clock
// left running, none of a ladder whose bound may be kept fires (only
// running cycles' clocks fire its levels) until a cycle opens or runs
// again, which marks it. The bound kept becomes none; the walk after the
// event, if it is not skipped, finds it so.
func (st *State) boundNone() {
	st.fireAt, st.fireBound = 0, true
	if m := st.more; m != nil && m.memos != nil {
		m.memos.least = -1
	}
}
