package sla

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCycleLayout pins a cycle to one cache line: 64 bytes, its fields in
// this order at these offsets, so that a field added later fails here
// (and finds its place in the cycle's ext instead).
func TestCycleLayout(t *testing.T) {
	typ := reflect.TypeFor[cycle]()
	require.Equal(t, uintptr(64), typ.Size(), "a cycle fills one cache line")
	want := []struct {
		name string
		off  uintptr
	}{{"Target", 0}, {"Base", 8}, {"start", 16}, {"due", 24}, {"stopped", 32}, {"loc", 40}, {"ext", 48},
		{"fired", 56}, {"n", 58}, {"State", 60}, {"code", 61}, {"Cancel", 62}, {"bits", 63}}
	require.Equal(t, len(want), typ.NumField(), "the cycle's fields")
	for i, w := range want {
		f := typ.Field(i)
		assert.Equal(t, w.name, f.Name, "field %d", i)
		assert.Equal(t, w.off, f.Offset, "offset of %s", w.name)
	}
}

// cycleInstantCases returns instants the engine can meet: the zero instant
// (also in a location), the ends of what nanos hold and beyond, fractions
// of a second, DST edges in America/Sao_Paulo (2018, when Brazil still
// had one), Europe/Berlin and America/New_York, fixed zones and UTC.
func cycleInstantCases(t testing.TB) []time.Time {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	ber, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	plus1 := time.FixedZone("", 3600)
	minus3 := time.FixedZone("-03", -3*3600)
	ts := []time.Time{
		{},
		time.Time{}.In(ber),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(minNanoSec, 0).UTC(),
		time.Unix(minNanoSec-1, 999_999_999).UTC(),
		time.Unix(minNanoSec, 854_775_809).UTC(),
		time.Unix(maxNanoSec, 999_999_999).UTC(),
		time.Unix(maxNanoSec+1, 0).In(ny),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, sp),
		time.Unix(0, 0).UTC(),
		time.Unix(-1, 999_999_999).In(plus1),
		time.Date(1969, 12, 31, 23, 59, 59, 500, minus3),
		time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 8, 0, 0, 123_456_789, plus1),
		// DST edges: the last instant before each change and the change.
		time.Date(2018, 11, 3, 23, 59, 59, 999_999_999, sp),
		time.Date(2018, 11, 4, 1, 0, 0, 0, sp),
		time.Date(2019, 2, 16, 23, 30, 0, 0, sp),
		time.Date(2019, 2, 16, 23, 30, 0, 0, sp).Add(time.Hour),
		time.Date(2026, 3, 29, 1, 59, 59, 999_999_999, ber),
		time.Date(2026, 3, 29, 3, 0, 0, 0, ber),
		time.Date(2026, 10, 25, 2, 30, 0, 0, ber),
		time.Date(2026, 10, 25, 2, 30, 0, 0, ber).Add(time.Hour),
		time.Date(2026, 3, 8, 1, 59, 59, 0, ny),
		time.Date(2026, 3, 8, 3, 0, 0, 0, ny),
		time.Date(2026, 11, 1, 1, 30, 0, 0, ny),
		time.Date(2026, 11, 1, 1, 30, 0, 0, ny).Add(time.Hour),
	}
	return ts
}

// zeroNone is how a cycle gives back a deadline, stop or breach: the zero
// instant in any location as the zero time.Time (none).
func zeroNone(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t
}

