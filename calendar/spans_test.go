package calendar

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spanSpecs are the calendars the span table is compared on: real zones around their offset
// changes (Brazil's summer time began at midnight until 2019, Lord Howe moves by half an hour),
// hours across midnight and inside the skipped and repeated hours, lunch breaks, holidays,
// overrides, a calendar open all week but on dense closed dates, and one of many short ranges.
var spanSpecs = []struct {
	name string
	spec Spec
}{
	{"Berlin desk", Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:30"}},
		Holidays: []string{"de-be", "2026-12-24", "2026-12-31"}}},
	{"Berlin nights", Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-sun": {"00:00-03:30", "23:00-24:00"}},
		Holidays: []string{"2026-03-28"}, Overrides: map[string][]string{"2026-10-25": {"01:00-02:30"}}}},
	{"Sao Paulo desk", Spec{Timezone: "America/Sao_Paulo",
		Hours:     map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}},
		Holidays:  []string{"br", "2026-12-24"},
		Overrides: map[string][]string{"2026-12-31": {"08:00-12:00"}, "2018-11-03": {"00:00-24:00"}, "2019-02-16": {}}}},
	{"Sao Paulo midnight", Spec{Timezone: "America/Sao_Paulo", Hours: map[string][]string{"mon-sun": {"00:00-01:30", "22:00-24:00"}}}},
	{"New York all week, dense closures", Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-sun": {"00:00-24:00"}},
		Holidays: []string{"us"}, Overrides: denseOverrides()}},
	{"New York desk", Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"01:00-03:00", "09:00-17:00"}},
		Holidays: []string{"us"}}},
	{"Lord Howe", Spec{Timezone: "Australia/Lord_Howe", Hours: map[string][]string{"daily": {"01:00-03:00", "09:00-17:00"}}}},
	{"UTC, short ranges", Spec{Timezone: "UTC", Hours: map[string][]string{"wed": {"00:00-00:01", "00:02-00:03", "23:59-24:00"},
		"thu": {"00:00-00:01"}}}},
}

// spanInstants returns instants (Unix seconds and nanoseconds) where the span table could go
// wrong: around the offset changes of c's zone in the years given, at the edges of blocks and
// of open ranges, and at random within those years.
func spanInstants(r *rand.Rand, c *Calendar, years ...int) [][2]int64 {
	var out [][2]int64
	near := func(sec int64) {
		for _, d := range []int64{-90000, -3601, -3600, -1800, -60, -1, 0, 1, 60, 1800, 3600, 3601, 90000} {
			out = append(out, [2]int64{sec + d, 0}, [2]int64{sec + d - 1, 999999999}, [2]int64{sec + d, 1})
		}
	}
	for _, y := range years {
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		to := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for _, tr := range c.zone.trans {
			if tr.at >= from && tr.at < to {
				near(tr.at)
			}
		}
		near(fastFrom + (from-fastFrom)>>blockShift<<blockShift) // a block's start
		for range 300 {
			sec := from + r.Int64N(to-from)
			switch r.IntN(3) {
			case 0:
				sec -= sec % 1800 // on the half hour: the edges of open ranges
				out = append(out, [2]int64{sec, 0}, [2]int64{sec - 1, 999999999})
			default:
				out = append(out, [2]int64{sec, r.Int64N(1e9)})
			}
		}
	}
	return out
}

// TestSpanTableMatchesGeneral compares the fast path of Between and Add with the general
// arithmetic it is built from, on every pair of a sample of instants and on sums that end at,
// just before and just after the open time up to another instant.
func TestSpanTableMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 5))
	eachSpanSpec(t, func(t *testing.T, c *Calendar) {
		ins := spanInstants(r, c, 2018, 2019, 2026)
		for range 6000 {
			a, b := ins[r.IntN(len(ins))], ins[r.IntN(len(ins))]
			want := c.betweenSlow(a[0], a[1], b[0], b[1])
			got, ok := c.fastBetween(a[0], a[1], b[0], b[1])
			require.True(t, ok)
			require.Equal(t, want, got, "between(%v, %v)", a, b)
			for _, need := range []int64{want - 1, want, want + 1, r.Int64N(int64(90 * time.Hour)), 1} {
				checkFastAdd(t, c, a, need)
			}
			checkNextOpen(t, c, a)
		}
	})
}

