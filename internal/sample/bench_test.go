package sample_test

import (
	"io"
	"testing"

	"github.com/slakit/slakit/internal/sample"
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