// checkCycleInstants sets a cycle's start, deadline, stop and breach to
// the four instants and checks that each comes back as the very same
// time.Time (location included; a zero deadline, stop or breach as
// none), that nanos order and split them as time.Time does, and that the
// fast tests of the deadline agree with time.Time's.
func checkCycleInstants(t *testing.T, start, due, stop, breach time.Time) {
	t.Helper()
	var c cycle
	c.begin(Resolution, 1, start, time.Hour, due)
	require.True(t, c.startAt() == start, "start %v came back as %v", start, c.startAt())
	require.True(t, c.dueAt() == zeroNone(due), "deadline %v came back as %v", due, c.dueAt())
	// The deadline against every instant, as advance, dueBy and the memos
	// test it.
	for _, at := range []time.Time{start, due, stop, breach} {
		if at.IsZero() {
			continue
		}
		ds, late := c.breachTest(at.Unix(), at.Nanosecond())
		d := c.dueAt()
		if d.IsZero() || d.Unix() >= 0 && toNanos(d).held() {
			assert.Equal(t, !d.After(at), late, "breachTest of %v at %v", d, at)
			assert.Equal(t, d.Unix(), ds, "breachTest's second of %v", d)
		} else {
			// Told by breachAtDueIf; no bound on the walk.
			assert.True(t, late, "breachTest of %v at %v", d, at)
			assert.Equal(t, int64(math.MinInt64), ds, "breachTest's second of %v", d)
		}
		if b := c; late { // as advance asks it
			b.breachAtDueIf(at)
			assert.Equal(t, !d.IsZero() && !d.After(at), b.hasBreach(), "breachAtDueIf of %v at %v", d, at)
		}
		assert.Equal(t, !d.IsZero() && !d.After(at), c.dueBy(at), "dueBy of %v at %v", d, at)
	}
	wantNs, wantOK := memoInstant(c.dueAt())
	gotNs, gotOK := c.dueMemo()
	assert.Equal(t, wantOK, gotOK, "dueMemo of %v", due)
	if wantOK {
		assert.Equal(t, wantNs, gotNs, "dueMemo of %v", due)
	}
	wantNs, wantOK = memoInstant(c.from())
	gotNs, gotOK = c.fromMemo()
	assert.Equal(t, wantOK, gotOK, "fromMemo of %v", start)
	if wantOK {
		assert.Equal(t, wantNs, gotNs, "fromMemo of %v", start)
	}
	c.setStop(stop)
	require.True(t, c.stopAt() == zeroNone(stop), "stop %v came back as %v", stop, c.stopAt())
	assert.Equal(t, stop.IsZero(), c.open())
	c.setBreach(breach)
	require.True(t, c.breachAt() == zeroNone(breach), "breach %v came back as %v", breach, c.breachAt())
	assert.Equal(t, !breach.IsZero(), c.hasBreach())
	c.breachAtDue()
	require.True(t, c.breachAt() == zeroNone(due), "breach at the deadline %v came back as %v", due, c.breachAt())
	// Through JSON and a clone, the same instants.
	j := c.toJSON()
	back, err := j.fromJSON()
	require.NoError(t, err)
	require.Equal(t, j, back.toJSON())
	cl := back
	cl.cloneExt()
	require.Equal(t, j, cl.toJSON())
	// A nanos orders and splits its instant as time.Time does.
	for _, a := range []time.Time{start, due, stop, breach} {
		na := toNanos(a)
		if !na.held() {
			continue
		}
		s, n := na.unix()
		require.Equal(t, a.Unix(), s, "%v", a)
		require.Equal(t, a.Nanosecond(), n, "%v", a)
		for _, b := range []time.Time{start, due, stop, breach} {
			if nb := toNanos(b); nb.held() {
				require.Equal(t, a.Before(b), na < nb, "%v before %v", a, b)
			}
		}
	}
}

