package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// randomHistory applies to a new ticket of e random events (and advances)
// from a random instant, and calls each with every state reached; with
// close, the ticket is closed at the end if it is not yet.
func randomHistory(t *testing.T, e *Engine, r *rand.Rand, steps int, close bool, each func(State)) State {
	t.Helper()
	types := []EventType{EventMessage, EventMessage, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusOnHold, StatusClosed}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
	ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
		Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]}
	if r.IntN(3) == 0 {
		ev.Tags = []string{[]string{"vip", "plain"}[r.IntN(2)]}
	}
	st, err := e.Apply(State{}, ev)
	require.NoError(t, err)
	each(st)
	for n := 0; n < steps && !st.Closed(); n++ {
		at = at.Add(time.Duration(r.IntN(6*60)) * time.Minute)
		if r.IntN(4) == 0 {
			st, _ = e.Advance(st, at)
			each(st)
			continue
		}
		st, _ = e.Apply(st, randomEvent(r, at, types, statuses))
		each(st)
	}
	if close && !st.Closed() {
		st, err = e.Apply(st, Event{TicketID: "T", At: at.Add(time.Minute), Type: EventStatus, Status: StatusClosed})
		require.NoError(t, err)
		each(st)
	}
	return st
}

// TestClosedTicketSettled pins what evaluate takes for granted of a
// closed ticket, where it asks neither settled nor peekFiring: no level
// fires on it by any instant (settled gives st itself) and none will
// (peekFiring finds none), whether the state comes from Apply, from
// Advance or from its JSON form.
func TestClosedTicketSettled(t *testing.T) {
	e := memoEngine(t)
	r := rand.New(rand.NewPCG(7, 11))
	for h := range 80 {
		st := randomHistory(t, e, r, 30, true, func(State) {})
		require.True(t, st.Closed())
		b, err := json.Marshal(&st)
		require.NoError(t, err)
		var back State
		require.NoError(t, json.Unmarshal(b, &back))
		for k, s := range []*State{&st, &back} {
			for _, d := range []time.Duration{0, time.Hour, 400 * time.Hour} {
				what := fmt.Sprintf("history %d, state %d, %v after", h, k, d)
				view := s.lastAt.Add(d)
				require.Same(t, s, e.settled(s, view), what)
				next, ok := e.peekFiring(s)
				require.False(t, ok, what)
				require.True(t, next.IsZero(), what)
			}
		}
	}
}

// agreementOfClocks is the agreement as the clocks' states tell it, the
// reference for evaluate's, which it takes from the phases its clock
// views report.
func agreementOfClocks(clocks []Clock, atRisk float64) Agreement {
	var breached, risk, running, paused, met bool
	for _, c := range clocks {
		switch c.State {
		case ClockBreached:
			breached = true
		case ClockRunning:
			running = true
			risk = risk || c.Percent >= atRisk
		case ClockPaused:
			paused = true
		case ClockMet:
			met = true
		}
	}
	switch {
	case breached:
		return AgreementBreached
	case risk:
		return AgreementAtRisk
	case running:
		return AgreementOnTrack
	case paused:
		return AgreementPaused
	case met:
		return AgreementFulfilled
	}
	return AgreementNone
}

// TestAgreementOfPhases compares the agreement of views of random
// histories, at the state's instant and later, with the one their clocks
// tell, and requires every agreement to be met.
func TestAgreementOfPhases(t *testing.T) {
	e := memoEngine(t)
	r := rand.New(rand.NewPCG(5, 23))
	seen := map[Agreement]int{}
	for h := range 60 {
		randomHistory(t, e, r, 25, h%2 == 0, func(st State) {
			for _, d := range []time.Duration{0, 30 * time.Minute, 3 * time.Hour, 100 * time.Hour} {
				v := e.Evaluate(st, st.lastAt.Add(d))
				require.Equal(t, agreementOfClocks(v.Clocks, e.atRisk), v.Agreement, "history %d, %v after", h, d)
				seen[v.Agreement]++
			}
		})
	}
	require.Equal(t, AgreementNone, e.Evaluate(State{}, time.Time{}).Agreement, "no clocks")
	for _, a := range []Agreement{AgreementOnTrack, AgreementAtRisk, AgreementBreached, AgreementPaused, AgreementFulfilled} {
		require.Positive(t, seen[a], "agreement %s met", a)
	}
}

// TestTeamAtMatchesSearch compares teamAt, which counts a few handoffs one
// by one, with a binary search over them (the way it takes for more), on
// random lists of up to 12 handoffs in time order (instants shared, in
// two zones, a nanosecond apart) and instants around each.
func TestTeamAtMatchesSearch(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(3, 17))
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for n := range 2000 {
		var st State
		st.ticket.Team = "first"
		var hs []handoff
		at := base
		for k := range r.IntN(13) {
			switch r.IntN(3) {
			case 0: // the same instant as the one before
			case 1:
				at = at.Add(time.Nanosecond)
			default:
				at = at.Add(time.Duration(r.IntN(3600)) * time.Second)
			}
			h := handoff{At: at, From: fmt.Sprint("team", k), To: fmt.Sprint("team", k+1)}
			if r.IntN(2) == 0 {
				h.At = h.At.In(sp)
			}
			hs = append(hs, h)
		}
		if len(hs) > 0 {
			st.xw().handoffs = hs
		}
		probes := []time.Time{base.Add(-time.Second), at.Add(time.Hour)}
		for _, h := range hs {
			probes = append(probes, h.At, h.At.Add(-time.Nanosecond), h.At.Add(time.Nanosecond))
		}
		for _, p := range probes {
			k := sort.Search(len(hs), func(i int) bool { return hs[i].At.After(p) })
			team, next := st.ticket.Team, time.Time{}
			switch {
			case k > 0:
				team = hs[k-1].To
			case len(hs) > 0:
				team = hs[0].From
			}
			if k < len(hs) {
				next = hs[k].At
			}
			gotTeam, gotNext := st.teamAt(p)
			require.Equal(t, team, gotTeam, "list %d (%d handoffs), at %s", n, len(hs), p)
			require.True(t, next.Equal(gotNext) && next.Location() == gotNext.Location(), "list %d, at %s: next %s, want %s", n, p, gotNext, next)
		}
	}
}

// TestNextInVisitsReported walks cycles with the mask reported returns, as
// evaluate and teamTimes do, for random targets on up to 140 cycles: the
// walk meets every cycle with a target in order, and below 64 cycles no
// other.
func TestNextInVisitsReported(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 31))
	for n := range 3000 {
		var st State
		st.cycles = make([]cycle, r.IntN(141))
		var want []int
		wantCounted := true
		for i := range st.cycles {
			st.cycles[i].counted = r.IntN(40) > 0
			if r.IntN(3) == 0 {
				st.cycles[i].Target = time.Minute
				want = append(want, i)
				wantCounted = wantCounted && st.cycles[i].counted
			}
		}
		count, mask, counted := st.reported()
		require.Equal(t, len(want), count, "cycles %d", n)
		require.Equal(t, wantCounted, counted, "cycles %d: counted", n)
		var got, all []int
		for i := nextIn(mask, 0); i < len(st.cycles); i = nextIn(mask, i+1) {
			all = append(all, i)
			if st.cycles[i].Target > 0 {
				got = append(got, i)
			}
		}
		require.Equal(t, want, got, "cycles %d: %d long", n, len(st.cycles))
		if len(st.cycles) <= 64 {
			require.Equal(t, want, all, "cycles %d: only those with a target", n)
		}
	}
}
