package policy_test

import (
	"errors"
	"testing"

	"github.com/slakit/slakit/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoalsBy(t *testing.T) {
	src := `version: 1
kpis:
  goals: {sla_compliance: ">= 90%"}
  goals_by:
    channel:
      whatsapp: {first_response_p90: "<= 15m", sla_compliance: ">= 95%"}
      email: {first_response_p90: "<= 4h"}
    fields.region:
      "7": {backlog: "<= 10"}
`
	set, err := policy.Load("t.yaml", []byte(src))
	require.NoError(t, err)
	k := set.KPI()
	require.Len(t, k.GoalsBy["channel"]["whatsapp"], 2)
	g := k.GoalsBy["channel"]["whatsapp"][0]
	assert.Equal(t, "first_response_p90", g.Name)
	assert.Equal(t, "t.yaml:6:38", g.Pos.String())
	assert.InDelta(t, 900, g.Goal.Value, 0)
	assert.Len(t, k.GoalsBy["fields.region"]["7"], 1)

	cfg := set.KPIConfig()
	require.Len(t, cfg.GoalsBy["channel"]["email"], 1)
	assert.Equal(t, "<= 4h", cfg.GoalsBy["channel"]["email"][0].Target)

	k.GoalsBy["channel"]["email"][0].Name = "changed"
	assert.Equal(t, "first_response_p90", set.KPI().GoalsBy["channel"]["email"][0].Name, "KPI returns a copy")
}

func TestGoalsByErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		is              error
	}{
		{"unknown dimension", "version: 1\nkpis:\n  goals_by:\n    planet: {mars: {backlog: \"<= 1\"}}\n",
			`t.yaml:4:5: kpis.goals_by.planet: unknown group "planet" (want priority, channel, team, agent, policy, calendar, status, customer.tier, customer.country, customer.language or fields.NAME)`, policy.ErrUndefined},
		{"unknown kpi", "version: 1\nkpis:\n  goals_by:\n    channel: {email: {speed: \">= 1\"}}\n",
			`t.yaml:4:23: kpis.goals_by.channel.email.speed: unknown kpi "speed"`, policy.ErrUndefined},
		{"bad target", "version: 1\nkpis:\n  goals_by:\n    channel: {email: {first_response_p90: \"1h\"}}\n",
			`t.yaml:4:43: kpis.goals_by.channel.email.first_response_p90: "1h": want an operator`, policy.ErrValue},
		{"not a mapping", "version: 1\nkpis:\n  goals_by: [channel]\n",
			`t.yaml:3:13: kpis.goals_by: want goals per dimension`, policy.ErrField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Load("t.yaml", []byte(tt.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, errors.Is(err, tt.is), "errors.Is(%v, %v) = false", err, tt.is)
		})
	}
}
