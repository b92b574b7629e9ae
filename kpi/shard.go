package kpi

import (
	"time"

	"github.com/slakit/slakit/sla"
)

// Sink returns a sink of [sla.Engine.ReplayShards] that feeds a: it
// observes the events of its shard's tickets ([Accumulator.Observe]) and
// adds their results ([Accumulator.Add]). Give each shard an accumulator
// of its own, built from the same [Config], and merge them
// ([Accumulator.Merge]) once the replay is over: the merged report is
// exactly that of one accumulator observing and adding the whole history
// beside [sla.Engine.Replay], whatever the number of shards.
//
// Time in status needs one fact beyond a shard's own tickets: the time in
// the current status of a ticket not closed counts up to [Config.At], or
// when that is zero up to the latest instant observed when its result is
// added, which for a shard is that of the whole history so far. The sink
// takes it from the replay (the latest of [sla.ShardSink.Result]) before
// adding each result.
//
// The shards' accumulators run at once on several goroutines, so
// [Config.Calendar] must be safe for concurrent use.
func (a *Accumulator) Sink() sla.ShardSink { return shardSink{a} }

type shardSink struct{ a *Accumulator }

func (s shardSink) Event(ev *sla.Event) { s.a.observe(ev) }

func (s shardSink) Result(r sla.Result, latest time.Time) {
	s.a.status.see(latest)
	s.a.Add(r)
}
