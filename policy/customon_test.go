package policy_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// customOnTests are conditions of a custom metric and the event types the
// compiler declares they may hold on (nil: no declaration, any type).
var customOnTests = []struct {
	src  string
	want []sla.EventType
}{
	{`event.type == "created"`, []sla.EventType{sla.EventCreated}},
	{`"assign" == event.type`, []sla.EventType{sla.EventAssign}},
	{`event.type == "assign" && ticket.agent != ""`, []sla.EventType{sla.EventAssign}},
	{`event.type in ["created", "message"]`, []sla.EventType{sla.EventCreated, sla.EventMessage}},
	{`event.type in ["status", "note"] && int(ticket.team) > 1`, []sla.EventType{sla.EventNote, sla.EventStatus}},
	{`event.type == "assign" and ticket.team == "b" and ticket.agent != ""`, []sla.EventType{sla.EventAssign}},
	{`(event.type == "assign" && ticket.agent == "a") && int(ticket.team) > 1`, []sla.EventType{sla.EventAssign}},
	{`event.type == "message" && (ticket.agent != "" || ticket.tags[3] == "x")`, []sla.EventType{sla.EventMessage}},
	// no declaration
	{`event.type != "created"`, nil},
	{`!(event.type == "created")`, nil},
	{`not (event.type == "created")`, nil},
	{`event.type == "created" || ticket.agent != ""`, nil},
	{`event.type == "created" || event.type == "assign"`, nil}, // true, but not a test the analysis reads
	{`ticket.agent != "" && event.type == "created"`, nil},     // not first: ticket.agent is read on every type
	{`int(ticket.team) > 1 && event.type == "created"`, nil},
	{`event.type == "created" && ticket.fields.plan == "gold"`, nil}, // fields over the limits fail it on any type
	{`event.type == "created" && event.fields.plan == "gold"`, nil},
	{`event.type == ticket.channel`, nil},
	{`event.type == event.author`, nil},
	{`event.type in ["created", "message", "note", "status", "priority", "assign", "update", "escalated", "csat", "window_rejected"]`, nil},
	{`ticket.agent != ""`, nil},
	{`(event.type == "created" || ticket.agent != "") && ticket.team == "b"`, nil},
	{`true`, nil},
}

// loadCustom loads a policy whose custom metric m starts and stops on src.
func loadCustom(src string) (*policy.Set, error) {
	q := "'" + strings.ReplaceAll(src, "'", "''") + "'"
	return policy.Load("customon.yaml", []byte("version: 1\npriorities: [high]\nslas:\n  - name: p\n    targets: {high: {m: 1h}}\n"+
		"    metrics:\n      m:\n        start: "+q+"\n        stop: "+q+"\n"))
}

// TestCustomMetricOn checks the event types declared for the start and stop
// of a custom metric, and that each condition so declared is false, without
// failing, on every event of another type.
func TestCustomMetricOn(t *testing.T) {
	for _, tt := range customOnTests {
		t.Run(tt.src, func(t *testing.T) {
			s, err := loadCustom(tt.src)
			require.NoError(t, err)
			m := s.Config().Policies[0].Metrics[0]
			assert.Equal(t, tt.want, m.StartOn, "start")
			assert.Equal(t, tt.want, m.StopOn, "stop")
			checkCustomOn(t, m)
		})
	}
}

// customOnTickets are tickets on which the conditions of customOnTests
// hold, do not hold, and fail (int of a word, fields over the limits).
var customOnTickets = []sla.Ticket{
	{ID: "t1", Channel: "email", Team: "7"},
	{ID: "t2", Channel: "created", Agent: "a", Team: "b", Fields: map[string]any{"plan": "gold"}},
	{ID: "t3", Agent: "a", Team: "b", Fields: map[string]any{"plan": map[string]any{"x": 1.0}}},
}

// checkCustomOn asks m's Start and Stop on events of every type: on a type
// not declared they must be false and not fail.
func checkCustomOn(t interface {
	require.TestingT
	Helper()
}, m sla.CustomMetric) {
	t.Helper()
	for _, typ := range []sla.EventType{sla.EventCreated, sla.EventMessage, sla.EventNote, sla.EventStatus, sla.EventPriority,
		sla.EventAssign, sla.EventUpdate, sla.EventEscalated, sla.EventCSAT, sla.EventWindowRejected} {
		for i := range customOnTickets {
			tk := customOnTickets[i]
			ev := sla.Event{Type: typ, TicketID: tk.ID, Author: sla.AuthorAgent}
			for _, c := range [...]struct {
				name string
				cond func(*sla.Ticket, *sla.Event) (bool, error)
				on   []sla.EventType
			}{{"start", m.Start, m.StartOn}, {"stop", m.Stop, m.StopOn}} {
				if len(c.on) == 0 || slices.Contains(c.on, typ) {
					continue
				}
				ok, err := c.cond(&tk, &ev)
				require.NoError(t, err, "%s on a %s event of %s", c.name, typ, tk.ID)
				require.False(t, ok, "%s on a %s event of %s", c.name, typ, tk.ID)
			}
		}
	}
}

