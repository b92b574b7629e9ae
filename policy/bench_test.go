package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func BenchmarkLoadMultidesk(b *testing.B) {
	src, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := policy.Load("multidesk.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// fiftyRules is a document with 50 rules of the kinds support leads
// write: keywords in several languages, customer tiers, channels, tags
// and fields. None has stop, so every rule is evaluated.
func fiftyRules() []byte {
	var b strings.Builder
	b.WriteString("version: 1\nrules:\n")
	conds := []string{
		`has_keyword(event.text, ["pagamento", "cobrança", "boleto", "fatura", "factura", "rechnung"])`,
		`ticket.customer.tier == "vip" && ticket.channel == "whatsapp"`,
		`ticket.channel == "email" && ticket.team == ""`,
		`"billing" in ticket.tags`,
		`event.author == "customer" && ticket.priority != "urgent"`,
		`ticket.customer.country in ["BR", "PT", "AR"]`,
		`has_keyword(ticket.subject + " " + event.text, ["ausfall", "outage", "fora do ar", "caído"])`,
		`ticket.fields.order_value > 1000`,
		`now - ticket.created_at > duration("1h")`,
		`ticket.customer.language == "it" && has_keyword(event.text, ["fattura", "addebito"])`,
	}
	for i := range 50 {
		fmt.Fprintf(&b, "  - name: rule-%02d\n    on: [created, message]\n    when: '%s'\n    set: {tags: [t%02d]}\n",
			i, strings.ReplaceAll(conds[i%len(conds)], "'", "''"), i)
	}
	return []byte(b.String())
}

func benchTicketEvent() (sla.Ticket, sla.Event) {
	at := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	t := sla.Ticket{ID: "T1", Channel: "whatsapp", Priority: "normal", Status: sla.StatusOpen,
		Customer: sla.Customer{ID: "c1", Tier: "gold", Country: "DE", Language: "de"}, Subject: "Frage zur Lieferung",
		Fields: map[string]any{"order_value": 120.0}, CreatedAt: at}
	ev := sla.Event{TicketID: "T1", At: at.Add(10 * time.Minute), Type: sla.EventMessage,
		Text: "Hallo, ich habe eine Frage zu meiner Bestellung vom letzten Dienstag, sie ist noch nicht angekommen."}
	return t, ev
}

// BenchmarkRouter50Rules evaluates 50 rules against one event through the
// engine's Router (in place, names only).
func BenchmarkRouter50Rules(b *testing.B) {
	s := policy.MustLoad("fifty.yaml", fiftyRules())
	r := s.Router()
	t0, ev := benchTicketEvent()
	b.ReportAllocs()
	for b.Loop() {
		t := t0
		r.Route(&t, &ev)
	}
}

func BenchmarkRouter50RulesParallel(b *testing.B) {
	s := policy.MustLoad("fifty.yaml", fiftyRules())
	r := s.Router()
	t0, ev := benchTicketEvent()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t := t0
			r.Route(&t, &ev)
		}
	})
}

// BenchmarkRoute50Rules is the same through Set.Route (copies and decisions).
func BenchmarkRoute50Rules(b *testing.B) {
	s := policy.MustLoad("fifty.yaml", fiftyRules())
	t, ev := benchTicketEvent()
	b.ReportAllocs()
	for b.Loop() {
		s.Route(t, ev)
	}
}

func BenchmarkPolicyWhen(b *testing.B) {
	s := loadMultidesk(b)
	when := s.Config().Policies[0].When
	t, _ := benchTicketEvent()
	b.ReportAllocs()
	for b.Loop() {
		when(&t)
	}
}
