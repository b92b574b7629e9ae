package sla_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// growEngine: a business-hours policy whose resolution clock pauses on
// pending, so that every pending/open toggle pauses or resumes it.
func growEngine(b testing.TB) *sla.Engine {
	return mustEngine(b, sla.Config{Policies: []sla.Policy{{Name: "p", Calendar: spCal(b), Targets: stdTargets()}}})
}

// toggled returns a ticket created on Monday 2 March 2026 at 08:00 that
// went through n status events, alternately pending and open, one minute
// apart, and the instant of the next.
func toggled(b testing.TB, e *sla.Engine, n int) (sla.State, time.Time) {
	t := time.Date(2026, 3, 2, 8, 0, 0, 0, spCal(b).Location())
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: t, Type: sla.EventCreated, Priority: "low"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		t = t.Add(time.Minute)
		if st, err = e.Apply(st, toggle(t, i)); err != nil {
			b.Fatal(err)
		}
	}
	return st, t.Add(time.Minute)
}

func toggle(t time.Time, i int) sla.Event {
	s := sla.StatusPending
	if i%2 == 1 {
		s = sla.StatusOpen
	}
	return sla.Event{TicketID: "T", At: t, Type: sla.EventStatus, Status: s}
}

// BenchmarkApplyToggles measures one pending/open event on a ticket that
// has already had 1,000 or 100,000 of them: the cost per event must not
// grow with the ticket's history.
func BenchmarkApplyToggles(b *testing.B) {
	e := growEngine(b)
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("after=%d", n), func(b *testing.B) {
			st, t := toggled(b, e, n)
			b.ReportAllocs()
			i := n
			for b.Loop() {
				var err error
				if st, err = e.Apply(st, toggle(t, i)); err != nil {
					b.Fatal(err)
				}
				t = t.Add(time.Minute)
				i++
			}
		})
	}
}

// BenchmarkApplyManyTags measures one update event adding 200,000 tags.
func BenchmarkApplyManyTags(b *testing.B) {
	e := growEngine(b)
	tags := make([]string, 200_000)
	for i := range tags {
		tags[i] = fmt.Sprintf("tag-%d", i)
	}
	t := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: t, Type: sla.EventCreated, Tags: tags[:10]})
		if err != nil {
			b.Fatal(err)
		}
		if _, err = e.Apply(st, sla.Event{TicketID: "T", At: t.Add(time.Minute), Type: sla.EventUpdate, Tags: tags}); err != nil {
			b.Fatal(err)
		}
	}
}
