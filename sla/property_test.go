package sla_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seq2(evs []sla.Event) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func roundTrip(t testing.TB, st sla.State) sla.State {
	t.Helper()
	b, err := json.Marshal(st)
	require.NoError(t, err)
	var back sla.State
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(b), string(b2), "state JSON changed in a round trip")
	return back
}

// reference replays evs with Apply and Evaluate only, keeping a second
// track whose state goes through JSON after every event, and returns the
// JSON of the results Replay must yield, and the problems it must yield
// apart (events of no live ticket).
func reference(t testing.TB, e *sla.Engine, evs []sla.Event) (results, apart []string) {
	type track struct {
		st, rt sla.State
		order  int
		errs   []error
	}
	live := map[string]*track{}
	closed := map[string]bool{}
	seen := map[string]int{} // events of each id in the input
	var latest time.Time
	order := 0
	result := func(tr *track, at time.Time) string {
		r := e.Result(tr.st, at)
		r.Errors = tr.errs
		return resultText(t, r)
	}
	for i, ev := range evs {
		seen[ev.TicketID]++
		tr := live[ev.TicketID]
		if tr == nil {
			st, err := e.Apply(sla.State{}, ev)
			switch {
			case closed[ev.TicketID]:
				err = &sla.EventError{Ticket: ev.TicketID, Type: ev.Type, At: ev.At, Err: sla.ErrClosed}
			case err == nil:
				live[ev.TicketID] = &track{st: st, rt: roundTrip(t, st), order: order}
				order++
				if ev.At.After(latest) {
					latest = ev.At
				}
				continue
			}
			var ee *sla.EventError
			require.True(t, errors.As(err, &ee))
			ee.Line, ee.Seq = i+1, seen[ev.TicketID]
			apart = append(apart, err.Error())
			continue
		}
		st, err := e.Apply(tr.st, ev)
		rt, err2 := e.Apply(tr.rt, ev)
		if err == nil && ev.At.After(latest) {
			latest = ev.At
		}
		if err != nil {
			require.Error(t, err2)
			require.Equal(t, err.Error(), err2.Error())
			var ee *sla.EventError
			require.True(t, errors.As(err, &ee))
			ee.Line, ee.Seq = i+1, seen[ev.TicketID]
			tr.errs = append(tr.errs, err)
		} else {
			require.NoError(t, err2)
		}
		tr.st = st
		tr.rt = roundTrip(t, rt)
		require.Equal(t, mustJSON(t, tr.st), mustJSON(t, tr.rt), "event %d: states differ after a JSON round trip", i+1)
		at := ev.At.Add(97 * time.Minute)
		require.Equal(t, mustJSON(t, e.Result(tr.st, at)), mustJSON(t, e.Result(tr.rt, at)), "event %d: results differ after a JSON round trip", i+1)
		if err == nil && st.Closed() {
			results = append(results, result(tr, st.LastAt()))
			delete(live, ev.TicketID)
			closed[ev.TicketID] = true
		}
	}
	rest := slices.Collect(maps.Values(live))
	slices.SortFunc(rest, func(a, b *track) int { return a.order - b.order })
	for _, tr := range rest {
		results = append(results, result(tr, latest))
	}
	return results, apart
}

func replayJSON(t testing.TB, e *sla.Engine, evs []sla.Event) (results, apart []string) {
	ids := map[string]int{}
	for r, err := range e.Replay(seq2(evs), time.Time{}) {
		if err != nil {
			apart = append(apart, err.Error())
			continue
		}
		ids[r.Ticket]++
		require.Equal(t, 1, ids[r.Ticket], "ticket %s: a second result", r.Ticket)
		results = append(results, resultText(t, r))
	}
	return results, apart
}

// resultText is the JSON of r and its time by team, which the JSON leaves
// out.
func resultText(t testing.TB, r sla.Result) string {
	return mustJSON(t, r) + "\nteams " + fmt.Sprint(r.Teams)
}

