package sla

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A block reused after detach hands out, as it was, the storage taken
// since detach, never what was taken before it (an earlier replay's results);
// once it has moved to a new block, the old one is left alone.
func TestBlockReuse(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		first int  // taken before detach
		then  int  // taken after it
		again bool // what was taken after it is handed out again
	}{
		{name: "within the block", first: 3, then: 5, again: true},
		{name: "nothing before", first: 0, then: 4, again: true},
		{name: "nothing taken", first: 2, then: 0},
		{name: "the block's rest", first: 2, then: 10, again: true},
		{name: "past the block", first: 10, then: 5, again: true}, // a new block, reused from its start
		{name: "storage of its own", first: 2, then: maxBlock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b block[RuleApplied] // 12 to the first block
			kept := b.take(tt.first)[:tt.first]
			for i := range kept {
				kept[i] = RuleApplied{Rule: "kept", At: at}
			}
			b.detach()
			rest := len(b.rest())
			taken := b.take(tt.then)[:tt.then]
			for i := range taken {
				taken[i] = RuleApplied{Rule: "sink", At: at}
			}
			b.reuse()
			for i := range kept {
				assert.Equal(t, RuleApplied{Rule: "kept", At: at}, kept[i], "kept %d", i)
			}
			// The whole of what the block hands out now: never a kept piece.
			free := b.rest()
			for i := range free {
				for k := range kept {
					assert.NotSame(t, &kept[k], &free[i], "kept %d handed out again", k)
				}
			}
			if tt.then == 0 {
				assert.Equal(t, rest, len(b.rest()), "nothing given back")
				return
			}
			again := b.take(tt.then)[:tt.then]
			assert.Equal(t, tt.again, &taken[0] == &again[0], "the same storage again")
			for i, r := range again {
				if tt.again {
					assert.Equal(t, RuleApplied{Rule: "sink", At: at}, r, "as it was %d", i)
				} else {
					assert.Zero(t, r, "new storage %d", i)
				}
			}
		})
	}
}

// A store reused after detach gives its results' storage again, as it
// was, in every kind of block: their makers write every element whole.
func TestResultStoreReuse(t *testing.T) {
	var s resultStore
	_, _ = s.rules.take(2), s.teams.take(1)
	s.detach()
	c, tm, ck := s.rules.take(3)[:3], s.teams.take(2)[:2], s.clocks.take(1)[:1]
	o, es, h, w := s.olas.take(1)[:1], s.escalations.take(1)[:1], s.handoffs.take(1)[:1], s.windows.one()
	c[0].Rule, tm[0].Team, ck[0].Metric, o[0].OLA, es[0].Level, h[0].To = "r", "t", Resolution, "o", "l", "t"
	w.ExpiredBeforeFirstResponse = true
	s.reuse()
	assert.Equal(t, Resolution, ck[0].Metric, "clocks as they were")
	assert.Equal(t, "o", o[0].OLA, "OLA clocks as they were")
	assert.True(t, w.ExpiredBeforeFirstResponse, "windows as they were")
	assert.Equal(t, "r", c[0].Rule, "rules as they were")
	assert.Equal(t, "t", tm[0].Team, "team times as they were")
	assert.Equal(t, "l", es[0].Level, "escalations as they were")
	assert.Equal(t, "t", h[0].To, "hand-offs as they were")
	assert.Same(t, &c[0], &s.rules.take(3)[:1][0])
	assert.Same(t, &tm[0], &s.teams.take(2)[:1][0])
	assert.Same(t, &ck[0], &s.clocks.take(1)[:1][0])
	assert.Same(t, &o[0], &s.olas.take(1)[:1][0])
	assert.Same(t, &es[0], &s.escalations.take(1)[:1][0])
	assert.Same(t, &h[0], &s.handoffs.take(1)[:1][0])
	assert.Same(t, w, s.windows.one())
}

// sortByOrder puts records in the order of their orders, as a sort by
// comparison does, for every length up to 300 (several cycles in the
// permutation, records already in order, in reverse) and with orders too
// large to pack with an index (the comparison's path).
func TestSortByOrderMatchesSortFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for n := range 301 {
		for _, kind := range []string{"random", "sorted", "reversed", "large"} {
			ts := make([]*replayTicket, n)
			for i, o := range r.Perm(n) {
				ts[i] = &replayTicket{order: 1 + 3*o}
				switch kind {
				case "sorted":
					ts[i].order = 1 + 3*i
				case "reversed":
					ts[i].order = 1 + 3*(n-i)
				case "large":
					ts[i].order = math.MaxInt - o
				}
			}
			want := slices.Clone(ts)
			slices.SortFunc(want, func(a, b *replayTicket) int { return cmp.Compare(a.order, b.order) })
			sortByOrder(ts)
			for i := range ts {
				require.Same(t, want[i], ts[i], "%s, %d records: at %d", kind, n, i)
			}
		}
	}
}
