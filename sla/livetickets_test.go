package sla

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	// A ticket whose id changed is not found by its former id, apart or not.
	l := newLiveTickets()
	l.put("A", h, a)
	l.put("C", h, ticket("C"))
	l.apart["C"].st.ticket.ID = "renamed"
	assert.Nil(t, l.get("C", h), "the one apart, renamed")
	a.st.ticket.ID = "renamed"
	assert.Nil(t, l.get("A", h), "the holder of the hash, renamed")
	a.st.ticket.ID = "A"
}

// TestLiveTicketsTable runs random puts and deletions on the live tickets
// (ids whose hashes share home slots, some sharing a hash, enough of them
// to grow the table several times) against a map of the live ids, and
// checks that the id of each step finds its ticket (or none), every 40
// steps that every id does, and the count; at the end, that appendTo lists them all.
func TestLiveTicketsTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for round := range 20 {
		l := newLiveTickets()
		hashes := make([]uint64, 40+round*30)
		for i := range hashes {
			switch i % 4 {
			case 0:
				hashes[i] = uint64(i) // neighbours
			case 1:
				hashes[i] = uint64(i) << 58 // few distinct home bits
			default:
				hashes[i] = rng.Uint64()
			}
		}
		ids := make([]string, 3*len(hashes)) // three ids per hash
		hashOf := map[string]uint64{}
		for i := range ids {
			ids[i] = fmt.Sprintf("T%d", i)
			hashOf[ids[i]] = hashes[i%len(hashes)]
		}
		live := map[string]*replayTicket{}
		for step := range 4000 {
			id := ids[rng.IntN(len(ids))]
			h := hashOf[id]
			if tk := live[id]; tk != nil {
				l.del(id, h, tk)
				delete(live, id)
			} else {
				tk := &replayTicket{}
				tk.st.ticket.ID = id
				l.put(id, h, tk)
				live[id] = tk
			}
			require.Same(t, live[id], l.get(id, h), "round %d: get(%q)", round, id)
			if step%40 == 0 {
				for _, id := range ids {
					require.Same(t, live[id], l.get(id, hashOf[id]), "round %d: get(%q)", round, id)
				}
			}
			require.Equal(t, len(live), l.len())
		}
		all := l.appendTo(nil)
		require.Len(t, all, len(live))
		for _, tk := range all {
			require.Same(t, live[tk.st.ticket.ID], tk)
		}
		require.Zero(t, l.len())
		for _, id := range ids {
			require.Nil(t, l.get(id, hashOf[id]))
		}
	}
}

// BenchmarkLiveTicketsGet looks up one of 1,000 live tickets per op, as a
// replay does at every event.
func BenchmarkLiveTicketsGet(b *testing.B) {
	l := newLiveTickets()
	ids := make([]string, 1000)
	hs := make([]uint64, len(ids))
	for i := range ids {
		ids[i] = fmt.Sprintf("T%d", i)
		hs[i] = idHash(ids[i])
		tk := &replayTicket{}
		tk.st.ticket.ID = ids[i]
		l.put(ids[i], hs[i], tk)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if l.get(ids[i], hs[i]) == nil {
			b.Fatal("not found")
		}
		if i++; i == len(ids) {
			i = 0
		}
	}
}

// TestLiveTicketsCraftedIDs creates tickets whose ids were chosen to share
// the first bits of their slot under the multiplier a fixed table would
// use (2^64 / phi): they must not pile up in one run that every lookup
// scans. With that multiplier, the farthest of these 20,000 tickets sits
// thousands of slots past its home; with the table's random one, a few.
func TestLiveTicketsCraftedIDs(t *testing.T) {
	const phi = 0x9E3779B97F4A7C15
	var ids []string
	for i := 0; len(ids) < 20000; i++ {
		if id := fmt.Sprintf("INC%07d", i); (idHash(id)*phi)>>58 == 0 {
			ids = append(ids, id)
		}
	}
	for _, mul := range []uint64{0, phi} { // 0: the table's own
		l := newLiveTickets()
		if mul != 0 {
			l.mul = mul
		}
		for _, id := range ids {
			l.put(id, idHash(id), &replayTicket{st: State{ticket: Ticket{ID: id}}})
		}
		far, mask := 0, len(l.slots)-1
		for i, s := range l.slots {
			if s.t != nil {
				far = max(far, (i-l.home(s.h))&mask)
			}
		}
		for _, id := range ids {
			require.NotNil(t, l.get(id, idHash(id)))
		}
		if mul == 0 {
			assert.Less(t, far, 100, "the farthest ticket from its home, random multiplier")
		} else {
			assert.Greater(t, far, 1000, "the ids pile up under the fixed multiplier (the test's ids are what it says)")
		}
	}
}

