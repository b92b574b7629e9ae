package sla

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
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

// ladderClocks calls yield with the clock of each running cycle of st
// that a level of its policy's ladder may still fire on (k its index in
// st.open), of each running OLA cycle (k = olaIndex), and of the WhatsApp
// window (k = windowCycle), in that order, until yield returns false. With
// atStart, a cycle's clock is the one at the start of its current running
// span, which needs no calendar (see [escalation.Ladder.NotBefore]);
// otherwise it stands at st.lastAt. It yields nothing when st has no ladder.
func (e *Engine) ladderClocks(st *State, atStart bool, yield func(lad *escalation.Ladder, k int, clk escalation.Clock) bool) {
	pol := e.policy(st.policy)
	if pol == nil || pol.ladder == nil || !st.Created() || st.Closed() {
		return
	}
	lad := pol.ladder
	cal := calOf(pol, st)
	now := st.lastAt
	tmask, wmask := lad.TicketMask(), lad.WindowMask()
	ticketFired := st.x().fired & tmask
	clk := escalation.Clock{Running: true, Calendar: cal}
	// at sets the instant and elapsed time of clk for the cycle c.
	at := func(c *cycle, cal *calendar.Calendar) {
		if atStart {
			clk.At, clk.Elapsed = c.from(), c.Base
		} else {
			clk.At, clk.Elapsed = now, c.elapsed(cal, now)
		}
	}
	for k, i := range st.open {
		c := &st.cycles[i]
		if !c.running() {
			continue
		}
		cmask := lad.Mask(string(c.Metric))
		fired := c.Fired&cmask | ticketFired
		if (cmask|tmask)&^fired == 0 {
			continue // no level watches the metric, or all have fired
		}
		if c.Target <= 0 && (cmask|tmask)&^fired&lad.ElapsedMask() == 0 {
			continue // without a target, only an elapsed-time trigger fires
		}
		// Field by field: the clock of the cycle before differs only in these.
		clk.Metric, clk.Cycle, clk.Start, clk.Target = string(c.Metric), int(c.N), c.Start, c.Target
		clk.Deadline, clk.Fired, clk.WhenErrors = c.due, fired|^(cmask|tmask), nil
		at(c, cal)
		if !yield(lad, k, clk) {
			return
		}
	}
	olas := st.x().olas
	for i := range olas {
		c := &olas[i]
		cmask := lad.Mask(string(c.Metric))
		if !c.running() || cmask&^c.Fired == 0 {
			continue
		}
		ocal := calOf(nil, st)
		if o := e.olaByName(c.OLA); o != nil {
			ocal = o.cal
		}
		clk = escalation.Clock{Metric: string(c.Metric), Cycle: int(c.N), Start: c.Start, Target: c.Target,
			Running: true, Calendar: ocal, Deadline: c.due, Fired: c.Fired | ^cmask}
		at(&c.cycle, ocal)
		if !yield(lad, olaIndex(i), clk) {
			return
		}
	}
	if wmask == 0 || st.ticket.Status == StatusSolved {
		return
	}
	if closes := e.windowClosesAt(st); !closes.IsZero() {
		clk = escalation.Clock{At: now, Running: true, Calendar: cal, WindowClosesAt: closes,
			Fired: st.windowFired(closes) | ^wmask}
		yield(lad, windowCycle, clk)
	}
}

// nextFiring returns the first escalation level that falls due for the
// ticket as it stands at st.lastAt, and the index in st.open of the cycle
// that reaches it (windowCycle for a window level). With record, the
// levels whose When failed are recorded on st. A non-zero before limits
// the search to the levels falling due before it: a later one is not
// returned, and costs no calendar.
func (e *Engine) nextFiring(st *State, tk *Ticket, record bool, before time.Time) (escalation.Firing, int, bool) {
	var best escalation.Firing
	found, bestK := false, 0
	e.ladderClocks(st, false, func(lad *escalation.Ladder, k int, clk escalation.Clock) bool {
		var f escalation.Firing
		var ok bool
		switch {
		case k == windowCycle && (found || before.IsZero()):
			// Of a window level and a cycle's level at one instant, the
			// one earlier in the ladder comes first.
			f, ok = lad.Next(&clk, tk)
			ok = ok && (!found || f.At.Before(best.At) || (f.At.Equal(best.At) && f.Index < best.Index))
		case found:
			f, ok = lad.NextBefore(&clk, tk, best.At) // only an earlier firing replaces best
		case !before.IsZero():
			f, ok = lad.NextBefore(&clk, tk, before)
		default:
			f, ok = lad.Next(&clk, tk)
		}
		st.levelErrors(&clk, record)
		if ok {
			best, bestK, found = f, k, true
		}
		return true
	})
	return best, bestK, found
}

