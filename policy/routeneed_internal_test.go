package policy

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/sla"
)

// TestEventNeed checks what a rule's condition is found to need of the
// event.
func TestEventNeed(t *testing.T) {
	tests := []struct {
		name, when string
		want       need
		ok         bool
		reason     string
	}{
		{"author", `event.author == "customer"`, need{author: "customer", hasAuthor: true}, true, ""},
		{"author reversed", `"agent" == event.author`, need{author: "agent", hasAuthor: true}, true, ""},
		{"author not", `event.author != "customer"`, need{}, false, "!= holds for every other author"},
		{"text keyword", `has_keyword(event.text, ["down"])`, need{text: true}, true, ""},
		{"billing", `event.author == "customer" && has_keyword(ticket.subject + " " + event.text, ["boleto"])`,
			need{author: "customer", hasAuthor: true}, true, "the subject may have the keyword"},
		{"both", `has_keyword(event.text, ["down"]) and event.author == "bot"`, need{author: "bot", hasAuthor: true, text: true}, true, ""},
		{"first author kept", `event.author == "agent" && event.author == "bot"`, need{author: "agent", hasAuthor: true}, true, "never holds; the first is enough"},
		{"or", `event.author == "customer" || has_keyword(event.text, ["down"])`, need{}, false, "either may hold"},
		{"not keyword", `!has_keyword(event.text, ["down"])`, need{}, false, "holds on an empty text"},
		{"joined text", `has_keyword(event.text + " down", ["down"])`, need{}, false, "a literal part"},
		{"subject keyword", `has_keyword(ticket.subject, ["down"])`, need{}, false, "the ticket's field"},
		{"ticket only", `ticket.channel == "email" && ticket.team == ""`, need{}, false, ""},
		{"on the VM", `event.author == "customer" && len(ticket.tags) > 0`, need{}, false, "a condition on the VM may fail, which is recorded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("version: 1\nrules:\n  - name: r\n    on: [message]\n    when: '%s'\n    set: {team: x}\n", tt.when)
			s, err := Load("need.yaml", []byte(src))
			require.NoError(t, err)
			got, ok := s.rules[0].needOf()
			assert.Equal(t, tt.ok, ok, "needOf(%s) found, reason: %s", tt.when, tt.reason)
			assert.Equal(t, tt.want, got, "needOf(%s), reason: %s", tt.when, tt.reason)
		})
	}
}

// needSets are rule sets whose rules on message all need something of the
// event (so that RouteBit may skip them), with stops, writes later rules
// read, and one rule on created that needs nothing.
var needSets = []string{
	"", // the reference policy's rules
	`  - name: cust
    on: [message]
    when: 'event.author == "customer" && ticket.team == ""'
    set: {team: front, tags: [cust]}
  - name: bot-down
    on: [message, created]
    when: 'event.author == "bot" && has_keyword(event.text, ["down", "ausfall"])'
    set: {priority: high}
    stop: true
  - name: any-down
    on: [message]
    when: 'has_keyword(event.text, ["down", "caído"]) && ticket.team == "front"'
    set: {tags: [down], fields: {outage: true}}
  - name: open
    on: [created]
    set: {tags: [new]}
`,
	`  - name: agent
    on: [message, note]
    when: 'event.author == "agent"'
    set: {agent: replied}
`,
}

// needEvents are events of every author and text RouteBit tells apart.
func needEvents() []sla.Event {
	var evs []sla.Event
	for _, typ := range []sla.EventType{sla.EventMessage, sla.EventCreated, sla.EventNote} {
		for _, author := range []sla.Author{"", sla.AuthorCustomer, sla.AuthorAgent, "bot", "Customer", sla.Author(strings.Repeat("customer", 40))} {
			for _, text := range []string{"", "down", "x", "pagamento via boleto", "Sistema caído", "ausfall!"} {
				evs = append(evs, sla.Event{TicketID: "t1", Type: typ, Author: author, Text: text})
			}
		}
	}
	return evs
}

// checkNeeds routes ev on a ticket with each subject through RouteBit,
// which may skip the rules, and through Route, which runs them all: both
// must apply the same rules with the same writes. It returns how many
// RouteBit skipped.
func checkNeeds(t *testing.T, s *Set, ev sla.Event) int {
	t.Helper()
	r := s.Router().(router)
	skipped := 0
	for _, subject := range []string{"", "boleto", "hello"} {
		for _, team := range []string{"", "front"} {
			tk := sla.Ticket{ID: "t1", Channel: "email", Subject: subject, Team: team}
			tk2 := tk
			want, werr := r.Route(&tk, &ev)
			bit := eventBit(ev.Type)
			low, more, gerr := r.RouteBit(&tk2, &ev, eventbit.Set(bit))
			assert.Equal(t, want, bitNames(r.RuleNames(), low, more), "%s by %q: %q, subject %q", ev.Type, ev.Author, ev.Text, subject)
			assert.Equal(t, werr, gerr)
			assert.Equal(t, tk, tk2, "%s by %q: %q, subject %q", ev.Type, ev.Author, ev.Text, subject)
			if bit&s.ruleTypes != 0 && bit&s.needTypes != 0 && !s.mayApply(&ev, bit) {
				skipped++
			}
		}
	}
	return skipped
}

func loadNeedSet(t testing.TB, i int) *Set {
	src := multideskRules(t)
	if needSets[i] != "" {
		src = "version: 1\nrules:\n" + needSets[i]
	}
	s, err := Load(fmt.Sprint("need", i, ".yaml"), []byte(src))
	require.NoError(t, err)
	return s
}

// multideskRules returns the reference policy.
func multideskRules(t testing.TB) string {
	src, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	return string(src)
}

// TestMayApply checks RouteBit, which skips the rules of an event none
// of them can apply to, against Route on needSets and needEvents.
func TestMayApply(t *testing.T) {
	for i := range needSets {
		s := loadNeedSet(t, i)
		assert.NotZero(t, s.needTypes, "set %d: message filtered", i)
		skipped := 0
		for _, ev := range needEvents() {
			skipped += checkNeeds(t, s, ev)
		}
		assert.Positive(t, skipped, "set %d: some events skipped", i)
	}
}

// FuzzMayApply is TestMayApply on any author and text.
func FuzzMayApply(f *testing.F) {
	for _, ev := range needEvents() {
		f.Add(uint8(0), string(ev.Author), ev.Text)
	}
	sets := make([]*Set, len(needSets))
	for i := range needSets {
		sets[i] = loadNeedSet(f, i)
	}
	f.Fuzz(func(t *testing.T, typ uint8, author, text string) {
		types := []sla.EventType{sla.EventMessage, sla.EventCreated, sla.EventNote}
		ev := sla.Event{TicketID: "t1", Type: types[int(typ)%len(types)], Author: sla.Author(author), Text: text}
		for _, s := range sets {
			checkNeeds(t, s, ev)
		}
	})
}
