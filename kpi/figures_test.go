package kpi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNaturalCompare(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"numbers by value", []string{"Group 10", "Group 2", "Group 1"}, []string{"Group 1", "Group 2", "Group 10"}},
		{"none last", []string{kpi.None, "b", "a"}, []string{"a", "b", kpi.None}},
		{"leading zeros tie break", []string{"P010", "P10", "P9"}, []string{"P9", "P10", "P010"}},
		{"text before longer text", []string{"ab", "a", "a1"}, []string{"a", "a1", "ab"}},
		{"dates stay in order", []string{"2026-W10", "2026-W09", "2025-W52"}, []string{"2025-W52", "2026-W09", "2026-W10"}},
		{"big numbers", []string{"x99999999999999999999", "x100000000000000000000"}, []string{"x99999999999999999999", "x100000000000000000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			slices.SortFunc(got, kpi.NaturalCompare)
			assert.Equal(t, tt.want, got)
			for i, a := range tt.want {
				assert.Zero(t, kpi.NaturalCompare(a, a), "NaturalCompare(%q, %q)", a, a)
				for _, b := range tt.want[i+1:] {
					assert.Equal(t, -1, kpi.NaturalCompare(a, b), "NaturalCompare(%q, %q)", a, b)
					assert.Equal(t, 1, kpi.NaturalCompare(b, a), "NaturalCompare(%q, %q)", b, a)
				}
			}
		})
	}
	groups := map[string]kpi.Report{"Group 10": {}, "Group 2": {}, kpi.None: {}}
	assert.Equal(t, []string{"Group 2", "Group 10", kpi.None}, kpi.GroupKeys(groups))
}

func TestMonthBucketAndGoalsBy(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	a := mustNew(t, kpi.Config{Bucket: kpi.Month, Location: ny, GoalsBy: map[string]map[string][]kpi.Goal{
		"channel": {"whatsapp": {kpi.MustParseGoal("first_response_p90", "<= 30m")}}}})
	r1 := result("T1", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockMet, 20*time.Minute))
	r1.Attributes.Channel = "whatsapp"
	// 1 April 02:00 UTC is still 31 March in New York.
	r1.Attributes.CreatedAt = time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)
	r2 := result("T2", sla.StatusSolved, clock(sla.FirstResponse, sla.ClockBreached, 2*time.Hour))
	r2.Attributes.Channel = "email"
	r2.Attributes.CreatedAt = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	a.Add(r1)
	a.Add(r2)
	rep := a.Report()
	assert.Equal(t, []string{"2026-03", "2026-04"}, kpi.GroupKeys(rep.By["month"]))
	assert.Equal(t, []string{"channel"}, a.Config().GroupBy, "a goals_by dimension is grouped by")
	wa := rep.By["channel"]["whatsapp"]
	require.Len(t, wa.Goals, 1)
	assert.Equal(t, "first_response_p90", wa.Goals[0].KPI)
	require.NotNil(t, wa.Goals[0].Met)
	assert.True(t, *wa.Goals[0].Met)
	assert.Empty(t, rep.By["channel"]["email"].Goals, "no goals for email")

	_, err = kpi.New(kpi.Config{GoalsBy: map[string]map[string][]kpi.Goal{"planet": {}}})
	require.ErrorIs(t, err, kpi.ErrConfig)
	assert.Contains(t, err.Error(), `goals by: kpi: invalid config: unknown group "planet"`)
}

