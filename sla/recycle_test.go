package sla_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// snapshot is everything a Result holds, as text: its JSON and the parts
// the JSON leaves out, the WhatsApp window dereferenced.
func snapshot(t testing.TB, r sla.Result) string {
	s := mustJSON(t, r) + fmt.Sprintf("\nattributes %+v\nteams %+v\nhandoffs %+v\nrules %+v\nfailures %+v\nerrors %v",
		r.Attributes, r.Teams, r.Handoffs, r.Rules, r.Failures, r.Errors)
	if r.WhatsApp != nil {
		s += fmt.Sprintf("\nwhatsapp %+v", *r.WhatsApp)
	}
	return s + fmt.Sprintf("\nclocks %+v\nolas %+v\nescalations %+v", r.Clocks, r.OLAs, r.Escalations)
}

// A replay recycles the storage of the tickets it forgets for the tickets
// created after them: a Result it yielded never changes afterwards, on
// one goroutine or several.
func TestReplayResultsNeverChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 7))
	cases := []struct {
		name string
		cfg  sla.Config
	}{
		{"reference", genConfig(t)},
		{"close solved after 96h", autoCloseConfig(t)},
	}
	for _, c := range cases {
		e := mustEngine(t, c.cfg)
		for h := range 2 {
			evs := closingEach(manyTickets(rng, 30, 800+rng.IntN(800)))
			for _, workers := range []int{1, 3} {
				name := fmt.Sprintf("%s, history %d (%d events), %d workers", c.name, h, len(evs), workers)
				var ended atomic.Bool // read on the caller's goroutine, written on the reader's
				in := func(yield func(sla.Event, error) bool) {
					for ev, err := range seq2(evs) {
						if !yield(ev, err) {
							return
						}
					}
					ended.Store(true)
				}
				var kept []sla.Result
				var at []string
				early := 0 // results yielded before the input ended: tickets forgotten, their storage recycled
				for r, err := range e.ReplayParallel(iter.Seq2[sla.Event, error](in), time.Time{}, sla.ReplayOptions{Workers: workers}) {
					if err != nil {
						continue
					}
					if !ended.Load() {
						early++
					}
					kept = append(kept, r)
					at = append(at, snapshot(t, r))
				}
				if workers == 1 { // several read ahead of the replay
					require.Greater(t, early, len(kept)/2, "%s: too few tickets closed before the end to recycle any", name)
				}
				for i, r := range kept {
					require.Equal(t, at[i], snapshot(t, r), "%s: result %d (%s) changed after it was yielded", name, i, r.Ticket)
				}
			}
		}
	}
}

// A ticket created on the recycled storage of tickets closed before it
// gets the result it gets alone, from Apply and Result.
func TestReplayRecycledIsFresh(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 8))
	e := mustEngine(t, genConfig(t))
	for h := range 2 {
		evs := closingEach(manyTickets(rng, 30, 500+rng.IntN(500)))
		want, wantApart := reference(t, e, evs)
		got, gotApart := replayJSON(t, e, evs)
		require.Equal(t, want, got, "history %d", h)
		require.Equal(t, wantApart, gotApart, "history %d", h)
	}
}

// closingEach closes every ticket of evs right after its last event, so
// that a replay forgets most tickets before the tickets after them are
// created.
func closingEach(evs []sla.Event) []sla.Event {
	last := map[string]int{}
	for i, ev := range evs {
		last[ev.TicketID] = i
	}
	var out []sla.Event
	for i, ev := range evs {
		out = append(out, ev)
		if last[ev.TicketID] == i {
			out = append(out, sla.Event{TicketID: ev.TicketID, At: ev.At, Type: sla.EventStatus, Status: sla.StatusClosed})
		}
	}
	return out
}
