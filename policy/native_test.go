package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// nativeSources are conditions the fast path must run, with the shapes it
// accepts; each is checked against the VM on random tickets and events.
var nativeSources = []string{
	`ticket.channel == "whatsapp"`,
	`ticket.channel != "email" && ticket.team == ""`,
	`"whatsapp" == ticket.channel and ticket.team == ""`,
	`event.author != "customer" && event.author != "agent"`,
	`"customer" == event.author && (ticket.channel == "email" && ticket.team != "billing")`,
	`ticket.customer.tier == "vip" || event.customer.tier == "vip"`,
	`ticket.customer.country in ["BR", "PT", "AR"]`,
	`event.author in ["customer", "bot"]`,
	`"billing" in ticket.tags`,
	`not ("billing" in ticket.tags) and event.type == "message"`,
	`!event.public`,
	`event.public && ticket.priority != "urgent"`,
	`has_keyword(event.text, ["pagamento", "cobrança", "rechnung"])`,
	`has_keyword(ticket.subject + " " + event.text, ["fora do ar", "ausfall"])`,
	`has_keyword(ticket.subject + event.text, ["açucar", "ausfall"])`,
	`has_keyword(event.text + " " + ticket.subject, ["fora do ar", "ausfall"])`,
	`has_keyword(ticket.subject + " " + event.text + " " + ticket.team, ["billing", "do ar"])`,
	`ticket.customer.language == "it" && has_keyword(event.text, ["fattura"])`,
	`"x" in event.remove_tags || "y" in event.tags`,
	`ticket.status == "pending" or event.status == "solved"`,
	`true && ticket.id != ""`,
	`event.type == "status" && ticket.agent == ""`,
	`event.type in ["created", "assign"] || "created" == event.type && ticket.team != ""`,
	`ticket.customer.country in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "BR"]`,
	`ticket.team + "-" + ticket.channel == "billing-email"`,
	`ticket.team != event.team && event.customer.language != ticket.customer.language`,
	`"vip" == ticket.customer.tier`,
	`ticket.customer.tier != "` + strings.Repeat("v", 256) + `"`,
	`event.type == "message"`,
	`ticket.team != "billing" || ticket.agent != "" && ticket.priority == "urgent"`,
	`event.author != "agent" && "normal" != ticket.priority`,
	// The VM's copy of a field is cut to 256 bytes: so is the fast path's.
	`ticket.team == "` + strings.Repeat("b", 256) + `" || ticket.agent != "` + strings.Repeat("b", 256) + `"`,
	`event.author == "customer" && has_keyword(ticket.subject + " " + event.text,
	  ["pagamento", "cobrança", "boleto", "fatura", "factura", "cobro", "pago", "fattura", "addebito",
	   "rechnung", "zahlung", "abbuchung", "billing", "payment", "invoice", "refund"])`,
	`has_keyword(event.text, ["fora do ar", "caído", "non funziona", "ausfall", "outage", "down"])`,
	`has_keyword("x" + ticket.subject + "y", ["xausfall"])`,
	`has_keyword(ticket.team + ticket.subject + " " + event.text + " " + ticket.agent + event.team + ticket.id + event.agent + "ar", ["fora do ar"])`,
}

// vmOnlySources leave the fast path; they must still run, on the VM.
var vmOnlySources = []string{
	`ticket.fields.order_value > 1000`,
	`now - ticket.created_at > duration("1h")`,
	`len(ticket.tags) > 1`,
	`ticket.channel startsWith "what"`,
	`has_keyword(event.text, ticket.tags)`,
	`event.score >= 4`,
}

