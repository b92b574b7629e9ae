package sla_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
)

// A ticket opened on a Friday afternoon in São Paulo: the first response
// is due on Monday, and the host learns when to look again.
func Example() {
	cal, err := calendar.New(calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
	})
	if err != nil {
		panic(err)
	}
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name:     "support",
		Calendar: cal,
		Targets: map[string]map[sla.Metric]time.Duration{
			"normal": {sla.FirstResponse: 2 * time.Hour, sla.Resolution: 16 * time.Hour},
		},
	}}})
	if err != nil {
		panic(err)
	}
	sp := cal.Location()
	var st sla.State
	st, err = eng.Apply(st, sla.Event{TicketID: "T1", Type: sla.EventCreated,
		At: time.Date(2026, 3, 6, 17, 0, 0, 0, sp)})
	if err != nil {
		panic(err)
	}
	v := eng.Evaluate(st, time.Date(2026, 3, 9, 8, 30, 0, 0, sp))
	for _, c := range v.Clocks {
		fmt.Printf("%s: %s, due %s, %v left (%.0f%%)\n", c.Metric, c.State,
			c.Deadline.Format("Mon 15:04"), c.Remaining, c.Percent)
	}
	fmt.Println("wake at", v.NextWake.Format(time.RFC3339))
	// Output:
	// first_response: running, due Mon 09:00, 30m0s left (75%)
	// resolution: running, due Tue 15:00, 14h30m0s left (9%)
	// wake at 2026-03-09T09:00:00-03:00
}

// Replay reads the events of many tickets and yields one result per
// ticket; a bad event of a ticket is listed in its result, an event of no
// live ticket is yielded apart as it occurs, each with its line, and the
// replay goes on.
func ExampleEngine_Replay() {
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name: "chat",
		Targets: map[string]map[sla.Metric]time.Duration{
			"urgent": {sla.FirstResponse: 5 * time.Minute},
			"normal": {sla.FirstResponse: 15 * time.Minute},
		},
	}}})
	if err != nil {
		panic(err)
	}
	input := `{"ticket":"T1","at":"2026-03-02T09:00:00Z","type":"created","priority":"urgent"}
{"ticket":"T2","at":"2026-03-02T09:01:00Z","type":"created"}
{"ticket":"T1","at":"2026-03-02T09:04:00Z","type":"message","author":"agent"}
{"ticket":"T2","at":"2026-03-02T09:20:00Z","type":"message","author":"agent"}
{"ticket":"T2","at":"2026-03-02T09:10:00Z","type":"note"}
{"ticket":"T3","at":"2026-03-02T09:11:00Z","type":"note"}`
	events := func(yield func(sla.Event, error) bool) {
		sc := bufio.NewScanner(strings.NewReader(input))
		for sc.Scan() {
			var ev sla.Event
			err := json.Unmarshal(sc.Bytes(), &ev)
			if !yield(ev, err) {
				return
			}
		}
	}
	for r, err := range eng.Replay(events, time.Time{}) {
		if err != nil {
			fmt.Println("apart:", err)
			continue
		}
		for _, c := range r.Clocks {
			fmt.Println(r.Ticket, c.Metric, c.State, c.Elapsed)
		}
		for _, err := range r.Errors {
			fmt.Println(err)
		}
	}
	// Output:
	// apart: sla: ticket "T3": event 1 (line 6) note at 2026-03-02T09:11:00Z: unknown ticket
	// T1 first_response met 4m0s
	// T2 first_response breached 19m0s
	// sla: ticket "T2": event 3 (line 5) note at 2026-03-02T09:10:00Z: event out of order
}

