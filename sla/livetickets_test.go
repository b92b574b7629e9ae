package sla

import (
	"hash/fnv"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDHashIsFNV1a(t *testing.T) {
	for _, id := range []string{"", "T1", "T164", "ticket-ñ-😀", "\x00\xff"} {
		h := fnv.New64a()
		h.Write([]byte(id))
		assert.Equal(t, h.Sum64(), idHash(id), "%q", id)
	}
}

// TestLiveTicketsSharedHash puts tickets whose ids share a hash (forced
// here; one chance in 2^64 per pair in a replay) and checks that each id
// finds its own ticket whatever the order of puts and deletions.
func TestLiveTicketsSharedHash(t *testing.T) {
	ticket := func(id string) *replayTicket {
		rt := &replayTicket{}
		rt.st.ticket.ID = id
		return rt
	}
	const h = 42
	a, b, c := ticket("A"), ticket("B"), ticket("C")
	other := ticket("D")
	tests := []struct {
		name string
		ops  func(l *liveTickets)
		want map[string]*replayTicket // id -> ticket found (nil: none)
	}{
		{"one", func(l *liveTickets) { l.put("A", h, a) }, map[string]*replayTicket{"A": a, "B": nil}},
		{"two sharing", func(l *liveTickets) { l.put("A", h, a); l.put("B", h, b) },
			map[string]*replayTicket{"A": a, "B": b, "C": nil}},
		{"the holder of the hash goes", func(l *liveTickets) {
			l.put("A", h, a)
			l.put("B", h, b)
			l.del("A", h, a)
		}, map[string]*replayTicket{"A": nil, "B": b}},
		{"the one apart goes", func(l *liveTickets) {
			l.put("A", h, a)
			l.put("B", h, b)
			l.del("B", h, b)
		}, map[string]*replayTicket{"A": a, "B": nil}},
		{"the hash taken again after its holder left", func(l *liveTickets) {
			l.put("A", h, a)
			l.put("B", h, b)
			l.del("A", h, a)
			l.put("C", h, c)
		}, map[string]*replayTicket{"A": nil, "B": b, "C": c}},
		{"another hash", func(l *liveTickets) { l.put("A", h, a); l.put("D", h+1, other) },
			map[string]*replayTicket{"A": a, "D": other}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLiveTickets()
			tt.ops(&l)
			n := 0
			for id, want := range tt.want {
				hh := uint64(h)
				if id == "D" {
					hh = h + 1
				}
				assert.Same(t, want, l.get(id, hh), "get(%q)", id)
				if want == nil {
					assert.Nil(t, l.get(id, hh), "get(%q)", id)
				} else {
					n++
				}
			}
			require.Equal(t, n, l.len())
			all := l.appendTo(nil)
			assert.Len(t, all, n)
			for id, want := range tt.want {
				if want != nil {
					assert.True(t, slices.Contains(all, want), "%q listed", id)
				}
			}
			assert.Zero(t, l.len(), "forgotten after appendTo")
		})
	}
}
