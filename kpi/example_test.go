package kpi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
)

// Replay a history through an engine and sum the results up.
func Example() {
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name: "standard", // 24x7
		Targets: map[string]map[sla.Metric]time.Duration{
			"normal": {sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
		},
	}}})
	if err != nil {
		panic(err)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, time.UTC) }
	events := []sla.Event{
		{TicketID: "T1", At: at(9, 0), Type: sla.EventCreated, Channel: "email", Team: "billing"},
		{TicketID: "T2", At: at(9, 0), Type: sla.EventCreated, Channel: "whatsapp"},
		{TicketID: "T1", At: at(9, 20), Type: sla.EventMessage, Author: sla.AuthorAgent},
		{TicketID: "T1", At: at(10, 0), Type: sla.EventStatus, Status: sla.StatusSolved},
		{TicketID: "T2", At: at(10, 30), Type: sla.EventMessage, Author: sla.AuthorAgent},
	}
	in := func(yield func(sla.Event, error) bool) {
		for _, ev := range events {
			if !yield(ev, nil) {
				return
			}
		}
	}

	acc, err := kpi.New(kpi.Config{GroupBy: []string{"channel"},
		Goals: []kpi.Goal{kpi.MustParseGoal("first_response_p90", "<= 1h")}})
	if err != nil {
		panic(err)
	}
	for r, err := range eng.Replay(in, at(11, 0)) {
		if err != nil { // an event of no live ticket
			fmt.Println(err)
			continue
		}
		acc.Add(r)
	}
	rep := acc.Report()
	fr := rep.Metrics[sla.FirstResponse]
	fmt.Printf("tickets %d, backlog %d\n", rep.Tickets, rep.Backlog)
	fmt.Printf("first response: met %d, breached %d, p90 %ds\n", fr.Met, fr.Breached, *fr.P90Seconds)
	fmt.Printf("whatsapp compliance: %.2f\n", *rep.By["channel"]["whatsapp"].SLACompliance)
	fmt.Printf("resolution time of billing: %ds\n", rep.OLA[sla.Resolution]["billing"].Seconds)
	g := rep.Goals[0]
	fmt.Printf("goal %s %s: actual %.0f, met %t\n", g.KPI, g.Target, *g.Actual, *g.Met)
	// Output:
	// tickets 2, backlog 1
	// first response: met 1, breached 1, p90 5400s
	// whatsapp compliance: 0.00
	// resolution time of billing: 3600s
	// goal first_response_p90 <= 1h: actual 5400, met false
}

func ExampleParseGoal() {
	g, err := kpi.ParseGoal("sla_compliance", ">=95%")
	fmt.Println(g.Target, g.Value, err)
	g, err = kpi.ParseGoal("first_response_p90", "<= 10m")
	fmt.Println(g.Target, g.Value, g.Metric, err)
	_, err = kpi.ParseGoal("resolution_p90", "<= 2d")
	fmt.Println(err)
	_, err = kpi.ParseGoal("happiness", ">= 1")
	fmt.Println(errors.Is(err, kpi.ErrUnknownKPI))
	// Output:
	// >= 95% 0.95 <nil>
	// <= 10m 600 first_response <nil>
	// kpi: invalid goal: resolution_p90 "<= 2d": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h
	// true
}

// Shards summed anywhere merge into the report of the whole.
func ExampleAccumulator_Merge() {
	cfg := kpi.Config{}
	east, _ := kpi.New(cfg)
	west, _ := kpi.New(cfg)
	met := func(id string, d time.Duration) sla.Result {
		return sla.Result{View: sla.View{Ticket: id, Policy: "p", Status: sla.StatusSolved,
			Clocks: []sla.Clock{{Metric: sla.FirstResponse, Cycle: 1, State: sla.ClockMet, Elapsed: d}}}}
	}
	east.Add(met("E1", 2*time.Minute))
	east.Add(met("E2", 4*time.Minute))
	west.Add(met("W1", 9*time.Minute))
	if err := east.Merge(west); err != nil {
		panic(err)
	}
	fr := east.Report().Metrics[sla.FirstResponse]
	fmt.Println(fr.Met, *fr.MeanSeconds, *fr.P50Seconds)
	// Output:
	// 3 300 240
}

