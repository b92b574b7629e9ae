package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

func TestEventJSONPayloads(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		tier      string
		team      string
		clearTeam bool
		back      string // the event encoded again
		err       string
	}{
		{name: "tier string", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":"L2"}`, tier: "L2",
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":"L2"}`},
		{name: "tier number", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":2}`, tier: "2",
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":"2"}`},
		{name: "tier null", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":null}`,
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated"}`},
		{name: "tier object", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"escalated","tier":{}}`, err: `"tier": want a string or a number, got an object`},
		{name: "assign clears team", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","team":""}`, clearTeam: true,
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","team":""}`},
		{name: "assign agent only keeps team", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","agent":"ana"}`,
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","agent":"ana"}`},
		{name: "assign team", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","team":"billing"}`, team: "billing",
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"assign","team":"billing"}`},
		{name: "empty team on created is no team", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"created","team":""}`,
			back: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"created"}`},
		{name: "unknown key", line: `{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"note","colour":"red"}`, err: `unknown key "colour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev sla.Event
			err := json.Unmarshal([]byte(tt.line), &ev)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.tier, ev.Tier)
			assert.Equal(t, tt.team, ev.Team)
			assert.Equal(t, tt.clearTeam, ev.ClearTeam)
			b, err := json.Marshal(ev)
			require.NoError(t, err)
			assert.JSONEq(t, tt.back, string(b))
		})
	}
}

func TestAssignClearsTeam(t *testing.T) {
	pol := sla.Policy{Name: "p", Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.Resolution: 8 * time.Hour}}}
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{pol}})
	require.NoError(t, err)
	var evs []sla.Event
	for _, line := range []string{
		`{"ticket":"T","at":"2026-03-02T09:00:00Z","type":"created","priority":"normal","team":"billing"}`,
		`{"ticket":"T","at":"2026-03-02T10:00:00Z","type":"assign","team":""}`,
	} {
		var ev sla.Event
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		evs = append(evs, ev)
	}
	var st sla.State
	for _, ev := range evs {
		st, err = eng.Apply(st, ev)
		require.NoError(t, err)
	}
	assert.Equal(t, "", st.Ticket().Team)
	r := eng.Result(st, evs[1].At.Add(time.Hour))
	assert.Equal(t, []sla.TeamTime{{Metric: sla.Resolution, Cycle: 1, Team: "billing", Elapsed: time.Hour},
		{Metric: sla.Resolution, Cycle: 1, Team: "", Elapsed: time.Hour}}, r.Teams, "the hand-off from billing to no team")
}
