package sla_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// TestCustomMetricOn checks that the engine asks a custom metric's Start
// and Stop only on the event types StartOn and StopOn list (any type when
// empty), and takes them as false, with no failure, on the others.
func TestCustomMetricOn(t *testing.T) {
	day := events(t,
		ev("2026-03-29T00:30:00+01:00", "created", `"priority":"normal"`), // Europe/Berlin's DST day
		ev("2026-03-29T03:30:00+02:00", "message", `"author":"customer"`),
		ev("2026-03-29T04:00:00+02:00", "note"),
		ev("2026-03-29T05:00:00+02:00", "assign", `"agent":"ana"`),
		ev("2026-03-29T06:00:00+02:00", "message", `"author":"customer"`),
	)
	created, assign := []sla.EventType{sla.EventCreated}, []sla.EventType{sla.EventAssign}
	tests := []struct {
		name            string
		startOn, stopOn []sla.EventType
		asked           []string
		failures        []string
		clock           string
	}{
		{"any type", nil, nil,
			[]string{"start created", "stop message", "stop note", "stop assign", "start message"},
			[]string{"CustomMetric.Stop (time_to_assign): no note x1 at 2026-03-29T04:00:00+02:00"},
			"time_to_assign#1 met start=2026-03-29T00:30:00+01:00"},
		{"on created and assign", created, assign,
			[]string{"start created", "stop assign"}, nil,
			"time_to_assign#1 met start=2026-03-29T00:30:00+01:00"},
		{"stop on assign and note", nil, []sla.EventType{sla.EventNote, sla.EventAssign},
			[]string{"start created", "stop note", "stop assign", "start message"},
			[]string{"CustomMetric.Stop (time_to_assign): no note x1 at 2026-03-29T04:00:00+02:00"},
			"time_to_assign#1 met start=2026-03-29T00:30:00+01:00"},
		{"start on messages only: the hint is obeyed", []sla.EventType{sla.EventMessage}, assign,
			[]string{"start message", "start message"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			m := sla.CustomMetric{Name: "time_to_assign", StartOn: tt.startOn, StopOn: tt.stopOn,
				Start: func(_ *sla.Ticket, e *sla.Event) (bool, error) {
					asked = append(asked, "start "+string(e.Type))
					return e.Type == sla.EventCreated, nil
				},
				Stop: func(tk *sla.Ticket, e *sla.Event) (bool, error) {
					asked = append(asked, "stop "+string(e.Type))
					if e.Type == sla.EventNote {
						return true, errors.New("no note")
					}
					return e.Type == sla.EventAssign && tk.Agent != "", nil
				}}
			e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "p", Calendar: allDay(t, "Europe/Berlin"),
				Targets: targets{"normal": {"time_to_assign": 8 * time.Hour, res: 24 * time.Hour}}, Metrics: []sla.CustomMetric{m}}}})
			st, errs := applyAll(t, e, day)
			require.Empty(t, errs)
			r := e.Result(st, mustTime(t, "2026-03-29T12:00:00+02:00"))
			assert.Equal(t, tt.asked, asked)
			assert.Equal(t, tt.failures, failureLines(r))
			var got string
			for _, c := range r.Clocks {
				if c.Metric == "time_to_assign" {
					got = clockStart(c)
				}
			}
			assert.Equal(t, tt.clock, got)
		})
	}
}

// TestCustomMetricOnUnknownType checks that NewEngine names a type in
// StartOn or StopOn that is not an event type.
func TestCustomMetricOnUnknownType(t *testing.T) {
	never := func(*sla.Ticket, *sla.Event) (bool, error) { return false, nil }
	for _, tt := range []struct {
		startOn, stopOn []sla.EventType
		field           string
	}{
		{[]sla.EventType{"opened"}, nil, "policies[0].metrics[0].start_on[0]"},
		{nil, []sla.EventType{sla.EventAssign, ""}, "policies[0].metrics[0].stop_on[1]"},
	} {
		_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p",
			Metrics: []sla.CustomMetric{{Name: "m", Start: never, Stop: never, StartOn: tt.startOn, StopOn: tt.stopOn}}}}})
		require.ErrorIs(t, err, sla.ErrConfig)
		assert.ErrorContains(t, err, tt.field)
		assert.ErrorContains(t, err, "unknown event type")
	}
}
