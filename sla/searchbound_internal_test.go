package sla

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// searchBoundCheck replays on e the history of seed drawn as tc says
// and, before each of its events, takes the search that apply makes
// before an event whose instant may see a level due (fireUntil without
// exact) on the state as the steps before left it, memos included. When
// that search leaves a bound (ladderBounds.searchKept), the bound must be
// the walk's (firingBound) on the same state and memos, and the clock
// that gives it the walk's, whenever every running clock still has its
// memo (a clock whose memo another's replaced is bounded again, no later);
// it must not be after the next firing, and it must be none only when no
// level can fire. It returns how many searches left a bound, and how many
// of them the walk matched exactly.
func searchBoundCheck(t testing.TB, e *Engine, tc boundWalkCase, seed uint64, steps int) (kept, equal int) {
	first, hist := drawHistory(tc, seed, steps)
	st, err := e.Apply(State{}, first)
	require.NoError(t, err)
	for n, h := range hist {
		if st.Closed() {
			break
		}
		if !h.advance && st.fireDue(e.id, h.ev.At) {
			// The state itself, memos and all (a clone drops them),
			// searched in a copy replayed up to here.
			cp := replayUpTo(t, e, first, hist[:n])
			what := fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n)
			require.Equal(t, stateText(t, e, &st), stateText(t, e, &cp), "%s: the copy", what)
			e.fireUntil(&cp, h.ev.At, false, false)
			if cp.fireBy == e.id {
				kept++
				if checkSearchBound(t, e, &cp, h.ev.At, what) {
					equal++
				}
			}
		}
		st, _ = h.on(e, st) // an invalid event leaves it as it was
	}
	return kept, equal
}

// replayUpTo replays first and the steps hist on e from no state.
func replayUpTo(t testing.TB, e *Engine, first Event, hist []historyStep) State {
	st, err := e.Apply(State{}, first)
	require.NoError(t, err)
	for _, h := range hist {
		if st.Closed() {
			break
		}
		st, _ = h.on(e, st)
	}
	return st
}

// checkSearchBound checks the bound the search before the event at t left
// on st (see searchBoundCheck) and reports whether it is the walk's.
func checkSearchBound(t testing.TB, e *Engine, st *State, at time.Time, what string) bool {
	require.True(t, st.fireBound, "%s: a bound, not a firing", what)
	require.True(t, st.fireAt == 0 || st.fireAfter(at), "%s: the bound %d is not after the event", what, st.fireAt)
	pol := e.policyOf(st)
	ms := st.x().memos
	require.NotNil(t, ms, "%s: memos", what)
	require.Same(t, pol.ladder, ms.lad, "%s: the memos' ladder", what)
	// The next firing, searched without memos on a copy (a clone keeps
	// no memos): the bound is not after it.
	cl := st.Clone()
	cl.fireBy = 0
	next, fires := e.peekFiring(&cl)
	if st.fireAt == 0 {
		require.False(t, fires, "%s: none kept, %s fires", what, next)
	} else if fires {
		require.LessOrEqual(t, st.fireAt, next.UnixNano(), "%s: the bound %s is after the next firing %s", what, memoTime(st.fireAt), next)
	}
	// Every running clock's memo still there: the walk finds them all
	// and gives the same bound and clock.
	all := true
	cal := calOf(pol, st)
	tmask := pol.ladder.TicketMask()
	ticketFired := st.x().fired&tmask | ms.ruledOut(&st.ticket, ^(st.x().fired&tmask))
	for _, i := range st.open {
		c := &st.cycles[i]
		if !c.running() {
			continue
		}
		fired, ok := levelsLeft(c, pol.ladderMask(c.Metric)|tmask, ticketFired, pol.ladder)
		if !ok {
			continue
		}
		if _, hit := ms.lookup(int32(i), c, cal, fired); !hit {
			all = false
		}
	}
	least := ms.least
	b, by, ok := e.firingBound(st, pol, ms)
	if b == 0 {
		b = -1 // zero says none
	}
	if !ok {
		b, by = 0, -1
	}
	if !all {
		require.True(t, b == 0 && st.fireAt == 0 || b != 0 && b <= st.fireAt,
			"%s: the walk's bound %d after the search's %d", what, b, st.fireAt)
		return false
	}
	require.Equal(t, b, st.fireAt, "%s: the walk's bound", what)
	require.Equal(t, by, least, "%s: the clock that gives it", what)
	return true
}