// eachSpanSpec runs f, in a subtest of each calendar of spanSpecs, on that calendar.
func eachSpanSpec(t *testing.T, f func(t *testing.T, c *Calendar)) {
	t.Helper()
	for _, tt := range spanSpecs {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.spec)
			require.NoError(t, err)
			f(t, c)
		})
	}
}

// checkFastAdd compares fastAdd with addSlow for need > 0.
func checkFastAdd(t *testing.T, c *Calendar, a [2]int64, need int64) {
	t.Helper()
	if need <= 0 {
		return
	}
	ws, wn := c.addSlow(a[0], a[1], need)
	gs, gn, ok := c.fastAdd(a[0], a[1], need)
	if !ok {
		// Only an instant outside the table, a sum larger than it accepts, or a result past
		// its walk or its end may leave the fast path.
		_, _, _, in := c.fastAt(a[0], a[1])
		require.True(t, !in || need > c.spans.maxNeed || ws > a[0]+int64(blockWalk-1)*blockSecs || ws >= int64(fastFrom)+int64(fastLimit),
			"add(%v, %d) = %d left the fast path", a, need, ws)
		return
	}
	require.Equal(t, [2]int64{ws, wn}, [2]int64{gs, gn}, "add(%v, %d)", a, need)
}

// checkNextOpen compares NextOpen, on a built block, with the general nextOpenSlow.
func checkNextOpen(t *testing.T, c *Calendar, a [2]int64) {
	t.Helper()
	if _, _, _, in := c.fastAt(a[0], a[1]); !in { // builds the block
		return
	}
	at := time.Unix(a[0], a[1]).In(c.loc)
	want, got := c.nextOpenSlow(at), c.NextOpen(at)
	require.Equal(t, want.Location(), got.Location(), "NextOpen(%v)", at)
	require.True(t, want.Equal(got), "NextOpen(%v) = %v, want %v", at, got, want)
}

// TestSpanTableEdges checks the ends of the fast range and of the sums it accepts: instants
// outside it and sums past the walk take the general path, with the same answers through
// Between and Add.
func TestSpanTableEdges(t *testing.T) {
	c, err := New(spanSpecs[0].spec)
	require.NoError(t, err)
	assert.Equal(t, zoneFrom.Unix(), int64(fastFrom), "fastFrom")
	assert.Equal(t, zoneTo.Unix(), int64(fastTo), "fastTo")
	last := int64(fastFrom) + int64(fastLimit)
	for _, tt := range []struct {
		name string
		sec  int64
		ok   bool
	}{
		{"first instant", fastFrom, true},
		{"before it", fastFrom - 1, false},
		{"last instant", last - 1, true},
		{"after it", last, false},
		{"far before", startSec, false},
		{"far after", endSec, false},
	} {
		_, _, _, ok := c.fastAt(tt.sec, 0)
		assert.Equal(t, tt.ok, ok, "%s: fastAt(%d)", tt.name, tt.sec)
	}
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, c.Location())
	for _, d := range []time.Duration{time.Duration(maxFastAdd), time.Duration(maxFastAdd) + 1, 5000 * time.Hour} {
		u := c.Add(t0, d)
		s, n := c.addSlow(t0.Unix(), 0, int64(d))
		assert.WithinDuration(t, time.Unix(s, n), u, 0, "Add(%v, %v)", t0, d)
		assert.Equal(t, d, c.Between(t0, u), "Between(%v, %v)", t0, u)
	}
	// An instant near the end of the fast range, a sum that runs out of it.
	near := time.Unix(last-3600, 0)
	u := c.Add(near, 100*time.Hour)
	s, n := c.addSlow(near.Unix(), 0, int64(100*time.Hour))
	assert.WithinDuration(t, time.Unix(s, n), u, 0, "Add(%v, 100h)", near)
	assert.Equal(t, 100*time.Hour, c.Between(near, u))
}