func TestReassignment(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	h := func(from, to string) sla.Handoff {
		at = at.Add(time.Hour)
		return sla.Handoff{At: at, From: from, To: to}
	}
	tests := []struct {
		name     string
		changes  []sla.Handoff
		team     string // the team at the end
		teamed   int64
		handoffs int64
	}{
		{name: "never a team"},
		{name: "one team from creation", team: "billing", teamed: 1},
		{name: "unassigned then a team is no hand-off", changes: []sla.Handoff{h("", "billing")}, team: "billing", teamed: 1},
		{name: "two hand-offs", changes: []sla.Handoff{h("desk", "billing"), h("billing", "specialists")},
			team: "specialists", teamed: 1, handoffs: 2},
		{name: "back to the first team counts", changes: []sla.Handoff{h("desk", "billing"), h("billing", "desk")},
			team: "desk", teamed: 1, handoffs: 2},
		{name: "no team between two teams is one hand-off", changes: []sla.Handoff{h("desk", ""), h("", "billing")},
			team: "billing", teamed: 1, handoffs: 1},
		{name: "no team then the same team is none", changes: []sla.Handoff{h("desk", ""), h("", "desk")},
			team: "desk", teamed: 1},
		{name: "a team then none", changes: []sla.Handoff{h("desk", "")}, teamed: 1},
	}
	all := mustNew(t, kpi.Config{})
	var teamed, reassigned, handoffs int64
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := result("T", sla.StatusOpen)
			r.Handoffs, r.Attributes.Team = tc.changes, tc.team
			a := mustNew(t, kpi.Config{})
			a.Add(r)
			all.Add(r)
			got := a.Report().Reassignment
			assert.Equal(t, tc.teamed, got.Tickets)
			assert.Equal(t, kpi.Reassignment{Tickets: tc.teamed, Reassigned: min(tc.handoffs, 1),
				Rate: got.Rate, MeanHandoffs: got.MeanHandoffs}, got)
			if tc.teamed > 0 {
				require.NotNil(t, got.MeanHandoffs)
				assert.InDelta(t, float64(tc.handoffs), *got.MeanHandoffs, 0)
			} else {
				assert.Nil(t, got.Rate)
			}
			teamed += tc.teamed
			reassigned += min(tc.handoffs, 1)
			handoffs += tc.handoffs
		})
	}
	got := all.Report().Reassignment
	assert.Equal(t, teamed, got.Tickets)
	assert.Equal(t, reassigned, got.Reassigned)
	assert.InDelta(t, float64(reassigned)/float64(teamed), *got.Rate, 1e-12)
	assert.InDelta(t, float64(handoffs)/float64(teamed), *got.MeanHandoffs, 1e-12)
}

func TestTimeInStatus(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	cal, err := calendar.New(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"2026-04-03"}})
	require.NoError(t, err)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, berlin) }
	// Policy p counts 24x7 unless it chose the calendar berlin for the
	// ticket: time in status follows the ticket's calendar, not the
	// policy's.
	a := mustNew(t, kpi.Config{Calendar: func(p, name string) *calendar.Calendar {
		if p == "p" && name == "berlin" {
			return cal
		}
		return nil
	}, GroupBy: []string{"calendar"}})
	events := []sla.Event{
		// T1, policy p, calendar berlin: Friday before the change to summer
		// time, pending over the weekend, reopened by the customer on Monday.
		{TicketID: "T1", At: at(27, 16, 0), Type: sla.EventCreated},
		{TicketID: "T1", At: at(27, 16, 30), Type: sla.EventStatus, Status: sla.StatusPending},
		{TicketID: "T1", At: at(28, 12, 0), Type: sla.EventMessage, Author: sla.AuthorAgent}, // no change
		{TicketID: "T1", At: at(30, 10, 0), Type: sla.EventMessage},                          // customer: open
		{TicketID: "T1", At: at(30, 11, 0), Type: sla.EventStatus, Status: sla.StatusSolved},
		{TicketID: "T1", At: at(30, 12, 0), Type: sla.EventStatus, Status: sla.StatusClosed},
		{TicketID: "T1", At: at(30, 13, 0), Type: sla.EventStatus, Status: sla.StatusOpen}, // after close: ignored
		// T2, policy p, no calendar chosen (24x7): open, then on hold until the end.
		{TicketID: "T2", At: at(30, 9, 0), Type: sla.EventCreated, Status: sla.StatusOpen},
		{TicketID: "T2", At: at(30, 9, 30), Type: sla.EventStatus, Status: sla.StatusOnHold},
		{TicketID: "T2", At: at(30, 9, 20), Type: sla.EventStatus, Status: sla.StatusOpen}, // out of order: ignored
		{TicketID: "T3", At: at(30, 14, 0), Type: sla.EventStatus, Status: sla.StatusOpen}, // never created
	}
	seq := func(yield func(sla.Event, error) bool) {
		for _, ev := range events {
			if !yield(ev, nil) {
				return
			}
		}
	}
	n := 0
	for range a.Observing(seq) {
		n++
	}
	require.Equal(t, len(events), n)
	r1 := result("T1", sla.StatusClosed)
	r1.Policy, r1.Calendar = "p", "berlin"
	r2 := result("T2", sla.StatusOnHold)
	r2.Policy = "p"
	a.Add(r1)
	a.Add(r2)
	rep := a.Report()
	i := func(v int64) *int64 { return &v }
	f := func(v float64) *float64 { return &v }
	want := map[sla.Status]kpi.StatusTime{
		sla.StatusNew: {Tickets: 1, Wall: kpi.TimeStats{MeanSeconds: f(1800), P50Seconds: i(1800), P90Seconds: i(1800)},
			Business: kpi.TimeStats{MeanSeconds: f(1800), P50Seconds: i(1800), P90Seconds: i(1800)}},
		// Friday 16:30 CET to Monday 10:00 CEST is 64h30m; business: 30m on
		// Friday, 1h on Monday.
		sla.StatusPending: {Tickets: 1, Wall: kpi.TimeStats{MeanSeconds: f(232200), P50Seconds: i(232200), P90Seconds: i(232200)},
			Business: kpi.TimeStats{MeanSeconds: f(5400), P50Seconds: i(5400), P90Seconds: i(5400)}},
		// T1 1h, T2 30m (24x7).
		sla.StatusOpen: {Tickets: 2, Wall: kpi.TimeStats{MeanSeconds: f(2700), P50Seconds: i(1800), P90Seconds: i(3600)},
			Business: kpi.TimeStats{MeanSeconds: f(2700), P50Seconds: i(1800), P90Seconds: i(3600)}},
		// T2 on hold from 09:30 to the latest event observed (14:00).
		sla.StatusOnHold: {Tickets: 1, Wall: kpi.TimeStats{MeanSeconds: f(16200), P50Seconds: i(16200), P90Seconds: i(16200)},
			Business: kpi.TimeStats{MeanSeconds: f(16200), P50Seconds: i(16200), P90Seconds: i(16200)}},
	}
	assert.Equal(t, want, rep.TimeInStatus)
	assert.Len(t, rep.By["calendar"]["berlin"].TimeInStatus, 3, "new, pending, open")
	assert.Len(t, rep.By["calendar"][kpi.None].TimeInStatus, 2, "open, on_hold")

	// An explicit At ends the open stays there.
	b := mustNew(t, kpi.Config{At: at(30, 10, 0)})
	for range b.Observing(seq) {
	}
	b.Add(r2)
	got := b.Report().TimeInStatus[sla.StatusOnHold]
	require.NotNil(t, got.Wall.P50Seconds)
	assert.Equal(t, int64(1800), *got.Wall.P50Seconds)
}

