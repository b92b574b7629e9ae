package sla_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewEngineErrors(t *testing.T) {
	start := func(*sla.Ticket, *sla.Event) (bool, error) { return true, nil }
	pol := func(p sla.Policy) sla.Config {
		p.Name = cmp.Or(p.Name, "a")
		return sla.Config{Policies: []sla.Policy{p}}
	}
	for _, tc := range []struct {
		name  string
		cfg   sla.Config
		field string // the first ConfigError's Field
		msg   string // and its Msg
		is    error  // the sentinel it wraps beside ErrConfig
	}{
		{"duplicate priority", sla.Config{Priorities: []string{"p1", "p1"}, DefaultPriority: "p1"}, "priorities[1]", `priority "p1" listed twice`, sla.ErrDuplicate},
		{"empty priority", sla.Config{Priorities: []string{"p1", ""}, DefaultPriority: "p1"}, "priorities[1]", "a priority needs a name", sla.ErrConfig},
		{"unknown default", sla.Config{DefaultPriority: "p3"}, "default_priority", `undefined priority "p3" (priorities: urgent, high, normal, low)`, sla.ErrUndefined},
		{"empty priorities", sla.Config{Priorities: []string{}}, "priorities", "empty list: name the priorities highest first, or leave them out (nil) for urgent, high, normal, low", sla.ErrConfig},
		{"no policy name", sla.Config{Policies: []sla.Policy{{}}}, "policies[0].name", "name is required", sla.ErrConfig},
		{"duplicate policy", sla.Config{Policies: []sla.Policy{{Name: "a"}, {Name: "b"}, {Name: "a"}}}, "policies[2].name", `policy "a" defined twice`, sla.ErrDuplicate},
		{"builtin custom name", pol(sla.Policy{Metrics: []sla.CustomMetric{{Name: sla.Resolution, Start: start, Stop: start}}}), "policies[0].metrics[0].name", `"resolution" is a built-in metric`, sla.ErrDuplicate},
		{"builtin custom name, a target for the next", pol(sla.Policy{Metrics: []sla.CustomMetric{{Name: sla.Resolution, Start: start, Stop: start}, {Name: "x", Start: start, Stop: start}},
			Targets: targets{"low": {"x": time.Hour}}}), "policies[0].metrics[0].name", `"resolution" is a built-in metric`, sla.ErrDuplicate},
		{"blank custom name", pol(sla.Policy{Metrics: []sla.CustomMetric{{Name: " ", Start: start, Stop: start}}}), "policies[0].metrics[0].name", "a metric needs a name", sla.ErrConfig},
		{"custom twice", pol(sla.Policy{Metrics: []sla.CustomMetric{{Name: "x", Start: start, Stop: start}, {Name: "x", Start: start, Stop: start}}}), "policies[0].metrics[1].name", `metric "x" defined twice`, sla.ErrDuplicate},
		{"custom without stop", pol(sla.Policy{Metrics: []sla.CustomMetric{{Name: "x", Start: start}}}), "policies[0].metrics[0].stop", "stop is required", sla.ErrConfig},
		{"pause on solved", pol(sla.Policy{PauseOn: []sla.Status{sla.StatusOpen, sla.StatusSolved}}), "policies[0].pause_on[1]", `status "solved" cannot pause the resolution clock (want new, open, pending or on_hold)`, sla.ErrConfig},
		{"pause for resolution", pol(sla.Policy{PauseFor: map[sla.Metric][]sla.Status{sla.Resolution: {"gone"}}}), "policies[0].pause_on.resolution[0]", `status "gone" cannot pause the resolution clock (want new, open, pending or on_hold)`, sla.ErrConfig},
		{"negative target", pol(sla.Policy{Targets: targets{"low": {fr: -time.Minute}}}), "policies[0].targets.low.first_response", "target -1m0s is not positive", sla.ErrConfig},
		{"unknown metric", pol(sla.Policy{Targets: targets{"low": {"time_to_nap": time.Minute}}}), "policies[0].targets.low.time_to_nap", `undefined metric "time_to_nap" (want first_response, next_response, periodic_update, resolution or a metric of this policy)`, sla.ErrUndefined},
		{"unknown priority", pol(sla.Policy{Targets: targets{"p9": {fr: time.Minute}}}), "policies[0].targets.p9", `undefined priority "p9" (priorities: urgent, high, normal, low)`, sla.ErrUndefined},
		{"day target", pol(sla.Policy{DayTargets: map[string]map[sla.Metric]sla.DayTarget{"low": {fr: {Days: 0}}}}), "policies[0].targets.low.first_response", "0 business days: want 1 to 10000", sla.ErrConfig},
		{"reopen", pol(sla.Policy{Reopen: "again"}), "policies[0].reopen", `reopen "again": want resume or restart`, sla.ErrConfig},
		{"on_priority_change", pol(sla.Policy{OnPriorityChange: "forget"}), "policies[0].on_priority_change", `on_priority_change "forget": want keep_breach or recompute`, sla.ErrConfig},
		{"policy default priority", pol(sla.Policy{DefaultPriority: "p9"}), "policies[0].default_priority", `undefined priority "p9" (priorities: urgent, high, normal, low)`, sla.ErrUndefined},
		{"ladder", pol(sla.Policy{Escalation: "up"}), "policies[0].escalation", `undefined escalation ladder "up" (none is defined)`, sla.ErrUndefined},
		{"calendar by name", pol(sla.Policy{Calendars: map[string]*calendar.Calendar{"br": nil}}), "policies[0].calendars.br", "a name and a calendar are required", sla.ErrConfig},
		{"at_risk", sla.Config{AtRisk: 100}, "at_risk", "100%: want a percent above 0 and below 100", sla.ErrConfig},
		{"ola without targets", sla.Config{OLAs: []sla.OLA{{Name: "o", Team: "t"}}}, "olas[0].targets", "an OLA needs at least one target (time_to_own or time_to_resolve)", sla.ErrConfig},
		{"ola twice", sla.Config{OLAs: []sla.OLA{{Name: "o", Team: "t", Targets: targets{"low": {sla.OLATimeToOwn: time.Hour}}}, {Name: "o", Team: "t", Targets: targets{"low": {sla.OLATimeToOwn: time.Hour}}}}}, "olas[1].name", `OLA "o" defined twice`, sla.ErrDuplicate},
		{"ola pause", sla.Config{OLAs: []sla.OLA{{Name: "o", Team: "t", PauseOn: []sla.Status{sla.StatusClosed}, Targets: targets{"low": {sla.OLATimeToOwn: time.Hour}}}}}, "olas[0].pause_on[0]", `status "closed" cannot pause the OLA clock (want new, open, pending or on_hold)`, sla.ErrConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sla.NewEngine(tc.cfg)
			require.Error(t, err)
			assert.ErrorIs(t, err, sla.ErrConfig)
			var ce *sla.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field, "Field")
			assert.Equal(t, tc.msg, ce.Msg, "Msg")
			assert.ErrorIs(t, ce, tc.is)
			assert.Equal(t, "sla: invalid config: "+tc.field+": "+tc.msg, ce.Error())
		})
	}
	assert.Equal(t, []sla.Metric{"first_response", "next_response", "periodic_update", "resolution"}, sla.BuiltinMetrics())
	assert.Equal(t, []sla.Status{"new", "open", "pending", "on_hold", "solved", "closed"}, sla.Statuses())
	assert.Equal(t, []sla.Status{"new", "open", "pending", "on_hold"}, sla.ActiveStatuses())
	assert.Equal(t, []sla.Metric{"ola.time_to_own", "ola.time_to_resolve"}, sla.OLAMetrics())
	// Every problem is reported, each a *ConfigError.
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "a", Reopen: "x"}, {Name: "a", OnPriorityChange: "y"}}})
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *sla.ConfigError
		require.ErrorAs(t, e, &ce)
		fields = append(fields, ce.Field)
	}
	assert.Equal(t, []string{"policies[0].reopen", "policies[1].name", "policies[1].on_priority_change"}, fields)
	e := mustEngine(t, sla.Config{Priorities: []string{"p1", "p2", "p3"}})
	assert.Equal(t, []string{"p1", "p2", "p3"}, e.Priorities())
}

