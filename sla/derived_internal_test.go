package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prioSearchRef is prioIndex as a plain search of the priorities: the
// reference the hashed lookup must match.
func prioSearchRef(prios []string, p string) (int, bool) {
	i := slices.Index(prios, p)
	return max(i, 0), i >= 0
}

// prioEngine returns an engine with only its priorities set, as NewEngine
// sets them.
func prioEngine(t *testing.T, prios []string) *Engine {
	t.Helper()
	e := &Engine{}
	var errs configErrors
	require.True(t, e.checkPriorities(Config{Priorities: prios}, &errs))
	require.Empty(t, errs)
	return e
}

// TestPrioIndexMatchesSearch compares prioIndex (a slot picked by the
// name's hash, one comparison) with a search of the priorities, for lists
// whose names share no hash, share one (the lookup must then search),
// more than a map's threshold and more than the table holds, on every
// priority and on names that differ from one by a byte, a length or case.
func TestPrioIndexMatchesSearch(t *testing.T) {
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf("p%02d", i)
	}
	lists := []struct {
		name   string
		prios  []string
		hashed bool
	}{
		{"default", defaultPriorities, true},
		{"reference", []string{"urgent", "high", "normal", "low"}, true},
		{"one", []string{"only"}, true},
		{"shared hash", []string{"p1", "p2", "urgent"}, false}, // same length and first byte
		{"hash apart by length", []string{"a", "ab", "abc", "abcd"}, true},
		{"unicode", []string{"crítica", "alta", "média", "baixa"}, true},
		{"many", many, false},
		{"nine", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, true},
	}
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			e := prioEngine(t, l.prios)
			assert.Equal(t, l.hashed, e.prioHashed)
			var asks []string
			for _, p := range l.prios {
				asks = append(asks, p, strings.ToUpper(p), p+"x", p[:len(p)-1], "x"+p[1:], p[:len(p)-1]+"!")
			}
			asks = append(asks, "", "x", "normal", "urgent ", "\xff", strings.Repeat("u", 300))
			for _, p := range asks {
				wi, wok := prioSearchRef(l.prios, p)
				gi, gok := e.prioIndex(p)
				require.Equal(t, wok, gok, "%q", p)
				if wok {
					require.Equal(t, wi, gi, "%q", p)
					require.Equal(t, l.prios[wi], e.intern(p))
				} else {
					require.Equal(t, p, e.intern(p))
				}
			}
		})
	}
}

// FuzzPrioIndex compares prioIndex with a search on the reference
// priorities and on lists made from the fuzzer's names.
func FuzzPrioIndex(f *testing.F) {
	for _, s := range []string{"urgent", "high", "normal", "low", "", "p1", "u", "normal\x00"} {
		f.Add(s, "urgent,high,normal,low")
	}
	f.Add("b", "a,b,c")
	f.Fuzz(func(t *testing.T, p, list string) {
		prios := strings.Split(list, ",")
		e := &Engine{}
		var errs configErrors
		if !e.checkPriorities(Config{Priorities: prios}, &errs) || len(errs) > 0 {
			return
		}
		wi, wok := prioSearchRef(e.prios, p)
		gi, gok := e.prioIndex(p)
		if wok != gok || wok && wi != gi {
			t.Fatalf("prioIndex(%q) in %q = %d, %v; want %d, %v", p, prios, gi, gok, wi, wok)
		}
	})
}

// mayHoldRef is mayHold as a search of the OLAs: the reference for the
// engine's list of teams.
func (e *Engine) mayHoldRef(team string) bool {
	if team == "" {
		return false
	}
	for _, o := range e.olas {
		if o.Team == "" || o.Team == team {
			return true
		}
	}
	return false
}

