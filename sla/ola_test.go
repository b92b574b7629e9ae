package sla_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func teamLines(r sla.Result) []string {
	out := make([]string, 0, len(r.Teams))
	for _, tt := range r.Teams {
		out = append(out, fmt.Sprintf("%s#%d %q %s", tt.Metric, tt.Cycle, tt.Team, tt.Elapsed))
	}
	return out
}

func TestResultTeams(t *testing.T) {
	restart := func(p *sla.Policy) { p.Reopen = sla.ReopenRestart }
	tests := []struct {
		name   string
		reason string
		cfg    func(testing.TB) sla.Config
		events []string
		at     string
		want   []string
	}{
		{
			name:   "handoffs-in-business-time",
			reason: "08:00-10:00 unassigned (2h), 10:00-14:00 billing (3h: lunch), 14:00-15:00 tier2 (1h), solved at 15:00",
			cfg:    spStd(),
			events: []string{
				ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`),
				ev("2026-03-02T10:00:00-03:00", "assign", `"team":"billing"`),
				ev("2026-03-02T14:00:00-03:00", "assign", `"team":"tier2"`),
				ev("2026-03-02T15:00:00-03:00", "status", `"status":"solved"`),
			},
			at:   "2026-03-02T16:00:00-03:00",
			want: []string{`resolution#1 "" 2h0m0s`, `resolution#1 "billing" 3h0m0s`, `resolution#1 "tier2" 1h0m0s`},
		},
		{
			name:   "pauses-belong-to-nobody",
			reason: "billing holds 08:00-09:00 (1h), pending 09:00-11:00 (not counted), back to billing 11:00-12:00 (1h), running at 12:00",
			cfg:    spStd(),
			events: []string{
				ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`, `"team":"billing"`),
				ev("2026-03-02T09:00:00-03:00", "status", `"status":"pending"`),
				ev("2026-03-02T10:00:00-03:00", "assign", `"team":"tier2"`),
				ev("2026-03-02T10:30:00-03:00", "assign", `"team":"billing"`),
				ev("2026-03-02T11:00:00-03:00", "status", `"status":"open"`),
			},
			at:   "2026-03-02T12:00:00-03:00",
			want: []string{`resolution#1 "billing" 2h0m0s`},
		},
		{
			name:   "reopen-restart-gives-a-cycle-each",
			reason: "cycle 1 08:00-09:00 by billing; reopened at 10:00 by a customer message, cycle 2 10:00-11:00 billing then tier2 11:00-11:30",
			cfg:    spStd(restart),
			events: []string{
				ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`, `"team":"billing"`),
				ev("2026-03-02T09:00:00-03:00", "status", `"status":"solved"`),
				ev("2026-03-02T10:00:00-03:00", "message", `"author":"customer"`),
				ev("2026-03-02T11:00:00-03:00", "assign", `"team":"tier2"`),
			},
			at:   "2026-03-02T11:30:00-03:00",
			want: []string{`resolution#1 "billing" 1h0m0s`, `resolution#2 "billing" 1h0m0s`, `resolution#2 "tier2" 30m0s`},
		},
		{
			name:   "router-sets-the-team",
			reason: "a rule sets team billing at creation: the whole cycle is billing's; a later rule moves it to vip at 09:00",
			cfg: func(t testing.TB) sla.Config {
				c := spStd()(t)
				c.Rules = sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
					switch {
					case ev.Type == sla.EventCreated:
						tk.Team = "billing"
						return []string{"billing"}, nil
					case ev.Type == sla.EventUpdate && tk.HasTag("vip"):
						tk.Team = "vip"
						return []string{"vip"}, nil
					}
					return nil, nil
				})
				return c
			},
			events: []string{
				ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`),
				ev("2026-03-02T09:00:00-03:00", "update", `"tags":["vip"]`),
			},
			at:   "2026-03-02T09:15:00-03:00",
			want: []string{`resolution#1 "billing" 1h0m0s`, `resolution#1 "vip" 15m0s`},
		},
		{
			name:   "no-policy-no-teams",
			reason: "without a policy there are no clocks, so no team time",
			cfg: func(t testing.TB) sla.Config {
				return sla.Config{Policies: []sla.Policy{{Name: "never", When: func(*sla.Ticket) (bool, error) { return false, nil },
					Targets: stdTargets()}}}
			},
			events: []string{
				ev("2026-03-02T08:00:00-03:00", "created", `"team":"billing"`),
			},
			at:   "2026-03-02T09:00:00-03:00",
			want: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, tc.cfg(t))
			st, errs := applyAll(t, e, events(t, tc.events...))
			require.Empty(t, errs)
			r := e.Result(st, mustTime(t, tc.at))
			assert.Equal(t, tc.want, teamLines(r), tc.reason)
			// The team times of a cycle add up to its elapsed time.
			for _, c := range r.Clocks {
				if c.Metric != sla.Resolution {
					continue
				}
				var sum time.Duration
				for _, tt := range r.Teams {
					if tt.Cycle == c.Cycle {
						sum += tt.Elapsed
					}
				}
				assert.Equal(t, c.Elapsed, sum, "resolution#%d: team times add up to %s, elapsed %s", c.Cycle, sum, c.Elapsed)
			}
			assert.Equal(t, st.Ticket().Team, r.Attributes.Team)
			assert.Equal(t, rfc(st.Ticket().CreatedAt), rfc(r.Attributes.CreatedAt))
		})
	}
}

