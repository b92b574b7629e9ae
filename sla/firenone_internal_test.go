package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/stretchr/testify/require"
)

// checkFireUntil requires fireUntil, exact or not, to fire at t what the
// search without memos finds due by then and, when nothing is due, to
// leave the next firing as that search finds it (exact) or unknown: on
// every state, created or not, open or closed, so that the shortcut for a
// ticket not created or closed answers as the search does.
func checkFireUntil(t testing.TB, e *Engine, st *State, what string) {
	t.Helper()
	ref := st.Clone()
	tk := ref.ticket
	var f escalation.Firing
	_, found := e.nextFiring(&ref, e.policyOf(&ref), &tk, false, time.Time{}, nil, &f)
	instants := []time.Time{st.lastAt, st.lastAt.Add(72 * time.Hour)}
	if found {
		instants = append(instants, f.At.Add(-time.Nanosecond), f.At)
	}
	for _, at := range instants {
		for _, exact := range []bool{false, true} {
			s := st.Clone()
			s.fireBy = 0 // unknown: fireUntil searches
			n := e.fireUntil(&s, at, false, exact)
			due := found && !f.At.After(at)
			require.Equal(t, due, n > 0, "%s, at %v, exact %v: whether a level fired", what, at, exact)
			if due {
				continue
			}
			if !exact {
				require.Zero(t, s.fireBy, "%s, at %v: the next firing left unknown", what, at)
				continue
			}
			var want State
			want.setFire(e.id, f.At, found, false)
			require.Equal(t, [3]any{want.fireBy, want.fireAt, want.fireBound}, [3]any{s.fireBy, s.fireAt, s.fireBound},
				"%s, at %v: the next firing", what, at)
		}
	}
}

// TestFireUntilWithoutTicket checks fireUntil (checkFireUntil) on the
// state before creation and on every step of the bound walk's histories,
// which close some of their tickets.
func TestFireUntilWithoutTicket(t *testing.T) {
	e := memoEngine(t)
	var empty State
	empty.lastAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	checkFireUntil(t, e, &empty, "no ticket")
	closed, fired := 0, 0
	eachStep(t, e, 13, func(st *State, what string) {
		checkFireUntil(t, e, st, what)
		if st.Closed() {
			closed++
		}
		fired += len(st.x().escalations)
	})
	require.Positive(t, closed, "closed tickets checked")
	require.Positive(t, fired, "levels fired")
}

// eachStep calls check on every state, up to the first closed one, of 30
// steps of four histories of each case of the bound walk's table (their
// seeds drawn with salt).
func eachStep(t *testing.T, e *Engine, salt uint64, check func(st *State, what string)) {
	for _, tc := range boundWalkCases {
		for seed := range uint64(4) {
			r := rand.New(rand.NewPCG(seed, salt))
			at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
			st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
				Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]})
			require.NoError(t, err)
			statuses := tc.statuses
			if len(statuses) == 0 {
				statuses = allStatuses
			}
			for n := 0; n < 30; n++ {
				check(&st, fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n))
				if st.Closed() {
					break
				}
				at = at.Add(time.Duration(r.IntN(6*60)) * time.Minute)
				st, _ = e.Apply(st, randomEvent(r, at, tc.types, statuses)) // an invalid event leaves it as it was
			}
		}
	}
}

