package policy

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/sla"
)

// TestEventBitsAgree checks that the rules' bits of the event types are
// eventbit's, which the engine hands to RouteBit.
func TestEventBitsAgree(t *testing.T) {
	require.Len(t, eventTypes, len(eventbit.Names))
	for i, name := range eventbit.Names {
		assert.Equal(t, name, string(eventTypes[i]), "bit %d", i)
		assert.Equal(t, uint16(1)<<i, eventBit(sla.EventType(name)), "eventBit(%q)", name)
	}
}

// TestRouteBit checks the router's path for the engine against Route, on
// runsSets and every event type: RouteBit with the type's bit gives what
// Route gives, RouteTypes are the types Route runs a rule on, and Route
// returns nothing on the others (the engine does not ask them).
func TestRouteBit(t *testing.T) {
	for i, rules := range runsSets {
		s, err := Load(fmt.Sprint("runs", i, ".yaml"), []byte("version: 1\n"+strings.Repeat("rules:\n"+rules, min(len(rules), 1))))
		require.NoError(t, err)
		r := s.Router().(router)
		var runs eventbit.Set
		for b, et := range eventTypes {
			tk := sla.Ticket{ID: "t1", Channel: "email"}
			ev := sla.Event{TicketID: "t1", Type: et}
			tk2 := tk
			want, werr := r.Route(&tk, &ev)
			low, more, gerr := r.RouteBit(&tk2, &ev, 1<<b)
			assert.Equal(t, want, bitNames(r.RuleNames(), low, more), "set %d, %s", i, et)
			assert.Equal(t, werr, gerr, "set %d, %s", i, et)
			assert.Equal(t, tk, tk2, "set %d, %s", i, et)
			if len(want) > 0 {
				runs |= 1 << b
			}
		}
		assert.Equal(t, runs, r.RouteTypes(), "set %d", i)
	}
}

// bitNames returns the names of the rules RouteBit returned as low and
// more; nil for none.
func bitNames(names []string, low uint64, more []string) []string {
	var out []string
	for i := range 64 {
		if low&(1<<i) != 0 {
			out = append(out, names[i])
		}
	}
	return append(out, more...)
}

// routeBitPolicy is the reference policy with rules on every other event
// type, whose conditions read the event and the ticket.
func routeBitPolicy(t testing.TB) []byte {
	src, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	extra := `rules:
  - name: noted
    on: [note]
    when: 'event.author == "agent"'
    set: {tags: [noted]}
  - name: unhappy
    on: [csat]
    when: 'event.score <= 2'
    set: {priority: high}
  - name: tier2
    on: [escalated, window_rejected]
    set: {team: tier2}
  - name: unowned
    on: [status, priority, assign, update]
    when: 'ticket.team == "" || event.type == "update"'
    set: {agent: triage-bot}
`
	out := strings.Replace(string(src), "rules:\n", extra, 1)
	require.NotEqual(t, string(src), out)
	return []byte(out)
}

// routeBitHistory returns a random history of n tickets with events of
// every type, in order of time.
func routeBitHistory(seed uint64, n int) []sla.Event {
	r := rand.New(rand.NewPCG(seed, 19))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	// The week of Brazil's change of the clocks in 2018 and its holiday
	// of 2 November.
	at := time.Date(2018, 10, 30, 9, 0, 0, 0, sp)
	var out []sla.Event
	for i := range n {
		id := fmt.Sprint("T", i)
		at = at.Add(time.Duration(r.IntN(90)) * time.Minute)
		out = append(out, sla.Event{TicketID: id, Type: sla.EventCreated, At: at,
			Channel: pick("whatsapp", "email", "chat"), Author: sla.AuthorCustomer,
			Subject: pick("", "Fatura em aberto", "Rechnung", "hello"), Text: pick("", "refund please", "site down", "oi"),
			Customer: &sla.Customer{Tier: pick("", "vip", "gold")}})
		t := at
		for range r.IntN(8) {
			t = t.Add(time.Duration(1+r.IntN(600)) * time.Minute)
			ev := sla.Event{TicketID: id, At: t, Type: eventTypes[1+r.IntN(len(eventTypes)-1)]}
			switch ev.Type {
			case sla.EventMessage:
				ev.Author, ev.Text = sla.Author(pick("customer", "agent", "bot")), pick("", "payment failed", "ausfall", "thanks")
			case sla.EventNote:
				ev.Author = sla.Author(pick("customer", "agent"))
			case sla.EventStatus:
				ev.Status = sla.Status(pick("open", "pending", "on_hold", "solved"))
			case sla.EventPriority:
				ev.Priority = pick("urgent", "high", "normal", "low")
			case sla.EventAssign:
				ev.Team, ev.Agent = pick("", "billing", "email-desk"), pick("ana", "bo")
			case sla.EventUpdate:
				ev.Tags = []string{pick("a", "b")}
			case sla.EventEscalated:
				ev.Tier = pick("tier1", "tier2", "tier3")
			case sla.EventCSAT:
				ev.Score = 1 + r.IntN(5)
			}
			out = append(out, ev)
		}
	}
	return out
}

