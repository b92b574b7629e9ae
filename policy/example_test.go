package policy_test

import (
	"fmt"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func ExampleLoadFile() {
	set, err := policy.LoadFile("../testdata/policies/multidesk.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := set.Config()
	for _, p := range cfg.Policies {
		fmt.Printf("%s: urgent first response %v, ladder %s\n", p.Name, p.Targets["urgent"][sla.FirstResponse], p.Escalation)
	}
	fmt.Println("rules:", set.Rules())
	fmt.Println("whatsapp closing soon:", set.WhatsApp().ClosingSoon)
	eng, err := sla.NewEngine(cfg)
	fmt.Println("engine:", eng != nil, err)
	// Output:
	// whatsapp: urgent first response 5m0s, ladder standard
	// email: urgent first response 1h0m0s, ladder standard
	// default: urgent first response 1h0m0s, ladder standard
	// rules: [vip billing whatsapp-desk email-desk outage]
	// whatsapp closing soon: [2h0m0s 15m0s]
	// engine: true <nil>
}

func ExampleSet_Route() {
	set, err := policy.LoadFile("../testdata/policies/multidesk.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	at := time.Date(2026, 3, 2, 9, 5, 0, 0, sp)
	ticket := sla.Ticket{ID: "T1", Channel: "whatsapp", Customer: sla.Customer{ID: "c1", Tier: "vip"}, CreatedAt: at}
	msg := sla.Event{TicketID: "T1", At: at, Type: sla.EventCreated, Text: "Olá! Minha COBRANCA veio em dobro"}

	r := set.Route(ticket, msg)
	for _, d := range r.Decisions {
		fmt.Printf("%s: priority=%q team=%q tags=%v stop=%v\n", d.Rule, d.Priority, d.Team, d.Tags, d.Stop)
	}
	fmt.Println(r.Ticket.Priority, r.Ticket.Team, r.Ticket.Tags)
	// Output:
	// vip: priority="urgent" team="" tags=[vip] stop=false
	// billing: priority="" team="billing" tags=[billing] stop=true
	// urgent billing [vip billing]
}

func ExampleLoad_error() {
	_, err := policy.Load("desk.yaml", []byte(`version: 1
slas:
  - name: whatsapp
    when: 'ticket.chanel == "whatsapp"'
    calendar: sp-support
    targets:
      urgent: {first_response: 5m, resolution: 3d}
`))
	if list, ok := err.(policy.ErrorList); ok {
		fmt.Print(list.String())
	}
	// Output:
	// desk.yaml:4:19: slas[0].when: type ticket has no field chanel (expression 1:8)
	// desk.yaml:5:15: slas[0].calendar: undefined calendar "sp-support" (none is defined)
	// desk.yaml:7:48: slas[0].targets.urgent.resolution: bad duration "3d": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h, or business days: 3bd, 2bd@16:00, eod
}
