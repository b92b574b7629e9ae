package policy_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// TestLevelWhenReads checks the ticket attributes a level's when is
// declared to read (escalation.Level.WhenReads, in sla.Attrs).
func TestLevelWhenReads(t *testing.T) {
	tests := []struct {
		when string
		want sla.Attrs
	}{
		{`ticket.team == "billing"`, sla.AttrTeam},
		{`"vip" in ticket.tags && ticket.priority == "urgent"`, sla.AttrTags | sla.AttrPriority},
		{`ticket.fields.plan == "gold"`, sla.AttrFields},
		{`ticket.channel == "whatsapp"`, sla.AttrFixed},
		{`let t = ticket; t.team == "x"`, sla.AttrAll},
		{`clock.percent > 50 && ticket.agent == "ana"`, sla.AttrAgent}, // on the VM: read, but asked at every check
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			src := "version: 1\nescalations:\n  l:\n    - name: a\n      at: breach\n      when: '" +
				strings.ReplaceAll(tt.when, "'", "''") + "'\n      actions: [{notify: x}]\n    - name: b\n      at: 80%\n      actions: [{notify: x}]\n"
			set, err := policy.Load("t.yaml", []byte(src))
			require.NoError(t, err)
			l := set.Ladder("l")
			assert.Equal(t, uint64(tt.want), l.Level(0).WhenReads, "when: %s", tt.when)
			assert.Zero(t, l.Level(1).WhenReads, "a level without when")
		})
	}
}

// TestLevelWhenReadsChangeNothing replays generated histories under the
// reference policy and a variant whose levels' conditions read the team,
// tags, priority and fields, once with the attributes the levels read
// declared (the engine keeps their answers between changes) and once with
// nothing declared: the results must be the same.
func TestLevelWhenReadsChangeNothing(t *testing.T) {
	ref, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	const old = `when: 'ticket.team == "billing"'`
	require.Contains(t, string(ref), old)
	for i, when := range []string{
		`ticket.team == "billing"`,
		`ticket.team == "billing" || "outage" in ticket.tags && ticket.priority != "low" || ticket.fields.incident_candidate == true`,
	} {
		t.Run(when, func(t *testing.T) {
			src := strings.Replace(string(ref), old, "when: '"+strings.ReplaceAll(when, "'", "''")+"'", 1)
			s, err := policy.Load("variant.yaml", []byte(src))
			require.NoError(t, err)
			declared, undeclared := s.Config(), s.Config()
			undeclared.Ladders = map[string]*escalation.Ladder{}
			n := 0
			for name, l := range declared.Ladders {
				levels := make([]escalation.Level, l.Len())
				for j := range levels {
					levels[j] = l.Level(j)
					if levels[j].WhenReads != 0 {
						n++
					}
					levels[j].WhenReads = 0
				}
				undeclared.Ladders[name], err = escalation.New(name, levels)
				require.NoError(t, err)
			}
			require.Positive(t, n, "levels that declare what they read")
			opts := sample.Options{Seed: uint64(i) + 3, Tickets: 600, Weeks: 1}
			a, b := replayJSON(t, declared, opts), replayJSON(t, undeclared, opts)
			require.Equal(t, len(a), len(b))
			escalated := 0
			for k := range a {
				require.JSONEq(t, string(b[k]), string(a[k]), "result %d", k)
				if strings.Contains(string(a[k]), `"billing-specialist`) {
					escalated++
				}
			}
			require.Positive(t, escalated, "results with the conditional level fired")
		})
	}
}