func TestTargetShareBreachHoursWorst(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	a := mustNew(t, kpi.Config{Location: sp, Worst: 2})
	breach := func(id string, over time.Duration, at time.Time) sla.Result {
		c := clock(sla.Resolution, sla.ClockBreached, time.Hour+over)
		c.BreachedAt = at
		return result(id, sla.StatusOpen, c, clock(sla.FirstResponse, sla.ClockMet, 10*time.Minute))
	}
	// Monday 2 March 2026 00:30 UTC is Sunday 21:30 in São Paulo.
	a.Add(breach("T1", 30*time.Minute, time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC)))
	a.Add(breach("T2", 3*time.Hour, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)))
	a.Add(breach("T10", 3*time.Hour, time.Date(2026, 3, 3, 12, 5, 0, 0, time.UTC)))
	a.Add(result("T4", sla.StatusSolved, clock(sla.Resolution, sla.ClockMet, time.Hour)))
	rep := a.Report()
	assert.Equal(t, []int64{0, 0, 0, 1, 1, 0, 2}, rep.Metrics[sla.Resolution].TargetShare,
		"met at 100%, breached at 150% and at 400% (twice)")
	assert.Equal(t, []int64{3, 0, 0, 0, 0, 0, 0}, rep.Metrics[sla.FirstResponse].TargetShare)
	require.Len(t, rep.BreachesByHour, 168)
	assert.Equal(t, int64(1), rep.BreachesByHour[6*24+21], "Sunday 21h")
	assert.Equal(t, int64(2), rep.BreachesByHour[1*24+9], "Tuesday 09h")
	var sum int64
	for _, n := range rep.BreachesByHour {
		sum += n
	}
	assert.Equal(t, int64(3), sum)
	require.Len(t, rep.Worst, 2)
	assert.Equal(t, "T2", rep.Worst[0].Ticket, "ties in natural order")
	assert.Equal(t, "T10", rep.Worst[1].Ticket)
	assert.Equal(t, int64(3*3600), rep.Worst[0].OverrunSeconds)
	assert.Len(t, rep.Worst[0].Clocks, 2)

	// Merging keeps the worst of both.
	b := mustNew(t, kpi.Config{Location: sp, Worst: 2})
	b.Add(breach("T9", 5*time.Hour, time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)))
	require.NoError(t, b.Merge(a))
	m := b.Report()
	assert.Equal(t, []string{"T9", "T2"}, []string{m.Worst[0].Ticket, m.Worst[1].Ticket})
	assert.Equal(t, int64(4), m.BreachesByHour[1*24+9]+m.BreachesByHour[2*24+9]+m.BreachesByHour[6*24+21])
}