// A Result marshals to the ticket result of the replay output.
func ExampleResult_MarshalJSON() {
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "chat",
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: 15 * time.Minute}}}}})
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, _ := eng.Apply(sla.State{}, sla.Event{TicketID: "T1", Type: sla.EventCreated, At: at})
	st, _ = eng.Apply(st, sla.Event{TicketID: "T1", Type: sla.EventMessage, Author: sla.AuthorAgent, At: at.Add(4 * time.Minute)})
	b, _ := json.Marshal(eng.Result(st, at.Add(time.Hour)).Clocks)
	fmt.Println(string(b))
	// Output:
	// [{"metric":"first_response","cycle":1,"state":"met","started_at":"2026-03-02T09:00:00Z","stopped_at":"2026-03-02T09:04:00Z","deadline":"2026-03-02T09:15:00Z","target_seconds":900,"elapsed_seconds":240,"paused_seconds":0,"breached_at":null}]
}

// Events after a ticket is closed are refused; the state is unchanged.
func ExampleEngine_Apply_closed() {
	eng, _ := sla.NewEngine(sla.Config{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, _ := eng.Apply(sla.State{}, sla.Event{TicketID: "T9", Type: sla.EventCreated, At: at})
	st, _ = eng.Apply(st, sla.Event{TicketID: "T9", Type: sla.EventStatus, Status: sla.StatusClosed, At: at})
	_, err := eng.Apply(st, sla.Event{TicketID: "T9", Type: sla.EventMessage, At: at.Add(time.Hour)})
	fmt.Println(err)
	// Output:
	// sla: ticket "T9": event 3 message at 2026-03-02T10:00:00Z: event after closed
}

// NewEngine reports every problem of a Config at once.
func ExampleNewEngine_error() {
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{
		{Name: "a", Targets: map[string]map[sla.Metric]time.Duration{"p1": {sla.FirstResponse: time.Hour}}},
		{Name: "a", Reopen: "sometimes"},
	}})
	fmt.Println(err)
	// Output:
	// sla: invalid config: policies[0].targets.p1: undefined priority "p1" (priorities: urgent, high, normal, low)
	// sla: invalid config: policies[1].name: policy "a" defined twice
	// sla: invalid config: policies[1].reopen: reopen "sometimes": want resume or restart
}

// Each problem NewEngine reports is a *ConfigError whose Field is the
// path of the setting, so that a loader can point at it; names that refer
// to nothing wrap ErrUndefined.
func ExampleConfigError() {
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{
		{Name: "chat", Escalation: "standard", PauseOn: []sla.Status{sla.StatusPending, sla.StatusSolved}},
	}})
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *sla.ConfigError
		if errors.As(e, &ce) {
			fmt.Printf("%s: %s (undefined name: %v)\n", ce.Field, ce.Msg, errors.Is(ce, sla.ErrUndefined))
		}
	}
	// Output:
	// policies[0].pause_on[1]: status "solved" cannot pause the resolution clock (want new, open, pending or on_hold) (undefined name: false)
	// policies[0].escalation: undefined escalation ladder "standard" (none is defined) (undefined name: true)
}

// A State is stored as versioned JSON and read back unchanged.
func ExampleState_MarshalJSON() {
	eng, _ := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "chat",
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: 15 * time.Minute}}}}})
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("", -3*3600))
	st, _ := eng.Apply(sla.State{}, sla.Event{TicketID: "T1", Type: sla.EventCreated, At: at})
	b, _ := json.Marshal(st)
	var back sla.State
	if err := json.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	b2, _ := json.Marshal(back)
	fmt.Println(string(b) == string(b2))
	fmt.Println(string(b[:40]))
	// Output:
	// true
	// {"v":1,"ticket":{"id":"T1","status":"new
}

