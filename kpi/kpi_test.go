package kpi_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustNew(t testing.TB, cfg kpi.Config) *kpi.Accumulator {
	t.Helper()
	a, err := kpi.New(cfg)
	require.NoError(t, err)
	return a
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// result builds a ticket result directly, as a host without a replay (or a
// test) may.
func result(id string, status sla.Status, clocks ...sla.Clock) sla.Result {
	return sla.Result{View: sla.View{Ticket: id, Policy: "p", Priority: "normal", Status: status, Clocks: clocks},
		Attributes: sla.Ticket{ID: id, Status: status, CreatedAt: t0}}
}

func clock(m sla.Metric, st sla.ClockState, elapsed time.Duration) sla.Clock {
	return sla.Clock{Metric: m, Cycle: 1, State: st, Elapsed: elapsed, Target: time.Hour}
}

func TestEmptyInput(t *testing.T) {
	a := mustNew(t, kpi.Config{Goals: []kpi.Goal{kpi.MustParseGoal("sla_compliance", ">= 95%"),
		kpi.MustParseGoal("backlog", "<= 5")}, GroupBy: []string{"priority"}})
	assert.JSONEq(t, `{"tickets":0,"tickets_without_policy":0,"metrics":{},"sla_compliance":null,"fcr_rate":null,
		"escalation_rate":null,"reopen_rate":null,"csat":{"responses":0,"mean":null,"positive_rate":null},
		"backlog":0,"ola":{},"reassignment":{"tickets":0,"reassigned":0,"rate":null,"mean_handoffs":null},
		"by":{"priority":{}},
		"goals":[{"kpi":"sla_compliance","target":">= 95%","actual":null,"met":null},
		         {"kpi":"backlog","target":"<= 5","actual":0,"met":true}]}`, mustJSON(t, a.Report()))
}

func TestTicketsWithoutClocks(t *testing.T) {
	a := mustNew(t, kpi.Config{})
	r := result("T1", sla.StatusOpen)
	r.Policy = ""
	a.Add(r)
	a.Add(result("T2", sla.StatusOpen, clock(sla.FirstResponse, sla.ClockRunning, time.Minute)))
	rep := a.Report()
	assert.Equal(t, int64(2), rep.Tickets)
	assert.Equal(t, int64(1), rep.TicketsWithoutPolicy)
	assert.Equal(t, int64(2), rep.Backlog)
	assert.Nil(t, rep.SLACompliance, "no decided cycle")
	fr := rep.Metrics[sla.FirstResponse]
	assert.Equal(t, kpi.MetricReport{}, fr, "a running clock before its deadline counts nowhere")
	assert.Equal(t, 0.0, *rep.EscalationRate)
	assert.NotContains(t, mustJSON(t, rep), "NaN")
}

func TestSkipped(t *testing.T) {
	a := mustNew(t, kpi.Config{})
	a.Add(sla.Result{Errors: []error{errors.New("garbage line")}})
	a.Add(sla.Result{View: sla.View{Ticket: "T9"}, Errors: []error{sla.ErrUnknownTicket}})
	a.Add(result("T1", sla.StatusSolved))
	rep := a.Report()
	assert.Equal(t, int64(1), rep.Tickets)
	assert.Equal(t, int64(2), rep.Skipped)
}

func TestEscalated(t *testing.T) {
	tests := []struct {
		name    string
		actions []string
		events  int
		want    bool
	}{
		{name: "escalated-event", events: 1, want: true},
		{name: "assign-action", actions: []string{"notify", "assign"}, want: true},
		{name: "escalate-action", actions: []string{"escalate"}, want: true},
		{name: "notify-only", actions: []string{"notify", "set_priority", "message_customer"}, want: false},
		{name: "nothing", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, time.Minute))
			r.Stats.AgentReplies = 1
			r.Stats.Escalations = tc.events
			if tc.actions != nil {
				esc := sla.Escalation{Ladder: "l", Level: "x", Metric: sla.FirstResponse, Cycle: 1, At: t0}
				for _, x := range tc.actions {
					esc.Actions = append(esc.Actions, escalation.Action{Type: escalation.ActionType(x), Target: "t"})
				}
				r.Escalations = []sla.Escalation{esc}
			}
			a := mustNew(t, kpi.Config{})
			a.Add(r)
			rep := a.Report()
			want := 0.0
			if tc.want {
				want = 1
			}
			assert.Equal(t, want, *rep.EscalationRate)
			assert.Equal(t, 1-want, *rep.FCRRate, "an escalated ticket is no first contact resolution")
		})
	}
}

