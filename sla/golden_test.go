package sla_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
	"github.com/slakit/slakit/whatsappwindow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

// standardLadder reminds the assignee at 80% of the target and pages tier 2
// at the breach.
func standardLadder(t testing.TB) *escalation.Ladder {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000},
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}},
		{Name: "page", At: escalation.Trigger{Kind: escalation.Breach},
			Actions: []escalation.Action{{Type: escalation.Escalate, Target: "tier2"}}},
	})
	require.NoError(t, err)
	return l
}

func whatsappTracker(t testing.TB) *whatsappwindow.Tracker {
	tr, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	return tr
}

// goldenConfig: a WhatsApp policy on a 24x7 São Paulo calendar with an
// escalation ladder, a vip policy, and the São Paulo business-hours
// catch-all; a routing rule raises the priority of "urgente" messages.
func goldenConfig(t testing.TB) sla.Config {
	wa := sla.Policy{Name: "whatsapp", When: func(tk *sla.Ticket) (bool, error) { return tk.Channel == "whatsapp", nil },
		Calendar: allDay(t, "America/Sao_Paulo"), Escalation: "standard",
		Targets: targets{
			"urgent": {fr: 5 * time.Minute, nr: 15 * time.Minute, res: 4 * time.Hour},
			"normal": {fr: 15 * time.Minute, nr: time.Hour, res: 24 * time.Hour},
		}}
	vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
		Calendar: spCal(t), Targets: targets{"high": {fr: time.Hour, nr: time.Hour, res: 8 * time.Hour}}}
	router := sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		if ev.Type == sla.EventMessage && ev.Author != sla.AuthorAgent && strings.Contains(strings.ToLower(ev.Text), "urgente") {
			tk.Priority = "urgent"
			return []string{"urgent-keyword"}, nil
		}
		return nil, nil
	})
	return sla.Config{Policies: []sla.Policy{wa, vip, {Name: "sp", Calendar: spCal(t), Targets: stdTargets()}},
		Rules: router, Ladders: map[string]*escalation.Ladder{"standard": standardLadder(t)},
		WhatsApp: whatsappTracker(t)}
}

func readLines(t testing.TB, path string) iter2 {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return func(yield func(sla.Event, error) bool) {
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			var ev sla.Event
			err := json.Unmarshal(sc.Bytes(), &ev)
			if !yield(ev, err) {
				return
			}
		}
	}
}

type iter2 = func(yield func(sla.Event, error) bool)

func TestReplayGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/replay/*.jsonl")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	e := mustEngine(t, goldenConfig(t))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var out bytes.Buffer
			for r, err := range e.Replay(readLines(t, f), mustTime(t, "2026-03-03T12:00:00-03:00")) {
				if err != nil { // a problem of no live ticket, as a comment line
					fmt.Fprintf(&out, "# %v\n", err)
					continue
				}
				b, err := json.Marshal(r)
				require.NoError(t, err)
				out.Write(b)
				out.WriteByte('\n')
			}
			slatest.GoldenBytes(t, strings.TrimSuffix(f, ".jsonl")+".golden", out.Bytes())
		})
	}
}

// TestStateGolden pins the JSON form of a State: field order, version,
// instants with offsets and sub-second digits.
func TestStateGolden(t *testing.T) {
	e := mustEngine(t, goldenConfig(t))
	var st sla.State
	for ev, err := range readLines(t, "testdata/replay/mixed.jsonl") {
		require.NoError(t, err)
		if ev.TicketID == "E1" {
			ev.At = ev.At.Add(123456789 * time.Nanosecond)
			st, _ = e.Apply(st, ev)
		}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	require.NoError(t, err)
	slatest.GoldenBytes(t, "testdata/state/e1.golden.json", append(b, '\n'))
	var back sla.State
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.MarshalIndent(back, "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2))
}
