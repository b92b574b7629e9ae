package main

import (
	"iter"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// readAheadBatch is how many items (events, or results) the producing
// goroutine hands over at once, and readAheadDepth how many batches may
// wait: a few hundred KB read ahead.
const (
	readAheadBatch = 256
	readAheadDepth = 4
)

// readAhead runs seq (the replay) in a goroutine of its
// own, so that producing the next items overlaps with consuming the
// previous ones on another core. It yields the same pairs in the same
// order. Batches travel back to the producer once yielded, so reading
// ahead allocates nothing per item; stopping early stops the producer
// before readAhead returns.
func readAhead[T any](seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	type item struct {
		v   T
		err error
	}
	return func(yield func(T, error) bool) {
		full := make(chan []item, readAheadDepth)
		free := make(chan []item, readAheadDepth+2)
		stop := make(chan struct{})
		done := make(chan struct{})
		for range readAheadDepth + 2 {
			free <- make([]item, 0, readAheadBatch)
		}
		go func() {
			defer close(done)
			defer close(full)
			b := <-free
			for v, err := range seq {
				b = append(b, item{v, err})
				if len(b) < readAheadBatch {
					continue
				}
				select {
				case full <- b:
				case <-stop:
					return
				}
				select {
				case b = <-free:
				case <-stop:
					return
				}
			}
			if len(b) > 0 {
				select {
				case full <- b:
				case <-stop:
				}
			}
		}()
		defer func() {
			close(stop)
			<-done
		}()
		for b := range full {
			for i := range b {
				if !yield(b[i].v, b[i].err) {
					return
				}
			}
			clear(b) // drop the items' memory before the batch is reused
			free <- b[:0]
		}
	}
}

// The collector's target for replay and report follows the live heap:
// while the live data (the open tickets) is small, the heap may grow to
// several times it between collections, which spares the collector most
// of its work on a long history; as the live data grows, the target
// falls, down to Go's default, so that the heap stays near gcHeapGoal or,
// for very many open tickets, twice the live data. GOGC in the
// environment takes precedence.
const (
	gcHeapGoal = 200 << 20 // bytes of heap the target aims at
	gcMaxPct   = 400       // the target while the live data is small
	gcMinPct   = 100       // Go's default, once the live data is large
)

// gcTarget returns the collector's target (GOGC) for live bytes of live
// heap.
func gcTarget(live uint64) int {
	if live == 0 {
		return gcMaxPct
	}
	if live >= gcHeapGoal/2 {
		return gcMinPct
	}
	return min(gcMaxPct, max(gcMinPct, int((gcHeapGoal-live)*100/live)))
}

var gcTuning sync.Once

// tuneGC sets the collector's target for a replay unless GOGC is set, and
// from then on adjusts it after every collection to the live heap.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	gcTuning.Do(func() {
		debug.SetGCPercent(gcMaxPct)
		armGCTuner(gcMaxPct)
	})
}

// gcSentinel is garbage whose finalizer runs after each collection.
type gcSentinel struct{ _ *byte }

// armGCTuner leaves a sentinel for the next collection to find: its
// finalizer sets the target for the live heap measured then, and leaves
// the next sentinel.
func armGCTuner(pct int) {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		next := pct
		if sample[0].Value.Kind() == metrics.KindUint64 {
			next = gcTarget(sample[0].Value.Uint64())
		}
		if next != pct {
			debug.SetGCPercent(next)
		}
		armGCTuner(next)
	})
}

// replayWorkers is how many goroutines apply the events of a replay: one
// per core the process may use.
func replayWorkers() int { return runtime.GOMAXPROCS(0) }
