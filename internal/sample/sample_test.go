package sample_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

var root = filepath.Join("..", "..")

// TestSampleFileUpToDate regenerates testdata/history/sample.jsonl in
// memory: the committed file can never drift from the generator.
func TestSampleFileUpToDate(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(root, "testdata", "history", "sample.jsonl"))
	require.NoError(t, err)
	var got bytes.Buffer
	n, err := sample.Write(&got, sample.Default())
	require.NoError(t, err)
	require.Equal(t, bytes.Count(want, []byte("\n")), n)
	if !bytes.Equal(want, got.Bytes()) {
		t.Fatal("testdata/history/sample.jsonl differs from the generator's output; regenerate it with\n" +
			"\tgo run ./cmd/slakit-sample -o testdata/history/sample.jsonl")
	}
	assert.Less(t, len(want), 5<<20, "the committed sample stays small")
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name string
		o    sample.Options
	}{
		{"default", sample.Options{Seed: 7, Tickets: 300}},
		{"other start and length", sample.Options{Seed: 99, Tickets: 200, Start: time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC), Weeks: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b bytes.Buffer
			_, err := sample.Write(&a, tt.o)
			require.NoError(t, err)
			_, err = sample.Write(&b, tt.o)
			require.NoError(t, err)
			require.Equal(t, a.String(), b.String())
			o2 := tt.o
			o2.Seed++
			var c bytes.Buffer
			_, err = sample.Write(&c, o2)
			require.NoError(t, err)
			require.NotEqual(t, a.String(), c.String(), "another seed, another history")
		})
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, o := range []sample.Options{{Tickets: -1}, {Weeks: -2}, {Start: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		_, err := sample.Write(&bytes.Buffer{}, o)
		require.ErrorIs(t, err, sample.ErrOptions)
	}
}

// TestShape checks the order, the JSON shape and the content mix.
func TestShape(t *testing.T) {
	o := sample.Default()
	o.Tickets = 1000
	start := o.Start
	end := start.AddDate(0, 0, 7*o.Weeks+1)
	var prev time.Time
	last := map[string]time.Time{}
	count := map[string]int{}
	channel := map[string]string{}
	for ev, err := range sample.Events(o) {
		require.NoError(t, err)
		require.False(t, ev.At.Before(prev), "time order at %s", ev.TicketID)
		prev = ev.At
		require.True(t, ev.At.After(start.Add(-24*time.Hour)) && ev.At.Before(end), "%s in the period", ev.At)
		if l, ok := last[ev.TicketID]; ok {
			require.True(t, ev.At.After(l))
		} else {
			require.Equal(t, sla.EventCreated, ev.Type, "a ticket starts with created")
		}
		last[ev.TicketID] = ev.At
		count[string(ev.Type)]++
		if ev.Type == sla.EventCreated {
			channel[ev.TicketID] = ev.Channel
			count[ev.Channel]++
			if ev.Customer.Tier == "vip" {
				count["vip"]++
			}
			if ev.Referral {
				count["referral"]++
			}
		}
		if ev.Type == sla.EventMessage && ev.Author == "" {
			require.Equal(t, ev.MessageID != "", channel[ev.TicketID] == "whatsapp", "message ids on WhatsApp customer messages")
		}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		var back sla.Event
		require.NoError(t, json.Unmarshal(b, &back))
		require.True(t, back.At.Equal(ev.At))
	}
	require.Equal(t, 1000, len(last))
	for _, k := range []string{"created", "message", "assign", "status", "escalated", "csat", "window_rejected", "whatsapp", "email", "vip", "referral"} {
		assert.Positive(t, count[k], k)
	}
	assert.InDelta(t, 600, count["whatsapp"], 80)
}

// TestReplayMultidesk replays the committed sample through the reference
// policy: no errors, and every feature of the policy shows up.
func TestReplayMultidesk(t *testing.T) {
	set, err := policy.LoadFile(filepath.Join(root, "testdata", "policies", "multidesk.yaml"))
	require.NoError(t, err)
	eng, err := set.Engine()
	require.NoError(t, err)
	acc, err := kpi.New(set.KPIConfig())
	require.NoError(t, err)

	var tickets, fired, expired, reopened, breached, rejected int
	rules := map[string]int{}
	levels := map[string]int{}
	for r, err := range eng.Replay(sample.Events(sample.Default()), time.Time{}) {
		require.NoError(t, err)
		require.Empty(t, r.Errors, "ticket %s", r.Ticket)
		tickets++
		acc.Add(r)
		fired += len(r.Escalations)
		for _, e := range r.Escalations {
			levels[e.Level]++
		}
		for _, ru := range r.Rules {
			rules[ru.Rule]++
		}
		if r.WhatsApp != nil && r.WhatsApp.ExpiredBeforeFirstResponse {
			expired++
		}
		if r.Stats.Reopens > 0 {
			reopened++
		}
		if !r.Stats.WindowRejectedAt.IsZero() {
			rejected++
		}
		for _, c := range r.Clocks {
			if c.State == sla.StateBreached {
				breached++
				break
			}
		}
	}
	rep := acc.Report()
	t.Logf("tickets %d, breached %d, escalations fired %d %v, windows expired %d, rejected %d, reopened %d, rules %v",
		tickets, breached, fired, levels, expired, rejected, reopened, rules)
	b, _ := json.Marshal(map[string]any{"sla_compliance": rep.SLACompliance, "fcr": rep.FCRRate, "esc": rep.EscalationRate,
		"reopen": rep.ReopenRate, "backlog": rep.Backlog, "csat": rep.CSAT, "fr": rep.Metrics[sla.FirstResponse]})
	t.Logf("report %s", b)

	require.Equal(t, 3000, tickets)
	assert.Positive(t, breached)
	assert.Positive(t, levels["remind"])
	assert.Positive(t, levels["billing-specialist"])
	assert.Positive(t, levels["leadership"])
	assert.Positive(t, expired)
	assert.Positive(t, rejected)
	assert.Positive(t, reopened)
	for _, ru := range []string{"vip", "billing", "whatsapp-desk", "email-desk", "outage"} {
		assert.Positive(t, rules[ru], ru)
	}
	require.NotNil(t, rep.FCRRate)
	assert.Positive(t, *rep.FCRRate)
	require.NotNil(t, rep.SLACompliance)
	assert.Greater(t, *rep.SLACompliance, 0.5)
	assert.Less(t, *rep.SLACompliance, 0.99)
	assert.Positive(t, rep.Backlog)
	assert.Positive(t, rep.CSAT.Responses)
}