func TestFCR(t *testing.T) {
	tests := []struct {
		name     string
		max      int
		status   sla.Status
		replies  int
		reopens  int
		base, ok bool
	}{
		{name: "one-reply", status: sla.StatusSolved, replies: 1, base: true, ok: true},
		{name: "closed-counts-as-solved", status: sla.StatusClosed, replies: 1, base: true, ok: true},
		{name: "two-replies-default-max", status: sla.StatusSolved, replies: 2, base: true, ok: false},
		{name: "two-replies-max-2", max: 2, status: sla.StatusSolved, replies: 2, base: true, ok: true},
		{name: "reopened", status: sla.StatusSolved, replies: 1, reopens: 1, base: true, ok: false},
		{name: "no-reply", status: sla.StatusSolved, replies: 0},
		{name: "not-solved", status: sla.StatusPending, replies: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := result("T1", tc.status)
			r.Stats.AgentReplies, r.Stats.Reopens = tc.replies, tc.reopens
			a := mustNew(t, kpi.Config{MaxAgentReplies: tc.max})
			a.Add(r)
			rep := a.Report()
			if !tc.base {
				assert.Nil(t, rep.FCRRate)
				return
			}
			want := 0.0
			if tc.ok {
				want = 1
			}
			assert.Equal(t, want, *rep.FCRRate)
		})
	}
}

func TestPercentilesNearestRank(t *testing.T) {
	a := mustNew(t, kpi.Config{})
	// 1..20 minutes, added out of order; one cancelled and one running
	// clock that count nowhere.
	for _, m := range []int{20, 3, 7, 1, 15, 9, 2, 18, 11, 5, 4, 13, 6, 8, 10, 12, 14, 16, 17, 19} {
		st := sla.ClockMet
		if m > 18 {
			st = sla.ClockBreached
		}
		a.Add(result("T", sla.StatusSolved, clock(sla.Resolution, st, time.Duration(m)*time.Minute+999*time.Millisecond)))
	}
	a.Add(result("C", sla.StatusSolved, clock(sla.Resolution, sla.ClockCancelled, 99*time.Hour)))
	a.Add(result("R", sla.StatusOpen, clock(sla.Resolution, sla.ClockRunning, 99*time.Hour)))
	m := a.Report().Metrics[sla.Resolution]
	assert.Equal(t, int64(18), m.Met)
	assert.Equal(t, int64(2), m.Breached)
	assert.Equal(t, 0.9, *m.Compliance)
	assert.Equal(t, 630.0, *m.MeanSeconds, "(60+...+1200)/20, sub-second parts dropped")
	assert.Equal(t, int64(600), *m.P50Seconds, "rank 10")
	assert.Equal(t, int64(1080), *m.P90Seconds, "rank 18")
	assert.Equal(t, int64(1140), *m.P95Seconds, "rank 19")
}

