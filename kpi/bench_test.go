package kpi_test

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// benchResults makes n varied results of replayed tickets: a first
// response and a resolution clock each (mostly decided), a team hand-off
// now and then, stats for FCR, reopens and CSAT.
func benchResults(n int) []sla.Result {
	rng := rand.New(rand.NewPCG(9, 9))
	teams := []string{"billing", "support", "tier2", ""}
	out := make([]sla.Result, n)
	for i := range out {
		st := []sla.Status{sla.StatusSolved, sla.StatusClosed, sla.StatusSolved, sla.StatusOpen}[rng.IntN(4)]
		fr := sla.ClockMet
		if rng.IntN(10) == 0 {
			fr = sla.ClockBreached
		}
		res := sla.ClockMet
		switch {
		case st == sla.StatusOpen:
			res = sla.ClockRunning
		case rng.IntN(8) == 0:
			res = sla.ClockBreached
		}
		team := teams[rng.IntN(len(teams))]
		r := sla.Result{View: sla.View{Ticket: "T", Policy: "std", Priority: []string{"urgent", "high", "normal", "low"}[rng.IntN(4)],
			Status: st,
			Clocks: []sla.Clock{
				{Metric: sla.FirstResponse, Cycle: 1, State: fr, Elapsed: time.Duration(rng.IntN(7200)) * time.Second},
				{Metric: sla.Resolution, Cycle: 1, State: res, Elapsed: time.Duration(rng.IntN(100000)) * time.Second},
			}},
			Teams: []sla.TeamTime{{Metric: sla.Resolution, Cycle: 1, Team: team, Elapsed: time.Duration(rng.IntN(50000)) * time.Second}},
			Attributes: sla.Ticket{Channel: []string{"email", "whatsapp", "chat"}[rng.IntN(3)], Team: team,
				CreatedAt: time.Date(2026, 3, 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)},
		}
		if rng.IntN(5) == 0 {
			r.Teams = append(r.Teams, sla.TeamTime{Metric: sla.Resolution, Cycle: 1, Team: "tier2", Elapsed: time.Hour})
		}
		r.Stats.AgentReplies = 1 + rng.IntN(3)
		r.Stats.Reopens = rng.IntN(10) / 9
		r.Stats.CSAT = rng.IntN(6)
		out[i] = r
	}
	return out
}

const million = 1_000_000

func benchMillion(b *testing.B, cfg kpi.Config) {
	rs := benchResults(4096)
	b.ReportAllocs()
	cpu := int64(0)
	for b.Loop() {
		start := cpuNanos()
		acc, err := kpi.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for i := range million {
			acc.Add(rs[i&4095])
		}
		rep := acc.Report()
		if rep.Tickets != million {
			b.Fatal(rep.Tickets)
		}
		cpu += cpuNanos() - start
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/million, "ns/ticket")
	// CPU time (all threads, garbage collection included) is what one
	// core would need; wall time suffers from other load on the machine.
	b.ReportMetric(float64(cpu)/float64(b.N)/1e9, "cpu-s/op")
}

// BenchmarkMillion aggregates 1,000,000 ticket results (two clocks each)
// and reports with exact percentiles, ungrouped.
func BenchmarkMillion(b *testing.B) {
	benchMillion(b, kpi.Config{Goals: []kpi.Goal{kpi.MustParseGoal("first_response_p90", "<= 10m")}})
}

// BenchmarkMillionGrouped does the same grouped by priority, channel and
// team and by day of creation (every result counted five times).
func BenchmarkMillionGrouped(b *testing.B) {
	benchMillion(b, kpi.Config{GroupBy: []string{"priority", "channel", "team"}, Bucket: kpi.Day})
}

// BenchmarkAdd measures adding one result to a grouped accumulator.
func BenchmarkAdd(b *testing.B) {
	rs := benchResults(4096)
	acc, _ := kpi.New(kpi.Config{GroupBy: []string{"priority", "channel"}})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		acc.Add(rs[i&4095])
		i++
	}
}

