package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// TestMemoSlots pins where the memos of a ticket's clocks are kept: each
// clock's in the slot of its id, so that a clock whose id shares the slot
// replaces it, and an empty slot, or one holding another clock's memo,
// holds none for a clock, even for the key that memo was stored with.
func TestMemoSlots(t *testing.T) {
	key := func(n int64) firingKey { return firingKey{from: n, due: n + 1, target: time.Hour, fired: 1} }
	type op struct {
		id    int32 // the clock
		store bool  // store its memo (at is seven times its id), or find it
		found bool  // what find must find
		// The key stored or looked for: key(id), key(of) with other, or
		// the zero key with zero.
		other bool
		of    int32
		zero  bool
	}
	tests := []struct {
		name   string
		reason string
		ops    []op
	}{
		{"empty", "a new table holds no memo, whatever the id, even for the zero key an empty slot holds",
			[]op{{id: 0, zero: true}, {id: 0}, {id: 3}, {id: windowCycle}, {id: int32(olaIndex(0))}, {id: int32(olaIndex(0)), zero: true}}},
		{"one", "a memo stored is found, the others not", []op{{id: 1, store: true}, {id: 1, found: true}, {id: 0}, {id: 5}}},
		{"four", "the first four cycles have a slot each", []op{{id: 0, store: true}, {id: 1, store: true}, {id: 2, store: true},
			{id: 3, store: true}, {id: 0, found: true}, {id: 1, found: true}, {id: 2, found: true}, {id: 3, found: true}}},
		{"shared slot", "cycle 4 takes cycle 0's slot", []op{{id: 0, store: true}, {id: 4, store: true}, {id: 0}, {id: 4, found: true}, {id: 8}}},
		{"another clock's key", "a memo is its own clock's, even for a clock of its slot with an equal key",
			[]op{{id: 0, store: true}, {id: 4, other: true, of: 0}, {id: 0, found: true}, {id: 1, store: true, other: true, of: 5},
				{id: 5}, {id: 1, other: true, of: 5, found: true}}},
		{"zero key", "a memo stored with the zero key is its clock's alone",
			[]op{{id: 4, store: true, zero: true}, {id: 0, zero: true}, {id: 4, zero: true, found: true}}},
		{"stored again", "a clock's new memo replaces its own", []op{{id: 2, store: true}, {id: 2, store: true}, {id: 2, found: true}, {id: 6}}},
		{"OLA cycles", "an OLA cycle's id is negative", []op{{id: int32(olaIndex(0)), store: true}, {id: int32(olaIndex(0)), found: true},
			{id: int32(olaIndex(4))}, {id: int32(olaIndex(4)), other: true, of: int32(olaIndex(0))}, {id: 2}, {id: windowCycle}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms firingMemos
			for i, o := range tc.ops {
				var k firingKey
				switch {
				case o.zero:
				case o.other:
					k = key(int64(o.of))
				default:
					k = key(int64(o.id))
				}
				if o.store {
					ms.store(o.id, &k, int64(o.id)*7)
					continue
				}
				at, hit := ms.find(o.id, &k)
				require.Equal(t, o.found, hit, "%s (op %d): find(%d) found, want %v", tc.reason, i, o.id, o.found)
				if hit {
					assert.Equal(t, int64(o.id)*7, at, "%s (op %d): find(%d)", tc.reason, i, o.id)
				}
			}
		})
	}
}

