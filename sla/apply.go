package sla

import (
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/eventbit"
)

// Apply applies one event to a ticket's state and returns the new state.
// Apart from the exceptions below, it costs O(1) in the length of the
// ticket's history: it touches the open cycles only, at most one per
// metric (and, when a change of priority or policy re-targets them, their
// own pauses). The exceptions:
//   - a change of priority that leaves the policy in force and its
//     calendar as they were, under a policy whose OnPriorityChange is
//     [Recompute], measures every cycle the ticket has had again, open or
//     stopped, with its pauses, so that event costs O(cycles + pauses);
//   - a change of policy or calendar clears one flag on every cycle (a
//     loop over the cycles, with no calendar arithmetic);
//   - with [Config.OLAs], every event while a team an OLA measures holds
//     the ticket looks through the ticket's OLA cycles (a hand-off adds
//     at most two), and so does each new holding;
//   - a metric's second cycle (or a custom metric's first) is numbered by
//     a search of the ticket's cycles, at most twice per metric.
//
// An event that cannot be applied is skipped: Apply returns st unchanged
// and an [*EventError] wrapping one of the sentinel errors. (With
// [Config.CloseSolvedAfter], a ticket solved that long by the event's
// instant is closed first, at its own instant: the event is then refused
// with [ErrClosed] and the returned State is the closed one.) Like append,
// Apply may reuse st's storage: keep only the returned State.
func (e *Engine) Apply(st State, ev Event) (State, error) {
	// The ticket and the event are handed to the host's functions
	// (conditions, router), which makes them escape: work on pooled
	// copies rather than allocating both on every call.
	s := scratchPool.Get().(*scratch)
	s.st, s.ev = st, ev
	err := e.applyTo(&s.st, &s.ev)
	st = s.st
	*s = scratch{}
	scratchPool.Put(s)
	return st, err
}

// applyTo is Apply in place, for a State and an event already on the heap
// (a replay's tickets): it spares copying the State in and out.
func (e *Engine) applyTo(st *State, ev *Event) error {
	if c, ok := e.closeAt(st); ok && !c.After(ev.At) {
		*st, _ = e.Advance(*st, c)
	}
	return e.applyOpen(st, ev)
}

// applyOpen is applyTo for a state that does not close by itself by the
// event's instant (a replay checks that first).
func (e *Engine) applyOpen(st *State, ev *Event) error {
	return e.applyFound(st, ev, false)
}

// applyFound is applyOpen; found says that st was found by ev's ticket id
// (a replay's live ticket), which judge then does not compare again. Only
// a replay finds its tickets, and it never hands out or writes out their
// States: apply may then leave uncounted what no Result shows (see
// [step.untold]).
func (e *Engine) applyFound(st *State, ev *Event, found bool) error {
	// The engine compares instants by wall clock: a monotonic clock
	// reading (time.Now gives one) takes no part (see Event.At). Time.In
	// strips the reading as Round(0) does, and inlines where Round is a
	// call; t.In(t.Location()) keeps the location (UTC stays nil).
	ev.At = ev.At.In(ev.At.Location())
	k, r := e.judge(st, ev, found)
	if r != accepted {
		return &EventError{Ticket: ev.TicketID, Seq: st.events + 1, Type: ev.Type, At: ev.At, Err: e.refusedErr(r, st, ev)}
	}
	e.applyTold(st, ev, k, found)
	return nil
}

// Event instants must lie in [minInstant, maxInstant), so that every
// deadline stays within what calendars and JSON can represent.
var (
	minInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	// Their Unix seconds: both are whole seconds and Unix rounds down, so t
	// lies in the range exactly when minUnix <= t.Unix() < maxUnix, which
	// costs less than comparing the instants.
	minUnix, maxUnix = minInstant.Unix(), maxInstant.Unix()
)

// inInstants reports whether t lies in [minInstant, maxInstant).
func inInstants(t time.Time) bool {
	s := t.Unix()
	return s >= minUnix && s < maxUnix
}

// beyondSpan reports whether to is more than maxSpan after from, without
// the cost of time.Time.Sub: maxSpan is whole seconds, so the seconds
// apart decide unless they equal it, and then the nanoseconds do.
func beyondSpan(from, to time.Time) bool {
	return beyondSpanUnix(from, to, to.Unix())
}

// beyondSpanUnix is beyondSpan for an instant to whose Unix seconds toSec
// the caller has at hand.
func beyondSpanUnix(from, to time.Time, toSec int64) bool {
	const spanSec = int64(maxSpan / time.Second)
	ds := toSec - from.Unix()
	return ds > spanSec || (ds == spanSec && to.Nanosecond() > from.Nanosecond())
}

// beforeUnix reports whether the instant of Unix seconds sec and
// nanoseconds ns is before u (time.Time.Before, by wall clock, without its
// call).
func beforeUnix(sec int64, ns int, u time.Time) bool {
	us := u.Unix()
	return sec < us || sec == us && ns < u.Nanosecond()
}

// maxSpan bounds the life of a ticket (and the instants Evaluate looks
// at), so that business-time durations never overflow.
const maxSpan = 200 * 365 * 24 * time.Hour

