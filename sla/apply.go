package sla

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/slakit/slakit/calendar"
)

// Apply applies one event to a ticket's state and returns the new state.
// It costs O(1) in the length of the ticket's history: it touches the open
// cycles only, at most one per metric (and, when a change of priority or
// policy re-targets them, their own pauses).
//
// An event that cannot be applied is skipped: Apply returns st unchanged
// and an [*EventError] wrapping one of the sentinel errors. Like append,
// Apply may reuse st's storage: keep only the returned State.
func (e *Engine) Apply(st State, ev Event) (State, error) {
	if err := e.check(&st, &ev); err != nil {
		return st, &EventError{Ticket: ev.TicketID, Seq: st.Events + 1, Type: ev.Type, At: ev.At, Err: err}
	}
	// The ticket and the event are handed to the host's functions
	// (conditions, router), which makes them escape: work on pooled
	// copies rather than allocating both on every call.
	s := scratchPool.Get().(*scratch)
	s.st, s.ev = st, ev
	e.apply(&s.st, &s.ev)
	st = s.st
	*s = scratch{}
	scratchPool.Put(s)
	return st, nil
}

// Event instants must lie in [minInstant, maxInstant), so that every
// deadline stays within what calendars and JSON can represent.
var (
	minInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxSpan bounds the life of a ticket (and the instants Evaluate looks
// at), so that business-time durations never overflow.
const maxSpan = 200 * 365 * 24 * time.Hour

type scratch struct {
	st State
	ev Event
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (e *Engine) check(st *State, ev *Event) error {
	switch ev.Type {
	case EventCreated, EventMessage, EventNote, EventStatus, EventPriority, EventAssign, EventUpdate,
		EventEscalated, EventCSAT, EventWindowRejected:
	default:
		return ErrUnknownEventType
	}
	if ev.TicketID == "" {
		return invalid("no ticket id")
	}
	if ev.At.IsZero() {
		return invalid("no instant")
	}
	if ev.At.Before(minInstant) || !ev.At.Before(maxInstant) {
		return invalid("instant %s outside the years 1900 to 2999", ev.At.Format(time.RFC3339))
	}
	if !st.Created() {
		if ev.Type != EventCreated {
			return ErrUnknownTicket
		}
	} else {
		switch {
		case ev.TicketID != st.Ticket.ID:
			return invalid("event of ticket %q applied to the state of ticket %q", ev.TicketID, st.Ticket.ID)
		case st.Closed():
			return ErrClosed
		case ev.Type == EventCreated:
			return ErrAlreadyCreated
		case ev.At.Before(st.LastAt):
			return ErrOutOfOrder
		case ev.At.Sub(st.Ticket.CreatedAt) > maxSpan:
			return invalid("instant more than 200 years after the ticket was created")
		}
	}
	switch ev.Type {
	case EventCreated:
		if ev.Status != "" && !ev.Status.valid() {
			return invalid("unknown status %q", ev.Status)
		}
		if ev.Status == StatusClosed {
			return invalid("a ticket cannot be created closed")
		}
		if ev.Priority != "" {
			if _, ok := e.prioIdx[ev.Priority]; !ok {
				return invalid("unknown priority %q (priorities: %v)", ev.Priority, e.prios)
			}
		}
		return checkAuthor(ev.Author)
	case EventMessage:
		return checkAuthor(ev.Author)
	case EventStatus:
		if !ev.Status.valid() {
			return invalid("unknown status %q", ev.Status)
		}
	case EventPriority:
		if _, ok := e.prioIdx[ev.Priority]; !ok {
			return invalid("unknown priority %q (priorities: %v)", ev.Priority, e.prios)
		}
	case EventAssign:
		if ev.Team == "" && ev.Agent == "" && !ev.ClearTeam {
			return invalid("assign without team or agent")
		}
	case EventCSAT:
		if ev.Score < 1 || ev.Score > 5 {
			return invalid("csat score %d outside 1-5", ev.Score)
		}
	}
	return nil
}

func checkAuthor(a Author) error {
	switch a {
	case "", AuthorCustomer, AuthorAgent, AuthorBot:
		return nil
	}
	return invalid("unknown author %q", a)
}

func calOf(p *compiled) *calendar.Calendar {
	if p == nil {
		return calendar.Always
	}
	return p.cal
}

func (e *Engine) apply(st *State, ev *Event) {
	t := ev.At
	first := !st.Created()
	// Escalation levels due up to the event fire first, at their instants.
	e.fire(st, t)
	st.fireKnown = false // the event changes what fires next
	pol := e.policy(st.Policy)
	prio := e.priority(&st.Ticket)
	e.advance(st, t)

	tk := &st.Ticket
	oldStatus := tk.Status
	oldTeam := tk.Team
	// A state whose policy this engine does not know chooses again.
	dirty := first || (pol == nil && st.Policy != "")
	author := ev.author()
	switch ev.Type {
	case EventCreated:
		*tk = Ticket{ID: ev.TicketID, Channel: ev.Channel, Priority: ev.Priority, Status: ev.Status,
			Team: ev.Team, Agent: ev.Agent, Tags: slices.Clone(ev.Tags), Subject: ev.Subject,
			Fields: maps.Clone(ev.Fields), CreatedAt: t}
		if tk.Status == "" {
			tk.Status = StatusNew
		}
		if ev.Customer != nil {
			tk.Customer = *ev.Customer
		}
		oldStatus = ""
		if st.Cycles == nil {
			st.Cycles = make([]Cycle, 0, 4)
			st.open = make([]int, 0, 4)
		}
	case EventStatus:
		dirty = tk.Status != ev.Status
		tk.Status = ev.Status
	case EventPriority:
		dirty = tk.Priority != ev.Priority
		tk.Priority = ev.Priority
	case EventAssign:
		if ev.Team != "" && ev.Team != tk.Team {
			tk.Team, dirty = ev.Team, true
		} else if ev.Team == "" && ev.ClearTeam && tk.Team != "" {
			tk.Team, dirty = "", true
		}
		if ev.Agent != "" && ev.Agent != tk.Agent {
			tk.Agent, dirty = ev.Agent, true
		}
	case EventUpdate:
		if tk.addTags(ev.Tags) {
			dirty = true
		}
		if tk.removeTags(ev.RemoveTags) {
			dirty = true
		}
		if ev.Subject != "" && ev.Subject != tk.Subject {
			tk.Subject, dirty = ev.Subject, true
		}
		for _, k := range sortedKeys(ev.Fields) {
			v := ev.Fields[k]
			if v == nil {
				delete(tk.Fields, k)
			} else {
				if tk.Fields == nil {
					tk.Fields = map[string]any{}
				}
				tk.Fields[k] = v
			}
			dirty = true
		}
	case EventMessage:
		if author == AuthorCustomer && (tk.Status == StatusSolved || tk.Status == StatusPending) {
			tk.Status, dirty = StatusOpen, true
		}
	case EventEscalated:
		st.Stats.Escalations++
		st.Stats.EscalationTier = ev.Tier
	case EventCSAT:
		st.Stats.CSAT = ev.Score
	case EventWindowRejected:
		st.Stats.WindowRejectedAt = t
	}

	if e.router != nil {
		for _, name := range e.router.Route(tk, ev) {
			st.Rules = append(st.Rules, RuleApplied{Rule: name, At: t})
			dirty = true
		}
	}

	if !first && tk.Team != oldTeam {
		st.Handoffs = append(st.Handoffs, Handoff{At: t, From: oldTeam, To: tk.Team})
	}

	if dirty {
		pol, prio = e.reselect(st, pol, prio, t, first)
	}
	e.observeWindow(st, ev, t)

	cal := calOf(pol)
	status := tk.Status
	stopping := (status == StatusSolved || status == StatusClosed) && oldStatus != StatusSolved && oldStatus != StatusClosed
	active := status != StatusSolved && status != StatusClosed

	if ev.Type == EventCreated {
		if author != AuthorAgent { // a bot opens tickets on the customer's behalf
			e.start(st, pol, prio, FirstResponse, t)
			st.Waiting = true
			st.Stats.WaitingSince = t
			st.Stats.LastCustomerAt = t
		} else if ev.public() {
			st.Replied = true
			e.start(st, pol, prio, PeriodicUpdate, t)
		}
		e.start(st, pol, prio, Resolution, t)
	} else if oldStatus == StatusSolved && active {
		st.Stats.Reopens++
		e.reopen(st, pol, prio, t)
	}

	if ev.Type == EventMessage {
		countBot := pol != nil && pol.CountBotReplies
		switch {
		case author == AuthorCustomer:
			st.Stats.CustomerMessages++
			st.Stats.LastCustomerAt = t
			if !st.Waiting && active {
				st.Waiting = true
				st.Stats.WaitingSince = t
				e.start(st, pol, prio, NextResponse, t)
			}
		case ev.public() && (author == AuthorAgent || (author == AuthorBot && countBot)):
			st.Stats.AgentReplies++
			if st.Stats.FirstReplyAt.IsZero() {
				st.Stats.FirstReplyAt = t
			}
			st.Replied = true
			st.Waiting = false
			st.Stats.WaitingSince = time.Time{}
			for k := len(st.open) - 1; k >= 0; k-- {
				c := &st.Cycles[st.open[k]]
				switch c.Metric {
				case FirstResponse, NextResponse, PeriodicUpdate:
					e.stop(st, k, cal, t, false)
				}
			}
			if active {
				e.start(st, pol, prio, PeriodicUpdate, t)
			}
		}
	}

	if pol != nil && len(pol.Metrics) > 0 {
		for _, cm := range pol.Metrics {
			k := st.openIndex(cm.Name)
			if k >= 0 {
				if cm.Stop(tk, ev) {
					e.stop(st, k, cal, t, false)
				}
			} else if active && cm.Start(tk, ev) {
				e.start(st, pol, prio, cm.Name, t)
			}
		}
	}

	if stopping {
		st.Waiting = false
		st.Stats.WaitingSince = time.Time{}
		for k := len(st.open) - 1; k >= 0; k-- {
			e.stop(st, k, cal, t, st.Cycles[st.open[k]].Metric != Resolution)
		}
	}
	switch {
	case status == StatusSolved && oldStatus != StatusSolved:
		st.Stats.SolvedAt = t
	case status == StatusClosed:
		st.Stats.ClosedAt = t
	}

	e.syncPauses(st, pol, cal, t)
	st.Events++
	st.LastAt = t
	// Levels due at t whose condition the event made true fire now.
	e.fire(st, t)
}

// reselect chooses the policy again after the ticket's attributes changed
// at t, switching and re-targeting the open cycles as needed, and returns
// the policy and priority in force.
func (e *Engine) reselect(st *State, pol *compiled, prio int, t time.Time, first bool) (*compiled, int) {
	var next *compiled
	if i := e.selectPolicy(&st.Ticket); i >= 0 {
		next = e.policies[i]
	}
	newPrio := e.priority(&st.Ticket)
	if next != pol {
		if !first {
			st.Stats.PolicyChanges++
		}
		e.switchPolicy(st, pol, next, t)
		pol = next
		st.Policy = ""
		if pol != nil {
			st.Policy = pol.Name
		}
		prio = newPrio
		e.retarget(st, pol, prio, t)
	} else if newPrio != prio {
		st.Stats.PriorityChanges++
		prio = newPrio
		e.retarget(st, pol, prio, t)
	}
	return pol, prio
}

// advance records the breach of every running cycle whose deadline is
// not after t: the deadline is the instant the time runs out, so an event
// at the deadline itself is late.
func (e *Engine) advance(st *State, t time.Time) {
	for _, i := range st.open {
		c := &st.Cycles[i]
		if c.State == StateRunning && c.Target > 0 && c.BreachedAt.IsZero() && !c.Deadline.IsZero() && !c.Deadline.After(t) {
			c.BreachedAt = c.Deadline
		}
	}
}

// switchPolicy cancels the open custom cycles the new policy does not
// define and recounts the others with the new policy's calendar.
func (e *Engine) switchPolicy(st *State, from, to *compiled, t time.Time) {
	cal := calOf(to)
	for k := len(st.open) - 1; k >= 0; k-- {
		c := &st.Cycles[st.open[k]]
		if builtinIndex(c.Metric) < 0 && (to == nil || to.metricIndex(c.Metric) < 0) {
			e.stop(st, k, calOf(from), t, true)
			continue
		}
		c.rebase(cal)
	}
}

// retarget gives every open cycle the target of the policy in force at
// the priority; a deadline that is already past is a breach at t.
func (e *Engine) retarget(st *State, pol *compiled, prio int, t time.Time) {
	cal := calOf(pol)
	for _, i := range st.open {
		c := &st.Cycles[i]
		c.Target = 0
		if pol != nil {
			c.Target = pol.target(prio, c.Metric)
		}
		c.setDeadline(cal)
		if c.Target > 0 && c.BreachedAt.IsZero() && !c.Deadline.IsZero() && !c.Deadline.After(t) {
			c.BreachedAt = t
		}
	}
}

func (c *Cycle) setDeadline(cal *calendar.Calendar) {
	c.Deadline = time.Time{}
	if c.Target > 0 {
		if d, ok := c.reach(cal, c.Target); ok {
			c.Deadline = d
		}
	}
}

func (st *State) openIndex(m Metric) int {
	for k, i := range st.open {
		if st.Cycles[i].Metric == m {
			return k
		}
	}
	return -1
}

func (e *Engine) start(st *State, pol *compiled, prio int, m Metric, t time.Time) {
	n := st.nextN(m)
	c := Cycle{Metric: m, N: n, Start: t, State: StateRunning}
	if pol != nil {
		c.Target = pol.target(prio, m)
	}
	if c.Target > 0 {
		c.Deadline = calOf(pol).Add(t, c.Target)
	}
	st.Cycles = append(st.Cycles, c)
	st.open = append(st.open, len(st.Cycles)-1)
	if m == Resolution {
		st.lastRes = len(st.Cycles)
	}
}

// stop stops the open cycle st.open[k] at t. cancel says the cycle was
// stopped by solving or closing rather than by its own stop condition.
func (e *Engine) stop(st *State, k int, cal *calendar.Calendar, t time.Time, cancel bool) {
	i := st.open[k]
	c := &st.Cycles[i]
	if c.State == StateRunning {
		c.Base += cal.Between(c.from(), t)
	} else if c.State == StatePaused {
		c.Pauses[len(c.Pauses)-1].To = t
	}
	c.Stop = t
	if c.Deadline.IsZero() && c.Target > c.Base {
		// Stopped while paused: the deadline it had if it resumed now.
		c.Deadline = cal.Add(t, c.Target-c.Base)
	}
	switch {
	case !c.BreachedAt.IsZero():
		c.State = StateBreached
	case c.Target > 0 && c.Base >= c.Target:
		c.State = StateBreached
		c.setDeadline(cal)
		c.BreachedAt = c.Deadline
	case cancel:
		c.State = StateCancelled
	default:
		c.State = StateMet
	}
	st.open = slices.Delete(st.open, k, k+1)
}

// reopen resumes or restarts the resolution clock of a ticket that left solved.
func (e *Engine) reopen(st *State, pol *compiled, prio int, t time.Time) {
	mode := ReopenResume
	if pol != nil {
		mode = pol.reopen
	}
	if mode == ReopenRestart || st.lastRes == 0 {
		e.start(st, pol, prio, Resolution, t)
		return
	}
	i := st.lastRes - 1
	c := &st.Cycles[i]
	if c.open() {
		return
	}
	c.Pauses = append(c.Pauses, Span{From: c.Stop, To: t})
	c.Stop = time.Time{}
	c.State = StateRunning
	// The policy in force may have changed while the ticket was solved.
	c.rebase(calOf(pol))
	c.Target = 0
	if pol != nil {
		c.Target = pol.target(prio, Resolution)
	}
	c.setDeadline(calOf(pol))
	if c.Target > 0 && c.BreachedAt.IsZero() && c.Base >= c.Target {
		c.BreachedAt = t
	}
	k, _ := slices.BinarySearch(st.open, i)
	st.open = slices.Insert(st.open, k, i)
}

// syncPauses pauses and resumes open cycles after the event.
func (e *Engine) syncPauses(st *State, pol *compiled, cal *calendar.Calendar, t time.Time) {
	status := st.Ticket.Status
	for _, i := range st.open {
		c := &st.Cycles[i]
		want := false
		switch {
		case c.Metric == Resolution:
			if pol != nil {
				want = pol.pauseOn[statusIndex(status)]
			} else {
				want = status == StatusPending || status == StatusOnHold
			}
		case pol != nil && builtinIndex(c.Metric) < 0:
			if j, ok := pol.customAt[c.Metric]; ok && pol.Metrics[j].Pause != nil {
				want = pol.Metrics[j].Pause(&st.Ticket)
			}
		}
		switch {
		case want && c.State == StateRunning:
			c.pause(cal, t)
			c.setDeadline(cal)
		case !want && c.State == StatePaused:
			c.resume(t)
			c.setDeadline(cal)
		}
	}
}
