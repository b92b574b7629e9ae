package sla

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/slakit/slakit/internal/word"
	"github.com/slakit/slakit/whatsappwindow"
)

// Replay applies a stream of events of many tickets, interleaved, and
// yields exactly one Result per ticket, with a nil error. Events of one
// ticket must be in time order (equal instants keep input order).
//
// A ticket's result is yielded as soon as the ticket is closed, and the
// ticket is then forgotten, so memory grows with the tickets still open
// (and a few bytes per closed ticket), not with the history. With
// [Config.CloseSolvedAfter], a ticket solved that long is closed at that
// instant once a well-formed event of the input (of any ticket, applied or
// not) is that late, tickets closing at one instant in order of creation:
// in a history in time order, solved tickets leave memory as a helpdesk
// closes them. (An event of such a ticket dated before its close but read
// after a later event of another ticket finds it closed.) The tickets
// still open at the end are yielded last, in order of first appearance,
// evaluated at the instant at (zero means the latest instant of an event
// that could be applied).
//
// A yielded Result is the caller's: the replay never changes it later,
// though it reuses the storage of the tickets it forgets for the next
// ones, and its results share blocks of storage (a result kept keeps
// those of its lists in memory: at most seven of up to 16 KB; copy the
// lists of a few results to keep them alone). A replay that ends leaves its
// storage, emptied (up to 1,024 ticket records and its tables of ids), to
// the next replay, of any engine, on any goroutine, until the collector
// takes it: a few megabytes at most, kept only after a replay that created
// at most 65,536 tickets and saw at most 65,536 other ids.
//
// Nothing is dropped silently. An event of a live ticket that cannot be
// applied is listed in that ticket's Errors. An input problem that belongs
// to no live ticket is yielded apart, as it occurs, with a zero Result and
// an [*EventError] naming its input line: a malformed event (a non-nil
// error from events, wrapped with [ErrInvalidEvent]), an event of a ticket
// never created ([ErrUnknownTicket]; a created event that cannot be
// applied is one too), an event after its ticket closed ([ErrClosed]; a
// created event reusing a closed ticket's id is one). Such a problem never
// gives a ticket a second result. The event numbers of errors count every
// event of the ticket in the input, applied or not. events must not be nil
// (an empty sequence is a function that yields nothing).
func (e *Engine) Replay(events iter.Seq2[Event, error], at time.Time) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		r := newReplayer(e)
		line := 0
		for ev, err := range events {
			line++
			// The event is applied from the replayer's own copy, which
			// lives on the heap with the tickets: ev itself stays on the
			// stack.
			r.ev = ev
			if !r.event(line, &r.ev, idHash(r.ev.TicketID), err, yield) {
				return
			}
		}
		r.finish(r.until(at), yield)
	}
}

// replayer is the state of one Replay.
type replayer struct {
	e    *Engine
	live liveTickets // tickets created and not closed
	gone goneIDs     // by hash of the id: closed tickets, and ids seen but never created
	// mayBeGone has the bit of every hash in gone set (see goneBit), and
	// maybe others: a clear bit spares a new ticket the lookup in gone.
	mayBeGone [goneWords]uint64
	// errs holds the events of live tickets that could not be applied
	// (few tickets have any: kept apart to make a ticket smaller).
	errs   map[*replayTicket][]error
	latest time.Time // latest instant of an event applied to a ticket no longer live (see latestApplied)
	ev     Event     // Replay's event being applied, on the heap with the tickets
	// closings holds the solved live tickets by the instant they close by
	// themselves (Config.CloseSolvedAfter), and clock the latest instant of
	// a well-formed event of the input (applied or not), which closes them.
	closings closings
	clock    time.Time
	// closing is the closing being yielded by closeDue (nil otherwise): a
	// replay on several goroutines orders its results by it.
	closing *closing
	// free holds up to maxFree records of closed tickets, emptied, whose
	// storage the next tickets created take over (see replayTicket.reset).
	free []*replayTicket
	// store holds the storage of the results to yield.
	store resultStore
	// sink, in a replay into a sink (ReplayShards: the one sink, or a
	// shard's), takes the events and the results, the results with the
	// latest instant named, instead of yield.
	sink  ShardSink
	named time.Time
	// created counts the tickets this replay created: a bound on how
	// large its maps and closings grew (they do not shrink when emptied).
	created int
}

