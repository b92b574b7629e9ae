package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/whatsappwindow"
)

// specCal returns the calendar of the spec s, failing t on an error.
func specCal(t testing.TB, s calendar.Spec) *calendar.Calendar {
	c, err := calendar.New(s)
	require.NoError(t, err)
	return c
}

// exactEngine is an engine for the differential tests of nextExact: a
// policy per calendar (São Paulo business hours with the 2 November
// holiday, Berlin and New York office hours with their holidays, and none,
// 24x7), picked by a tag, all with pauses, re-targets on a priority change
// and reopening; an OLA of the billing team in São Paulo hours; and a
// WhatsApp tracker. Two ladders, both asked of the ticket alone: "cycles"
// fires on the running cycles only (percent, elapsed and breach triggers,
// a level of any metric, conditions on the team and the priority, quiet
// hours in Berlin and New York); "wide" adds a window level and one that
// watches the OLA's time to own, so that its clocks are gathered.
func exactEngine(t testing.TB) *Engine {
	cal := func(s calendar.Spec) *calendar.Calendar { return specCal(t, s) }
	sp := cal(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}}, Holidays: []string{"2026-11-02", "2018-11-15"}})
	berlin := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:30"}}, Holidays: []string{"2026-12-24", "2026-10-26"}})
	ny := cal(calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2026-11-26", "2026-03-09"}})
	lead := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"08:00-20:00"}, "sat-sun": {"10:00-14:00"}}})
	team := func(name string) func(any) bool {
		return func(x any) bool { tk, _ := x.(*Ticket); return tk != nil && tk.Team == name }
	}
	urgent := func(x any) bool { tk, _ := x.(*Ticket); return tk != nil && tk.Priority == "urgent" }
	when := func(f func(any) bool) func(*escalation.Context) (bool, error) {
		return func(c *escalation.Context) (bool, error) { return f(c.Ticket), nil }
	}
	notify := []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}
	levels := []escalation.Level{
		{Name: "remind", Metric: string(FirstResponse), At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify},
		{Name: "billing", Metric: string(Resolution), At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute},
			When: when(team("billing")), WhenTicketOnly: true, WhenTicket: team("billing"), WhenReads: uint64(AttrTeam),
			Actions: []escalation.Action{{Type: escalation.Assign, Target: "billing-specialists"}}},
		{Name: "soon", Metric: escalation.AnyMetric, At: escalation.Trigger{Kind: escalation.Breach, Offset: -30 * time.Minute},
			When: when(urgent), WhenTicketOnly: true, WhenTicket: urgent, Actions: notify},
		{Name: "half", Metric: string(NextResponse), At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, During: ny, Actions: notify},
		{Name: "long", At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 3 * time.Hour}, During: ny, Actions: notify},
		{Name: "leadership", At: escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}, During: lead,
			Actions: []escalation.Action{{Type: escalation.SetPriority, Target: "urgent"}}},
		{Name: "due", Metric: string(Resolution), At: escalation.Trigger{Kind: escalation.Breach}, Actions: notify},
	}
	cycles, err := escalation.New("cycles", levels)
	require.NoError(t, err)
	wide, err := escalation.New("wide", append(levels[:len(levels):len(levels)],
		escalation.Level{Name: "closing", At: escalation.Trigger{Kind: escalation.Window, Offset: 2 * time.Hour}, Actions: notify},
		escalation.Level{Name: "unowned", Metric: string(OLATimeToOwn), At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, Actions: notify}))
	require.NoError(t, err)
	require.True(t, cycles.TicketWhenOnly() && wide.TicketWhenOnly())
	tracker, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	targets := memoTargets()
	pol := func(name string, c *calendar.Calendar, ladder string) Policy {
		return Policy{Name: name, When: hasTag(name), Calendar: c, Targets: targets, Escalation: ladder,
			PauseOn: []Status{StatusPending}, OnPriorityChange: Recompute}
	}
	e, err := NewEngine(Config{Policies: []Policy{
		pol("berlin", berlin, "cycles"), pol("ny", ny, "cycles"), pol("none", nil, "cycles"),
		pol("wide", sp, "wide"), pol("wide-ny", ny, "wide"), pol("sp", sp, "cycles"),
	}, Ladders: map[string]*escalation.Ladder{"cycles": cycles, "wide": wide}, WhatsApp: tracker,
		OLAs: []OLA{{Name: "billing-ola", Team: "billing", Calendar: sp,
			Targets: map[string]map[Metric]time.Duration{"normal": {OLATimeToOwn: time.Hour, OLATimeToResolve: 4 * time.Hour}}}}})
	require.NoError(t, err)
	return e
}

