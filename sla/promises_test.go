package sla_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// A policy that starts to apply late measures its custom metric from the
// metric's real start, as it does built-in metrics (GLPI: time to own
// counts from creation when the SLA is attached later).
func TestLateCustomMetricCountsFromItsStart(t *testing.T) {
	own := sla.CustomMetric{Name: "time_to_own",
		Start: func(_ *sla.Ticket, ev *sla.Event) (bool, error) { return ev.Type == sla.EventCreated, nil },
		Stop: func(tk *sla.Ticket, ev *sla.Event) (bool, error) {
			return ev.Type == sla.EventAssign && tk.Agent != "", nil
		}}
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{
		{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil }, Calendar: allDay(t, "Europe/Berlin"),
			Targets: targets{"normal": {"time_to_own": 30 * time.Minute, res: 8 * time.Hour}}, Metrics: []sla.CustomMetric{own}},
		{Name: "standard", Calendar: allDay(t, "Europe/Berlin"), Targets: targets{"normal": {res: 24 * time.Hour}}},
	}})
	tests := []struct {
		name   string
		events []string
		want   []string
		reason string
	}{
		{"tag an hour later", []string{
			ev("2026-03-02T09:00:00+01:00", "created"),
			ev("2026-03-02T10:00:00+01:00", "update", `"tags":["vip"]`),
			ev("2026-03-02T10:10:00+01:00", "assign", `"agent":"ana"`),
		}, []string{"resolution#1 running start=2026-03-02T09:00:00+01:00", "time_to_own#1 breached start=2026-03-02T09:00:00+01:00"},
			"30m from 09:00 ran out before the tag: breached at the change"},
		{"tag in time", []string{
			ev("2026-03-02T09:00:00+01:00", "created"),
			ev("2026-03-02T09:10:00+01:00", "update", `"tags":["vip"]`),
			ev("2026-03-02T09:20:00+01:00", "assign", `"agent":"ana"`),
		}, []string{"resolution#1 running start=2026-03-02T09:00:00+01:00", "time_to_own#1 met start=2026-03-02T09:00:00+01:00"},
			"20 minutes from creation to the agent"},
		{"never vip", []string{
			ev("2026-03-02T09:00:00+01:00", "created"),
			ev("2026-03-02T09:20:00+01:00", "assign", `"agent":"ana"`),
		}, []string{"resolution#1 running start=2026-03-02T09:00:00+01:00"},
			"tracked but without a target under the standard policy: not reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, errs := applyAll(t, e, events(t, tt.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, "2026-03-02T11:00:00+01:00"))
			var got []string
			for _, c := range v.Clocks {
				got = append(got, clockStart(c))
			}
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func clockStart(c sla.Clock) string {
	return string(c.Metric) + "#" + string(rune('0'+c.Cycle)) + " " + string(c.State) + " start=" + rfc(c.Start)
}

// A state whose policy the engine no longer has chooses again at its next
// event, whatever the event: a status or priority that changes nothing
// too, not only a note.
func TestUnknownPolicyChoosesAgain(t *testing.T) {
	old := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "old", Targets: targets{"normal": {res: time.Hour}}}}})
	now := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "new", Targets: targets{"normal": {res: 2 * time.Hour}}}}})
	for _, next := range []string{
		ev("2026-03-02T09:30:00Z", "status", `"status":"new"`),
		ev("2026-03-02T09:30:00Z", "priority", `"priority":"normal"`),
		ev("2026-03-02T09:30:00Z", "note"),
	} {
		st, err := old.Apply(sla.State{}, events(t, ev("2026-03-02T09:00:00Z", "created", `"priority":"normal"`))[0])
		require.NoError(t, err)
		require.Equal(t, "old", st.Policy())
		st, err = now.Apply(st, events(t, next)[0])
		require.NoError(t, err)
		assert.Equal(t, "new", st.Policy(), "after %s", next)
	}
}

// Channel names are matched without regard to case (Unicode folding, in
// which a long s is an s): "WhatsApp" tickets get a window, "whatsap" ones
// do not.
func TestWhatsAppChannelAnyCase(t *testing.T) {
	e := waEngine(t)
	for _, ch := range []string{"whatsap", "whatsappp", "whatsapp ", "whatſſapp", "email", ""} {
		st, errs := applyAll(t, e, events(t, ev("2026-03-06T17:00:00-03:00", "created", `"channel":"`+ch+`"`)))
		require.Empty(t, errs)
		assert.Nil(t, e.Evaluate(st, mustTime(t, "2026-03-06T17:30:00-03:00")).WhatsApp, "channel %q", ch)
	}
	for _, ch := range []string{"whatsapp", "WhatsApp", "WHATSAPP", "whatſapp", "WHATſAPP"} {
		st, errs := applyAll(t, e, events(t, ev("2026-03-06T17:00:00-03:00", "created", `"channel":"`+ch+`"`)))
		require.Empty(t, errs)
		v := e.Evaluate(st, mustTime(t, "2026-03-06T17:30:00-03:00"))
		require.NotNil(t, v.WhatsApp, "channel %q", ch)
		assert.Equal(t, "2026-03-07T17:00:00-03:00", rfc(v.WhatsApp.Verdict.ClosesAt), "channel %q", ch)
	}
}

