package kpi

import (
	"iter"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
)

// Time in status is measured from the events, not from the results: a
// result says where a ticket is, not how long it stayed in each status.
// [Accumulator.Observe] follows every ticket's status through the events
// (created, status, and customer messages, which reopen a pending or
// solved ticket); [Accumulator.Add] then sums the ticket's spans up in
// the calendar its clocks count in ([Config.Calendar]) and forgets them.

// statusSpan is a stay in one status: from from to the next change.
type statusSpan struct {
	status sla.Status
	from   time.Time
}

// statusTrack is the status history of one ticket not yet added.
type statusTrack struct {
	spans  []statusSpan // in time order; the last one is current
	closed time.Time    // when the ticket was closed; zero while not
}

// statusTracks follows the tickets observed and not yet added.
type statusTracks struct {
	open   map[string]*statusTrack
	latest time.Time
}

// statusTime is the time one ticket spent in one status.
type statusTime struct {
	status         sla.Status
	wall, business int64 // seconds
}

// measured reports whether time in s is reported: the statuses in which a
// ticket waits for work or for the customer (new, open, pending,
// on_hold); solved waits for nothing and closed is final.
func measured(s sla.Status) bool { return slices.Contains(activeStatuses, s) }

var (
	activeStatuses = sla.ActiveStatuses()
	allStatuses    = sla.Statuses()
)

// Observe follows a ticket's status through one event, for
// [Report.TimeInStatus]. Feed every event of the history in input order,
// each before the results the replay yields after it (see
// [Accumulator.Observing]); the ticket's result, given to
// [Accumulator.Add], then sums its time in each status up. Events out of
// time order, of unknown tickets or with an unknown status change nothing.
// Tickets observed but not yet added are kept, so observe and add on the
// same accumulator (Merge does not move them).
func (a *Accumulator) Observe(ev sla.Event) {
	s := &a.status
	if ev.TicketID == "" {
		return
	}
	if ev.At.After(s.latest) {
		s.latest = ev.At
	}
	switch ev.Type {
	case sla.EventCreated, sla.EventStatus, sla.EventMessage:
	default:
		return // no other event changes a status
	}
	tr := s.open[ev.TicketID]
	if ev.Type == sla.EventCreated {
		if tr != nil {
			return
		}
		st := ev.Status
		if st == "" {
			st = sla.StatusNew
		}
		if !knownStatus(st) {
			return
		}
		if s.open == nil {
			s.open = map[string]*statusTrack{}
		}
		tr = &statusTrack{spans: []statusSpan{{status: st, from: ev.At}}}
		if st == sla.StatusClosed {
			tr.closed = ev.At
		}
		s.open[ev.TicketID] = tr
		return
	}
	if tr == nil || !tr.closed.IsZero() {
		return
	}
	cur := tr.spans[len(tr.spans)-1]
	if ev.At.Before(cur.from) {
		return
	}
	next := cur.status
	switch ev.Type {
	case sla.EventStatus:
		if knownStatus(ev.Status) {
			next = ev.Status
		}
	case sla.EventMessage:
		if (ev.Author == "" || ev.Author == sla.AuthorCustomer) && (cur.status == sla.StatusSolved || cur.status == sla.StatusPending) {
			next = sla.StatusOpen
		}
	}
	if next == cur.status {
		return
	}
	tr.spans = append(tr.spans, statusSpan{status: next, from: ev.At})
	if next == sla.StatusClosed {
		tr.closed = ev.At
	}
}

// Observing returns events unchanged, observing each ([Accumulator.Observe])
// as it passes, before the consumer sees it: hand it to
// [sla.Engine.Replay] and add the results to the same accumulator.
func (a *Accumulator) Observing(events iter.Seq2[sla.Event, error]) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for ev, err := range events {
			if err == nil {
				a.Observe(ev)
			}
			if !yield(ev, err) {
				return
			}
		}
	}
}

func knownStatus(s sla.Status) bool { return slices.Contains(allStatuses, s) }

// finish sums the observed spans of r's ticket up, per measured status,
// in wall-clock and business time (in the calendar calOf returns for r's
// policy and calendar), and forgets the ticket. The current
// status of a ticket not closed counts up to at (zero: the latest
// observed instant).
func (s *statusTracks) finish(r *sla.Result, calOf func(policy, name string) *calendar.Calendar, at time.Time) []statusTime {
	if len(s.open) == 0 {
		return nil
	}
	tr := s.open[r.Ticket]
	if tr == nil {
		return nil
	}
	delete(s.open, r.Ticket)
	end := tr.closed
	if end.IsZero() {
		end = at
		if end.IsZero() {
			end = s.latest
		}
	}
	var cal *calendar.Calendar
	if calOf != nil {
		cal = calOf(r.Policy, r.Calendar)
	}
	var out []statusTime
	for i, sp := range tr.spans {
		if !measured(sp.status) {
			continue
		}
		to := end
		if i+1 < len(tr.spans) {
			to = tr.spans[i+1].from
		}
		if !to.After(sp.from) {
			continue
		}
		wall := secs(to.Sub(sp.from))
		bus := secs(cal.Between(sp.from, to))
		k := 0
		for k < len(out) && out[k].status != sp.status {
			k++
		}
		if k == len(out) {
			out = append(out, statusTime{status: sp.status})
		}
		out[k].wall += wall
		out[k].business += max(bus, 0)
	}
	return out
}
