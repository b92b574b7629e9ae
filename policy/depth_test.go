package policy_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
)

// depthErrors are the positioned errors of the keys for business-day
// targets, pauses per metric, calendars per ticket, default priorities,
// validity, priority changes, OLAs and the agreement badge.
var depthErrors = []struct {
	name, doc, want string
	is              error
}{
	{"at_risk number", "version: 1\nat_risk: 80\n", "t.yaml:2:10: at_risk: want a percentage such as 80%, got an integer\n", policy.ErrField},
	{"at_risk no sign", "version: 1\nat_risk: \"80\"\n", "t.yaml:2:10: at_risk: bad percentage \"80\": want a number and %, such as 80%\n", policy.ErrValue},
	{"default_priority undefined", "version: 1\ndefault_priority: critical\n", "t.yaml:2:19: default_priority: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"slas default_priority undefined", "version: 1\nslas:\n  - {name: a, default_priority: lowest}\n", "t.yaml:3:33: slas[0].default_priority: undefined priority \"lowest\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"at_risk 100%", "version: 1\nat_risk: 100%\n", "t.yaml:2:10: at_risk: percentage \"100%\": want above 0% and below 100%\n", policy.ErrValue},
}

func TestDepthErrors(t *testing.T) {
	for _, tc := range depthErrors {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load("t.yaml", []byte(tc.doc))
			var list policy.ErrorList
			require.True(t, errors.As(err, &list), "Load(%q) = %v, want an ErrorList", tc.doc, err)
			assert.ErrorIs(t, err, tc.is)
			assert.Equal(t, tc.want, list.String(), "Load(%q)", tc.doc)
		})
	}
}

func TestAtRisk(t *testing.T) {
	s, err := policy.Load("a.yaml", []byte("version: 1\nat_risk: 75%\n"))
	require.NoError(t, err)
	assert.InDelta(t, 75.0, s.Config().AtRisk, 0)
	s, err = policy.Load("a.yaml", []byte("version: 1\n"))
	require.NoError(t, err)
	assert.Zero(t, s.Config().AtRisk, "absent: the engine's default")
}

func TestDefaultPriorityKeys(t *testing.T) {
	s, err := policy.Load("d.yaml", []byte("version: 1\ndefault_priority: high\nslas:\n  - {name: email, default_priority: low, targets: {low: {resolution: 40h}}}\n"))
	require.NoError(t, err)
	cfg := s.Config()
	assert.Equal(t, "high", cfg.DefaultPriority)
	assert.Equal(t, "low", cfg.Policies[0].DefaultPriority)
	_, err = s.Engine()
	require.NoError(t, err)
}
