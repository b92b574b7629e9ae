package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/whatsappwindow"
	"github.com/stretchr/testify/require"
)

// windowEngine is an engine that tracks WhatsApp windows, with office
// hours in São Paulo (a holiday in its weeks), a pause status, short
// response targets and a ladder, so that views of random histories meet
// running, paused, breached and stopped clocks, deadlines to come and
// replies due after a window's close.
func windowEngine(t testing.TB) *Engine {
	t.Helper()
	sp, err := calendar.New(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}, Holidays: []string{"2026-03-04"}})
	require.NoError(t, err)
	ladder, err := escalation.New("l", []escalation.Level{{Name: "half", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000},
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}}})
	require.NoError(t, err)
	tracker, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	targets := map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: 30 * time.Minute, NextResponse: time.Hour, Resolution: 4 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, NextResponse: 9 * time.Hour, Resolution: 20 * time.Hour},
		"low":    {FirstResponse: 30 * time.Hour, NextResponse: 40 * time.Hour, Resolution: 80 * time.Hour},
	}
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Calendar: sp, Targets: targets, Escalation: "l",
		PauseOn: []Status{StatusPending, StatusOnHold}}},
		Ladders: map[string]*escalation.Ladder{"l": ladder}, WhatsApp: tracker})
	require.NoError(t, err)
	return e
}

// openClocksRef is the former rule of evaluate's clock loop, over the
// cycles themselves: the phase each clock view returns, a cycle open by
// its stop. It returns the risk, the earliest deadline after at of a
// running clock, and each clock's AfterWindow (v's clocks are those of
// s's reported cycles, in order), and whether s has an open reported
// cycle.
func openClocksRef(e *Engine, v *View, s *State, at time.Time) (bool, time.Time, []bool, bool) {
	cal := calOf(e.policyOf(s), s)
	risk, wake, open := false, time.Time{}, false
	var after []bool
	k := 0
	for i := range s.cycles {
		c := &s.cycles[i]
		if c.Target <= 0 {
			continue
		}
		var ck Clock
		ph := c.anyClock(&ck, cal, cal.Location(), at, false)
		if ph == phRunning {
			risk = risk || ck.Percent >= e.atRisk
			if ck.Deadline.After(at) {
				wake = earliest(wake, ck.Deadline)
			}
		}
		open = open || c.open()
		a := false
		if v.WhatsApp != nil && c.open() && (c.Metric == FirstResponse || c.Metric == NextResponse) && !ck.Deadline.IsZero() {
			a = e.afterWindow(s, ck.Deadline)
		}
		after = append(after, a)
		k++
	}
	return risk, wake, after, open
}

// openClocksCase is a table entry: a random history of a ticket on
// channel, from seed, closed at its end or not.
type openClocksCase struct {
	name    string
	seed    uint64
	channel string
	steps   int
	close   bool
}

var openClocksCases = []openClocksCase{
	{name: "whatsapp, closed", seed: 1, channel: "whatsapp", steps: 30, close: true},
	{name: "whatsapp, left open", seed: 2, channel: "whatsapp", steps: 12},
	{name: "whatsapp in capitals, long", seed: 3, channel: "WhatsApp", steps: 60},
	{name: "email, closed", seed: 4, channel: "email", steps: 20, close: true},
	{name: "email, left open", seed: 5, channel: "email", steps: 8},
}

// openClocksMet counts what the comparison met, so that the table is
// known to reach every case of the rule.
type openClocksMet struct {
	closed, risk, wake, after, open int
}

