package sla

import (
	"container/heap"
	"time"
)

// This file closes tickets that stayed solved for Config.CloseSolvedAfter,
// as Zendesk and Freshdesk do: the close happens at its own instant,
// whether the engine learns it from the ticket's next event (Apply), a
// host's timer (Advance), a look (Evaluate) or the rest of a replay.

// closeAt returns the instant the ticket closes by itself, and false when
// it will not (no CloseSolvedAfter, or the ticket is not solved).
func (e *Engine) closeAt(st *State) (time.Time, bool) {
	if e.closeAfter <= 0 {
		return time.Time{}, false // most engines: inlined, no call
	}
	return e.solvedCloseAt(st)
}

// solvedCloseAt is closeAt for an engine that closes solved tickets.
func (e *Engine) solvedCloseAt(st *State) (time.Time, bool) {
	if !st.Created() || st.ticket.Status != StatusSolved || st.stats.at[atSolved] == noInstant {
		return time.Time{}, false
	}
	c := st.statAt(atSolved).Add(e.closeAfter)
	if c.Before(st.lastAt) {
		c = st.lastAt
	}
	return c, true
}

// advanceTo fires the escalation levels due up to at and, when the ticket
// closes by itself by then, closes it at that instant (levels due after
// the close never fire).
func (e *Engine) advanceTo(st *State, at time.Time) {
	c, ok := e.closeAt(st)
	if !ok || c.After(at) {
		e.fire(st, at, false)
		return
	}
	e.fire(st, c, false)
	ev := Event{TicketID: st.ticket.ID, At: c, Type: EventStatus, Status: StatusClosed}
	e.apply(st, &ev, kStatus)
}

// closing is a solved ticket of a replay and the instant it closes by
// itself, unless an event reopens it first.
type closing struct {
	at    time.Time
	order int // the ticket's order of creation
	id    string
	hash  uint64 // idHash(id)
}

// closings is a min-heap of closings by instant, then order of creation.
type closings []closing

func (h closings) Len() int { return len(h) }
func (h closings) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].order < h[j].order
}
func (h closings) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *closings) Push(x any)   { *h = append(*h, x.(closing)) }
func (h *closings) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// noteSolved remembers when a live ticket of the replay closes by itself.
func (r *replayer) noteSolved(id string, h uint64, t *replayTicket) {
	if c, ok := r.e.closeAt(&t.st); ok {
		heap.Push(&r.closings, closing{at: c, order: t.order, id: id, hash: h})
	}
}

// closeDue closes and yields, in order of their instants (then of
// creation), the live tickets that closed by themselves by the replay's
// clock: a replay of a history in time order forgets them then, so memory
// stays bounded by the active tickets.
func (r *replayer) closeDue(yield func(Result, error) bool) bool {
	for len(r.closings) > 0 && !r.closings[0].at.After(r.clock) {
		x := heap.Pop(&r.closings).(closing)
		t := r.live.get(x.id, x.hash)
		if t == nil {
			continue
		}
		if c, ok := r.e.closeAt(&t.st); !ok || !c.Equal(x.at) {
			continue // reopened (or solved again later) since
		}
		r.applied(t.st.lastAt) // before the close moves it (see latestApplied)
		t.st, _ = r.e.Advance(t.st, x.at)
		r.closing = &x
		ok := r.closed(x.id, x.hash, t, yield)
		r.closing = nil
		if !ok {
			return false
		}
	}
	return true
}
