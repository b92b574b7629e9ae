package sla

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// TestLadderMasksTable checks the masks NewEngine keeps per policy: every
// metric's mask is the ladder's, whatever its place, the table ends with
// the OLA metrics, and a policy's ladder watches OLA cycles exactly when
// a level watches an OLA metric (named, or any).
func TestLadderMasksTable(t *testing.T) {
	notify := []escalation.Action{{Type: escalation.Notify, Target: "lead"}}
	at := escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}
	for _, tc := range []struct {
		name    string
		metrics []string // the levels' metrics
		olas    bool     // a level watches OLA cycles
	}{
		{"time to own", []string{string(OLATimeToOwn)}, true},
		{"time to resolve", []string{string(FirstResponse), string(OLATimeToResolve)}, true},
		{"any metric", []string{escalation.AnyMetric}, true},
		{"built-in and custom metrics", []string{string(Resolution), "time_to_assign"}, false},
		{"the ticket as a whole", []string{""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var levels []escalation.Level
			for i, m := range tc.metrics {
				levels = append(levels, escalation.Level{Name: string(rune('a' + i)), Metric: m, At: at, Actions: notify})
			}
			lad, err := escalation.New("l", levels)
			require.NoError(t, err)
			never := func(*Ticket, *Event) (bool, error) { return false, nil }
			e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Escalation: "l",
				Targets: map[string]map[Metric]time.Duration{"normal": {Resolution: time.Hour}},
				Metrics: []CustomMetric{{Name: "time_to_assign", Start: never, Stop: never}},
			}}, Ladders: map[string]*escalation.Ladder{"l": lad}})
			require.NoError(t, err)
			p := e.policy("p")
			n := len(p.masks)
			require.GreaterOrEqual(t, n, 2)
			assert.Equal(t, OLATimeToOwn, p.masks[n-2].metric)
			assert.Equal(t, OLATimeToResolve, p.masks[n-1].metric)
			for _, m := range p.masks {
				assert.Equal(t, lad.Mask(string(m.metric)), m.mask, "mask of %s", m.metric)
				assert.Equal(t, lad.Mask(string(m.metric)), p.ladderMask(m.metric), "ladderMask(%s)", m.metric)
			}
			assert.Equal(t, tc.olas, p.watchesOLAs(), "watchesOLAs")
			assert.Equal(t, tc.olas, lad.Mask(string(OLATimeToOwn))|lad.Mask(string(OLATimeToResolve)) != 0)
		})
	}
}

// TestPolicyOf checks that policyOf finds what policy finds, for a name
// that is the policy's own string, a copy of it, an unknown name and none.
func TestPolicyOf(t *testing.T) {
	e := memoEngine(t)
	for _, p := range e.policies {
		for _, tc := range []struct{ what, name string }{
			{"the policy's own name", p.Name},
			{"a copy of the name", strings.Clone(p.Name)},
		} {
			st := State{policy: tc.name}
			assert.Same(t, e.policy(tc.name), e.policyOf(&st), "%s: %s", p.Name, tc.what)
			assert.Same(t, p, e.policyOf(&st), "%s: %s", p.Name, tc.what)
		}
	}
	for _, name := range []string{"", "unknown"} {
		st := State{policy: name}
		assert.Nil(t, e.policyOf(&st), "policyOf(%q)", name)
	}
}