// firingBound returns an instant before which no escalation level fires
// for the ticket as it stands, whatever instant it is asked at before its
// next change, and false when none can fire; cheaper than nextFiring,
// it reads no calendar.
func (e *Engine) firingBound(st *State) (time.Time, bool) {
	var bound time.Time
	found := false
	e.ladderClocks(st, true, func(lad *escalation.Ladder, _ int, clk escalation.Clock) bool {
		if at, ok := lad.NotBefore(&clk, &st.ticket); ok && (!found || at.Before(bound)) {
			bound, found = at, true
		}
		return true
	})
	return bound, found
}

// windowFired returns the window levels fired in the window that closes
// at closes: none when they fired in an earlier window.
func (st *State) windowFired(closes time.Time) uint64 {
	if m := st.x(); m.winFor.Equal(closes) {
		return m.winFired
	}
	return 0
}

// peekFiring returns the instant of the next firing without changing st.
func (e *Engine) peekFiring(st *State) (time.Time, bool) {
	if st.fireKnown && (!st.fireBound || st.fireAt.IsZero()) {
		return st.fireAt, !st.fireAt.IsZero()
	}
	// A copy of the ticket, so that st does not escape to the heap; a peek
	// records no failure.
	tk := st.ticket
	f, _, ok := e.nextFiring(st, &tk, false, time.Time{})
	return f.At, ok
}

// settled returns st, or a copy of it with the levels due by at fired
// and a ticket solved long enough closed, as Advance would do; st is not
// changed.
func (e *Engine) settled(st *State, at time.Time) *State {
	if c, ok := e.closeAt(st); !ok || c.After(at) {
		if pol := e.policy(st.policy); pol == nil || pol.ladder == nil {
			return st
		}
		if st.fireKnown && (st.fireAt.IsZero() || st.fireAt.After(at)) {
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
// and leaves in st a bound for the next firing (the instant just after t)
// instead of its instant: cheaper for a caller about to change st, which
// makes the next firing unknown anyway.
func (e *Engine) fireUntil(st *State, t time.Time, fresh, exact bool) int {
	if !e.ladders {
		return 0
	}
	if st.fireKnown && (st.fireAt.IsZero() || st.fireAt.After(t)) {
		return 0 // nothing changed since the next firing was computed
	}
	n := 0
	var before time.Time // with exact, no limit
	if !exact {
		before = t.Add(time.Nanosecond)
	}
	// Each firing marks one level of one open cycle, of the ticket or of the
	// window; firings open no cycle.
	for limit := (len(st.open)+len(st.x().olas)+1)*escalation.MaxLevels + 1; limit > 0; limit-- {
		f, k, ok := e.nextFiring(st, &st.ticket, fresh, before)
		if !ok || f.At.After(t) {
			switch {
			case !exact:
				st.fireAt, st.fireKnown, st.fireBound = before, true, true
			case ok:
				st.fireAt, st.fireKnown, st.fireBound = f.At, true, false
			default:
				st.fireAt, st.fireKnown, st.fireBound = time.Time{}, true, false
			}
			break
		}
		e.applyFiring(st, k, f)
		fresh = true // the firing changed st
		n++
	}
	return n
}

// fireAfterEvent fires the levels due at t, the instant of the event just
// applied, whose condition the event made true. Most events leave no level
// due: a bound on the next firing, cheaper to find, tells so, and stands
// for the firing until the next change, unless a level's condition may fail.
func (e *Engine) fireAfterEvent(st *State, t time.Time) {
	if !e.ladders {
		return
	}
	// A condition that may fail is asked at the check after every change,
	// which records its failures; the bound asks none.
	if pol := e.policy(st.policy); pol == nil || pol.ladder.ClockWhenMask() == 0 {
		if b, ok := e.firingBound(st); !ok || b.After(t) {
			st.fireAt, st.fireKnown, st.fireBound = b, true, true
			return
		}
	}
	e.fire(st, t, true)
}

// applyFiring records the firing f of the open cycle st.open[k] and applies
// its ticket actions at its instant.
func (e *Engine) applyFiring(st *State, k int, f escalation.Firing) {
	t := f.At
	pol := e.policy(st.policy)
	prio := e.priority(&st.ticket, pol)
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
	m.escalations = append(m.escalations, x)
	if t.After(st.lastAt) {
		st.lastAt = t
	}
	dirty := false
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
		if st.write(&ed) {
			dirty = true
		}
		st.handoff(t, from)
	}
	if dirty {
		pol, _ = e.reselect(st, pol, prio, t, false)
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