// maxFree is how many records of closed tickets a replay keeps for the
// tickets created next (about 3 MB): tickets close in bursts, as a
// helpdesk sweeps its solved tickets, and are created at a steadier pace.
const maxFree = 1024

func newReplayer(e *Engine) *replayer {
	if r, ok := replayers.Get().(*replayer); ok {
		r.e = e
		return r
	}
	return &replayer{e: e, live: newLiveTickets(), errs: map[*replayTicket][]error{}}
}

// replayers holds the replayers of finished replays, emptied, for the
// next ones, of any engine: a replayer keeps no policy, only storage (its
// maps, the closings, the free records, see recycle, and its result
// blocks: the rest of the current ones, which no result Replay yielded
// has had; after a replay into a sink, the whole of them, which the
// sink's results, gone, had). A replay of a few thousand
// tickets, run again and again, then allocates its records and maps once.
var replayers sync.Pool

// maxPooledIDs bounds the tickets a replay may have created and the ids it
// may have seen for its replayer to be kept: a larger replay's maps are
// let go with it (its records were recycled many times over anyway).
const maxPooledIDs = 1 << 16

// release empties r, whose tickets are all forgotten, and keeps it for
// the next replay; r must not be used afterwards.
func (r *replayer) release() {
	if r.empty() {
		replayers.Put(r)
	}
}

// empty empties r, whose tickets are all forgotten, for the next replay,
// keeping its storage; false when r is too large to keep.
func (r *replayer) empty() bool {
	if r.gone.len() > maxPooledIDs || r.created > maxPooledIDs {
		return false
	}
	r.e, r.ev, r.latest, r.clock, r.closing, r.created = nil, Event{}, time.Time{}, time.Time{}, nil, 0
	r.sink, r.named = nil, time.Time{}
	r.live.clear()
	if r.gone.len() > 0 {
		r.gone.clear()
		clear(r.mayBeGone[:])
	}
	clear(r.errs)
	clear(r.closings)
	r.closings = r.closings[:0]
	return true
}

type replayTicket struct {
	// The record is laid out for a replay whose records outgrow the
	// processor's caches (hundreds of tickets open at once), as the
	// allocator places it: 8 bytes past the start of a 64-byte cache
	// line, after the header it gives every large block with pointers.
	// What most events read lies in 7 lines: the record's seen and open
	// indices, the state's fields but its ticket's rarely read attributes,
	// the hot end of its rarely used part and the head of its memos. Each
	// memo has a line of its own, the counts and the window's ids share
	// one with their neighbours, and the cycles start a line.
	// TestRecordLayout pins it.
	seen int // the ticket's events in the input so far
	// cycles, open and counts are the first storage of st.cycles, st.open
	// and st.nth, allocated with the record: most tickets have at most 13
	// cycles (a customer's every message starts a next response cycle;
	// with room for 8, one ticket in twelve of the reference history
	// outgrew it), a few open at a time, and at most 2 metrics with a
	// second cycle.
	open [4]int
	st   State
	// more, memos and window are st.more, st.more.memos and st.window from
	// the start (empty, they read as none), with room for one rule and
	// two message ids: most tickets have a rule applied at creation, many
	// a WhatsApp window.
	rule   [1]RuleApplied
	more   stateMore
	memos  firingMemos
	counts []metricCount
	count  [2]metricCount
	order  int // the input line of the created event: order of creation
	window whatsappwindow.Window
	ids    [2]string
	_      [8]byte // the cycles start a cache line
	cycles [13]cycle
}

// newReplayTicket returns the record of a ticket about to be created.
func newReplayTicket() *replayTicket {
	t := &replayTicket{}
	t.setStorage()
	return t
}

