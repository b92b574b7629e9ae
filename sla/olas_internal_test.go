package sla

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// olaEngine is an engine with three OLAs: billing's (São Paulo hours,
// the default pauses), one picked by a condition (tickets tagged vip held
// by any team; an error for tickets tagged broken, 24x7, pausing on hold)
// and one for tier2 with a time to resolve only at some priorities.
func olaEngine(t testing.TB) *Engine {
	e, err := NewEngine(olaConfig(t))
	require.NoError(t, err)
	return e
}

// olaTeamEngine is olaEngine without the OLA picked by When: a ticket of
// a team no OLA names, its OLA cycles all stopped, is one olaWatch skips.
func olaTeamEngine(t testing.TB) *Engine {
	cfg := olaConfig(t)
	cfg.OLAs = slices.DeleteFunc(cfg.OLAs, func(o OLA) bool { return o.When != nil })
	e, err := NewEngine(cfg)
	require.NoError(t, err)
	require.False(t, e.olaAnyTeam)
	return e
}

// olaConfig is the configuration of olaEngine.
func olaConfig(t testing.TB) Config {
	sp, err := calendar.New(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}, Holidays: []string{"2026-11-02"}})
	require.NoError(t, err)
	return Config{Policies: []Policy{{Name: "std", Calendar: sp, Targets: map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, Resolution: 8 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, Resolution: 16 * time.Hour},
	}}}, OLAs: []OLA{
		{Name: "billing-ola", Team: "billing", Calendar: sp, Targets: map[string]map[Metric]time.Duration{
			"urgent": {OLATimeToOwn: 5 * time.Minute, OLATimeToResolve: time.Hour},
			"normal": {OLATimeToOwn: 15 * time.Minute, OLATimeToResolve: 4 * time.Hour}}},
		{Name: "vip-ola", PauseOn: []Status{StatusOnHold}, When: func(tk *Ticket) (bool, error) {
			if tk.HasTag("broken") {
				return false, errors.New("broken")
			}
			return tk.HasTag("vip"), nil
		}, Targets: map[string]map[Metric]time.Duration{"urgent": {OLATimeToResolve: 2 * time.Hour}, "normal": {OLATimeToOwn: time.Hour}}},
		{Name: "tier2-ola", Team: "tier2", PauseOn: []Status{}, Targets: map[string]map[Metric]time.Duration{
			"urgent": {OLATimeToResolve: 30 * time.Minute}}},
	}}
}

// olaEventRef is olaEvent as it was before its loops were merged and
// tickets of teams without an OLA skipped it (but for the stops, made in
// the zone of the cycle's start as olaEvent now makes them): the
// reference the differential tests hold olaEvent to.
func (e *Engine) olaEventRef(st *State, ev *Event, t time.Time, oldTeam string, oldStatus Status) {
	if len(e.olas) == 0 {
		return
	}
	tk := &st.ticket
	active := tk.Status != StatusSolved && tk.Status != StatusClosed
	reopened := (oldStatus == StatusSolved || oldStatus == StatusClosed) && active
	holds := active && tk.Team != "" && (tk.Team != oldTeam || oldStatus == "" || reopened)
	if !holds && len(st.x().olas) == 0 {
		return
	}
	owned := ev != nil && ((ev.Type == EventAssign || ev.Type == EventCreated) && ev.Agent != "" ||
		ev.Type == EventMessage && ev.author() == AuthorAgent && ev.public())
	for i := range st.x().olas {
		c := &st.x().olas[i]
		if !c.open() {
			continue
		}
		o := e.olaByName(c.OLA)
		cal := calendar.Always
		if o != nil {
			cal = o.cal
		}
		switch {
		case tk.Team != c.Team || !active:
			c.stop(cal, t.In(c.Start.Location()), c.Metric == OLATimeToOwn, false)
		case c.Metric == OLATimeToOwn && owned:
			c.stop(cal, t.In(c.Start.Location()), false, false)
		}
	}
	if holds {
		prio := e.priority(tk, e.policy(st.policy))
		for _, o := range e.olas {
			if !o.matches(st, t) {
				continue
			}
			for k, m := range []Metric{OLATimeToOwn, OLATimeToResolve} {
				if d := o.targets[prio][k]; d > 0 {
					c := olaCycle{OLA: o.Name, Team: tk.Team, cycle: newCycle(m, st.olaNext(o.Name, m), t, d, o.cal)}
					if m == OLATimeToOwn && owned {
						c.stop(o.cal, t, false, false)
					}
					more := st.xw()
					more.olas = append(more.olas, c)
				}
			}
		}
	}
	for i := range st.x().olas {
		c := &st.x().olas[i]
		o := e.olaByName(c.OLA)
		if !c.open() || o == nil {
			continue
		}
		want := o.pauseOn[statusIndex(tk.Status)]
		switch {
		case want && c.State == phRunning:
			c.pause(o.cal, t)
		case !want && c.State == phPaused:
			c.resume(o.cal, t)
		}
	}
}