func TestHourOfWeek(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), 0},        // Monday
		{time.Date(2026, 3, 29, 3, 0, 0, 0, berlin), 6*24 + 3}, // Sunday, after the change to summer time
		{time.Date(2026, 3, 29, 23, 59, 0, 0, berlin), 167},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, kpi.HourOfWeek(tt.at), "HourOfWeek(%s)", tt.at)
	}
}

func TestShareQuartersMatchBounds(t *testing.T) {
	// The bins of TargetShare: a cycle exactly at a bound falls in that
	// bound's bin, a millisecond more in the next.
	for k, b := range kpi.ShareBounds {
		target := 4 * time.Hour
		at := time.Duration(b * float64(target))
		a := mustNew(t, kpi.Config{})
		a.Add(result("T1", sla.StatusOpen, sla.Clock{Metric: sla.Resolution, Cycle: 1, State: sla.ClockMet, Elapsed: at, Target: target}))
		a.Add(result("T2", sla.StatusOpen, sla.Clock{Metric: sla.Resolution, Cycle: 1, State: sla.ClockMet, Elapsed: at + time.Millisecond, Target: target}))
		share := a.Report().Metrics[sla.Resolution].TargetShare
		require.Len(t, share, len(kpi.ShareBounds)+1)
		assert.Equal(t, int64(1), share[k], "bound %v", b)
		assert.Equal(t, int64(1), share[k+1], "just over bound %v", b)
	}
}

func TestGroupByCalendar(t *testing.T) {
	a := mustNew(t, kpi.Config{GroupBy: []string{"calendar"}})
	for i, cal := range []string{"sp-support", "berlin", "sp-support", ""} {
		r := result(fmt.Sprint("T", i), sla.StatusOpen, clock(sla.FirstResponse, sla.ClockMet, time.Minute))
		r.Calendar = cal
		a.Add(r)
	}
	by := a.Report().By["calendar"]
	require.Len(t, by, 3)
	assert.EqualValues(t, 2, by["sp-support"].Tickets)
	assert.EqualValues(t, 1, by["berlin"].Tickets)
	assert.EqualValues(t, 1, by[kpi.None].Tickets, "a policy without a named calendar")
}

func TestOLACompliance(t *testing.T) {
	ola := func(team string, m sla.Metric, st sla.ClockState) sla.OLAClock {
		return sla.OLAClock{OLA: team + "-ola", Team: team, Clock: sla.Clock{Metric: m, Cycle: 1, State: st}}
	}
	a := mustNew(t, kpi.Config{GroupBy: []string{"channel"}})
	r := result("T1", sla.StatusOpen)
	r.OLAs = []sla.OLAClock{ola("billing", sla.OLATimeToOwn, sla.ClockMet), ola("billing", sla.OLATimeToResolve, sla.ClockBreached),
		ola("billing", sla.OLATimeToOwn, sla.ClockCancelled), ola("tier2", sla.OLATimeToResolve, sla.ClockRunning)}
	a.Add(r)
	r = result("T2", sla.StatusOpen)
	r.OLAs = []sla.OLAClock{ola("billing", sla.OLATimeToOwn, sla.ClockBreached), ola("billing", sla.OLATimeToOwn, sla.ClockMet)}
	a.Add(r)
	b := mustNew(t, kpi.Config{GroupBy: []string{"channel"}})
	b.Add(result("T3", sla.StatusOpen))
	require.NoError(t, a.Merge(b))
	rep := a.Report()
	own := rep.OLACompliance["billing"][sla.OLATimeToOwn]
	assert.Equal(t, int64(2), own.Met)
	assert.Equal(t, int64(1), own.Breached)
	require.NotNil(t, own.Rate)
	assert.InDelta(t, 2.0/3, *own.Rate, 1e-12)
	res := rep.OLACompliance["billing"][sla.OLATimeToResolve]
	assert.Equal(t, kpi.OLACompliance{Breached: 1, Rate: res.Rate}, res)
	assert.InDelta(t, 0, *res.Rate, 0)
	assert.NotContains(t, rep.OLACompliance, "tier2", "a running cycle is not decided")
	b2, err := json.Marshal(b.Report())
	require.NoError(t, err)
	assert.NotContains(t, string(b2), "ola_compliance", "omitted without OLA clocks")
}
