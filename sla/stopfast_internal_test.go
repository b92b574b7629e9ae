package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// stopCase is a cycle to stop: how it is built and where it stops.
type stopCase struct {
	name     string
	start    time.Time
	target   time.Duration
	base     time.Duration // added to Base after the start
	stopAt   time.Duration // from the start
	stopLoc  *time.Location
	ext      int // 0: none, 1: empty (a replay's recycled), 2: empty with odd, 3: a breach apart, 4: paused then resumed
	noDue    bool
	breached bool // breach at the deadline recorded
	paused   bool
	cancel   bool
}

// stopCases cover the fast path's conditions and its verdicts: each exit
// to stopSlow (paused, pauses, a target without deadline, another
// location, too far to pack) and each verdict (met, cancelled, breached
// at the deadline, by the time counted, apart from the deadline).
func stopCases() []stopCase {
	berlin := mustLoc("Europe/Berlin")
	sp := mustLoc("America/Sao_Paulo")
	start := time.Date(2026, 3, 27, 15, 30, 0, 0, berlin) // the Friday before Berlin's DST change
	return []stopCase{
		{name: "met", start: start, target: 4 * time.Hour, stopAt: time.Hour},
		{name: "cancelled", start: start, target: 4 * time.Hour, stopAt: time.Hour, cancel: true},
		{name: "no target", start: start, stopAt: 90 * time.Hour},
		{name: "no target, cancelled", start: start, stopAt: 90 * time.Hour, cancel: true},
		{name: "past the deadline", start: start, target: time.Hour, stopAt: 80 * time.Hour},
		{name: "past the deadline, cancelled", start: start, target: time.Hour, stopAt: 80 * time.Hour, cancel: true},
		{name: "breach recorded at the deadline", start: start, target: time.Hour, stopAt: 80 * time.Hour, breached: true},
		{name: "at the deadline", start: start, target: 30 * time.Minute, stopAt: 30 * time.Minute},
		{name: "counted before", start: start, target: time.Hour, base: 50 * time.Minute, stopAt: 20 * time.Minute},
		{name: "empty ext", start: start, target: 4 * time.Hour, stopAt: time.Hour, ext: 1},
		{name: "empty ext with odd", start: start, target: 4 * time.Hour, stopAt: time.Hour, ext: 2},
		{name: "breach apart", start: start, target: 4 * time.Hour, stopAt: time.Hour, ext: 3},
		{name: "paused and resumed", start: start, target: 4 * time.Hour, stopAt: 70 * time.Hour, ext: 4},
		{name: "paused", start: start, target: 4 * time.Hour, stopAt: 70 * time.Hour, ext: 4, paused: true},
		{name: "target without deadline", start: start, target: 4 * time.Hour, stopAt: time.Hour, noDue: true},
		{name: "another location", start: start, target: 4 * time.Hour, stopAt: time.Hour, stopLoc: sp},
		{name: "UTC against nil", start: start.UTC(), target: 4 * time.Hour, stopAt: time.Hour, stopLoc: time.UTC},
		{name: "too far to pack", start: start, target: 4 * time.Hour, stopAt: 280 * 365 * 24 * time.Hour},
		{name: "a nanosecond", start: start.Add(time.Nanosecond), target: time.Hour, stopAt: time.Nanosecond},
		{name: "before 1970", start: time.Date(1965, 1, 4, 10, 0, 0, 0, berlin), target: 2 * time.Hour, stopAt: 3 * time.Hour},
	}
}

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// build returns the cycle of the case, as the engine's operations leave it.
func (sc stopCase) build(cal *calendar.Calendar) cycle {
	c := newCycle(Resolution, 1, sc.start, sc.target, cal)
	c.Base += sc.base
	switch sc.ext {
	case 1:
		c.ext = &cycleExt{}
	case 2:
		c.ext = &cycleExt{odd: new([2]time.Time)}
	case 3:
		c.setBreach(sc.start.Add(time.Minute))
	case 4:
		c.pause(cal, sc.start.Add(10*time.Minute))
		if !sc.paused {
			c.resume(cal, sc.start.Add(50*time.Hour))
		}
	}
	if sc.noDue {
		c.setDue(time.Time{})
	}
	if sc.breached {
		c.breachAtDue()
	}
	return c
}

// checkStop requires stop and stopSlow to leave c, stopped at t, alike.
// Stopped untold, c may be left uncounted only without a target: it is
// then as stopSlow leaves it but for its Base, kept, and counted, false.
func checkStop(t *testing.T, c cycle, cal *calendar.Calendar, at time.Time, cancel bool, name string) {
	fast, slow, untold := c, c, c
	fast.cloneExt()
	slow.cloneExt()
	untold.cloneExt()
	fast.stop(cal, at, cancel, false)
	slow.stopSlow(cal, at, cancel)
	require.Equal(t, slow, fast, name)
	require.Equal(t, slow.toJSON(), fast.toJSON(), name)
	untold.stop(cal, at, cancel, true)
	if !untold.counted {
		require.Zero(t, c.Target, "%s: a cycle with a target left uncounted", name)
		require.Equal(t, c.Base, untold.Base, name)
		untold.Base, untold.counted = slow.Base, slow.counted
	}
	require.Equal(t, slow, untold, name)
}