// exactCase is a random history for the tests of nextExact: its ticket
// tagged with the policy's name, created around day (DST changes and
// holidays), its events' instants in zone.
type exactCase struct {
	name   string
	policy string
	day    time.Time
	zone   string
}

var exactCases = []exactCase{
	{"São Paulo, the 2 November holiday", "sp", time.Date(2026, 10, 30, 9, 0, 0, 0, time.UTC), "America/Sao_Paulo"},
	{"São Paulo, DST starts (2018)", "sp", time.Date(2018, 11, 2, 9, 0, 0, 0, time.UTC), "America/Sao_Paulo"},
	{"São Paulo, DST ends (2019)", "sp", time.Date(2019, 2, 15, 12, 0, 0, 0, time.UTC), "UTC"},
	{"Berlin, DST starts", "berlin", time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC), "Europe/Berlin"},
	{"Berlin, DST ends and a holiday", "berlin", time.Date(2026, 10, 23, 8, 0, 0, 0, time.UTC), "America/New_York"},
	{"New York, DST starts and a holiday", "ny", time.Date(2026, 3, 6, 13, 0, 0, 0, time.UTC), "America/New_York"},
	{"New York, DST ends, Thanksgiving", "ny", time.Date(2026, 10, 30, 13, 0, 0, 0, time.UTC), "Europe/Berlin"},
	{"24x7, instants in two zones", "none", time.Date(2026, 3, 27, 20, 0, 0, 0, time.UTC), "America/Sao_Paulo"},
	{"window and OLA levels, São Paulo", "wide", time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC), "America/Sao_Paulo"},
	{"window and OLA levels, New York DST", "wide-ny", time.Date(2026, 10, 30, 13, 0, 0, 0, time.UTC), "UTC"},
}

// exactHistory replays on e the history of seed drawn as tc says (a
// WhatsApp ticket: messages, statuses with pauses and reopening, priority
// changes, teams with billing among them, tags), calling check after each
// step; every other event's instant is in tc's zone, the others in UTC.
func exactHistory(t testing.TB, e *Engine, tc exactCase, seed uint64, steps int, check func(st *State, what string)) {
	loc, err := time.LoadLocation(tc.zone)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(seed, 41))
	at := tc.day.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at.In(loc), Type: EventCreated, Channel: "whatsapp",
		Priority: []string{"urgent", "normal", "low"}[r.IntN(3)], Tags: []string{tc.policy}})
	require.NoError(t, err)
	types := []EventType{EventMessage, EventMessage, EventMessage, EventStatus, EventPriority, EventAssign}
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusOpen}
	for n := 0; n < steps && !st.Closed(); n++ {
		at = at.Add(time.Duration(r.IntN(5*60)) * time.Minute)
		ev := randomEvent(r, at, types, statuses)
		if n%2 == 0 {
			ev.At = ev.At.In(loc)
		}
		if r.IntN(5) == 0 {
			st, _ = e.Advance(st, ev.At)
		} else {
			st, _ = e.Apply(st, ev) // an invalid event leaves it as it was
		}
		check(&st, fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n))
	}
}

// exactFiring returns nextExact's answer as a firing (see
// compiled.firing), whether one fires, and whether nextExact answered;
// the instant in nanoseconds it returns must be the firing's.
func exactFiring(t testing.TB, pol *compiled, c *cycle, cal *calendar.Calendar, key *firingKey, now time.Time, nowNs int64, tk *Ticket) (escalation.Firing, bool, bool) {
	var f escalation.Firing
	i, at, ns, served := pol.nextExact(c, cal, key, now, nowNs, tk)
	if !served || i < 0 {
		return f, false, served
	}
	held, ok := memoInstant(at)
	require.True(t, ok && held == ns, "nextExact's instant %s in nanoseconds is %d, want %d", at, ns, held)
	pol.firing(&f, c, i, at)
	return f, true, true
}

