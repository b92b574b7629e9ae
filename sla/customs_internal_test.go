package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPolicyCustomsTable checks the table NewEngine makes of each policy's
// custom metric rules, which the engine reads at every event instead of
// looking the metrics up: for every policy and every custom metric of the
// engine, the same rule as customMetric's lookup, that is the policy's own
// definition when it has one, else the first policy's that does.
func TestPolicyCustomsTable(t *testing.T) {
	never := func(*Ticket, *Event) (bool, error) { return false, nil }
	metric := func(name Metric) CustomMetric { return CustomMetric{Name: name, Start: never, Stop: never} }
	tests := []struct {
		name     string
		policies [][]Metric // the custom metrics each policy defines
		want     [][]int    // per policy, per engine custom metric: [policy, index] of the rule
	}{
		{"none", [][]Metric{nil, nil}, nil},
		{"one policy defines", [][]Metric{{"a"}, nil}, [][]int{{0, 0}, {0, 0}}},
		{"the second defines", [][]Metric{nil, {"a"}}, [][]int{{1, 0}, {1, 0}}},
		{"both define, in another order", [][]Metric{{"a", "b"}, {"b", "a"}, nil},
			[][]int{{0, 0, 0, 1}, {1, 1, 1, 0}, {0, 0, 0, 1}}},
		{"disjoint", [][]Metric{{"a"}, {"b"}, {"c", "a"}},
			[][]int{{0, 0, 1, 0, 2, 0}, {0, 0, 1, 0, 2, 0}, {2, 1, 1, 0, 2, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg Config
			for i, ms := range tt.policies {
				p := Policy{Name: string(rune('p' + i))}
				for _, m := range ms {
					p.Metrics = append(p.Metrics, metric(m))
				}
				cfg.Policies = append(cfg.Policies, p)
			}
			e, err := NewEngine(cfg)
			require.NoError(t, err)
			for i, p := range e.policies {
				require.Len(t, p.customs, len(e.customs), "policy %s", p.Name)
				for j, m := range e.customs {
					assert.Same(t, e.customMetric(p, m), p.customs[j].CustomMetric, "policy %s, metric %s", p.Name, m)
					w := tt.want[i][2*j:]
					assert.Same(t, &e.policies[w[0]].Metrics[w[1]], p.customs[j].CustomMetric, "policy %s, metric %s", p.Name, m)
				}
			}
		})
	}
}

// TestSyncPausesShortcut checks the shortcut of syncPauses for a status at
// which no cycle pauses (only the paused cycles are looked at, to resume
// them) against what each cycle's metric says: a built-in metric pausing
// at pending, a custom metric with a pause condition of its own policy
// and of another policy (whose definition the first policy inherits), and
// a policy under which nothing pauses.
func TestSyncPausesShortcut(t *testing.T) {
	start := func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventCreated, nil }
	never := func(*Ticket, *Event) (bool, error) { return false, nil }
	onHold := func(tk *Ticket) (bool, error) { return tk.Agent == "hold", nil }
	engine := func(pause func(*Ticket) (bool, error)) *Engine {
		e, err := NewEngine(Config{Policies: []Policy{
			{Name: "defines", When: func(tk *Ticket) (bool, error) { return tk.Channel == "a", nil },
				PauseOn: []Status{StatusPending},
				Metrics: []CustomMetric{{Name: "custom", Start: start, Stop: never, Pause: pause}}},
			{Name: "inherits", When: func(tk *Ticket) (bool, error) { return tk.Channel == "b", nil }},
			{Name: "still", PauseOn: []Status{}},
		}})
		require.NoError(t, err)
		return e
	}
	// In plain, no custom metric pauses: the shortcut serves every status
	// but pending under the policies that pause resolution at it.
	custom, plain := engine(onHold), engine(nil)
	t0 := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		e       *Engine
		channel string
		events  []Event
		paused  map[Metric]bool // after the events, for the cycles open
	}{
		{"builtin pauses at pending", plain, "a", []Event{{Type: EventStatus, Status: StatusPending}},
			map[Metric]bool{Resolution: true, "custom": false}},
		{"builtin resumes at open, shortcut", plain, "a", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventStatus, Status: StatusOpen}},
			map[Metric]bool{Resolution: false, "custom": false}},
		{"builtin stays paused", plain, "b", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventAssign, Agent: "hold"}},
			map[Metric]bool{Resolution: true, "custom": false}},
		{"nothing pauses, shortcut", plain, "c", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventAssign, Agent: "hold"}},
			map[Metric]bool{Resolution: false, "custom": false}},
		{"builtin resumes at open", custom, "a", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventStatus, Status: StatusOpen}},
			map[Metric]bool{Resolution: false, "custom": false}},
		{"custom pauses while open", custom, "a", []Event{{Type: EventStatus, Status: StatusOpen}, {Type: EventAssign, Agent: "hold"}},
			map[Metric]bool{Resolution: false, "custom": true}},
		{"custom resumes", custom, "a", []Event{{Type: EventAssign, Agent: "hold"}, {Type: EventAssign, Agent: "ann"}},
			map[Metric]bool{Resolution: false, "custom": false}},
		{"inherited custom pauses", custom, "b", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventAssign, Agent: "hold"}},
			map[Metric]bool{Resolution: true, "custom": true}},
		{"inherited custom pauses, no built-in does", custom, "c", []Event{{Type: EventStatus, Status: StatusPending}, {Type: EventAssign, Agent: "hold"}},
			map[Metric]bool{Resolution: false, "custom": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := tt.e.Apply(State{}, Event{TicketID: "T", At: t0, Type: EventCreated, Channel: tt.channel})
			require.NoError(t, err)
			for k, ev := range tt.events {
				ev.TicketID, ev.At = "T", t0.Add(time.Duration(k+1)*time.Minute)
				st, err = tt.e.Apply(st, ev)
				require.NoError(t, err)
			}
			got := map[Metric]bool{}
			for _, i := range st.open {
				if c := &st.cycles[i]; c.Metric == Resolution || c.Metric == "custom" {
					got[c.Metric] = c.State == phPaused
				}
			}
			assert.Equal(t, tt.paused, got)
		})
	}
}