func TestDefaultPriority(t *testing.T) {
	t.Run("normal", func(t *testing.T) {
		e := mustEngine(t, spStd()(t))
		st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created")))
		assert.Equal(t, "normal", e.Evaluate(st, st.LastAt()).Priority)
	})
	t.Run("middle of custom priorities", func(t *testing.T) {
		e := mustEngine(t, sla.Config{Priorities: []string{"p1", "p2", "p3"}})
		st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created")))
		assert.Equal(t, "p2", e.Evaluate(st, st.LastAt()).Priority)
	})
}

func TestRouterTraceAndPolicyChoice(t *testing.T) {
	billing := sla.Policy{Name: "billing", When: func(tk *sla.Ticket) (bool, error) { return tk.Team == "billing", nil },
		Targets: targets{"normal": {fr: 10 * time.Minute}}}
	router := sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		if ev.Type == sla.EventMessage && ev.Text == "payment" {
			tk.Team = "billing"
			tk.Tags = append(tk.Tags, "billing")
			return []string{"billing", "tag-billing"}, nil
		}
		return nil, nil
	})
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{billing}, Rules: router})
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00Z", "created"),
		ev("2026-03-02T08:05:00Z", "message", `"text":"payment"`),
	))
	require.Empty(t, errs)
	assert.Equal(t, "billing", st.Policy())
	assert.Equal(t, []sla.RuleApplied{{Rule: "billing", At: st.LastAt()}, {Rule: "tag-billing", At: st.LastAt()}}, st.Rules())
	assert.True(t, st.Ticket().HasTag("billing"))
	v := e.Evaluate(st, mustTime(t, "2026-03-02T08:11:00Z"))
	assert.Equal(t, []string{"first_response#1 breached start=2026-03-02T08:00:00Z deadline=2026-03-02T08:10:00Z elapsed=11m0s breached=2026-03-02T08:10:00Z"}, clockLines(v))
}

