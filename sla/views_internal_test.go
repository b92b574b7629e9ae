package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// viewCalendars are the calendars the clock views are compared in: São
// Paulo business hours with a holiday, Berlin and New York office hours
// (DST changes in March), and every hour of the day in Berlin.
func viewCalendars(t testing.TB) []*calendar.Calendar {
	var cs []*calendar.Calendar
	for _, s := range []calendar.Spec{
		{Timezone: "America/Sao_Paulo", Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
			Holidays: []string{"2026-11-02"}},
		{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}},
		{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}},
		{Timezone: "Europe/Berlin", Hours: map[string][]string{"daily": {"00:00-24:00"}}},
	} {
		c, err := calendar.New(s)
		require.NoError(t, err)
		cs = append(cs, c)
	}
	return cs
}

// clockCase is one cycle to view, built by the cycle's own operations
// from a plan (see cycleOf), so that its Base is what it counted in its
// calendar, as in a replay's state.
type clockCase struct {
	cal     int   // index in viewCalendars
	start   int64 // minutes after 2026-03-05 06:00 UTC (DST changes follow)
	target  int64 // minutes; 0: none
	ops     []int64
	zone    int  // the start's zone: 0 UTC, 1 the calendar's
	junk    bool // the cycle's ext emptied as a replay's recycled record leaves it
	recount bool // counted in another calendar (the policy changed after it stopped)
	oddStop bool // the stop kept whole (another zone than the start's)
	atAfter int64
}

// clockTable is the table of clockCase: met, breached and cancelled
// cycles, paused and reopened ones, open ones, a breach recorded before
// the deadline moved, stops across DST changes and a holiday.
var clockTable = []clockCase{
	{cal: 0, start: 0, target: 60, ops: []int64{30, 's'}},
	{cal: 0, start: 600, target: 60, ops: []int64{300, 's'}},
	{cal: 1, start: 0, target: 240, ops: []int64{100, 'c'}},
	{cal: 1, start: 0, target: 240, ops: []int64{10000, 'c'}},
	{cal: 2, start: 3 * 24 * 60, target: 480, ops: []int64{4 * 24 * 60, 's'}},
	{cal: 2, start: 3 * 24 * 60, target: 480, ops: []int64{30, 'p', 600, 'r', 60, 's'}},
	{cal: 3, start: 17 * 24 * 60, target: 120, ops: []int64{60, 's'}, zone: 1},
	{cal: 3, start: 17 * 24 * 60, target: 120, ops: []int64{60, 'p', 120, 's'}, zone: 1},
	{cal: 0, start: 240 * 24 * 60, target: 600, ops: []int64{3000, 's'}, zone: 1},
	{cal: 0, start: 0, target: 60, ops: []int64{30, 's', 100, 'o', 20, 's'}},
	{cal: 1, start: 0, target: 60, ops: []int64{30, 't', 20, 's'}},
	{cal: 1, start: 0, target: 600, ops: []int64{700, 't', 20, 'c'}},
	{cal: 2, start: 0, target: 60, ops: []int64{30, 's'}, junk: true},
	{cal: 2, start: 0, target: 60, ops: []int64{30, 's'}, recount: true},
	{cal: 3, start: 0, target: 60, ops: []int64{30, 's'}, oddStop: true},
	{cal: 3, start: 0, target: 0, ops: []int64{30, 's'}},
	{cal: 0, start: 0, target: 60, ops: []int64{30}},
	{cal: 0, start: 0, target: 60, ops: []int64{30, 'p'}},
	{cal: 0, start: 0, target: 60, ops: []int64{3000, 'p', 10, 's'}},
}

