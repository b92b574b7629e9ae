package sla_test

import (
	"encoding/json"
	"errors"
	"iter"
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
// track whose state goes through JSON after every event, and returns
// the JSON of the results Replay must yield.
func reference(t testing.TB, e *sla.Engine, evs []sla.Event) []string {
	type track struct {
		st, rt     sla.State
		order      int
		errs       []error
		afterClose bool
	}
	var out []string
	open := map[string]*track{}
	closed := map[string]bool{}
	var latest time.Time
	order := 0
	result := func(tr *track, id string, at time.Time) string {
		r := e.Result(tr.st, at)
		if !tr.st.Created() {
			r.Ticket = id
		}
		r.Errors = tr.errs
		return mustJSON(t, r)
	}
	for i, ev := range evs {
		tr := open[ev.TicketID]
		if tr == nil {
			tr = &track{order: order, afterClose: closed[ev.TicketID]}
			order++
			open[ev.TicketID] = tr
		}
		st, err := e.Apply(tr.st, ev)
		rt, err2 := e.Apply(tr.rt, ev)
		if err == nil && ev.At.After(latest) {
			latest = ev.At
		}
		require.Equal(t, errors.Is(err, sla.ErrClosed), errors.Is(err2, sla.ErrClosed))
		if err != nil {
			require.Error(t, err2)
			require.Equal(t, err.Error(), err2.Error())
			var ee *sla.EventError
			require.True(t, errors.As(err, &ee))
			ee.Line = i + 1
			if tr.afterClose && errors.Is(ee.Err, sla.ErrUnknownTicket) {
				ee.Err = sla.ErrClosed
			}
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
			out = append(out, result(tr, ev.TicketID, st.LastAt()))
			delete(open, ev.TicketID)
			closed[ev.TicketID] = true
		}
	}
	type rest struct {
		id string
		tr *track
	}
	var rs []rest
	for id, tr := range open {
		rs = append(rs, rest{id, tr})
	}
	slices.SortFunc(rs, func(a, b rest) int { return a.tr.order - b.tr.order })
	for _, r := range rs {
		out = append(out, result(r.tr, r.id, latest))
	}
	return out
}

func replayJSON(t testing.TB, e *sla.Engine, evs []sla.Event) []string {
	var got []string
	for r := range e.Replay(seq2(evs), time.Time{}) {
		got = append(got, mustJSON(t, r))
	}
	return got
}

func TestPropertyApplyEvaluateIsReplay(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	rng := rand.New(rand.NewPCG(7, 11))
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
		want := reference(t, e, evs)
		got := replayJSON(t, e, evs)
		require.Equal(t, want, got, "history %d", i)
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
	for r := range e.Replay(in, time.Time{}) {
		got = append(got, r)
	}
	require.Len(t, got, 4)
	assert.Equal(t, "", got[0].Ticket)
	assert.ErrorIs(t, got[0].Errors[0], sla.ErrInvalidEvent)
	assert.Contains(t, got[0].Errors[0].Error(), "line 4")
	assert.Equal(t, "T1", got[1].Ticket)
	assert.Equal(t, sla.StatusClosed, got[1].Status)
	assert.Empty(t, got[1].Errors)
	assert.Equal(t, "T2", got[2].Ticket)
	require.Len(t, got[2].Errors, 1)
	assert.Contains(t, got[2].Errors[0].Error(), `sla: ticket "T2": event 2 (line 3)`)
	assert.Equal(t, "T1", got[3].Ticket, "an event after a close in a replay is a separate result")
	assert.ErrorIs(t, got[3].Errors[0], sla.ErrClosed)

	n := 0
	for range e.Replay(in, time.Time{}) {
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