var (
	olaTeams    = []string{"", "billing", "tier2", "support", "bitling"}
	olaStatuses = []Status{"", StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusClosed}
	olaTags     = [][]string{nil, {"vip"}, {"broken"}, {"vip", "x"}}
	olaPrios    = []string{"urgent", "normal", "low"}
)

// olaEventSeed is the table the differential test and the fuzz target
// start from: byte strings that drive checkOLAEvent.
var olaEventSeed = [][]byte{
	{},
	{1, 0, 1, 1, 0, 3, 2, 0, 5},
	{2, 1, 1, 1, 0, 2, 2, 2, 1, 1, 4, 4, 0, 5, 5, 0, 6, 1},
	{3, 1, 0, 2, 1, 1, 1, 3, 3, 3, 2, 2, 1, 1, 1, 6, 6, 6, 0, 0, 0, 4},
	{4, 1, 3, 1, 1, 4, 1, 5, 1, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17},
	{5, 200, 100, 50, 25, 12, 6, 3, 1, 0, 255, 128, 64, 32, 16, 8, 4, 2},
}

// checkOLAEvent builds a ticket step by step from the bytes of b: each
// step sets its team, status, tags and priority at will (also to what
// Apply would never leave, so that stray cycles meet every case), then
// runs olaEvent and olaEventRef on two copies with the same event,
// instant, former team and former status, and requires the same state.
// It returns the steps at which olaWatch let olaEvent skip a state with
// OLA cycles (State.olaShut: none of them open).
func checkOLAEvent(t *testing.T, e *Engine, b []byte) (shut int) {
	next := func() int {
		if len(b) == 0 {
			return 0
		}
		x := int(b[0])
		b = b[1:]
		return x
	}
	at := time.Date(2026, 10, 30, 14, 0, 0, 0, time.UTC) // a Friday before a holiday Monday
	st := State{policy: "std", events: 1, lastAt: at}
	st.ticket = Ticket{ID: "T", Status: StatusNew, Priority: "normal", CreatedAt: at}
	for step := 0; len(b) > 0; step++ {
		at = at.Add(time.Duration(next()) * 7 * time.Minute)
		oldTeam, oldStatus := st.ticket.Team, st.ticket.Status
		if x := next(); x%3 != 0 {
			st.ticket.Team = olaTeams[x%len(olaTeams)]
		}
		if x := next(); x%2 != 0 {
			st.ticket.Status = olaStatuses[x%len(olaStatuses)]
		}
		x := next()
		st.ticket.Tags = olaTags[x%len(olaTags)]
		st.ticket.Priority = olaPrios[x/4%len(olaPrios)]
		if x%5 == 4 {
			oldTeam, oldStatus = olaTeams[x%len(olaTeams)], olaStatuses[x%len(olaStatuses)]
		}
		var ev *Event
		switch y := next(); y % 6 {
		case 1:
			ev = &Event{Type: EventAssign, Agent: "ana"}
		case 2:
			ev = &Event{Type: EventCreated, Agent: []string{"", "bo"}[y/6%2]}
		case 3:
			ev = &Event{Type: EventMessage, Author: AuthorAgent}
		case 4:
			f := false
			ev = &Event{Type: EventMessage, Author: []Author{AuthorAgent, AuthorCustomer}[y/6%2], Public: &f}
		case 5:
			ev = &Event{Type: EventStatus}
		}
		when := at
		if x%3 == 2 {
			when = at.In(e.olas[0].cal.Location()) // as an escalation's firing instant comes
		}
		if len(st.x().olas) > 0 && !e.olaWatch(&st) {
			shut++
		}
		want := st.Clone()
		e.olaEventRef(&want, ev, when, oldTeam, oldStatus)
		e.olaEvent(&st, ev, when, oldTeam, oldStatus)
		st.lastAt = at
		want.lastAt = at
		got, err := json.Marshal(&st)
		require.NoError(t, err)
		ref, err := json.Marshal(&want)
		require.NoError(t, err)
		require.JSONEq(t, string(ref), string(got), "step %d (team %q from %q, status %q from %q, event %+v)",
			step, st.ticket.Team, oldTeam, st.ticket.Status, oldStatus, ev)
	}
	return shut
}

