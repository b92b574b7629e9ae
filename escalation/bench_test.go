package escalation_test

import (
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
)

var sinkFiring escalation.Firing

// BenchmarkNext: the next firing of a three-level ladder on a business-hours clock.
func BenchmarkNext(b *testing.B) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify("assignee")},
		{Name: "breach", At: escalation.Trigger{Kind: escalation.Breach}, Actions: notify("lead")},
		{Name: "leadership", At: escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}, During: nyOffice, Actions: notify("leadership")},
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 3, 6, 11, 30, 0, 0, sp)
	c := escalation.Clock{Metric: "first_response", Cycle: 1, Start: start, At: start, Target: time.Hour, Running: true, Calendar: spDesk}
	b.ReportAllocs()
	for b.Loop() {
		sinkFiring, _ = l.Next(&c, nil)
	}
}
