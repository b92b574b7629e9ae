package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// loadZones loads the named zones.
func loadZones(t *testing.T, names ...string) []*time.Location {
	zs := make([]*time.Location, len(names))
	for i, n := range names {
		z, err := time.LoadLocation(n)
		require.NoError(t, err)
		zs[i] = z
	}
	return zs
}

// breachByRef is advance's step for one cycle (breachTest, then
// breachAtDueIf) as time.Time.After answers it: the reference the
// wall-clock comparison must match.
func breachByRef(c *cycle, t time.Time) {
	if c.State == phRunning && c.Target > 0 && !c.due.IsZero() && !c.due.After(t) && !c.hasBreach() {
		c.breachAtDue()
	}
}

// TestBreachByMatchesAfter compares advance's step for one cycle (Unix
// seconds and nanoseconds) with the same rule through time.Time.After, on a table of
// deadlines around the event's instant (one nanosecond and one second
// either side, another zone, before 1970) and on random ones.
func TestBreachByMatchesAfter(t *testing.T) {
	zs := loadZones(t, "America/Sao_Paulo", "Europe/Berlin")
	sp, berlin := zs[0], zs[1]
	at := time.Date(2026, 3, 2, 9, 0, 0, 500, sp)
	old := time.Date(1950, 6, 1, 12, 0, 0, 0, berlin)
	type tc struct {
		name  string
		due   time.Time
		at    time.Time
		state phase
		tgt   time.Duration
		odd   time.Time // a breach recorded before, not at the deadline
		want  bool      // the breach is recorded at the deadline
	}
	tcs := []tc{
		{"at the deadline", at, at, phRunning, time.Hour, time.Time{}, true},
		{"a nanosecond before", at.Add(time.Nanosecond), at, phRunning, time.Hour, time.Time{}, false},
		{"a nanosecond after", at.Add(-time.Nanosecond), at, phRunning, time.Hour, time.Time{}, true},
		{"a second before", at.Add(time.Second), at, phRunning, time.Hour, time.Time{}, false},
		{"a second after, fewer nanoseconds", at.Add(-time.Second + 100), at, phRunning, time.Hour, time.Time{}, true},
		{"same instant, another zone", at.In(berlin), at, phRunning, time.Hour, time.Time{}, true},
		{"due a nanosecond later, another zone", at.Add(time.Nanosecond).In(time.UTC), at, phRunning, time.Hour, time.Time{}, false},
		{"before 1970", old, old.Add(time.Minute), phRunning, time.Hour, time.Time{}, true},
		{"before 1970, not yet", old, old.Add(-time.Nanosecond), phRunning, time.Hour, time.Time{}, false},
		{"paused", at, at, phPaused, time.Hour, time.Time{}, false},
		{"no target", at, at, phRunning, 0, time.Time{}, false},
		{"no deadline", time.Time{}, at, phRunning, time.Hour, time.Time{}, false},
		{"breached before", at.Add(-time.Hour), at, phRunning, time.Hour, at.Add(-2 * time.Hour), false},
	}
	rng := rand.New(rand.NewPCG(19, 5))
	for i := range 2000 {
		d := time.Duration(rng.Int64N(int64(4*time.Second))) - 2*time.Second
		due := at.Add(d)
		if i%3 == 0 {
			due = due.In(berlin)
		}
		tcs = append(tcs, tc{"random", due, at, phRunning, time.Hour, time.Time{}, d <= 0})
	}
	for _, c := range tcs {
		mk := func() *cycle {
			cy := &cycle{Metric: Resolution, Start: c.due.Add(-time.Hour), State: c.state, Target: c.tgt}
			cy.setDue(c.due)
			cy.setBreach(c.odd)
			return cy
		}
		got, want := mk(), mk()
		ds, due := got.breachTest(c.at.Unix(), c.at.Nanosecond())
		if due {
			got.breachAtDueIf() // as advance does
		} else if ds != noBreach {
			require.Equal(t, got.due.Unix(), ds, "%s: the deadline's second", c.name)
		}
		breachByRef(want, c.at)
		require.Equal(t, want, got, c.name)
		require.Equal(t, c.want, (got.marks&breachDue != 0) && !got.due.IsZero(), c.name)
	}
}

