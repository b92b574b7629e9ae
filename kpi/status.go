package kpi

import (
	"iter"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/word"
	"github.com/slakit/slakit/sla"
)

// Time in status is measured from the events, not from the results: a
// result says where a ticket is, not how long it stayed in each status.
// [Accumulator.Observe] follows every ticket's status through the events
// (created, status, and customer messages, which reopen a pending or
// solved ticket); [Accumulator.Add] then sums the ticket's spans up in
// the calendar its clocks count in ([Config.Calendar]) and forgets them.
//
// Observe sees every event of a history, so its tracks are compact: a
// status is a small code, an instant two integers, a ticket's first spans
// are held in place, and the tracks of added tickets are reused.

// statusCode is a known status: its index in the life cycle
// ([sla.Statuses]).
type statusCode uint8

const (
	openCode    statusCode = 1
	pendingCode statusCode = 2
	solvedCode  statusCode = 4
	closedCode  statusCode = 5
	// measuredCodes are the codes below it: the statuses whose time is
	// reported, those in which a ticket waits for work or for the customer
	// (new, open, pending, on_hold); solved waits for nothing and closed
	// is final.
	measuredCodes statusCode = 4
)

var allStatuses = sla.Statuses()

// statusCodeOf returns the code of a known status.
func statusCodeOf(s sla.Status) (statusCode, bool) {
	switch s {
	case sla.StatusNew:
		return 0, true
	case sla.StatusOpen:
		return openCode, true
	case sla.StatusPending:
		return pendingCode, true
	case sla.StatusOnHold:
		return 3, true
	case sla.StatusSolved:
		return solvedCode, true
	case sla.StatusClosed:
		return closedCode, true
	}
	return 0, false
}

// statusSpan is a stay in one status, from an instant (Unix seconds and
// nanoseconds) to the next change: 16 bytes without pointers.
type statusSpan struct {
	sec    int64
	nsec   int32
	status statusCode
}

func spanAt(st statusCode, t time.Time) statusSpan {
	return statusSpan{sec: t.Unix(), nsec: int32(t.Nanosecond()), status: st}
}

func (sp *statusSpan) from() time.Time { return time.Unix(sp.sec, int64(sp.nsec)).UTC() }

// startsAfter reports whether the span starts after t.
func (sp *statusSpan) startsAfter(t time.Time) bool {
	sec := t.Unix()
	return sec < sp.sec || sec == sp.sec && int32(t.Nanosecond()) < sp.nsec
}

// zeroSec is the Unix second of the zero time.Time.
var zeroSec = time.Time{}.Unix()

// closes reports whether the span ends its ticket's history: a close at
// an instant (a close at the zero time is not one: the zero time means
// none).
func (sp *statusSpan) closes() bool {
	return sp.status == closedCode && (sp.sec != zeroSec || sp.nsec != 0)
}

// inlineSpans is how many spans a track holds in place; a ticket with a
// longer history keeps the others in more. Most tickets go new, open or
// pending, solved, closed.
const inlineSpans = 5

// statusTrack is the status history of one ticket not yet added.
type statusTrack struct {
	id    shortID // its ticket's id, if short
	n     int32   // spans held, in time order; the last one is current
	spans [inlineSpans]statusSpan
	more  []statusSpan // nil for most tickets
}

func (tr *statusTrack) span(i int32) *statusSpan {
	if i < inlineSpans {
		return &tr.spans[i]
	}
	return &tr.more[i-inlineSpans]
}

func (tr *statusTrack) push(sp statusSpan) {
	if tr.n < inlineSpans {
		tr.spans[tr.n] = sp
	} else {
		tr.more = append(tr.more, sp)
	}
	tr.n++
}

// shortID is a ticket id of at most 15 bytes as two words: its bytes in
// little-endian order, zeros, and the length in the last byte. Unlike a
// string, comparing two reads no memory outside them.
type shortID struct{ lo, hi uint64 }

