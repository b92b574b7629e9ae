package kpi_test

import (
	"iter"
	"testing"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compareEngine is a 24x7 email policy with first response and resolution
// targets for urgent and normal tickets.
func compareEngine(t *testing.T, urgentFR, urgentRes, normalFR, normalRes time.Duration) *sla.Engine {
	t.Helper()
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "email",
		Targets: map[string]map[sla.Metric]time.Duration{
			"urgent": {sla.FirstResponse: urgentFR, sla.Resolution: urgentRes},
			"normal": {sla.FirstResponse: normalFR, sla.Resolution: normalRes},
		}}}})
	require.NoError(t, err)
	return eng
}

// eventsOf gives Compare the events of evs, anew at each call.
func eventsOf(evs []sla.Event) func() iter.Seq2[sla.Event, error] {
	return func() iter.Seq2[sla.Event, error] {
		return func(yield func(sla.Event, error) bool) {
			for _, ev := range evs {
				if !yield(ev, nil) {
					return
				}
			}
		}
	}
}

// twoPriorities is a 24x7 email policy of an engine that knows the
// priorities urgent and normal only: it refuses low, which the default
// priorities have.
func twoPriorities(t *testing.T) *sla.Engine {
	t.Helper()
	eng, err := sla.NewEngine(sla.Config{Priorities: []string{"urgent", "normal"},
		Policies: []sla.Policy{{Name: "email", Targets: map[string]map[sla.Metric]time.Duration{
			"urgent": {sla.FirstResponse: time.Hour}, "normal": {sla.FirstResponse: time.Hour},
		}}}})
	require.NoError(t, err)
	return eng
}

// TestCompareFixture checks Compare against testdata/compare/events.jsonl,
// computed by hand. Ten tickets created 2026-03-02 09:00 UTC (T10 at
// 13:00), replayed up to the last event (18:00):
//
//	ticket  priority  first response  resolution
//	T1      urgent    10m             1h30m
//	T2      urgent    20m             3h
//	T3      urgent    40m             5h
//	T4      normal    10m             2h
//	T5      normal    45m             6h
//	T6      normal    1h10m           9h
//	T7      normal    25m             3h
//	T8      normal    50m             3h30m
//	T9      normal    20m             7h
//	T10     normal    35m             open, 5h so far
//
// A: urgent 15m/2h, normal 1h/8h. First response: met T1 T4 T5 T7 T8 T9
// T10, breached T2 T3 T6: 70%. Resolution: met T1 T4 T5 T7 T8 T9,
// breached T2 T3 T6, T10 running within target: 6/9.
//
// B: 30m/4h for both. First response: met T1 T2 T4 T7 T9, breached T3 T5
// T6 T8 T10: 50%. Resolution: met T1 T2 T4 T7 T8, breached T3 T5 T6 T9
// and T10 (running past 4h): 50%.
//
// Flips: T2 breached to met on both metrics; first response met to
// breached for T5, T8, T10; resolution met to breached for T5 and T9 (T10
// was undecided under A: no flip).
func TestCompareFixture(t *testing.T) {
	evs := readEvents(t, "testdata/compare/events.jsonl")
	events := eventsOf(evs)
	a := kpi.Side{Name: "A", Engine: compareEngine(t, 15*time.Minute, 2*time.Hour, time.Hour, 8*time.Hour)}
	b := kpi.Side{Name: "B", Engine: compareEngine(t, 30*time.Minute, 4*time.Hour, 30*time.Minute, 4*time.Hour)}
	c, err := kpi.Compare(a, b, events, time.Time{})
	require.NoError(t, err)

	compliance := func(r kpi.Report, m sla.Metric) float64 {
		t.Helper()
		require.NotNil(t, r.Metrics[m].Compliance, "%s compliance", m)
		return *r.Metrics[m].Compliance
	}
	assert.InDelta(t, 0.7, compliance(c.ReportA, sla.FirstResponse), 1e-12)
	assert.InDelta(t, 6.0/9, compliance(c.ReportA, sla.Resolution), 1e-12)
	assert.InDelta(t, 0.5, compliance(c.ReportB, sla.FirstResponse), 1e-12)
	assert.InDelta(t, 0.5, compliance(c.ReportB, sla.Resolution), 1e-12)

	m2b, b2m := kpi.Breached, kpi.Met
	want := []kpi.Change{
		{Ticket: "T2", Metric: sla.FirstResponse, From: kpi.Breached, To: b2m},
		{Ticket: "T2", Metric: sla.Resolution, From: kpi.Breached, To: b2m},
		{Ticket: "T5", Metric: sla.FirstResponse, From: kpi.Met, To: m2b},
		{Ticket: "T5", Metric: sla.Resolution, From: kpi.Met, To: m2b},
		{Ticket: "T8", Metric: sla.FirstResponse, From: kpi.Met, To: m2b},
		{Ticket: "T9", Metric: sla.Resolution, From: kpi.Met, To: m2b},
		{Ticket: "T10", Metric: sla.FirstResponse, From: kpi.Met, To: m2b},
	}
	assert.Equal(t, want, c.Changes)
	assert.Equal(t, map[sla.Metric]kpi.Flips{
		sla.FirstResponse: {MetToBreached: 3, BreachedToMet: 1},
		sla.Resolution:    {MetToBreached: 2, BreachedToMet: 1},
	}, c.Flips)

	fig := map[string]kpi.FigureDiff{}
	for _, f := range c.Figures {
		fig[f.KPI] = f
	}
	require.Contains(t, fig, "first_response_compliance")
	d := fig["first_response_compliance"]
	assert.InDelta(t, -0.2, *d.Delta, 1e-12)
	assert.InDelta(t, 10, *fig["tickets"].A, 0)
	assert.NotContains(t, fig, "csat_mean", "undefined on both sides")
	assert.Equal(t, "tickets", c.Figures[0].KPI)

	// The same policy on both sides changes nothing.
	same, err := kpi.Compare(a, a, events, time.Time{})
	require.NoError(t, err)
	assert.Empty(t, same.Changes)
	for _, f := range same.Figures {
		if f.Delta != nil {
			assert.Zero(t, *f.Delta, f.KPI)
		}
	}

	_, err = kpi.Compare(a, kpi.Side{}, events, time.Time{})
	require.ErrorIs(t, err, kpi.ErrConfig)
}