// checkNextExact compares, for every running clock of st that a level of
// its memoized ladder may fire on (cycles' and OLA cycles'), nextExact
// with the ladder's Next on the clock moved to the instant (the general
// path), at st's instant and later ones, some in another zone: the same
// firing, instant and zone included, whenever nextExact answers. It
// returns how many it answered.
func checkNextExact(t testing.TB, e *Engine, st *State, what string) int {
	pol := e.policyOf(st)
	if pol == nil || !pol.bounds.memoized || st.Closed() || !st.Created() {
		return 0
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	served := 0
	keyedClocks(e, st, pol, func(lc *ladderClock, c *cycle, ccal *calendar.Calendar, key firingKey) {
		for _, now := range []time.Time{st.lastAt, st.lastAt.Add(time.Nanosecond), st.lastAt.Add(13 * time.Minute).In(berlin),
			st.lastAt.Add(5 * time.Hour), st.lastAt.Add(49 * time.Hour).UTC(), st.lastAt.Add(9 * 24 * time.Hour), c.from()} {
			var clk escalation.Clock
			cycleClock(&clk, c, ccal, lc.fired)
			atNow(&clk, now)
			want, wok := pol.ladder.Next(&clk, &st.ticket)
			nowNs, held := memoInstant(now)
			require.True(t, held)
			got, gok, ok := exactFiring(t, pol, c, ccal, &key, now, nowNs, &st.ticket)
			if !ok {
				continue
			}
			served++
			require.Equal(t, wok, gok, "%s, %s#%d at %s: whether a level fires", what, c.Metric, c.N, now)
			if wok {
				require.Equal(t, want, got, "%s, %s#%d at %s: the firing", what, c.Metric, c.N, now)
				require.True(t, want.At == got.At, "%s, %s#%d at %s: the instant %s, want %s (zones included)", what, c.Metric, c.N, now, got.At, want.At)
			}
		}
	})
	return served
}

// keyedClocks calls f with each clock of st that a level of the ladder of
// its policy pol may fire on and that has a memo key: its ladderClock, its
// cycle, the calendar it counts in, and its key.
func keyedClocks(e *Engine, st *State, pol *compiled, f func(lc *ladderClock, c *cycle, ccal *calendar.Calendar, key firingKey)) {
	var buf [4]ladderClock
	clocks, cal, _ := e.ladderClocks(st, pol, &st.ticket, buf[:], nil, nil)
	for i := range clocks {
		lc := &clocks[i]
		c, ccal := e.source(st, lc, cal)
		if c == nil {
			continue
		}
		if key, keyed := memoKey(c, ccal, lc.fired); keyed {
			f(lc, c, ccal, key)
		}
	}
}

// TestNextExactMatchesNext checks nextExact against Next
// (checkNextExact) after every step of the table's histories, on the
// exact engine and on the memo engine's histories.
func TestNextExactMatchesNext(t *testing.T) {
	e := exactEngine(t)
	total := 0
	for _, tc := range exactCases {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for seed := range uint64(6) {
				exactHistory(t, e, tc, seed, 40, func(st *State, what string) {
					n += checkNextExact(t, e, st, what)
				})
			}
			require.Greater(t, n, 100, "clocks nextExact answered for")
			total += n
		})
	}
	m := memoEngine(t)
	eachStep(t, m, 43, func(st *State, what string) {
		total += checkNextExact(t, m, st, what)
	})
	t.Logf("%d answers compared", total)
}

// FuzzNextExact is TestNextExactMatchesNext on the history of any seed
// drawn as a case of its table says, seeded from the table.
func FuzzNextExact(f *testing.F) {
	for i := range exactCases {
		f.Add(uint8(i), uint64(i), uint8(40))
	}
	e := exactEngine(f)
	f.Fuzz(func(t *testing.T, c uint8, seed uint64, steps uint8) {
		tc := exactCases[int(c)%len(exactCases)]
		exactHistory(t, e, tc, seed, int(steps%64), func(st *State, what string) {
			checkNextExact(t, e, st, what)
		})
	})
}

// withoutExact returns an engine built by build whose searches ask the
// ladder for every clock's next firing (nextExact off).
func withoutExact(t testing.TB, build func(testing.TB) *Engine) *Engine {
	e := build(t)
	for _, p := range e.policies {
		p.bounds.exact = false
	}
	return e
}