// TestCycleInstants holds a cycle's instants to the time.Time they were
// given, over every quadruple of a spread of the cases.
func TestCycleInstants(t *testing.T) {
	ts := cycleInstantCases(t)
	for i, a := range ts {
		for j, b := range ts {
			checkCycleInstants(t, a, b, ts[(i+j)%len(ts)], ts[(i+2*j+1)%len(ts)])
		}
	}
	// An instant beyond nanos is farNanos; the zero one noNanos.
	assert.Equal(t, farNanos, toNanos(time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, farNanos, toNanos(time.Unix(maxNanoSec+1, 0)))
	assert.Equal(t, noNanos, toNanos(time.Time{}.In(time.FixedZone("", 60))))
	assert.True(t, toNanos(time.Unix(minNanoSec, 0)).held())
	assert.Equal(t, int64(maxNanoSec)*1e9+999_999_999, toNanos(time.Unix(maxNanoSec, 999_999_999)).ns())
}

// FuzzCycleInstants is TestCycleInstants over instants of any second,
// nanosecond and location among the cases'.
func FuzzCycleInstants(f *testing.F) {
	ts := cycleInstantCases(f)
	for i, a := range ts {
		b := ts[(i+1)%len(ts)]
		f.Add(a.Unix(), uint32(a.Nanosecond()), uint8(i), b.Unix()-a.Unix(), uint32(b.Nanosecond()), uint8(i+1), int64(i)*3600, uint8(i+2))
	}
	f.Fuzz(func(t *testing.T, s1 int64, n1 uint32, l1 uint8, d2 int64, n2 uint32, l2 uint8, d3 int64, l3 uint8) {
		locs := make([]*time.Location, 0, len(ts))
		for _, x := range ts {
			locs = append(locs, x.Location())
		}
		at := func(s int64, n uint32, l uint8) time.Time {
			return time.Unix(s, int64(n%1e9)).In(locs[int(l)%len(locs)])
		}
		start := at(s1, n1, l1)
		due := at(s1+d2, n2, l2)
		stop := at(s1+d3, n1, l3)
		checkCycleInstants(t, start, due, stop, at(s1-d3, n2, l1))
		checkCycleInstants(t, stop, start, due, time.Time{})
	})
}

// TestCycleZoneLoadedTwice checks a deadline in a zone loaded apart from
// the start's (a calendar's and an event reader's Europe/Berlin): kept in
// the cycle's nanos, it comes back the same to every reader (its zone,
// its JSON), while a zone fixed at an offset (named or not) or UTC is kept
// whole.
func TestCycleZoneLoadedTwice(t *testing.T) {
	ber1, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ber2, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	require.NotSame(t, ber1, ber2)
	start := time.Date(2026, 3, 28, 22, 0, 0, 0, ber1)
	for _, tc := range []struct {
		due    time.Time
		inline bool
	}{
		{time.Date(2026, 3, 29, 3, 30, 0, 0, ber2), true}, // after the change to summer time
		{time.Date(2026, 3, 28, 23, 0, 0, 0, ber2), true},
		{time.Date(2026, 3, 29, 3, 30, 0, 0, time.FixedZone("CEST", 7200)), false},
		{time.Date(2026, 3, 29, 3, 30, 0, 0, time.FixedZone("", 7200)), false},
		{time.Date(2026, 3, 29, 3, 30, 0, 0, time.UTC), false},
	} {
		var c cycle
		c.begin(Resolution, 1, start, time.Hour, tc.due)
		assert.Equal(t, !tc.inline, c.bits&bDueAway != 0, "%v", tc.due)
		got := c.dueAt()
		assert.True(t, got.Equal(tc.due), "%v", tc.due)
		wantName, wantOff := tc.due.Zone()
		name, off := got.Zone()
		assert.Equal(t, wantName, name, "%v", tc.due)
		assert.Equal(t, wantOff, off, "%v", tc.due)
		for _, d := range []time.Duration{0, time.Hour, -6 * time.Hour, 200 * 24 * time.Hour} {
			assert.Equal(t, tc.due.Add(d).Format(time.RFC3339Nano+" MST"), got.Add(d).Format(time.RFC3339Nano+" MST"), "%v", tc.due)
		}
		want, err := json.Marshal(tc.due)
		require.NoError(t, err)
		j, err := json.Marshal(c.toJSON())
		require.NoError(t, err)
		assert.Contains(t, string(j), `"deadline":`+string(want))
		// A breach at the deadline stays there when the same deadline
		// comes again from the other zone.
		c.breachAtDue()
		c.setDue(tc.due)
		assert.NotZero(t, c.bits&bBreachDue, "%v", tc.due)
	}
}