// TestCompareTicketsWithErrors counts the tickets with an event that
// could not be applied on either side, once each: T1's change to a
// priority only side B defines is refused under A alone, T2's unknown
// status under both, T3 has none.
func TestCompareTicketsWithErrors(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	evs := []sla.Event{
		{TicketID: "T1", At: at, Type: sla.EventCreated, Channel: "email", Priority: "normal"},
		{TicketID: "T2", At: at, Type: sla.EventCreated, Channel: "email", Priority: "normal"},
		{TicketID: "T3", At: at, Type: sla.EventCreated, Channel: "email", Priority: "urgent"},
		{TicketID: "T1", At: at.Add(time.Minute), Type: sla.EventPriority, Priority: "low"},
		{TicketID: "T2", At: at.Add(time.Minute), Type: sla.EventStatus, Status: "nonsense"},
		{TicketID: "T3", At: at.Add(time.Minute), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "hi"},
	}
	events := eventsOf(evs)
	// A knows urgent and normal only; B the default four.
	a := kpi.Side{Name: "A", Engine: twoPriorities(t)}
	b := kpi.Side{Name: "B", Engine: compareEngine(t, 15*time.Minute, 2*time.Hour, time.Hour, 8*time.Hour)}

	c, err := kpi.Compare(a, b, events, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 2, c.TicketsWithErrors)
	assert.Empty(t, c.Problems)

	c, err = kpi.Compare(b, a, events, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 2, c.TicketsWithErrors, "T1 refused on side B alone")

	c, err = kpi.Compare(b, b, events, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 1, c.TicketsWithErrors, "under B, T2 alone")
}

// TestCompareProblemsOfEitherSide checks that a problem apart that only
// side B meets (its policy refuses a created event for a priority it does
// not define, making the ticket's later event one of an unknown ticket)
// is kept, after side A's, and that a problem both sides meet is kept
// once.
func TestCompareProblemsOfEitherSide(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	evs := []sla.Event{
		{TicketID: "T1", At: at, Type: sla.EventCreated, Channel: "email", Priority: "low"},
		{TicketID: "T2", At: at, Type: sla.EventCreated, Channel: "email", Priority: "normal"},
		{TicketID: "T1", At: at.Add(time.Minute), Type: sla.EventNote, Text: "x"},
		{TicketID: "T9", At: at.Add(time.Minute), Type: sla.EventNote, Text: "y"},
	}
	events := eventsOf(evs)
	all := kpi.Side{Name: "all", Engine: compareEngine(t, time.Hour, 8*time.Hour, time.Hour, 8*time.Hour)}
	two := kpi.Side{Name: "two", Engine: twoPriorities(t)}

	tickets := func(errs []error) []string {
		var out []string
		for _, err := range errs {
			var ee *sla.EventError
			require.ErrorAs(t, err, &ee)
			out = append(out, ee.Ticket)
		}
		return out
	}
	c, err := kpi.Compare(all, two, events, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{"T9", "T1", "T1"}, tickets(c.Problems),
		"T9 unknown on both sides, once; T1's created refused and its note of an unknown ticket, on side B alone")
	c, err = kpi.Compare(two, all, events, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{"T1", "T1", "T9"}, tickets(c.Problems))
}

func TestVerdicts(t *testing.T) {
	r := result("T", sla.StatusOpen,
		clock(sla.NextResponse, sla.ClockMet, time.Minute), clock(sla.NextResponse, sla.ClockBreached, 2*time.Hour),
		clock(sla.NextResponse, sla.ClockMet, time.Minute), clock(sla.FirstResponse, sla.ClockMet, time.Minute),
		clock(sla.Resolution, sla.ClockRunning, time.Minute), clock(sla.PeriodicUpdate, sla.ClockCancelled, 0))
	assert.Equal(t, []kpi.MetricVerdict{{sla.NextResponse, kpi.Breached}, {sla.FirstResponse, kpi.Met},
		{sla.Resolution, kpi.Undecided}, {sla.PeriodicUpdate, kpi.Undecided}}, kpi.Verdicts(&r))
}
