package sla

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idHashTable holds ids of every length up to 40 (each remainder of the
// eight-byte turns of idHash, and each case of its last word), including
// multi-byte runes and bytes that are not UTF-8.
func idHashTable() []string {
	ids := []string{"", "T1", "T164", "INC0001234", "ticket-ñ-😀", "\x00\xff", "\xff\xff\xff\xff\xff"}
	r := rand.New(rand.NewPCG(19, 10))
	for n := range 41 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		ids = append(ids, string(b))
	}
	return ids
}

// idHashRef is idHash written plainly: the words built byte by byte, the
// last one from the bytes left by their places, the 128-bit products
// worked out with math/big.
func idHashRef(id string) uint64 {
	const mul = 0x9e3779b97f4a7c15
	mix := func(a uint64) uint64 {
		p := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(mul))
		lo := new(big.Int).And(p, new(big.Int).SetUint64(^uint64(0)))
		return new(big.Int).Rsh(p, 64).Uint64() ^ lo.Uint64()
	}
	h := mix(0xcbf29ce484222325 ^ uint64(len(id)))
	word := func(b string) uint64 { // little-endian
		var w uint64
		for i := len(b) - 1; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		return w
	}
	for len(id) >= 8 {
		h = mix(h ^ word(id[:8]))
		id = id[8:]
	}
	var w uint64
	switch n := len(id); n {
	case 0:
	case 1, 2, 3:
		w = word(id[:1]) + word(id[n/2:n/2+1])<<8 + word(id[n-1:])<<16
	default:
		w = word(id[:4]) + word(id[n-4:])<<32
	}
	return mix(h ^ w)
}

// TestIDHashEveryLength compares idHash, whose words are single loads,
// with idHashRef for ids of every length up to 40.
func TestIDHashEveryLength(t *testing.T) {
	for _, id := range idHashTable() {
		assert.Equal(t, idHashRef(id), idHash(id), "%q (%d bytes)", id, len(id))
	}
}

func FuzzIDHash(f *testing.F) {
	for _, id := range idHashTable() {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if got, want := idHash(id), idHashRef(id); got != want {
			t.Fatalf("idHash(%q) = %#x, reference %#x", id, got, want)
		}
	})
}

