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
	// it). latest is the latest instant among the well-formed events that
	// name a ticket, of the whole input (every shard's), read up to the
	// event after which the result comes, and for the tickets still open
	// at the end, of the whole input: where a consumer that saw every
	// event would measure "so far" (as the time in status of a kpi
	// Accumulator does).
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
// With one sink the replay runs on the caller's goroutine, as Replay
// does; with none, the results are dropped.
//
// When the range is over, every call to a sink has returned. Stopping
// early stops every goroutine before ReplayShards returns; the sinks have
// then had a part of the results. As for ReplayParallel, the events
// sequence is read on a goroutine of its own.
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
// goroutine.
func (e *Engine) replayInto(events iter.Seq2[Event, error], at time.Time, sink ShardSink) iter.Seq[error] {
	return func(yield func(error) bool) {
		var latest time.Time // see ShardSink.Result
		cur := new(Event)    // the event the sink sees: ev stays on the stack
		in := func(yield func(Event, error) bool) {
			for ev, err := range events {
				if err == nil && sink != nil {
					if ev.TicketID != "" && ev.At.After(latest) {
						latest = ev.At
					}
					*cur = ev
					sink.Event(cur)
				}
				if !yield(ev, err) {
					return
				}
			}
		}
		for res, err := range e.Replay(in, at) {
			if err != nil {
				if !yield(err) {
					return
				}
			} else if sink != nil {
				sink.Result(res, latest)
			}
		}
	}
}
