package sla_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// stateBase is a valid created ticket; the cases below replace its cycles.
const stateBase = `{"v":1,"ticket":{"id":"T","status":"open","created_at":"2026-03-02T09:00:00Z"},"policy":"",` +
	`"events":3,"last_at":"2026-03-02T12:00:00Z","replied":false,"waiting":false,"stats":{"agent_replies":0,` +
	`"customer_messages":0,"reopens":0,"escalations":0,"policy_changes":0,"priority_changes":0},"rules":[],"cycles":`

func TestStateValidation(t *testing.T) {
	tests := []struct {
		name, cycles, want string
	}{
		{"negative elapsed", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":-5,"state":"running"}]`,
			`cycle 1 (resolution#1): elapsed time -5ns is negative or over 200 years`},
		{"elapsed longer than the time since the start", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":10800000000001,"state":"running"}]`,
			`cycle 1 (resolution#1): elapsed time 3h0m0.000000001s longer than the time since its start`},
		{"negative target", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":-1,"base_ns":0,"state":"running"}]`,
			`target -1ns outside 0 to 200 years`},
		{"cycles out of order", `[{"metric":"first_response","n":1,"start":"2026-03-02T10:00:00Z","target_ns":0,"base_ns":0,"state":"running"},` +
			`{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`cycle 2 (resolution#1): starts before the cycle listed before it: cycles out of order`},
		{"cycle number zero", `[{"metric":"resolution","n":0,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`cycle number 0 below 1`},
		{"cycle numbers repeat", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","stop":"2026-03-02T10:00:00Z","target_ns":0,"base_ns":0,"state":"met"},` +
			`{"metric":"resolution","n":1,"start":"2026-03-02T10:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`cycle numbers of resolution must increase`},
		{"two open cycles of a metric", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"},` +
			`{"metric":"resolution","n":2,"start":"2026-03-02T10:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`a second open cycle of resolution`},
		{"no metric", `[{"metric":"","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`, `cycle 1: no metric`},
		{"start before creation", `[{"metric":"resolution","n":1,"start":"2026-03-01T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`start 2026-03-01T09:00:00Z outside the ticket's life`},
		{"pause before start", `[{"metric":"resolution","n":1,"start":"2026-03-02T10:00:00Z","pauses":[{"from":"2026-03-02T09:30:00Z"}],"target_ns":0,"base_ns":0,"state":"paused"}]`,
			`pause 1 out of order`},
		{"pause after an open pause", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","pauses":[{"from":"2026-03-02T09:30:00Z"},{"from":"2026-03-02T10:30:00Z"}],"target_ns":0,"base_ns":0,"state":"paused"}]`,
			`pause 2 out of order`},
		{"stop before start", `[{"metric":"resolution","n":1,"start":"2026-03-02T10:00:00Z","stop":"2026-03-02T09:30:00Z","target_ns":0,"base_ns":0,"state":"met"}]`,
			`stop 2026-03-02T09:30:00Z out of order`},
		{"bad cycle state", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"zombie"}]`,
			`cycle 1 (resolution#1): unknown state "zombie"`},
		{"running with stop", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","stop":"2026-03-02T10:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`cycle 1 (resolution#1): state running with a stop`},
		{"paused without pause", `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"paused"}]`,
			`cycle 1 (resolution#1): state paused does not match its pauses`},
		{"cycle number beyond int32", `[{"metric":"resolution","n":2147483648,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`,
			`cycle 1 (resolution#2147483648): cycle number 2147483648 out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st sla.State
			err := json.Unmarshal([]byte(stateBase+tt.cycles+`}`), &st)
			require.ErrorIs(t, err, sla.ErrState)
			assert.True(t, strings.HasPrefix(err.Error(), "sla: invalid state: cycle "), err.Error())
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	var st sla.State
	require.NoError(t, json.Unmarshal([]byte(stateBase+`[]}`), &st), "the base is valid")
	require.NoError(t, json.Unmarshal([]byte(stateBase+`[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":10800000000000,"state":"running"}]}`), &st),
		"elapsed time as long as the time since the start is valid")
	for _, doc := range []string{
		`{"v":1,"ticket":{"id":"","status":"","created_at":"0001-01-01T00:00:00Z"},"policy":"","events":-1,"last_at":"0001-01-01T00:00:00Z","replied":false,"waiting":false,"stats":{"agent_replies":0,"customer_messages":0,"reopens":0,"escalations":0,"policy_changes":0,"priority_changes":0},"cycles":[],"rules":[]}`,
		strings.Replace(stateBase+`[]}`, `"status":"open"`, `"status":"lost"`, 1),
		strings.Replace(stateBase+`[]}`, `"last_at":"2026-03-02T12:00:00Z"`, `"last_at":"2026-03-01T12:00:00Z"`, 1),
		strings.Replace(stateBase+`[]}`, `"agent_replies":0`, `"agent_replies":2147483648`, 1),
		strings.Replace(stateBase+`[]}`, `"reopens":0`, `"reopens":-2147483648`, 1),
	} {
		assert.ErrorIs(t, json.Unmarshal([]byte(doc), &st), sla.ErrState, doc)
	}
	// A ticket never created has no OLA cycle, as it has no cycle: the
	// engine starts a created ticket with none open.
	never := `{"v":1,"ticket":{"id":"","status":"","created_at":"0001-01-01T00:00:00Z"},"policy":"","events":0,"last_at":"0001-01-01T00:00:00Z","replied":false,"waiting":false,"stats":{"agent_replies":0,"customer_messages":0,"reopens":0,"escalations":0,"policy_changes":0,"priority_changes":0},"cycles":[],"rules":[]}`
	require.NoError(t, json.Unmarshal([]byte(never), &st), "a ticket never created is valid")
	withOLA := strings.Replace(never, `"cycles":[]`, `"cycles":[],"olas":[{"ola":"o","team":"billing","metric":"ola.time_to_own","n":1,"start":"2026-03-02T09:00:00Z","target_ns":0,"base_ns":0,"state":"running"}]`, 1)
	err := json.Unmarshal([]byte(withOLA), &st)
	require.ErrorIs(t, err, sla.ErrState)
	assert.Contains(t, err.Error(), "a ticket never created has attributes, cycles, OLA cycles")
}

// FuzzStateApply decodes State JSON and, when it is accepted, applies
// events to it, evaluates and advances it: bad states are refused with
// ErrState, and nothing panics or hangs.
func FuzzStateApply(f *testing.F) {
	golden, err := os.ReadFile("testdata/state/e1.golden.json")
	require.NoError(f, err)
	f.Add(golden)
	f.Add([]byte(stateBase + `[]}`))
	f.Add([]byte(stateBase + `[{"metric":"resolution","n":1,"start":"2026-03-02T09:00:00Z","pauses":[{"from":"2026-03-02T09:30:00Z"}],"target_ns":3600000000000,"base_ns":1800000000000,"state":"paused"}]}`))
	e := mustEngine(f, genConfig(f))
	// States the engine produces, as seeds.
	for _, seed := range []string{"a customer writes, an agent answers late, the ticket is solved and reopened", "\x00\x01\x02\x03\x04\x05\x06\x07"} {
		var st sla.State
		for _, ev := range genEvents(&byteSource{b: []byte(seed)}, 1, 40) {
			st, _ = e.Apply(st, ev)
		}
		b, err := json.Marshal(st)
		require.NoError(f, err)
		f.Add(b)
	}
	kinds := []string{`"type":"message","author":"customer"`, `"type":"message","author":"agent"`, `"type":"status","status":"pending"`,
		`"type":"status","status":"open"`, `"type":"status","status":"solved"`, `"type":"priority","priority":"urgent"`,
		`"type":"assign","team":"tier2"`, `"type":"update","tags":["vip"]`, `"type":"status","status":"closed"`}
	f.Fuzz(func(t *testing.T, data []byte) {
		var st sla.State
		if err := json.Unmarshal(data, &st); err != nil {
			var syntax *json.SyntaxError
			if !errors.Is(err, sla.ErrState) && !errors.As(err, &syntax) {
				t.Fatalf("decode error %v does not wrap ErrState", err)
			}
			return
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("an accepted state does not marshal: %v", err)
		}
		var back sla.State
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("an accepted state does not decode again: %v\n%s", err, b)
		}
		if !st.Created() {
			return
		}
		at := st.LastAt()
		for i, k := range kinds {
			at = at.Add(time.Duration(17*(i+1)) * time.Minute)
			var ev sla.Event
			id, _ := json.Marshal(st.Ticket().ID)
			if err := json.Unmarshal([]byte(`{"ticket":`+string(id)+`,"at":"`+at.Format(time.RFC3339Nano)+`",`+k+`}`), &ev); err != nil {
				t.Fatal(err)
			}
			st, _ = e.Apply(st, ev)
			_ = e.Evaluate(st, at.Add(time.Hour))
			st, _ = e.Advance(st, at.Add(2*time.Hour))
			if _, err := json.Marshal(e.Result(st, at.Add(3*time.Hour))); err != nil {
				t.Fatal(err)
			}
		}
	})
}
