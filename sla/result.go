package sla

import (
	"slices"
	"time"
	"unsafe"
)

// Result is the summary of one ticket: what [Engine.Replay] yields and
// what [Engine.Result] builds from a State. It marshals to the ticket
// result JSON of the replay output:
//
//	{"ticket":"T1","policy":"whatsapp","calendar":"sp-support","priority":"urgent","status":"solved","agreement":"fulfilled",
//	 "clocks":[{"metric":"first_response","cycle":1,"state":"met","started_at":"...","stopped_at":"...",
//	            "deadline":"...","target_seconds":300,"elapsed_seconds":240,"paused_seconds":0,"breached_at":null}],
//	 "escalations":[],"rules":[{"rule":"vip","at":"..."}],"stats":{...},"errors":[]}
//
// Instants are RFC 3339 in the zone of the policy's calendar (UTC when
// there is none); durations are whole seconds of business time.
type Result struct {
	// View is the ticket as [Engine.Evaluate] sees it at the result's
	// instant (View.At is not part of the JSON form).
	View
	Rules []RuleApplied
	Stats Stats
	// Attributes is a copy of the ticket's attributes (channel, team,
	// fields, created at, ...) as the events left them. Not part of the
	// JSON form.
	Attributes Ticket
	// Teams splits the elapsed time of every reported resolution cycle by
	// the team that held the ticket (see [TeamTime]), in cycle order and,
	// within a cycle, in order of first holding. Not part of the JSON form.
	Teams []TeamTime
	// Handoffs lists every change of team after creation, in order; the
	// team set at creation is Handoffs[0].From (Attributes.Team when there
	// is none). Not part of the JSON form.
	Handoffs []Handoff
	Errors   []error // the ticket's events that could not be applied, each an [*EventError]
	// Failures lists the conditions that failed at run time for the ticket
	// and were taken as false (see [CondFailure]), at most
	// [MaxCondFailures] entries in the order they first failed;
	// FailuresOmitted counts the failures of further conditions or
	// messages. The JSON form has them as "condition_failures" and
	// "condition_failures_omitted", both left out when there are none.
	Failures        []CondFailure
	FailuresOmitted int

	loc *time.Location
}

// Result summarises st at the instant at (see [Engine.Evaluate]).
func (e *Engine) Result(st State, at time.Time) Result {
	var r Result
	e.result(&r, &st, at, nil)
	return r
}

// result is Result writing into r. With own non-nil, st is a replay's:
// built by e from its first event, and the caller's to give away (a
// replay forgets the ticket next): r takes its ticket's tags, fields and
// failures instead of copies, and its other storage from own (the rules
// too, copied, so that the ticket's storage for them is recycled); at is
// then already as viewAt gives it, and st advanced to at (advanceTo).
func (e *Engine) result(r *Result, st *State, at time.Time, own *resultStore) {
	s, cal, reported, counted := e.evaluate(&r.View, st, at, own) // the state the view saw, with its firings
	s.fullStatsInto(&r.Stats)
	r.loc = cal.Location()
	more := s.x()
	rules, hs := more.rules, more.handoffs
	if own == nil {
		r.Rules = rules
		r.Attributes = s.ticket.clone()
		r.Teams = teamTimes(nil, s, cal, r.At, false, reported)
	} else {
		r.Attributes = s.ticket
		// Element by element: most tickets have one or two rules, fewer
		// instructions than a typed slice copy's call.
		r.Rules = own.rules.take(len(rules))[:len(rules)]
		//lint:ignore S1001 a loop, not copy: see above
		for i := range rules {
			r.Rules[i] = rules[i]
		}
		// Room for 16 entries, the unused part given back: few tickets
		// need more (then the slice grows away from the block).
		teams := own.teams.take(16)
		if counted && len(hs) == 0 {
			teams = clockTeamTimes(teams, r.Clocks, s.ticket.Team)
		} else {
			teams = teamTimes(teams, s, cal, r.At, true, reported)
		}
		r.Teams = own.teams.trim(teams)
	}
	if len(r.Teams) == 0 {
		r.Teams = nil
	}
	r.Handoffs = nil
	if len(hs) > 0 {
		var dst []Handoff
		if own != nil {
			dst = own.handoffs.take(len(hs))
		}
		r.Handoffs = handoffsOf(dst, s, r.loc)
	}
	if f, n := s.failures(); len(f) > 0 || n > 0 {
		r.Failures, r.FailuresOmitted = f, n
		if own == nil {
			r.Failures = slices.Clone(f)
		}
	}
}

// resultStore is where a replay takes the storage of the results it
// yields: blocks that many results share, one allocation instead of one
// per result and piece. Each result gets a piece of a block that no other
// gets, so that a result yielded never changes; a result kept keeps its
// blocks (at most one of each kind, of up to maxBlock bytes) in memory.
// A replay into sinks, whose results are gone once given, makes them all
// in the same storage (see reuse).
type resultStore struct {
	rules       block[RuleApplied]
	clocks      block[Clock]
	olas        block[OLAClock]
	escalations block[Escalation]
	teams       block[TeamTime]
	handoffs    block[Handoff]
	windows     block[WhatsApp]
}

// minBlock and maxBlock bound the bytes of a block of a resultStore: the
// first block of each kind is small, each next one twice the size, so
// that a short replay allocates little. At 16 KB, a block of clocks
// holds 89 (the results of 3,000 tickets take about 180 blocks, against
// 360 at 8 KB, and leave less unused at their ends); a result kept keeps
// at most one block of each kind.
const (
	minBlock = 512
	maxBlock = 16384
)

// block hands out storage for results from its current block. The rest
// is an index, not a slice, so that taking storage and giving it back
// write an integer, not a pointer the collector must see.
type block[T any] struct {
	cur   []T // the current block
	next  int // the first element of cur no piece has had
	bytes int // the size of the current block
}

// take returns n elements of storage no result yielded has, with length
// 0 and capacity n, all zero unless a replay into sinks gave them back
// (see resultStore.reuse); nil for n = 0. A request larger than a
// quarter of the largest block gets storage of its own.
func (b *block[T]) take(n int) []T {
	size := int(unsafe.Sizeof(*new(T)))
	switch {
	case n <= 0:
		return nil
	case n*size > maxBlock/4:
		return make([]T, 0, n)
	case n > len(b.cur)-b.next:
		b.bytes = min(max(2*b.bytes, minBlock), maxBlock)
		b.cur = make([]T, max(b.bytes/size, n))
		b.next = 0
	}
	s := b.cur[b.next : b.next : b.next+n]
	b.next += n
	return s
}

// trim returns s, a piece take handed out, with its capacity cut to its
// length; when s is the piece handed out last, the elements past its
// length go back to the block.
func (b *block[T]) trim(s []T) []T {
	if n := cap(s); n > len(s) && b.next >= n && &s[:n][n-1] == &b.cur[b.next-1] {
		b.next -= n - len(s)
	}
	return s[:len(s):len(s)]
}

// one returns a new *T from the block.
func (b *block[T]) one() *T { return &b.take(1)[:1][0] }