// setStorage points the empty parts of t's state at the record's own
// storage (the rules and message ids only when they have none): its
// memos too, which are then found without a pointer to another block.
func (t *replayTicket) setStorage() {
	t.st.cycles, t.st.open, t.counts = t.cycles[:0], t.open[:0], t.count[:0]
	t.st.nth, t.st.more, t.st.window, t.more.memos = &t.counts, &t.more, &t.window, &t.memos
	if t.more.rules == nil {
		t.more.rules = t.rule[:0]
	}
	if t.window.Seen == nil {
		t.window.Seen = t.ids[:0]
	}
}

// reset empties t, the record of a ticket forgotten after its result was
// yielded (or of one never created), for a ticket created later: its
// state keeps the storage the result does not share (see State.reuse)
// and takes back the record's own, whatever the ticket grew beyond it.
// The record's cycles keep their exts, emptied, for the cycles that
// start in their places (see Engine.start).
func (t *replayTicket) reset() {
	used, own := len(t.cycles), false // the ticket outgrew the record's cycles
	if c := t.st.cycles; cap(c) > 0 && &c[:1][0] == &t.cycles[0] {
		used, own = len(c), true // still the record's own (see setStorage)
	}
	t.st.reuse()
	cs := t.cycles[:used]
	for i := range cs {
		c := &cs[i]
		x := c.ext
		// A cycle still the state's own whose marks say that its ext
		// holds neither pauses nor a breach, and whose stop is packed,
		// has its ext empty already: pauses only grow, and the breach
		// and the stop are cleared as their marks are. Its ext, most
		// often kept empty from the records before, is not read: it is
		// a separate allocation, seldom still in the cache. A ticket
		// that outgrew the record copied its cycles, exts shared, and
		// changed the copies: their marks are not these.
		if !own || c.marks&(hasPauses|oddBreach) != 0 || c.stopped == farInstant {
			x = emptiedExt(x)
		}
		*c = cycle{ext: x}
	}
	t.order, t.seen = 0, 0
	// One statement each, zeroed in place: a tuple assignment builds the
	// rule's zero on the stack and copies it over.
	t.count[0] = metricCount{}
	t.count[1] = metricCount{}
	t.rule[0] = RuleApplied{}
	t.ids[0], t.ids[1] = "", ""
	t.setStorage()
}

// emptiedExt returns x emptied for another cycle, keeping its storage;
// nil for nil. An empty ext reads as none.
func emptiedExt(x *cycleExt) *cycleExt {
	if x != nil {
		x.pauses = emptied(x.pauses)
		if x.odd != nil {
			*x.odd = [2]time.Time{}
		}
	}
	return x
}

// goneTicket is what a replay remembers of a ticket id that is not live.
type goneTicket struct {
	seen   int32 // events of the id in the input so far
	closed bool  // the ticket was closed; false: it was never created
}

// idHash is a 64-bit hash of a ticket id: it keys the live tickets (see
// liveTickets, which tells apart two live ids that share a hash), an id
// that is not live (8 bytes instead of the id), and the shard of a ticket
// in a replay on several goroutines (h % n). Two ids that share a hash
// while one of them is not live are taken for one: the other's events are
// refused as of an unknown or closed ticket. So the hash must spread
// every byte of the id over all of its bits, and differences in any two
// bytes must not cancel: two ids not chosen to collide then share a hash
// with one chance in about 2^64.
//
// Every id is hashed once per event, so the hash takes the id eight bytes
// a turn: each turn xors a word of the id into the state and folds the
// 128-bit product of the result and an odd constant, high half into low
// (a multiply carries a difference only upward; the fold brings the high
// half's down), the length seeds it, and the last turn takes the 0 to 7
// bytes left as one word.
func idHash(id string) uint64 {
	const (
		seed = 0xcbf29ce484222325
		mul  = 0x9e3779b97f4a7c15
	)
	h := mix(seed^uint64(len(id)), mul)
	for ; len(id) >= 8; id = id[8:] {
		h = mix(h^word.LE64(id), mul)
	}
	// The 0 to 7 bytes left, as one word that holds each at a place fixed
	// by their number: 4 to 7 as the first and the last four
	// (overlapping), 1 to 3 as the first, middle and last.
	var w uint64
	switch n := len(id); {
	case n >= 4:
		w = word.LE32(id) | word.LE32(id[n-4:])<<32
	case n > 0:
		w = uint64(id[0]) | uint64(id[n/2])<<8 | uint64(id[n-1])<<16
	}
	return mix(h^w, mul)
}

