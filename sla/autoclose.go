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
	if e.closeAfter <= 0 || !st.Created() || st.ticket.Status != StatusSolved || st.stats.at[atSolved] == noInstant {
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
		e.fire(st, at)
		return
	}
	e.fire(st, c)
	ev := Event{TicketID: st.ticket.ID, At: c, Type: EventStatus, Status: StatusClosed}
	e.apply(st, &ev)
}

// closing is a solved ticket of a replay and the instant it closes by
// itself, unless an event reopens it first.
type closing struct {
	at time.Time
	id string
}

// closings is a min-heap of closings by instant.
type closings []closing

func (h closings) Len() int           { return len(h) }
func (h closings) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h closings) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *closings) Push(x any)        { *h = append(*h, x.(closing)) }
func (h *closings) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// noteSolved remembers when a live ticket of the replay closes by itself.
func (r *replayer) noteSolved(id string, st *State) {
	if c, ok := r.e.closeAt(st); ok {
		heap.Push(&r.closings, closing{at: c, id: id})
	}
}

// closeDue closes and yields, in order, the live tickets that closed by
// themselves by the latest instant of the input: a replay of a history in
// time order forgets them then, so memory stays bounded by the active
// tickets.
func (r *replayer) closeDue(yield func(Result, error) bool) bool {
	for len(r.closings) > 0 && !r.closings[0].at.After(r.latest) {
		x := heap.Pop(&r.closings).(closing)
		t := r.live[x.id]
		if t == nil {
			continue
		}
		if c, ok := r.e.closeAt(&t.st); !ok || !c.Equal(x.at) {
			continue // reopened (or solved again later) since
		}
		t.st, _ = r.e.Advance(t.st, x.at)
		if !r.closed(x.id, t, yield) {
			return false
		}
	}
	return true
}
