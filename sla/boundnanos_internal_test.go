package sla

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// boundLadder is a ladder with every kind of business-time trigger, at,
// below and past the target, a level ruled out by a condition on the
// ticket and a window level (which a cycle's clock never fires).
func boundLadder(t testing.TB) *compiled {
	t.Helper()
	notify := []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}
	billing := func(x any) bool { tk, _ := x.(*Ticket); return tk != nil && tk.Team == "billing" }
	lv := func(name, metric string, tr escalation.Trigger) escalation.Level {
		return escalation.Level{Name: name, Metric: metric, At: tr, Actions: notify}
	}
	levels := []escalation.Level{
		lv("p80", string(FirstResponse), escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}),
		lv("p12.5", "", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 1250}),
		lv("p150", escalation.AnyMetric, escalation.Trigger{Kind: escalation.Percent, BasisPoints: 15000}),
		lv("b-30m", string(Resolution), escalation.Trigger{Kind: escalation.Breach, Offset: -30 * time.Minute}),
		lv("b", string(Resolution), escalation.Trigger{Kind: escalation.Breach}),
		lv("b+2h", "", escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}),
		lv("b+max", string(NextResponse), escalation.Trigger{Kind: escalation.Breach, Offset: math.MaxInt64 - 5}),
		lv("e20m", string(Resolution), escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute}),
		lv("e0", string(NextResponse), escalation.Trigger{Kind: escalation.Elapsed}),
		lv("e-far", escalation.AnyMetric, escalation.Trigger{Kind: escalation.Elapsed, Offset: math.MaxInt64 / 2}),
		lv("w", "", escalation.Trigger{Kind: escalation.Window, Offset: time.Hour}),
	}
	levels[7].When = func(c *escalation.Context) (bool, error) { return billing(c.Ticket), nil }
	levels[7].WhenTicketOnly, levels[7].WhenTicket = true, billing
	lad, err := escalation.New("bounds", levels)
	require.NoError(t, err)
	require.True(t, lad.TicketWhenOnly())
	p := &compiled{ladder: lad}
	p.bounds = boundsOf(p)
	return p
}

// boundCase is a running cycle's clock for TestBoundNanos.
type boundCase struct {
	name         string
	metric       Metric
	from, due    time.Time // due zero: none
	base, target time.Duration
	fired        uint64
	team         string // "billing" lets level e20m fire
}

