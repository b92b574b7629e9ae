package escalation_test

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// A standard ladder on a first-response clock of a São Paulo desk with a lunch break.
func Example() {
	desk := calendar.MustNew(calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
	})
	at := func(s string) escalation.Trigger {
		t, err := escalation.ParseTrigger(s)
		if err != nil {
			panic(err)
		}
		return t
	}
	ladder, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", Metric: "first_response", At: at("80%"),
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}},
		{Name: "breach", At: at("breach"),
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "team-lead"}}},
		{Name: "leadership", At: at("breach+2h"), During: desk,
			Actions: []escalation.Action{{Type: escalation.Escalate, Target: "tier3"}, {Type: escalation.SetPriority, Target: "urgent"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	created := time.Date(2026, 3, 6, 11, 30, 0, 0, desk.Location()) // a Friday
	clock := escalation.Clock{Metric: "first_response", Cycle: 1, Start: created, At: created,
		Target: time.Hour, Running: true, Calendar: desk}
	for _, f := range ladder.Due(nil, clock, nil, created, created.Add(7*24*time.Hour)) {
		fmt.Println(f.At.Format("Mon 15:04"), f.Level, f.Actions[0].Type, f.Actions[0].Target)
	}
	// Output:
	// Fri 13:18 remind notify assignee
	// Fri 13:30 breach notify team-lead
	// Fri 15:30 leadership escalate tier3
}

func ExampleParseTrigger() {
	for _, s := range []string{"80%", "breach-30m", "window-2h", "2d"} {
		t, err := escalation.ParseTrigger(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t)
	}
	// Output:
	// 80%
	// breach-30m
	// window-2h
	// escalation: bad trigger "2d": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h; want 80%, breach, breach-30m, breach+2h, 20m or window-2h
}

// A host that applies events more often than levels fire keeps a cheap bound on the next
// firing and asks Next only once an event reaches it: a reply at 18:00 leaves the 30-minute
// level of a clock started at 17:50 alone without calendar arithmetic; one at 18:30 asks
// Next, which finds the level due on Monday (business time stops at 18:00 on Friday).
func ExampleLadder_NotBefore() {
	desk := calendar.MustNew(calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
	})
	trigger, err := escalation.ParseTrigger("30m")
	if err != nil {
		fmt.Println(err)
		return
	}
	ladder, err := escalation.New("l", []escalation.Level{{Name: "assign", Metric: "time_to_assign", At: trigger,
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "lead"}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 3, 6, 17, 50, 0, 0, desk.Location()) // a Friday
	clock := escalation.Clock{Metric: "time_to_assign", Cycle: 1, Start: start, At: start, Running: true, Calendar: desk}
	bound, _ := ladder.NotBefore(&clock, nil)
	fmt.Println("bound", bound.Format("Mon 15:04"))
	for _, event := range []time.Time{start.Add(10 * time.Minute), start.Add(40 * time.Minute)} {
		if event.Before(bound) {
			fmt.Println(event.Format("Mon 15:04"), "nothing due")
			continue
		}
		c := clock
		c.At, c.Elapsed = event, desk.Between(start, event)
		f, _ := ladder.Next(&c, nil)
		fmt.Println(event.Format("Mon 15:04"), "next firing", f.At.Format("Mon 15:04"))
	}
	// Output:
	// bound Fri 18:20
	// Fri 18:00 nothing due
	// Fri 18:30 next firing Mon 08:20
}
