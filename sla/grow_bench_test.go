package sla_test

import (
	"fmt"
	"runtime"
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

// BenchmarkReplayOpenTickets replays 100,000 tickets that never close (an
// export cut at a date): each is created by a customer on WhatsApp with a
// team, tags and a customer, gets an agent reply and a second customer
// message. It reports the live heap per open ticket once every event is
// read, before the results are built. The solved variants solve each
// ticket an hour after its creation (tickets are created 10 s apart, over
// 11.6 days) and report the peak live heap, without and with
// CloseSolvedAfter (96h).
func BenchmarkReplayOpenTickets(b *testing.B) {
	for _, bc := range []struct {
		name  string
		solve bool
		after time.Duration
	}{{"never-solved", false, 0}, {"solved", true, 0}, {"solved/close_solved_after=96h", true, 96 * time.Hour}} {
		b.Run(bc.name, func(b *testing.B) {
			e := mustEngine(b, sla.Config{
				Policies:         []sla.Policy{{Name: "p", Calendar: spCal(b), Targets: stdTargets()}},
				WhatsApp:         whatsappTracker(b),
				CloseSolvedAfter: bc.after,
			})
			replayTickets(b, e, bc.solve)
		})
	}
}

func replayTickets(b *testing.B, e *sla.Engine, solve bool) {
	const tickets = 100_000
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var perTicket float64
	var peak uint64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		src := func(yield func(sla.Event, error) bool) {
			for i := range tickets {
				id := fmt.Sprintf("INC%07d", i)
				at := t0.Add(time.Duration(i) * 10 * time.Second)
				evs := []sla.Event{
					{TicketID: id, At: at, Type: sla.EventCreated, Channel: "whatsapp", Priority: "normal", Team: "support",
						Tags: []string{"billing", "pt-br"}, Subject: "Segunda via do boleto", Customer: &sla.Customer{ID: "c" + id, Phone: "+5511" + id[3:]},
						MessageID: "wamid." + id},
					{TicketID: id, At: at.Add(10 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
					{TicketID: id, At: at.Add(20 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorCustomer, MessageID: "wamid2." + id},
				}
				if solve {
					evs = append(evs, sla.Event{TicketID: id, At: at.Add(time.Hour), Type: sla.EventStatus, Status: sla.StatusSolved})
				}
				for _, ev := range evs {
					if !yield(ev, nil) {
						return
					}
				}
				if i%10_000 == 9_999 {
					runtime.GC()
					runtime.ReadMemStats(&after)
					peak = max(peak, after.HeapAlloc-before.HeapAlloc)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
		}
		n := 0
		for range e.Replay(src, time.Time{}) {
			n++
		}
		if n != tickets {
			b.Fatalf("%d results, want %d", n, tickets)
		}
		perTicket = float64(after.HeapAlloc-before.HeapAlloc) / tickets
	}
	b.ReportMetric(perTicket, "B/ticket-at-end")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
