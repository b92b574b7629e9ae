package sla_test

import (
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
		Start: func(_ *sla.Ticket, ev *sla.Event) bool { return ev.Type == sla.EventCreated },
		Stop:  func(tk *sla.Ticket, ev *sla.Event) bool { return ev.Type == sla.EventAssign && tk.Agent != "" }}
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{
		{Name: "vip", When: func(tk *sla.Ticket) bool { return tk.HasTag("vip") }, Calendar: allDay(t, "Europe/Berlin"),
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

// Channel names are matched without regard to case: "WhatsApp" tickets
// get a window.
func TestWhatsAppChannelAnyCase(t *testing.T) {
	e := waEngine(t)
	for _, ch := range []string{"whatsapp", "WhatsApp", "WHATSAPP"} {
		st, errs := applyAll(t, e, events(t, ev("2026-03-06T17:00:00-03:00", "created", `"channel":"`+ch+`"`)))
		require.Empty(t, errs)
		v := e.Evaluate(st, mustTime(t, "2026-03-06T17:30:00-03:00"))
		require.NotNil(t, v.WhatsApp, "channel %q", ch)
		assert.Equal(t, "2026-03-07T17:00:00-03:00", rfc(v.WhatsApp.Verdict.ClosesAt), "channel %q", ch)
	}
}
