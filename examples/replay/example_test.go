package main

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// The -update flag, which slatest.Golden honours, rewrites the golden file.
var _ = flag.Bool("update", false, "rewrite the golden files")

// TestSampleWithSlatest is how a host tests its policy against a history
// with package slatest: replay it, then check single tickets and the whole
// output against a golden file (rewrite it with go test -update).
func TestSampleWithSlatest(t *testing.T) {
	root := filepath.Join("..", "..")
	rec := slatest.ReplayFile(t,
		filepath.Join(root, repo.Policy),
		filepath.Join(root, "testdata", "history", "sample.jsonl"))
	slatest.AssertNoErrors(t, rec)
	assert.Len(t, rec.Tickets, 3000)

	// T51: a WhatsApp billing ticket answered late; the ladder reminded
	// the agent and handed the ticket to the billing specialists.
	slatest.AssertBreached(t, rec, "T51", sla.FirstResponse)
	slatest.AssertClock(t, rec, "T51", sla.Resolution, 1, sla.ClockMet)
	slatest.AssertFired(t, rec, "T51", "remind")
	slatest.AssertFired(t, rec, "T51", "billing-specialist")
	slatest.AssertNotFired(t, rec, "T51", "leadership")

	// T62: answered in time, nothing fired.
	slatest.AssertClock(t, rec, "T62", sla.FirstResponse, 1, sla.ClockMet)
	slatest.AssertNotFired(t, rec, "T62", "remind")

	// The first fifty results, byte for byte.
	slatest.Golden(t, filepath.Join("testdata", "first50.golden.jsonl"), rec.Results[:50])
}
