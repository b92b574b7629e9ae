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
// The sinks must be distinct values; a nil one drops the results of its
// tickets. With one sink the replay runs on the caller's goroutine, as
// Replay does; with none, the results are dropped. With two or more, as for ReplayParallel, the events sequence
// is read on a goroutine of its own, so it must not rely on running on
// the caller's.
//
// When the range is over, every call to a sink has returned. Stopping
// early stops every goroutine before ReplayShards returns; the sinks have
// then had a part of the results.
func (e *Engine) ReplayShards(events iter.Seq2[Event, error], at time.Time, sinks []ShardSink) iter.Seq[error] {
	if len(sinks) < 2 {
		var sink ShardSink
		if len(sinks) == 1 {
			sink = sinks[0]
		}
		return e.replayInto(events, at, sink)
	}
	return func(yield func(error) bool) {
		p := newParallelReplay(e, min(len(sinks), 255), sinks[:min(len(sinks), 255)])
		p.start(events)
		defer p.stop()
		p.merge(at, func(_ Result, err error) bool { return yield(err) })
	}
}

// replayInto is ReplayShards with one sink (or none), on the caller's
// goroutine: Replay, with the results given to the sink.
func (e *Engine) replayInto(events iter.Seq2[Event, error], at time.Time, sink ShardSink) iter.Seq[error] {
	return func(yield func(error) bool) {
		r := newReplayer(e)
		var latest time.Time // see ShardSink.Result
		give := r.giver(sink, &latest)
		pass := func(res Result, err error) bool {
			if err != nil {
				return yield(err)
			}
			return give(res)
		}
		line := 0
		for ev, err := range events {
			line++
			r.ev = ev // on the heap, as in Replay
			if err == nil && sink != nil {
				if ev.TicketID != "" && ev.At.After(latest) {
					latest = ev.At
				}
				sink.Event(&r.ev)
			}
			if !r.event(line, &r.ev, idHash(r.ev.TicketID), err, pass) {
				return
			}
		}
		r.finish(r.until(at), pass)
	}
}

// giver returns the function that gives sink (if not nil) a result of r
// with the latest instant *latest, and then takes back the storage of the
// result for the next ones: the sink keeps nothing of it.
func (r *replayer) giver(sink ShardSink, latest *time.Time) func(Result) bool {
	mark := r.store
	return func(res Result) bool {
		if sink != nil {
			sink.Result(res, *latest)
		}
		r.store.rewind(&mark)
		mark = r.store
		return true
	}
}

// rewind gives back the storage taken from s since mark, an earlier copy
// of s, in the blocks that are still those of mark.
func (s *resultStore) rewind(mark *resultStore) {
	s.rules.rewind(mark.rules.free)
	s.clocks.rewind(mark.clocks.free)
	s.olas.rewind(mark.olas.free)
	s.escalations.rewind(mark.escalations.free)
	s.teams.rewind(mark.teams.free)
	s.handoffs.rewind(mark.handoffs.free)
	s.windows.rewind(mark.windows.free)
}

// rewind makes free, a rest of b's current block taken earlier, the rest
// again, if b's block is still the same; the storage given back is
// cleared (take hands out zero storage).
func (b *block[T]) rewind(free []T) {
	if n, m := cap(free), cap(b.free); n > 0 && m > 0 && &free[:n][n-1] == &b.free[:m][m-1] {
		clear(free[:n-m])
		b.free = free
	}
}
