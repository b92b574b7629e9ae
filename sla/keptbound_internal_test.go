package sla

import (
	"fmt"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// keptEngines returns two memo engines whose billing level declares that
// it reads the team, so that their standard ladder's bound may be kept
// over events (ladderBounds.kept): kept keeps it (and the search's bound
// before an event, and the bound over cycles opened), walk walks the
// clocks after every event.
func keptEngines(t testing.TB) (kept, walk *Engine) {
	kept, walk = memoEngineReads(t, AttrTeam), memoEngineReads(t, AttrTeam)
	n := 0
	for i, p := range walk.policies {
		if kept.policies[i].bounds.kept {
			n++
		}
		p.bounds.kept, p.bounds.searchKept, p.bounds.opened = false, false, false
	}
	require.Equal(t, len(kept.policies), n, "every policy's bound may be kept")
	return kept, walk
}

// checkKept compares sk, the state that kept, with sw, the state that
// walked after every event, each on its engine: the same state and next
// firing; a bound kept no later than the next firing, an instant kept as
// the next firing that firing; and the same levels fired when both are
// advanced by the same steps (their copies, which keep what they know of
// the next firing). It reports whether what the two know of the next
// firing differs, which only a kept bound makes so.
func checkKept(t testing.TB, ek, ew *Engine, sk, sw *State, what string) bool {
	t.Helper()
	require.Equal(t, stateText(t, ew, sw), stateText(t, ek, sk), "%s: state", what)
	cl := sw.Clone()
	cl.fireBy = 0
	next, ok := ew.peekFiring(&cl)
	if sk.fireBy == ek.id {
		switch {
		case sk.fireAt == 0:
			require.False(t, ok, "%s: none kept, %s fires", what, next)
		case !sk.fireBound:
			require.True(t, ok, "%s: a firing kept, none fires", what)
			require.Equal(t, next.UnixNano(), sk.fireAt, "%s: the next firing kept", what)
		case ok:
			require.LessOrEqual(t, sk.fireAt, next.UnixNano(), "%s: the bound kept %s is after the next firing %s", what, memoTime(sk.fireAt), next)
		}
	}
	at := sk.lastAt
	for _, step := range []time.Duration{time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 10 * 24 * time.Hour} {
		_, xk := ek.Advance(sk.Clone(), at.Add(step)) // a clone keeps what its state knows of the next firing
		_, xw := ew.Advance(sw.Clone(), at.Add(step))
		require.Equal(t, xw, xk, "%s: the levels fired by %v", what, at.Add(step))
	}
	return sk.fireBy != sw.fireBy-ew.id+ek.id || sk.fireAt != sw.fireAt || sk.fireBound != sw.fireBound
}

// keptHistory replays the history of seed drawn as tc says (drawHistory)
// on both engines, checking each step (checkKept); it returns how many
// steps the two knew the next firing apart.
func keptHistory(t testing.TB, ek, ew *Engine, tc boundWalkCase, seed uint64, steps int) int {
	first, hist := drawHistory(tc, seed, steps)
	sk, err1 := ek.Apply(State{}, first)
	sw, err2 := ew.Apply(State{}, first)
	require.NoError(t, err1)
	require.NoError(t, err2)
	apart := 0
	for n, h := range hist {
		if sk.Closed() {
			break
		}
		sk, err1 = h.on(ek, sk)
		sw, err2 = h.on(ew, sw)
		require.Equal(t, err2 == nil, err1 == nil)
		if checkKept(t, ek, ew, &sk, &sw, fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n)) {
			apart++
		}
	}
	return apart
}

// TestKeptBoundMatchesWalk replays the bound walk's histories (ten seeds
// each) on an engine that keeps the bound over the events that change
// nothing it reads and on one that walks the clocks after every event:
// the same states, next firings and levels fired at every step. A change
// that moves the bound without marking it (State.boundStale) fails it.
func TestKeptBoundMatchesWalk(t *testing.T) {
	ek, ew := keptEngines(t)
	apart, checked := 0, 0
	for _, tc := range boundWalkCases {
		for seed := range uint64(10) {
			apart += keptHistory(t, ek, ew, tc, seed, 40)
			checked++
		}
	}
	require.Positive(t, apart, "steps at which the kept bound differs from the walk's")
	t.Logf("%d histories, %d steps at which the engines knew the next firing apart", checked, apart)
}

// FuzzKeptBound is TestKeptBoundMatchesWalk on the history of any seed
// drawn as a case of the bound walk's table says, seeded from the table.
func FuzzKeptBound(f *testing.F) {
	for i := range boundWalkCases {
		f.Add(uint8(i), uint64(i), uint8(40))
	}
	ek, ew := keptEngines(f)
	f.Fuzz(func(t *testing.T, c uint8, seed uint64, steps uint8) {
		keptHistory(t, ek, ew, boundWalkCases[int(c)%len(boundWalkCases)], seed, int(steps%64))
	})
}

// BenchmarkBoundAfterEvent is the work after an event that changed
// nothing the bound reads (fireAfterEvent), on an email ticket of the
// memo engine with two running clocks: kept reuses the bound, walked
// walks the clocks (ladderBounds.kept cleared).
func BenchmarkBoundAfterEvent(b *testing.B) {
	ek, ew := keptEngines(b)
	for _, bc := range []struct {
		name string
		e    *Engine
	}{{"kept", ek}, {"walked", ew}} {
		b.Run(bc.name, func(b *testing.B) {
			e := bc.e
			st := emailTicket(b, e, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			st, err := e.Apply(st, Event{TicketID: "T", At: st.lastAt.Add(time.Minute), Type: EventNote})
			require.NoError(b, err)
			pol := e.policyOf(&st)
			require.Equal(b, e.id, st.fireBy)
			require.True(b, st.fireBound)
			t := st.lastAt
			b.ReportAllocs()
			for b.Loop() {
				st.fireBy |= boundKept // as apply marks it
				e.fireAfterEvent(&st, pol, t)
			}
		})
	}
}

// TestFiringMemosSize pins the memo table's size: firingMemos.least lies
// in the padding after reads, so that the table keeps its 288-byte size
// class.
func TestFiringMemosSize(t *testing.T) {
	require.Equal(t, uintptr(288), unsafe.Sizeof(firingMemos{}))
}
