package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/sla"
)

// plainEvent is sla.Event without its strict decoder: what a plain
// encoding/json decode of an events file fills.
type plainEvent sla.Event

// BenchmarkReplayEndToEnd measures slakit replay and report on the
// generator's history of about a million events (1,120,129 events of
// 160,000 tickets, 120 MB, written once into a temporary directory) beside
// a plain encoding/json decode of the same file into event structs, in
// one run, so that the ratio holds on a shared machine. Each sub-benchmark
// reports events/s; replay/decode is the ratio the end-to-end goal is
// about. It is skipped under -short.
func BenchmarkReplayEndToEnd(b *testing.B) {
	if testing.Short() {
		b.Skip("a 120 MB history; skipped under -short")
	}
	events := filepath.Join(b.TempDir(), "big.jsonl")
	f, err := os.Create(events)
	if err != nil {
		b.Fatal(err)
	}
	o := sample.Options{Seed: 1, Tickets: 160000, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Weeks: 26}
	n, err := sample.Write(f, o)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	pol := filepath.Join("..", "..", "testdata", "policies", "multidesk.yaml")
	perEvent := func(b *testing.B) {
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.Open(events)
			if err != nil {
				b.Fatal(err)
			}
			dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
			k := 0
			for {
				var ev plainEvent
				if err := dec.Decode(&ev); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				k++
			}
			f.Close()
			if k != n {
				b.Fatalf("decoded %d events, want %d", k, n)
			}
		}
		perEvent(b)
	})
	for _, cmd := range []string{"replay", "report"} {
		b.Run(cmd, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if st := run([]string{cmd, "--policy", pol, "--events", events}, nil, io.Discard, io.Discard); st != exitOK {
					b.Fatalf("slakit %s: exit status %d", cmd, st)
				}
			}
			perEvent(b)
		})
	}
}