// TestSearchBoundIsWalkBound takes, on the bound walk's histories (thirty
// seeds each), the search before every event that may see a level due on
// the kept engine: the bound it leaves when it finds none due is the
// walk's. keptHistory's engines (TestKeptBoundMatchesWalk) replay the same
// histories keeping those bounds over the events that change nothing, and
// compare with the walk after every event.
func TestSearchBoundIsWalkBound(t *testing.T) {
	ek, _ := keptEngines(t)
	kept, equal := 0, 0
	for _, tc := range boundWalkCases {
		for seed := range uint64(30) {
			k, eq := searchBoundCheck(t, ek, tc, seed, 40)
			kept += k
			equal += eq
		}
	}
	require.Greater(t, kept, 300, "searches that left a bound")
	require.Greater(t, equal, kept*9/10, "bounds the walk matched exactly")
	t.Logf("%d searches left a bound, %d of them the walk's exactly", kept, equal)
}

// TestBoundShortcutsOff clears one of the shortcuts of the kept engine at
// a time: the search's bound before an event (ladderBounds.searchKept,
// then the search leaves the next firing unknown) and the bound over
// cycles opened (ladderBounds.opened, then an event that opens cycles
// walks every clock after it). The engine's states, next firings and
// levels fired are the kept engine's, and both the walking engine's
// (keptHistory).
func TestBoundShortcutsOff(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clear func(b *ladderBounds)
	}{
		{"the search's bound", func(b *ladderBounds) { b.searchKept = false }},
		{"the bound over cycles opened", func(b *ladderBounds) { b.opened = false }},
		// Without exact firings, the search's fallback bounds the clocks
		// whose firing is past its limit (search.bound): a bound missed
		// there is a firing late.
		{"the exact firings", func(b *ladderBounds) { b.exact = false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ek, ew := keptEngines(t)
			off, _ := keptEngines(t)
			for _, p := range off.policies {
				tc.clear(&p.bounds)
			}
			for _, hc := range boundWalkCases {
				for seed := range uint64(3) {
					if k, _ := searchBoundCheck(t, off, hc, seed, 40); !off.policies[0].bounds.searchKept {
						require.Zero(t, k, "%s, seed %d: a bound left with searchKept cleared", hc.name, seed)
					}
					keptHistory(t, off, ew, hc, seed, 40)
					keptHistory(t, ek, off, hc, seed, 40)
				}
			}
		})
	}
}

// FuzzSearchBound is TestSearchBoundIsWalkBound and keptHistory on the
// history of any seed drawn as a case of the bound walk's table says,
// seeded from the table.
func FuzzSearchBound(f *testing.F) {
	for i := range boundWalkCases {
		f.Add(uint8(i), uint64(i), uint8(40))
	}
	ek, ew := keptEngines(f)
	f.Fuzz(func(t *testing.T, c uint8, seed uint64, steps uint8) {
		tc := boundWalkCases[int(c)%len(boundWalkCases)]
		searchBoundCheck(t, ek, tc, seed, int(steps%64))
		keptHistory(t, ek, ew, tc, seed, int(steps%64))
	})
}