func TestPropertyApplyEvaluateIsReplay(t *testing.T) {
	checkReplayIsReference(t, mustEngine(t, genConfig(t)), rand.New(rand.NewPCG(7, 11)))
}

// checkReplayIsReference replays random histories through e, each both
// ways (see reference), and requires the same results and problems.
func checkReplayIsReference(t *testing.T, e *sla.Engine, rng *rand.Rand) {
	n := 100
	if testing.Short() {
		n = 40
	}
	events := 0
	for i := range n {
		b := make([]byte, 64+rng.IntN(600))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		evs := genEvents(&byteSource{b: b}, 1+rng.IntN(5), 150)
		events += len(evs)
		want, wantApart := reference(t, e, evs)
		got, gotApart := replayJSON(t, e, evs)
		require.Equal(t, want, got, "history %d", i)
		require.Equal(t, wantApart, gotApart, "history %d: problems apart", i)
	}
	t.Logf("%d histories, %d events", n, events)
}

func TestReplayInputErrorsAndEarlyStop(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	evs := events(t,
		ev("2026-03-02T08:00:00-03:00", "created"),
		`{"ticket":"T2","at":"2026-03-02T08:00:00-03:00","type":"created"}`,
		ev("2026-03-02T09:00:00-03:00", "status", `"status":"closed"`),
		ev("2026-03-02T09:10:00-03:00", "message"),
	)
	in := func(yield func(sla.Event, error) bool) {
		for i, ev := range evs {
			if !yield(ev, nil) {
				return
			}
			if i == 1 {
				if !yield(sla.Event{TicketID: "T2"}, errors.New("bad json")) || !yield(sla.Event{}, errors.New("garbage line")) {
					return
				}
			}
		}
	}
	var got []sla.Result
	var apart []error
	for r, err := range e.Replay(in, time.Time{}) {
		if err != nil {
			apart = append(apart, err)
			continue
		}
		got = append(got, r)
	}
	require.Len(t, got, 2, "one result per ticket")
	assert.Equal(t, "T1", got[0].Ticket)
	assert.Equal(t, sla.StatusClosed, got[0].Status)
	assert.Empty(t, got[0].Errors)
	assert.Equal(t, "T2", got[1].Ticket)
	assert.Empty(t, got[1].Errors)
	require.Len(t, apart, 3, "malformed lines and the event after closed, apart")
	assert.ErrorIs(t, apart[0], sla.ErrInvalidEvent)
	assert.Equal(t, `sla: ticket "T2": line 3: invalid event: bad json`, apart[0].Error())
	assert.Equal(t, `sla: line 4: invalid event: garbage line`, apart[1].Error())
	assert.ErrorIs(t, apart[2], sla.ErrClosed)
	assert.Equal(t, `sla: ticket "T1": event 3 (line 6) message at 2026-03-02T09:10:00-03:00: event after closed`, apart[2].Error())

	n := 0
	for range e.Replay(in, time.Time{}) { // stops at the first yield refused
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestConcurrentApplyEvaluate(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	rng := rand.New(rand.NewPCG(3, 5))
	var hist [][]sla.Event
	var want []string
	for range 8 {
		b := make([]byte, 400)
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		evs := genEvents(&byteSource{b: b}, 1, 100)
		hist = append(hist, evs)
		st, _ := applyAll(t, e, evs)
		want = append(want, mustJSON(t, e.Result(st, evs[len(evs)-1].At)))
	}
	var wg sync.WaitGroup
	got := make([]string, len(hist))
	for i, evs := range hist {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st sla.State
			for _, ev := range evs {
				st, _ = e.Apply(st, ev)
				_ = e.Evaluate(st, ev.At.Add(time.Hour))
			}
			b, _ := json.Marshal(e.Result(st, evs[len(evs)-1].At))
			got[i] = string(b)
		}()
	}
	wg.Wait()
	assert.Equal(t, want, got)
}
