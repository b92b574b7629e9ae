package sla_test

import (
	"fmt"
	"iter"
	"runtime"
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// benchEngine is a policy with three built-in metrics on a São Paulo
// business-hours calendar.
func benchEngine(b *testing.B) *sla.Engine {
	return mustEngine(b, sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(b),
		Targets: targets{
			"urgent": {fr: time.Hour, nr: 2 * time.Hour, res: 8 * time.Hour},
			"normal": {fr: 4 * time.Hour, nr: 4 * time.Hour, res: 16 * time.Hour},
		}}}})
}

// benchHistory returns the events of ticket i: a customer creates it, an
// agent answers, the customer writes again, the ticket waits on the
// customer, gets answered and is solved and closed. Tickets start every
// start apart, so about lifetime/start of them are open at once.
func benchHistory(i int, start time.Duration, buf []sla.Event) []sla.Event {
	base := time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC).Add(time.Duration(i) * start)
	id := fmt.Sprintf("T%07d", i)
	prio := "normal"
	if i%5 == 0 {
		prio = "urgent"
	}
	steps := []struct {
		after time.Duration
		ev    sla.Event
	}{
		{0, sla.Event{Type: sla.EventCreated, Priority: prio, Channel: "email"}},
		{20 * time.Minute, sla.Event{Type: sla.EventMessage, Author: sla.AuthorAgent}},
		{50 * time.Minute, sla.Event{Type: sla.EventMessage, Author: sla.AuthorCustomer}},
		{90 * time.Minute, sla.Event{Type: sla.EventMessage, Author: sla.AuthorAgent}},
		{91 * time.Minute, sla.Event{Type: sla.EventStatus, Status: sla.StatusPending}},
		{5 * time.Hour, sla.Event{Type: sla.EventMessage, Author: sla.AuthorCustomer}},
		{6 * time.Hour, sla.Event{Type: sla.EventMessage, Author: sla.AuthorAgent}},
		{7 * time.Hour, sla.Event{Type: sla.EventStatus, Status: sla.StatusSolved}},
		{30 * time.Hour, sla.Event{Type: sla.EventStatus, Status: sla.StatusClosed}},
	}
	buf = buf[:0]
	for _, s := range steps {
		ev := s.ev
		ev.TicketID = id
		ev.At = base.Add(s.after)
		buf = append(buf, ev)
	}
	return buf
}

// interleaved yields the events of n tickets in time order.
func interleaved(n int, start time.Duration) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		// A ticket's events span 30h; merge by keeping the histories of the
		// tickets started in the last 31h and emitting in time order.
		type cursor struct {
			evs []sla.Event
			k   int
		}
		var live []*cursor
		next := 0
		for {
			var horizon time.Time
			if next < n {
				horizon = time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC).Add(time.Duration(next) * start)
			}
			// emit every pending event before the next ticket starts
			for {
				bi := -1
				for i, c := range live {
					if c.k < len(c.evs) && (bi < 0 || c.evs[c.k].At.Before(live[bi].evs[live[bi].k].At)) {
						bi = i
					}
				}
				if bi < 0 || (!horizon.IsZero() && !live[bi].evs[live[bi].k].At.Before(horizon)) {
					break
				}
				c := live[bi]
				if !yield(c.evs[c.k], nil) {
					return
				}
				c.k++
				if c.k == len(c.evs) {
					live[bi] = live[len(live)-1]
					live = live[:len(live)-1]
				}
			}
			if next >= n {
				return
			}
			live = append(live, &cursor{evs: benchHistory(next, start, nil)})
			next++
		}
	}
}

func collect(seq iter.Seq2[sla.Event, error]) []sla.Event {
	var out []sla.Event
	for ev := range seq {
		out = append(out, ev)
	}
	return out
}

// BenchmarkReplay replays pre-decoded events of 20,000 tickets (about 100
// open at once) on a business-hours policy with three built-in metrics.
func BenchmarkReplay(b *testing.B) { benchReplay(b, benchEngine(b)) }

// BenchmarkReplayLadder is BenchmarkReplay with a three-level escalation
// ladder (80%, breach, breach+2h) on the policy.
func BenchmarkReplayLadder(b *testing.B) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000},
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}},
		{Name: "breach", At: escalation.Trigger{Kind: escalation.Breach},
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "lead"}}},
		{Name: "leadership", At: escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour},
			Actions: []escalation.Action{{Type: escalation.Escalate, Target: "tier3"}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(b), Escalation: "standard",
		Targets: targets{
			"urgent": {fr: time.Hour, nr: 2 * time.Hour, res: 8 * time.Hour},
			"normal": {fr: 4 * time.Hour, nr: 4 * time.Hour, res: 16 * time.Hour},
		}}}, Ladders: map[string]*escalation.Ladder{"standard": l}}
	benchReplay(b, mustEngine(b, cfg))
}