// checkRouteBitEngine applies the history ticket by ticket with two
// engines of the policy: one whose router takes the engine's bit, one
// given the router's Route alone. Every state and error must agree. It
// returns how many rules applied.
func checkRouteBitEngine(t *testing.T, s *Set, events []sla.Event) int {
	t.Helper()
	cfg := s.Config()
	fast, err := sla.NewEngine(cfg)
	require.NoError(t, err)
	cfg.Rules = sla.RouterFunc(cfg.Rules.Route) // hides RouteBit
	slow, err := sla.NewEngine(cfg)
	require.NoError(t, err)
	states := map[string][2]sla.State{}
	rules := 0
	for i, ev := range events {
		sts := states[ev.TicketID]
		a, errA := fast.Apply(sts[0], ev)
		b, errB := slow.Apply(sts[1], ev)
		require.Equal(t, errB, errA, "event %d", i)
		// The states differ in the engine's id they keep: compare what
		// they write and what each engine sees in them.
		ja, err := json.Marshal(a)
		require.NoError(t, err)
		jb, err := json.Marshal(b)
		require.NoError(t, err)
		require.JSONEq(t, string(jb), string(ja), "event %d (%s of %s)", i, ev.Type, ev.TicketID)
		later := ev.At.Add(3 * time.Hour)
		require.Equal(t, slow.Evaluate(b, later), fast.Evaluate(a, later), "event %d (%s of %s)", i, ev.Type, ev.TicketID)
		rules += len(a.Rules()) - len(sts[0].Rules())
		states[ev.TicketID] = [2]sla.State{a, b}
	}
	return rules
}

// TestRouteBitEngine checks the engine's path through RouteBit against
// Route over random histories, with rules on every type, on created and
// message only (the reference policy).
func TestRouteBitEngine(t *testing.T) {
	src := routeBitPolicy(t)
	every, err := Load("routebit.yaml", src)
	require.NoError(t, err)
	refSrc, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	ref, err := Load("multidesk.yaml", refSrc)
	require.NoError(t, err)
	for seed := range uint64(4) {
		events := routeBitHistory(seed, 60)
		require.Positive(t, checkRouteBitEngine(t, every, events), "some rule applied")
		require.Positive(t, checkRouteBitEngine(t, ref, events), "some rule applied")
	}
}

// FuzzRouteBitEngine is TestRouteBitEngine on histories of any seed and
// length (a short one may apply no rule).
func FuzzRouteBitEngine(f *testing.F) {
	for seed := range uint64(4) {
		f.Add(seed, uint8(20))
	}
	every, err := Load("routebit.yaml", routeBitPolicy(f))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		checkRouteBitEngine(t, every, routeBitHistory(seed, int(n%40)+1))
	})
}

// manyRulesPolicy is a policy of 70 rules on created and message events,
// so that some of those applied lie past the 64 that RouteBit returns as
// bits: rules whose condition holds on some events and not on others,
// writing tags, a team, a priority and fields; one stops.
func manyRulesPolicy() []byte {
	var b strings.Builder
	b.WriteString("version: 1\npriorities: [urgent, high, normal, low]\nrules:\n")
	conds := []string{
		`event.author == "customer"`,
		`ticket.channel == "email"`,
		`has_keyword(event.text, ["payment", "down"])`,
		`ticket.team == ""`,
		`ticket.customer.tier == "vip"`,
	}
	for i := range 70 {
		fmt.Fprintf(&b, "  - name: r%d\n    on: [created, message]\n    when: '%s'\n", i, conds[i%len(conds)])
		switch {
		case i == 66 || i == 12:
			fmt.Fprintf(&b, "    set: {team: desk%d, priority: high, fields: {seen%d: true}}\n", i, i)
		case i == 68:
			b.WriteString("    set: {tags: [last]}\n    stop: true\n")
		default:
			fmt.Fprintf(&b, "    set: {tags: [t%d]}\n", i%9)
		}
	}
	b.WriteString("  - name: after-stop\n    on: [created, message]\n    set: {agent: never}\n")
	return []byte(b.String())
}

// TestRouteBitManyRules checks RouteBit against Route on a set of more
// than 64 rules, for the events of random histories, and the engine's
// path through RouteBit against Route's (rules past the 64th included).
func TestRouteBitManyRules(t *testing.T) {
	s, err := Load("many.yaml", manyRulesPolicy())
	require.NoError(t, err)
	require.Len(t, s.Rules(), 71)
	r := s.Router().(router)
	past := 0
	for seed := range uint64(3) {
		events := routeBitHistory(seed, 30)
		for i, ev := range events {
			b := eventBit(ev.Type)
			tk := sla.Ticket{ID: ev.TicketID, Channel: ev.Channel, Subject: ev.Subject}
			if ev.Customer != nil {
				tk.Customer = *ev.Customer
			}
			tk2 := tk
			want, werr := r.Route(&tk, &ev)
			low, more, gerr := r.RouteBit(&tk2, &ev, eventbit.Set(b))
			assert.Equal(t, want, bitNames(r.RuleNames(), low, more), "seed %d, event %d", seed, i)
			assert.Equal(t, werr, gerr, "seed %d, event %d", seed, i)
			assert.Equal(t, tk, tk2, "seed %d, event %d", seed, i)
			past += len(more)
		}
		checkRouteBitEngine(t, s, events)
	}
	assert.Positive(t, past, "rules past the 64th applied")
}