// cycleOf builds the cycle cc plans: it opens at its start and then, for
// each pair of ops, waits the minutes and stops ('s'), cancels ('c'),
// pauses ('p'), resumes ('r'), reopens ('o') or gets the target halved
// ('t'); it returns the cycle, its calendar and the instant after the last
// step plus atAfter minutes, the instant it is viewed at.
func cycleOf(cs []*calendar.Calendar, cc clockCase) (cycle, *calendar.Calendar, time.Time) {
	cal := cs[cc.cal%len(cs)]
	base := time.Date(2026, 3, 5, 6, 0, 0, 0, time.UTC)
	at := base.Add(time.Duration(cc.start) * time.Minute)
	if cc.zone%2 == 1 {
		at = at.In(cal.Location())
	}
	target := time.Duration(cc.target) * time.Minute
	c := newCycle(Resolution, 1, at, target, cal)
	for i := 0; i+1 < len(cc.ops); i += 2 {
		at = at.Add(time.Duration(cc.ops[i]) * time.Minute)
		open, paused := c.open(), c.State == phPaused
		switch cc.ops[i+1] {
		case 's', 'c':
			if open {
				c.stop(cal, at, cc.ops[i+1] == 'c', false)
			}
		case 'p':
			if open && !paused {
				c.pause(cal, at)
			}
		case 'r':
			if open && paused {
				c.resume(cal, at)
			}
		case 'o':
			if !open {
				c.reopen(cal, target, at)
			}
		case 't':
			target /= 2
			if open {
				c.retarget(cal, target, at)
			}
		}
	}
	if len(cc.ops)%2 == 1 {
		at = at.Add(time.Duration(cc.ops[len(cc.ops)-1]) * time.Minute)
	}
	if cc.junk && c.ext == nil {
		c.ext = emptiedExt(&cycleExt{pauses: make([]span, 0, 2), odd: new([2]time.Time)})
	}
	if cc.recount {
		// Counted in another calendar, as a stopped cycle keeps the time
		// counted under its former policy.
		c.rebase(cs[(cc.cal+1)%len(cs)])
		c.counted = false
	}
	if cc.oddStop && !c.open() {
		c.setStop(c.stopAt().In(time.FixedZone("X", 3600)))
	}
	return c, cal, at.Add(time.Duration(cc.atAfter) * time.Minute)
}

// checkClockPaths compares the clock view of cc's cycle by clock (which
// takes its short path for a stopped cycle that never paused) with anyClock
// for a replay's state, and, for a cycle whose Base its calendar counted,
// with anyClock for any state (which counts the paused time in the
// calendar): it returns whether clock took the short path.
func checkClockPaths(t testing.TB, cs []*calendar.Calendar, cc clockCase) bool {
	c, cal, at := cycleOf(cs, cc)
	for _, loc := range []*time.Location{cal.Location(), time.UTC} {
		var fast, all, fresh Clock
		pf := c.clock(&fast, cal, loc, at, true)
		pa := c.anyClock(&all, cal, loc, at, true)
		require.Equal(t, all, fast, "%+v in %s", cc, loc)
		require.Equal(t, pa, pf, "%+v", cc)
		require.Equal(t, pf.clockState(), fast.State)
		if c.counted {
			c.anyClock(&fresh, cal, loc, at, false)
			require.Equal(t, fresh, fast, "%+v in %s, counted again", cc, loc)
		}
		// Both write every field: storage holding an earlier view (a
		// sink's, reused without clearing) gets the same view.
		for _, built := range []bool{true, false} {
			var want Clock
			c.anyClock(&want, cal, loc, at, built)
			dirty, dirtyAll := dirtyClock(), dirtyClock()
			c.clock(&dirty, cal, loc, at, built)
			c.anyClock(&dirtyAll, cal, loc, at, built)
			require.Equal(t, want, dirty, "%+v in %s, built %v: clock over an earlier view", cc, loc, built)
			require.Equal(t, want, dirtyAll, "%+v in %s, built %v: anyClock over an earlier view", cc, loc, built)
		}
	}
	return (c.ext == nil || len(c.ext.pauses) == 0) && c.counted && !c.open() && c.stopped != farInstant &&
		c.State != phPaused
}

// dirtyClock returns a Clock with every field set, as storage reused from
// an earlier view holds it.
func dirtyClock() Clock {
	at := time.Date(2001, 2, 3, 4, 5, 6, 7, time.FixedZone("D", 7200))
	return Clock{Metric: NextResponse, Cycle: 9, State: ClockBreached, Start: at, Stop: at, Target: 7, Deadline: at,
		Elapsed: 8, PausedTime: 9, Remaining: 10, Percent: 11, BreachedAt: at, Paused: true, AfterWindow: true}
}

