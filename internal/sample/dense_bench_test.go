package sample_test

import (
	"iter"
	"testing"
	"time"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/sla"
)

// BenchmarkReplayMultideskDense replays a history ten times denser than
// the default one (30,000 tickets in the same four weeks, about 200,000
// events, up to about 8,500 tickets open at once) through the reference
// policy: beside BenchmarkReplayMultidesk, what the size of the open
// tickets' records costs once they outgrow the processor's caches.
func BenchmarkReplayMultideskDense(b *testing.B) {
	opts := sample.Default()
	opts.Tickets *= 10
	eng, evs := benchInput(b, opts, nil)
	b.ReportAllocs()
	for b.Loop() {
		for r, err := range eng.Replay(eventsOf(evs), time.Time{}) {
			if err != nil || len(r.Errors) > 0 {
				b.Fatal(err, r.Errors)
			}
		}
	}
	b.ReportMetric(float64(len(evs)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// eventsOf returns the events of evs as a replay reads them.
func eventsOf(evs []sla.Event) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for i := range evs {
			if !yield(evs[i], nil) {
				return
			}
		}
	}
}