// TestSpanTableConcurrent builds the blocks of one calendar from several goroutines at once
// (go test -race checks the publication) and compares every answer with the general path.
func TestSpanTableConcurrent(t *testing.T) {
	c, err := New(spanSpecs[2].spec)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 7))
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			for range 2000 {
				a, b := base+r.Int64N(400*86400), base+r.Int64N(400*86400)
				if got, want := c.betweenUnix(a, 0, b, 0), c.betweenSlow(a, 0, b, 0); got != want {
					errs <- "between differs"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// FuzzSpanTable compares the fast path with the general one on arbitrary instants of the
// calendars above, seeded from the offset changes the tables look at.
func FuzzSpanTable(f *testing.F) {
	cals := make([]*Calendar, len(spanSpecs))
	for i, s := range spanSpecs {
		cals[i] = MustNew(s.spec)
	}
	for i, c := range cals {
		for _, tr := range c.zone.trans {
			if y := time.Unix(tr.at, 0).UTC().Year(); y == 2018 || y == 2026 {
				f.Add(uint8(i), tr.at-1, int64(999999999), tr.at+3600, int64(0), int64(time.Hour))
				f.Add(uint8(i), tr.at-7200, int64(0), tr.at, int64(1), int64(30*time.Hour))
			}
		}
		f.Add(uint8(i), int64(1772712000), int64(0), int64(1773000000), int64(5), int64(40*time.Hour))
	}
	const span = int64(200 * 365 * 24 * 3600)
	f.Fuzz(func(t *testing.T, which uint8, sa, na, sb, nb, need int64) {
		c := cals[int(which)%len(cals)]
		sa, sb = 946684800+sa%span, 946684800+sb%span // within a century of 2000
		na, nb = (na%1e9+1e9)%1e9, (nb%1e9+1e9)%1e9
		want := c.betweenSlow(sa, na, sb, nb)
		if got := c.betweenUnix(sa, na, sb, nb); got != want {
			t.Fatalf("betweenUnix(%d.%09d, %d.%09d) = %d, want %d", sa, na, sb, nb, got, want)
		}
		if need = need % maxFastAdd; need < 0 {
			need = -need
		}
		checkFastAdd(t, c, [2]int64{sa, na}, need)
		checkNextOpen(t, c, [2]int64{sa, na})
	})
}

// BenchmarkNewBlock measures what a calendar's first sum in a week costs on top of the sum:
// building the block of spans (six days of the São Paulo desk, with a holiday).
func BenchmarkNewBlock(b *testing.B) {
	c := MustNew(spanSpecs[2].spec)
	k := uint64(time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC).Unix()-fastFrom) >> blockShift
	b.ReportAllocs()
	for b.Loop() {
		_ = c.newBlock(k)
	}
}

// TestSpanTableBounded spreads sums over two centuries, on office hours and on a calendar of
// 360 windows a day (a block of it takes about 100 KB): the table stops growing at its bound,
// and the sums past it, by the general path, give the same answers.
func TestSpanTableBounded(t *testing.T) {
	dense := make([]string, 0, 360)
	for m := 0; m < 24*60; m += 4 {
		dense = append(dense, fmt.Sprintf("%02d:%02d-%02d:%02d", m/60, m%60, (m+1)/60, (m+1)%60))
	}
	for _, tc := range []struct {
		name string
		spec Spec
	}{
		{"office hours", Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:30"}}, Holidays: []string{"de-be"}}},
		{"360 windows a day", Spec{Timezone: "America/Sao_Paulo", Hours: map[string][]string{"daily": dense}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.spec)
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(7, 9))
			var biggest int64
			for i := range 4000 {
				// Every third block of the fast range, in order, and a sum from it.
				sec := fastFrom + int64(i)*3*blockSecs + r.Int64N(blockSecs)
				a := time.Unix(sec, r.Int64N(1e9)).In(c.loc)
				b := a.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
				require.Equal(t, c.betweenSlow(a.Unix(), int64(a.Nanosecond()), b.Unix(), int64(b.Nanosecond())), int64(c.Between(a, b)), "Between(%s, %s)", a, b)
				d := time.Duration(r.Int64N(int64(3 * time.Hour)))
				if d > 0 {
					s, n := c.addSlow(a.Unix(), int64(a.Nanosecond()), int64(d))
					require.True(t, time.Unix(s, n).Equal(c.Add(a, d)), "Add(%s, %v)", a, d)
				}
				if blk := c.spans.built(uint64(sec-fastFrom) >> blockShift); blk != nil {
					biggest = max(biggest, int64(unsafe.Sizeof(*blk))+int64(cap(blk.spans))*int64(unsafe.Sizeof(openSpan{})))
				}
			}
			used := c.spans.used.Load()
			assert.GreaterOrEqual(t, used, int64(maxTableBytes), "the sums filled the table")
			assert.LessOrEqual(t, used, int64(maxTableBytes)+biggest, "one block past the bound at most (one goroutine)")
		})
	}
}
