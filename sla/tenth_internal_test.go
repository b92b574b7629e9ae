package sla

import (
	"hash/fnv"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// idHashTable holds ids of every length up to 40 (each remainder of the
// four-byte turns of idHash), including multi-byte runes and bytes that are
// not UTF-8.
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

func fnv1a(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// TestIDHashEveryLength compares idHash, four bytes a turn, with the
// 64-bit FNV-1a of hash/fnv for ids of every length up to 40.
func TestIDHashEveryLength(t *testing.T) {
	for _, id := range idHashTable() {
		assert.Equal(t, fnv1a(id), idHash(id), "%q (%d bytes)", id, len(id))
	}
}

func FuzzIDHash(f *testing.F) {
	for _, id := range idHashTable() {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if got, want := idHash(id), fnv1a(id); got != want {
			t.Fatalf("idHash(%q) = %#x, FNV-1a %#x", id, got, want)
		}
	})
}
