package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireOpened fails unless st's opened bits hold (see openedMetrics):
// none while not known; once known, the bit of each built-in metric st
// has a cycle of, and no other. It then numbers a new cycle of each
// metric st has (and of each built-in one) both ways, on clones: with the
// bits, and with them cleared (the search of the cycles), which must
// agree.
func requireOpened(t *testing.T, st *State, what string) {
	t.Helper()
	o := st.stats.opened
	if o&openedKnown == 0 {
		require.Zero(t, o, "%s: bits set while not known", what)
		return
	}
	want := openedKnown
	metrics := append([]Metric(nil), builtins[:]...)
	for i := range st.cycles {
		m := st.cycles[i].Metric
		if b := builtinIndex(m); b >= 0 {
			want |= 1 << b
		} else {
			metrics = append(metrics, m)
		}
	}
	require.Equal(t, want, o, "%s: opened bits", what)
	for _, m := range metrics {
		fast, slow := st.Clone(), st.Clone()
		slow.stats.opened = 0
		require.Equal(t, slow.nextN(m), fast.nextN(m), "%s: number of a new %s cycle", what, m)
		require.Equal(t, slow.nextN(m), fast.nextN(m), "%s: number of a second new %s cycle", what, m)
	}
}

// TestOpenedMetricsThroughLife follows the opened bits of tickets created
// by each author (a customer, an agent in public and in private) through
// replies, customer messages, a reopening with a restart and one with a
// resumption, and a state read back from JSON (not known: the search
// numbers its cycles); requireOpened checks each step, and the numbers of
// the cycles are required as a reference numbering gives them.
func TestOpenedMetricsThroughLife(t *testing.T) {
	for _, reopen := range []Reopen{ReopenResume, ReopenRestart} {
		e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Reopen: reopen, Targets: map[string]map[Metric]time.Duration{
			"normal": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 8 * time.Hour},
		}}}})
		require.NoError(t, err)
		f := false
		for _, created := range []Event{
			{Author: AuthorCustomer},
			{Author: AuthorAgent},
			{Author: AuthorAgent, Public: &f},
		} {
			at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			created.TicketID, created.Type, created.At, created.Priority = "T", EventCreated, at, "normal"
			evs := []Event{created}
			for i, step := range []Event{
				{Type: EventMessage, Author: AuthorAgent},
				{Type: EventMessage, Author: AuthorCustomer},
				{Type: EventMessage, Author: AuthorAgent},
				{Type: EventMessage, Author: AuthorCustomer},
				{Type: EventStatus, Status: StatusSolved},
				{Type: EventMessage, Author: AuthorCustomer},
				{Type: EventMessage, Author: AuthorAgent},
				{Type: EventStatus, Status: StatusSolved},
				{Type: EventStatus, Status: StatusOpen},
				{Type: EventMessage, Author: AuthorAgent},
			} {
				step.TicketID, step.At = "T", at.Add(time.Duration(i+1)*17*time.Minute)
				evs = append(evs, step)
			}
			var st State
			read := false // st was read from JSON
			for i, ev := range evs {
				st, err = e.Apply(st, ev)
				require.NoError(t, err)
				what := string(reopen) + " " + string(created.Author) + " " + string(ev.Type)
				require.Equal(t, !read, st.stats.opened&openedKnown != 0, what)
				requireOpened(t, &st, what)
				for k := range st.cycles {
					var ref State // the numbering over the cycles before
					ref.cycles = st.cycles[:k]
					require.Equal(t, ref.nextN(st.cycles[k].Metric), st.cycles[k].N, "%s: cycle %d", what, k)
				}
				if i == 5 { // a state read from JSON: not known, searched
					b, err := st.MarshalJSON()
					require.NoError(t, err)
					var back State
					require.NoError(t, back.UnmarshalJSON(b))
					require.Zero(t, back.stats.opened, what)
					requireOpened(t, &back, what+" (from JSON)")
					st, read = back, true
				}
			}
		}
	}
}

// TestOpenedWithoutPolicy opens cycles as a step without a policy does
// (metric index -1, see openedBit) on a ticket whose bits are known: each
// built-in metric's bit is set at its first cycle, a custom one's never.
func TestOpenedWithoutPolicy(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var st State
	st.stats.opened = openedKnown
	for i, m := range []Metric{Resolution, "ack", PeriodicUpdate, Resolution, "ack", PeriodicUpdate, NextResponse} {
		st.startCycle(nil, 0, m, -1, nil, at.Add(time.Duration(i)*time.Minute))
		requireOpened(t, &st, string(m))
	}
	require.Equal(t, openedKnown|openedBit(Resolution, -1)|openedBit(PeriodicUpdate, -1)|openedBit(NextResponse, -1), st.stats.opened)
	require.Equal(t, []int32{1, 1, 1, 2, 2, 2, 1}, []int32{st.cycles[0].N, st.cycles[1].N, st.cycles[2].N, st.cycles[3].N,
		st.cycles[4].N, st.cycles[5].N, st.cycles[6].N})
}