// BenchmarkMerge merges 16 shards of 62,500 results each.
func BenchmarkMerge(b *testing.B) {
	rs := benchResults(4096)
	cfg := kpi.Config{GroupBy: []string{"priority"}}
	shards := make([]*kpi.Accumulator, 16)
	for s := range shards {
		shards[s], _ = kpi.New(cfg)
		for i := range million / 16 {
			shards[s].Add(rs[(s*7+i)&4095])
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		acc, _ := kpi.New(cfg)
		for _, s := range shards {
			if err := acc.Merge(s); err != nil {
				b.Fatal(err)
			}
		}
		acc.Report()
	}
}

// BenchmarkTimeInStatus measures following one ticket through three
// status changes (Observe) and summing its stays up in business time when
// its result is added.
func BenchmarkTimeInStatus(b *testing.B) {
	cal, err := calendar.New(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	if err != nil {
		b.Fatal(err)
	}
	acc, _ := kpi.New(kpi.Config{Calendar: func(string, string) *calendar.Calendar { return cal }})
	t0 := time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)
	evs := []sla.Event{
		{TicketID: "T", At: t0, Type: sla.EventCreated},
		{TicketID: "T", At: t0.Add(time.Hour), Type: sla.EventStatus, Status: sla.StatusPending},
		{TicketID: "T", At: t0.Add(50 * time.Hour), Type: sla.EventMessage},
		{TicketID: "T", At: t0.Add(52 * time.Hour), Type: sla.EventStatus, Status: sla.StatusSolved},
	}
	r := sla.Result{View: sla.View{Ticket: "T", Policy: "p", Status: sla.StatusSolved}, Attributes: sla.Ticket{ID: "T", CreatedAt: t0}}
	b.ReportAllocs()
	for b.Loop() {
		for _, ev := range evs {
			acc.Observe(ev)
		}
		acc.Add(r)
	}
}

// replayedHistory is what a report over a replay is fed: the events, the
// results, and the order in which they come (steps: an index into events,
// or -1-i for results[i]): every event observed before the results the
// replay yields after it, as slakit report does.
type replayedHistory struct {
	events  []sla.Event
	results []sla.Result
	steps   []int
	cfg     kpi.Config
}

// replayHistory replays the sample generator's history of n tickets over
// four weeks through the reference policy once, and returns what a report
// over it is fed, with the accumulator's configuration.
func replayHistory(b *testing.B, tickets int) *replayedHistory {
	b.Helper()
	set, err := policy.LoadFile(filepath.Join("..", "testdata", "policies", "multidesk.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := set.Engine()
	if err != nil {
		b.Fatal(err)
	}
	o := sample.Options{Seed: 1, Tickets: tickets, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Weeks: 4}
	h := &replayedHistory{}
	observe := func(ev *sla.Event) {
		h.steps = append(h.steps, len(h.events))
		h.events = append(h.events, *ev)
	}
	for r, err := range eng.ReplayParallel(sample.Events(o), time.Time{}, sla.ReplayOptions{Observe: observe}) {
		if err != nil {
			b.Fatal(err)
		}
		h.steps = append(h.steps, -1-len(h.results))
		h.results = append(h.results, r)
	}
	cals := map[string]*calendar.Calendar{}
	for _, p := range set.Config().Policies {
		cals[p.Name] = p.Calendar
	}
	h.cfg = set.KPIConfig()
	h.cfg.Calendar = func(pol, name string) *calendar.Calendar {
		if c := set.Calendar(name); c != nil {
			return c
		}
		return cals[pol]
	}
	return h
}

// BenchmarkReplayedHistory measures what slakit report does besides the
// replay: following the status through every event of a realistic history
// (20,000 tickets, about 135,000 events, through the reference policy)
// and adding each ticket's result, then the report, as slakit report
// does. ns/event is per input event.
func BenchmarkReplayedHistory(b *testing.B) {
	h := replayHistory(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		if rep := reportHistory(b, h); rep.Tickets != int64(len(h.results)) {
			b.Fatalf("report of %d tickets, want %d", rep.Tickets, len(h.results))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(h.events)), "ns/event")
}

// reportHistory feeds h to a new accumulator and returns its report. (A
// function of its own, so that a profiler can single it out.)
func reportHistory(b *testing.B, h *replayedHistory) kpi.Report {
	acc, err := kpi.New(h.cfg)
	if err != nil {
		b.Fatal(err)
	}
	observe := acc.Observer()
	for _, k := range h.steps {
		if k >= 0 {
			observe(&h.events[k])
		} else {
			acc.Add(h.results[-1-k])
		}
	}
	return acc.Report()
}