func TestReopenKeepsBreach(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`, `"author":"agent"`),
		ev("2026-03-03T08:00:00-03:00", "status", `"status":"solved"`),
		ev("2026-03-03T09:00:00-03:00", "priority", `"priority":"low"`),
		ev("2026-03-03T10:00:00-03:00", "status", `"status":"pending"`),
	))
	require.Empty(t, errs)
	v := e.Evaluate(st, mustTime(t, "2026-03-03T11:00:00-03:00"))
	require.Len(t, v.Clocks, 2)
	c := v.Clocks[1]
	require.Equal(t, "resolution", string(c.Metric))
	assert.Equal(t, sla.ClockBreached, c.State, "urgent resolution (8h) breached Mon 17:00, stays breached when reopened at low priority")
	assert.True(t, c.Paused, "reopened to pending: paused at once")
	assert.Equal(t, "2026-03-02T17:00:00-03:00", rfc(c.BreachedAt))
	assert.Equal(t, 1, e.Result(st, st.LastAt()).Stats.Reopens)
	assert.Equal(t, 9*time.Hour, c.Elapsed)
}

func TestSolvedTicketStartsNoClock(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T08:10:00-03:00", "status", `"status":"solved"`),
		ev("2026-03-02T08:20:00-03:00", "message", `"author":"agent"`),
	))
	require.Empty(t, errs)
	v := e.Evaluate(st, st.LastAt())
	for _, c := range v.Clocks {
		assert.NotEqual(t, sla.ClockRunning, c.State, clockLine(c))
	}
	assert.Equal(t, 1, e.Result(st, st.LastAt()).Stats.AgentReplies)
	assert.Equal(t, sla.StatusSolved, st.Ticket().Status)
}

func TestCustomerMessageOnHoldStaysOnHold(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, _ := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created"),
		ev("2026-03-02T08:10:00-03:00", "status", `"status":"on_hold"`),
		ev("2026-03-02T08:20:00-03:00", "message"),
	))
	assert.Equal(t, sla.StatusOnHold, st.Ticket().Status)
}

func TestStateFromAnotherEngine(t *testing.T) {
	old := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "gone", Targets: targets{"normal": {fr: time.Hour}}}}})
	st, _ := applyAll(t, old, events(t, ev("2026-03-02T08:00:00Z", "created")))
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "new", Targets: targets{"normal": {fr: 30 * time.Minute}}}}})
	v := e.Evaluate(st, mustTime(t, "2026-03-02T08:10:00Z"))
	assert.Equal(t, "gone", v.Policy, "evaluated as stored until an event chooses again")
	st, err := e.Apply(st, events(t, ev("2026-03-02T08:40:00Z", "note"))[0])
	require.NoError(t, err)
	assert.Equal(t, "new", st.Policy())
	v = e.Evaluate(st, st.LastAt())
	assert.Equal(t, []string{"first_response#1 breached start=2026-03-02T08:00:00Z deadline=2026-03-02T08:30:00Z elapsed=40m0s breached=2026-03-02T08:40:00Z"}, clockLines(v))
}

func TestEvaluateBeforeLastEvent(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, _ := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created"),
		ev("2026-03-02T09:00:00-03:00", "note"),
	))
	v := e.Evaluate(st, mustTime(t, "2026-03-02T07:00:00-03:00"))
	assert.Equal(t, "2026-03-02T09:00:00-03:00", rfc(v.At))
	assert.Equal(t, time.Hour, v.Clocks[0].Elapsed)
}

func TestCloneIsIndependent(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created", `"tags":["a"]`)))
	snap := st.Clone()
	before := mustJSON(t, snap)
	st, _ = applyAll2(t, e, st, events(t,
		ev("2026-03-02T08:10:00-03:00", "update", `"tags":["b"]`),
		ev("2026-03-02T08:20:00-03:00", "status", `"status":"pending"`),
		ev("2026-03-02T08:30:00-03:00", "message", `"author":"agent"`),
	))
	assert.Equal(t, before, mustJSON(t, snap))
	assert.NotEqual(t, before, mustJSON(t, st))
}

// TestCloneIsIndependentOfRareParts: the WhatsApp window, the KPI
// counters of escalations and priority changes, and the hand-offs are kept
// apart from the rest of a State; a clone must not share them either.
func TestCloneIsIndependentOfRareParts(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "p", Calendar: spCal(t), Targets: stdTargets()}},
		WhatsApp: whatsappTracker(t)})
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"channel":"whatsapp"`, `"priority":"normal"`, `"team":"a"`,
			`"customer":{"phone":"+5511999990000"}`, `"message_id":"wamid.1"`),
		ev("2026-03-02T08:05:00-03:00", "escalated", `"tier":"tier2"`),
		ev("2026-03-02T08:06:00-03:00", "assign", `"team":"b"`),
	))
	require.Empty(t, errs)
	snap := st.Clone()
	before := mustJSON(t, snap)
	require.Contains(t, before, `"handoffs"`)
	require.Contains(t, before, `"whatsapp"`)
	st, errs = applyAll2(t, e, st, events(t,
		ev("2026-03-02T08:10:00-03:00", "message", `"message_id":"wamid.2"`),
		ev("2026-03-02T08:11:00-03:00", "escalated", `"tier":"tier3"`),
		ev("2026-03-02T08:12:00-03:00", "assign", `"team":"c"`),
		ev("2026-03-02T08:13:00-03:00", "priority", `"priority":"urgent"`),
		ev("2026-03-02T08:14:00-03:00", "window_rejected"),
	))
	require.Empty(t, errs)
	assert.Equal(t, before, mustJSON(t, snap), "the clone changed with the original")
	after := mustJSON(t, st)
	for _, want := range []string{`"wamid.2"`, `"escalation_tier":"tier3"`, `"to":"c"`, `"priority_changes":1`, `"window_rejected_at"`} {
		assert.Contains(t, after, want)
	}
}