// mix returns the 128-bit product of a and b folded to 64 bits, the high
// half xored into the low one.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// event takes one input event (or input error), read at the input line
// line, and reports whether to go on. h is idHash(ev.TicketID); ev must be
// on the heap (the engine keeps no pointer to it, but may leak it to a
// condition) and the replay's own: applying it drops the monotonic clock
// reading of its instant, if any.
//
// A well-formed event goes to its ticket: one of a live ticket, in an
// engine that never closes solved tickets by itself (no
// Config.CloseSolvedAfter: most), is applied here; the rest (a new
// ticket's, and every event in an engine that closes them, whose clock
// moves, see observe) out of line.
func (r *replayer) event(line int, ev *Event, h uint64, inErr error, yield func(Result, error) bool) bool {
	if inErr != nil {
		return invalidEvent(line, ev, inErr, yield)
	}
	t := r.live.hit(ev.TicketID, h) // get, with its common part inlined
	if t == nil {
		t = r.live.getApart(ev.TicketID)
	}
	if t == nil || r.e.closeAfter > 0 {
		return r.eventApart(line, ev, h, t, yield)
	}
	t.seen++
	if err := r.e.applyFound(&t.st, ev, true); err != nil { // get compared the ids
		r.refused(t, err, line)
		return true
	}
	if t.st.Closed() {
		r.applied(t.st.lastAt) // ev.At: see latestApplied
		return r.closed(ev.TicketID, h, t, yield)
	}
	return true
}

// refused lists err, why the event read at line could not be applied to
// t, a live ticket, in t's errors.
func (r *replayer) refused(t *replayTicket, err error, line int) {
	r.errs[t] = append(r.errs[t], place(err, line, t.seen))
}

// eventApart is event for a ticket that is not live (t nil) and for every
// event in an engine that closes solved tickets by itself.
func (r *replayer) eventApart(line int, ev *Event, h uint64, t *replayTicket, yield func(Result, error) bool) bool {
	ok := true
	switch {
	case t == nil:
		ok = r.newTicket(line, ev, h, yield)
	case r.closesBefore(t, ev.At):
		ok = r.closedBefore(line, ev, h, t, yield)
	default:
		t.seen++
		if err := r.e.applyFound(&t.st, ev, true); err != nil { // get compared the ids
			r.refused(t, err, line)
			break
		}
		if t.st.Closed() {
			r.applied(t.st.lastAt) // ev.At: see latestApplied
			ok = r.closed(ev.TicketID, h, t, yield)
		} else {
			r.noteSolved(ev.TicketID, h, t)
		}
	}
	// The replay's clock only closes solved tickets: an engine that never
	// closes them has no closings to make, and the event does not move it.
	return ok && (r.e.closeAfter <= 0 || r.observe(ev.At, yield))
}

// invalidEvent yields the error apart of a malformed event read at line.
func invalidEvent(line int, ev *Event, inErr error, yield func(Result, error) bool) bool {
	return yield(Result{}, &EventError{Ticket: ev.TicketID, Line: line, Type: ev.Type, At: ev.At,
		Err: fmt.Errorf("%w: %w", ErrInvalidEvent, inErr)})
}

// closesBefore reports whether t, a live ticket, closed by itself by at
// (solved long enough).
func (r *replayer) closesBefore(t *replayTicket, at time.Time) bool {
	c, ok := r.e.closeAt(&t.st)
	return ok && !c.After(at)
}