func TestNativeMatchesVM(t *testing.T) {
	var conds []*cond
	for _, src := range nativeSources {
		prog, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(t, e, src)
		c := newCond(prog)
		require.NotNil(t, c.native, "%s should take the fast path", src)
		conds = append(conds, c)
	}
	for _, src := range vmOnlySources {
		prog, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(t, e, src)
		assert.Nil(t, newCond(prog).native, "%s should run on the VM", src)
	}
	r := rand.New(rand.NewPCG(7, 11))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	// Subjects and texts whose keywords span the two when joined, also
	// through a character split between them ("a\xc3" + "\xa7ucar").
	texts := []string{"", "Olá, meu PAGAMENTO falhou", "Cobranca duplicada", "Rechnung!", "o site está fora do ar",
		"fattura sbagliata", "pagamentos", "nothing to see", "ar condicionado", "\xa7ucar", "çucar", "DOWN", "Zahlung-fehlt",
		"Sistema caído", "cai\u0301do", "refund?", "REFUNDS"}
	for i := range 2000 {
		tk := sla.Ticket{ID: pick("", "T1"), Channel: pick("", "whatsapp", "email"), Priority: pick("", "urgent", "normal"),
			Status: sla.Status(pick("new", "pending", "solved")), Team: pick("", "billing", strings.Repeat("b", 300)), Agent: pick("", "ana", strings.Repeat("b", 256), strings.Repeat("b", 257)), Subject: pick("", "Ausfall", "Login", "site fora do", "a\xc3", "a", "Fatura"),
			Customer:  sla.Customer{Tier: pick("", "vip", strings.Repeat("v", 300)), Country: pick("", "BR", "DE"), Language: pick("", "it", "pt")},
			CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		if r.IntN(2) == 0 {
			tk.Tags = []string{pick("billing", "vip", "y")}
		}
		pub := r.IntN(3) > 0
		ev := sla.Event{Type: sla.EventType(pick("created", "message", "status")), Author: sla.Author(pick("", "customer", "agent", "bot")),
			Text: texts[r.IntN(len(texts))], Status: sla.Status(pick("", "solved")), At: tk.CreatedAt.Add(time.Hour),
			Team: pick("", "billing"), Subject: pick("", "ar")}
		if r.IntN(2) == 0 {
			ev.Public = &pub
		}
		if r.IntN(3) == 0 {
			ev.Customer = &sla.Customer{Tier: pick("", "vip"), Language: pick("", "it")}
			ev.Tags, ev.RemoveTags = []string{pick("x", "y")}, []string{pick("x", "z")}
		}
		for j, c := range conds {
			checkNative(t, c, &tk, &ev, fmt.Sprintf("case %d: %s", i, nativeSources[j]))
		}
	}
}

// checkNative checks that c, run as Go code, agrees with the VM on t and
// ev, and with the answer the event's type tells.
func checkNative(t testing.TB, c *cond, tk *sla.Ticket, ev *sla.Event, name string) {
	t.Helper()
	env := newEventExprEnv()
	env.set(tk, ev)
	want, err := runErr(c.prog, env)
	require.NoError(t, err, name)
	got, _ := c.native(tk, ev, 0)
	require.Equal(t, want, got, "%s on %+v / %+v: Go code %v, VM %v", name, tk, ev, got, want)
	got, err = c.eval(env)
	require.NoError(t, err, name)
	require.Equal(t, want, got, "%s on %+v / %+v: eval in an environment", name, tk, ev)
	if holds, known := c.knownAnswer(eventBit(ev.Type)); known {
		require.Equal(t, want, holds, "%s: told by the type of a %s event", name, ev.Type)
	}
}

// FuzzNativeMatchesVM runs the conditions of nativeSources as Go code and
// on the VM on tickets and events made of the fuzzed texts.
func FuzzNativeMatchesVM(f *testing.F) {
	for _, tc := range keywordTests {
		f.Add(tc.text, strings.Join(tc.words, " "), "customer", "whatsapp")
	}
	for _, tc := range fuzzTexts {
		f.Add(tc[0], tc[1], "", "email")
	}
	f.Add("Falha no PAGAMENTO", "o sistema está fora", "agent", "")
	var conds []*cond
	for _, src := range nativeSources {
		prog, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(f, e, src)
		conds = append(conds, newCond(prog))
	}
	f.Fuzz(func(t *testing.T, subject, text, author, channel string) {
		tk := sla.Ticket{ID: "T1", Channel: channel, Team: author, Subject: subject, Tags: []string{text},
			Customer: sla.Customer{Tier: author, Language: channel}}
		ev := sla.Event{Type: sla.EventMessage, Author: sla.Author(author), Text: text, Subject: subject, Team: channel}
		for j, c := range conds {
			checkNative(t, c, &tk, &ev, nativeSources[j])
		}
	})
}

// TestCondTypes checks the event types for which a condition may hold.
func TestCondTypes(t *testing.T) {
	tests := []struct {
		src   string
		types []sla.EventType // nil: every type
		only  bool            // the condition is the type test itself: the type tells its answer
	}{
		{`event.type == "assign" && ticket.agent != ""`, []sla.EventType{sla.EventAssign}, false},
		{`"created" == event.type`, []sla.EventType{sla.EventCreated}, true},
		{`event.type in ["created", "message"]`, []sla.EventType{sla.EventCreated, sla.EventMessage}, true},
		{`event.type == "status" || event.type == "csat"`, []sla.EventType{sla.EventStatus, sla.EventCSAT}, false},
		{`event.type == "status" || ticket.team == ""`, nil, false},
		{`event.type == "status" && event.type == "csat"`, []sla.EventType{}, false},
		{`event.type == "nothing"`, []sla.EventType{}, true},
		{`event.type != "status"`, nil, false},
		{`!(event.type == "status")`, nil, false},
		{`ticket.channel == "email"`, nil, false},
	}
	for _, tc := range tests {
		prog, e := compileExpr(tc.src, envEvent, nil, nil)
		require.Nil(t, e, tc.src)
		c := newCond(prog)
		for _, typ := range eventTypes {
			want := tc.types == nil || slices.Contains(tc.types, typ)
			holds, known := c.knownAnswer(eventBit(typ))
			assert.Equal(t, want, !known || holds, "%s: may hold for %s", tc.src, typ)
			assert.Equal(t, !want || tc.only, known, "%s: answer told by the type %s", tc.src, typ)
			if known {
				tk, ev := sla.Ticket{Agent: "a"}, sla.Event{Type: typ}
				env := newEventExprEnv()
				env.set(&tk, &ev)
				assert.Equal(t, run(prog, env), holds, "%s: the answer told for %s", tc.src, typ)
			}
		}
		_, known := c.knownAnswer(eventBit("unknown"))
		assert.False(t, known, "%s: an unknown type is not ruled out", tc.src)
	}
}

// TestEventBit checks that each event type has the bit of its place in
// eventTypes, and an unknown type none.
func TestEventBit(t *testing.T) {
	seen := uint16(0)
	for i, typ := range eventTypes {
		assert.Equal(t, uint16(1)<<i, eventBit(typ), "eventBit(%s)", typ)
		seen |= eventBit(typ)
	}
	assert.Equal(t, uint16(allTypes), seen, "every bit")
	for _, typ := range eventBitMisses {
		assert.Zero(t, eventBit(typ), "eventBit(%q)", typ)
	}
}

// eventBitMisses are not event types; some have a type's slot (the same
// first byte and length).
var eventBitMisses = []sla.EventType{"unknown", "", "c", "csa", "csatx", "create", "createdd", "Created", "m", "window", "x",
	"crxxxxx", "mEssage", "nOte", "csAt", "wxxxxxxxxxxxxxx", "\x00\x00"}

// FuzzEventBit compares eventBit with a search of eventTypes.
func FuzzEventBit(f *testing.F) {
	for _, typ := range eventTypes {
		f.Add(string(typ))
	}
	for _, typ := range eventBitMisses {
		f.Add(string(typ))
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := uint16(0)
		if i := slices.Index(eventTypes[:], sla.EventType(s)); i >= 0 {
			want = 1 << i
		}
		if got := eventBit(sla.EventType(s)); got != want {
			t.Fatalf("eventBit(%q) = %b, want %b", s, got, want)
		}
	})
}

