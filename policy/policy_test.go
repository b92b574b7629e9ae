package policy_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

const multidesk = "../testdata/policies/multidesk.yaml"

func loadMultidesk(t testing.TB) *policy.Set {
	t.Helper()
	s, err := policy.LoadFile(multidesk)
	require.NoError(t, err, "LoadFile(%q)", multidesk)
	return s
}

var saoPaulo, _ = time.LoadLocation("America/Sao_Paulo")

// t0 is a Monday, 09:05 in São Paulo (the desk is open).
var t0 = time.Date(2026, 3, 2, 9, 5, 0, 0, saoPaulo)

// TestConfigCopiesMetricEventTypes: the StartOn and StopOn slices of a
// custom metric in Config are copies too; changing them leaves the Set
// (and the next Config) alone.
func TestConfigCopiesMetricEventTypes(t *testing.T) {
	s := loadMultidesk(t)
	m := s.Config().Policies[0].Metrics[0]
	require.Equal(t, []sla.EventType{sla.EventCreated}, m.StartOn)
	require.Equal(t, []sla.EventType{sla.EventAssign}, m.StopOn)
	m.StartOn[0], m.StopOn[0] = sla.EventNote, sla.EventNote
	again := s.Config().Policies[0].Metrics[0]
	assert.Equal(t, []sla.EventType{sla.EventCreated}, again.StartOn)
	assert.Equal(t, []sla.EventType{sla.EventAssign}, again.StopOn)
}

func TestLoadMultidesk(t *testing.T) {
	s := loadMultidesk(t)
	assert.Empty(t, s.Warnings(), "Warnings() = %v, want none", s.Warnings())
	assert.Equal(t, []string{"urgent", "high", "normal", "low"}, s.Priorities())
	assert.Equal(t, []string{"berlin-support", "leadership-hours", "sp-support"}, s.Calendars())
	assert.Equal(t, []string{"vip", "billing", "whatsapp-desk", "email-desk", "outage"}, s.Rules())

	cfg := s.Config()
	require.Len(t, cfg.Policies, 3)
	wa := cfg.Policies[0]
	assert.Equal(t, "whatsapp", wa.Name)
	assert.Same(t, s.Calendar("sp-support"), wa.Calendar)
	assert.Equal(t, 5*time.Minute, wa.Targets["urgent"][sla.FirstResponse])
	assert.Equal(t, []sla.Status{sla.StatusPending, sla.StatusOnHold}, wa.PauseOn)
	assert.Equal(t, sla.ReopenResume, wa.Reopen)
	assert.Equal(t, "standard", wa.Escalation)
	require.Len(t, wa.Metrics, 1)
	assert.Equal(t, sla.Metric("time_to_assign"), wa.Metrics[0].Name)
	assert.Equal(t, sla.ReopenRestart, cfg.Policies[1].Reopen)
	assert.Nil(t, cfg.Policies[2].When, "the default policy has no when")
	assert.NotNil(t, cfg.Rules)

	// Config returns copies: changing them leaves the Set alone.
	cfg.Policies[0].Targets["urgent"][sla.FirstResponse] = time.Hour
	assert.Equal(t, 5*time.Minute, s.Config().Policies[0].Targets["urgent"][sla.FirstResponse])

	l := s.Ladder("standard")
	require.NotNil(t, l)
	require.Equal(t, 3, l.Len())
	assert.Equal(t, "80%", l.Level(0).At.String())
	assert.Equal(t, "first_response", l.Level(0).Metric)
	assert.Equal(t, []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}, l.Level(0).Actions)
	assert.Equal(t, "20m", l.Level(1).At.String())
	assert.NotNil(t, l.Level(1).When)
	assert.Equal(t, "breach+2h", l.Level(2).At.String())
	assert.Equal(t, "", l.Level(2).Metric, "no metric: the ticket as a whole")
	assert.Equal(t, escalation.PerTicket, l.Level(2).Scope())
	assert.Same(t, s.Calendar("leadership-hours"), l.Level(2).During)
	assert.Equal(t, escalation.Action{Type: escalation.SetPriority, Target: "urgent"}, l.Level(2).Actions[2])
	assert.Len(t, s.Ladders(), 1)
	assert.Nil(t, s.Ladder("nope"))

	wcfg := s.WhatsApp()
	assert.Equal(t, []time.Duration{2 * time.Hour, 15 * time.Minute}, wcfg.ClosingSoon)
	assert.Equal(t, 2*time.Minute, wcfg.SendMargin)
	assert.Equal(t, 5*time.Minute, wcfg.MaxSkew, "max_skew keeps its default")

	k := s.KPI()
	assert.Equal(t, 1, k.MaxAgentReplies)
	var names []string
	for _, g := range k.Goals {
		names = append(names, g.Name+" "+g.Target)
	}
	assert.Equal(t, []string{"sla_compliance >= 95%", "first_response_p90 <= 10m", "fcr_rate >= 70%",
		"escalation_rate <= 15%", "csat_positive_rate >= 80%"}, names)
	assert.Equal(t, multidesk, k.Goals[0].Pos.File)
	assert.Positive(t, k.Goals[0].Pos.Line)
}