// TestStoppedClockMatchesAnyClock pins the short path of clock for a
// replay's stopped cycles, against the general view, over the table and
// 3,000 random plans; the table must take both paths.
func TestStoppedClockMatchesAnyClock(t *testing.T) {
	cs := viewCalendars(t)
	short := 0
	for _, cc := range clockTable {
		if checkClockPaths(t, cs, cc) {
			short++
		}
	}
	require.Greater(t, short, 5)
	require.Less(t, short, len(clockTable))
	r := rand.New(rand.NewPCG(10, 19))
	kinds := []int64{'s', 'c', 'p', 'r', 'o', 't'}
	for range 3000 {
		cc := clockCase{cal: r.IntN(len(cs)), start: r.Int64N(300 * 24 * 60), target: r.Int64N(3000),
			zone: r.IntN(2), junk: r.IntN(5) == 0, recount: r.IntN(8) == 0, oddStop: r.IntN(8) == 0,
			atAfter: r.Int64N(600)}
		for range r.IntN(8) {
			cc.ops = append(cc.ops, r.Int64N(2000), kinds[r.IntN(len(kinds))])
		}
		checkClockPaths(t, cs, cc)
	}
}

// FuzzStoppedClock is TestStoppedClockMatchesAnyClock on plans the fuzzer
// makes, seeded from the table.
func FuzzStoppedClock(f *testing.F) {
	for _, cc := range clockTable {
		var ops []byte
		for i := 0; i+1 < len(cc.ops); i += 2 {
			ops = append(ops, byte(cc.ops[i+1]), byte(min(cc.ops[i]/20, 255)))
		}
		flags := cc.zone | b2i(cc.junk)<<1 | b2i(cc.recount)<<2 | b2i(cc.oddStop)<<3
		f.Add(uint8(cc.cal), cc.start, cc.target, uint8(flags), ops)
	}
	cs := viewCalendars(f)
	f.Fuzz(func(t *testing.T, cal uint8, start, target int64, flags uint8, ops []byte) {
		cc := clockCase{cal: int(cal), start: start % (400 * 24 * 60), target: target % 100000,
			zone: int(flags & 1), junk: flags&2 != 0, recount: flags&4 != 0, oddStop: flags&8 != 0}
		if cc.start < 0 {
			cc.start = -cc.start
		}
		if cc.target < 0 {
			cc.target = -cc.target
		}
		for i := 0; i+1 < len(ops) && i < 40; i += 2 {
			cc.ops = append(cc.ops, int64(ops[i+1])*20, int64(ops[i]))
		}
		checkClockPaths(t, cs, cc)
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// viewAtRef is viewAt as it was, by time.Time.Before and beyondSpan.
func viewAtRef(st *State, at time.Time) time.Time {
	if at.Before(st.lastAt) {
		at = st.lastAt
	}
	if st.Created() && beyondSpan(st.ticket.CreatedAt, at) {
		at = st.ticket.CreatedAt.Add(maxSpan)
	}
	return at
}

// viewAtTable lists offsets of a view's instant from a state's last
// event: before, at and after it, a nanosecond apart, and around the end
// of the span a ticket is followed.
var viewAtTable = []time.Duration{-time.Hour, -1, 0, 1, time.Hour, maxSpan - time.Hour, maxSpan - 1, maxSpan,
	maxSpan + 1, maxSpan + time.Second, maxSpan + 365*24*time.Hour}

// TestViewAtMatchesBefore compares viewAt, which compares Unix seconds,
// with the comparison by time.Time.Before, for states not created yet and
// created ones whose last event is at their creation or later, instants in
// UTC, São Paulo and Berlin, and instants with a monotonic clock reading
// (as time.Now gives).
func TestViewAtMatchesBefore(t *testing.T) {
	e := memoEngine(t)
	zones := loadZones(t, "America/Sao_Paulo", "Europe/Berlin")
	zones = append(zones, time.UTC)
	created := time.Date(2026, 3, 29, 0, 30, 0, 500, time.UTC)
	r := rand.New(rand.NewPCG(3, 10))
	check := func(st *State, at time.Time) {
		require.Equal(t, viewAtRef(st, at), e.viewAt(st, at), "at %v, last %v", at, st.lastAt)
	}
	for _, lastAfter := range []time.Duration{0, time.Nanosecond, 90 * time.Minute, maxSpan - time.Hour, maxSpan + 1, maxSpan + time.Hour} {
		for _, z := range zones {
			st := &State{events: 1, lastAt: created.Add(lastAfter).In(z)}
			st.ticket.CreatedAt = created.In(z)
			for _, d := range viewAtTable {
				for _, az := range zones {
					check(st, st.lastAt.Add(d).In(az))
					check(&State{lastAt: st.lastAt}, st.lastAt.Add(d).In(az))
				}
			}
			now := time.Now() // a monotonic clock reading
			check(st, now)
			check(st, now.Add(-time.Duration(r.Int64N(int64(maxSpan)))))
			for range 200 {
				check(st, st.lastAt.Add(time.Duration(r.Int64N(int64(maxSpan)))*2-maxSpan/2).In(zones[r.IntN(len(zones))]))
			}
		}
	}
}

// FuzzViewAt is TestViewAtMatchesBefore on instants the fuzzer makes,
// seeded from the table.
func FuzzViewAt(f *testing.F) {
	for _, d := range viewAtTable {
		f.Add(int64(0), int64(d), true)
		f.Add(int64(time.Hour), int64(d), false)
	}
	e := memoEngine(f)
	created := time.Date(2026, 3, 29, 0, 30, 0, 500, time.UTC)
	f.Fuzz(func(t *testing.T, last, d int64, made bool) {
		st := &State{lastAt: created.Add(time.Duration(last))}
		if made {
			st.events, st.ticket.CreatedAt = 1, created
		}
		at := st.lastAt.Add(time.Duration(d))
		require.Equal(t, viewAtRef(st, at), e.viewAt(st, at))
	})
}

// teamHistory applies to a new ticket, created with or without a team,
// the events ops plans (each byte: a kind, a delay), and calls each with
// every state reached.
func teamHistory(t testing.TB, e *Engine, team string, ops []byte, each func(*State)) {
	at := time.Date(2026, 3, 27, 15, 0, 0, 0, time.UTC) // Berlin and New York change clocks within days
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
		Priority: "urgent", Team: team})
	require.NoError(t, err)
	each(&st)
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusOnHold, StatusClosed}
	types := []EventType{EventMessage, EventStatus, EventPriority, EventAssign, EventUpdate, EventMessage, EventAssign}
	for i, op := range ops {
		if st.Closed() {
			break
		}
		at = at.Add(time.Duration(op>>3) * 17 * time.Minute)
		if op&7 == 7 {
			st, _ = e.Advance(st, at)
		} else {
			r := rand.New(rand.NewPCG(uint64(i), uint64(op)))
			st, _ = e.Apply(st, randomEvent(r, at, types[op&7:op&7+1], statuses))
		}
		each(&st)
	}
}

