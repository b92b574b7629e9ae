package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

func autoCloseConfig(t testing.TB) sla.Config {
	cfg := genConfig(t)
	cfg.CloseSolvedAfter = 96 * time.Hour
	return cfg
}

// A ticket solved for 96 hours closes at that instant, whether the engine
// learns it from the next event, a timer, a look or a replay.
func TestCloseSolvedAfter(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "p", Targets: targets{"normal": {res: 8 * time.Hour}}}},
		CloseSolvedAfter: 96 * time.Hour})
	lines := []string{
		ev("2026-03-02T09:00:00-03:00", "created"),
		ev("2026-03-02T10:00:00-03:00", "status", `"status":"solved"`),
	}
	st, errs := applyAll(t, e, events(t, lines...))
	require.Empty(t, errs)
	v := e.Evaluate(st, mustTime(t, "2026-03-03T10:00:00-03:00"))
	assert.Equal(t, sla.StatusSolved, v.Status)
	assert.WithinDuration(t, mustTime(t, "2026-03-06T10:00:00-03:00"), v.NextWake, 0, "the timer for the close")
	v = e.Evaluate(st, mustTime(t, "2026-03-06T10:00:00-03:00"))
	assert.Equal(t, sla.StatusClosed, v.Status, "a look at the instant sees it closed")

	adv, _ := e.Advance(st, mustTime(t, "2026-03-07T00:00:00-03:00"))
	assert.True(t, adv.Closed())
	assert.WithinDuration(t, mustTime(t, "2026-03-06T10:00:00-03:00"), e.Result(adv, adv.LastAt()).Stats.ClosedAt, 0)

	late := events(t, ev("2026-03-06T11:00:00-03:00", "message", `"author":"customer"`))[0]
	got, err := e.Apply(st, late)
	require.ErrorIs(t, err, sla.ErrClosed, "a message after the close does not reopen it")
	assert.True(t, got.Closed())

	early := events(t, ev("2026-03-06T09:59:00-03:00", "message", `"author":"customer"`))[0]
	got, err = e.Apply(st, early)
	require.NoError(t, err)
	assert.Equal(t, sla.StatusOpen, got.Ticket().Status, "a minute before, the message reopens it")

	// Replay: T1 leaves memory when the input reaches its close; a later
	// event of T1 is a problem apart.
	var order []string
	var apart []error
	all := append(events(t, lines...), events(t,
		`{"ticket":"T2","at":"2026-03-05T09:00:00-03:00","type":"created"}`,
		`{"ticket":"T2","at":"2026-03-06T12:00:00-03:00","type":"note"}`,
		ev("2026-03-06T13:00:00-03:00", "message", `"author":"customer"`),
		`{"ticket":"T2","at":"2026-03-06T14:00:00-03:00","type":"note"}`)...)
	for r, err := range e.Replay(seq2(all), time.Time{}) {
		if err != nil {
			apart = append(apart, err)
			continue
		}
		order = append(order, r.Ticket+" "+string(r.Status))
	}
	assert.Equal(t, []string{"T1 closed", "T2 new"}, order, "T1 is yielded when T2's note passes its close")
	require.Len(t, apart, 1)
	assert.ErrorIs(t, apart[0], sla.ErrClosed)
	assert.Contains(t, apart[0].Error(), `ticket "T1": event 3 (line 5)`)
}

// The incremental path (Apply, Advance at NextWake, State through JSON)
// agrees with Replay when tickets close by themselves.
func TestCloseSolvedAfterIncremental(t *testing.T) {
	cfg := autoCloseConfig(t)
	rng := rand.New(rand.NewPCG(21, 4))
	e := mustEngine(t, cfg)
	auto := 0
	for range 30 {
		b := make([]byte, 64+rng.IntN(400))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		evs := genEvents(&byteSource{b: b}, 1, 80) // one ticket: Replay and Apply then see the same instants
		slatest.CheckIncremental(t, cfg, evs)
		for r, err := range e.Replay(seq2(evs), time.Time{}) {
			if err != nil { // a generated event of no live ticket
				continue
			}
			if s := r.Stats; !s.ClosedAt.IsZero() && s.ClosedAt.Equal(s.SolvedAt.Add(cfg.CloseSolvedAfter)) {
				auto++
			}
		}
	}
	assert.Positive(t, auto, "some histories close by themselves")
}

func TestCloseSolvedAfterConfig(t *testing.T) {
	_, err := sla.NewEngine(sla.Config{CloseSolvedAfter: -time.Hour})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.Contains(t, err.Error(), "close_solved_after: -1h0m0s: want a positive duration")
}

// The replay's clock is the instant of every well-formed event of the
// input, applied or not: an event of an unknown ticket closes a ticket
// solved long enough before it, and tickets closing at one instant come
// out in order of creation.
func TestCloseSolvedAfterReplayClock(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "p", Targets: targets{"normal": {res: 8 * time.Hour}}}},
		CloseSolvedAfter: 96 * time.Hour})
	in := events(t,
		`{"ticket":"B","at":"2026-03-02T09:00:00-03:00","type":"created"}`,
		`{"ticket":"A","at":"2026-03-02T09:30:00-03:00","type":"created"}`,
		`{"ticket":"A","at":"2026-03-02T10:00:00-03:00","type":"status","status":"solved"}`,
		`{"ticket":"B","at":"2026-03-02T10:00:00-03:00","type":"status","status":"solved"}`,
		`{"ticket":"Z","at":"2026-03-06T10:00:00-03:00","type":"note"}`)
	var order []string
	for r, err := range e.Replay(seq2(in), time.Time{}) {
		if err != nil {
			order = append(order, "apart "+err.Error())
			continue
		}
		order = append(order, r.Ticket+" "+string(r.Status))
	}
	assert.Equal(t, []string{
		`apart sla: ticket "Z": event 1 (line 5) note at 2026-03-06T10:00:00-03:00: unknown ticket`,
		"B closed", "A closed",
	}, order)
}