// shortKey returns id as a shortID, if it is short enough.
func shortKey(id string) (k shortID, ok bool) {
	switch n := len(id); {
	case n > 15:
		return k, false
	case n >= 8:
		// The bytes past the eighth are the top ones of the last eight.
		k.lo, k.hi = word.LE64(id), word.LE64(id[n-8:])>>(8*(16-n))
	case n >= 4:
		k.lo = word.LE32(id) | word.LE32(id[n-4:])<<(8*(n-4))
	default:
		for i := range n {
			k.lo |= uint64(id[i]) << (8 * i)
		}
	}
	k.hi |= uint64(len(id)) << 56
	return k, true
}

// statusTracks follows the tickets observed and not yet added. Their
// tracks live in one slice whose slots are reused as tickets are added,
// each holding its ticket's id if short. Short ids (of at most 15 bytes:
// nearly all) find their slot through index, the others through long.
type statusTracks struct {
	index  trackIndex
	long   map[string]int32
	tracks []statusTrack
	free   []int32 // slots of the tracks of added tickets
	// latest is the latest observed instant, in seconds since the zero
	// time (so that the zero value is the zero time) and nanoseconds.
	latestSec  int64
	latestNsec int32
	out        []statusTime // finish's result, reused
}

// see moves latest to t if t is later.
func (s *statusTracks) see(t time.Time) {
	sec, nsec := t.Unix()-zeroSec, int32(t.Nanosecond())
	if sec > s.latestSec || sec == s.latestSec && nsec > s.latestNsec {
		s.latestSec, s.latestNsec = sec, nsec
	}
}

// latest returns the latest observed instant, the zero time for none.
func (s *statusTracks) latest() time.Time {
	if s.latestSec == 0 && s.latestNsec == 0 {
		return time.Time{}
	}
	return time.Unix(s.latestSec+zeroSec, int64(s.latestNsec)).UTC()
}

// ref is how a ticket's track is found: its id as a shortID, if short.
type ref struct {
	k     shortID
	short bool
}

func refOf(id string) ref {
	k, short := shortKey(id)
	return ref{k: k, short: short}
}

// find returns the slot of the track of id (r its ref), or -1.
func (s *statusTracks) find(id string, r *ref) int32 {
	if r.short {
		return s.index.find(&r.k, s.tracks)
	}
	if i, ok := s.long[id]; ok {
		return i
	}
	return -1
}

// start starts the track of id (r its ref), which has none, with its
// first span.
func (s *statusTracks) start(id string, r *ref, sp statusSpan) {
	var i int32
	if n := len(s.free); n > 0 {
		i, s.free = s.free[n-1], s.free[:n-1]
	} else {
		i = int32(len(s.tracks))
		s.tracks = append(s.tracks, statusTrack{})
	}
	tr := &s.tracks[i]
	tr.id, tr.n, tr.spans[0], tr.more = r.k, 1, sp, nil
	if r.short {
		s.index.insert(&r.k, i)
		return
	}
	if s.long == nil {
		s.long = map[string]int32{}
	}
	s.long[id] = i
}

// take removes the track of id and returns it (nil if there is none),
// valid until the next start.
func (s *statusTracks) take(id string) *statusTrack {
	r := refOf(id)
	i := s.find(id, &r)
	switch {
	case i < 0:
		return nil
	case r.short:
		s.index.remove(&r.k, i)
	default:
		delete(s.long, id)
	}
	s.free = append(s.free, i)
	return &s.tracks[i]
}

// calendarCache remembers the calendars of [Config.Calendar] by policy
// and calendar name: a history names few.
type calendarCache struct {
	calOf func(policy, name string) *calendar.Calendar
	known []knownCalendar
}

type knownCalendar struct {
	policy, name string
	cal          *calendar.Calendar
}

// maxKnownCalendars bounds the cache; past it, calOf is asked each time.
const maxKnownCalendars = 16

// of returns calOf(policy, name), nil when calOf is nil.
func (c *calendarCache) of(policy, name string) *calendar.Calendar {
	if c.calOf == nil {
		return nil
	}
	for i := range c.known {
		if k := &c.known[i]; k.policy == policy && k.name == name {
			return k.cal
		}
	}
	cal := c.calOf(policy, name)
	if len(c.known) < maxKnownCalendars {
		c.known = append(c.known, knownCalendar{policy: policy, name: name, cal: cal})
	}
	return cal
}