// checkOpenClocks applies the case's history and, at every state reached
// and four instants, compares the view's risk (through its agreement),
// the clocks' part of its next wake and each AfterWindow with the former
// rule, and openClocks itself with it; a closed state must have no open
// reported cycle (evaluate then skips openClocks).
func checkOpenClocks(t testing.TB, e *Engine, tc openClocksCase, met *openClocksMet) {
	r := rand.New(rand.NewPCG(tc.seed, tc.seed*7+1))
	types := []EventType{EventMessage, EventMessage, EventMessage, EventStatus, EventPriority}
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusOnHold, StatusOpen}
	at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(5*24)) * time.Hour)
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: tc.channel,
		Author: AuthorCustomer, Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]})
	require.NoError(t, err)
	check := func(st State) {
		for _, d := range []time.Duration{0, 20 * time.Minute, 3 * time.Hour, 50 * time.Hour} {
			what := fmt.Sprintf("%s: %v after %s", tc.name, d, st.lastAt.Format(time.RFC3339))
			view := e.viewAt(&st, st.lastAt.Add(d))
			v := e.Evaluate(st, view)
			s := &st
			if !st.Closed() {
				s = e.settled(&st, view)
			}
			risk, wake, after, open := openClocksRef(e, &v, s, view)
			require.Len(t, v.Clocks, len(after), what)
			for k := range after {
				require.Equal(t, after[k], v.Clocks[k].AfterWindow, "%s: clock %d", what, k)
			}
			if st.Closed() {
				met.closed++
				require.False(t, open, "%s: a closed ticket has no open cycle", what)
			}
			clocks := make([]Clock, len(v.Clocks))
			copy(clocks, v.Clocks)
			for k := range clocks {
				clocks[k].AfterWindow = false
			}
			gotRisk, gotWake := e.openClocks(clocks, s, view, v.WhatsApp != nil)
			require.Equal(t, risk, gotRisk, what)
			require.Equal(t, wake.UnixNano(), gotWake.UnixNano(), what)
			require.Equal(t, wake.IsZero(), gotWake.IsZero(), what)
			for k := range clocks {
				require.Equal(t, after[k], clocks[k].AfterWindow, "%s: openClocks, clock %d", what, k)
				if after[k] {
					met.after++
				}
			}
			require.Equal(t, agreementOfClocks(v.Clocks, e.atRisk), v.Agreement, what)
			if risk {
				met.risk++
				require.Contains(t, []Agreement{AgreementAtRisk, AgreementBreached}, v.Agreement, what)
			}
			if !wake.IsZero() {
				met.wake++
				require.False(t, v.NextWake.After(wake), "%s: next wake %v after a deadline %v", what, v.NextWake, wake)
			}
			if open {
				met.open++
			}
		}
	}
	check(st)
	for n := 0; n < tc.steps && !st.Closed(); n++ {
		at = at.Add(time.Duration(r.IntN(5*60)) * time.Minute)
		if r.IntN(5) == 0 {
			st, _ = e.Advance(st, at)
		} else {
			st, _ = e.Apply(st, randomEvent(r, at, types, statuses))
		}
		check(st)
	}
	if tc.close && !st.Closed() {
		st, err = e.Apply(st, Event{TicketID: "T", At: at.Add(time.Minute), Type: EventStatus, Status: StatusClosed})
		require.NoError(t, err)
		check(st)
	}
}

// TestOpenClocksMatchLoop pins evaluate's open-clock pass (openClocks,
// after the clock loop, skipped for a closed ticket) against the rule the
// loop applied to every cycle, over the table and 150 more random
// histories: the agreement's risk, the clocks' next wake and every
// AfterWindow.
func TestOpenClocksMatchLoop(t *testing.T) {
	e := windowEngine(t)
	var met openClocksMet
	for _, tc := range openClocksCases {
		checkOpenClocks(t, e, tc, &met)
	}
	for i := range 150 {
		tc := openClocksCases[i%len(openClocksCases)]
		tc.name, tc.seed = fmt.Sprintf("%s, random %d", tc.name, i), uint64(1000+i)
		checkOpenClocks(t, e, tc, &met)
	}
	require.Positive(t, met.closed, "closed states")
	require.Positive(t, met.open, "open cycles")
	require.Positive(t, met.risk, "clocks at risk")
	require.Positive(t, met.wake, "deadlines to come")
	require.Positive(t, met.after, "replies due after the window")
}

func FuzzOpenClocks(f *testing.F) {
	for _, tc := range openClocksCases {
		f.Add(tc.seed, tc.channel, uint8(tc.steps), tc.close)
	}
	e := windowEngine(f)
	f.Fuzz(func(t *testing.T, seed uint64, channel string, steps uint8, close bool) {
		var met openClocksMet
		checkOpenClocks(t, e, openClocksCase{name: "fuzz", seed: seed, channel: channel, steps: int(steps), close: close}, &met)
	})
}

// lastAtTable lists offsets of a ticket's last event from its creation:
// at it, a nanosecond later, and at the end of the span a ticket is
// followed and just past it (refused).
var lastAtTable = []time.Duration{0, 1, 90 * time.Minute, maxSpan - time.Hour, maxSpan - 1, maxSpan, maxSpan + 1, maxSpan + time.Hour}

