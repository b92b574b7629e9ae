package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// TestWhenReads checks the ticket attributes a policy's when and its
// calendar's by are declared to read.
func TestWhenReads(t *testing.T) {
	tests := []struct {
		when string
		want sla.Attrs
	}{
		{`ticket.channel == "whatsapp"`, sla.AttrFixed},
		{`ticket.customer.tier == "vip" && ticket.id != ""`, sla.AttrFixed},
		{`ticket.status == "pending"`, sla.AttrStatus},
		{`ticket.priority == "urgent" || ticket.team == "billing"`, sla.AttrPriority | sla.AttrTeam},
		{`ticket.agent != "" && "vip" in ticket.tags`, sla.AttrAgent | sla.AttrTags},
		{`ticket.subject contains "x"`, sla.AttrSubject},
		{`ticket.fields.plan == "gold"`, sla.AttrFields},
		{`ticket["team"] == "billing"`, sla.AttrTeam},
		{`ticket != nil && ticket.team == "x"`, sla.AttrAll},
		{`ticket?.team == "billing"`, sla.AttrTeam},
		{`any(ticket.tags, {# == ticket.team})`, sla.AttrTags | sla.AttrTeam},
		{`let t = ticket; t.team == "x"`, sla.AttrAll},
		{`1 == 1`, sla.AttrFixed},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			src := "version: 1\npriorities: [high, low]\nslas:\n  - name: p\n    when: '" + strings.ReplaceAll(tt.when, "'", "''") +
				"'\n    calendar: {by: '(" + strings.ReplaceAll(tt.when, "'", "''") + ") ? \"a\" : \"b\"', map: {a: c}}\n" +
				"    targets: {high: {resolution: 1h}}\ncalendars:\n  c: {timezone: UTC, hours: {mon-fri: [\"09:00-17:00\"]}}\n"
			s, err := policy.Load("reads.yaml", []byte(src))
			require.NoError(t, err)
			pol := s.Config().Policies[0]
			assert.Equal(t, tt.want, pol.WhenReads, "when")
			assert.Equal(t, tt.want, pol.CalendarByReads, "calendar by")
		})
	}
}

// TestWhenReadsSkipChangesNothing replays generated histories under
// variants of the reference policy whose SLA policies' when and calendar
// read various ticket attributes (one of them failing on some tickets),
// once with the attributes they read declared, so that the engine skips
// choosing the policy again after events that change none of them, and
// once with nothing declared: the results must be the same.
func TestWhenReadsSkipChangesNothing(t *testing.T) {
	ref, err := os.ReadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	const old = `when: 'ticket.channel == "whatsapp"'`
	require.Contains(t, string(ref), old)
	variants := []string{
		`ticket.channel == "whatsapp"`,
		`ticket.channel == "whatsapp" && ticket.status != "pending"`,
		`ticket.channel == "whatsapp" || ticket.team == "billing"`,
		`"outage" in ticket.tags || ticket.agent != "" && ticket.channel == "whatsapp"`,
		`ticket.fields.incident_candidate == true || ticket.channel == "whatsapp"`,
		`ticket.priority == "urgent" || ticket.channel == "whatsapp" && ticket.status != "on_hold"`,
		`ticket.fields.incident_candidate.x == 1 || ticket.channel == "whatsapp"`, // fails on some tickets
	}
	for i, when := range variants {
		t.Run(when, func(t *testing.T) {
			src := strings.Replace(string(ref), old, "when: '"+strings.ReplaceAll(when, "'", "''")+"'", 1)
			src = strings.Replace(src, "calendar: berlin-support\n", "calendar: {by: 'ticket.team', map: {billing: sp-support}, default: berlin-support}\n", 1)
			s, err := policy.Load("variant.yaml", []byte(src))
			require.NoError(t, err)
			declared := s.Config()
			require.NotZero(t, declared.Policies[0].WhenReads)
			require.NotZero(t, declared.Policies[1].CalendarByReads)
			undeclared := s.Config()
			undeclared.Policies = append([]sla.Policy(nil), undeclared.Policies...)
			for j := range undeclared.Policies {
				undeclared.Policies[j].WhenReads, undeclared.Policies[j].CalendarByReads = 0, 0
			}
			opts := sample.Options{Seed: uint64(i) + 7, Tickets: 400, Weeks: 1}
			a, b := replayJSON(t, declared, opts), replayJSON(t, undeclared, opts)
			require.Equal(t, len(a), len(b))
			for k := range a {
				require.JSONEq(t, string(b[k]), string(a[k]), "result %d", k)
			}
		})
	}
}

