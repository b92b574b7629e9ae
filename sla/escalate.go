package sla

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/escalation"
)

// This file runs the escalation ladders: between events, the levels of the
// policy's ladder fall due at instants computed from the open cycles (see
// package escalation); each fires once per cycle, at its instant, and its
// set_priority, assign and add_tags actions change the ticket then, which
// may re-target the cycles or change the policy before the next level.

// nextFiring returns the first escalation level that falls due for the
// ticket as it stands at st.lastAt, and the index in st.open of its cycle.
func (e *Engine) nextFiring(st *State, tk *Ticket) (escalation.Firing, int, bool) {
	pol := e.policy(st.policy)
	if pol == nil || pol.ladder == nil || !st.Created() || st.Closed() {
		return escalation.Firing{}, -1, false
	}
	cal := calOf(pol)
	now := st.lastAt
	closes := e.windowClosesAt(st)
	var best escalation.Firing
	bestK := -1
	for k, i := range st.open {
		c := &st.cycles[i]
		if !c.running() {
			continue
		}
		if m := pol.ladder.Mask(string(c.Metric)); m == 0 || c.Fired&m == m {
			continue // no level watches the metric, or all have fired
		}
		clk := escalation.Clock{Metric: string(c.Metric), Cycle: c.N, Start: c.Start, Target: c.Target,
			Elapsed: c.elapsed(cal, now), At: now, Running: true, Calendar: cal, Fired: c.Fired, WindowClosesAt: closes}
		if f, ok := pol.ladder.Next(&clk, tk); ok && (bestK < 0 || f.At.Before(best.At)) {
			best, bestK = f, k
		}
	}
	return best, bestK, bestK >= 0
}

// peekFiring returns the instant of the next firing without changing st.
func (e *Engine) peekFiring(st *State) (time.Time, bool) {
	if st.fireKnown {
		return st.fireAt, !st.fireAt.IsZero()
	}
	tk := st.ticket // a copy, so that st does not escape to the heap
	f, _, ok := e.nextFiring(st, &tk)
	return f.At, ok
}

// settled returns st, or a copy of it with the levels due by at fired,
// as Advance would fire them; st is not changed.
func (e *Engine) settled(st *State, at time.Time) *State {
	if pol := e.policy(st.policy); pol == nil || pol.ladder == nil {
		return st
	}
	if next, ok := e.peekFiring(st); !ok || next.After(at) {
		return st
	}
	s := st.Clone()
	e.fire(&s, at)
	return &s
}

// fire fires, in time order, every level that falls due up to t
// (inclusive) and returns how many fired.
func (e *Engine) fire(st *State, t time.Time) int {
	if !e.ladders {
		return 0
	}
	if st.fireKnown && (st.fireAt.IsZero() || st.fireAt.After(t)) {
		return 0 // nothing changed since the next firing was computed
	}
	n := 0
	// Each firing marks one level of one open cycle; firings open no cycle.
	for limit := len(st.open)*escalation.MaxLevels + 1; limit > 0; limit-- {
		f, k, ok := e.nextFiring(st, &st.ticket)
		if !ok || f.At.After(t) {
			st.fireAt, st.fireKnown = f.At, true
			if !ok {
				st.fireAt = time.Time{}
			}
			break
		}
		e.applyFiring(st, k, f)
		n++
	}
	return n
}

// applyFiring records the firing f of the open cycle st.open[k] and applies
// its ticket actions at its instant.
func (e *Engine) applyFiring(st *State, k int, f escalation.Firing) {
	t := f.At
	pol := e.policy(st.policy)
	prio := e.priority(&st.ticket)
	e.advance(st, t)
	c := &st.cycles[st.open[k]]
	c.Fired |= 1 << uint(f.Index)
	st.escalations = append(st.escalations, Escalation{Ladder: f.Ladder, Level: f.Level, Metric: c.Metric,
		Cycle: c.N, At: t, Actions: f.Actions})
	if t.After(st.lastAt) {
		st.lastAt = t
	}
	dirty := false
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
		e.syncPauses(st, pol, calOf(pol), t)
	}
}

// Advance fires the escalation levels that fall due up to at (inclusive),
// in time order, applying their set_priority, assign and add_tags actions
// to the ticket at their instants, and returns the new state and the
// levels fired. A host calls it from the timer it set to
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
	n0 := len(st.escalations)
	s := scratchPool.Get().(*scratch)
	s.st = st
	e.fire(&s.st, at)
	st = s.st
	*s = scratch{}
	scratchPool.Put(s)
	if len(st.escalations) == n0 {
		return st, nil
	}
	return st, append([]Escalation(nil), st.escalations[n0:]...)
}

// checkLadders reports set_priority actions naming unknown priorities.
func (e *Engine) checkLadders(ladders map[string]*escalation.Ladder) []error {
	var errs []error
	for _, name := range sortedKeys(ladders) {
		l := ladders[name]
		for i := range l.Len() {
			lv := l.Level(i)
			for _, a := range lv.Actions {
				if _, ok := e.prioIdx[a.Target]; a.Type == escalation.SetPriority && !ok {
					errs = append(errs, fmt.Errorf("%w: ladder %q level %q: set_priority %q is not one of %v",
						ErrConfig, name, lv.Name, a.Target, e.prios))
				}
			}
		}
	}
	return errs
}