// TestIDHashSpread hashes ids of the forms helpdesks use (counters with
// and without a prefix, padded to a width, ids that differ in one byte or
// only in their length) and random ones: no two share a hash, and the
// parts of the hash a replay reads spread them evenly: h % n for the
// shards of a parallel replay (n = 2, 3, 8), the top 16 bits for the bits
// of the ids not live (see goneBit), and the live table's home.
func TestIDHashSpread(t *testing.T) {
	var ids []string
	for i := range 40000 {
		ids = append(ids, fmt.Sprintf("T%d", i+1), fmt.Sprintf("INC%07d", i), fmt.Sprintf("%d", i), fmt.Sprintf("ticket-%012d", i*7919))
	}
	for n := range 24 {
		ids = append(ids, strings.Repeat("\x00", n), strings.Repeat("a", n))
	}
	// Ids that differ only in the top byte of each of their two words:
	// differences a multiply alone carries only upward, where they cancel.
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for _, a := range alnum {
		for _, b := range alnum {
			ids = append(ids, "INC-000"+string(a)+"0001234"+string(b))
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 40000 {
		b := make([]byte, 1+r.IntN(30))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		ids = append(ids, string(b))
	}
	seen := make(map[uint64]string, len(ids))
	mods := map[uint64][]int{2: make([]int, 2), 3: make([]int, 3), 8: make([]int, 8)}
	top := make([]int, 16)    // the top 16 bits, by their top 4
	places := make([]int, 64) // a table of 64 slots, multiplier 1
	l := homes{mul: 1, shift: 64 - 6}
	for _, id := range ids {
		h := idHash(id)
		if other, ok := seen[h]; ok && other != id {
			t.Fatalf("idHash(%q) = idHash(%q) = %#x", id, other, h)
		}
		seen[h] = id
		for n, c := range mods {
			c[h%n]++
		}
		top[h>>goneShift>>12]++
		places[l.home(h)]++
	}
	even := func(what string, counts []int) {
		t.Helper()
		want := float64(len(seen)) / float64(len(counts))
		for i, c := range counts {
			assert.InDelta(t, want, float64(c), 0.05*want, "%s: bucket %d of %d", what, i, len(counts))
		}
	}
	for n, c := range mods {
		even(fmt.Sprintf("h %% %d", n), c)
	}
	even("top bits", top)
	even("home", places)
}

// packBefore is the reference of TestPackMatchesBefore: pack with the
// difference of the seconds taken exactly (math/big), so neither its range
// test nor its overflow test can be wrong the way pack's could.
func packBefore(base, t time.Time) (packed, bool) {
	switch {
	case t.IsZero():
		return noInstant, true
	case t.Location() != base.Location():
		return 0, false
	}
	d := new(big.Int).Sub(big.NewInt(t.Unix()), big.NewInt(base.Unix()))
	if d.CmpAbs(big.NewInt(packSecs)) >= 0 {
		return 0, false
	}
	return packed((d.Int64()<<nsecBits | int64(t.Nanosecond())) ^ packFlip), true
}

// packPairs returns pairs of instants (base, t) around the bounds of pack:
// t packSecs seconds from base and one second less, instants at the ends
// of the int64 seconds that time.Time holds (where the difference
// overflows), the zero instant, and random pairs in UTC, São Paulo and
// Berlin, with and without a monotonic clock reading.
func packPairs(t testing.TB) [][2]time.Time {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	base := time.Date(2026, 10, 25, 2, 30, 0, 123, berlin) // a DST end in Berlin
	far := time.Duration(packSecs) * time.Second           // below the largest time.Duration
	minT, maxT := time.Unix(-1<<63, 0).UTC(), time.Unix(1<<63-1, 999999999).UTC()
	pairs := [][2]time.Time{
		{base, base}, {base, time.Time{}}, {time.Time{}, base}, {time.Time{}, time.Time{}.In(berlin)},
		{base, base.Add(far)}, {base, base.Add(far - time.Second)}, {base, base.Add(far - time.Nanosecond)},
		{base, base.Add(-far)}, {base, base.Add(-far + time.Second)}, {base, base.Add(-far + time.Nanosecond)},
		{base, base.In(sp)}, {base.UTC(), base.UTC().Add(time.Hour)}, {time.Now(), time.Now().Add(time.Minute)},
		{minT, maxT}, {maxT, minT}, {minT, minT.Add(time.Second)}, {maxT, maxT.Add(-time.Second)},
		{maxT.Add(-far), maxT}, {minT.Add(far), minT}, {minT, time.Time{}.UTC()}, {time.Time{}.UTC(), maxT},
	}
	r := rand.New(rand.NewPCG(19, 12))
	locs := []*time.Location{time.UTC, sp, berlin}
	for range 3000 {
		loc := locs[r.IntN(len(locs))]
		b := time.Unix(r.Int64N(1<<40)-1<<39, r.Int64N(1e9)).In(loc)
		var d int64
		switch r.IntN(3) {
		case 0:
			d = r.Int64N(1<<36) - 1<<35 // around ±packSecs
		case 1:
			d = r.Int64N(1 << 20)
		default:
			d = int64(r.Uint64()) // anything, overflowing too
		}
		tt := time.Unix(b.Unix()+d, r.Int64N(1e9)).In(loc)
		if r.IntN(10) == 0 {
			tt = tt.In(locs[r.IntN(len(locs))])
		}
		pairs = append(pairs, [2]time.Time{b, tt})
	}
	return pairs
}

// TestPackMatchesBefore compares pack with packBefore, its exact
// reference, on packPairs.
func TestPackMatchesBefore(t *testing.T) {
	packed, refused := 0, 0
	for i, p := range packPairs(t) {
		got, gotOK := pack(p[0], p[1])
		want, wantOK := packBefore(p[0], p[1])
		require.Equal(t, wantOK, gotOK, "pair %d: %v, %v", i, p[0], p[1])
		require.Equal(t, want, got, "pair %d: %v, %v", i, p[0], p[1])
		if gotOK {
			packed++
		} else {
			refused++
		}
	}
	assert.Greater(t, packed, 1000)
	assert.Greater(t, refused, 1000)
}

func FuzzPack(f *testing.F) {
	for _, p := range packPairs(f) {
		f.Add(p[0].Unix(), int64(p[0].Nanosecond()), p[1].Unix(), int64(p[1].Nanosecond()), p[0].Location() == p[1].Location())
	}
	f.Fuzz(func(t *testing.T, bs, bn, ts, tn int64, same bool) {
		b, tt := time.Unix(bs, bn), time.Unix(ts, tn)
		if !same {
			tt = tt.UTC()
		}
		got, gotOK := pack(b, tt)
		want, wantOK := packBefore(b, tt)
		if got != want || gotOK != wantOK {
			t.Fatalf("pack(%v, %v) = %v, %v; before %v, %v", b, tt, got, gotOK, want, wantOK)
		}
	})
}

// BenchmarkIDHash hashes ids of the form of the reference history's.
func BenchmarkIDHash(b *testing.B) {
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = "INC" + time.Unix(int64(i)*7919, 0).UTC().Format("0601021504")
	}
	b.ReportAllocs()
	var sum uint64
	i := 0
	for b.Loop() {
		sum += idHash(ids[i&1023])
		i++
	}
	_ = sum
}

// BenchmarkPack packs instants into a cycle's start, as a cycle's stop
// and a ticket's statistics are.
func BenchmarkPack(b *testing.B) {
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ts := make([]time.Time, 1024)
	for i := range ts {
		ts[i] = base.Add(time.Duration(i) * 37 * time.Minute)
	}
	b.ReportAllocs()
	var sum packed
	i := 0
	for b.Loop() {
		p, _ := pack(base, ts[i&1023])
		sum += p
		i++
	}
	_ = sum
}