// TestOLAEventMatchesReference holds olaEvent to olaEventRef on the
// seeds and random steps, for the engine with an OLA picked by When and
// for the one whose OLAs name their teams (where olaWatch skips the
// tickets whose OLA cycles are all stopped).
func TestOLAEventMatchesReference(t *testing.T) {
	for _, e := range []*Engine{olaEngine(t), olaTeamEngine(t)} {
		shut := 0
		for _, seed := range olaEventSeed {
			shut += checkOLAEvent(t, e, seed)
		}
		rng := rand.New(rand.NewPCG(19, 5))
		for range 300 {
			b := make([]byte, 2+rng.IntN(120))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			shut += checkOLAEvent(t, e, b)
		}
		if !e.olaAnyTeam {
			require.Greater(t, shut, 200, "steps olaWatch skipped")
		}
	}
	// The engine without OLAs leaves the cycles a state brought as they are.
	none, err := NewEngine(Config{})
	require.NoError(t, err)
	st := State{events: 1, ticket: Ticket{ID: "T", Team: "x", Status: StatusSolved}}
	st.xw().olas = []olaCycle{{OLA: "billing-ola", Team: "billing", cycle: cycle{Metric: OLATimeToOwn, N: 1, State: phRunning}}}
	none.olaEvent(&st, nil, time.Date(2026, 10, 30, 15, 0, 0, 0, time.UTC), "billing", StatusOpen)
	require.True(t, st.x().olas[0].open())
}

// TestOLAEventCoversCases checks that the differential test meets what it
// is meant to: cycles started, stopped on a hand-off, stopped as owned,
// paused and resumed, and a failing When recorded.
func TestOLAEventCoversCases(t *testing.T) {
	e := olaEngine(t)
	at := time.Date(2026, 10, 30, 14, 0, 0, 0, time.UTC)
	st := State{policy: "std", events: 1, lastAt: at}
	st.ticket = Ticket{ID: "T", Status: StatusOpen, Priority: "urgent", Team: "billing", Tags: []string{"vip"}, CreatedAt: at}
	e.olaEvent(&st, nil, at, "", "")
	olas := st.x().olas
	require.Len(t, olas, 3) // billing's own and resolve, vip's resolve
	st.ticket.Status = StatusOnHold
	e.olaEvent(&st, nil, at.Add(time.Minute), "billing", StatusOpen)
	require.Equal(t, []phase{phPaused, phPaused, phPaused}, olaPhases(st.x().olas))
	st.ticket.Status = StatusPending // billing pauses, vip does not
	e.olaEvent(&st, nil, at.Add(2*time.Minute), "billing", StatusOnHold)
	require.Equal(t, []phase{phPaused, phPaused, phRunning}, olaPhases(st.x().olas))
	st.ticket.Status = StatusOpen
	e.olaEvent(&st, &Event{Type: EventAssign, Agent: "ana"}, at.Add(3*time.Minute), "billing", StatusPending)
	require.Equal(t, []phase{phMet, phRunning, phRunning}, olaPhases(st.x().olas))
	st.ticket.Team, st.ticket.Tags = "tier2", []string{"broken"}
	e.olaEvent(&st, nil, at.Add(4*time.Minute), "billing", StatusOpen)
	require.Equal(t, []phase{phMet, phMet, phMet, phRunning}, olaPhases(st.x().olas))
	f, _ := st.failures()
	require.Len(t, f, 1)
	require.True(t, slices.ContainsFunc(st.x().olas, func(c olaCycle) bool { return c.OLA == "tier2-ola" }))
}

