package sla

import (
	"iter"
	"time"
)

// ShardSink takes the events and the results of the tickets one goroutine
// of [Engine.ReplayShards] applies, on that goroutine: a consumer that
// sums results up (a report) does its work where the results are made,
// instead of having them carried back and merged into input order. Its
// methods are called by one goroutine at a time, and each sink of a
// replay by its own.
type ShardSink interface {
	// Event is called with each well-formed event of the sink's tickets
	// (applied or not: also an event of a ticket never created or
	// already closed), in input order, before the results that come
	// after it. It must neither change nor keep ev.
	Event(ev *Event)
	// Result is called with each result of the sink's tickets, in the
	// order the shard makes them (a ticket's result after every event of
	// it). latest is the latest instant among the well-formed events of
	// the whole input (every shard's) that name a ticket, read up to the
	// event after which the result comes; for the tickets still open at
	// the end, of the whole input. It is where a consumer that saw every
	// event would measure "so far" (as the time in status of a kpi
	// Accumulator does). Result must keep nothing of res past its return,
	// no slice nor pointer (strings it may keep): the replay makes the
	// next results in the same storage.
	Result(res Result, latest time.Time)
}

// ReplayShards is [Engine.ReplayParallel] on len(sinks) goroutines (at
// most 255; the sinks past the 255th get nothing) whose results stay
// where they are made: the goroutine that applies a ticket's events gives
// them and the ticket's result to its own sink ([ShardSink]), and only
// the problems apart (malformed lines, events of unknown or closed
// tickets; see [Engine.Replay]) are yielded, the same errors in the same
// order as Replay yields them. The tickets are shared among the sinks by
// a hash of their id, so which sink gets a ticket depends on len(sinks),
// and the order of the results is each shard's own: a consumer that sums
// results up merges its sinks once the range over ReplayShards is over.
// The sinks must be distinct values; a nil one (a nil interface value,
// not a nil pointer of a type that implements ShardSink, whose methods
// are called) drops the results of its tickets. With one sink the replay
// runs on the caller's goroutine, as Replay does; with none, the results
// are dropped. With two or more, as for ReplayParallel, the events
// sequence is read on a goroutine of its own, so it must not rely on
// running on the caller's.
//
// events must not be nil, as for Replay.
//
// When the range is over, every call to a sink has returned. Stopping
// early stops every goroutine before ReplayShards returns; the sinks have
// then had a part of the results.
func (e *Engine) ReplayShards(events iter.Seq2[Event, error], at time.Time, sinks []ShardSink) iter.Seq[error] {
	// One function for every number of sinks, so that a caller that
	// ranges over it calls it directly and, with one sink, the replay's
	// loop can inline into the caller's as Replay's does.
	return func(yield func(error) bool) {
		if len(sinks) > 1 {
			e.replayShards(events, at, sinks, yield)
			return
		}
		// With one sink (or none), on the caller's goroutine: Replay, with
		// the events and results given to the sink by the replayer itself
		// (see replayer.emit), which then takes the storage of each result
		// back for the next ones (see resultStore.reuse). The problems
		// apart go to yield through pass, which sees errors alone: with
		// r.sink set, emit never calls it.
		r := newReplayer(e)
		r.into(sinks)
		pass := func(_ Result, err error) bool { return err == nil || yield(err) }
		line := 0
		for ev, err := range events {
			line++
			r.ev = ev // on the heap, as in Replay
			if err == nil {
				// The latest instant of the well-formed events that name a
				// ticket (see ShardSink.Result) moves to the event's if later.
				if ev := &r.ev; ev.TicketID != "" && ev.At.After(r.named) {
					r.named = ev.At
				}
				r.sink.Event(&r.ev)
			}
			if !r.event(line, &r.ev, idHash(r.ev.TicketID), err, pass) {
				return
			}
		}
		r.finish(r.until(at), pass)
	}
}

// replayShards is ReplayShards with two sinks or more.
func (e *Engine) replayShards(events iter.Seq2[Event, error], at time.Time, sinks []ShardSink, yield func(error) bool) {
	p := newParallelReplay(e, min(len(sinks), 255), sinks[:min(len(sinks), 255)])
	p.start(events)
	defer p.stop()
	p.merge(at, func(_ Result, err error) bool { return yield(err) })
}

// into makes r, a new replayer, a replay into the sink of sinks, which
// holds one at most (a dropSink for none or a nil one): emit gives the
// sink each result, made in storage reused for the next (see
// resultStore.reuse), with the latest instant r.named.
func (r *replayer) into(sinks []ShardSink) {
	r.store.detach()
	r.sink = dropSink{}
	if len(sinks) == 1 && sinks[0] != nil {
		r.sink = sinks[0]
	}
}

// dropSink is a ShardSink that drops what it is given.
type dropSink struct{}

func (dropSink) Event(*Event)             {}
func (dropSink) Result(Result, time.Time) {}

// detach lets go of the storage s handed out so far, in each block: what
// reuse gives back from then on is only storage taken after it. Results
// yielded before (of an earlier replay) keep theirs.
func (s *resultStore) detach() {
	s.rules.detach()
	s.clocks.detach()
	s.olas.detach()
	s.escalations.detach()
	s.teams.detach()
	s.handoffs.detach()
	s.windows.detach()
}

// reuse gives back the storage taken from s since detach or the last
// reuse, in the blocks that are still current: results made in it must
// be gone (a sink's results are). It is handed out again as it is, not
// cleared: every piece of a result is written whole by its maker
// (Engine.result, evaluate, cycle.clock, olaClocks, windowView).
func (s *resultStore) reuse() {
	s.clocks.reuse()
	s.olas.reuse()
	s.windows.reuse()
	s.rules.reuse()
	s.escalations.reuse()
	s.teams.reuse()
	s.handoffs.reuse()
}

// detach makes the rest of b's current block the whole of it (see
// resultStore.detach).
func (b *block[T]) detach() { b.cur, b.next = b.cur[b.next:], 0 }

// reuse makes all of b's current block free again, as it is.
func (b *block[T]) reuse() { b.next = 0 }