func TestPropertyTeamTimesAddUp(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	rng := rand.New(rand.NewPCG(5, 9))
	teams := []string{"", "billing", "tier2", "vip"}
	checked := 0
	for i := range 60 {
		b := make([]byte, 64+rng.IntN(600))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		evs := genEvents(&byteSource{b: b}, 1+rng.IntN(4), 150)
		for k := range evs {
			if evs[k].Type == sla.EventAssign {
				evs[k].Team = teams[rng.IntN(len(teams))]
			}
		}
		for r, err := range e.Replay(seq2(evs), time.Time{}) {
			if err != nil { // a generated event of no live ticket: no result to check
				continue
			}
			sums := map[int]time.Duration{}
			for _, tt := range r.Teams {
				require.Positive(t, tt.Elapsed, "history %d ticket %s", i, r.Ticket)
				sums[tt.Cycle] += tt.Elapsed
			}
			if r.Stats.PolicyChanges > 0 {
				// A stopped cycle keeps the elapsed time measured with
				// the calendar of its policy; team times use the
				// calendar of the policy in force.
				continue
			}
			for _, c := range r.Clocks {
				if c.Metric == sla.Resolution {
					require.Equal(t, c.Elapsed, sums[c.Cycle], "history %d ticket %s resolution#%d", i, r.Ticket, c.Cycle)
					checked++
				}
			}
		}
	}
	t.Logf("%d resolution cycles checked", checked)
}

func TestResultHandoffs(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`, `"team":"desk"`),
		ev("2026-03-02T09:00:00-03:00", "assign", `"team":"billing"`),
		ev("2026-03-02T10:00:00-03:00", "assign", `"team":"desk"`),
		ev("2026-03-02T10:30:00-03:00", "assign", `"agent":"ana"`),
		ev("2026-03-02T11:00:00-03:00", "assign", `"team":""`),
	))
	require.Empty(t, errs)
	r := e.Result(st, mustTime(t, "2026-03-02T12:00:00-03:00"))
	var got []string
	for _, h := range r.Handoffs {
		got = append(got, fmt.Sprintf("%s %q->%q", rfc(h.At), h.From, h.To))
	}
	// The return to desk is a hand-off although desk held the ticket in
	// the same cycle; an assignment of an agent alone is none.
	assert.Equal(t, []string{
		`2026-03-02T09:00:00-03:00 "desk"->"billing"`,
		`2026-03-02T10:00:00-03:00 "billing"->"desk"`,
		`2026-03-02T11:00:00-03:00 "desk"->""`,
	}, got)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "handoff", "hand-offs are not part of the JSON form")
}
