package kpi

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var buf []uint32
	for _, n := range []int{0, 1, 5, 255, 256, 257, 1000, radixMin - 1, radixMin, radixMin + 1, 5000} {
		for _, bits := range []int{4, 8, 12, 16, 20, 24, 32} {
			v := make([]uint32, n)
			for i := range v {
				v[i] = uint32(rng.Uint64() & (1<<bits - 1))
			}
			want := slices.Clone(v)
			slices.Sort(want)
			buf = sortValues(v, buf)
			if !slices.Equal(want, v) {
				t.Fatalf("sortValues(n=%d, bits=%d) differs from slices.Sort", n, bits)
			}
		}
	}
}

func benchValues() []uint32 {
	rng := rand.New(rand.NewPCG(2, 2))
	v := make([]uint32, 1_000_000)
	for i := range v {
		v[i] = uint32(rng.IntN(100000))
	}
	return v
}

// BenchmarkSortValues sorts a million elapsed times (radix sort).
func BenchmarkSortValues(b *testing.B) {
	src := benchValues()
	v := make([]uint32, len(src))
	var buf []uint32
	b.ReportAllocs()
	for b.Loop() {
		copy(v, src)
		buf = sortValues(v, buf)
	}
}

// BenchmarkSortValuesPdq is the same with slices.Sort, for comparison.
func BenchmarkSortValuesPdq(b *testing.B) {
	src := benchValues()
	v := make([]uint32, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(v, src)
		slices.Sort(v)
	}
}