// manyClocksEngine is an engine whose tickets run more clocks than a
// ticket's memos have slots: the first response, the resolution and four
// custom metrics started at creation, each with a target, and a ladder
// that watches every clock (at half the target in each cycle, counted in
// São Paulo hours, and an hour past the first breach of the ticket) and
// one of the custom metrics.
func manyClocksEngine(t testing.TB) *Engine {
	sp, err := calendar.New(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}, Holidays: []string{"2026-11-02"}})
	require.NoError(t, err)
	notify := []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}
	lad, err := escalation.New("wide", []escalation.Level{
		{Name: "half", Metric: escalation.AnyMetric, At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, Actions: notify},
		{Name: "late", At: escalation.Trigger{Kind: escalation.Breach, Offset: time.Hour}, Actions: notify},
		{Name: "c3-late", Metric: "c3", At: escalation.Trigger{Kind: escalation.Breach, Offset: 30 * time.Minute}, Actions: notify},
	})
	require.NoError(t, err)
	created := func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventCreated, nil }
	var metrics []CustomMetric
	targets := map[Metric]time.Duration{FirstResponse: time.Hour, Resolution: 8 * time.Hour}
	for i := range 4 {
		name := Metric(fmt.Sprintf("c%d", i))
		tag := fmt.Sprintf("stop-%d", i)
		metrics = append(metrics, CustomMetric{Name: name, Start: created,
			Stop: func(tk *Ticket, _ *Event) (bool, error) { return tk.HasTag(tag), nil }})
		targets[name] = time.Duration(i+2) * time.Hour
	}
	e, err := NewEngine(Config{Policies: []Policy{{Name: "wide", Calendar: sp, Metrics: metrics, PauseOn: []Status{StatusPending},
		Targets: map[string]map[Metric]time.Duration{"normal": targets}, Escalation: "wide"}},
		Ladders: map[string]*escalation.Ladder{"wide": lad}})
	require.NoError(t, err)
	return e
}

// TestManyClocksShareMemoSlots replays random histories of tickets that
// run more clocks than their memos have slots (manyClocksEngine), on days
// around São Paulo's holiday, twice: keeping the memos from step to step,
// and cloning the state (which drops them) before each. Both must reach
// the same states, the same next firings and fire the same levels.
func TestManyClocksShareMemoSlots(t *testing.T) {
	e := manyClocksEngine(t)
	r := rand.New(rand.NewPCG(29, 5))
	fired, shared := 0, 0
	for h := range 12 {
		at := time.Date(2026, 10, 30, 7, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(4*24)) * time.Hour)
		st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email", Priority: "normal"})
		require.NoError(t, err)
		fresh := st.Clone()
		for n := range 40 {
			at = at.Add(time.Duration(r.IntN(5*60)) * time.Minute)
			what := fmt.Sprintf("history %d, step %d", h, n)
			if r.IntN(3) == 0 {
				var got, want []Escalation
				st, got = e.Advance(st, at)
				fresh, want = e.Advance(fresh.Clone(), at)
				require.Equal(t, want, got, "%s: levels fired", what)
			} else {
				ev := randomEvent(r, at, []EventType{EventMessage, EventStatus, EventUpdate}, []Status{StatusOpen, StatusPending, StatusOpen, StatusOpen})
				if ev.Type == EventUpdate {
					ev.Tags = []string{fmt.Sprintf("stop-%d", r.IntN(4))}
				}
				var err1, err2 error
				st, err1 = e.Apply(st, ev)
				fresh, err2 = e.Apply(fresh.Clone(), ev)
				require.Equal(t, err1 == nil, err2 == nil, what)
			}
			require.Equal(t, stateText(t, e, &fresh), stateText(t, e, &st), what)
			if runningShareSlot(&st) {
				shared++
			}
		}
		fired += len(st.x().escalations)
	}
	require.Greater(t, fired, 40, "levels fired")
	t.Logf("%d levels fired, %d steps with shared slots", fired, shared)
	require.Greater(t, shared, 50, "steps with two running clocks whose memos share a slot")
}

// runningShareSlot reports whether two running cycles of st have memo ids
// (their indices in st.cycles) that share a slot.
func runningShareSlot(st *State) bool {
	var seen [memoSlots]bool
	for _, i := range st.open {
		if !st.cycles[i].running() {
			continue
		}
		s := &seen[uint32(int32(i))%memoSlots]
		if *s {
			return true
		}
		*s = true
	}
	return false
}
