package main

import (
	"iter"
	"os"
	"runtime/debug"

	"github.com/slakit/slakit/sla"
)

// readAheadBatch is how many events the reading goroutine hands over at
// once, and readAheadDepth how many batches may wait: a few hundred KB of
// events read ahead.
const (
	readAheadBatch = 256
	readAheadDepth = 4
)

// readAhead runs events (the decoder) in a goroutine of its own, so that
// decoding the next lines overlaps with replaying the previous ones on
// another core. It yields the same pairs in the same order. Batches
// travel back to the reader once yielded, so reading ahead allocates
// nothing per event; stopping early stops the reader before readAhead
// returns.
func readAhead(events iter.Seq2[sla.Event, error]) iter.Seq2[sla.Event, error] {
	type item struct {
		ev  sla.Event
		err error
	}
	return func(yield func(sla.Event, error) bool) {
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
			for ev, err := range events {
				b = append(b, item{ev, err})
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
				if !yield(b[i].ev, b[i].err) {
					return
				}
			}
			clear(b) // drop the events' memory before the batch is reused
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