var (
	bz       = time.Date(2026, 3, 27, 16, 0, 0, 0, time.UTC) // a Friday before Berlin's DST change
	berlinTZ = mustZone("Europe/Berlin")
	lastHeld = time.Unix(0, memoLast)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var boundCases = []boundCase{
	{"first response, fresh", FirstResponse, bz, bz.Add(4 * time.Hour), 0, 4 * time.Hour, 0, ""},
	{"first response, Berlin instants", FirstResponse, bz.In(berlinTZ), bz.Add(68 * time.Hour).In(berlinTZ), 0, 4 * time.Hour, 0, ""},
	{"resolution past a pause", Resolution, bz, bz.Add(70 * time.Hour), 3 * time.Hour, 8 * time.Hour, 0, ""},
	{"resolution, billing", Resolution, bz, bz.Add(70 * time.Hour), 5 * time.Minute, 8 * time.Hour, 0, "billing"},
	{"resolution breached", Resolution, bz, bz.Add(-time.Hour), 9 * time.Hour, 8 * time.Hour, 0, ""},
	{"no deadline", Resolution, bz, time.Time{}, 0, 8 * time.Hour, 0, ""},
	{"no target", NextResponse, bz, time.Time{}, 0, 0, 0, ""},
	{"no target, elapsed levels fired", NextResponse, bz, time.Time{}, 0, 0, 1<<8 | 1<<9, ""},
	{"negative elapsed", Resolution, bz, bz.Add(time.Hour), -2 * time.Hour, 8 * time.Hour, 0, ""},
	{"every level fired but one", FirstResponse, bz, bz.Add(time.Hour), 0, time.Hour, ^uint64(1 << 5), ""},
	{"every level fired", FirstResponse, bz, bz.Add(time.Hour), 0, time.Hour, ^uint64(0), ""},
	{"bound at Unix zero", FirstResponse, time.Unix(0, 0), time.Unix(0, 0).Add(time.Hour), 0, time.Hour, ^uint64(1 << 1), ""},
	{"from before Unix zero, bound at it", FirstResponse, time.Unix(-450, 0), time.Unix(3600, 0), 0, time.Hour, ^uint64(1 << 1), ""},
	{"before 1970", Resolution, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC), 0, 8 * time.Hour, 0, ""},
	{"near the first instant held", Resolution, time.Unix(-memoSpan, 0), time.Unix(-memoSpan, 0).Add(time.Hour), 0, time.Hour, 0, ""},
	{"before the first instant held", Resolution, time.Unix(-memoSpan-1, 0), time.Unix(-memoSpan, 0), 0, time.Hour, 0, ""},
	{"bound past the last instant held", Resolution, lastHeld.Add(-time.Hour), lastHeld.Add(-30 * time.Minute), 0, time.Hour, 0, ""},
	{"bound at the last instant held", Resolution, lastHeld.Add(-time.Hour), lastHeld.Add(-time.Hour), 0, time.Hour, ^uint64(1 << 4), ""},
	{"bound one past the last instant held", Resolution, lastHeld.Add(time.Nanosecond - time.Hour), lastHeld.Add(-time.Hour), 0, time.Hour, ^uint64(1 << 4), ""},
	{"deadline past the last instant held", Resolution, bz, lastHeld.Add(time.Nanosecond), 0, time.Hour, 0, ""},
	{"deadline past the int64 range", Resolution, bz, time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC), 0, time.Hour, 0, ""},
	{"deadline plus a saturated breach past the int64 range", NextResponse, time.Unix(-memoSpan, 0), lastHeld.Add(-time.Hour), 2 * time.Hour, time.Hour, ^uint64(1 << 6), ""},
	{"saturated breach", NextResponse, bz, bz.Add(2 * time.Hour), 0, time.Hour, 1 << 8, ""},
	{"far elapsed level", Escalated, bz, bz.Add(time.Hour), 0, time.Hour, 0, ""},
	{"far elapsed level near the end", Escalated, lastHeld.Add(-time.Hour), time.Time{}, 0, 0, 0, ""},
	{"huge target", Resolution, bz, time.Time{}, 0, math.MaxInt64, 0, ""},
	{"huge target, the deadline just after the start", Resolution, bz, bz.Add(59), 0, math.MaxInt64, 13, ""},
	{"zero start (no state holds one)", Escalated, time.Time{}, time.Time{}, 0, 0, 0, ""},
	{"saturated breach reaching the int64 range's end", NextResponse, time.Unix(-450, 0), time.Unix(3600, 0), 0, time.Hour, ^uint64(1 << 6), ""},
}

// Escalated is a metric no level names (only "any" and metric-less levels
// watch it).
const Escalated Metric = "escalated_review"

// checkBound requires cycleBound (boundNanos where it answers) to give
// the bound of the clock tc describes that NotBefore gives through
// cycleBoundOf, and to leave the same memos.
func checkBound(t testing.TB, pol *compiled, tc boundCase) {
	t.Helper()
	c := cycle{Metric: tc.metric, N: 1, Start: tc.from, State: phRunning, Target: tc.target, Base: tc.base, counted: true}
	if !tc.due.IsZero() {
		c.setDue(tc.due)
	}
	tk := &Ticket{Team: tc.team}
	watched := pol.ladder.Mask(string(tc.metric)) | pol.ladder.TicketMask()
	fired := tc.fired | ^watched | pol.ladder.RuledOut(tk, ^uint64(0))
	var m1, m2 firingMemos
	m1.lad, m2.lad = pol.ladder, pol.ladder
	got := cycleBound(pol, &c, nil, fired, 3, tk, &m1)
	want := cycleBoundOf(pol.ladder, &c, nil, fired, 3, tk, &m2)
	require.Equal(t, want, got, "%s: cycleBound = %s, want %s", tc.name, memoTime(got), memoTime(want))
	require.Equal(t, m2, m1, "%s: the memos left behind", tc.name)
}

// TestBoundNanos requires the bound worked out in Unix nanoseconds to be
// NotBefore's, and to be kept as NotBefore's is, on the table's clocks
// (instants near both ends of what a memo holds, no deadline, no target,
// a negative elapsed time, saturated thresholds) and on 20,000 random ones.
func TestBoundNanos(t *testing.T) {
	pol := boundLadder(t)
	for _, tc := range boundCases {
		checkBound(t, pol, tc)
	}
	// The fast path answers for most clocks: it is not the general one.
	var ms firingMemos
	ms.lad = pol.ladder
	c := cycle{Metric: FirstResponse, Start: bz, State: phRunning, Target: time.Hour, counted: true}
	c.setDue(bz.Add(time.Hour))
	at, ok := pol.boundNanos(bz.UnixNano(), bz.Add(time.Hour).UnixNano(), 0, time.Hour, ^uint64(1))
	require.True(t, ok)
	require.Equal(t, bz.Add(48*time.Minute).UnixNano(), at, "p80 of an hour")

	r := rand.New(rand.NewPCG(7, 19))
	metrics := []Metric{FirstResponse, Resolution, NextResponse, Escalated}
	for range 20000 {
		checkBound(t, pol, randomBoundCase(r, metrics))
	}
}