// Undefined figures are null, never NaN.
func ExampleAccumulator_Report_empty() {
	acc, _ := kpi.New(kpi.Config{})
	enc := json.NewEncoder(os.Stdout)
	_ = enc.Encode(acc.Report())
	// Output:
	// {"tickets":0,"tickets_without_policy":0,"metrics":{},"sla_compliance":null,"fcr_rate":null,"escalation_rate":null,"reopen_rate":null,"csat":{"responses":0,"mean":null,"positive_rate":null},"backlog":0,"ola":{},"reassignment":{"tickets":0,"reassigned":0,"rate":null,"mean_handoffs":null}}
}

// What would a first response target of 30 minutes instead of an hour
// have done to last month?
func ExampleCompare() {
	side := func(name string, fr time.Duration) kpi.Side {
		eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "standard", // 24x7
			Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: fr}}}}})
		if err != nil {
			panic(err)
		}
		return kpi.Side{Name: name, Engine: eng}
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	history := []sla.Event{
		{TicketID: "T1", At: t0, Type: sla.EventCreated},
		{TicketID: "T2", At: t0, Type: sla.EventCreated},
		{TicketID: "T1", At: t0.Add(20 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
		{TicketID: "T2", At: t0.Add(45 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
	}
	events := func() iter.Seq2[sla.Event, error] {
		return func(yield func(sla.Event, error) bool) {
			for _, ev := range history {
				if !yield(ev, nil) {
					return
				}
			}
		}
	}
	c, err := kpi.Compare(side("1h", time.Hour), side("30m", 30*time.Minute), events, time.Time{})
	if err != nil {
		panic(err)
	}
	for _, f := range c.Figures {
		if f.KPI == "first_response_compliance" {
			fmt.Printf("%s: %.0f%% -> %.0f%%\n", f.KPI, 100**f.A, 100**f.B)
		}
	}
	for _, ch := range c.Changes {
		fmt.Printf("%s %s: %s -> %s\n", ch.Ticket, ch.Metric, ch.From, ch.To)
	}
	// Output:
	// first_response_compliance: 100% -> 50%
	// T2 first_response: met -> breached
}

// Each goroutine of a replay feeds an accumulator of its own through its
// sink; merged, they give the report of the whole history, time in
// status included.
func ExampleAccumulator_Sink() {
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name:    "chat",
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: 15 * time.Minute}},
	}}})
	if err != nil {
		panic(err)
	}
	input := `{"ticket":"T1","at":"2026-03-02T09:00:00Z","type":"created"}
{"ticket":"T2","at":"2026-03-02T09:01:00Z","type":"created"}
{"ticket":"T3","at":"2026-03-02T09:02:00Z","type":"created"}
{"ticket":"T2","at":"2026-03-02T09:05:00Z","type":"message","author":"agent"}
{"ticket":"T2","at":"2026-03-02T09:11:00Z","type":"status","status":"open"}
{"ticket":"T1","at":"2026-03-02T09:20:00Z","type":"message","author":"agent"}
{"ticket":"T2","at":"2026-03-02T09:21:00Z","type":"status","status":"solved"}`
	accs := make([]*kpi.Accumulator, 3)
	sinks := make([]sla.ShardSink, len(accs))
	for i := range accs {
		accs[i], _ = kpi.New(kpi.Config{})
		sinks[i] = accs[i].Sink()
	}
	for err := range eng.ReplayShards(sla.ReadEvents(strings.NewReader(input)), time.Time{}, sinks) {
		fmt.Println("apart:", err)
	}
	for _, a := range accs[1:] {
		if err := accs[0].Merge(a); err != nil {
			panic(err)
		}
	}
	rep := accs[0].Report()
	fr, st := rep.Metrics[sla.FirstResponse], rep.TimeInStatus[sla.StatusNew]
	fmt.Println(rep.Tickets, "tickets;", fr.Met, "met,", fr.Breached, "breached")
	fmt.Println("new:", st.Tickets, "tickets, mean", *st.Wall.MeanSeconds, "s") // T1 and T3 up to 09:21, T2 until 09:11
	// Output:
	// 3 tickets; 1 met, 2 breached
	// new: 3 tickets, mean 1000 s
}
