package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// scopeEngine: a 24x7 São Paulo policy whose first response and
// resolution both have a 1h target (they breach at the same instant),
// with a WhatsApp tracker, and the given ladder.
func scopeEngine(t testing.TB, levels ...escalation.Level) *sla.Engine {
	t.Helper()
	l, err := escalation.New("l", levels)
	require.NoError(t, err)
	return mustEngine(t, sla.Config{
		Policies: []sla.Policy{{Name: "p", Calendar: allDay(t, "America/Sao_Paulo"), Escalation: "l",
			Targets: targets{"normal": {fr: time.Hour, res: time.Hour, nr: 3 * time.Hour}}}},
		Ladders:  map[string]*escalation.Ladder{"l": l},
		WhatsApp: whatsappTracker(t),
	})
}

func page(name, metric, at string, t testing.TB) escalation.Level {
	return escalation.Level{Name: name, Metric: metric, At: trigger(t, at), Actions: []escalation.Action{act(escalation.Notify, "leadership")}}
}

// Each scope fires as often as its rule says, never twice at one instant
// for the same scope.
func TestEscalationScope(t *testing.T) {
	created := ev("2026-03-02T09:00:00-03:00", "created", `"channel":"whatsapp"`)
	tests := []struct {
		name   string
		level  escalation.Level
		events []string
		at     string
		want   []string
		reason string
	}{
		{"no metric: once per ticket", page("lead", "", "breach", t), []string{created}, "2026-03-02T12:00:00-03:00",
			[]string{"lead first_response#1 2026-03-02T10:00:00-03:00"},
			"first response and resolution breach at 10:00: the ticket-scoped level fires once"},
		{"any: once per cycle of every metric", page("lead", escalation.AnyMetric, "breach", t), []string{created}, "2026-03-02T12:00:00-03:00",
			[]string{"lead first_response#1 2026-03-02T10:00:00-03:00", "lead resolution#1 2026-03-02T10:00:00-03:00"},
			"metric: any keeps the old rule: one firing per cycle"},
		{"metric X: once per cycle of X", page("lead", "resolution", "breach", t), []string{created}, "2026-03-02T12:00:00-03:00",
			[]string{"lead resolution#1 2026-03-02T10:00:00-03:00"}, ""},
		{"metric X: every new cycle fires again", page("nr", "next_response", "30m", t), []string{created,
			ev("2026-03-02T09:10:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T09:20:00-03:00", "message", `"author":"customer"`),
			ev("2026-03-02T09:30:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T10:00:00-03:00", "message", `"author":"customer"`)}, "2026-03-02T12:00:00-03:00",
			[]string{"nr next_response#2 2026-03-02T10:30:00-03:00"}, "the first next response was answered after 10 minutes"},
		{"no metric: a reopening re-arms it", page("lead", "", "breach", t), []string{created,
			ev("2026-03-02T11:00:00-03:00", "status", `"status":"solved"`),
			ev("2026-03-02T12:00:00-03:00", "message", `"author":"customer"`)}, "2026-03-02T13:00:00-03:00",
			[]string{"lead first_response#1 2026-03-02T10:00:00-03:00", "lead resolution#1 2026-03-02T12:00:00-03:00"},
			"the resumed resolution is past its deadline: the level fires again at the reopening"},
		{"window: at closes-2h", page("win", "", "window-2h", t), []string{created}, "2026-03-03T09:00:00-03:00",
			[]string{"win #0 2026-03-03T07:00:00-03:00"}, "the window opened at 09:00 closes 24h later"},
		{"window: a newer customer message re-arms it", page("win", "", "window-2h", t), []string{created,
			ev("2026-03-02T09:05:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-03T08:00:00-03:00", "message", `"author":"customer"`)}, "2026-03-04T09:00:00-03:00",
			[]string{"win #0 2026-03-03T07:00:00-03:00", "win #0 2026-03-04T06:00:00-03:00"}, ""},
		{"window: fires on a pending ticket", page("win", "", "window-2h", t), []string{created,
			ev("2026-03-02T09:05:00-03:00", "status", `"status":"pending"`)}, "2026-03-03T09:00:00-03:00",
			[]string{"win #0 2026-03-03T07:00:00-03:00"}, "the window closes whatever the clocks do"},
		{"window: not once solved", page("win", "", "window-2h", t), []string{created,
			ev("2026-03-02T09:05:00-03:00", "status", `"status":"solved"`)}, "2026-03-03T09:00:00-03:00",
			nil, ""},
		{"window: an event that does not move the close does not re-arm it", page("win", "", "window-2h", t), []string{created,
			ev("2026-03-03T07:30:00-03:00", "status", `"status":"pending"`)}, "2026-03-03T09:00:00-03:00",
			[]string{"win #0 2026-03-03T07:00:00-03:00"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := scopeEngine(t, tt.level)
			st, errs := applyAll(t, e, events(t, tt.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, tt.at))
			assert.Equal(t, tt.want, firings(v), tt.reason)
			assert.Equal(t, tt.want, replayFirings(t, e, tt.events, tt.at), "Replay agrees")
		})
	}
}

func replayFirings(t *testing.T, e *sla.Engine, lines []string, at string) []string {
	t.Helper()
	var out []string
	for r, err := range e.Replay(seq2(events(t, lines...)), mustTime(t, at)) {
		require.NoError(t, err, "an event of no live ticket")
		out = append(out, firings(r.View)...)
	}
	return out
}

// A window level needs a tracker: without one it would never fire.
func TestWindowLevelNeedsTracker(t *testing.T) {
	l, err := escalation.New("l", []escalation.Level{page("win", "", "window-2h", t)})
	require.NoError(t, err)
	_, err = sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", Escalation: "l"}},
		Ladders: map[string]*escalation.Ladder{"l": l}})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.Contains(t, err.Error(), `ladders.l.levels[0].at: level "win": a window trigger needs Config.WhatsApp`)
}

// A clock without a target (a custom metric with none) fires the levels
// with an elapsed-time trigger only: a percent or breach trigger has no
// meaning for it.
func TestEscalationWithoutTarget(t *testing.T) {
	l, err := escalation.New("l", []escalation.Level{
		page("lead", "", "breach", t), page("late", "", "50%", t), page("assign", "time_to_assign", "20m", t),
	})
	require.NoError(t, err)
	e := mustEngine(t, sla.Config{
		Policies: []sla.Policy{{Name: "p", Calendar: allDay(t, "America/Sao_Paulo"), Escalation: "l",
			Metrics: []sla.CustomMetric{{Name: "time_to_assign",
				Start: func(_ *sla.Ticket, ev *sla.Event) (bool, error) { return ev.Type == sla.EventCreated, nil },
				Stop:  func(tk *sla.Ticket, _ *sla.Event) (bool, error) { return tk.Agent != "", nil }}}}},
		Ladders: map[string]*escalation.Ladder{"l": l},
	})
	lines := []string{ev("2026-03-02T09:00:00-03:00", "created", `"channel":"email"`)}
	st, errs := applyAll(t, e, events(t, lines...))
	require.Empty(t, errs)
	want := []string{"assign time_to_assign#1 2026-03-02T09:20:00-03:00"}
	assert.Equal(t, want, firings(e.Evaluate(st, mustTime(t, "2026-03-03T12:00:00-03:00"))))
	assert.Equal(t, want, replayFirings(t, e, lines, "2026-03-03T12:00:00-03:00"), "Replay agrees")
}