// TestMayHoldMatchesOLAs compares mayHold (the engine's list of the teams
// the OLAs name, and whether one picks holdings by When) with a search of
// the OLAs, for engines with no OLA, OLAs of one team, of two OLAs on one
// team, and with an OLA picked by When.
func TestMayHoldMatchesOLAs(t *testing.T) {
	base := olaConfig(t)
	byTeam := []OLA{base.OLAs[0], base.OLAs[2]}
	twice := slices.Clone(byTeam)
	twice = append(twice, OLA{Name: "billing-2", Team: "billing", Targets: base.OLAs[0].Targets})
	// Names past the length bits of olaLens (63 bytes and more) share one.
	long := append(slices.Clone(byTeam), OLA{Name: "long-63", Team: strings.Repeat("t", 63), Targets: base.OLAs[0].Targets},
		OLA{Name: "long-70", Team: strings.Repeat("u", 70), Targets: base.OLAs[0].Targets})
	for _, tc := range []struct {
		name string
		olas []OLA
		any  bool
	}{
		{"none", nil, false},
		{"by team", byTeam, false},
		{"one team twice", twice, false},
		{"by when", base.OLAs, true},
		{"when alone", base.OLAs[1:2], true},
		{"long names", long, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.OLAs = tc.olas
			e, err := NewEngine(cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.any, e.olaAnyTeam)
			teams := []string{"", "billing", "tier2", "billing2", "Billing", "billinh", "tier", "tier3", "whatsapp-desk", "x"}
			for _, n := range []int{62, 63, 64, 70, 71, 200} {
				teams = append(teams, strings.Repeat("t", n), strings.Repeat("u", n))
			}
			for _, team := range teams {
				assert.Equal(t, e.mayHoldRef(team), e.mayHold(team), team)
			}
		})
	}
}

// TestBeforeUnixMatchesBefore compares beforeUnix (Unix seconds and
// nanoseconds) with time.Time.Before on instants without a monotonic
// reading (as apply strips them): a nanosecond and a second either side,
// equal instants in other zones, before 1970 and at the ends of the
// accepted years, and random pairs.
func TestBeforeUnixMatchesBefore(t *testing.T) {
	zs := loadZones(t, "America/Sao_Paulo", "Europe/Berlin", "America/New_York")
	base := []time.Time{
		time.Date(2026, 3, 2, 9, 0, 0, 500, zs[0]),
		time.Date(1950, 6, 1, 12, 0, 0, 0, zs[1]),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		minInstant, maxInstant.Add(-1), time.Unix(0, 0),
	}
	var ts []time.Time
	for _, b := range base {
		for _, d := range []time.Duration{-time.Second, -1, 0, 1, time.Second} {
			u := b.Add(d)
			ts = append(ts, u, u.In(zs[2]), u.UTC())
		}
	}
	rng := rand.New(rand.NewPCG(10, 19))
	for range 2000 {
		ts = append(ts, time.Unix(rng.Int64N(maxUnix-minUnix)+minUnix, rng.Int64N(1e9)).In(zs[rng.IntN(3)]))
	}
	for i, a := range ts {
		for _, b := range []time.Time{ts[(i+1)%len(ts)], ts[(i*7+3)%len(ts)], a, a.Add(1), a.Add(-1)} {
			require.Equal(t, a.Before(b), beforeUnix(a.Unix(), a.Nanosecond(), b), "%v %v", a, b)
		}
	}
}

// TestPriorityDefaults compares priority (the policy's default kept by
// NewEngine in prioOr) with the rule it keeps: the ticket's own priority
// when the engine knows it, else the policy's default priority, else the
// engine's.
func TestPriorityDefaults(t *testing.T) {
	for _, cfg := range []Config{
		{Policies: []Policy{{Name: "own", DefaultPriority: "low"}, {Name: "engine's"}}},
		{Priorities: []string{"p1", "p2", "p3"}, DefaultPriority: "p1", // shared hash: the map
			Policies: []Policy{{Name: "own", DefaultPriority: "p3"}, {Name: "engine's"}}},
	} {
		e, err := NewEngine(cfg)
		require.NoError(t, err)
		for _, pol := range append([]*compiled{nil}, e.policies...) {
			for _, p := range append(slices.Clone(e.prios), "", "unknown", "LOW") {
				want := e.defPrio
				if i, ok := prioSearchRef(e.prios, p); ok {
					want = i
				} else if pol != nil && pol.defPrio >= 0 {
					want = pol.defPrio
				}
				require.Equal(t, want, e.priority(&Ticket{Priority: p}, pol), "%q", p)
			}
		}
	}
}

