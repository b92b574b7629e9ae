package sla

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A block rewound to a mark hands out the same storage again; once it
// has moved to a new block, a mark in the old one changes nothing.
func TestBlockRewind(t *testing.T) {
	tests := []struct {
		name    string
		first   int  // taken before the mark
		then    int  // taken after it
		rewound bool // the block's rest is the mark's again
		again   bool // and what was taken after it is handed out again
	}{
		{name: "within the block", first: 3, then: 5, rewound: true, again: true},
		{name: "nothing taken", first: 2, then: 0, rewound: true},
		{name: "no block at the mark", first: 0, then: 4},
		{name: "past the block", first: 10, then: 5},
		{name: "storage of its own", first: 2, then: maxBlock, rewound: true}, // the block untouched
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b block[RuleApplied] // 12 to the first block
			_ = b.take(tt.first)
			mark := b.free
			taken := b.take(tt.then)
			next := b.free
			b.rewind(mark)
			if !tt.rewound {
				assert.Equal(t, len(next), len(b.free), "not rewound")
				return
			}
			assert.Equal(t, len(mark), len(b.free), "rewound")
			if tt.then > 0 {
				again := b.take(tt.then)
				assert.Equal(t, tt.again, &taken[:1][0] == &again[:1][0], "the same storage again")
			}
		})
	}
}

// A store rewound to a copy of itself gives its results' storage again.
func TestResultStoreRewind(t *testing.T) {
	var s resultStore
	_, _ = s.rules.take(2), s.teams.take(1)
	mark := s
	c, tm := s.rules.take(3), s.teams.take(2)
	s.rewind(&mark)
	assert.Same(t, &c[:1][0], &s.rules.take(3)[:1][0])
	assert.Same(t, &tm[:1][0], &s.teams.take(2)[:1][0])
}
