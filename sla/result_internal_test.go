package sla

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A piece trimmed gives back to its block what it did not use only when
// it was the piece handed out last and still lives in the block; the
// pieces handed out, trimmed or not, never overlap.
func TestBlockTrim(t *testing.T) {
	var b block[TeamTime] // 48 B
	assert.Empty(t, b.trim(nil))

	p := b.take(4)
	p = append(p, TeamTime{Cycle: 1})
	left := len(b.rest())
	p = b.trim(p)
	assert.Equal(t, 1, cap(p), "capacity cut to the length")
	assert.Equal(t, left+3, len(b.rest()), "the last piece gives back 3")

	q, r := b.take(4), b.take(2)
	left = len(b.rest())
	q = b.trim(append(q, TeamTime{Cycle: 2}))
	assert.Equal(t, 1, cap(q))
	assert.Equal(t, left, len(b.rest()), "a piece that is not the last gives back nothing")
	r = b.trim(r[:0])
	assert.Equal(t, 0, cap(r))
	assert.Equal(t, left+2, len(b.rest()), "an empty last piece gives back everything")

	s := b.take(2)
	s = append(s, TeamTime{Cycle: 3}, TeamTime{Cycle: 3}, TeamTime{Cycle: 3}) // grown away from the block
	left = len(b.rest())
	s = b.trim(s)
	assert.Len(t, s, 3)
	assert.Equal(t, left, len(b.rest()), "a piece grown away gives back nothing")

	big := b.take(maxBlock/4/48 + 1)
	left = len(b.rest())
	big = b.trim(append(big, TeamTime{Cycle: 4}))
	assert.Len(t, big, 1)
	assert.Equal(t, left, len(b.rest()), "storage of its own is not the block's")

	// Random takes and trims over many blocks: every piece keeps what was
	// written into it.
	rng := rand.New(rand.NewPCG(19, 3))
	var pieces [][]TeamTime
	for i := range 2000 {
		piece := b.take(1 + rng.IntN(12))
		for range rng.IntN(cap(piece) + 1) {
			piece = append(piece, TeamTime{Cycle: i, Team: "t"})
		}
		if rng.IntN(4) > 0 {
			piece = b.trim(piece)
			require.Equal(t, len(piece), cap(piece))
		}
		pieces = append(pieces, piece)
	}
	for i, piece := range pieces {
		for _, tt := range piece {
			require.Equal(t, i, tt.Cycle, "piece %d was overwritten", i)
		}
	}
}

// rest is what b's current block has left to hand out.
func (b *block[T]) rest() []T { return b.cur[b.next:] }
