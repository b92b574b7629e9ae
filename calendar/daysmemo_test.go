package calendar

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// daysCases returns (date, count) pairs on which the memo of counts of business days could
// go wrong: the dates around the offset changes and holidays of 2018, 2019 and 2026 (each
// asked twice in a row, so that the second answer comes from the memo), counts sharing a
// slot (n and n+4), counts at the edges of an entry (65535, 65536), and dates outside an
// int32.
func daysCases(r *rand.Rand) [][2]int64 {
	var out [][2]int64
	for _, y := range []int{2018, 2019, 2026} {
		first := floorDiv(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), daySecs)
		for range 400 {
			day := first + r.Int64N(366)
			n := []int64{1, 2, 3, 5, 9, 10, 14, 40, r.Int64N(400) + 1}[r.IntN(9)]
			out = append(out, [2]int64{day, n}, [2]int64{day, n}, [2]int64{day, n + 4}, [2]int64{day + 1, n},
				[2]int64{day, n})
		}
	}
	for _, n := range []int64{daysField - 1, daysField, daysField + 1, 100000} {
		out = append(out, [2]int64{17000, n}, [2]int64{17000, n})
	}
	return append(out, [2]int64{1 << 40, 3}, [2]int64{-(1 << 40), 3}, [2]int64{1<<31 + 5, 1}, [2]int64{1<<31 + 5, 1})
}

// TestAddDaysMemoMatchesModel compares Calendar.addDays, which keeps recent answers in the
// span table, with the nominal model's count on the span-table calendars (São Paulo, Berlin
// and New York desks with their holidays, across the changes to and from summer time), in
// the order of daysCases (misses, hits, and slots overwritten by another count or date).
// Keying an entry by its date alone, or reading its days from the wrong bits, fails it.
func TestAddDaysMemoMatchesModel(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	cases := daysCases(r)
	eachSpanSpec(t, func(t *testing.T, c *Calendar) {
		for _, k := range cases {
			want := c.nom.addDays(k[0], k[1])
			require.Equal(t, want, c.addDays(k[0], k[1]), "addDays(%d, %d)", k[0], k[1])
		}
	})
}

// TestAddDaysMemoPublic compares AddDays on a calendar whose memo earlier calls filled with
// AddDays on a fresh calendar of the same spec, at instants around the offset changes and at
// random, for counts of one to twelve business days; and, with -race, from goroutines at once.
func TestAddDaysMemoPublic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	for _, tt := range spanSpecs {
		t.Run(tt.name, func(t *testing.T) {
			c, fresh := MustNew(tt.spec), MustNew(tt.spec)
			ins := spanInstants(r, c, 2019, 2026)
			want := make([]time.Time, len(ins))
			for i, a := range ins {
				want[i] = fresh.AddDays(time.Unix(a[0], a[1]), 1+i%12)
				for k := range fresh.spans.days {
					fresh.spans.days[k].Store(0) // no memo from the call before
				}
			}
			var wg sync.WaitGroup
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := g; i < len(ins); i += 1 + g {
						got := c.AddDays(time.Unix(ins[i][0], ins[i][1]), 1+i%12)
						if !got.Equal(want[i]) {
							t.Errorf("AddDays(%d.%09d, %d) = %s, want %s", ins[i][0], ins[i][1], 1+i%12, got, want[i])
							return
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

// FuzzAddDaysMemo is TestAddDaysMemoMatchesModel for a pair of counts asked of one
// calendar, seeded from the table's cases.
func FuzzAddDaysMemo(f *testing.F) {
	cals := make([]*Calendar, len(spanSpecs))
	for i, s := range spanSpecs {
		cals[i] = MustNew(s.spec)
	}
	cases := daysCases(rand.New(rand.NewPCG(12, 2026)))
	for i := 0; i+1 < len(cases); i += 97 {
		f.Add(uint8(i), cases[i][0], cases[i][1], cases[i+1][0], cases[i+1][1])
	}
	f.Fuzz(func(t *testing.T, which uint8, d1, n1, d2, n2 int64) {
		c := cals[int(which)%len(cals)]
		for _, k := range [][2]int64{{d1, n1}, {d2, n2}, {d1, n1}} {
			day := k[0] % (3 << 20) // within about ±8,600 years of 1970
			n := k[1]%(2*daysField) + 1
			if n < 1 {
				n = -n + 1
			}
			if want, got := c.nom.addDays(day, n), c.addDays(day, n); got != want {
				t.Fatalf("addDays(%d, %d) = %d, want %d", day, n, got, want)
			}
		}
	})
}
