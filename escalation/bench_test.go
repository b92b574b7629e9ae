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

var sinkTime time.Time

// BenchmarkNotBefore: the bound on the next firing of the reference ladder's three levels (a
// percent of the first response, an elapsed time on the resolution with a condition on the
// ticket, two hours past any breach in quiet hours) on a resolution clock that knows its
// deadline, the first two levels set in its fired levels as the SLA engine sets them for a
// ticket whose condition rules the second out.
func BenchmarkNotBefore(b *testing.B) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", Metric: "first_response", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify("assignee")},
		{Name: "specialist", Metric: "resolution", At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute},
			When: func(*escalation.Context) (bool, error) { return true, nil }, WhenTicketOnly: true, WhenTicket: func(any) bool { return true },
			Actions: notify("specialists")},
		{Name: "leadership", At: escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}, During: nyOffice, Actions: notify("leadership")},
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 3, 6, 11, 30, 0, 0, sp)
	c := escalation.Clock{Metric: "resolution", Cycle: 1, Start: start, At: start, Target: 4 * time.Hour, Running: true,
		Calendar: spDesk, Deadline: time.Date(2026, 3, 6, 16, 30, 0, 0, sp), Fired: 3}
	b.ReportAllocs()
	for b.Loop() {
		sinkTime, _ = l.NotBefore(&c, "billing")
	}
}