// TestExactSearchesMatchLadder replays the table's histories on the exact
// engine and on the same engine with nextExact off: every step must leave
// the same state (its JSON and next firing) and fire the same levels at
// the same instants, in the same zones.
func TestExactSearchesMatchLadder(t *testing.T) {
	e, ref := exactEngine(t), withoutExact(t, exactEngine)
	fired := 0
	for _, tc := range exactCases {
		for seed := range uint64(6) {
			var got, want []string
			var fast, slow []Escalation
			exactHistory(t, e, tc, seed, 40, func(st *State, what string) {
				got, fast = append(got, stateText(t, e, st)), st.x().escalations
			})
			exactHistory(t, ref, tc, seed, 40, func(st *State, what string) {
				want, slow = append(want, stateText(t, ref, st)), st.x().escalations
			})
			require.Equal(t, want, got, "%s, seed %d: the states, step by step", tc.name, seed)
			// The engines' calendars are apart: their zones equal, not
			// the same pointers (Equal compares them deeply).
			require.Equal(t, slow, fast, "%s, seed %d: levels fired", tc.name, seed)
			fired += len(fast)
		}
	}
	require.Greater(t, fired, 150, "levels fired")
	t.Logf("%d levels fired", fired)
}

// nextExactOn compares nextExact with Next, as checkNextExact does, on
// the clock of a running cycle c of the exact engine's policy pol at now,
// its levels fired (with the levels not watching its metric added) and
// the ticket tk; it reports whether nextExact answered, and its answer.
func nextExactOn(t testing.TB, pol *compiled, c *cycle, tk *Ticket, fired uint64, now time.Time, what string) (served bool, got escalation.Firing, ok bool) {
	cal := pol.Calendar
	if c.Metric == OLATimeToOwn {
		fired |= ^pol.ladderMask(c.Metric)
	} else {
		fired |= ^(pol.ladderMask(c.Metric) | pol.ladder.TicketMask())
	}
	key, keyed := memoKey(c, cal, fired)
	require.True(t, keyed, what)
	var clk escalation.Clock
	cycleClock(&clk, c, cal, fired)
	atNow(&clk, now)
	want, wok := pol.ladder.Next(&clk, tk)
	nowNs, _ := memoInstant(now)
	got, ok, served = exactFiring(t, pol, c, cal, &key, now, nowNs, tk)
	if !served {
		return false, got, ok
	}
	require.Equal(t, wok, ok, "%s: whether a level fires (Next: %s at %s)", what, want.Level, want.At)
	if wok {
		require.Equal(t, want, got, "%s: the firing", what)
		require.True(t, want.At == got.At, "%s: the instant %s, want %s (zones included)", what, got.At, want.At)
	}
	return true, got, ok
}

