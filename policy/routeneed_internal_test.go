package policy

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/sla"
)

// TestMaxAuthor checks that the engine judges the authors the rules read
// whole (see eventbit.Needs).
func TestMaxAuthor(t *testing.T) {
	assert.Equal(t, maxStringBytes, eventbit.MaxAuthor)
}

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
// read, and one rule on created that needs nothing; the last one's rules
// test the event in ways that need nothing of it (!=, in, not), so that
// nothing may be skipped (each type has one rule that needs nothing, and
// message one rule that would need its author if != were read as ==).
var needSets = []struct {
	rules string
	skips bool // some events are skipped
}{
	{"", true}, // the reference policy's rules
	{`  - name: cust
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
`, true},
	{`  - name: agent
    on: [message, note]
    when: 'event.author == "agent"'
    set: {agent: replied}
  - name: long
    on: [message]
    when: 'event.author == "` + strings.Repeat("x", eventbit.MaxAuthor) + `"'
    set: {team: cut}
`, true},
	{`  - name: not-agent
    on: [message]
    when: 'event.author != "agent" && ticket.team == ""'
    set: {team: front}
  - name: in-list
    on: [message]
    when: 'event.author in ["bot", "customer"] && has_keyword(event.text, ["down"])'
    set: {tags: [inlist]}
  - name: negated
    on: [note]
    when: 'not (event.author == "agent") && ticket.priority == ""'
    set: {priority: high}
`, false},
}

// needEvents are events of every author and text RouteBit tells apart.
func needEvents() []sla.Event {
	var evs []sla.Event
	for _, typ := range []sla.EventType{sla.EventMessage, sla.EventCreated, sla.EventNote} {
		for _, author := range []sla.Author{"", sla.AuthorCustomer, sla.AuthorAgent, "bot", "Customer", sla.Author(strings.Repeat("customer", 40)),
			sla.Author(strings.Repeat("x", eventbit.MaxAuthor+1))} {
			for _, text := range []string{"", "down", "x", "pagamento via boleto", "Sistema caído", "ausfall!"} {
				evs = append(evs, sla.Event{TicketID: "t1", Type: typ, Author: author, Text: text})
			}
		}
	}
	return evs
}

// needHistory returns a history of a ticket per event of needEvents
// other than a created one, each opened by a created event.
func needHistory() []sla.Event {
	at := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	var out []sla.Event
	for i, ev := range needEvents() {
		if ev.Type == sla.EventCreated {
			continue
		}
		id := fmt.Sprint("N", i)
		out = append(out, sla.Event{TicketID: id, Type: sla.EventCreated, At: at, Channel: "email", Subject: "boleto"})
		ev.TicketID, ev.At = id, at.Add(time.Minute)
		out = append(out, ev)
		at = at.Add(time.Hour)
	}
	return out
}

// checkNeeds routes ev on tickets of each subject and team through
// Route, which runs every rule: when the rules' needs say that none can
// apply to ev (so that the engine does not ask), none applies and the
// ticket is left as it was. It returns how many of the tickets were
// skipped so.
func checkNeeds(t *testing.T, s *Set, ev sla.Event) int {
	t.Helper()
	r := s.Router().(router)
	skipped := 0
	for _, subject := range []string{"", "boleto", "hello"} {
		for _, team := range []string{"", "front"} {
			tk := sla.Ticket{ID: "t1", Channel: "email", Subject: subject, Team: team}
			before := tk
			names, err := r.Route(&tk, &ev)
			require.NoError(t, err)
			bit := eventBit(ev.Type)
			author := ev.Author
			if author == "" {
				author = sla.AuthorCustomer // as the engine reads it
			}
			if bit&s.ruleTypes == 0 || !s.needs.Skips(eventbit.Set(bit), ev.Text != "", string(author)) {
				continue
			}
			skipped++
			assert.Empty(t, names, "%s by %q: %q, subject %q: skipped, yet rules apply", ev.Type, ev.Author, ev.Text, subject)
			assert.Equal(t, before, tk, "%s by %q: %q, subject %q: skipped, yet the ticket changes", ev.Type, ev.Author, ev.Text, subject)
		}
	}
	return skipped
}

func loadNeedSet(t testing.TB, i int) *Set {
	src := multideskRules(t)
	if needSets[i].rules != "" {
		src = "version: 1\nrules:\n" + needSets[i].rules
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

// TestMayApply checks that the rules' needs skip only events none of
// them applies to, on needSets and needEvents, and that the engine, which
// skips those events, agrees with one asking Route about every event.
func TestMayApply(t *testing.T) {
	for i := range needSets {
		s := loadNeedSet(t, i)
		skipped := 0
		for _, ev := range needEvents() {
			skipped += checkNeeds(t, s, ev)
		}
		if needSets[i].skips {
			assert.NotZero(t, s.needs.Types, "set %d: message filtered", i)
			assert.Positive(t, skipped, "set %d: some events skipped", i)
		} else {
			assert.Zero(t, skipped, "set %d: no event skipped", i)
		}
		for seed := range uint64(3) {
			checkRouteBitEngine(t, s, routeBitHistory(seed, 40))
		}
		checkRouteBitEngine(t, s, needHistory())
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