// pauseEngines returns engines whose one policy, "p", pauses its clocks
// differently: resolution at pending and on hold (the default), nothing
// ever, first response and resolution at on hold, and every clock of a
// custom metric at pending by its own condition.
func pauseEngines(t *testing.T) []*Engine {
	targets := map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour, "ack": 30 * time.Minute},
		"normal": {FirstResponse: 4 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 40 * time.Hour, "ack": 2 * time.Hour},
	}
	ack := CustomMetric{Name: "ack",
		Start: func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventCreated, nil },
		Stop:  func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventAssign, nil }}
	paused := ack
	paused.Pause = func(tk *Ticket) (bool, error) { return tk.Status == StatusPending, nil }
	var es []*Engine
	for _, p := range []Policy{
		{Name: "p", Targets: targets, Metrics: []CustomMetric{ack}},
		{Name: "p", Targets: targets, Metrics: []CustomMetric{ack}, PauseOn: []Status{}},
		{Name: "p", Targets: targets, Metrics: []CustomMetric{ack},
			PauseFor: map[Metric][]Status{FirstResponse: {StatusOnHold}, Resolution: {StatusOnHold}}},
		{Name: "p", Targets: targets, Metrics: []CustomMetric{paused}},
	} {
		e, err := NewEngine(Config{Policies: []Policy{p}})
		require.NoError(t, err)
		es = append(es, e)
	}
	return es
}

// checkDerivedBounds fails unless st's derived facts hold: with
// unpaused, no open cycle is paused; with breachFrom, every running cycle
// with a target and no recorded breach has its deadline at or after that
// second.
func checkDerivedBounds(t *testing.T, st *State, what string) {
	t.Helper()
	for _, i := range st.open {
		c := &st.cycles[i]
		if st.unpaused {
			require.NotEqual(t, phPaused, c.State, "%s: a paused cycle under unpaused", what)
		}
		if st.breachFrom != 0 && c.State == phRunning && c.Target > 0 && !c.hasBreach() {
			require.GreaterOrEqual(t, c.due.Unix(), st.breachFrom, "%s: %s's deadline before breachFrom", what, c.Metric)
		}
	}
}

// TestDerivedSkipsMatchWalks compares the engine, which skips syncPauses'
// walk when its State says no open cycle is paused (unpaused) and
// advance's walk before the first deadline a running cycle may reach
// (breachFrom), with the walks made at every step (both cleared before
// each), over random histories: events applied by engines that pause and
// target differently (one recomputes on a change of priority), chosen at
// random for each event (a state built under one configuration and
// carried on under another), or by an engine with an escalation ladder,
// with Advance steps and trips through JSON (which drops both). Setting
// either where it does not hold (unpaused while a cycle stays paused, a
// bound not lowered by a new cycle or not cleared where a deadline moves
// or a cycle runs again) fails it.
func TestDerivedSkipsMatchWalks(t *testing.T) {
	es := derivedEngines(t)
	r := rand.New(rand.NewPCG(10, 2026))
	var unpaused, bounded int
	for h := range 100 {
		u, b := derivedHistory(t, es, r, fmt.Sprintf("history %d", h))
		unpaused, bounded = unpaused+u, bounded+b
	}
	require.Greater(t, unpaused, 500, "steps that skipped syncPauses' walk")
	require.Greater(t, bounded, 300, "steps that skipped advance's walk")
}

// FuzzDerivedSkips is TestDerivedSkipsMatchWalks for one history of the
// fuzzer's seed.
func FuzzDerivedSkips(f *testing.F) {
	for _, seed := range []uint64{0, 1, 2026, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		derivedHistory(t, derivedEngines(t), rand.New(rand.NewPCG(seed, 19)), "history")
	})
}

// derivedEngines returns pauseEngines, an engine that recomputes on a
// change of priority, and, last, memoEngine (an escalation ladder).
func derivedEngines(t *testing.T) []*Engine {
	es := pauseEngines(t)
	recompute := es[0].policies[0].Policy
	recompute.OnPriorityChange = Recompute
	recompute.Targets = map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: 20 * time.Minute, NextResponse: 40 * time.Minute, Resolution: 3 * time.Hour},
		"normal": {FirstResponse: 5 * time.Hour, Resolution: 60 * time.Hour}}
	er, err := NewEngine(Config{Policies: []Policy{recompute}})
	require.NoError(t, err)
	return append(es, er, memoEngine(t))
}

