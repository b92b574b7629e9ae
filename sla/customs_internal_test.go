package sla

import (
	"testing"

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
					assert.Same(t, e.customMetric(p, m), p.customs[j], "policy %s, metric %s", p.Name, m)
					w := tt.want[i][2*j:]
					assert.Same(t, &e.policies[w[0]].Metrics[w[1]], p.customs[j], "policy %s, metric %s", p.Name, m)
				}
			}
		})
	}
}