func replayJSON(t *testing.T, cfg sla.Config, opts sample.Options) [][]byte {
	t.Helper()
	eng, err := sla.NewEngine(cfg)
	require.NoError(t, err)
	var out [][]byte
	for res, err := range eng.Replay(sample.Events(opts), time.Time{}) {
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, json.NewEncoder(&buf).Encode(res))
		out = append(out, buf.Bytes())
	}
	require.NotEmpty(t, out, fmt.Sprint(opts))
	return out
}

// TestWhenReadsSound asks each condition of a table (in the fast path and
// on the VM) of random tickets, and of the same tickets with every
// attribute it is not declared to read changed: the answers and failures
// must be the same.
func TestWhenReadsSound(t *testing.T) {
	conds := []string{
		`ticket.channel == "whatsapp"`,
		`ticket.status == "pending" || ticket.priority == "high"`,
		`ticket.team == "billing" && ticket.agent != ""`,
		`"vip" in ticket.tags`,
		`ticket.subject contains "pago"`,
		`has_keyword(ticket.subject, ["pago", "refund"])`,
		`ticket.fields.plan == "gold"`,
		`ticket.fields.plan.x == 1`, // fails when plan is a string
		`len(ticket.tags) > 1 || ticket.customer.tier == "vip"`,
		`any(ticket.tags, {# == ticket.team})`,
		`ticket.agent + ticket.team == "ab"`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	random := func(tk *sla.Ticket, a sla.Attrs) {
		if a&sla.AttrStatus != 0 {
			tk.Status = sla.Status(pick("new", "open", "pending", "solved"))
		}
		if a&sla.AttrPriority != 0 {
			tk.Priority = pick("", "high", "low")
		}
		if a&sla.AttrTeam != 0 {
			tk.Team = pick("", "billing", "a", "b")
		}
		if a&sla.AttrAgent != 0 {
			tk.Agent = pick("", "a", "b")
		}
		if a&sla.AttrTags != 0 {
			tk.Tags = [][]string{nil, {"vip"}, {"billing", "a"}, {"b", "vip", "x"}}[rng.IntN(4)]
		}
		if a&sla.AttrSubject != 0 {
			tk.Subject = pick("", "pago atrasado", "Refund please", "hello")
		}
		if a&sla.AttrFields != 0 {
			tk.Fields = []map[string]any{nil, {"plan": "gold"}, {"plan": map[string]any{"x": 1.0}}, {"other": true}}[rng.IntN(4)]
		}
		if a&sla.AttrFixed != 0 {
			tk.ID, tk.Channel = pick("t1", "t2"), pick("whatsapp", "email")
			tk.Customer.Tier = pick("", "vip")
		}
	}
	for _, cond := range conds {
		t.Run(cond, func(t *testing.T) {
			src := "version: 1\npriorities: [high, low]\nslas:\n  - name: p\n    when: '" + strings.ReplaceAll(cond, "'", "''") +
				"'\n    targets: {high: {resolution: 1h}}\n"
			s, err := policy.Load("sound.yaml", []byte(src))
			require.NoError(t, err)
			pol := s.Config().Policies[0]
			require.NotEqual(t, sla.AttrAll, pol.WhenReads)
			differ := 0
			for range 400 {
				var a sla.Ticket
				random(&a, sla.AttrAll)
				b := a
				random(&b, sla.AttrAll&^pol.WhenReads)
				okA, errA := pol.When(&a)
				okB, errB := pol.When(&b)
				require.Equal(t, okA, okB, "%+v against %+v", a, b)
				require.Equal(t, fmt.Sprint(errA), fmt.Sprint(errB), "%+v against %+v", a, b)
				var c sla.Ticket
				random(&c, sla.AttrAll)
				if okC, errC := pol.When(&c); okC != okA || fmt.Sprint(errC) != fmt.Sprint(errA) {
					differ++
				}
			}
			assert.Positive(t, differ, "the condition never changes its answer: the test cannot fail")
		})
	}
}