// A billing ticket with a resolution target of two business days at
// 16:00 in Berlin, and the billing team's OLA: the team must take the
// ticket within 30 minutes of the hand-off.
func ExampleOLA() {
	cal, err := calendar.New(calendar.Spec{Timezone: "Europe/Berlin",
		Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2026-12-24", "2026-12-25"}})
	if err != nil {
		panic(err)
	}
	eng, err := sla.NewEngine(sla.Config{
		Policies: []sla.Policy{{Name: "email", Calendar: cal, CalendarName: "berlin",
			DayTargets: map[string]map[sla.Metric]sla.DayTarget{"normal": {sla.Resolution: {Days: 2, At: 16 * time.Hour}}}}},
		OLAs: []sla.OLA{{Name: "billing-ola", Team: "billing", Calendar: cal,
			Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.OLATimeToOwn: 30 * time.Minute}}}},
	})
	if err != nil {
		panic(err)
	}
	berlin := cal.Location()
	st, err := eng.Apply(sla.State{}, sla.Event{TicketID: "B1", Type: sla.EventCreated, Team: "billing",
		At: time.Date(2026, 12, 23, 16, 45, 0, 0, berlin)})
	if err != nil {
		panic(err)
	}
	v := eng.Evaluate(st, time.Date(2026, 12, 28, 9, 20, 0, 0, berlin))
	fmt.Println(v.Calendar, v.Agreement)
	for _, c := range v.Clocks {
		fmt.Println(c.Metric, c.State, "due", c.Deadline.Format("Mon 2 Jan 15:04"))
	}
	for _, o := range v.OLAs {
		fmt.Println(o.OLA, o.Team, o.Metric, o.State, "due", o.Deadline.Format("Mon 2 Jan 15:04"))
	}
	// Output:
	// berlin on_track
	// resolution running due Tue 29 Dec 16:00
	// billing-ola billing ola.time_to_own breached due Mon 28 Dec 09:15
}

// ReplayParallel gives Replay's output, in Replay's order, with the
// tickets shared among goroutines; Observe sees each event at its place.
func ExampleEngine_ReplayParallel() {
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
{"ticket":"T2","at":"2026-03-02T09:05:00Z","type":"status","status":"closed"}
{"ticket":"T1","at":"2026-03-02T09:20:00Z","type":"message","author":"agent"}`
	messages := 0
	opts := sla.ReplayOptions{Workers: 4, Observe: func(ev *sla.Event) {
		if ev.Type == sla.EventMessage {
			messages++
		}
	}}
	for r, err := range eng.ReplayParallel(sla.ReadEvents(strings.NewReader(input)), time.Time{}, opts) {
		if err != nil {
			fmt.Println("apart:", err)
			continue
		}
		fmt.Println(r.Ticket, r.Status, r.Clocks[0].State)
	}
	fmt.Println(messages, "message")
	// Output:
	// T2 closed cancelled
	// T1 new breached
	// T3 new breached
	// 1 message
}

// breachCount is a ShardSink that counts its tickets' breached first
// responses; each goroutine of ReplayShards has its own.
type breachCount struct{ tickets, breached int }

func (c *breachCount) Event(*sla.Event) {}

func (c *breachCount) Result(r sla.Result, _ time.Time) {
	c.tickets++
	if r.Clocks[0].State == sla.ClockBreached {
		c.breached++
	}
}

// ReplayShards sums results up where they are made, on each goroutine's
// own sink; only the problems come back, in input order.
func ExampleEngine_ReplayShards() {
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
{"ticket":"T4","at":"2026-03-02T09:04:00Z","type":"message","author":"agent"}
{"ticket":"T2","at":"2026-03-02T09:05:00Z","type":"message","author":"agent"}
{"ticket":"T1","at":"2026-03-02T09:20:00Z","type":"message","author":"agent"}`
	counts := []*breachCount{{}, {}, {}}
	sinks := []sla.ShardSink{counts[0], counts[1], counts[2]}
	for err := range eng.ReplayShards(sla.ReadEvents(strings.NewReader(input)), time.Time{}, sinks) {
		fmt.Println("apart:", err)
	}
	tickets, breached := 0, 0
	for _, c := range counts {
		tickets, breached = tickets+c.tickets, breached+c.breached
	}
	fmt.Println(tickets, "tickets,", breached, "breached")
	// Output:
	// apart: sla: ticket "T4": event 1 (line 4) message at 2026-03-02T09:04:00Z: unknown ticket
	// 3 tickets, 2 breached
}