// statusTime is the time one ticket spent in one status.
type statusTime struct {
	status         sla.Status
	wall, business int64 // seconds
}

// Observe follows a ticket's status through one event, for
// [Report.TimeInStatus]. Feed every event of the history in input order,
// each before the results the replay yields after it (see
// [Accumulator.Observing]); the ticket's result, given to
// [Accumulator.Add], then sums its time in each status up. Events out of
// time order, of unknown tickets or with an unknown status change nothing.
// Tickets observed but not yet added are kept, so observe and add on the
// same accumulator (Merge does not move them).
func (a *Accumulator) Observe(ev sla.Event) { a.observe(&ev) }

// Observer returns [Accumulator.Observe] for events given by pointer, as
// [sla.ReplayOptions.Observe] hands them: it spares a copy of every event
// and keeps none.
func (a *Accumulator) Observer() func(ev *sla.Event) { return a.observe }

func (a *Accumulator) observe(ev *sla.Event) {
	s := &a.status
	if ev.TicketID == "" {
		return
	}
	s.see(ev.At)
	var next statusCode // the status the event sets, for created and status events
	switch ev.Type {
	case sla.EventCreated:
		st, ok := sla.StatusNew, true
		if ev.Status != "" {
			st = ev.Status
		}
		if next, ok = statusCodeOf(st); !ok {
			return
		}
		if r := refOf(ev.TicketID); s.find(ev.TicketID, &r) < 0 {
			s.start(ev.TicketID, &r, spanAt(next, ev.At))
		}
		return
	case sla.EventStatus:
		var ok bool
		if next, ok = statusCodeOf(ev.Status); !ok {
			return
		}
	case sla.EventMessage:
		if ev.Author != "" && ev.Author != sla.AuthorCustomer {
			return // only a customer reopens a ticket
		}
		next = openCode
	default:
		return // no other event changes a status
	}
	r := refOf(ev.TicketID)
	i := s.find(ev.TicketID, &r)
	if i < 0 {
		return
	}
	tr := &s.tracks[i]
	cur := tr.span(tr.n - 1)
	if cur.closes() || cur.startsAfter(ev.At) {
		return
	}
	if ev.Type == sla.EventMessage && cur.status != solvedCode && cur.status != pendingCode || next == cur.status {
		return
	}
	tr.push(spanAt(next, ev.At))
}

// Observing returns events unchanged, observing each ([Accumulator.Observe])
// as it passes, before the consumer sees it: hand it to
// [sla.Engine.Replay] and add the results to the same accumulator.
func (a *Accumulator) Observing(events iter.Seq2[sla.Event, error]) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for ev, err := range events {
			if err == nil {
				a.observe(&ev)
			}
			if !yield(ev, err) {
				return
			}
		}
	}
}

// finish sums the observed spans of r's ticket up, per measured status,
// in wall-clock and business time (in the calendar cals returns for r's
// policy and calendar), and forgets the ticket. The current status of a
// ticket not closed counts up to at (zero: the latest observed instant).
// The result is valid until the next finish.
func (s *statusTracks) finish(r *sla.Result, cals *calendarCache, at time.Time) []statusTime {
	tr := s.take(r.Ticket)
	if tr == nil {
		return nil
	}
	cal := cals.of(r.Policy, r.Calendar)
	end := at
	if last := tr.span(tr.n - 1); last.closes() {
		end = last.from()
	} else if end.IsZero() {
		end = s.latest()
	}
	out := s.out[:0]
	for i := range tr.n {
		sp := tr.span(i)
		if sp.status >= measuredCodes {
			continue
		}
		from, to := sp.from(), end
		if i+1 < tr.n {
			to = tr.span(i + 1).from()
		}
		if !to.After(from) {
			continue
		}
		wall := secs(to.Sub(from))
		bus := secs(cal.Between(from, to))
		st := allStatuses[sp.status]
		k := 0
		for k < len(out) && out[k].status != st {
			k++
		}
		if k == len(out) {
			out = append(out, statusTime{status: st})
		}
		out[k].wall += wall
		out[k].business += max(bus, 0)
	}
	tr.more = nil
	s.out = out
	return out
}
