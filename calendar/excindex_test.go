package calendar

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestExcIndex compares the block index of the exceptions with a binary search, on sparse,
// dense and clustered exception days, for days before, within and after them.
func TestExcIndex(t *testing.T) {
	tests := []struct {
		name string
		days []int64
	}{
		{"none", nil},
		{"one", []int64{100}},
		{"one before 1970", []int64{-3}},
		{"consecutive across blocks", []int64{60, 61, 62, 63, 64, 65, 66, 127, 128, 129}},
		{"a block boundary each", []int64{0, 64, 128, 192}},
		{"sparse", []int64{-20000, 5, 40000}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 20 {
		days := []int64{}
		d := int64(r.IntN(200)) - 100
		for range r.IntN(300) {
			d += 1 + int64(r.IntN(1+k*10))
			days = append(days, d)
		}
		tests = append(tests, struct {
			name string
			days []int64
		}{fmt.Sprint("random ", k), days})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n nominal
			for _, d := range tt.days {
				n.exc = append(n.exc, exception{day: d})
			}
			n.indexExceptions()
			probe := []int64{-1 << 40, 1 << 40}
			for _, d := range tt.days {
				probe = append(probe, d-65, d-64, d-1, d, d+1, d+63, d+64)
			}
			for _, day := range probe {
				want := sort.Search(len(n.exc), func(i int) bool { return n.exc[i].day >= day })
				assert.Equal(t, want, n.excIndex(day), "excIndex(%d) with exceptions %v", day, tt.days)
			}
		})
	}
}