func applyAll2(t testing.TB, e *sla.Engine, st sla.State, evs []sla.Event) (sla.State, []error) {
	t.Helper()
	var errs []error
	for _, x := range evs {
		var err error
		st, err = e.Apply(st, x)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return st, errs
}

func TestApplyErrorLeavesStateUnchanged(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created")))
	before := mustJSON(t, st)
	for _, tc := range []struct {
		line string
		want error
	}{
		{ev("2026-03-02T09:00:00-03:00", "status", `"status":"archived"`), sla.ErrInvalidEvent},
		{ev("2026-03-02T09:00:00-03:00", "message", `"author":"robot"`), sla.ErrInvalidEvent},
		{ev("2026-03-02T09:00:00-03:00", "assign"), sla.ErrInvalidEvent},
		{`{"ticket":"T2","at":"2026-03-02T09:00:00-03:00","type":"note"}`, sla.ErrInvalidEvent},
		{`{"ticket":"T1","type":"note"}`, sla.ErrInvalidEvent},
		{`{"at":"2026-03-02T09:00:00-03:00","type":"created","status":"closed"}`, sla.ErrAlreadyCreated},
	} {
		var ev sla.Event
		require.NoError(t, json.Unmarshal([]byte(tc.line), &ev))
		if ev.TicketID == "" {
			ev.TicketID = "T1"
		}
		got, err := e.Apply(st, ev)
		assert.ErrorIs(t, err, tc.want, tc.line)
		var ee *sla.EventError
		require.True(t, errors.As(err, &ee))
		assert.Equal(t, 2, ee.Seq)
		assert.Equal(t, before, mustJSON(t, got), tc.line)
	}
	_, err := e.Apply(sla.State{}, sla.Event{TicketID: "T3", Type: sla.EventCreated, At: st.LastAt(), Status: sla.StatusClosed})
	assert.ErrorIs(t, err, sla.ErrInvalidEvent)
}

// TestRefusalMessagesBounded checks that a refusal quotes the event's
// values cut at 64 bytes and names at most ten priorities: its size does
// not follow the input's.
func TestRefusalMessagesBounded(t *testing.T) {
	prios := make([]string, 12)
	for i := range prios {
		prios[i] = fmt.Sprintf("p%d", i+1)
	}
	e := mustEngine(t, sla.Config{Priorities: prios, DefaultPriority: "p1"})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T1", Type: sla.EventCreated, At: at})
	require.NoError(t, err)
	long := strings.Repeat("x", 1000)
	for _, tc := range []struct {
		ev   sla.Event
		want string
	}{
		{sla.Event{Type: sla.EventPriority, Priority: "nope"},
			`unknown priority "nope" (priorities: p1, p2, p3, p4, p5, p6, p7, p8, p9, p10 and 2 more)`},
		{sla.Event{Type: sla.EventPriority, Priority: long}, `unknown priority "` + long[:64] + `"... (priorities: p1,`},
		{sla.Event{Type: sla.EventStatus, Status: sla.Status(long)}, `unknown status "` + long[:64] + `"...`},
		{sla.Event{Type: sla.EventMessage, Author: sla.Author(long)}, `unknown author "` + long[:64] + `"...`},
	} {
		tc.ev.TicketID, tc.ev.At = "T1", at.Add(time.Minute)
		_, err := e.Apply(st, tc.ev)
		require.ErrorIs(t, err, sla.ErrInvalidEvent)
		assert.Contains(t, err.Error(), tc.want)
		assert.Less(t, len(err.Error()), 400, "the message's size does not follow the input's")
	}
}

func TestNoPolicyNoClocks(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil }}}})
	st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00Z", "created")))
	r := e.Result(st, st.LastAt())
	assert.Equal(t, "T1", r.Ticket)
	assert.Empty(t, r.Clocks)
	assert.Contains(t, mustJSON(t, r), `"policy":null`)
}