// leadSources run on the VM; those with a lead have first operands in
// the fast path that may decide them.
var leadSources = []struct {
	src  string
	lead bool
}{
	{`event.author == "customer" && ticket.fields.plan == "pro"`, true},
	{`event.author == "agent" && ticket.fields.amount > 100`, true},
	{`ticket.team == "billing" || ticket.fields.amount > 100`, true},
	{`ticket.channel == "email" && event.type == "message" && len(ticket.tags) > 1 && ticket.fields.amount > 1`, true},
	{`ticket.channel == "email" && (event.type == "message" && now.Hour() > 25)`, true},
	{`ticket.team == "" or ticket.channel == "email" or event.score > 3`, true},
	{`len(ticket.tags) > 0 && ticket.team == ""`, false},
	{`ticket.channel == "email" and (ticket.fields.amount ?? 0) > 1 or ticket.team == "a"`, false},
	{`ticket.fields.amount > 100`, false},
}

// TestLeadingNative checks that conditions decided by their first
// operands give what the VM gives, failures included: the same answer and
// the same error on every ticket and event.
func TestLeadingNative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	big := map[string]any{}
	for i := range maxFieldKeys + 1 {
		big[fmt.Sprint("k", i)] = i
	}
	decided := 0
	for _, tc := range leadSources {
		prog, e := compileExpr(tc.src, envEvent, nil, nil)
		require.Nil(t, e, tc.src)
		c := newCond(prog)
		require.Nil(t, c.native, "%s runs on the VM", tc.src)
		require.Equal(t, tc.lead, c.lead != nil, "%s: has a lead", tc.src)
		vmOnly := *c
		vmOnly.lead = nil
		for i := range 500 {
			tk := sla.Ticket{ID: "T1", Channel: pick("", "email"), Team: pick("", "billing", "a"), Tags: []string{"x", "y"}[:r.IntN(3)]}
			switch r.IntN(4) {
			case 0:
				tk.Fields = map[string]any{"plan": pick("pro", "free"), "amount": r.IntN(200)}
			case 1:
				tk.Fields = big
			}
			ev := sla.Event{Type: sla.EventType(pick("created", "message")), Author: sla.Author(pick("", "agent")), Score: r.IntN(6),
				At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			if r.IntN(8) == 0 {
				ev.Fields = big
			}
			env := newEventExprEnv()
			env.set(&tk, &ev)
			want, wantErr := vmOnly.eval(env)
			got, known, _ := c.decided(&tk, &ev, 0)
			if known {
				decided++
				require.NoError(t, wantErr, "case %d: %s decided by its lead where the VM fails", i, tc.src)
				require.Equal(t, want, got, "case %d: %s decided by its lead", i, tc.src)
				continue
			}
			env = newEventExprEnv()
			env.set(&tk, &ev)
			got, gotErr := c.eval(env)
			require.Equal(t, want, got, "case %d: %s", i, tc.src)
			require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr), "case %d: %s", i, tc.src)
		}
	}
	assert.Greater(t, decided, 1000, "evaluations decided by their lead")
}
