package slatest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// A history built with NewHistory: a VIP customer's WhatsApp ticket,
// answered after seven minutes, then solved. Here it is replayed with the
// engine directly, to print what a test would assert.
func ExampleNewHistory() {
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	evs := slatest.NewHistory("T1", time.Date(2026, 3, 2, 9, 5, 0, 0, sp)).
		Created("whatsapp", "urgent", "Problema de pagamento").
		WithCustomer(sla.Customer{ID: "c1", Tier: "vip"}).WithMessageID("wamid.1").
		After(7 * time.Minute).Agent("Olá! Vou verificar.").
		After(time.Hour).Status(sla.StatusSolved).
		Events()

	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name:    "whatsapp",
		Targets: map[string]map[sla.Metric]time.Duration{"urgent": {sla.FirstResponse: 5 * time.Minute, sla.Resolution: 4 * time.Hour}},
	}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for res, err := range eng.Replay(func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}, time.Time{}) {
		if err != nil { // an event of no live ticket
			fmt.Println(err)
			continue
		}
		for _, c := range res.Clocks {
			fmt.Printf("%s %s: %s, due %s\n", res.Ticket, c.Metric, c.State, c.Deadline.In(sp).Format("15:04"))
		}
	}
	// Output:
	// T1 first_response: breached, due 09:10
	// T1 resolution: met, due 13:05
}

// printTB stands in for the *testing.T of a test so that the example can
// run: it prints what the assertions report. In a test, pass t itself.
type printTB struct{ testing.TB }

func (printTB) Helper() {}

func (printTB) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }

func (printTB) Fatalf(format string, args ...any) {
	fmt.Printf("FATAL: "+format+"\n", args...)
	panic("slatest example: test stopped")
}

// In a test, a history is replayed and checked in a few lines; each
// assertion reports the ticket's clocks when it fails, and returns
// whether it held. Here a VIP customer's ticket on the reference policy
// is answered after seven minutes: the first response was due in five.
func ExampleAssertDeadline() {
	var t testing.TB = printTB{} // in func TestVIP(t *testing.T), the test's t

	sp, _ := time.LoadLocation("America/Sao_Paulo")
	evs := slatest.NewHistory("T1", time.Date(2026, 3, 2, 9, 5, 0, 0, sp)).
		Created("whatsapp", "normal", "Problema de pagamento").
		WithCustomer(sla.Customer{ID: "c1", Tier: "vip"}).
		After(7 * time.Minute).Agent("Olá! Vou verificar.").
		Events()
	rec := slatest.Replay(t, slatest.LoadPolicy(t, "../testdata/policies/multidesk.yaml"), evs)
	fmt.Println(slatest.AssertDeadline(t, rec, "T1", sla.FirstResponse, 1, time.Date(2026, 3, 2, 9, 10, 0, 0, sp)))
	fmt.Println(slatest.AssertClock(t, rec, "T1", sla.FirstResponse, 1, sla.ClockBreached))
	fmt.Println(slatest.AssertFired(t, rec, "T1", "remind"))
	// Output:
	// true
	// true
	// true
}
