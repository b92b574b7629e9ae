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

// TestApplyStripsAsRound checks that applying an event leaves its instant
// as t.Round(0) would (the same wall clock and location, no monotonic
// reading), whether or not the event is accepted: instants with and
// without a reading, in UTC, Local, real zones, the zero instant and ones
// out of range.
func TestApplyStripsAsRound(t *testing.T) {
	e, err := NewEngine(Config{Policies: []Policy{{Name: "24x7", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour}}}}})
	require.NoError(t, err)
	var zones []*time.Location
	for _, name := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	now := time.Now()
	ins := []time.Time{{}, now, now.Add(time.Hour), now.UTC(), now.Local(), now.Round(0),
		time.Date(2026, 3, 8, 2, 30, 0, 1, zones[2]), time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 10, 25, 2, 30, 0, 0, zones[1]), time.Unix(0, 0), time.Unix(0, 0).UTC()}
	for _, loc := range zones {
		ins = append(ins, now.In(loc), now.In(loc).Add(-time.Minute), now.In(loc).Round(0))
	}
	for i, at := range ins {
		for _, typ := range []EventType{EventCreated, EventMessage} {
			ev := Event{TicketID: "T1", At: at, Type: typ, Priority: "normal"}
			_ = e.applyOpen(&State{}, &ev)
			want := at.Round(0)
			// == compares the wall clock, the monotonic reading and the
			// location pointer.
			assert.True(t, ev.At == want, "instant %d (%s): %#v, want %#v", i, at, ev.At, want)
			assert.Equal(t, want.String(), ev.At.String())
		}
	}
}