// closedBefore closes t, a live ticket that closed by itself before ev (h
// the hash of its id; see closesBefore), at its instant, and yields ev
// apart: an event after its ticket closed.
func (r *replayer) closedBefore(line int, ev *Event, h uint64, t *replayTicket, yield func(Result, error) bool) bool {
	t.seen++
	c, _ := r.e.closeAt(&t.st)
	r.applied(t.st.lastAt) // before the close moves it
	t.st, _ = r.e.Advance(t.st, c)
	seen := t.seen // closed recycles t
	if !r.closed(ev.TicketID, h, t, yield) {
		return false
	}
	return yield(Result{}, &EventError{Ticket: ev.TicketID, Seq: seen, Line: line, Type: ev.Type, At: ev.At, Err: ErrClosed})
}

// observe moves the replay's clock to at, the instant of a well-formed
// event of the input, and closes the tickets solved long enough by then.
func (r *replayer) observe(at time.Time, yield func(Result, error) bool) bool {
	if at.After(r.clock) {
		r.clock = at
	}
	return len(r.closings) == 0 || r.closeDue(yield)
}

// closed forgets a ticket that closed (h the hash of its id), yields its
// result and recycles its record: t must not be used afterwards.
func (r *replayer) closed(id string, h uint64, t *replayTicket, yield func(Result, error) bool) bool {
	r.live.del(id, h, t)
	r.setGone(h, goneTicket{seen: int32(min(t.seen, 1<<31-1)), closed: true})
	ok := r.emit(t, t.st.lastAt, yield)
	r.recycle(t)
	return ok
}

// newRecord returns the record of a ticket about to be created: a
// recycled one when there is one.
func (r *replayer) newRecord() *replayTicket {
	if n := len(r.free); n > 0 {
		t := r.free[n-1]
		r.free[n-1] = nil
		r.free = r.free[:n-1]
		return t
	}
	return newReplayTicket()
}

// recycle keeps t, the record of a ticket forgotten after its result was
// yielded (or of one never created), for a ticket created later.
func (r *replayer) recycle(t *replayTicket) {
	if len(r.free) == maxFree {
		return
	}
	t.reset()
	r.free = append(r.free, t)
}

// newTicket takes an event of a ticket that is not live (h the hash of its
// id): a created event starts it; anything else is a problem apart.
func (r *replayer) newTicket(line int, ev *Event, h uint64, yield func(Result, error) bool) bool {
	var g goneTicket
	if w, b := goneBit(h); r.mayBeGone[w]&b != 0 { // most new ids were never seen
		g = r.gone.get(h)
	}
	if g.seen < 1<<31-1 {
		g.seen++
	}
	var err error
	if g.closed {
		err = &EventError{Ticket: ev.TicketID, Type: ev.Type, At: ev.At, Err: ErrClosed}
	} else {
		t := r.newRecord()
		t.order, t.seen = line, int(g.seen)
		if err = r.e.applyOpen(&t.st, ev); err == nil { // a new record: nothing to close
			r.live.put(ev.TicketID, h, t)
			r.created++
			r.noteSolved(ev.TicketID, h, t)
			return true
		}
		r.recycle(t) // refused before any change: still empty
	}
	r.setGone(h, g)
	return yield(Result{}, place(err, line, int(g.seen)))
}

// goneWords is the size of replayer.mayBeGone in words: one bit for each
// value of a hash's top 16 bits (8 KB). A replay of a few thousand
// tickets finds most bits of new ids clear; a larger one looks more of
// them up in gone, as it did without the bits.
const (
	goneWords = 1 << 16 / 64
	goneShift = 64 - 16
)

// setGone records g for the id of hash h, which is not live.
func (r *replayer) setGone(h uint64, g goneTicket) {
	r.gone.set(h, g)
	w, b := goneBit(h)
	r.mayBeGone[w] |= b
}

// goneBit returns the word of replayer.mayBeGone that holds the bit of
// the hash h, and that bit.
func goneBit(h uint64) (int, uint64) {
	return int(h >> goneShift / 64), 1 << (h >> goneShift % 64)
}

// place gives an error of Apply its input line and the event's number
// among the ticket's events in the input.
func place(err error, line, seq int) error {
	var ee *EventError
	if errors.As(err, &ee) {
		ee.Line, ee.Seq = line, seq
	}
	return err
}

