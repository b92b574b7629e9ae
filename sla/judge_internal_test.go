package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// check is judge with the refusal's error, as applyFound builds it.
func (e *Engine) check(st *State, ev *Event, found bool) (evKind, error) {
	k, r := e.judge(st, ev, found)
	if r != accepted {
		return k, e.refusedErr(r, st, ev)
	}
	return k, nil
}

// TestRefusalsHaveErrors checks that each refusal judge may give has an
// error of its own, which applyFound wraps: a refusal refusedErr forgets
// would let its event through.
func TestRefusalsHaveErrors(t *testing.T) {
	e, err := NewEngine(Config{})
	require.NoError(t, err)
	var st State
	ev := Event{TicketID: "T1", Type: EventCreated, At: time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)}
	require.NoError(t, e.refusedErr(accepted, &st, &ev))
	seen := map[string]refusal{}
	for r := refusedType; r <= refusedScore; r++ {
		err := e.refusedErr(r, &st, &ev)
		require.Error(t, err, "refusal %d", r)
		prev, dup := seen[err.Error()]
		require.False(t, dup, "refusals %d and %d give one error: %v", prev, r, err)
		seen[err.Error()] = r
	}
	require.Error(t, e.refusedErr(refusedScore, &st, &ev))
	require.NoError(t, e.refusedErr(refusedScore+1, &st, &ev), "a refusal past the last one")
}
