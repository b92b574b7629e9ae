package sla_test

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// replayLines lists what a replay yields, one line per pair: a result's
// JSON, or "apart: " and the problem.
func replayLines(t testing.TB, rs iter.Seq2[sla.Result, error], stopAfter int) []string {
	var out []string
	for r, err := range rs {
		if err != nil {
			out = append(out, "apart: "+err.Error())
		} else {
			out = append(out, mustJSON(t, r))
		}
		if len(out) == stopAfter {
			break
		}
	}
	return out
}

// withMalformed yields evs with a malformed line after every eleventh
// event, some with the ticket id that could be read.
func withMalformed(evs []sla.Event) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for i, ev := range evs {
			if !yield(ev, nil) {
				return
			}
			if i%11 == 5 && !yield(sla.Event{TicketID: ev.TicketID}, fmt.Errorf("bad line after event %d", i+1)) {
				return
			}
		}
	}
}

// manyTickets is a generated history of many tickets (ids over several
// letters), long enough for several chunks of a parallel replay.
func manyTickets(rng *rand.Rand, tickets, max int) []sla.Event {
	var out []sla.Event
	for len(out) < max {
		b := make([]byte, 400)
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		evs := genEvents(&byteSource{b: b}, 1+rng.IntN(tickets), max-len(out))
		prefix := fmt.Sprintf("g%d-", len(out))
		var shift time.Duration
		if len(out) > 0 {
			shift = out[len(out)-1].At.Sub(evs[0].At) - 2*time.Hour // overlap the previous group
		}
		for i := range evs {
			evs[i].TicketID = prefix + evs[i].TicketID
			evs[i].At = evs[i].At.Add(shift)
		}
		out = append(out, evs...)
	}
	return out
}

// ReplayParallel yields exactly what Replay yields, in the same order:
// results, problems apart, malformed lines, tickets closing by themselves,
// the tickets open at the end, and when stopped early.
func TestReplayParallelIsReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 19))
	cases := []struct {
		name string
		cfg  sla.Config
	}{
		{"reference", genConfig(t)},
		{"close solved after 96h", autoCloseConfig(t)},
	}
	histories := 12
	if testing.Short() {
		histories = 4
	}
	for _, c := range cases {
		e := mustEngine(t, c.cfg)
		for h := range histories {
			evs := manyTickets(rng, 20, 200+rng.IntN(2000))
			at := time.Time{}
			if h%3 == 1 {
				at = evs[len(evs)/2].At
			}
			in := seq2(evs)
			if h%2 == 1 {
				in = withMalformed(evs)
			}
			want := replayLines(t, e.Replay(in, at), -1)
			require.NotEmpty(t, want)
			for _, workers := range []int{2, 3, 8} {
				got := replayLines(t, e.ReplayParallel(in, at, sla.ReplayOptions{Workers: workers}), -1)
				require.Equal(t, want, got, "%s, history %d (%d events), %d workers", c.name, h, len(evs), workers)
			}
			// Observed events come at their places among the results.
			var log []string
			logged := func(w int) []string {
				log = nil
				opts := sla.ReplayOptions{Workers: w, Observe: func(ev *sla.Event) {
					log = append(log, "event "+ev.TicketID+" "+string(ev.Type)+" "+ev.At.String())
				}}
				for r, err := range e.ReplayParallel(in, at, opts) {
					if err != nil {
						log = append(log, "apart: "+err.Error())
					} else {
						log = append(log, "result "+r.Ticket)
					}
				}
				return log
			}
			wantLog := logged(1)
			require.Greater(t, len(wantLog), len(want))
			require.Equal(t, wantLog, logged(3), "%s, history %d: observed events", c.name, h)
			stop := 1 + rng.IntN(len(want))
			got := replayLines(t, e.ReplayParallel(in, at, sla.ReplayOptions{Workers: 2}), stop)
			require.Equal(t, want[:stop], got, "%s, history %d: stopped after %d", c.name, h, stop)
		}
	}
}

// With close_solved_after, the clock of a parallel replay is every event of
// the input, whichever goroutine owns its ticket; tickets closing at one
// instant come out in order of creation.
func TestReplayParallelClosesByTheClock(t *testing.T) {
	e := mustEngine(t, autoCloseConfig(t))
	var lines []string
	// Ten tickets solved at the same instant close at the same instant.
	for i := range 10 {
		lines = append(lines, fmt.Sprintf(`{"ticket":"S%d","at":"2026-03-02T09:00:0%d-03:00","type":"created"}`, i, i))
	}
	for i := range 10 {
		lines = append(lines, fmt.Sprintf(`{"ticket":"S%d","at":"2026-03-02T10:00:00-03:00","type":"status","status":"solved"}`, 9-i))
	}
	lines = append(lines,
		`{"ticket":"X","at":"2026-03-09T09:00:00-03:00","type":"created"}`,
		`{"ticket":"S3","at":"2026-03-09T09:30:00-03:00","type":"note"}`)
	evs := events(t, lines...)
	for _, workers := range []int{1, 2, 4} {
		var order []string
		for r, err := range e.ReplayParallel(seq2(evs), time.Time{}, sla.ReplayOptions{Workers: workers}) {
			if err != nil {
				order = append(order, "apart "+strings.TrimPrefix(err.Error(), "sla: "))
				continue
			}
			order = append(order, r.Ticket+" "+string(r.Status))
		}
		assert.Equal(t, []string{
			"S0 closed", "S1 closed", "S2 closed", "S3 closed", "S4 closed",
			"S5 closed", "S6 closed", "S7 closed", "S8 closed", "S9 closed",
			`apart ticket "S3": event 3 (line 22) note at 2026-03-09T09:30:00-03:00: event after closed`,
			"X new",
		}, order, "%d workers", workers)
	}
}

// A problem of the input never ends a parallel replay, and an error of the
// input sequence travels to its place.
func TestReplayParallelProblemsApart(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	in := func(yield func(sla.Event, error) bool) {
		_ = yield(sla.Event{}, errors.New("garbage")) &&
			yield(events(t, ev("2026-03-02T08:00:00-03:00", "message"))[0], nil) &&
			yield(events(t, ev("2026-03-02T08:00:00-03:00", "created"))[0], nil)
	}
	got := replayLines(t, e.ReplayParallel(in, time.Time{}, sla.ReplayOptions{Workers: 4}), -1)
	require.Len(t, got, 3)
	assert.Equal(t, "apart: sla: line 1: invalid event: garbage", got[0])
	assert.Equal(t, `apart: sla: ticket "T1": event 1 (line 2) message at 2026-03-02T08:00:00-03:00: unknown ticket`, got[1])
	assert.Contains(t, got[2], `"ticket":"T1"`)
}