// applied notes at, the instant of an event applied to a ticket that
// leaves the replay's live tickets (see latestApplied), as the latest when
// it is. Neither at (see applyFound) nor the latest has a monotonic clock
// reading, so the seconds and nanoseconds compare them as time.Time.After
// does, without its call.
func (r *replayer) applied(at time.Time) {
	if beforeUnix(r.latest.Unix(), r.latest.Nanosecond(), at) {
		r.latest = at
	}
}

func (r *replayer) emit(t *replayTicket, at time.Time, yield func(Result, error) bool) bool {
	if at != t.st.lastAt { // a ticket's last instant is as viewAt gives it
		at = r.e.viewAt(&t.st, at)
	}
	if !t.st.Closed() {
		// The replay owns the state: the levels due by at fire on it, not
		// on the copy Result would make.
		r.e.advanceTo(&t.st, at)
	}
	var res Result
	r.e.result(&res, &t.st, at, &r.store) // the replay forgets the ticket next
	if len(r.errs) > 0 {
		res.Errors = r.errs[t]
		delete(r.errs, t)
	}
	if r.sink != nil {
		// Straight to the sink, without a copy for yield, and the
		// storage back for the next results.
		r.sink.Result(res, r.named)
		r.store.reuse()
		return true
	}
	return yield(res, nil)
}

// until returns the instant the tickets still open at the end are
// evaluated at: at, or when zero the latest instant of an applied event.
func (r *replayer) until(at time.Time) time.Time {
	if at.IsZero() {
		return r.latestApplied()
	}
	return at
}

// latestApplied returns the latest instant of an event the replay applied.
// It is not noted at every event: the last event a live ticket had applied
// is its State.lastAt (apply sets it to the event's instant, and the
// levels that fire then fire at or before it), so a ticket's latest
// instant is noted when it leaves the live tickets (before a close by
// Config.CloseSolvedAfter moves its lastAt), and those still live are
// read here (and not noted: a ticket's lastAt only grows while it lives).
func (r *replayer) latestApplied() time.Time {
	latest := r.latest
	r.live.each(func(t *replayTicket) {
		if at := t.st.lastAt; beforeUnix(latest.Unix(), latest.Nanosecond(), at) {
			latest = at
		}
	})
	return latest
}

// finish yields the tickets still open, in order of creation, evaluated at
// at, recycles their records, and releases r for the next replay.
func (r *replayer) finish(at time.Time, yield func(Result, error) bool) {
	for _, t := range r.rest() {
		ok := r.emit(t, at, yield)
		r.recycle(t)
		if !ok {
			break
		}
	}
	r.release()
}

// rest returns the tickets still open, in order of creation, and forgets
// them.
func (r *replayer) rest() []*replayTicket {
	rest := r.live.appendTo(make([]*replayTicket, 0, r.live.len()))
	sortByOrder(rest)
	return rest
}

// sortByOrder sorts ts, records of live tickets, by order (the input
// lines of their created events: distinct and positive). Each order goes
// above its record's index in one integer, and the integers are sorted,
// without a call per comparison; the records then move to their places
// one cycle of the permutation at a time. Orders too large to leave room
// for the index take the comparison function.
func sortByOrder(ts []*replayTicket) {
	if len(ts) < 2 {
		return
	}
	shift := bits.Len(uint(len(ts) - 1))
	keys := make([]uint64, len(ts))
	for i, t := range ts {
		if uint64(t.order) >= 1<<(64-shift) {
			slices.SortFunc(ts, func(a, b *replayTicket) int { return cmp.Compare(a.order, b.order) })
			return
		}
		keys[i] = uint64(t.order)<<shift | uint64(i)
	}
	slices.Sort(keys)
	// keys[j] is now the index of the record that goes to j.
	const moved = math.MaxUint64
	for i := range ts {
		if keys[i] == moved {
			continue
		}
		first, j := ts[i], i
		for {
			k := int(keys[j] & (1<<shift - 1))
			keys[j] = moved
			if k == i {
				ts[j] = first
				break
			}
			ts[j], j = ts[k], k
		}
	}
}
