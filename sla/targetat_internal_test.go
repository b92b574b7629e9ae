package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// TestTargetAtMatchesPolicy checks targetAt, which finds a target in
// business days by its mark in the targets table, against the policy's
// own maps: for each priority and metric (built-in, custom, unknown), the
// target in business time, else the one in business days counted from
// the start in a Berlin office calendar (across its spring change and a
// holiday), else none; in a policy with targets in business days and one
// without.
func TestTargetAtMatchesPolicy(t *testing.T) {
	cal := specCal(t, calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"2026-04-03"}})
	ack := CustomMetric{Name: "ack",
		Start: func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventCreated, nil },
		Stop:  func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventAssign, nil }}
	targets := map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, Resolution: 8 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, "ack": 2 * time.Hour},
	}
	days := map[string]map[Metric]DayTarget{
		"urgent": {"ack": {EndOfDay: true}, NextResponse: {Days: 1}},
		"normal": {Resolution: {Days: 3, At: 16 * time.Hour}},
	}
	for _, p := range []Policy{
		{Name: "days", Targets: targets, DayTargets: days, Metrics: []CustomMetric{ack}},
		{Name: "plain", Targets: targets, Metrics: []CustomMetric{ack}},
	} {
		e, err := NewEngine(Config{Policies: []Policy{p}, Priorities: []string{"urgent", "normal"}})
		require.NoError(t, err)
		c := e.policies[0]
		starts := []time.Time{
			time.Date(2026, 3, 27, 15, 30, 0, 0, cal.Location()), // the Friday before the change
			time.Date(2026, 4, 2, 16, 0, 0, 0, cal.Location()),   // the eve of Good Friday
		}
		for prio, name := range e.prios {
			for _, m := range []Metric{FirstResponse, NextResponse, PeriodicUpdate, Resolution, "ack", "other"} {
				for _, start := range starts {
					want := p.Targets[name][m]
					if d, ok := p.DayTargets[name][m]; ok && want == 0 {
						want = d.duration(cal, start)
					}
					got := c.targetAt(prio, c.metricIndex(m), start, cal)
					require.Equal(t, want, got, "%s, %s, %s, %s", p.Name, name, m, start)
					require.GreaterOrEqual(t, got, time.Duration(0))
				}
			}
		}
	}
}
