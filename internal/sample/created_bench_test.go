package sample_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// BenchmarkReplayCreatedOnly replays the created events of the default
// history alone (3,000 tickets of one event each) through the reference
// policy: the created-ticket path, and the 3,000 results of the tickets
// left open, evaluated at the end (about half of it): beside
// BenchmarkReplayMultidesk, what creation costs.
func BenchmarkReplayCreatedOnly(b *testing.B) {
	set, err := policy.LoadFile(filepath.Join(root, "testdata", "policies", "multidesk.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := set.Engine()
	if err != nil {
		b.Fatal(err)
	}
	var evs []sla.Event
	for ev, err := range sample.Events(sample.Default()) {
		if err != nil {
			b.Fatal(err)
		}
		if ev.Type == sla.EventCreated {
			evs = append(evs, ev)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range eng.Replay(func(yield func(sla.Event, error) bool) {
			for _, ev := range evs {
				if !yield(ev, nil) {
					return
				}
			}
		}, time.Time{}) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(evs)*b.N)/b.Elapsed().Seconds(), "events/s")
}
