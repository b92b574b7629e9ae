package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// runsSets are rule sections whose rules run on various event types:
// csat shares its first byte with created, note and escalated none with
// the default.
var runsSets = []string{
	"",
	"  - {name: a, set: {team: x}}\n",
	"  - {name: a, on: [csat], set: {team: x}}\n",
	"  - {name: a, on: [message, note], set: {team: x}}\n  - {name: b, on: [escalated], set: {team: y}}\n",
	"  - {name: a, on: [created, message, note, status, priority, assign, update, escalated, csat, window_rejected], set: {team: x}}\n",
}

// runsTypes are event types and strings that are none.
var runsTypes = append(eventTypes[:], "", "c", "m", "x", "cs", "Created", "created ", "window", "\x00", "\xff")

// TestRuns checks that a set runs the rules of an event's type exactly
// when one of its rules is on that type, whatever the first byte tells.
func TestRuns(t *testing.T) {
	for _, rules := range runsSets {
		src := "version: 1\n"
		if rules != "" {
			src += "rules:\n" + rules
		}
		s, err := Load("runs.yaml", []byte(src))
		require.NoError(t, err, src)
		for _, et := range runsTypes {
			checkRuns(t, s, et)
			checkRouted(t, s, rules, et)
		}
	}
}

// ruleLine is one rule of runsSets: its name and its on list, if any.
var ruleLine = regexp.MustCompile(`name: (\w+)(?:, on: \[([^\]]*)\])?`)

// checkRouted checks that the router runs, on an event of type et, the
// rules of the section rules whose on list names et (created without
// one), as read from the section's text: each of runsSets' rules applies
// whenever it runs.
func checkRouted(t *testing.T, s *Set, rules string, et sla.EventType) {
	t.Helper()
	var want []string
	for _, m := range ruleLine.FindAllStringSubmatch(rules, -1) {
		on := []string{"created"}
		if m[2] != "" {
			on = strings.Split(m[2], ", ")
		}
		if slices.Contains(on, string(et)) {
			want = append(want, m[1])
		}
	}
	tk := sla.Ticket{ID: "t1", Channel: "email"}
	ev := sla.Event{TicketID: "t1", Type: et}
	got, err := s.Router().Route(&tk, &ev)
	require.NoError(t, err)
	assert.Equal(t, want, got, "rules run on %q", et)
}

func checkRuns(t *testing.T, s *Set, et sla.EventType) {
	t.Helper()
	bit, ok := s.runs(et)
	if !s.mayRun(et) {
		ok = false
	}
	want := eventBit(et)
	if want&s.ruleTypes == 0 {
		assert.False(t, ok, "runs(%q) with rules on %b", et, s.ruleTypes)
		return
	}
	assert.True(t, ok, "runs(%q) with rules on %b", et, s.ruleTypes)
	assert.Equal(t, want, bit, "runs(%q)", et)
}

// FuzzRuns is TestRuns on any string as the event type.
func FuzzRuns(f *testing.F) {
	for _, et := range runsTypes {
		f.Add(string(et))
	}
	var sets []*Set
	for i, rules := range runsSets {
		s, err := Load(fmt.Sprint("runs", i, ".yaml"), []byte("version: 1\n"+strings.Repeat("rules:\n"+rules, min(len(rules), 1))))
		require.NoError(f, err)
		sets = append(sets, s)
	}
	f.Fuzz(func(t *testing.T, et string) {
		for _, s := range sets {
			checkRuns(t, s, sla.EventType(et))
		}
	})
}

// TestNilSetRouter checks that the router of a nil set runs no rule and
// makes an engine that applies events: through the engine's bit path and
// through Route.
func TestNilSetRouter(t *testing.T) {
	r := (*Set)(nil).Router()
	e, err := sla.NewEngine(sla.Config{Rules: r, Policies: []sla.Policy{{Name: "p",
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.Resolution: time.Hour}}}}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, et := range eventTypes {
		ev := sla.Event{TicketID: "T", At: at, Type: et}
		names, err := r.Route(&sla.Ticket{ID: "T"}, &ev)
		require.NoError(t, err)
		assert.Empty(t, names, "%s", et)
	}
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: at, Type: sla.EventCreated, Text: "outage"})
	require.NoError(t, err)
	st, err = e.Apply(st, sla.Event{TicketID: "T", At: at.Add(time.Minute), Type: sla.EventMessage, Text: "billing"})
	require.NoError(t, err)
	assert.Empty(t, e.Result(st, at.Add(time.Minute)).Rules)
}

// TestRuleSteps checks that route's steps are the rules of each event type
// in order, each with its condition and that condition's Go code.
func TestRuleSteps(t *testing.T) {
	s, err := LoadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	natives := 0
	for b, rs := range s.typeRules {
		require.Len(t, s.steps[b], len(rs), "steps of %s", eventTypes[b])
		for i, r := range rs {
			st := s.steps[b][i]
			assert.Same(t, r, st.r, "%s rule %d", eventTypes[b], i)
			assert.Same(t, r.when, st.when, "%s rule %d", eventTypes[b], i)
			if r.when == nil {
				assert.Nil(t, st.native, "%s rule %d", eventTypes[b], i)
				continue
			}
			assert.Equal(t, r.when.native == nil, st.native == nil, "%s rule %d", eventTypes[b], i)
			if st.native != nil {
				natives++
			}
		}
	}
	assert.Equal(t, 7, natives, "the reference rules on created (5) and message (2) run as Go code")
}