// An OLA cycle stopped at an escalation level's firing instant, which
// comes in the calendar's zone, keeps its stop in the zone of its start,
// packed: no storage of its own for it.
func TestOLAStopAtFiringPacked(t *testing.T) {
	l, err := escalation.New("standard", []escalation.Level{{Name: "tier2", Metric: string(Resolution),
		At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute}, Actions: []escalation.Action{{Type: escalation.Assign, Target: "tier2"}}}})
	require.NoError(t, err)
	cfg := olaConfig(t)
	cfg.Policies[0].Escalation = "standard"
	cfg.Ladders = map[string]*escalation.Ladder{"standard": l}
	e, err := NewEngine(cfg)
	require.NoError(t, err)
	at := time.Date(2026, 10, 30, 14, 0, 0, 0, time.UTC)
	st, err := e.Apply(State{}, Event{Type: EventCreated, TicketID: "T", At: at, Priority: "urgent", Team: "billing"})
	require.NoError(t, err)
	st, fired := e.Advance(st, at.Add(time.Hour))
	require.Len(t, fired, 1)
	require.Equal(t, "tier2", st.ticket.Team)
	var stopped int
	for _, c := range st.x().olas {
		if c.OLA != "billing-ola" {
			continue
		}
		require.False(t, c.open())
		assert.Nil(t, c.ext, "%s: the stop is packed", c.Metric)
		assert.Equal(t, time.UTC, c.stopAt().Location())
		assert.True(t, c.stopAt().Equal(fired[0].At))
		stopped++
	}
	require.Equal(t, 2, stopped)
}

func olaPhases(cs []olaCycle) []phase {
	out := make([]phase, len(cs))
	for i := range cs {
		out[i] = cs[i].State
	}
	return out
}

func FuzzOLAEvent(f *testing.F) {
	for _, s := range olaEventSeed {
		f.Add(s)
	}
	es := []*Engine{olaEngine(f), olaTeamEngine(f)}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 400 {
			b = b[:400]
		}
		for _, e := range es {
			checkOLAEvent(t, e, b)
		}
	})
}

// olaEvent writes the cycles a holding starts in the room its state
// already has: room a recycled record left full of an earlier ticket's
// cycles (stop, ext, marks, fired levels) gives the cycles fresh storage
// gives.
func TestOLAEventStartsInUsedRoom(t *testing.T) {
	e := olaEngine(t)
	at := time.Date(2026, 10, 30, 14, 0, 0, 0, time.UTC)
	fresh := func() State {
		st := State{policy: "std", events: 1, lastAt: at}
		st.ticket = Ticket{ID: "T", Status: StatusOpen, Priority: "urgent", Team: "billing", Tags: []string{"vip"}, CreatedAt: at}
		return st
	}
	want := fresh()
	e.olaEvent(&want, nil, at, "", "")
	require.Len(t, want.x().olas, 3)

	used := olaCycle{OLA: "old-ola", Team: "old", cycle: cycle{Metric: Resolution, Start: at.Add(-time.Hour), due: at,
		stopped: 7, ext: &cycleExt{pauses: []span{{From: at}}, odd: &[2]time.Time{at, at}}, Target: 9, Base: 3, Fired: 5,
		N: 9, Cancel: true, State: phBreached, marks: hasPauses | oddBreach, counted: true}}
	room := make([]olaCycle, 4)
	for i := range room {
		room[i] = used
	}
	got := fresh()
	got.xw().olas = room[:0]
	e.olaEvent(&got, nil, at, "", "")
	require.Len(t, got.x().olas, 3)
	require.Same(t, &room[0], &got.x().olas[0], "written in the room")
	for i := range want.x().olas {
		assert.Equal(t, want.x().olas[i], got.x().olas[i], "cycle %d", i)
	}
}