// checkTeamTimes compares the time by team of st viewed at its last
// event, an hour and two days later, as a replay computes it (trusting
// that Base sums the cycle's counting spans: teamTimes with its shortcuts
// for a ticket never handed off and a cycle that does not run, and
// clockTeamTimes from the view's clocks when every reported cycle is
// counted) with the general sum over the cycle's spans split at every
// hand-off; it returns the entries found and how many views took
// clockTeamTimes.
func checkTeamTimes(t testing.TB, e *Engine, st *State) (int, int) {
	cal := calOf(e.policyOf(st), st)
	_, reported, _ := st.reported()
	n, fromClocks := 0, 0
	for _, d := range []time.Duration{0, time.Hour, 48 * time.Hour} {
		at := e.viewAt(st, st.lastAt.Add(d))
		for _, loc := range []*time.Location{cal.Location(), time.UTC} {
			got := teamTimes(nil, st, cal, at.In(loc), true, reported)
			require.Equal(t, teamTimes(nil, st, cal, at.In(loc), false, reported), got, "at %v", at)
			n += len(got)
		}
		// A replay's result (its storage from a store), of a state
		// advanced to at first, as a replay's.
		var res Result
		rs := st.Clone()
		if !rs.Closed() {
			e.advanceTo(&rs, at)
		}
		e.result(&res, &rs, at, &resultStore{})
		s := st
		if !st.Closed() {
			s = e.settled(st, at) // as evaluate: the levels due fire on a copy
		}
		scal := calOf(e.policyOf(s), s)
		_, sreported, counted := s.reported()
		require.Equal(t, teamTimes(nil, s, scal, res.At, false, sreported), res.Teams, "at %v, in a result", at)
		if counted && len(s.x().handoffs) == 0 {
			fromClocks++
			require.Equal(t, teamTimes(nil, s, scal, res.At, false, sreported),
				clockTeamTimes(nil, res.Clocks, s.ticket.Team), "at %v, from the clocks", at)
		}
	}
	return n, fromClocks
}

