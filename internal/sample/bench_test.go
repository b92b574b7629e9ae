package sample_test

import (
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// BenchmarkEvents generates the default history (about 19,000 events) and
// reports events per second.
func BenchmarkEvents(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, err := range sample.Events(sample.Default()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkWrite generates and encodes the default history as JSON Lines.
func BenchmarkWrite(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		k, err := sample.Write(io.Discard, sample.Default())
		if err != nil {
			b.Fatal(err)
		}
		n += k
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReplayMultidesk replays the default history (generated once)
// through the reference policy: the engine's throughput on realistic data.
func BenchmarkReplayMultidesk(b *testing.B) { benchReplay(b, false, nil) }

// BenchmarkReplayMultideskJSON is BenchmarkReplayMultidesk with every
// result written as JSON (into one buffer), as slakit replay writes them.
func BenchmarkReplayMultideskJSON(b *testing.B) { benchReplay(b, true, nil) }

// BenchmarkReplayMultideskSink is BenchmarkReplayMultidesk through
// ReplayShards with one sink, on the caller's goroutine, as slakit report
// runs: each result is made in storage the next results reuse, instead of
// storage the caller keeps.
func BenchmarkReplayMultideskSink(b *testing.B) {
	eng, evs := benchInput(b, sample.Default(), nil)
	sink := &failSink{b: b}
	b.ReportAllocs()
	for b.Loop() {
		for err := range eng.ReplayShards(func(yield func(sla.Event, error) bool) {
			for i := range evs {
				if !yield(evs[i], nil) {
					return
				}
			}
		}, time.Time{}, []sla.ShardSink{sink}) {
			b.Fatal(err)
		}
	}
	if want := sample.Default().Tickets * b.N; sink.n != want {
		b.Fatalf("%d results, want %d", sink.n, want)
	}
	b.ReportMetric(float64(len(evs)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// failSink is a sla.ShardSink that counts the results and fails the
// benchmark on a result with errors.
type failSink struct {
	b *testing.B
	n int
}

func (s *failSink) Event(*sla.Event) {}

func (s *failSink) Result(r sla.Result, _ time.Time) {
	if len(r.Errors) > 0 {
		s.b.Fatal(r.Errors[0])
	}
	s.n++
}

// BenchmarkReplayCreatedOnly replays the created events of the default
// history alone (3,000 tickets of one event each) through the reference
// policy: the created-ticket path, and the 3,000 results of the tickets
// left open, evaluated at the end (about half of it): beside
// BenchmarkReplayMultidesk, what creation costs.
func BenchmarkReplayCreatedOnly(b *testing.B) {
	benchReplay(b, false, func(ev *sla.Event) bool { return ev.Type == sla.EventCreated })
}

// benchReplay replays the default history through the reference policy,
// only the events keep keeps (nil: all), writing each result as JSON with
// write.
func benchReplay(b *testing.B, write bool, keep func(*sla.Event) bool) {
	eng, evs := benchInput(b, sample.Default(), keep)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		for r, err := range eng.Replay(func(yield func(sla.Event, error) bool) {
			for i := range evs {
				if !yield(evs[i], nil) {
					return
				}
			}
		}, time.Time{}) {
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Errors) > 0 {
				b.Fatal(r.Errors[0])
			}
			if write {
				if buf, err = r.AppendJSON(buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(len(evs)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// benchInput returns the reference policy's engine and the history opts
// describes, only the events keep keeps (nil: all).
func benchInput(b *testing.B, opts sample.Options, keep func(*sla.Event) bool) (*sla.Engine, []sla.Event) {
	set, err := policy.LoadFile(filepath.Join(root, "testdata", "policies", "multidesk.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := set.Engine()
	if err != nil {
		b.Fatal(err)
	}
	var evs []sla.Event
	for ev, err := range sample.Events(opts) {
		if err != nil {
			b.Fatal(err)
		}
		if keep == nil || keep(&ev) {
			evs = append(evs, ev)
		}
	}
	return eng, evs
}
