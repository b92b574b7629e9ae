package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// stopManyMetrics are the metrics of the states stopResponses and
// stopAll are tried on: the response clocks, resolution and a custom one.
var stopManyMetrics = []Metric{FirstResponse, NextResponse, PeriodicUpdate, Resolution, "time_to_assign"}

// stopManyState builds a state from a plan: each byte starts a cycle of
// the metric it names (low bits), some of them stopped (bit 4), paused
// (bit 5) or without a target (bit 6), started a few minutes apart.
func stopManyState(plan []byte, cal *calendar.Calendar, start time.Time) (State, time.Time) {
	var st State
	t := start
	for _, b := range plan {
		m := stopManyMetrics[int(b&7)%len(stopManyMetrics)]
		target := 2 * time.Hour
		if b&64 != 0 {
			target = 0
		}
		st.startCycle(nil, 0, m, -1, cal, t) // no policy: no target yet
		k := len(st.open) - 1
		c := &st.cycles[st.open[k]]
		c.retarget(cal, target, t)
		t = t.Add(7 * time.Minute)
		switch {
		case b&16 != 0:
			st.stop(k, cal, t, false, false)
		case b&32 != 0:
			c.pause(cal, t)
		}
	}
	return st, t.Add(3 * time.Hour)
}

// stopOneByOne is the reference: State.stop on each open cycle the step
// stops, from the last, as message and solved did before stopResponses
// and stopAll.
func stopOneByOne(st *State, cal *calendar.Calendar, t time.Time, all bool) {
	for k := len(st.open) - 1; k >= 0; k-- {
		switch m := st.cycles[st.open[k]].Metric; {
		case all:
			st.stop(k, cal, t, m != Resolution, false)
		case m == FirstResponse || m == NextResponse || m == PeriodicUpdate:
			st.stop(k, cal, t, false, false)
		}
	}
}

// checkStopMany requires stopResponses and stopAll to leave the state of
// the plan as the reference does: the cycles, and the open indices with
// the storage past them zeroed.
func checkStopMany(t *testing.T, plan []byte, cal *calendar.Calendar) {
	start := time.Date(2026, 3, 27, 15, 30, 0, 0, cal.Location())
	for _, all := range []bool{false, true} {
		got, at := stopManyState(plan, cal, start)
		want, _ := stopManyState(plan, cal, start)
		stopOneByOne(&want, cal, at, all)
		if all {
			got.stopAll(cal, at, false)
		} else {
			got.stopResponses(cal, at, false)
		}
		require.Equal(t, want.cycles, got.cycles, "plan %v, all %v", plan, all)
		require.Equal(t, want.open, got.open, "plan %v, all %v", plan, all)
		require.Equal(t, want.open[:cap(want.open)], got.open[:cap(got.open)], "plan %v, all %v: freed indices", plan, all)
	}
}

// stopManyPlans hold no open cycle, one of each metric, responses only,
// none, several of one metric, and stopped and paused cycles between.
var stopManyPlans = [][]byte{
	{},
	{0}, {1}, {2}, {3}, {4},
	{0, 3, 4},
	{3, 0, 4, 1, 2},
	{0, 1, 2},
	{3, 4},
	{0 | 16, 3, 1, 4 | 16, 2},
	{0 | 32, 3 | 32, 4, 2 | 64},
	{2, 2 | 16, 2, 2 | 32, 3 | 64},
}

// TestStopManyMatchesOneByOne holds stopResponses and stopAll to State.stop
// cycle by cycle, over the plans and random ones, in Berlin office hours
// (across the change to summer time) and around the clock.
func TestStopManyMatchesOneByOne(t *testing.T) {
	cals := append(viewCalendars(t), calendar.Always)
	for _, cal := range cals {
		for _, plan := range stopManyPlans {
			checkStopMany(t, plan, cal)
		}
	}
	r := rand.New(rand.NewPCG(19, 12))
	for range 500 {
		plan := make([]byte, r.IntN(9))
		for i := range plan {
			plan[i] = byte(r.IntN(128))
		}
		checkStopMany(t, plan, cals[r.IntN(len(cals))])
	}
}

// FuzzStopMany is TestStopManyMatchesOneByOne on fuzzed plans.
func FuzzStopMany(f *testing.F) {
	for i, plan := range stopManyPlans {
		f.Add(plan, uint8(i))
	}
	cals := append(viewCalendars(f), calendar.Always)
	f.Fuzz(func(t *testing.T, plan []byte, ci uint8) {
		if len(plan) > 64 {
			plan = plan[:64]
		}
		checkStopMany(t, plan, cals[int(ci)%len(cals)])
	})
}