// goneCase is one random run of TestGoneIDsIsMap: ops sets and gets over
// keys hashes, homes from the multiplier mul (1 piles hashes that share
// their top bits into one run).
type goneCase struct {
	seed uint64
	keys int
	mul  uint64
}

var goneCases = []goneCase{{1, 10, 0}, {2, 300, 0}, {3, 3000, 0}, {4, 300, 1}, {5, 2000, 1}}

// The table of ids not live answers as a map from hash to entry, through
// growth and clearing, whatever the homes of its hashes.
func TestGoneIDsIsMap(t *testing.T) {
	for _, c := range goneCases {
		t.Run(fmt.Sprint(c), func(t *testing.T) { checkGoneIDs(t, c) })
	}
}

func FuzzGoneIDs(f *testing.F) {
	for _, c := range goneCases {
		f.Add(c.seed, c.keys, c.mul)
	}
	f.Fuzz(func(t *testing.T, seed uint64, keys int, mul uint64) {
		checkGoneIDs(t, goneCase{seed, 1 + abs(keys)%5000, mul})
	})
}

func abs(n int) int { return max(n, -n) }

func checkGoneIDs(t *testing.T, c goneCase) {
	r := rand.New(rand.NewPCG(c.seed, 11))
	hashes := make([]uint64, c.keys)
	for i := range hashes {
		hashes[i] = r.Uint64()
		if i%3 == 1 {
			hashes[i] = hashes[i-1]&^0xffff | r.Uint64()&0xffff // the same top bits
		}
	}
	var g goneIDs
	if c.mul != 0 {
		g.slots, g.homes = make([]goneSlot, minGoneSlots), newHomes(minGoneSlots)
		g.mul = c.mul | 1
	}
	ref := map[uint64]goneTicket{}
	// A get puts the entries set before it in the table: reads after every
	// set, after a few, and after batches full (goneBatch) of entries set,
	// some of them twice.
	for round, every := range []int{1, 4, 4 * goneBatch} {
		for range 4 * c.keys {
			h := hashes[r.IntN(len(hashes))]
			if r.IntN(2) == 0 {
				x := goneTicket{seen: r.Int32(), closed: r.IntN(2) == 0}
				g.set(h, x)
				ref[h] = x
			}
			if r.IntN(every) == 0 {
				require.Equal(t, ref[h], g.get(h), "round %d: hash %#x", round, h)
			}
		}
		require.Equal(t, len(ref), g.len())
		for h, x := range ref {
			require.Equal(t, x, g.get(h), "round %d: hash %#x", round, h)
		}
		g.clear()
		clear(ref)
		require.Zero(t, g.len())
		require.Equal(t, goneTicket{}, g.get(hashes[0]))
	}
}

// BenchmarkLiveTicketsChurn looks up live tickets in an order that does not
// repeat soon, one in eight lookups followed by the close of a ticket and
// the creation of another, over about 1,000 live tickets: as a replay
// interleaves its tickets' events, where whether a home slot holds
// another ticket follows no pattern the processor can learn.
func BenchmarkLiveTicketsChurn(b *testing.B) {
	const live, steps = 1000, 1 << 16
	r := rand.New(rand.NewPCG(14, 1))
	l := newLiveTickets()
	ids := make([]string, live)
	hs := make([]uint64, live)
	next := 0
	// The ids to come, made beforehand: a step makes no string.
	names := make([]string, live+steps)
	for i := range names {
		names[i] = fmt.Sprintf("T%d", i)
	}
	create := func(k int, tk *replayTicket) {
		ids[k] = names[next%len(names)]
		hs[k] = idHash(ids[k])
		next++
		tk.st.ticket.ID = ids[k]
		l.put(ids[k], hs[k], tk)
	}
	for k := range ids {
		create(k, &replayTicket{})
	}
	order := make([]int, steps)
	for i := range order {
		order[i] = r.IntN(live)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := order[i]
		t := l.get(ids[k], hs[k])
		if t == nil {
			b.Fatal("not found")
		}
		if i%8 == 0 {
			l.del(ids[k], hs[k], t)
			create(k, t) // a new id, its record taken over: the table's slots move on
		}
		if i++; i == steps {
			i = 0
		}
	}
}

// clear forgets the entries still waiting for the table, as well as those
// in it.
func TestGoneIDsClearPending(t *testing.T) {
	var g goneIDs
	g.set(1, goneTicket{seen: 1, closed: true})
	require.Equal(t, 1, g.len()) // in the table
	g.set(2, goneTicket{seen: 2, closed: true})
	g.clear()
	assert.Zero(t, g.len())
	assert.Equal(t, goneTicket{}, g.get(1))
	assert.Equal(t, goneTicket{}, g.get(2), "the entry set after the table was last read")
}
