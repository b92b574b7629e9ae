package slakit_test

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// A WhatsApp ticket on the reference policy: its first response is due
// within 15 business minutes, and the São Paulo desk's lunch break
// (12:00-13:00) does not count.
func Example() {
	set, err := policy.LoadFile("testdata/policies/multidesk.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := set.Engine()
	if err != nil {
		fmt.Println(err)
		return
	}
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	at := time.Date(2026, 3, 2, 11, 50, 0, 0, sp) // a Monday
	var st sla.State
	for _, ev := range []sla.Event{
		{TicketID: "T1", At: at, Type: sla.EventCreated, Channel: "whatsapp", Priority: "normal", Text: "Oi, preciso de ajuda"},
		{TicketID: "T1", At: at.Add(72 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Olá! Vou verificar."},
	} {
		if st, err = eng.Apply(st, ev); err != nil {
			fmt.Println(err)
			return
		}
		c := eng.Evaluate(st, ev.At).Clocks[0]
		fmt.Printf("%s %s: %s, due %s\n", ev.At.Format("15:04"), c.Metric, c.State, c.Deadline.In(sp).Format("15:04"))
	}
	// Output:
	// 11:50 first_response: running, due 13:05
	// 13:02 first_response: met, due 13:05
}