// checkSearchFromBounds requires the search before an event (nextFiring
// with a limit), on st with its memos emptied, so that every clock's
// bound is worked out there first (cycleBound) and Next asked only when
// the bound is before the limit, to find the firing that the search
// without memos finds, for limits around st's next firing; and the memos
// it leaves to bound each clock's next firing (checkMemoBounds).
func checkSearchFromBounds(t *testing.T, e *Engine, st *State, what string) {
	t.Helper()
	pol := e.policyOf(st)
	if pol == nil || pol.ladder == nil || !pol.ladder.TicketWhenOnly() {
		return
	}
	ref := st.Clone()
	tk := ref.ticket
	var next escalation.Firing
	_, found := e.nextFiring(&ref, pol, &tk, false, time.Time{}, nil, &next)
	limits := []time.Time{st.lastAt.Add(time.Nanosecond), st.lastAt.Add(30 * 24 * time.Hour)}
	if found {
		limits = append(limits, next.At, next.At.Add(time.Nanosecond), next.At.Add(time.Hour))
	}
	for _, before := range limits {
		plain, memo := st.Clone(), st.Clone()
		ms := &firingMemos{lad: pol.ladder, reads: pol.reads}
		memo.xw().memos = ms
		var f1, f2 escalation.Firing
		tk1, tk2 := plain.ticket, memo.ticket
		k1, ok1 := e.nextFiring(&plain, pol, &tk1, false, before, nil, &f1)
		k2, ok2 := e.nextFiring(&memo, pol, &tk2, false, before, ms, &f2)
		require.Equal(t, ok1, ok2, "%s, before %v: whether a level falls due", what, before)
		if ok1 {
			require.Equal(t, k1, k2, "%s, before %v: the clock", what, before)
			require.Equal(t, f1, f2, "%s, before %v: the firing", what, before)
		}
		checkMemoBounds(t, e, &memo, fmt.Sprintf("%s, before %v", what, before))
	}
}

// TestSearchFromBounds checks the search before an event
// (checkSearchFromBounds) on every step of the bound walk's histories.
func TestSearchFromBounds(t *testing.T) {
	e := memoEngine(t)
	eachStep(t, e, 17, func(st *State, what string) {
		if !st.Closed() {
			checkSearchFromBounds(t, e, st, what)
		}
	})
}

// BenchmarkSearchWithoutMemos is the search before an event (nextFiring
// with a limit) on a ticket whose clocks have no memo, as after a level
// fired on them: each clock's bound first, Next only for one before the
// limit.
func BenchmarkSearchWithoutMemos(b *testing.B) {
	e := memoEngine(b)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st := emailTicket(b, e, at)
	pol := e.policyOf(&st)
	ms := e.memos(&st, pol, true)
	before := at.Add(time.Minute)
	var f escalation.Firing
	b.ReportAllocs()
	for b.Loop() {
		*ms = firingMemos{lad: pol.ladder, reads: pol.reads}
		e.nextFiring(&st, pol, &st.ticket, false, before, ms, &f)
	}
}

// TestFireAfterEventWithoutTicket requires fireAfterEvent, for a ticket
// not created or closed (which it answers without the walk), to leave
// the answer of firingBound (the general path): none can fire, known; on
// the empty state and the closed ones of the bound walk's histories.
func TestFireAfterEventWithoutTicket(t *testing.T) {
	e := memoEngine(t)
	var empty State
	empty.lastAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	require.True(t, checkFireAfterEvent(t, e, &empty, "no ticket"))
	closed := 0
	eachStep(t, e, 17, func(st *State, what string) {
		if checkFireAfterEvent(t, e, st, what) {
			closed++
		}
	})
	require.Positive(t, closed, "closed tickets checked")
}

// FuzzFireAfterEventWithoutTicket is TestFireAfterEventWithoutTicket on
// every step of the history of any seed drawn as a case of the bound
// walk's table says, seeded from the table.
func FuzzFireAfterEventWithoutTicket(f *testing.F) {
	fuzzHistories(f, checkFireAfterEvent)
}

// checkFireAfterEvent compares, for st not created or closed, what
// fireAfterEvent leaves on a clone of st with firingBound's answer on
// another, and reports whether st was such a state.
func checkFireAfterEvent(t testing.TB, e *Engine, st *State, what string) bool {
	pol := e.policyOf(st)
	got, ref := st.Clone(), st.Clone()
	got.fireBy, got.fireBound, got.fireAt = 0, false, 7
	e.fireAfterEvent(&got, pol, got.lastAt)
	b, _, ok := e.firingBound(&ref, pol, e.memos(&ref, pol, true))
	if st.Created() && !st.Closed() {
		return false
	}
	require.False(t, ok, "%s: firingBound finds a level to fire (bound %d)", what, b)
	require.Equal(t, e.id, got.fireBy, what)
	require.True(t, got.fireBound, what)
	require.Zero(t, got.fireAt, "%s: none can fire", what)
	return true
}