func TestGroups(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	a := mustNew(t, kpi.Config{GroupBy: []string{"fields.order", "customer.tier", "status", "policy"},
		Bucket: kpi.Week, Location: sp})
	r1 := result("T1", sla.StatusSolved)
	r1.Attributes.Fields = map[string]any{"order": 17.0}
	r1.Attributes.Customer.Tier = "vip"
	// Monday 02:00 UTC is still Sunday in São Paulo: ISO week 9.
	r1.Attributes.CreatedAt = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	r2 := result("T2", sla.StatusOpen)
	r2.Attributes.Fields = map[string]any{"order": "A-1", "x": true}
	r2.Policy = ""
	r3 := result("T3", sla.StatusOpen)
	r3.Attributes.Fields = map[string]any{"order": []any{"a", 1.0}}
	for _, r := range []sla.Result{r1, r2, r3} {
		a.Add(r)
	}
	by := a.Report().By
	keys := func(m map[string]kpi.Report) map[string]int64 {
		out := map[string]int64{}
		for k, v := range m {
			out[k] = v.Tickets
		}
		return out
	}
	assert.Equal(t, map[string]int64{"17": 1, "A-1": 1, `["a",1]`: 1}, keys(by["fields.order"]))
	assert.Equal(t, map[string]int64{"vip": 1, kpi.None: 2}, keys(by["customer.tier"]))
	assert.Equal(t, map[string]int64{"solved": 1, "open": 2}, keys(by["status"]))
	assert.Equal(t, map[string]int64{"p": 2, kpi.None: 1}, keys(by["policy"]))
	assert.Equal(t, map[string]int64{"2026-W09": 1, "2026-W10": 2}, keys(by["week"]))
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  kpi.Config
		msg  string
	}{
		{"negative-max", kpi.Config{MaxAgentReplies: -1}, "negative"},
		{"unknown-group", kpi.Config{GroupBy: []string{"mood"}}, `unknown group "mood"`},
		{"empty-field", kpi.Config{GroupBy: []string{"fields."}}, `unknown group "fields."`},
		{"twice", kpi.Config{GroupBy: []string{"team", "team"}}, "named twice"},
		{"bucket-twice", kpi.Config{GroupBy: []string{"day"}, Bucket: kpi.Day}, "unknown group"},
		{"bad-bucket", kpi.Config{Bucket: "year"}, `unknown bucket "year"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.New(tc.cfg)
			require.ErrorIs(t, err, kpi.ErrConfig)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestMergeMismatch(t *testing.T) {
	a := mustNew(t, kpi.Config{GroupBy: []string{"team"}})
	for _, cfg := range []kpi.Config{
		{}, {GroupBy: []string{"team"}, MaxAgentReplies: 2}, {GroupBy: []string{"team"}, Bucket: kpi.Day},
		{GroupBy: []string{"team"}, Location: time.FixedZone("X", 3600)},
	} {
		err := a.Merge(mustNew(t, cfg))
		assert.ErrorIs(t, err, kpi.ErrMismatch, "%+v", cfg)
	}
	ok := mustNew(t, kpi.Config{GroupBy: []string{"team"}, MaxAgentReplies: 1, Goals: []kpi.Goal{kpi.MustParseGoal("backlog", "<= 1")}})
	assert.NoError(t, a.Merge(ok), "goals may differ; 0 and 1 are the same MaxAgentReplies")
}

func TestMergeWithItself(t *testing.T) {
	a := mustNew(t, kpi.Config{GroupBy: []string{"priority"}})
	a.Add(result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, time.Minute)))
	a.Add(result("T2", sla.StatusOpen, clock(sla.FirstResponse, sla.ClockBreached, time.Hour)))
	require.NoError(t, a.Merge(a))
	rep := a.Report()
	assert.Equal(t, int64(4), rep.Tickets)
	assert.Equal(t, int64(2), rep.Metrics[sla.FirstResponse].Met)
	assert.Equal(t, int64(60), *rep.Metrics[sla.FirstResponse].P50Seconds)
	assert.Equal(t, int64(4), rep.By["priority"]["normal"].Tickets)
}

// TestMergeNil: merging a nil accumulator adds nothing and does not
// panic.
func TestMergeNil(t *testing.T) {
	a := mustNew(t, kpi.Config{GroupBy: []string{"priority"}})
	a.Add(result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, time.Minute)))
	before := mustJSON(t, a.Report())
	require.NoError(t, a.Merge(nil))
	assert.Equal(t, before, mustJSON(t, a.Report()))
}

func TestReportTwiceAndAddAfter(t *testing.T) {
	a := mustNew(t, kpi.Config{})
	a.Add(result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, 3*time.Minute)))
	a.Add(result("T2", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, time.Minute)))
	first := mustJSON(t, a.Report())
	assert.Equal(t, first, mustJSON(t, a.Report()))
	a.Add(result("T3", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, 2*time.Minute)))
	assert.Equal(t, int64(120), *a.Report().Metrics[sla.FirstResponse].P50Seconds)
}

func TestFigure(t *testing.T) {
	r := fixtureReport(t)
	for _, name := range kpi.GoalNames() {
		v, ok := r.Figure(name)
		if ok {
			assert.False(t, v != v, "%s is NaN", name)
		}
	}
	_, ok := r.Figure("nope")
	assert.False(t, ok)
	v, ok := r.Figure("resolution_p95")
	assert.True(t, ok)
	assert.Equal(t, 21600.0, v)
	_, ok = r.Figure("next_response_mean")
	assert.False(t, ok, "no such clock")
}

func TestZeroAccumulator(t *testing.T) {
	var a kpi.Accumulator
	r := result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, time.Minute))
	r.Stats.AgentReplies = 1
	a.Add(r)
	rep := a.Report()
	assert.Equal(t, int64(1), rep.Tickets)
	assert.Equal(t, 1.0, *rep.FCRRate, "MaxAgentReplies defaults to 1")
	assert.Nil(t, rep.By)
	b := mustNew(t, kpi.Config{})
	b.Add(r)
	require.NoError(t, a.Merge(b))
	require.NoError(t, b.Merge(&a))
	assert.Equal(t, int64(2), a.Report().Tickets)
	assert.Equal(t, 1, a.Config().MaxAgentReplies)
	assert.Equal(t, time.UTC, a.Config().Location)
}

// TestEscalatedByLevelInReplay runs a ladder through the engine: a level
// that fired with an assign action makes the ticket escalated.
func TestEscalatedByLevelInReplay(t *testing.T) {
	// A one-level ladder: at half of a first response target the ticket is
	// assigned to tier2.
	half, err := escalation.New("std", []escalation.Level{{Name: "half", Metric: "first_response",
		At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, Actions: []escalation.Action{{Type: escalation.Assign, Target: "tier2"}}}})
	require.NoError(t, err)
	eng, err := sla.NewEngine(sla.Config{Ladders: map[string]*escalation.Ladder{"std": half}, Policies: []sla.Policy{{Name: "p", Escalation: "std",
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: time.Hour}}}}})
	require.NoError(t, err)
	evs := []sla.Event{
		{TicketID: "fast", At: t0, Type: sla.EventCreated},
		{TicketID: "slow", At: t0, Type: sla.EventCreated},
		{TicketID: "fast", At: t0.Add(10 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
		{TicketID: "fast", At: t0.Add(20 * time.Minute), Type: sla.EventStatus, Status: sla.StatusSolved},
		{TicketID: "slow", At: t0.Add(45 * time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent},
		{TicketID: "slow", At: t0.Add(50 * time.Minute), Type: sla.EventStatus, Status: sla.StatusSolved},
	}
	a := mustNew(t, kpi.Config{})
	for _, r := range replay(t, eng, evs, t0.Add(time.Hour)) {
		a.Add(r)
	}
	rep := a.Report()
	assert.Equal(t, 0.5, *rep.EscalationRate, "slow passed 30m before its reply")
	assert.Equal(t, 0.5, *rep.FCRRate, "fast only")
	assert.Equal(t, int64(2), rep.Metrics[sla.FirstResponse].Met)
}

func TestDimensionError(t *testing.T) {
	for _, name := range []string{"mood", "fields.", "customer"} {
		err := kpi.CheckDimension(name)
		var de *kpi.DimensionError
		require.ErrorAs(t, err, &de, "CheckDimension(%q)", name)
		assert.Equal(t, name, de.Name)
		assert.Contains(t, de.Msg, "fields.NAME")
		assert.ErrorIs(t, err, kpi.ErrConfig)
	}
	for _, name := range []string{"channel", "fields.region", "customer.tier"} {
		assert.NoError(t, kpi.CheckDimension(name), "CheckDimension(%q)", name)
	}
}