// TestStopFastMatchesSlow holds stop's fast path to the general one.
func TestStopFastMatchesSlow(t *testing.T) {
	for _, cal := range append(viewCalendars(t), calendar.Always) {
		for _, sc := range stopCases() {
			at := sc.start.Add(sc.stopAt)
			if sc.stopLoc != nil {
				at = at.In(sc.stopLoc)
			}
			checkStop(t, sc.build(cal), cal, at, sc.cancel, sc.name)
		}
	}
}

// TestStopFastTaken checks that the common stop takes the fast path:
// stopped through it, a cycle whose Start is in another location than its
// stop would pack it (it does not: the general path keeps it whole).
func TestStopFastTaken(t *testing.T) {
	cal := calendar.Always
	start := time.Date(2026, 3, 27, 15, 30, 0, 0, mustLoc("Europe/Berlin"))
	c := newCycle(Resolution, 1, start, time.Hour, cal)
	u := newCycle(NextResponse, 1, start, 0, cal)
	c.stop(cal, start.Add(time.Minute), false, true)
	u.stop(cal, start.Add(time.Minute), false, true)
	require.True(t, c.counted, "a cycle with a target is counted, untold too")
	require.False(t, u.counted, "an untold cycle without a target is not counted")
	require.Zero(t, u.Base)
	require.Equal(t, phMet, u.State)
	require.NotEqual(t, farInstant, c.stopped)
	require.Nil(t, c.ext)
	require.Equal(t, phMet, c.State)
	require.Equal(t, start.Add(time.Minute), c.stopAt())
}

// FuzzStopFast compares stop with stopSlow on cycles built from the cases
// with fuzzed instants and durations.
func FuzzStopFast(f *testing.F) {
	for i, sc := range stopCases() {
		f.Add(uint8(i), sc.start.UnixNano(), int64(sc.target), int64(sc.base), int64(sc.stopAt), sc.cancel, uint8(i%5))
	}
	cals := append(viewCalendars(f), calendar.Always)
	cases := stopCases()
	f.Fuzz(func(t *testing.T, ci uint8, startNs, target, base, stopAt int64, cancel bool, ki uint8) {
		sc := cases[int(ci)%len(cases)]
		sc.start = time.Unix(0, startNs).In(sc.start.Location())
		sc.target = time.Duration(max(target, 0) % int64(1000*time.Hour))
		sc.base = time.Duration(max(base, 0) % int64(1000*time.Hour))
		sc.stopAt = time.Duration(max(stopAt, 0))
		sc.cancel = cancel
		cal := cals[int(ki)%len(cals)]
		at := sc.start.Add(sc.stopAt)
		if sc.stopLoc != nil {
			at = at.In(sc.stopLoc)
		}
		checkStop(t, sc.build(cal), cal, at, sc.cancel, sc.name)
	})
}

// TestStopFastRandom compares stop with stopSlow on random cycles and
// instants around Berlin's and São Paulo's offset changes.
func TestStopFastRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 11))
	cals := append(viewCalendars(t), calendar.Always)
	cases := stopCases()
	for range 3000 {
		sc := cases[r.IntN(len(cases))]
		sc.start = sc.start.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
		sc.target = time.Duration(r.Int64N(int64(40 * time.Hour)))
		sc.base = time.Duration(r.Int64N(int64(2 * time.Hour)))
		sc.stopAt = time.Duration(r.Int64N(int64(200 * time.Hour)))
		sc.cancel = r.IntN(2) == 0
		cal := cals[r.IntN(len(cals))]
		at := sc.start.Add(sc.stopAt)
		if sc.stopLoc != nil {
			at = at.In(sc.stopLoc)
		}
		checkStop(t, sc.build(cal), cal, at, sc.cancel, sc.name)
	}
}

// BenchmarkCycleStop stops a running cycle that never paused (stop's
// path of one call) and, beside it, through the general path, in Berlin
// office hours.
func BenchmarkCycleStop(b *testing.B) {
	cal := viewCalendars(b)[1]
	start := time.Date(2026, 3, 24, 10, 0, 0, 0, cal.Location())
	at := start.Add(3 * time.Hour)
	c0 := newCycle(Resolution, 1, start, 4*time.Hour, cal)
	b.Run("stop", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := c0
			c.stop(cal, at, false, false)
		}
	})
	b.Run("stopSlow", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := c0
			c.stopSlow(cal, at, false)
		}
	})
}