// teamTable plans tickets: never handed off (with a team from creation
// or none), handed off before, during and after their resolution cycle,
// paused, solved and reopened, closed.
var teamTable = []struct {
	team string
	ops  []byte
}{
	{"billing", []byte{teamOp(8, 0), teamOp(4, 7), teamOp(30, 7)}},
	{"billing", []byte{teamOp(2, 1), teamOp(8, 1), teamOp(3, 0), teamOp(9, 7)}},
	{"", []byte{teamOp(2, 3), teamOp(8, 0), teamOp(3, 3), teamOp(9, 1), teamOp(31, 7)}},
	{"support", []byte{teamOp(1, 3), teamOp(1, 3), teamOp(1, 3), teamOp(31, 1), teamOp(2, 1)}},
	{"support", []byte{teamOp(20, 4), teamOp(20, 2), teamOp(20, 1), teamOp(20, 1)}},
}

// teamOp is one step of a teamTable plan: n times 17 minutes later, an
// event of the type what (an index in the plan's types), or an Advance for
// 7.
func teamOp(n, what byte) byte { return n<<3 | what }

// TestTeamTimesShortcutsMatchSpans pins the time by team a replay computes
// (teamTimes with built set) against the general sum, over the table and
// 400 random plans; tickets never handed off must give entries.
func TestTeamTimesShortcutsMatchSpans(t *testing.T) {
	for _, e := range []*Engine{memoEngine(t), olaEngine(t)} {
		kept, fromClocks, general := 0, 0, 0
		check := func(st *State) {
			n, c := checkTeamTimes(t, e, st)
			if len(st.x().handoffs) == 0 {
				kept += n
			}
			fromClocks += c
			general += 3 - c
		}
		for _, tc := range teamTable {
			teamHistory(t, e, tc.team, tc.ops, check)
		}
		require.Positive(t, kept)
		r := rand.New(rand.NewPCG(5, 8))
		for range 400 {
			ops := make([]byte, r.IntN(14))
			for i := range ops {
				ops[i] = byte(r.IntN(256))
			}
			teamHistory(t, e, []string{"", "billing", "support"}[r.IntN(3)], ops, check)
		}
		require.Positive(t, fromClocks)
		require.Positive(t, general)
	}
}

// FuzzTeamTimes is TestTeamTimesShortcutsMatchSpans on plans the fuzzer
// makes, seeded from the table.
func FuzzTeamTimes(f *testing.F) {
	for _, tc := range teamTable {
		f.Add(tc.team, tc.ops)
	}
	e := memoEngine(f)
	f.Fuzz(func(t *testing.T, team string, ops []byte) {
		if len(ops) > 40 {
			ops = ops[:40]
		}
		teamHistory(t, e, team, ops, func(st *State) { checkTeamTimes(t, e, st) })
	})
}

// BenchmarkClockStopped is the view of a replay's stopped cycle (a met
// resolution cycle counted in São Paulo business hours), the most common
// clock of a result: by clock (its short path), and by anyClock (the
// general one) for comparison.
func BenchmarkClockStopped(b *testing.B) {
	cs := viewCalendars(b)
	c, cal, at := cycleOf(cs, clockTable[0])
	loc := cal.Location()
	for _, bc := range []struct {
		name string
		view func(*Clock) phase
	}{
		{"clock", func(ck *Clock) phase { return c.clock(ck, cal, loc, at, true) }},
		{"anyClock", func(ck *Clock) phase { return c.anyClock(ck, cal, loc, at, true) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var ck Clock
			b.ReportAllocs()
			for b.Loop() {
				ck = Clock{}
				bc.view(&ck)
			}
		})
	}
}