// TestSearchBoundEdges replays, on the kept engine and on the one that
// walks after every event, a billing ticket created where the instants
// leave what a memo holds: a reminder due at Unix zero (whose bound, zero,
// says none unless stored short of it), across the last instant held and
// past it (clocks searched without memos), advanced eight minutes in,
// then an event every twelve minutes
// (a tag no condition reads, which changes nothing the bound reads, and
// with mixed, replies of either side) searches before it; every step
// compares the engines (checkKept).
func TestSearchBoundEdges(t *testing.T) {
	ek, ew := keptEngines(t)
	for _, c := range []struct {
		created time.Time
		mixed   bool
	}{
		{time.Date(1969, 12, 31, 23, 12, 0, 0, time.UTC), false},
		{time.Date(1969, 12, 31, 23, 12, 0, 0, time.UTC), true},
		{time.Date(2242, 3, 16, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2242, 3, 16, 12, 0, 0, 0, time.UTC), true},
		{time.Date(2260, 5, 3, 9, 0, 0, 0, time.UTC), false},
		{time.Date(2260, 5, 3, 9, 0, 0, 0, time.UTC), true},
	} {
		created := c.created
		first := Event{TicketID: "T", At: created, Type: EventCreated, Channel: "email",
			Priority: "urgent", Tags: []string{"vip"}, Team: "billing"}
		sk, err := ek.Apply(State{}, first)
		require.NoError(t, err)
		sw, err := ew.Apply(State{}, first)
		require.NoError(t, err)
		// Advanced first: the search it makes without limit works out
		// each clock's next firing exactly (the reminder's, at Unix zero
		// in 1969), which the searches before the events pass over.
		sk, _ = ek.Advance(sk, created.Add(8*time.Minute))
		sw, _ = ew.Advance(sw, created.Add(8*time.Minute))
		at, fired := created, 0
		for n := range 30 {
			at = at.Add(12 * time.Minute)
			ev := Event{TicketID: "T", At: at, Type: EventUpdate, Tags: []string{fmt.Sprint("seen", n)}}
			switch {
			case c.mixed && n%3 == 1:
				ev = Event{TicketID: "T", At: at, Type: EventMessage, Author: AuthorCustomer}
			case c.mixed && n%3 == 2:
				ev = Event{TicketID: "T", At: at, Type: EventMessage, Author: AuthorAgent}
			}
			fired -= len(sk.x().escalations)
			sk, err = ek.Apply(sk, ev)
			require.NoError(t, err)
			sw, err = ew.Apply(sw, ev)
			require.NoError(t, err)
			fired += len(sk.x().escalations)
			checkKept(t, ek, ew, &sk, &sw, fmt.Sprintf("created %s, step %d", created.Format(time.RFC3339), n))
		}
		require.Positive(t, fired, "created %s: levels fired before events", created)
	}
}

// TestKeepBound pins how a bound is recorded (the walk after an event and
// the search before it record theirs alike): none for noFiring, with no
// clock giving it; a bound at Unix zero, which would say none, one
// nanosecond short of it; any other as it is, with its clock.
func TestKeepBound(t *testing.T) {
	for _, tc := range []struct {
		name      string
		b         int64
		by        int32
		at        int64
		least     int32
		withMemos bool
	}{
		{"none", noFiring, -1, 0, -1, true},
		{"Unix zero", 0, 3, -1, 3, true},
		{"before 1970", -5 * 60e9, 1, -5 * 60e9, 1, true},
		{"2026", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano(), 2, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano(), 2, true},
		{"the last instant held", memoLast, 1, memoLast, 1, true},
		{"without memos", 42, 1, 42, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var st State
			var ms *firingMemos
			if tc.withMemos {
				ms = &firingMemos{}
			}
			st.keepBound(7, tc.b, tc.by, ms)
			require.Equal(t, uint64(7), st.fireBy)
			require.True(t, st.fireBound)
			require.Equal(t, tc.at, st.fireAt)
			if ms != nil {
				require.Equal(t, tc.least, ms.least)
			}
		})
	}
}

// TestFiringKeyFields pins firingKey's fields: firingMemos.put writes them
// one by one, so that a field added to the key and not written there would
// keep the value of the memo before, and a memo would be found for a key it
// does not hold.
func TestFiringKeyFields(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[firingKey]().Fields() {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"cal", "from", "due", "base", "target", "fired"}, names,
		"firingKey changed: write every field in firingMemos.put, then update this list")
	var ms firingMemos
	ms.put(3, calendar.Always, 1, 2, 3, 4, 5, 6)
	m := ms.memoSlot(3)
	require.True(t, m.holds(3))
	assert.Equal(t, firingKey{cal: calendar.Always, from: 1, due: 2, base: 3, target: 4, fired: 5}, m.key)
	assert.Equal(t, int64(6), m.at)
}