// randomBoundCase draws a clock: instants of 2026 or near the ends of
// what a memo holds, deadlines before, at and after the start, bases
// around the target.
func randomBoundCase(r *rand.Rand, metrics []Metric) boundCase {
	from := bz.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
	switch r.IntN(8) {
	case 0:
		from = lastHeld.Add(-time.Duration(r.Int64N(int64(48 * time.Hour))))
	case 1:
		from = time.Unix(-memoSpan, r.Int64N(int64(48*time.Hour)))
	case 2:
		from = time.Unix(0, -r.Int64N(int64(4*time.Hour)))
	}
	if r.IntN(3) == 0 {
		from = from.In(berlinTZ)
	}
	tc := boundCase{name: "random", metric: metrics[r.IntN(len(metrics))], from: from}
	if r.IntN(5) > 0 {
		tc.target = time.Duration(1+r.Int64N(40)) * 15 * time.Minute
	}
	tc.base = time.Duration(r.Int64N(int64(2*tc.target+time.Hour))) - time.Hour/2
	if tc.target > 0 && r.IntN(4) > 0 {
		tc.due = from.Add(time.Duration(r.Int64N(int64(4*tc.target))) - tc.target)
	}
	tc.fired = r.Uint64() & r.Uint64()
	if r.IntN(2) == 0 {
		tc.team = "billing"
	}
	return tc
}

// FuzzBoundNanos is TestBoundNanos on any clock, seeded from its table.
func FuzzBoundNanos(f *testing.F) {
	for i, tc := range boundCases {
		var due int64
		if !tc.due.IsZero() {
			due = tc.due.UnixNano() - tc.from.UnixNano()
		}
		f.Add(uint8(i), tc.from.Unix(), int64(tc.from.Nanosecond()), due, int64(tc.base), int64(tc.target), tc.fired, tc.team == "billing")
	}
	pol := boundLadder(f)
	metrics := []Metric{FirstResponse, Resolution, NextResponse, Escalated}
	f.Fuzz(func(t *testing.T, m uint8, sec, nsec, due, base, target int64, fired uint64, billing bool) {
		tc := boundCase{name: "fuzz", metric: metrics[int(m)%len(metrics)], from: time.Unix(sec, nsec),
			base: time.Duration(base), target: time.Duration(max(target, 0)), fired: fired}
		if due != 0 {
			tc.due = tc.from.Add(time.Duration(due))
		}
		if billing {
			tc.team = "billing"
		}
		checkBound(t, pol, tc)
	})
}

// BenchmarkCycleBound is the bound of a new clock after an event (the
// reference ladder's, on a first response and a resolution cycle of a
// normal ticket on São Paulo hours), worked out in Unix nanoseconds
// (cycleBound) and by the ladder on an escalation.Clock (cycleBoundOf).
func BenchmarkCycleBound(b *testing.B) {
	e := memoEngine(b)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st := emailTicket(b, e, at)
	pol := e.policyOf(&st)
	cal := calOf(pol, &st)
	tk := &st.ticket
	type clock struct {
		c     *cycle
		fired uint64
	}
	var clocks []clock
	for _, i := range st.open {
		c := &st.cycles[i]
		if fired, ok := pol.cycleFired(c, pol.ladder.TicketMask(), pol.ladder.RuledOut(tk, ^uint64(0))); ok {
			clocks = append(clocks, clock{c, fired})
		}
	}
	require.Len(b, clocks, 2)
	var ms firingMemos
	ms.lad = pol.ladder
	for _, bc := range []struct {
		name  string
		bound func(*compiled, *cycle, *calendar.Calendar, uint64, int32, *Ticket, *firingMemos) int64
	}{
		{"nanos", cycleBound},
		{"clock", func(p *compiled, c *cycle, cal *calendar.Calendar, fired uint64, id int32, tk *Ticket, ms *firingMemos) int64 {
			return cycleBoundOf(p.ladder, c, cal, fired, id, tk, ms)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := range clocks {
					bc.bound(pol, clocks[i].c, cal, clocks[i].fired, int32(i), tk, &ms)
				}
			}
		})
	}
}