func TestLoadReaderAndBytesAgree(t *testing.T) {
	src, err := os.ReadFile(multidesk)
	require.NoError(t, err)
	a, err := policy.Load("multidesk.yaml", src)
	require.NoError(t, err)
	b, err := policy.LoadReader("multidesk.yaml", strings.NewReader(string(src)))
	require.NoError(t, err)
	assert.Equal(t, a.Rules(), b.Rules())
	assert.Equal(t, a.KPI().Goals[0].Pos.String(), b.KPI().Goals[0].Pos.String())
	_, err = policy.LoadFile("testdata/does-not-exist.yaml")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestMustLoadPanics(t *testing.T) {
	assert.Panics(t, func() { policy.MustLoad("bad.yaml", []byte("version: 2\n")) })
	assert.NotPanics(t, func() { policy.MustLoad("ok.yaml", []byte("version: 1\n")) })
}

func TestRoute(t *testing.T) {
	s := loadMultidesk(t)
	created := func(channel, text string) sla.Event {
		return sla.Event{TicketID: "T1", At: t0, Type: sla.EventCreated, Channel: channel, Text: text}
	}
	tests := []struct {
		name         string
		ticket       sla.Ticket
		event        sla.Event
		wantRules    []string
		wantPriority string
		wantTeam     string
		wantTags     []string
	}{
		{
			name:      "whatsapp message in Portuguese about billing stops at billing",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp", Customer: sla.Customer{Tier: "vip"}},
			event:     created("whatsapp", "Oi, tenho um problema de COBRANÇA"),
			wantRules: []string{"vip", "billing"}, wantPriority: "urgent", wantTeam: "billing",
			wantTags: []string{"vip", "billing"},
		},
		{
			name:      "spanish invoice",
			ticket:    sla.Ticket{ID: "T1", Channel: "email"},
			event:     created("email", "No encuentro mi factura"),
			wantRules: []string{"billing"}, wantTeam: "billing", wantTags: []string{"billing"},
		},
		{
			name:      "italian charge",
			ticket:    sla.Ticket{ID: "T1", Channel: "email", Subject: "Addebito doppio"},
			event:     created("email", "buongiorno"),
			wantRules: []string{"billing"}, wantTeam: "billing", wantTags: []string{"billing"},
		},
		{
			name:      "german outage goes to the email desk, high",
			ticket:    sla.Ticket{ID: "T1", Channel: "email"},
			event:     created("email", "Totaler Ausfall seit heute früh"),
			wantRules: []string{"email-desk", "outage"}, wantPriority: "high", wantTeam: "email-desk",
			wantTags: []string{"outage"},
		},
		{
			name:      "plain whatsapp ticket",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp"},
			event:     created("whatsapp", "olá"),
			wantRules: []string{"whatsapp-desk"}, wantTeam: "whatsapp-desk",
		},
		{
			name:      "agent message mentioning billing is not routed",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp", Team: "whatsapp-desk"},
			event:     sla.Event{TicketID: "T1", At: t0, Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "pagamento"},
			wantTeam:  "whatsapp-desk",
			wantRules: []string{},
		},
		{
			name:      "customer message on a later event",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp", Team: "whatsapp-desk"},
			event:     sla.Event{TicketID: "T1", At: t0, Type: sla.EventMessage, Text: "o pagamento não foi"},
			wantRules: []string{"billing"}, wantTeam: "billing", wantTags: []string{"billing"},
		},
		{
			name:      "status events run no rule",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp"},
			event:     sla.Event{TicketID: "T1", At: t0, Type: sla.EventStatus, Status: sla.StatusPending},
			wantRules: []string{},
		},
		{
			name:      "unknown event type",
			ticket:    sla.Ticket{ID: "T1", Channel: "whatsapp"},
			event:     sla.Event{TicketID: "T1", At: t0, Type: "bogus"},
			wantRules: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.ticket
			r := s.Route(tc.ticket, tc.event)
			assert.Equal(t, tc.wantRules, r.Rules(), "Route(%v).Rules() = %v, want %v", tc.event.Text, r.Rules(), tc.wantRules)
			assert.Equal(t, tc.wantPriority, r.Ticket.Priority)
			assert.Equal(t, tc.wantTeam, r.Ticket.Team)
			assert.Equal(t, tc.wantTags, r.Ticket.Tags)
			assert.Equal(t, before, tc.ticket, "Route must not modify its argument")
		})
	}
}