// TestNextExactTable pins nextExact's answers (and Next's, which they
// must equal) on clocks of the exact engine chosen for the cases where the
// level with the least bound is not the one that fires first, ties, and
// the answers left to Next.
func TestNextExactTable(t *testing.T) {
	e := exactEngine(t)
	pols := map[string]*compiled{}
	for _, p := range e.policies {
		pols[p.Name] = p
	}
	berlinLoc, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	spLoc, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	mon := time.Date(2026, 3, 2, 9, 0, 0, 0, berlinLoc) // Berlin opens; New York opens at 15:00 Berlin time
	support := &Ticket{Team: "support", Priority: "normal"}
	billing := &Ticket{Team: "billing", Priority: "normal"}
	tests := []struct {
		name, reason string
		policy       string
		c            cycle
		tk           *Ticket
		ruled        bool // the levels tk's conditions rule out set in fired
		fired        []int
		now          time.Time
		// want: "level at RFC 3339 instant", "none", or "Next" (nextExact
		// leaves it to Next).
		want string
	}{
		{name: "quiet hours push the least bound past another level", policy: "berlin",
			reason: "long (3h, during New York hours) is due at 12:00, in quiet hours until 15:00; remind at 80 % of 4h comes first",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 4 * time.Hour}, tk: support, ruled: true, now: mon,
			want: "remind at 2026-03-02T12:12:00+01:00"},
		{name: "a tie at the quiet hours' opening", policy: "berlin",
			reason: "remind at 80 % of 7h30 is due at 15:00, as long after its quiet hours: the first in the ladder fires",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 7*time.Hour + 30*time.Minute}, tk: support, ruled: true, now: mon,
			want: "remind at 2026-03-02T15:00:00+01:00"},
		{name: "levels reached before now", policy: "berlin",
			reason: "remind, soon's condition ruled out, and long are all reached by 16:00: they fire at now, first in the ladder",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 4 * time.Hour}, tk: support, ruled: true, now: mon.Add(7 * time.Hour),
			want: "remind at 2026-03-02T16:00:00+01:00"},
		{name: "a level reached before now behind a fired one", policy: "berlin",
			reason: "remind fired; long, reached at 12:00 in quiet hours, fires when New York opens (in its zone)",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 4 * time.Hour}, tk: support, ruled: true, fired: []int{0}, now: mon.Add(4 * time.Hour),
			want: "long at 2026-03-02T09:00:00-05:00"},
		{name: "a condition that no longer holds", policy: "berlin",
			reason: "billing's condition not ruled out in fired, and false for the ticket: left to Next, which asks it",
			c:      cycle{Metric: Resolution, Start: mon, Target: 16 * time.Hour}, tk: support, now: mon, want: "Next"},
		{name: "a condition that holds", policy: "berlin",
			reason: "the billing team's resolution: billing after 20 minutes",
			c:      cycle{Metric: Resolution, Start: mon, Target: 16 * time.Hour}, tk: billing, ruled: true, now: mon,
			want: "billing at 2026-03-02T09:20:00+01:00"},
		{name: "24x7, now in another zone", policy: "none",
			reason: "summed from now, in now's zone, as Next sums",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 4 * time.Hour, Base: time.Hour}, tk: support, ruled: true, now: mon.Add(time.Hour).In(spLoc),
			want: "remind at 2026-03-02T07:12:00-03:00"},
		{name: "24x7, now the span's start in another zone", policy: "none",
			reason: "Next's clock stays at the span's start, in its zone",
			c:      cycle{Metric: FirstResponse, Start: mon, Target: 4 * time.Hour}, tk: support, ruled: true, now: mon.In(spLoc),
			want: "remind at 2026-03-02T12:12:00+01:00"},
		{name: "breached before the span", policy: "berlin",
			reason: "resolution resumed 3h past its target (the deadline the Friday before): leadership at 2h past it, due at once, in its own hours",
			c:      cycle{Metric: Resolution, Start: mon, Target: 4 * time.Hour, Base: 7 * time.Hour, due: mon.Add(-3 * 24 * time.Hour)}, tk: support, ruled: true,
			fired: []int{6}, now: mon, want: "leadership at 2026-03-02T09:00:00+01:00"},
		{name: "no level left", policy: "berlin", reason: "every level the clock watches fired",
			c: cycle{Metric: NextResponse, Start: mon, Target: 4 * time.Hour}, tk: support, ruled: true, fired: []int{2, 3, 4, 5}, now: mon, want: "none"},
		{name: "a window level on a cycle's clock", policy: "wide", reason: "a cycle's clock has no window: the OLA level fires at half its target, from São Paulo's opening",
			c: cycle{Metric: OLATimeToOwn, Start: mon, Target: time.Hour}, tk: billing, ruled: true, now: mon, want: "unowned at 2026-03-02T08:30:00-03:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := pols[tc.policy]
			c := tc.c
			c.N, c.State = 1, phRunning
			if c.due.IsZero() && c.Base < c.Target {
				c.due = pol.Calendar.Add(c.Start, c.Target-c.Base)
			}
			var fired uint64
			for _, i := range tc.fired {
				fired |= 1 << uint(i)
			}
			if tc.ruled {
				fired |= pol.ladder.RuledOut(tc.tk, ^fired)
			}
			served, got, ok := nextExactOn(t, pol, &c, tc.tk, fired, tc.now, tc.reason)
			var res string
			switch {
			case !served:
				res = "Next"
			case !ok:
				res = "none"
			default:
				res = got.Level + " at " + got.At.Format(time.RFC3339)
			}
			require.Equal(t, tc.want, res, tc.reason)
		})
	}
}