func TestLadderWakesHost(t *testing.T) {
	cfg := goldenConfig(t)
	e := mustEngine(t, cfg)
	st, _ := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created", `"channel":"whatsapp"`)))
	v := e.Evaluate(st, mustTime(t, "2026-03-02T08:05:00-03:00"))
	assert.Equal(t, "2026-03-02T08:12:00-03:00", rfc(v.NextWake), "the 80% reminder of the 15m first response comes before its deadline")
	v = e.Evaluate(st, mustTime(t, "2026-03-02T08:13:00-03:00"))
	require.Len(t, v.Escalations, 1)
	assert.Equal(t, "remind", v.Escalations[0].Level)
	assert.Equal(t, "2026-03-02T08:15:00-03:00", rfc(v.NextWake))
}

func TestBotCreatedTicketAwaitsFirstResponse(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, errs := applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created", `"author":"bot"`)))
	require.Empty(t, errs)
	v := e.Evaluate(st, mustTime(t, "2026-03-02T08:30:00-03:00"))
	require.NotEmpty(t, v.Clocks)
	assert.Equal(t, sla.FirstResponse, v.Clocks[0].Metric)
	assert.False(t, e.Result(st, st.LastAt()).Stats.WaitingSince.IsZero(), "the customer waits")
}

func TestReopenUnderAnotherPolicyRecounts(t *testing.T) {
	vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
		Calendar: allDay(t, "America/Sao_Paulo"), Targets: targets{"normal": {res: 48 * time.Hour}}}
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{vip, {Name: "sp", Calendar: spCal(t), Targets: stdTargets()}}})
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"tags":["vip"]`, `"author":"agent"`),
		ev("2026-03-03T08:00:00-03:00", "status", `"status":"solved"`),
		ev("2026-03-03T09:00:00-03:00", "update", `"remove_tags":["vip"]`),
		ev("2026-03-03T10:00:00-03:00", "status", `"status":"open"`),
	))
	require.Empty(t, errs)
	require.Equal(t, "sp", st.Policy())
	v := e.Evaluate(st, mustTime(t, "2026-03-03T11:00:00-03:00"))
	last := v.Clocks[len(v.Clocks)-1]
	assert.Equal(t, "resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T18:00:00-03:00 elapsed=10h0m0s paused=2h0m0s", clockLine(last),
		"24h counted under the 24x7 vip policy are recounted as 9h of São Paulo business time, plus 1h after the reopening")
}
