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
	for _, tc := range boundWalkCases {
		for seed := range uint64(4) {
			r := rand.New(rand.NewPCG(seed, 13))
			at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
			st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email", Priority: "urgent"})
			require.NoError(t, err)
			statuses := tc.statuses
			if len(statuses) == 0 {
				statuses = allStatuses
			}
			for n := 0; n < 30; n++ {
				what := fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n)
				checkFireUntil(t, e, &st, what)
				if st.Closed() {
					closed++
					break
				}
				fired += len(st.x().escalations)
				at = at.Add(time.Duration(r.IntN(6*60)) * time.Minute)
				st, _ = e.Apply(st, randomEvent(r, at, tc.types, statuses)) // an invalid event leaves it as it was
			}
		}
	}
	require.Positive(t, closed, "closed tickets checked")
	require.Positive(t, fired, "levels fired")
}
