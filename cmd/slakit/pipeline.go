package main

import (
	"iter"
	"os"
	"runtime"
	"runtime/debug"
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

// replayGC is the garbage collector's target for replay and report: the
// heap may grow to three times its live data between collections, which
// halves the collector's work on a long history (the live data of a
// replay is the open tickets, a few tens of MB for a million events).
// GOGC in the environment takes precedence.
const replayGC = 200

// tuneGC sets the collector's target for a replay unless GOGC is set.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(replayGC)
	}
}

// replayWorkers is how many goroutines apply the events of a replay: one
// per core the process may use.
func replayWorkers() int { return runtime.GOMAXPROCS(0) }
