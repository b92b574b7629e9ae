package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"
)

// TestProfileForPGO writes the CPU profile that default.pgo is made of:
// replay and report, in the formats most used, of the history named by
// SLAKIT_PGO_EVENTS, written to SLAKIT_PGO_OUT. It runs only when both are
// set (see BENCHMARKS.md, "profile-guided optimization"); the profile holds
// the commands' work alone, not the writing of the history.
func TestProfileForPGO(t *testing.T) {
	events, out := os.Getenv("SLAKIT_PGO_EVENTS"), os.Getenv("SLAKIT_PGO_OUT")
	if events == "" || out == "" {
		t.Skip("set SLAKIT_PGO_EVENTS (a history) and SLAKIT_PGO_OUT (the profile) to write a profile")
	}
	pol := filepath.Join("..", "..", "testdata", "policies", "multidesk.yaml")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	for _, args := range [][]string{
		{"replay", "--format", "json"},
		{"report"},
		{"replay", "--format", "json"},
		{"report", "--format", "html"},
		{"replay", "--format", "csv"},
		{"report", "--format", "json", "--by", "team,priority", "--bucket", "week"},
	} {
		args = append(args, "--policy", pol, "--events", events)
		if st := run(args, nil, io.Discard, io.Discard); st != exitOK {
			t.Fatalf("slakit %v: exit status %d", args, st)
		}
	}
}