// TestKindOf checks that each event type has its own kind, which the
// steps of apply read in place of the type, and that any other string is
// unknown.
func TestKindOf(t *testing.T) {
	want := map[EventType]evKind{EventCreated: kCreated, EventMessage: kMessage, EventNote: kNote,
		EventStatus: kStatus, EventPriority: kPriority, EventAssign: kAssign, EventUpdate: kUpdate,
		EventEscalated: kEscalated, EventCSAT: kCSAT, EventWindowRejected: kWindowRejected}
	seen := map[evKind]bool{}
	for typ, k := range want {
		require.Equal(t, k, kindOf(typ), typ)
		require.False(t, seen[k], "kind %d twice", k)
		seen[k] = true
	}
	for _, typ := range []EventType{"", "Created", "messages", "mess", "window-rejected", "csat ", "assigned"} {
		require.Zero(t, kindOf(typ), typ)
	}
}

// TestBuiltinIndexConstants checks the indices the steps pass for the
// built-in metrics they start against builtinIndex and the order of
// builtins, and metricIndexOf against metricIndex (and -1 without a
// policy).
func TestBuiltinIndexConstants(t *testing.T) {
	for m, i := range map[Metric]int{FirstResponse: iFirstResponse, NextResponse: iNextResponse,
		PeriodicUpdate: iPeriodicUpdate, Resolution: iResolution} {
		require.Equal(t, i, builtinIndex(m), m)
		require.Equal(t, m, builtins[i], m)
	}
	var none *compiled
	require.Equal(t, -1, none.metricIndexOf(Resolution))
	p := &compiled{Policy: Policy{Metrics: []CustomMetric{{Name: "time_to_assign"}}}}
	for _, m := range []Metric{FirstResponse, Resolution, "time_to_assign", "other", ""} {
		require.Equal(t, p.metricIndex(m), p.metricIndexOf(m), m)
	}
	require.Equal(t, len(builtins), p.metricIndexOf("time_to_assign"))
}

// TestCheckInstants checks what check says of an event's instant (none,
// the ends of the years 1900 to 2999 in two zones, 200 years after the
// ticket's creation to the nanosecond), which it reads by Unix seconds,
// against the same rules by time.Time comparisons.
func TestCheckInstants(t *testing.T) {
	ny := loadZones(t, "America/New_York")[0]
	e, err := NewEngine(Config{})
	require.NoError(t, err)
	created := time.Date(2026, 3, 8, 1, 30, 0, 0, ny) // the morning of New York's spring change
	var open State
	first := Event{TicketID: "T1", Type: EventCreated, At: created}
	_, err = e.check(&open, &first, false)
	require.NoError(t, err)
	e.apply(&open, &first, kCreated)
	ref := func(st *State, at time.Time) string {
		switch {
		case at.IsZero():
			return "no instant"
		case at.Before(minInstant) || !at.Before(maxInstant):
			return "outside"
		case st.Created() && at.Before(st.lastAt):
			return "out of order"
		case st.Created() && at.Sub(st.ticket.CreatedAt) > maxSpan:
			return "200 years"
		}
		return ""
	}
	for _, at := range []time.Time{{}, minInstant, minInstant.Add(-1), minInstant.In(ny), minInstant.Add(-1).In(ny),
		maxInstant, maxInstant.Add(-1), maxInstant.In(ny), maxInstant.Add(-1).In(ny), created,
		created.Add(maxSpan), created.Add(maxSpan + 1), created.Add(maxSpan - 1).In(time.UTC), created.Add(maxSpan + time.Second)} {
		for _, st := range []*State{{}, &open} {
			ev := Event{TicketID: "T1", Type: EventNote, At: at}
			if !st.Created() {
				ev.Type = EventCreated
			}
			st := *st
			_, err := e.check(&st, &ev, false)
			want := ref(&st, at)
			if want == "" {
				require.NoError(t, err, "%s", at)
				continue
			}
			require.Error(t, err, "%s", at)
			require.Contains(t, err.Error(), want, "%s", at)
		}
	}
}
