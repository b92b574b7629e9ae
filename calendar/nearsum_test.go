package calendar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// nearDeltas are the distances from an instant to the second instant of a sum in the tests
// of short sums: within a span, just across its ends, and backwards.
var nearDeltas = []int64{0, 1, -1, 999999999, int64(time.Second), int64(time.Minute), int64(17 * time.Minute),
	int64(37 * time.Minute), int64(time.Hour), -int64(time.Hour), int64(5 * time.Hour), int64(26 * time.Hour),
	-int64(26 * time.Hour), int64(7 * 24 * time.Hour)}

// nearPairs returns pairs of instants (Unix seconds and nanoseconds) for the short-sum fast
// paths: from one in five of the instants of spanInstants (2018 and 2026) and from the edges of the spans of their blocks
// (a span's start and end, a nanosecond either side), to those plus nearDeltas and to the
// start and end of the span and of the next one; and pairs far in the past and the future,
// outside the table.
func nearPairs(r *rand.Rand, c *Calendar) [][2][2]int64 {
	unix := func(sec, ns int64) [2]int64 { // normalized, 0 <= ns < 1e9
		sec += floorDiv(ns, 1e9)
		return [2]int64{sec, ns - floorDiv(ns, 1e9)*1e9}
	}
	var out [][2][2]int64
	add := func(a [2]int64, b [2]int64) { out = append(out, [2][2]int64{a, b}, [2][2]int64{b, a}) }
	ins := spanInstants(r, c, 2018, 2026)
	for i, a := range ins {
		if i%5 != 0 {
			continue // one in five: the table holds 2,000 pairs for each
		}
		starts := [][2]int64{a}
		if blk, k, rel, ok := c.fastAt(a[0], a[1]); ok { // builds the block
			_, n := blk.at(rel)
			for _, j := range []int{n - 1, n} {
				if j < len(blk.spans) {
					for _, e := range []int64{blk.spans[j].from, blk.spans[j].to} {
						for _, d := range []int64{-1, 0, 1} {
							starts = append(starts, unix(unixIn(k, max(e+d, 0))))
						}
					}
				}
			}
		}
		for _, s := range starts {
			for _, d := range nearDeltas {
				add(s, unix(s[0], s[1]+d))
			}
		}
		add(starts[0], starts[len(starts)-1])
	}
	for _, y := range []int{1, 1850, 1899, 2099, 2100, 2150, 9999} {
		sec := time.Date(y, 6, 1, 10, 0, 0, 5, time.UTC).Unix()
		for _, d := range nearDeltas {
			add([2]int64{sec, 5}, unix(sec, 5+d))
		}
	}
	return out
}

// TestShortSumsMatchGeneral compares the public Between and Add, whose fast paths answer a sum
// within one span or block from the span found for its first instant, with the general
// arithmetic the span table is built from, on pairs of nearby instants on the calendars of
// spanSpecs (real zones across their offset changes, holidays, overrides, ranges of a minute).
func TestShortSumsMatchGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 11))
	eachSpanSpec(t, func(t *testing.T, c *Calendar) {
		pairs := nearPairs(r, c)
		require.Greater(t, len(pairs), 2000)
		for _, p := range pairs {
			checkShortSum(t, c, p[0], p[1])
		}
	})
}

// checkShortSum compares Between(a, b) with betweenSlow and, for b after a, Add(a, d) with
// addSlow for d the business time between them and one nanosecond either side.
func checkShortSum(t *testing.T, c *Calendar, a, b [2]int64) {
	t.Helper()
	ta, tb := time.Unix(a[0], a[1]).In(c.loc), time.Unix(b[0], b[1]).In(c.loc)
	want := c.betweenSlow(a[0], a[1], b[0], b[1])
	require.Equal(t, want, int64(c.Between(ta, tb)), "Between(%v, %v)", ta, tb)
	for _, d := range []int64{want - 1, want, want + 1} {
		if d <= 0 || a[0] > endSec || (a[0] == endSec && a[1] > endNsec) {
			continue
		}
		s, n := c.addSlow(a[0], a[1], d)
		got := c.Add(ta, time.Duration(d))
		require.True(t, time.Unix(s, n).Equal(got), "Add(%v, %d) = %v, want %v", ta, d, got, time.Unix(s, n))
		require.Equal(t, c.loc, got.Location(), "Add(%v, %d)", ta, d)
	}
}

// FuzzShortSums is TestShortSumsMatchGeneral on arbitrary pairs of nearby instants, seeded from
// its tables.
func FuzzShortSums(f *testing.F) {
	cals := make([]*Calendar, len(spanSpecs))
	for i, s := range spanSpecs {
		cals[i] = MustNew(s.spec)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i, c := range cals {
		pairs := nearPairs(r, c)
		for range 12 {
			p := pairs[r.IntN(len(pairs))]
			f.Add(uint8(i), p[0][0], p[0][1], (p[1][0]-p[0][0])*1e9+p[1][1]-p[0][1])
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, sa, na, delta int64) {
		c := cals[int(which)%len(cals)]
		const span = int64(250 * 365 * 24 * 3600)
		sa = 946684800 + sa%span // within 250 years of 2000
		na = (na%1e9 + 1e9) % 1e9
		delta %= int64(30 * 24 * time.Hour)
		b := sa*1e9 + na + delta // within the int64 range: |sa| < 2^33
		checkShortSum(t, c, [2]int64{sa, na}, [2]int64{floorDiv(b, 1e9), b - floorDiv(b, 1e9)*1e9})
	})
}
