package sla_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/slakit/slakit/sla"
)

// BenchmarkReadEventsHistory reads the generator's default history
// (testdata/history/sample.jsonl: the events of 3,000 tickets over four
// weeks, in the mix of the large histories of BenchmarkReplayEndToEnd).
func BenchmarkReadEventsHistory(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("..", "testdata", "history", "sample.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		for _, err := range sla.ReadEvents(bytes.NewReader(in)) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
