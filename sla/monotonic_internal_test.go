package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMonotonicReadingDropped applies events whose instants carry a
// monotonic clock reading (only time.Now gives one, hence its use here):
// the state keeps wall-clock instants only, so that a deadline and an
// event compare alike on every path (the engine compares by wall clock).
func TestMonotonicReadingDropped(t *testing.T) {
	e, err := NewEngine(Config{Policies: []Policy{{Name: "24x7", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, Resolution: 8 * time.Hour}}}}})
	require.NoError(t, err)
	now := time.Now() // a monotonic reading
	require.NotEqual(t, now, now.Round(0), "time.Now gives a monotonic reading")
	st, err := e.Apply(State{}, Event{TicketID: "T1", At: now, Type: EventCreated, Priority: "normal"})
	require.NoError(t, err)
	st, err = e.Apply(st, Event{TicketID: "T1", At: now.Add(2 * time.Hour), Type: EventMessage, Author: AuthorAgent})
	require.NoError(t, err)
	assert.True(t, st.lastAt == now.Add(2*time.Hour).Round(0), "the last event's instant, without the reading")
	require.NotEmpty(t, st.cycles)
	for _, c := range st.cycles {
		assert.True(t, c.Start == c.Start.Round(0), "cycle %s starts without a reading", c.Metric)
		assert.True(t, c.due == c.due.Round(0), "cycle %s is due without a reading", c.Metric)
	}
	assert.Equal(t, ClockBreached, e.Evaluate(st, now.Add(3*time.Hour)).Clocks[0].State, "first response answered after its hour")
}
