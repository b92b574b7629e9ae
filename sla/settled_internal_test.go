package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/stretchr/testify/require"
)

// checkFirstTests fails unless the first tests apply asks before calling
// syncPauses and advance tell the truth for st at t: when
// st.pausesSettled(pol) holds, syncPauses leaves st as it is under pol
// (every policy of e, and none); when st.mayBreach(t) does not, advance
// leaves it as it is. It returns how many of the claims were "nothing to
// do" (the calls apply skips).
func checkFirstTests(t *testing.T, e *Engine, st *State, at time.Time, what string) (skips int) {
	t.Helper()
	before := stateText(t, e, st)
	for _, pol := range append([]*compiled{nil}, e.policies...) {
		if !st.pausesSettled(pol) {
			continue
		}
		skips++
		c := st.Clone()
		e.syncPauses(&c, pol, calOf(pol, &c), at)
		require.Equal(t, before, stateText(t, e, &c), "%s: syncPauses changed a settled state", what)
	}
	if !st.mayBreach(at) {
		skips++
		c := st.Clone()
		e.advance(&c, at)
		require.Equal(t, before, stateText(t, e, &c), "%s: advance changed a state before its bound", what)
	}
	return skips
}

// TestFirstTestsMatchCalls runs random histories (the derived-state
// tests' engines and events) and checks, before every event and after it,
// that the tests apply asks inlined (pausesSettled, mayBreach) claim
// "nothing to do" only where the calls they skip would do nothing: the
// instants a minute before the next event, at it and a day after it (a
// deadline in between). Dropping the unpaused test from pausesSettled, or
// taking ">" for ">=" in mayBreach, fails it.
func TestFirstTestsMatchCalls(t *testing.T) {
	es := derivedEngines(t)
	r := rand.New(rand.NewPCG(12, 2026))
	skips := 0
	for h := range 80 {
		skips += firstTestsHistory(t, es, r, fmt.Sprintf("history %d", h))
	}
	require.Greater(t, skips, 1000, "claims of nothing to do")
}

// FuzzFirstTests is TestFirstTestsMatchCalls for one history of the
// fuzzer's seed.
func FuzzFirstTests(f *testing.F) {
	for _, seed := range []uint64{0, 1, 12, 2026, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		firstTestsHistory(t, derivedEngines(t), rand.New(rand.NewPCG(seed, 12)), "history")
	})
}

// firstTestsHistory runs one history of up to 40 events for
// TestFirstTestsMatchCalls and returns the claims of nothing to do.
func firstTestsHistory(t *testing.T, es []*Engine, r *rand.Rand, name string) (skips int) {
	types := []EventType{EventMessage, EventMessage, EventNote, EventStatus, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusOpen, StatusPending}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
	e := es[r.IntN(len(es))]
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated,
		Channel: []string{"email", "whatsapp"}[r.IntN(2)], Priority: []string{"urgent", "normal"}[r.IntN(2)]})
	require.NoError(t, err)
	for n := range 40 {
		at = at.Add(time.Duration(r.IntN(4*60)) * time.Minute)
		what := fmt.Sprintf("%s, step %d", name, n)
		for _, d := range []time.Duration{-time.Minute, 0, 24 * time.Hour} {
			if !at.Add(d).Before(st.lastAt) {
				skips += checkFirstTests(t, e, &st, at.Add(d), what)
			}
		}
		if st, err = e.Apply(st, randomEvent(r, at, types, statuses)); err != nil || st.Closed() {
			break
		}
	}
	return skips
}

// TestMayBreachOpenCycles checks mayBreach's claims on tickets with two
// open cycles, one and none (an agent's ticket opens its resolution cycle
// alone; a solve stops every cycle): a running cycle whose deadline has
// passed is one to find breached, and a ticket with no open cycle has
// none, whatever its bound. Asking for two open cycles, or ignoring the
// open ones, fails it.
func TestMayBreachOpenCycles(t *testing.T) {
	// A desk in New York, closed on Friday 3 April 2026: a resolution due
	// in 8 business hours from Thursday 10:00 falls due on Monday 10:00.
	cal, err := calendar.New(calendar.Spec{Timezone: "America/New_York",
		Hours: map[string][]string{"mon-fri": {"08:30-16:30"}}, Holidays: []string{"2026-04-03"}})
	require.NoError(t, err)
	ny := cal.Location()
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Calendar: cal,
		Targets: map[string]map[Metric]time.Duration{"normal": {Resolution: 8 * time.Hour}}}}})
	require.NoError(t, err)
	private := false
	at, due := time.Date(2026, 4, 2, 10, 0, 0, 0, ny), time.Date(2026, 4, 6, 10, 0, 0, 0, ny)
	for _, tc := range []struct {
		name   string
		author Author
		solve  bool
		open   int
	}{
		{"customer's ticket", AuthorCustomer, false, 2},
		{"agent's ticket", AuthorAgent, false, 1},
		{"solved", AuthorAgent, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Priority: "normal",
				Author: tc.author, Public: &private})
			require.NoError(t, err)
			if tc.solve {
				st, err = e.Apply(st, Event{TicketID: "T", At: at.Add(time.Hour), Type: EventStatus, Status: StatusSolved})
				require.NoError(t, err)
			}
			require.Len(t, st.open, tc.open)
			for _, when := range []time.Time{at.Add(2 * time.Hour), due.Add(-time.Second), due, due.Add(time.Hour)} {
				checkFirstTests(t, e, &st, when, when.String())
				if tc.open > 0 && !when.Before(due) {
					require.True(t, st.mayBreach(when), "%s: the resolution deadline has passed", when)
				}
			}
			st.breachFrom = 0 // not known
			require.Equal(t, tc.open > 0, st.mayBreach(due.Add(time.Hour)))
		})
	}
	require.False(t, new(State).mayBreach(at), "a ticket not created has no cycle")
}