// randomExactClock returns a running cycle drawn by r for the tests of
// nextExact: a metric the ladders watch, a span starting in a week of a
// DST change or holiday of exactCases (in one of three zones), a target
// (none sometimes), business time counted before the span (past the
// target sometimes) and the deadline worked out in cal (unknown
// sometimes, as for a cycle paused before its target).
func randomExactClock(r *rand.Rand, cal *calendar.Calendar, zones []*time.Location) cycle {
	metrics := []Metric{FirstResponse, Resolution, NextResponse, OLATimeToOwn, "custom"}
	day := exactCases[r.IntN(len(exactCases))].day
	from := day.Add(time.Duration(r.IntN(5*24*60))*time.Minute + time.Duration(r.IntN(3))*time.Duration(r.Int64N(int64(time.Minute))))
	from = from.In(zones[r.IntN(len(zones))])
	targets := []time.Duration{0, 5 * time.Minute, time.Hour, 4 * time.Hour, 8 * time.Hour, 16 * time.Hour, 40 * time.Hour}
	c := cycle{Metric: metrics[r.IntN(len(metrics))], Start: from, Target: targets[r.IntN(len(targets))], N: int32(1 + r.IntN(3)), State: phRunning}
	c.Base = time.Duration(r.Int64N(int64(c.Target + 3*time.Hour)))
	if r.IntN(4) == 0 {
		c.Base = 0
	}
	switch {
	case c.Target <= 0 || r.IntN(6) == 0:
	case c.Base < c.Target:
		c.due = cal.Add(from, c.Target-c.Base)
	default:
		c.due = from.Add(-time.Duration(r.Int64N(int64(48 * time.Hour)))) // breached before the span: a deadline before it
	}
	return c
}

// TestNextExactRandomClocks compares nextExact with Next on random
// clocks of each policy of the exact engine (randomExactClock): levels
// fired at random, the levels the ticket's conditions rule out among them
// or not, and instants from the span's start to three days after it, in
// three zones.
func TestNextExactRandomClocks(t *testing.T) {
	e := exactEngine(t)
	var zones []*time.Location
	for _, z := range []string{"UTC", "America/Sao_Paulo", "Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(z)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	r := rand.New(rand.NewPCG(7, 19))
	served := 0
	n := 6000
	if testing.Short() {
		n = 1500
	}
	for i := range n {
		pol := e.policies[i%len(e.policies)]
		c := randomExactClock(r, pol.Calendar, zones)
		tk := &Ticket{Team: []string{"billing", "support"}[r.IntN(2)], Priority: []string{"urgent", "normal"}[r.IntN(2)]}
		fired := r.Uint64() & r.Uint64()
		if r.IntN(2) == 0 {
			fired |= pol.ladder.RuledOut(tk, ^fired)
		}
		now := c.Start
		if r.IntN(5) > 0 {
			now = now.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
		}
		now = now.In(zones[r.IntN(len(zones))])
		what := fmt.Sprintf("clock %d (%s, %s#%d from %s, base %s, target %s, due %s, fired %b, at %s)", i, pol.Name, c.Metric, c.N,
			c.Start, c.Base, c.Target, c.due, fired, now)
		if ok, _, _ := nextExactOn(t, pol, &c, tk, fired, now, what); ok {
			served++
		}
	}
	require.Greater(t, served, n*3/4, "clocks nextExact answered for")
	t.Logf("%d of %d clocks answered", served, n)
}

// BenchmarkSearchExact is a search before an event far ahead, from no
// memos, so that every clock's next firing is worked out (the first
// response's and the resolution's of a new email ticket of the memo
// engine): by nextExact, and by the ladder's Next.
func BenchmarkSearchExact(b *testing.B) {
	for _, exact := range []bool{true, false} {
		name := "ladder"
		if exact {
			name = "exact"
		}
		b.Run(name, func(b *testing.B) {
			e := memoEngine(b)
			at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			st := emailTicket(b, e, at)
			pol := e.policyOf(&st)
			pol.bounds.exact = exact
			ms := e.memos(&st, pol, true)
			before := at.Add(30 * 24 * time.Hour)
			var f escalation.Firing
			b.ReportAllocs()
			for b.Loop() {
				*ms = firingMemos{lad: pol.ladder, reads: pol.reads}
				e.nextFiring(&st, pol, &st.ticket, false, before, ms, &f)
			}
		})
	}
}
