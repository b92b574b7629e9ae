package slatest

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// CheckIncremental is a conformance check, as testing/fstest.TestFS is
// for file systems: it runs events the way a host embedding the engine
// does, and fails the test when that gives anything else than
// [sla.Engine.Replay]. Each ticket's events are applied one at a time with
// [sla.Engine.Apply] to a State that goes through its JSON form before
// every event (as if the host stored it in a database), and between events
// [sla.Engine.Advance] is called at every [sla.View.NextWake] (as if a
// timer rang). The result of each ticket, as JSON, must equal the replay's.
//
// A host runs it on its own policy and histories to check that its
// settings (conditions, ladders, calendars) keep the incremental path and
// the replay in agreement, and on the states its storage produces. Ticket
// ids must not be reused after a close. It reports at most ten tickets
// that differ and returns whether all agreed.
func CheckIncremental[S Source](t testing.TB, src S, events []sla.Event) bool {
	t.Helper()
	eng := Engine(t, src)
	want := map[string][]byte{}
	for r, err := range eng.Replay(func(yield func(sla.Event, error) bool) {
		for _, ev := range events {
			if !yield(ev, nil) {
				return
			}
		}
	}, time.Time{}) {
		if err != nil {
			continue // an event of no live ticket: Apply refuses it too
		}
		want[r.Ticket] = mustJSON(r)
	}

	byTicket := map[string][]sla.Event{}
	var order []string
	for _, ev := range events {
		if _, ok := byTicket[ev.TicketID]; !ok {
			order = append(order, ev.TicketID)
		}
		byTicket[ev.TicketID] = append(byTicket[ev.TicketID], ev)
	}

	states := make(map[string]sla.State, len(order))
	var latest time.Time
	for _, id := range order {
		var st sla.State
		for _, ev := range byTicket[id] {
			st = roundTrip(t, id, st)
			st = tick(eng, st, ev.At)
			next, err := eng.Apply(st, ev)
			st = next
			if err == nil && ev.At.After(latest) {
				latest = ev.At
			}
		}
		states[id] = st
	}

	bad := 0
	for _, id := range order {
		st := states[id]
		at := latest
		if !st.Closed() {
			st = tick(eng, roundTrip(t, id, st), at)
		}
		if st.Closed() {
			// Closed by its events, or by itself (close_solved_after)
			// while the timer ran: the replay yields it at its close.
			at = st.LastAt()
		}
		got := mustJSON(eng.Result(st, at))
		// Errors are the replay's business (it adds input lines): compare
		// without them.
		if w, ok := want[id]; !ok || !bytes.Equal(stripErrors(got), stripErrors(w)) {
			bad++
			if bad <= 10 {
				t.Errorf("slatest: ticket %s: the incremental path (Apply, Advance at NextWake, State through JSON) differs from Replay:\n\tgot:  %s\n\twant: %s", id, got, w)
			}
		}
	}
	if bad > 10 {
		t.Errorf("slatest: %d tickets differ in all", bad)
	}
	return bad == 0
}

// tick calls Advance at every NextWake up to at, as a host's timer does.
func tick(eng *sla.Engine, st sla.State, at time.Time) sla.State {
	if !st.Created() {
		return st
	}
	now := st.LastAt()
	for range 1_000_000 { // NextWake moves strictly forward; this only bounds a broken engine
		w := eng.Evaluate(st, now).NextWake
		if w.IsZero() || w.After(at) {
			break
		}
		st, _ = eng.Advance(st, w)
		now = w
	}
	return st
}

func roundTrip(t testing.TB, id string, st sla.State) sla.State {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("slatest: ticket %s: state does not marshal: %v", id, err)
	}
	var back sla.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("slatest: ticket %s: state does not unmarshal: %v\n\t%s", id, err, b)
	}
	return back
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// stripErrors removes the "errors" member of a result's JSON.
func stripErrors(b []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	delete(m, "errors")
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	var out bytes.Buffer
	for _, k := range keys {
		out.WriteString(k)
		out.Write(m[k])
	}
	return out.Bytes()
}
