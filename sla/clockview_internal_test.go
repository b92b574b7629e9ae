package sla

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// clockViewSeed is the table TestClockViewMatchesClock and FuzzClockView
// start from: byte strings that drive checkClockView.
var clockViewSeed = [][]byte{
	{},
	{0, 1, 2, 3},
	{1, 0, 0, 5, 1, 9, 2, 40, 3, 7},
	{2, 3, 1, 1, 20, 2, 30, 1, 4, 2, 8, 0, 100},
	{3, 2, 6, 255, 4, 200, 3, 0, 5, 17, 1, 1, 2, 2},
	{4, 1, 7, 60, 1, 1, 2, 250, 1, 90, 3, 3, 6, 5, 4, 4, 0, 0},
	{5, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
}

// checkClockView runs a cycle through the changes the bytes of b choose
// (pauses, resumes, stops, reopenings, new targets, recounts, a breach
// recorded), in São Paulo business hours or 24x7, started in UTC or in
// the calendar's zone, and after each one requires cycle.view to write
// what cycle.clock writes, at instants before, at and after the change,
// in UTC and in Berlin, with built true and false, into a Clock that held
// another view before.
func checkClockView(t *testing.T, b []byte) {
	next := func() int {
		if len(b) == 0 {
			return 0
		}
		x := int(b[0])
		b = b[1:]
		return x
	}
	sp, err := calendar.New(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}, Holidays: []string{"2026-11-02"}})
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	mode := next()
	cal := []*calendar.Calendar{sp, calendar.Always}[mode%2]
	start := time.Date(2026, 10, 30, 13, 30, 0, 0, time.UTC) // a Friday before a holiday Monday
	if mode%4 >= 2 {
		start = start.In(sp.Location())
	}
	target := time.Duration(1+mode%5) * 45 * time.Minute
	c := newCycle([]Metric{FirstResponse, Resolution, OLATimeToOwn}[mode%3], int32(1+mode%7), start, target, cal)
	at := start
	stale := Clock{Metric: "stale", Cycle: 9, State: ClockBreached, Start: at, Stop: at, Deadline: at, BreachedAt: at,
		Elapsed: 1, PausedTime: 2, Remaining: 3, Percent: 4, Paused: true, AfterWindow: true, Target: 5}
	compare := func(step int) {
		for _, when := range []time.Time{at.Add(-time.Hour), at, at.Add(90 * time.Minute), at.Add(80 * time.Hour)} {
			if when.Before(c.Start) {
				continue
			}
			for _, loc := range []*time.Location{time.UTC, berlin} {
				for _, built := range []bool{true, false} {
					want, got := stale, stale
					c.clock(&want, cal, loc, when, built)
					c.view(&got, cal, loc, when, built)
					if math.IsNaN(want.Percent) && math.IsNaN(got.Percent) { // a cycle without target
						want.Percent, got.Percent = 0, 0
					}
					require.Equal(t, want, got, "step %d at %s in %s, built %v", step, when, loc, built)
				}
			}
		}
	}
	compare(0)
	for step := 1; len(b) > 0; step++ {
		op, gap := next(), time.Duration(next())*11*time.Minute
		at = at.Add(gap)
		if op%16 == 15 {
			at = at.Add(3 * 24 * time.Hour) // over the weekend and the holiday
		}
		t := at
		if op%3 == 0 {
			t = at.In(sp.Location()) // as an escalation's firing instant comes
		}
		switch {
		case op%8 == 0 && c.State == phRunning && c.open():
			c.pause(cal, t)
		case op%8 == 1 && c.State == phPaused:
			c.resume(cal, t)
		case op%8 == 2 && c.open():
			c.stop(cal, t, op%16 < 8)
		case op%8 == 3 && !c.open():
			c.reopen(cal, time.Duration(op%5)*30*time.Minute, t)
		case op%8 == 4:
			c.retarget(cal, time.Duration(op%6)*20*time.Minute, t)
		case op%8 == 5:
			c.recompute(cal, time.Duration(1+op%4)*time.Hour, t)
		case op%8 == 6:
			c.counted = !c.counted
		case op%8 == 7 && c.open():
			c.breachBy(t)
		}
		compare(step)
	}
}

func TestClockViewMatchesClock(t *testing.T) {
	for _, seed := range clockViewSeed {
		checkClockView(t, seed)
	}
	rng := rand.New(rand.NewPCG(19, 7))
	for range 200 {
		b := make([]byte, 1+rng.IntN(60))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		checkClockView(t, b)
	}
}

func FuzzClockView(f *testing.F) {
	for _, s := range clockViewSeed {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 200 {
			b = b[:200]
		}
		checkClockView(t, b)
	})
}