func TestRouteDecisionsAndFields(t *testing.T) {
	s := loadMultidesk(t)
	r := s.Route(sla.Ticket{ID: "T1", Channel: "whatsapp"},
		sla.Event{TicketID: "T1", At: t0, Type: sla.EventCreated, Text: "sistema fora do ar"})
	require.Len(t, r.Decisions, 2)
	d := r.Decisions[1]
	assert.Equal(t, policy.Decision{Rule: "outage", Priority: "high", Tags: []string{"outage"},
		Fields: map[string]any{"incident_candidate": true}}, d)
	assert.Equal(t, map[string]any{"incident_candidate": true}, r.Ticket.Fields)
	r.Decisions[1].Fields["incident_candidate"] = false // a copy
	r2 := s.Route(sla.Ticket{ID: "T1"}, sla.Event{TicketID: "T1", At: t0, Type: sla.EventCreated, Text: "down"})
	assert.Equal(t, true, r2.Ticket.Fields["incident_candidate"])
}

func TestEngineWithSet(t *testing.T) {
	s := loadMultidesk(t)
	eng, err := sla.NewEngine(s.Config())
	require.NoError(t, err)
	var st sla.State
	for _, ev := range []sla.Event{
		{TicketID: "T1", At: t0, Type: sla.EventCreated, Channel: "whatsapp", Customer: &sla.Customer{ID: "c1", Tier: "vip"},
			Text: "Problema de pagamento"},
		{TicketID: "T1", At: t0.Add(3 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Olá!"},
		{TicketID: "T1", At: t0.Add(4 * time.Minute), Type: sla.EventAssign, Agent: "ana"},
	} {
		st, err = eng.Apply(st, ev)
		require.NoError(t, err, "Apply(%s)", ev.Type)
	}
	assert.Equal(t, "whatsapp", st.Policy())
	assert.Equal(t, "urgent", st.Ticket().Priority)
	assert.Equal(t, "billing", st.Ticket().Team)
	var trace []string
	for _, r := range st.Rules() {
		trace = append(trace, r.Rule+"@"+r.At.Format("15:04"))
	}
	assert.Equal(t, []string{"vip@09:05", "billing@09:05"}, trace)

	v := eng.Evaluate(st, t0.Add(5*time.Minute))
	states := map[sla.Metric]sla.ClockState{}
	for _, c := range v.Clocks {
		states[c.Metric] = c.State
	}
	assert.Equal(t, sla.ClockMet, states[sla.FirstResponse], "first response in 3m against 5m")
	assert.Equal(t, sla.ClockRunning, states[sla.Resolution])
	_, hasAssign := states["time_to_assign"]
	assert.False(t, hasAssign, "time_to_assign has no target, so it is not reported")
}

func TestCustomMetricConditions(t *testing.T) {
	s := loadMultidesk(t)
	m := s.Config().Policies[0].Metrics[0]
	tk := &sla.Ticket{ID: "T1"}
	holds := func(f func(*sla.Ticket, *sla.Event) (bool, error), tk *sla.Ticket, ev *sla.Event) bool {
		t.Helper()
		ok, err := f(tk, ev)
		require.NoError(t, err)
		return ok
	}
	assert.True(t, holds(m.Start, tk, &sla.Event{Type: sla.EventCreated}))
	assert.False(t, holds(m.Stop, tk, &sla.Event{Type: sla.EventAssign}), "no agent yet")
	tk.Agent = "ana"
	assert.True(t, holds(m.Stop, tk, &sla.Event{Type: sla.EventAssign}))
	assert.False(t, holds(m.Start, nil, nil), "nil ticket and event")
}

func TestLadderWhen(t *testing.T) {
	s := loadMultidesk(t)
	w := s.Ladder("standard").Level(1).When
	require.NotNil(t, w)
	when := func(x *escalation.Context) bool {
		t.Helper()
		ok, err := w(x)
		require.NoError(t, err)
		return ok
	}
	assert.True(t, when(&escalation.Context{Ticket: &sla.Ticket{Team: "billing"}}))
	assert.False(t, when(&escalation.Context{Ticket: &sla.Ticket{Team: "email-desk"}}))
	assert.False(t, when(&escalation.Context{Ticket: "not a ticket"}))
	assert.False(t, when(&escalation.Context{}))
	assert.False(t, when(nil))
}

func TestExpressionsSeeClockAndNow(t *testing.T) {
	doc := `version: 1
calendars:
  office: {timezone: America/Sao_Paulo, hours: {mon-fri: ["08:00-12:00", "13:00-18:00"]}}
rules:
  - name: office-hours
    on: [created, message]
    when: 'is_open("office") && now - ticket.created_at < duration("1h")'
    set: {tags: [in-hours]}
  - name: big-order
    when: 'ticket.fields.order_value > 1000'
    set: {tags: [big]}
escalations:
  late:
    - name: almost
      at: 50%
      when: 'clock.remaining < duration("30m") && clock.percent >= 50.0 && clock.metric == "resolution" && is_open("office")'
      actions: [{notify: lead}]
`
	s, err := policy.Load("t.yaml", []byte(doc))
	require.NoError(t, err)
	created := t0
	lunch := time.Date(2026, 3, 2, 12, 30, 0, 0, saoPaulo)
	tests := []struct {
		name   string
		ticket sla.Ticket
		at     time.Time
		typ    sla.EventType
		want   []string
	}{
		{"open, fresh", sla.Ticket{CreatedAt: created}, t0, sla.EventCreated, []string{"office-hours"}},
		{"lunch break", sla.Ticket{CreatedAt: created}, lunch, sla.EventMessage, []string{}},
		{"old ticket", sla.Ticket{CreatedAt: created}, t0.Add(2 * time.Hour), sla.EventMessage, []string{}},
		{"missing field is false", sla.Ticket{CreatedAt: created, Fields: map[string]any{"x": 1.0}}, lunch, sla.EventCreated, []string{}},
		{"string field is false", sla.Ticket{CreatedAt: created, Fields: map[string]any{"order_value": "many"}}, lunch, sla.EventCreated, []string{}},
		{"number field", sla.Ticket{CreatedAt: created, Fields: map[string]any{"order_value": 1500.0}}, lunch, sla.EventCreated, []string{"big-order"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Route(tc.ticket, sla.Event{TicketID: "T", At: tc.at, Type: tc.typ})
			assert.Equal(t, tc.want, r.Rules(), "Route(at %v).Rules() = %v, want %v", tc.at, r.Rules(), tc.want)
		})
	}
	when := s.Ladder("late").Level(0).When
	ctx := &escalation.Context{Ticket: &sla.Ticket{}, At: t0,
		Clock: escalation.ClockInfo{Metric: "resolution", Target: time.Hour, Elapsed: 40 * time.Minute, Remaining: 20 * time.Minute, Percent: 66.7}}
	ok, err := when(ctx)
	require.NoError(t, err)
	assert.True(t, ok)
	ctx.At = lunch
	ok, err = when(ctx)
	require.NoError(t, err)
	assert.False(t, ok, "office closed at lunch")
}

func TestConcurrentRoute(t *testing.T) {
	s := loadMultidesk(t)
	eng, err := sla.NewEngine(s.Config())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				text := []string{"problema de cobrança", "Ausfall", "hola", "fattura"}[(g+i)%4]
				r := s.Route(sla.Ticket{ID: "T", Channel: "whatsapp"}, sla.Event{TicketID: "T", At: t0, Type: sla.EventCreated, Text: text})
				if len(r.Decisions) == 0 {
					t.Errorf("Route(%q) applied no rule", text)
				}
				st, err := eng.Apply(sla.State{}, sla.Event{TicketID: fmt.Sprint("T", g, i), At: t0, Type: sla.EventCreated, Channel: "email", Text: text})
				if err != nil || len(st.Rules()) == 0 {
					t.Errorf("Apply(%q) = %v rules, %v", text, st.Rules(), err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestErrorListAndSentinels(t *testing.T) {
	var l policy.ErrorList
	assert.NoError(t, l.Err())
	_, err := policy.Load("p.yaml", []byte("version: 1\nslas:\n  - name: a\n    calendar: nope\n    targets: {normal: {resolution: 3d}}\n"))
	require.Error(t, err)
	var list policy.ErrorList
	require.True(t, errors.As(err, &list))
	require.Len(t, list, 2)
	assert.ErrorIs(t, err, policy.ErrUndefined)
	assert.ErrorIs(t, err, policy.ErrValue)
	assert.Equal(t, "p.yaml:4:15: slas[0].calendar: undefined calendar \"nope\" (none is defined) (and 1 more errors)", err.Error())
	var e *policy.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, 4, e.Line)
}

func TestAliasesScalarsAndCustomGoals(t *testing.T) {
	doc := `version: 1
priorities: [p1, p2, p3]
rules:
  - {name: any-message, on: message, set: {fields: {seen: 1, note: "x", gone: null}}}
slas:
  - name: chat
    when: 'ticket.channel == "chat"'
    targets:
      p1: &p1 {first_response: 5m, resolution: 1h30m}
      p2: &p2 {first_response: 15m, resolution: 4h}
      p3: {first_response: 1h, resolution: 8h, time_to_assign: 10m}
    metrics:
      time_to_assign: {start: 'event.type == "created"', stop: 'event.type == "assign"', pause: 'ticket.status == "on_hold"'}
  - name: rest
    targets: {p1: *p1, p2: *p2, p3: {first_response: 1h, resolution: 8h}}
kpis:
  goals: {time_to_assign_p90: "<= 10m", resolution_compliance: "> 90%", backlog: "< 100"}
`
	s, err := policy.Load("a.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Empty(t, s.Warnings())
	assert.Equal(t, 10*time.Minute, s.Config().Policies[0].Targets["p3"]["time_to_assign"])
	assert.Equal(t, 90*time.Minute, s.Config().Policies[1].Targets["p1"][sla.Resolution], "an alias")
	assert.Len(t, s.KPI().Goals, 3)
	r := s.Route(sla.Ticket{Fields: map[string]any{"gone": "soon"}}, sla.Event{Type: sla.EventMessage, At: t0})
	assert.Equal(t, []string{"any-message"}, r.Rules())
	assert.Equal(t, map[string]any{"seen": 1.0, "note": "x"}, r.Ticket.Fields)
	pause := s.Config().Policies[0].Metrics[0].Pause
	for st, want := range map[sla.Status]bool{sla.StatusOnHold: true, sla.StatusOpen: false} {
		ok, err := pause(&sla.Ticket{Status: st})
		require.NoError(t, err)
		assert.Equal(t, want, ok, "pause(%s)", st)
	}
	eng, err := sla.NewEngine(s.Config())
	require.NoError(t, err)
	assert.Equal(t, []string{"p1", "p2", "p3"}, eng.Priorities())

	// A goal on a metric no policy defines is an error.
	_, err = policy.Load("a.yaml", []byte(strings.Replace(doc, "time_to_assign_p90", "time_to_close_p90", 1)))
	assert.ErrorIs(t, err, policy.ErrUndefined)
}

func TestRuleThatOnlyStops(t *testing.T) {
	s, err := policy.Load("s.yaml", []byte(`version: 1
rules:
  - {name: bots, on: [created, message], when: 'event.author == "bot"', stop: true}
  - {name: tag-all, on: [created, message], set: {tags: [seen]}}
`))
	require.NoError(t, err)
	tests := []struct {
		author sla.Author
		want   []string
	}{
		{sla.AuthorBot, []string{"bots"}},
		{sla.AuthorCustomer, []string{"tag-all"}},
		{"", []string{"tag-all"}},
	}
	for _, tc := range tests {
		r := s.Route(sla.Ticket{}, sla.Event{Type: sla.EventMessage, Author: tc.author, At: t0})
		assert.Equal(t, tc.want, r.Rules(), "Route(author %q).Rules() = %v, want %v", tc.author, r.Rules(), tc.want)
	}
}

// The engine a Set builds runs its ladders and tracks WhatsApp windows.
func TestEngineRunsLaddersAndWindows(t *testing.T) {
	s := loadMultidesk(t)
	eng, err := s.Engine()
	require.NoError(t, err)
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, saoPaulo)
	st, err := eng.Apply(sla.State{}, sla.Event{TicketID: "W1", At: created, Type: sla.EventCreated,
		Channel: "whatsapp", Text: "Oi, preciso de ajuda", MessageID: "wamid.1"})
	require.NoError(t, err)
	v := eng.Evaluate(st, created.Add(3*time.Hour))
	require.NotNil(t, v.WhatsApp, "whatsapp tickets get a window")
	assert.Equal(t, "2026-03-03T09:00:00-03:00", v.WhatsApp.Verdict.ClosesAt.Format(time.RFC3339))
	require.NotEmpty(t, v.Escalations, "the standard ladder fires on an unanswered ticket")
	assert.Equal(t, "standard", v.Escalations[0].Ladder)

	k := s.KPIConfig()
	assert.Equal(t, s.KPI().MaxAgentReplies, k.MaxAgentReplies)
	require.Len(t, k.Goals, len(s.KPI().Goals))
	for i, g := range k.Goals {
		assert.Equal(t, s.KPI().Goals[i].Name, g.KPI)
	}
}

// TestEvalErrors: a condition that fails at run time is false, and the
// failure is counted and named with its rule, position and ticket.
func TestEvalErrors(t *testing.T) {
	doc := `version: 1
rules:
  - name: big-order
    when: 'ticket.fields.amount > 100'
    set: {tags: [big]}
  - name: safe
    when: '(ticket.fields.amount ?? 0) > 100'
    set: {tags: [big2]}
  - name: plan
    when: 'ticket.fields.plan == "pro"'
    set: {tags: [pro]}
`
	s := policy.MustLoad("e.yaml", []byte(doc))
	assert.Empty(t, s.EvalErrors(), "EvalErrors before any evaluation")
	ev := sla.Event{Type: sla.EventCreated, At: t0}
	for i := range 3 {
		r := s.Route(sla.Ticket{ID: fmt.Sprint("T", i)}, ev)
		assert.Empty(t, r.Decisions, "Route(ticket without fields) applied %v", r.Rules())
	}
	big := map[string]any{}
	for i := range 200 {
		big[fmt.Sprint("k", i)] = "v"
	}
	r := s.Route(sla.Ticket{ID: "huge", Fields: big}, ev)
	assert.Empty(t, r.Decisions, "Route(ticket with 200 fields) applied %v", r.Rules())
	r = s.Route(sla.Ticket{ID: "ok", Fields: map[string]any{"amount": 500.0, "plan": "pro"}}, ev)
	assert.Equal(t, []string{"big-order", "safe", "plan"}, r.Rules())

	errs := s.EvalErrors()
	require.Len(t, errs, 3, "EvalErrors() = %v", errs)
	assert.Equal(t, "rules[0].when", errs[0].Field)
	assert.Equal(t, "big-order", errs[0].Name)
	assert.Equal(t, policy.Position{File: "e.yaml", Line: 4, Col: 11}, errs[0].Pos)
	assert.EqualValues(t, 4, errs[0].Count, "three tickets without amount, one with too many fields")
	assert.Equal(t, "huge", errs[0].Ticket)
	assert.ErrorContains(t, errs[0].Err, "fields over the expression limits: 200 keys, at most 100")
	for _, e := range errs[1:] {
		assert.EqualValues(t, 1, e.Count, "%s: a missing field with ?? or == is no failure; too many fields is", e.Field)
	}
	assert.Equal(t, "e.yaml:7:11: rules[1].when (safe): 1 failure, last on ticket huge: fields over the expression limits: 200 keys, at most 100", errs[1].Error())
	assert.Contains(t, errs[0].Error(), "e.yaml:4:11: rules[0].when (big-order): 4 failures, last on ticket huge: ")
}

func TestCloseSolvedAfter(t *testing.T) {
	s, err := policy.Load("c.yaml", []byte("version: 1\nclose_solved_after: 96h\nslas: [{name: p, targets: {normal: {resolution: 8h}}}]\n"))
	require.NoError(t, err)
	assert.Equal(t, 96*time.Hour, s.Config().CloseSolvedAfter)
	s, err = policy.Load("c.yaml", []byte("version: 1\nslas: [{name: p, targets: {normal: {resolution: 8h}}}]\n"))
	require.NoError(t, err)
	assert.Zero(t, s.Config().CloseSolvedAfter, "absent: never")
}

// TestEvalErrorsInResults: every kind of condition that fails at run time
// is named in the ticket's result with its place in the document, its
// rule, policy, metric, OLA or level, and the error.
func TestEvalErrorsInResults(t *testing.T) {
	doc := `version: 1
calendars:
  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: ["08:00-18:00"]}}
rules:
  - name: big-order
    when: 'ticket.fields.amount > 100'
    set: {priority: urgent}
slas:
  - name: gold
    when: 'ticket.fields.tier > 1'
    targets: {normal: {resolution: 8h}}
  - name: all
    calendar: {by: 'ticket.fields.region > 0 ? "x" : "y"', map: {x: sp}}
    targets: {normal: {resolution: 8h, time_to_assign: 4h}}
    metrics:
      time_to_assign:
        start: 'event.type == "created"'
        stop: 'ticket.fields.owner > 0'
        pause: 'ticket.fields.hold > 0'
    escalation: std
olas:
  - name: billing-ola
    when: 'ticket.fields.ola > 0'
    targets: {normal: {time_to_own: 1h}}
escalations:
  std:
    - name: big
      metric: resolution
      at: 10m
      when: 'ticket.fields.size > 3'
      actions: [{notify: lead}]
`
	s, err := policy.Load("f.yaml", []byte(doc))
	require.NoError(t, err)
	eng, err := s.Engine()
	require.NoError(t, err)
	var st sla.State
	for _, ev := range []sla.Event{
		{TicketID: "T1", At: t0, Type: sla.EventCreated, Channel: "email"},
		{TicketID: "T1", At: t0.Add(time.Hour), Type: sla.EventAssign, Team: "billing"},
	} {
		st, err = eng.Apply(st, ev)
		require.NoError(t, err)
	}
	r := eng.Result(st, t0.Add(2*time.Hour))
	var got []string
	for _, f := range r.Failures {
		got = append(got, fmt.Sprintf("%s (%s) x%d at %s: %s", f.Cond, f.Name, f.Count, f.At.Format("15:04"), f.Error))
	}
	assert.Equal(t, []string{
		"rules[0].when (big-order) x1 at 09:05: invalid operation: <nil> > int (1:22)",
		"slas[0].when (gold) x2 at 09:05: invalid operation: <nil> > int (1:20)",
		"slas[1].calendar.by (all) x2 at 09:05: invalid operation: <nil> > int (1:22)",
		"slas[1].metrics.time_to_assign.pause (time_to_assign) x2 at 09:05: invalid operation: <nil> > int (1:20)",
		"escalations.std[0].when (big) x2 at 09:05: invalid operation: <nil> > int (1:20)",
		"slas[1].metrics.time_to_assign.stop (time_to_assign) x1 at 10:05: invalid operation: <nil> > int (1:21)",
		"olas[0].when (billing-ola) x1 at 10:05: invalid operation: <nil> > int (1:19)",
	}, got, "in the order they first failed; the column of calendar.by is that of the document's expression")
	assert.Equal(t, "all", r.Policy, "gold's when failed: false")
	assert.Empty(t, r.Escalations, "the level's when failed: it did not fire")

	// EvalErrors counts the same failures, in document order.
	var counts []string
	for _, e := range s.EvalErrors() {
		counts = append(counts, fmt.Sprintf("%s x%d", e.Field, e.Count))
	}
	assert.Equal(t, []string{"rules[0].when x1", "slas[0].when x2", "slas[1].calendar.by x2", "slas[1].metrics.time_to_assign.stop x1",
		"slas[1].metrics.time_to_assign.pause x2", "olas[0].when x1", "escalations.std[0].when x2"}, counts)
}

// TestRouteTicketConditionsSeeEarlierWrites checks that a rule whose
// condition reads the ticket alone (run without an environment) sees what
// the rules before it wrote on the same event, on every event type.
func TestRouteTicketConditionsSeeEarlierWrites(t *testing.T) {
	s, err := policy.Load("rules.yaml", []byte(`version: 1
rules:
  - name: tier2
    on: [status, message]
    when: 'ticket.priority == "urgent"'
    set: {team: tier2}
  - name: tier2-tag
    on: [status, message]
    when: 'ticket.team == "tier2"'
    set: {tags: [tier2]}
  - name: unassigned
    on: [status, message]
    when: 'ticket.team == ""'
    set: {tags: [unassigned]}
  - name: keyword
    on: [message]
    when: 'has_keyword(event.text, ["refund"]) && ticket.team == "tier2"'
    set: {tags: [refund]}
`))
	require.NoError(t, err)
	tests := []struct {
		name      string
		ticket    sla.Ticket
		event     sla.Event
		wantRules []string
		wantTeam  string
		wantTags  []string
	}{
		{"status event, urgent: the tag follows the team set just before",
			sla.Ticket{ID: "T1", Priority: "urgent"},
			sla.Event{TicketID: "T1", At: t0, Type: sla.EventStatus, Status: sla.StatusOpen},
			[]string{"tier2", "tier2-tag"}, "tier2", []string{"tier2"}},
		{"status event, normal: no team",
			sla.Ticket{ID: "T1", Priority: "normal"},
			sla.Event{TicketID: "T1", At: t0, Type: sla.EventStatus, Status: sla.StatusOpen},
			[]string{"unassigned"}, "", []string{"unassigned"}},
		{"message: the event's condition and the ticket's together",
			sla.Ticket{ID: "T1", Priority: "urgent"},
			sla.Event{TicketID: "T1", At: t0, Type: sla.EventMessage, Text: "a refund please"},
			[]string{"tier2", "tier2-tag", "keyword"}, "tier2", []string{"tier2", "refund"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Route(tt.ticket, tt.event)
			assert.Equal(t, tt.wantRules, r.Rules())
			assert.Equal(t, tt.wantTeam, r.Ticket.Team)
			assert.Equal(t, tt.wantTags, r.Ticket.Tags)
		})
	}
}

// TestRouteOn checks that each rule runs on the event types its on lists
// (created when it lists none), in order, whatever the other rules run on.
func TestRouteOn(t *testing.T) {
	doc := `version: 1
rules:
  - name: default
    set: {tags: [default]}
  - name: message
    on: message
    set: {tags: [message]}
  - name: status-or-created
    on: [status, created]
    set: {tags: [status-or-created]}
  - name: every-type
    on: [created, message, note, status, priority, assign, update, escalated, csat, window_rejected]
    when: 'event.type != "note"'
    set: {tags: [every-type]}
`
	s, err := policy.Load("on.yaml", []byte(doc))
	require.NoError(t, err)
	tests := []struct {
		typ  sla.EventType
		want []string
	}{
		{sla.EventCreated, []string{"default", "status-or-created", "every-type"}},
		{sla.EventMessage, []string{"message", "every-type"}},
		{sla.EventStatus, []string{"status-or-created", "every-type"}},
		{sla.EventNote, nil},
		{sla.EventCSAT, []string{"every-type"}},
		{sla.EventWindowRejected, []string{"every-type"}},
		{"unknown", nil},
	}
	for _, tc := range tests {
		r := s.Route(sla.Ticket{ID: "T1"}, sla.Event{TicketID: "T1", Type: tc.typ})
		got := r.Rules()
		if len(got) == 0 {
			got = nil
		}
		assert.Equal(t, tc.want, got, "rules applied to a %s event", tc.typ)
		assert.Equal(t, tc.want, nilIfEmpty(r.Ticket.Tags), "tags after a %s event", tc.typ)
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
