package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// checkSearchCycles requires the search of a ladder that fires on running
// cycles only (searchCycles, one walk of them) to find what the general
// search finds over the clocks it gathers (searchGathered), with the same
// memos, and to leave the same memos behind: from the memos st kept and
// from none, without a limit and with limits around st's next firing. It
// reports whether the walk served.
func checkSearchCycles(t testing.TB, e *Engine, st *State, what string) bool {
	t.Helper()
	pol := e.policyOf(st)
	if pol == nil || !pol.bounds.cycles || !pol.bounds.memoized {
		return false
	}
	kept := firingMemos{lad: pol.ladder, reads: pol.reads}
	if ms := st.x().memos; ms != nil && ms.lad == pol.ladder {
		kept = *ms
	}
	ref := st.Clone()
	tk := ref.ticket
	var next escalation.Firing
	_, found := e.nextFiring(&ref, pol, &tk, false, time.Time{}, nil, &next)
	limits := []time.Time{{}, st.lastAt.Add(time.Nanosecond), st.lastAt.Add(30 * 24 * time.Hour)}
	if found {
		limits = append(limits, next.At, next.At.Add(time.Nanosecond), next.At.Add(time.Hour))
	}
	for _, start := range []firingMemos{kept, {lad: pol.ladder, reads: pol.reads}} {
		for _, before := range limits {
			walk, gathered := st.Clone(), st.Clone()
			m1, m2 := start, start
			walk.xw().memos, gathered.xw().memos = &m1, &m2
			var f1, f2 escalation.Firing
			k1, ok1, _, _ := e.searchCycles(&walk, pol, &walk.ticket, true, before, &m1, &f1)
			k2, ok2 := e.searchGathered(&gathered, pol, &gathered.ticket, true, before, &m2, &f2)
			require.Equal(t, ok2, ok1, "%s, before %v: whether a level falls due", what, before)
			if ok1 {
				require.Equal(t, k2, k1, "%s, before %v: the clock", what, before)
				require.Equal(t, f2, f1, "%s, before %v: the firing", what, before)
			}
			require.Equal(t, m2, m1, "%s, before %v: the memos left behind", what, before)
		}
	}
	return true
}

// TestSearchCyclesMatchesGathered checks the walk of the search
// (checkSearchCycles) on every step of the bound walk's histories.
func TestSearchCyclesMatchesGathered(t *testing.T) {
	e := memoEngine(t)
	walked := 0
	eachStep(t, e, 23, func(st *State, what string) {
		if checkSearchCycles(t, e, st, what) && !st.Closed() {
			walked++
		}
	})
	require.Greater(t, walked, 300, "open tickets the walk searched")
}

// FuzzSearchCycles is TestSearchCyclesMatchesGathered on the history of
// any seed drawn as a case of the bound walk's table says, seeded from the
// table.
func FuzzSearchCycles(f *testing.F) {
	fuzzHistories(f, checkSearchCycles)
}