// derivedHistory runs one random history of up to 40 steps (see
// TestDerivedSkipsMatchWalks) and returns how many steps skipped
// syncPauses' walk and advance's.
func derivedHistory(t *testing.T, es []*Engine, r *rand.Rand, name string) (unpaused, bounded int) {
	types := []EventType{EventMessage, EventMessage, EventNote, EventStatus, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusOpen, StatusPending}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
	ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: []string{"email", "whatsapp"}[r.IntN(2)],
		Priority: []string{"urgent", "normal"}[r.IntN(2)]}
	// The engine with a ladder runs a history alone, or mixed with the
	// others: a state handed to another engine keeps nothing that engine
	// did not work out itself.
	pick := func() *Engine { return es[r.IntN(len(es)-1)] }
	switch r.IntN(4) {
	case 0:
		pick = func() *Engine { return es[len(es)-1] }
	case 1:
		pick = func() *Engine { return es[r.IntN(len(es))] }
	}
	e := pick()
	st, err := e.Apply(State{}, ev)
	require.NoError(t, err)
	ref := st.Clone()
	for n := range 40 {
		at = at.Add(time.Duration(r.IntN(4*60)) * time.Minute)
		what := fmt.Sprintf("%s, step %d", name, n)
		e = pick()
		if r.IntN(10) == 0 {
			st, ref = viaJSON(t, &st), viaJSON(t, &ref) // both: JSON drops what escalation keeps too
		}
		if st.unpaused {
			unpaused++
		}
		if st.breachFrom != 0 && at.Unix() < st.breachFrom {
			bounded++
		}
		ref.unpaused, ref.breachFrom = false, 0 // the walks at every step
		if r.IntN(5) == 0 {
			st, _ = e.Advance(st, at)
			ref, _ = e.Advance(ref, at)
		} else {
			ev := randomEvent(r, at, types, statuses)
			var err1, err2 error
			st, err1 = e.Apply(st, ev)
			ref, err2 = e.Apply(ref, ev)
			require.Equal(t, err1 == nil, err2 == nil, what)
		}
		require.Equal(t, stateText(t, e, &ref), stateText(t, e, &st), what)
		checkDerivedBounds(t, &st, what)
		if st.Closed() {
			break
		}
	}
	return unpaused, bounded
}

// viaJSON returns st after a trip through its JSON form.
func viaJSON(t *testing.T, st *State) State {
	b, err := json.Marshal(st)
	require.NoError(t, err)
	var out State
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// TestDerivedResumeWhileOthersPaused runs, on the engine whose custom
// metric pauses on pending alone, histories where that metric's cycle
// runs again while the built-in cycles stay paused (pending to on_hold),
// and a deadline then passes before the next event: the state must be the
// one of the walks at every step.
func TestDerivedResumeWhileOthersPaused(t *testing.T) {
	e := pauseEngines(t)[3]
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, prio := range []string{"urgent", "normal"} {
		st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email", Priority: prio})
		require.NoError(t, err)
		ref := st.Clone()
		steps := []struct {
			after  time.Duration
			status Status
		}{{5 * time.Minute, StatusOnHold}, {5 * time.Minute, StatusPending}, {10 * time.Minute, StatusOnHold},
			{3 * time.Hour, StatusPending}, {time.Minute, StatusOnHold}, {30 * time.Hour, StatusOpen}}
		now := at
		for i, s := range steps {
			now = now.Add(s.after)
			what := fmt.Sprintf("%s, step %d", prio, i)
			ref.unpaused, ref.breachFrom = false, 0 // the walks at every step
			ev := Event{TicketID: "T", At: now, Type: EventStatus, Status: s.status}
			st, err = e.Apply(st, ev)
			require.NoError(t, err, what)
			ref, err = e.Apply(ref, ev)
			require.NoError(t, err, what)
			require.Equal(t, stateText(t, e, &ref), stateText(t, e, &st), what)
			checkDerivedBounds(t, &st, what)
		}
		breached := false
		for _, c := range e.Evaluate(st, now).Clocks {
			breached = breached || c.Metric == "ack" && !c.BreachedAt.IsZero()
		}
		require.True(t, breached, "%s: the resumed cycle breached", prio)
	}
}