// Pausing and resuming a cycle whose deadline has passed keeps that
// deadline; one that has not has none while paused and a new one from the
// resumption.
func TestTogglesKeepDeadlines(t *testing.T) {
	e := growEngine(t)
	lines := []string{ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`)}
	for i, at := range []string{"09:00", "10:00", "17:30", "17:40", "17:50"} {
		s := "pending"
		if i%2 == 1 {
			s = "open"
		}
		lines = append(lines, ev("2026-03-02T"+at+":00-03:00", "status", `"status":"`+s+`"`))
	}
	tests := []struct {
		n        int // events applied
		at       string
		deadline string
	}{
		// Paused at 09:00 after 1h of the 8h target: the deadline is the one
		// it would have if it resumed at the view's instant.
		{2, "2026-03-02T09:30:00-03:00", "2026-03-02T17:30:00-03:00"},
		{3, "2026-03-02T10:00:00-03:00", "2026-03-02T18:00:00-03:00"}, // resumed at 10:00 with 7h left
		{4, "2026-03-02T17:30:00-03:00", "2026-03-02T18:00:00-03:00"}, // paused at 17:30 with 30m left
		{6, "2026-03-03T12:00:00-03:00", "2026-03-03T13:20:00-03:00"}, // 20m left after 17:40-17:50
	}
	for _, tt := range tests {
		st, errs := applyAll(t, e, events(t, lines[:tt.n]...))
		require.Empty(t, errs)
		v := e.Evaluate(st, mustTime(t, tt.at))
		c := v.Clocks[len(v.Clocks)-1]
		require.Equal(t, sla.Resolution, c.Metric)
		assert.Equal(t, tt.deadline, rfc(c.Deadline), "after %d events at %s", tt.n, tt.at)
	}
	// Resumed on Tuesday at 10:00 with 20m left, breached at 10:20, then
	// toggled: the deadline passed stays where it was.
	more := append(lines, ev("2026-03-03T10:00:00-03:00", "status", `"status":"open"`),
		ev("2026-03-03T10:30:00-03:00", "status", `"status":"pending"`),
		ev("2026-03-03T10:40:00-03:00", "status", `"status":"open"`),
		ev("2026-03-03T10:50:00-03:00", "status", `"status":"pending"`))
	st, errs := applyAll(t, e, events(t, more...))
	require.Empty(t, errs)
	c := e.Evaluate(st, mustTime(t, "2026-03-03T11:00:00-03:00")).Clocks[1]
	assert.Equal(t, sla.ClockBreached, c.State)
	assert.True(t, c.Paused)
	assert.Equal(t, "2026-03-03T10:20:00-03:00", rfc(c.Deadline))
	assert.Equal(t, "2026-03-03T10:20:00-03:00", rfc(c.BreachedAt))
}

// Tags are merged once each, in order, whatever the sizes: 200,000 tags in
// one update is linear work.
func TestTagMerge(t *testing.T) {
	e := growEngine(t)
	many := make([]string, 0, 200_001)
	for i := range 200_000 {
		many = append(many, "t"+strconv.Itoa(i))
	}
	many = append(many, "t0", "") // a duplicate and an empty tag
	tests := []struct {
		name         string
		initial, add []string
		remove       []string
		wantLen      int
		wantFirst    []string
	}{
		{"small", []string{"a", "b"}, []string{"b", "c", "c", ""}, nil, 3, []string{"a", "b", "c"}},
		{"small remove", []string{"a", "b", "c"}, nil, []string{"b"}, 2, []string{"a", "c"}},
		{"large add", []string{"x", "t5"}, many, nil, 200_001, []string{"x", "t5", "t0", "t1"}},
		{"large remove", []string{"x", "t5"}, many, many[:199_999], 2, []string{"x", "t199999"}},
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: t0, Type: sla.EventCreated, Tags: tt.initial})
			require.NoError(t, err)
			st, err = e.Apply(st, sla.Event{TicketID: "T", At: t0.Add(time.Minute), Type: sla.EventUpdate, Tags: tt.add, RemoveTags: tt.remove})
			require.NoError(t, err)
			tags := st.Ticket().Tags
			assert.Len(t, tags, tt.wantLen)
			assert.Equal(t, tt.wantFirst, tags[:len(tt.wantFirst)])
		})
	}
}