func benchReplay(b *testing.B, e *sla.Engine) {
	evs := collect(interleaved(20000, 20*time.Minute))
	seq := func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for r, err := range e.Replay(seq, time.Time{}) {
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Errors) > 0 {
				b.Fatal(r.Errors)
			}
		}
		n++
	}
	runtime.ReadMemStats(&ms1)
	total := float64(n * len(evs))
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/event")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/event")
}

// BenchmarkApply applies one event at a time (Apply alone, no Result).
func BenchmarkApply(b *testing.B) {
	e := benchEngine(b)
	evs := collect(interleaved(2000, 20*time.Minute))
	states := map[string]*sla.State{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ev := evs[i%len(evs)]
		i++
		st := states[ev.TicketID]
		if st == nil || ev.Type == sla.EventCreated {
			st = &sla.State{}
			states[ev.TicketID] = st
		}
		*st, _ = e.Apply(*st, ev)
	}
}

// fiveClocks is a ticket with five running clocks: resolution,
// next_response, periodic_update and two custom metrics.
func fiveClocks(b *testing.B) (*sla.Engine, sla.State, time.Time) {
	always := func(*sla.Ticket, *sla.Event) (bool, error) { return true, nil }
	never := func(*sla.Ticket, *sla.Event) (bool, error) { return false, nil }
	p := sla.Policy{Name: "sp", Calendar: spCal(b),
		Metrics: []sla.CustomMetric{{Name: "a", Start: always, Stop: never}, {Name: "b", Start: always, Stop: never}},
		Targets: targets{"normal": {nr: 4 * time.Hour, pu: 8 * time.Hour, res: 16 * time.Hour, "a": time.Hour, "b": 2 * time.Hour}}}
	e := mustEngine(b, sla.Config{Policies: []sla.Policy{p}})
	st, errs := applyAll(b, e, events(b,
		ev("2026-03-02T08:00:00-03:00", "created", `"author":"agent"`),
		ev("2026-03-02T09:00:00-03:00", "message", `"author":"customer"`),
	))
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	at := mustTime(b, "2026-03-04T10:17:00-03:00")
	v := e.Evaluate(st, at)
	running := 0
	for _, c := range v.Clocks {
		if c.Stop.IsZero() {
			running++
		}
	}
	if running != 5 {
		b.Fatalf("%d running clocks, want 5: %v", running, clockLines(v))
	}
	return e, st, at
}

func BenchmarkEvaluate5Clocks(b *testing.B) {
	e, st, at := fiveClocks(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Evaluate(st, at)
	}
}

// BenchmarkResult5ClosedClocks builds the Result of the five-clock ticket
// closed: every clock stopped, as most results of a replay.
func BenchmarkResult5ClosedClocks(b *testing.B) {
	e, st, at := fiveClocks(b)
	st, err := e.Apply(st, sla.Event{TicketID: st.Ticket().ID, At: at, Type: sla.EventStatus, Status: sla.StatusClosed})
	if err != nil {
		b.Fatal(err)
	}
	if r := e.Result(st, at); len(r.Clocks) != 5 {
		b.Fatalf("%d clocks, want 5", len(r.Clocks))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Result(st, at)
	}
}

// BenchmarkEvaluateInto5Clocks reuses the View's storage.
func BenchmarkEvaluateInto5Clocks(b *testing.B) {
	e, st, at := fiveClocks(b)
	var v sla.View
	b.ReportAllocs()
	for b.Loop() {
		e.EvaluateInto(&v, &st, at)
	}
}

func BenchmarkEvaluateParallel(b *testing.B) {
	e, st, at := fiveClocks(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var v sla.View
		for pb.Next() {
			e.EvaluateInto(&v, &st, at)
		}
	})
}

// BenchmarkReplayMillionTickets replays 1,000,000 tickets (9,000,000
// events, generated on the fly) that close as they go, about 100 open at
// once, and reports the peak heap sampled every 100,000 events.
func BenchmarkReplayMillionTickets(b *testing.B) {
	e := benchEngine(b)
	const tickets = 1_000_000
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		n := 0
		src := interleaved(tickets, 20*time.Minute)
		sampled := func(yield func(sla.Event, error) bool) {
			for ev, err := range src {
				n++
				if n%100_000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
				if !yield(ev, err) {
					return
				}
			}
		}
		results := 0
		for range e.Replay(sampled, time.Time{}) {
			results++
		}
		if results != tickets {
			b.Fatalf("%d results, want %d", results, tickets)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