// TestCustomMetricOnUndeclared checks that the conditions left without a
// declaration in customOnTests needed one: each holds or fails on some
// event whose type a declaration from its first event.type test would
// leave out, so declaring it would change the results.
func TestCustomMetricOnUndeclared(t *testing.T) {
	for _, src := range []string{
		`event.type != "created"`, `!(event.type == "created")`, `event.type == "created" || ticket.agent != ""`,
		`int(ticket.team) > 1 && event.type == "created"`, `event.type == ticket.channel`,
		`event.type == "created" && ticket.fields.plan == "gold"`,
		`(event.type == "created" || ticket.agent != "") && ticket.team == "b"`,
	} {
		s, err := loadCustom(src)
		require.NoError(t, err, src)
		m := s.Config().Policies[0].Metrics[0]
		m.StartOn, m.StopOn = []sla.EventType{sla.EventAssign}, []sla.EventType{sla.EventAssign}
		assert.Panics(t, func() { checkCustomOn(failNow{}, m) }, "%s: declared on assign only", src)
	}
}

// failNow is a require.TestingT whose FailNow panics, to check that a
// check fails.
type failNow struct{}

func (failNow) Helper()               {}
func (failNow) Errorf(string, ...any) {}
func (failNow) FailNow()              { panic("failed") }

// FuzzCustomMetricOn compiles fuzzed conditions (seeded from
// customOnTests) and checks that the types declared for them are sound
// (see checkCustomOn).
func FuzzCustomMetricOn(f *testing.F) {
	for _, tt := range customOnTests {
		f.Add(tt.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 300 || strings.ContainsAny(src, "\n\r") {
			return
		}
		s, err := loadCustom(src)
		if err != nil {
			return
		}
		checkCustomOn(t, s.Config().Policies[0].Metrics[0])
	})
}

// TestCustomMetricOnChangesNothing replays generated histories under
// variants of the reference policy whose custom metric starts and stops
// on various conditions (some failing on some tickets), once with the
// event types the compiler declares for them, so that the engine does not
// ask them on other types, and once with none declared: the results must
// be the same.
func TestCustomMetricOnChangesNothing(t *testing.T) {
	ref, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	const old = "        start: 'event.type == \"created\"'\n        stop: 'event.type == \"assign\" && ticket.agent != \"\"'\n"
	require.Contains(t, string(ref), old)
	variants := [][2]string{
		{`event.type == "created"`, `event.type == "assign" && ticket.agent != ""`},
		{`event.type in ["created", "status"] && ticket.status != "pending"`, `event.type == "message" && event.author == "agent"`},
		{`event.type == "message" && int(ticket.agent) > 0`, `event.type == "status" && ticket.status == "solved"`}, // start fails on some tickets
		{`ticket.agent == "" && event.type == "created"`, `int(ticket.agent) > 0 && event.type == "assign"`},        // no declaration, fails
		{`event.type == "created" && ticket.fields.incident_candidate.x == 1`, `event.type == "assign" && ticket.fields.incident_candidate == true`},
		{`event.type != "note"`, `"assign" == event.type || ticket.status == "solved"`},
		{`event.type == "priority"`, `event.type in ["assign", "update"]`},
	}
	for i, v := range variants {
		t.Run(v[0]+" / "+v[1], func(t *testing.T) {
			q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
			src := strings.Replace(string(ref), old, "        start: "+q(v[0])+"\n        stop: "+q(v[1])+"\n", 1)
			s, err := policy.Load("variant.yaml", []byte(src))
			require.NoError(t, err)
			declared := s.Config()
			undeclared := s.Config()
			undeclared.Policies = append([]sla.Policy(nil), undeclared.Policies...)
			n := 0
			for j := range undeclared.Policies {
				p := &undeclared.Policies[j]
				p.Metrics = append([]sla.CustomMetric(nil), p.Metrics...)
				for k := range p.Metrics {
					n += len(p.Metrics[k].StartOn) + len(p.Metrics[k].StopOn)
					p.Metrics[k].StartOn, p.Metrics[k].StopOn = nil, nil
				}
			}
			if i == 0 {
				require.Positive(t, n, "the reference policy has declarations")
			}
			opts := sample.Options{Seed: uint64(i) + 11, Tickets: 400, Weeks: 1}
			a, b := replayJSON(t, declared, opts), replayJSON(t, undeclared, opts)
			require.Equal(t, len(a), len(b))
			for k := range a {
				require.JSONEq(t, string(b[k]), string(a[k]), "result %d", k)
			}
		})
	}
}