type scratch struct {
	st State
	ev Event
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// evKind is an event's type as a small number, which the steps of apply
// compare without comparing strings. The zero evKind is an unknown type.
type evKind uint8

const (
	kCreated evKind = iota + 1
	kMessage
	kNote
	kStatus
	kPriority
	kAssign
	kUpdate
	kEscalated
	kCSAT
	kWindowRejected
)

// bit returns the kind's bit in an [eventbit.Set]: the kinds are numbered
// in the order of eventbit.Names, from 1. k must be a kind (not 0): the
// shift is masked to the set's width, which spares the test of a shift
// past it at each of the several calls per event.
func (k evKind) bit() eventbit.Set { return 1 << ((k - 1) & 15) }

// kindOf returns the evKind of the event type t; 0 for an unknown one.
// A message, the most common type, is told by one comparison.
func kindOf(t EventType) evKind {
	if t == EventMessage {
		return kMessage
	}
	switch t {
	case EventCreated:
		return kCreated
	case EventStatus:
		return kStatus
	case EventAssign:
		return kAssign
	case EventUpdate:
		return kUpdate
	case EventNote:
		return kNote
	case EventCSAT:
		return kCSAT
	case EventPriority:
		return kPriority
	case EventEscalated:
		return kEscalated
	case EventWindowRejected:
		return kWindowRejected
	}
	return 0
}

// refusal is why an event cannot be applied to a state (accepted: it
// can), which judge tells without building the error: refusedErr builds
// it, out of the common path's code.
type refusal uint8

const (
	accepted             refusal = iota
	refusedType                  // an unknown event type
	refusedNoID                  // no ticket id
	refusedInstant               // no instant, or one outside the years 1900 to 2999
	refusedTicket                // an event before the ticket's creation
	refusedOther                 // the event of another ticket
	refusedClosed                // the ticket is closed
	refusedCreated               // created again
	refusedOrder                 // before the ticket's last event
	refusedSpan                  // more than 200 years after the creation
	refusedStatus                // an unknown status
	refusedCreatedClosed         // created closed
	refusedPriority              // an unknown priority
	refusedAuthor                // an unknown author
	refusedAssign                // an assign without team or agent
	refusedScore                 // a CSAT score outside 1-5
)

// judge returns the kind of the event, or why it cannot be applied to st
// (the first refusal in the order of its tests). found says that st is
// the state of ev's ticket id (see applyFound).
func (e *Engine) judge(st *State, ev *Event, found bool) (evKind, refusal) {
	k := kindOf(ev.Type)
	if k == 0 {
		return 0, refusedType
	}
	if ev.TicketID == "" {
		return k, refusedNoID
	}
	// inInstants, with the seconds kept; the zero instant lies before.
	sec := ev.At.Unix()
	if sec < minUnix || sec >= maxUnix {
		return k, refusedInstant
	}
	if !st.Created() {
		if k != kCreated {
			return k, refusedTicket
		}
	} else {
		switch {
		case !found && ev.TicketID != st.ticket.ID:
			return k, refusedOther
		case st.Closed():
			return k, refusedClosed
		case k == kCreated:
			return k, refusedCreated
		case beforeUnix(sec, ev.At.Nanosecond(), st.lastAt):
			return k, refusedOrder
		case beyondSpanUnix(st.ticket.CreatedAt, ev.At, sec):
			return k, refusedSpan
		}
	}
	switch k {
	case kCreated:
		if ev.Status != "" && !ev.Status.valid() {
			return k, refusedStatus
		}
		if ev.Status == StatusClosed {
			return k, refusedCreatedClosed
		}
		if ev.Priority != "" {
			if _, ok := e.prioIndex(ev.Priority); !ok {
				return k, refusedPriority
			}
		}
		return k, judgeAuthor(ev.Author)
	case kMessage:
		return k, judgeAuthor(ev.Author)
	case kStatus:
		if !ev.Status.valid() {
			return k, refusedStatus
		}
	case kPriority:
		if _, ok := e.prioIndex(ev.Priority); !ok {
			return k, refusedPriority
		}
	case kAssign:
		if ev.Team == "" && ev.Agent == "" && !ev.ClearTeam {
			return k, refusedAssign
		}
	case kCSAT:
		if ev.Score < 1 || ev.Score > 5 {
			return k, refusedScore
		}
	}
	return k, accepted
}

// judgeAuthor refuses an unknown author.
func judgeAuthor(a Author) refusal {
	switch a {
	case "", AuthorCustomer, AuthorAgent, AuthorBot:
		return accepted
	}
	return refusedAuthor
}

// refusedErr is the error of the refusal r of ev, applied to st.
func (e *Engine) refusedErr(r refusal, st *State, ev *Event) error {
	switch r {
	case refusedType:
		return ErrUnknownEventType
	case refusedNoID:
		return invalid("no ticket id")
	case refusedInstant:
		if ev.At.IsZero() {
			return invalid("no instant")
		}
		return invalid("instant %s outside the years 1900 to 2999", ev.At.Format(time.RFC3339))
	case refusedTicket:
		return ErrUnknownTicket
	case refusedOther:
		return invalid("event of ticket %s applied to the state of ticket %s", quoteName(ev.TicketID), quoteName(st.ticket.ID))
	case refusedClosed:
		return ErrClosed
	case refusedCreated:
		return ErrAlreadyCreated
	case refusedOrder:
		return ErrOutOfOrder
	case refusedSpan:
		return invalid("instant more than 200 years after the ticket was created")
	case refusedStatus:
		return invalid("unknown status %s", quoteName(ev.Status))
	case refusedCreatedClosed:
		return invalid("a ticket cannot be created closed")
	case refusedPriority:
		return invalid("unknown priority %s (priorities: %s)", quoteName(ev.Priority), nameList(e.prios))
	case refusedAuthor:
		return invalid("unknown author %s", quoteName(ev.Author))
	case refusedAssign:
		return invalid("assign without team or agent")
	case refusedScore:
		return invalid("csat score %d outside 1-5", ev.Score)
	}
	return nil
}

// calOf is the calendar of the policy p (nil for none) for the ticket of
// st: the one its CalendarBy chose, else the policy's own.
func calOf(p *compiled, st *State) *calendar.Calendar {
	if p == nil {
		return calendar.Always
	}
	if len(p.Calendars) == 0 {
		return p.cal // no CalendarBy (most policies): the ticket's choice is not read
	}
	if name := st.x().calendar; name != "" {
		if c := p.Calendars[name]; c != nil {
			return c
		}
	}
	return p.cal
}

// calendarFor is the name of the calendar p's CalendarBy chooses for st's
// ticket; "" for the policy's own. A failure at t is recorded on st.
func (p *compiled) calendarFor(st *State, t time.Time) string {
	if p == nil || p.CalendarBy == nil {
		return ""
	}
	name, err := p.CalendarBy(&st.ticket)
	if err != nil {
		st.condFailed(err, "Policy.CalendarBy", p.Name, t)
		return ""
	}
	if p.Calendars[name] != nil {
		return name
	}
	return ""
}

// step is one event on its way through the engine: the steps of apply
// share it.
type step struct {
	st        *State
	ev        *Event
	kind      evKind // the event's type
	t         time.Time
	first     bool               // the event creates the ticket
	pol       *compiled          // the policy in force (nil: none)
	cal       *calendar.Calendar // its calendar for the ticket, once chosen again (see apply)
	prio      int                // the index of the effective priority
	oldStatus Status             // the status before the event ("" for created)
	// untold says that st is never written out or handed out (a replay's
	// record): a cycle without a target then stops without counting its
	// time, which only a State's JSON would tell (see cycle.stop).
	untold  bool
	dirty   bool  // choose the policy again whatever changed
	changed Attrs // the ticket's attributes the event and the rules changed
}

// apply runs an event that judge accepted through the engine's steps; k
// is its kind.
func (e *Engine) apply(st *State, ev *Event, k evKind) { e.applyTold(st, ev, k, false) }

// applyTold is apply; untold says that st is never written out (see
// step.untold).
func (e *Engine) applyTold(st *State, ev *Event, k evKind, untold bool) {
	t := ev.At
	first := k == kCreated // judge let it through for a ticket not created only
	// Levels due up to the event fire first, at their instants; the next
	// firing after them is not worked out, since the event may change st:
	// fireUntil leaves at most a bound on it (see ladderBounds.searchKept).
	// None fires before the ticket is created (fireUntil would only clear
	// fireBy, as below).
	if !first && st.fireDue(e.id, t) {
		e.fireUntil(st, t, false, false)
	}
	st.fireBy |= boundKept // a bound this engine found stands unless a change marks it (boundStale; see fireAfterEvent)
	s := &step{st: st, ev: ev, kind: k, t: t, first: first, oldStatus: st.ticket.Status, untold: untold}
	s.pol, s.prio = e.indexed(st)
	// A state whose policy this engine does not know chooses again.
	s.dirty = s.pol == nil && st.policy != "" || first // first last: a value, not a branch
	if st.mayBreach(t) {
		e.advance(st, t)
	}
	oldTeam := st.ticket.Team
	e.setAttributes(s)
	e.route(s)
	if st.touches(s.changed) {
		st.more.memos.forget(s.changed) // the levels' answers the memos keep
		st.boundStale()
	}
	// Only an assignment and the rules change the team (any router but
	// package policy's may change it unnoticed).
	if (s.changed&AttrTeam != 0 || e.bitRouter == nil) && !first {
		st.handoff(t, oldTeam)
	}
	if s.dirty || e.rereads(st, s.changed) {
		s.pol, s.prio = e.reselect(st, s.pol, s.prio, t, s.first)
	}
	s.cal = calOf(s.pol, st) // no step below chooses again
	if e.whatsapp != nil && (k == kMessage || k == kCreated || k == kWindowRejected) {
		e.observeWindow(st, ev, k, t) // only messages (created opens with one) and rejections move a window
	}
	e.clocksOnEvent(s)
	if !st.pausesSettled(s.pol) {
		e.syncPauses(st, s.pol, s.cal, t)
	}
	if e.olaWatch(st) {
		e.olaEvent(st, ev, t, oldTeam, s.oldStatus)
	}
	st.events++
	st.lastAt = t
	// Levels due at t whose condition the event made true fire now.
	e.fireAfterEvent(st, s.pol, t)
}

// edit is a change of a ticket's attributes, made by an event or by the
// actions of an escalation level: every write goes through [State.write]
// (an assign event's through the part of it that sets the team and agent).
type edit struct {
	status     Status // "" keeps it
	priority   string // "" keeps it
	team       string // "" keeps it unless clearTeam
	clearTeam  bool
	agent      string // "" keeps it
	tags       []string
	removeTags []string
	subject    string         // "" keeps it
	fields     map[string]any // a nil value deletes the field
}

// write applies ed to the ticket and returns the attributes it changed.
// The change of team is recorded by the caller ([State.handoff]), once the
// routing rules have run too.
func (st *State) write(ed *edit) Attrs {
	tk := &st.ticket
	changed := setAttr(&tk.Status, ed.status, AttrStatus) | setAttr(&tk.Priority, ed.priority, AttrPriority)
	if changed&AttrPriority != 0 {
		st.dropIndex()
	}
	changed |= tk.assign(ed.team, ed.clearTeam, ed.agent)
	if len(ed.tags) > 0 && tk.addTags(ed.tags) {
		changed |= AttrTags
	}
	if len(ed.removeTags) > 0 && tk.removeTags(ed.removeTags) {
		changed |= AttrTags
	}
	changed |= setAttr(&tk.Subject, ed.subject, AttrSubject)
	if len(ed.fields) == 0 {
		return changed // most edits set no field
	}
	for _, k := range sortedKeys(ed.fields) {
		if v := ed.fields[k]; v == nil {
			delete(tk.Fields, k)
		} else {
			if tk.Fields == nil {
				tk.Fields = map[string]any{}
			}
			tk.Fields[k] = v
		}
		changed |= AttrFields
	}
	return changed
}

// assign sets the team (or clears it, with clear and no team) and the
// agent, as an edit does (see State.write), and returns the attributes
// that changed.
func (tk *Ticket) assign(team string, clear bool, agent string) Attrs {
	changed := setAttr(&tk.Team, team, AttrTeam)
	if team == "" && clear && tk.Team != "" {
		tk.Team = ""
		changed |= AttrTeam
	}
	return changed | setAttr(&tk.Agent, agent, AttrAgent)
}

// setAttr sets the attribute *p to v, unless v is "" (which keeps it),
// and returns a when that changed it, 0 otherwise: one attribute of an
// edit (see State.write), or of an event that changes only that one.
func setAttr[S ~string](p *S, v S, a Attrs) Attrs {
	if v != "" && *p != v {
		*p = v
		return a
	}
	return 0
}

// handoff records a change of team at t, from the team held before.
func (st *State) handoff(t time.Time, from string) {
	if st.ticket.Team != from {
		m := st.xw()
		m.handoffs = append(m.handoffs, handoff{At: t, From: from, To: st.ticket.Team})
	}
}

// setAttributes applies the event's own changes to the ticket and its
// counters. A status, a priority and a customer's message that reopens
// the ticket change one attribute each, without an edit.
func (e *Engine) setAttributes(s *step) {
	st, ev := s.st, s.ev
	tk := &st.ticket
	switch s.kind {
	case kCreated:
		e.setCreated(st, ev, s.t)
		st.dropIndex()
		s.oldStatus = ""
	case kStatus:
		s.changed |= setAttr(&tk.Status, ev.Status, AttrStatus)
	case kPriority:
		s.changed |= setAttr(&tk.Priority, e.intern(ev.Priority), AttrPriority)
		st.dropIndex()
	case kAssign:
		s.changed |= tk.assign(ev.Team, ev.ClearTeam, ev.Agent) // an edit of these alone
	case kUpdate:
		s.changed |= st.write(&edit{tags: ev.Tags, removeTags: ev.RemoveTags, subject: ev.Subject, fields: ev.Fields})
	case kMessage:
		if (tk.Status == StatusSolved || tk.Status == StatusPending) && ev.author() == AuthorCustomer {
			s.changed |= setAttr(&tk.Status, StatusOpen, AttrStatus)
		} // most messages change no attribute
	case kEscalated:
		m := st.xw()
		m.stats.Escalations++
		m.stats.EscalationTier = ev.Tier
	case kCSAT:
		st.xw().stats.CSAT = ev.Score
	case kWindowRejected:
		st.xw().stats.WindowRejectedAt = s.t
	}
}

// setCreated sets the attributes of the ticket that ev, a created event
// at t, creates.
func (e *Engine) setCreated(st *State, ev *Event, t time.Time) {
	// Every field is written in place (a Ticket built apart would be
	// copied over, with its pointers, a second time).
	tk := &st.ticket
	tk.ID, tk.Channel, tk.Priority, tk.Status = ev.TicketID, ev.Channel, e.intern(ev.Priority), ev.Status
	if tk.Status == "" {
		tk.Status = StatusNew
	}
	tk.Team, tk.Agent, tk.Subject = ev.Team, ev.Agent, ev.Subject
	tk.Tags, tk.Fields = slices.Clone(ev.Tags), maps.Clone(ev.Fields)
	if ev.Customer != nil {
		tk.Customer = *ev.Customer
	} else {
		tk.Customer = Customer{}
	}
	tk.CreatedAt = t
	if st.cycles == nil {
		st.cycles = make([]cycle, 0, 4)
	}
	if st.open == nil {
		st.open = make([]int, 0, 4)
	}
}

// route runs the routing rules, which may change the ticket's attributes.
// Most events are of a type no rule runs on: the test is inlined.
func (e *Engine) route(s *step) {
	if e.routeTypes&s.kind.bit() != 0 {
		e.routeEvent(s)
	}
}

// routeEvent is route for an event the router is asked about.
func (e *Engine) routeEvent(s *step) {
	st := s.st
	if e.bitRouter != nil {
		b := s.kind.bit()
		if e.routeNeeds.Skips(b, s.ev.Text != "", string(s.ev.author())) {
			return // the event has nothing the rules need
		}
		// The rules change the ticket only by applying (none applied, none
		// changed it), and never its id.
		prio := st.ticket.Priority
		low, more, err := e.bitRouter.RouteBit(&st.ticket, s.ev, b)
		if n := bits.OnesCount64(low) + len(more); n > 0 {
			m := st.xwRules(n)
			m.rules = slices.Grow(m.rules, n)
			for ; low != 0; low &= low - 1 {
				m.rules = append(m.rules, RuleApplied{Rule: e.ruleNames[bits.TrailingZeros64(low)], At: s.t})
			}
			for _, name := range more {
				m.rules = append(m.rules, RuleApplied{Rule: name, At: s.t})
			}
			e.routed(s, prio)
		}
		if err != nil {
			e.routeFailed(s, err)
		}
		return
	}
	prio := st.ticket.Priority
	names, err := e.router.Route(&st.ticket, s.ev)
	if st.ticket.ID != s.ev.TicketID {
		// The ticket's id names it in the host and in a replay: a router
		// may not change it (see Router).
		st.condFailed(fmt.Errorf("the router changed the ticket's id to %q; the change is undone", st.ticket.ID), "Router", "", s.t)
		st.ticket.ID = s.ev.TicketID
	}
	if len(names) > 0 {
		m := st.xwRules(len(names))
		m.rules = slices.Grow(m.rules, len(names))
		for _, name := range names {
			m.rules = append(m.rules, RuleApplied{Rule: name, At: s.t})
		}
		e.routed(s, prio)
	} else if st.ticket.Priority != prio {
		st.dropIndex() // a router may change the priority without naming a rule
	}
	if err != nil {
		e.routeFailed(s, err)
	}
}

// routed notes that rules applied to the event, prio being the priority
// before them: they may have changed any attribute, and the priority to a
// name the engine keeps apart.
func (e *Engine) routed(s *step, prio string) {
	if tk := &s.st.ticket; tk.Priority != prio {
		s.st.dropIndex()
		tk.Priority = e.intern(tk.Priority)
	}
	s.changed = AttrAll
}

// routeFailed records the failures err of the rules that could not be
// decided.
func (e *Engine) routeFailed(s *step, err error) {
	condErrs(err, func(err error) { s.st.condFailed(err, "Router", "", s.t) })
}

// clocksOnEvent starts, reopens and stops the cycles the event concerns:
// the ticket's life (created, reopened), messages, custom metrics, and
// solving or closing, in that order.
func (e *Engine) clocksOnEvent(s *step) {
	status := s.st.ticket.Status
	active := status != StatusSolved && status != StatusClosed
	switch {
	case s.kind == kCreated:
		e.created(s)
	case s.oldStatus == StatusSolved && active:
		s.st.stats.Reopens = inc(s.st.stats.Reopens)
		if m := s.st.more; m != nil {
			m.fired = 0 // a reopening re-arms the levels without metric
		}
		e.reopen(s.st, s.pol, s.prio, s.t)
	}
	if s.kind == kMessage {
		e.message(s, active)
	}
	on := e.customOn
	if s.pol != nil {
		on = s.pol.customOn
	}
	if on&s.kind.bit() != 0 {
		e.customClocks(s, active)
	}
	if !active && s.oldStatus != StatusSolved && s.oldStatus != StatusClosed {
		e.solved(s)
	}
	switch {
	case status == StatusSolved && s.oldStatus != StatusSolved:
		s.st.setStatAt(atSolved, s.t)
	case status == StatusClosed:
		s.st.setStatAt(atClosed, s.t)
	}
}

// created starts the clocks of a new ticket. Its cycles are the ones
// this event opens, all running: no open cycle is paused (st.unpaused),
// so that syncPauses is not called for a ticket created at a status at
// which no cycle pauses (most). No OLA cycle is open either
// (st.olaShut): olaWatch then asks of the team alone, first, until
// olaEvent, which opens them, says otherwise. The metrics it has had a
// cycle of are known from here on (st.stats.opened, see nextNOf).
func (e *Engine) created(s *step) {
	st := s.st
	st.unpaused, st.olaShut = true, true
	st.stats.opened = openedKnown     // no cycle yet: the starts below set their metrics' bits
	if s.ev.author() != AuthorAgent { // a bot opens tickets on the customer's behalf
		s.start(FirstResponse, iFirstResponse)
		st.waiting = true
		st.setCreationStat(atLastCustomer)
		st.copyStatAt(atWaiting, atLastCustomer)
	} else if s.ev.public() {
		st.replied = true
		s.start(PeriodicUpdate, iPeriodicUpdate)
	}
	s.start(Resolution, iResolution)
}

// message starts a next response on a customer message when none is
// awaited, and stops the response clocks on a public reply (which starts
// a periodic update). active: the ticket is neither solved nor closed.
func (e *Engine) message(s *step, active bool) {
	st, ev, t := s.st, s.ev, s.t
	author := ev.author()
	countBot := s.pol != nil && s.pol.CountBotReplies
	switch {
	case author == AuthorCustomer:
		st.stats.CustomerMessages = inc(st.stats.CustomerMessages)
		st.setStatAt(atLastCustomer, t)
		if !st.waiting && active {
			st.waiting = true
			st.copyStatAt(atWaiting, atLastCustomer)
			s.start(NextResponse, iNextResponse)
		}
	case ev.public() && (author == AuthorAgent || (author == AuthorBot && countBot)):
		st.stats.AgentReplies = inc(st.stats.AgentReplies)
		if st.stats.at[atFirstReply] == noInstant {
			st.setStatAt(atFirstReply, t)
		}
		st.replied = true
		st.waiting = false
		st.stats.at[atWaiting] = noInstant
		st.stopResponses(s.cal, t, s.untold)
		if active {
			s.start(PeriodicUpdate, iPeriodicUpdate)
		}
	}
}

// customClocks stops the custom cycles whose stop condition holds and
// starts those whose start condition does.
func (e *Engine) customClocks(s *step, active bool) {
	st := s.st
	rules := e.customRules
	if s.pol != nil {
		rules = s.pol.customs // found once, by NewEngine
	}
	bit := s.kind.bit()
	for j := range rules {
		cm := &rules[j]
		if (cm.startOn|cm.stopOn)&bit == 0 {
			continue // neither condition holds on this type (see CustomMetric.StartOn)
		}
		k := -1
		if !s.first { // a ticket being created has only built-in cycles open, named apart
			k = st.openIndex(cm.Name)
		}
		cond := cm.Stop // of an open cycle
		if k < 0 {
			if !active || cm.startOn&bit == 0 {
				continue
			}
			cond = cm.Start
		} else if cm.stopOn&bit == 0 {
			continue
		}
		// The condition is asked here, not through a helper: most
		// events of most tickets ask one.
		ok, err := cond(&st.ticket, s.ev)
		switch {
		case err != nil:
			st.customFailed(err, cm.Name, k >= 0, s.t)
		case !ok:
		case k >= 0:
			st.stop(k, s.cal, s.t, false, s.untold)
		default:
			s.start(cm.Name, s.pol.metricIndexOf(cm.Name))
		}
	}
}

// solved stops every open cycle of a ticket that becomes solved or
// closed: resolution gets its verdict, the others are cancelled unless
// breached.
func (e *Engine) solved(s *step) {
	st, t := s.st, s.t
	st.waiting = false
	st.stats.at[atWaiting] = noInstant
	st.stopAll(s.cal, t, s.untold)
}

// stopResponses stops the open response cycles (first and next response,
// periodic update) at t, as State.stop would one by one, in one pass: each
// stop concerns its cycle alone, and the other cycles stay open, in order.
//
// The cycles left open bound st.breachFrom anew, as retarget does: the
// earliest deadline's second among the running ones (a stopped deadline
// no longer holds the bound back, so that the events after it do not
// walk the open cycles in advance).
//
// untold: see step.untold and cycle.stop.
func (st *State) stopResponses(cal *calendar.Calendar, t time.Time, untold bool) {
	o, n, low := st.open, 0, int64(noBreach)
	for _, i := range o {
		switch c := &st.cycles[i]; c.Metric {
		case FirstResponse, NextResponse, PeriodicUpdate:
			st.boundStopped(i)
			c.stop(cal, t, false, untold)
		default:
			o[n] = i
			n++
			ds, _ := c.breachTest(math.MinInt64, 0) // its deadline's second, asked before every instant
			low = min(low, ds)
		}
	}
	st.cutOpen(n)
	st.breachFrom = low // 0 (unknown) when the earliest is the Unix epoch's second
}

// stopAll stops every open cycle at t, as State.stop would one by one:
// resolution gets its verdict, the others are cancelled unless breached.
// No cycle is left running, so st.breachFrom says none is to be found
// breached (openCycle lowers it, reopen and a resumption clear it).
// untold: see step.untold and cycle.stop.
func (st *State) stopAll(cal *calendar.Calendar, t time.Time, untold bool) {
	st.boundNone()
	for _, i := range st.open {
		c := &st.cycles[i]
		c.stop(cal, t, c.Metric != Resolution, untold)
	}
	st.cutOpen(0)
	st.breachFrom = noBreach // no cycle open: none to find breached until one opens or reopens
}

// reselect chooses the policy again after the ticket's attributes changed
// at t, switching and re-targeting the open cycles as needed, and returns
// the policy and priority in force.
func (e *Engine) reselect(st *State, pol *compiled, prio int, t time.Time, first bool) (*compiled, int) {
	var next *compiled
	i := e.selectPolicy(st, t)
	if i >= 0 {
		next = e.policies[i]
	}
	newPrio := e.priority(&st.ticket, next)
	st.setIndex(e, i, newPrio) // what reselect returns, in every case
	newCal := next.calendarFor(st, t)
	calChanged := newCal != st.x().calendar
	if calChanged {
		st.xw().calendar = newCal
	}
	if next != pol || calChanged {
		st.boundStale()
		switch {
		case next == pol && newPrio != prio && !first:
			st.xw().stats.PriorityChanges++ // a new calendar, and a new priority
		case next != pol && !first:
			st.xw().stats.PolicyChanges++
		}
		pol = next
		st.policy = ""
		if pol != nil {
			st.policy = pol.Name
		}
		prio = newPrio
		if len(st.cycles) > 0 {
			e.switchPolicy(st, next)
			e.retarget(st, pol, prio, t)
		} else {
			st.breachFrom = noBreach // no cycle (a ticket being created): none to find breached; openCycle lowers it
		}
	} else if newPrio != prio {
		if !first {
			st.xw().stats.PriorityChanges++ // a ticket's first priority is no change
		}
		prio = newPrio
		if pol != nil && pol.OnPriorityChange == Recompute {
			cal := calOf(pol, st)
			st.breachFrom = 0 // the deadlines move
			st.boundStale()
			for i := range st.cycles {
				c := &st.cycles[i]
				c.recompute(cal, pol.target(prio, c.Metric, c.Start, cal), t)
			}
		} else {
			e.retarget(st, pol, prio, t)
		}
	}
	return pol, prio
}

// mayBreach reports whether advance may find a running cycle of st
// breached at t: false when t lies before st.breachFrom, advance's own
// first test, which apply asks, inlined, before the call (most events),
// or when no cycle is open (a ticket being created, whose bound is not
// known yet: reselect and openCycle set it).
func (st *State) mayBreach(t time.Time) bool {
	b := st.breachFrom
	return (b == 0 || t.Unix() >= b) && len(st.open) > 0
}

// advance records the breach of every running cycle whose deadline is
// not after t.
func (e *Engine) advance(st *State, t time.Time) {
	if !st.mayBreach(t) {
		return // no deadline of a running cycle is reached (most events)
	}
	ts, tn, low := t.Unix(), t.Nanosecond(), int64(noBreach)
	for _, i := range st.open {
		c := &st.cycles[i]
		if ds, due := c.breachTest(ts, tn); due {
			c.breachAtDueIf()
		} else {
			low = min(low, ds)
		}
	}
	st.breachFrom = low // 0 (unknown) when the earliest is the Unix epoch's second
}

// switchPolicy recounts the open cycles with the new policy's calendar;
// the stopped ones keep the time they counted in the former one.
func (e *Engine) switchPolicy(st *State, to *compiled) {
	cal := calOf(to, st)
	for i := range st.cycles {
		st.cycles[i].counted = false
	}
	for _, i := range st.open {
		st.cycles[i].rebase(cal)
	}
}

// retarget gives every open cycle the target of the policy in force at
// the priority; a deadline that is already past is a breach at t. The
// deadlines move: st.breachFrom becomes the earliest second of the new
// ones, as advance's walk would set it (a deadline already reached is a
// bound at or before t, so the next event walks).
func (e *Engine) retarget(st *State, pol *compiled, prio int, t time.Time) {
	cal := calOf(pol, st)
	low := int64(noBreach)
	st.boundStale()
	for _, i := range st.open {
		c := &st.cycles[i]
		c.retarget(cal, pol.target(prio, c.Metric, c.Start, cal), t)
		ds, _ := c.breachTest(math.MinInt64, 0) // its deadline's second, asked before every instant
		low = min(low, ds)
	}
	st.breachFrom = low // 0 (unknown) when the earliest is the Unix epoch's second
}

func (st *State) openIndex(m Metric) int {
	for k, i := range st.open {
		if st.cycles[i].Metric == m {
			return k
		}
	}
	return -1
}

// start opens a new cycle of m at t.
func (e *Engine) start(st *State, pol *compiled, prio int, m Metric, t time.Time) {
	st.startCycle(pol, prio, m, pol.metricIndexOf(m), calOf(pol, st), t)
}

// start opens a new cycle of m, of index mi under the step's policy (see
// metricIndexOf), at the event's instant.
func (s *step) start(m Metric, mi int) {
	s.st.openCycle(s.pol, s.prio, m, mi, s.cal, s.t, s.first)
}

// startCycle opens a new cycle of m at t, of index mi under pol (see
// metricIndexOf), counted in cal.
func (st *State) startCycle(pol *compiled, prio int, m Metric, mi int, cal *calendar.Calendar, t time.Time) {
	st.openCycle(pol, prio, m, mi, cal, t, false)
}

// openCycle is startCycle for the event that creates the ticket when
// first. That event starts the first cycle of each metric it starts: a
// ticket not yet created has no cycle (State.check refuses a decoded one
// that has), and the metrics that event starts are distinct (a custom
// metric is named apart from the built-in ones and from the others), so
// the cycle is numbered 1 without nextN's search of the ticket's cycles.
// The cycle is written in its place: when st.cycles has room, it keeps
// the ext found there (an empty ext that a replay's recycled record left,
// see replayTicket.reset, or nil).
func (st *State) openCycle(pol *compiled, prio int, m Metric, mi int, cal *calendar.Calendar, t time.Time, first bool) {
	st.boundOpened()
	n := int32(1)
	if !first {
		n = st.nextNOf(m, mi)
	} else {
		st.stats.opened |= openedBit(m, mi) // see openedMetrics
	}
	var target time.Duration
	var due time.Time
	if pol != nil {
		if target = pol.targetAt(prio, mi, t, cal); target > 0 {
			due = cal.Add(t, target)
			if b := st.breachFrom; b != 0 {
				st.breachFrom = min(b, due.Unix()) // may reach 0: unknown
			}
		}
	}
	k := len(st.cycles)
	if k == cap(st.cycles) {
		st.cycles = append(st.cycles, cycle{})
	} else {
		st.cycles = st.cycles[:k+1]
	}
	st.cycles[k].begin(m, n, t, target, due)
	st.open = append(st.open, k)
	if m == Resolution {
		st.lastRes = int32(k + 1)
	}
}

// cutOpen keeps the first n indices of st.open, zeroing the others.
func (st *State) cutOpen(n int) {
	for k := n; k < len(st.open); k++ {
		st.open[k] = 0 // a few: no call to clear
	}
	st.open = st.open[:n]
}

// stop stops the open cycle st.open[k] at t (see [cycle.stop]).
func (st *State) stop(k int, cal *calendar.Calendar, t time.Time, cancel, untold bool) {
	o := st.open
	st.boundStopped(o[k])
	st.cycles[o[k]].stop(cal, t, cancel, untold)
	// slices.Delete, for the few open cycles a ticket has: the indices
	// after k move down one by one, and the freed last is zeroed. The
	// slice is cut in place (st.open = st.open[:n] writes its length only).
	n := len(o) - 1
	for ; k < n; k++ {
		o[k] = o[k+1]
	}
	o[n] = 0
	st.open = st.open[:n]
}

// reopen resumes or restarts the resolution clock of a ticket that left solved.
func (e *Engine) reopen(st *State, pol *compiled, prio int, t time.Time) {
	st.boundStale() // the levels without metric are re-armed (clocksOnEvent), a cycle runs again
	mode := ReopenResume
	if pol != nil {
		mode = pol.reopen
	}
	if mode == ReopenRestart || st.lastRes == 0 {
		e.start(st, pol, prio, Resolution, t)
		return
	}
	i := int(st.lastRes) - 1
	c := &st.cycles[i]
	if c.open() {
		return
	}
	cal := calOf(pol, st)
	c.reopen(cal, pol.target(prio, Resolution, c.Start, cal), t)
	st.breachFrom = 0 // a cycle runs again
	k, _ := slices.BinarySearch(st.open, i)
	st.open = slices.Insert(st.open, k, i)
}

// pausesSettled reports whether syncPauses has nothing to do for st under
// pol: no open cycle is paused and pol pauses no cycle at the ticket's
// status, syncPauses's own first test, which apply asks, inlined, before
// the call (most events).
func (st *State) pausesSettled(pol *compiled) bool {
	return st.unpaused && pol != nil && !pol.pauses[statusIndex(st.ticket.Status)]
}

// syncPauses pauses and resumes open cycles after the event.
func (e *Engine) syncPauses(st *State, pol *compiled, cal *calendar.Calendar, t time.Time) {
	status := st.ticket.Status
	si := statusIndex(status) // the same for every cycle
	if pol != nil && !pol.pauses[si] {
		// No cycle pauses at this status (most events): resume the paused
		// ones without asking each cycle's metric, unless none is.
		if !st.unpaused {
			for _, i := range st.open {
				if c := &st.cycles[i]; c.State == phPaused {
					st.boundStale()
					c.resume(cal, t)
					st.breachFrom = 0 // a cycle runs again
				}
			}
			st.unpaused = true
		}
		return
	}
	paused := false
	for _, i := range st.open {
		c := &st.cycles[i]
		want := false
		switch bi := builtinIndex(c.Metric); {
		case bi >= 0 && pol != nil:
			want = pol.pauseOn[bi][si]
		case c.Metric == Resolution:
			want = status == StatusPending || status == StatusOnHold
		case bi < 0:
			if cm := e.customMetric(pol, c.Metric); cm != nil && cm.Pause != nil {
				var err error
				if want, err = cm.Pause(&st.ticket); err != nil {
					st.condFailed(err, "CustomMetric.Pause", string(cm.Name), t)
					want = false
				}
			}
		}
		switch {
		case want && c.State == phRunning:
			st.boundStopped(i)
			c.pause(cal, t)
		case !want && c.State == phPaused:
			st.boundStale()
			c.resume(cal, t)
			st.breachFrom = 0 // a cycle runs again
		}
		paused = paused || c.State == phPaused
	}
	st.unpaused = !paused
}

// pausesAt reports whether a cycle of some metric may pause under p at
// the status of index si: a built-in metric that pauses at it, or a custom
// metric with a pause condition. NewEngine keeps its answers in p.pauses.
func (p *compiled) pausesAt(si int) bool {
	for b := range p.pauseOn {
		if p.pauseOn[b][si] {
			return true
		}
	}
	for _, cm := range p.customs {
		if cm.Pause != nil {
			return true
		}
	}
	return false
}