// TestLastAtIsItsOwnView pins what emit takes for granted when it skips
// viewAt for a view at a ticket's last instant (every closed ticket's
// result): viewAt gives that very value (wall, ext and location), for
// states Apply builds with their last event anywhere in the span a ticket
// is followed (an event past it is refused), in three zones, their JSON
// round trip, and every state of random histories.
func TestLastAtIsItsOwnView(t *testing.T) {
	e := windowEngine(t)
	zones := loadZones(t, "America/Sao_Paulo", "Europe/Berlin")
	zones = append(zones, time.UTC)
	check := func(st *State, what string) {
		require.True(t, st.lastAt == e.viewAt(st, st.lastAt), "%s: viewAt(%v) = %v", what, st.lastAt, e.viewAt(st, st.lastAt))
		b, err := json.Marshal(st)
		require.NoError(t, err)
		var back State
		require.NoError(t, json.Unmarshal(b, &back), what)
		require.True(t, back.lastAt == e.viewAt(&back, back.lastAt), "%s, from JSON: viewAt(%v) = %v", what, back.lastAt, e.viewAt(&back, back.lastAt))
	}
	created := time.Date(2026, 3, 29, 0, 30, 0, 500, time.UTC)
	for _, d := range lastAtTable {
		for _, z := range zones {
			what := fmt.Sprintf("last event %v after creation, in %v", d, z)
			st, err := e.Apply(State{}, Event{TicketID: "T", At: created.In(z), Type: EventCreated, Channel: "whatsapp", Author: AuthorCustomer})
			require.NoError(t, err)
			st2, err := e.Apply(st, Event{TicketID: "T", At: created.Add(d).In(z), Type: EventStatus, Status: StatusSolved})
			if d > maxSpan {
				require.Error(t, err, what)
				continue
			}
			require.NoError(t, err, what)
			check(&st2, what)
		}
	}
	for i := range 40 {
		randomHistory(t, e, rand.New(rand.NewPCG(uint64(i), 17)), 20, i%2 == 0, func(st State) {
			check(&st, fmt.Sprintf("history %d", i))
		})
	}
}

// closedWindowTicket returns an engine and a closed WhatsApp ticket of
// four clocks (first response, two next responses, resolution).
func closedWindowTicket(b *testing.B) (*Engine, State) {
	e := windowEngine(b)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "whatsapp", Author: AuthorCustomer, Priority: "normal"})
	require.NoError(b, err)
	for i, ev := range []Event{
		{Type: EventMessage, Author: AuthorAgent}, {Type: EventMessage, Author: AuthorCustomer},
		{Type: EventMessage, Author: AuthorAgent}, {Type: EventMessage, Author: AuthorCustomer},
		{Type: EventMessage, Author: AuthorAgent}, {Type: EventStatus, Status: StatusSolved},
		{Type: EventStatus, Status: StatusClosed},
	} {
		ev.TicketID, ev.At = "T", at.Add(time.Duration(i+1)*47*time.Minute)
		st, err = e.Apply(st, ev)
		require.NoError(b, err)
	}
	require.True(b, st.Closed())
	return e, st
}

// BenchmarkReplayResultClosed builds, as a replay does at a ticket's
// close, the Result of a closed WhatsApp ticket of four clocks, its
// storage from a store.
func BenchmarkReplayResultClosed(b *testing.B) {
	e, st := closedWindowTicket(b)
	var store resultStore
	var res Result
	e.result(&res, &st, st.lastAt, &store)
	require.Len(b, res.Clocks, 4)
	b.ReportAllocs()
	for b.Loop() {
		res = Result{}
		e.result(&res, &st, st.lastAt, &store)
	}
}

// BenchmarkSinkResultClosed is BenchmarkReplayResultClosed as a replay
// into a sink makes the result: its storage given back after each one
// (resultStore.reuse), no allocation.
func BenchmarkSinkResultClosed(b *testing.B) {
	e, st := closedWindowTicket(b)
	var store resultStore
	store.detach()
	var res Result
	e.result(&res, &st, st.lastAt, &store)
	require.Len(b, res.Clocks, 4)
	store.reuse()
	b.ReportAllocs()
	for b.Loop() {
		res = Result{}
		e.result(&res, &st, st.lastAt, &store)
		store.reuse()
	}
}
