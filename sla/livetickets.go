package sla

import (
	"math/bits"
	"math/rand/v2"
)

// liveTickets holds a replay's live tickets by the hash of their id
// (idHash), which a replay on several goroutines computes once per event to
// choose the shard: a lookup then hashes 8 bytes and compares one id. An id
// whose hash another live id holds goes to apart, keyed by the id itself
// (one chance in 2^64 per pair of ids).
//
// The tickets by hash are an open-addressed table (linear probing, at
// most a quarter full, deletions shifting the entries after them back),
// which a lookup at every event reads in a few instructions where a Go
// map costs a call of some eighty. A quarter, not a half: whether a
// ticket sits in its home slot follows no pattern a processor can learn,
// and each lookup, insertion or deletion that probes further than the
// table's full half would make it is a mispredicted branch; the slots
// (16 bytes a slot) are little beside the tickets' records (3 KB each).
// The slot of a hash comes from a multiplier drawn at random for each
// table: the ids come from the input, and with a fixed one, ids chosen to
// share their first slots would pile up in one run that every lookup
// scans, as the seed of a Go map prevents. (Where
// a ticket sits changes no result: the tickets open at the end are
// yielded in order of creation.)
type liveTickets struct {
	slots []liveSlot // a power of two long; an empty slot has no ticket
	homes
	n     int // slots holding a ticket
	apart map[string]*replayTicket
}

// homes places the hashes of a table of a power of two slots (see
// liveTickets.home).
type homes struct {
	mul   uint64 // odd, drawn at random: see home
	shift uint8  // 64 - log2(len(slots))
}

// newHomes returns the homes of a table of n slots, n a power of two.
func newHomes(n int) homes {
	return homes{mul: rand.Uint64() | 1, shift: uint8(64 - bits.TrailingZeros(uint(n)))}
}

// liveSlot is a ticket of the table and the hash of its id.
type liveSlot struct {
	h uint64
	t *replayTicket
}

// minLiveSlots is the table's first length.
const minLiveSlots = 64

func newLiveTickets() liveTickets {
	return liveTickets{slots: make([]liveSlot, minLiveSlots), homes: newHomes(minLiveSlots)}
}

// home is the slot where the search for h starts: the top bits of h times
// the table's random odd multiplier, which depend on all of h's bits
// (multiply-shift hashing: two hashes share a home with a chance of about
// two in the table's length, whatever the ids).
func (l *homes) home(h uint64) int {
	return int((h * l.mul) >> l.shift)
}

// find returns the index of the slot holding h, or of the empty slot
// where it would go.
func (l *liveTickets) find(h uint64) int {
	mask := len(l.slots) - 1
	i := l.home(h)
	for s := &l.slots[i]; s.t != nil && s.h != h; s = &l.slots[i] {
		i = (i + 1) & mask
	}
	return i
}

// get returns the live ticket of id (h its hash), or nil.
func (l *liveTickets) get(id string, h uint64) *replayTicket {
	if t := l.hit(id, h); t != nil {
		return t
	}
	return l.getApart(id)
}

// hit returns the live ticket of id (h its hash) in the table, or nil
// (it may then be apart). It is small enough to be inlined where the
// replay looks a ticket up at every event (see replayer.event).
//
// It is find written out: the probe stops at the ticket of h or at an
// empty slot.
func (l *liveTickets) hit(id string, h uint64) *replayTicket {
	slots := l.slots
	mask := uint(len(slots) - 1)
	for i := uint(l.home(h)); i < uint(len(slots)); i = (i + 1) & mask { // always below: no bounds check
		t := slots[i].t
		if t == nil {
			break
		}
		if slots[i].h == h {
			if t.st.ticket.ID == id {
				return t
			}
			break
		}
	}
	return nil
}

// getApart returns the live ticket of id among those apart, or nil.
func (l *liveTickets) getApart(id string) *replayTicket {
	if len(l.apart) == 0 {
		return nil
	}
	if t := l.apart[id]; t != nil && t.st.ticket.ID == id {
		return t
	}
	return nil
}

// put adds t, the ticket of id (h its hash), which is not live.
func (l *liveTickets) put(id string, h uint64, t *replayTicket) {
	i := l.find(h)
	if l.slots[i].t == nil {
		l.slots[i] = liveSlot{h: h, t: t}
		if l.n++; 4*l.n > len(l.slots) {
			l.grow()
		}
		return
	}
	if l.apart == nil {
		l.apart = map[string]*replayTicket{}
	}
	l.apart[id] = t
}

// grow doubles the table.
func (l *liveTickets) grow() {
	old := l.slots
	l.slots = make([]liveSlot, 2*len(old))
	l.shift--
	for _, s := range old {
		if s.t != nil {
			l.slots[l.find(s.h)] = s
		}
	}
}

// del forgets t, the live ticket of id (h its hash).
func (l *liveTickets) del(id string, h uint64, t *replayTicket) {
	i := l.find(h)
	if t == nil || l.slots[i].t != t {
		delete(l.apart, id)
		return
	}
	// Move back the entries after i that the hole would cut from their
	// home, so that every search still reaches its entry without a gap.
	mask := len(l.slots) - 1
	for j := (i + 1) & mask; l.slots[j].t != nil; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home lies
		// cyclically in (i, j].
		if k := l.home(l.slots[j].h); (j-k)&mask >= (j-i)&mask {
			l.slots[i] = l.slots[j]
			i = j
		}
	}
	l.slots[i] = liveSlot{}
	l.n--
}

// len returns how many tickets are live.
func (l *liveTickets) len() int { return l.n + len(l.apart) }

// appendTo appends the live tickets to ts, in no order, and forgets them.
func (l *liveTickets) appendTo(ts []*replayTicket) []*replayTicket {
	l.each(func(t *replayTicket) { ts = append(ts, t) })
	l.clear()
	return ts
}

// each calls f with every live ticket, in no order.
func (l *liveTickets) each(f func(*replayTicket)) {
	for _, s := range l.slots {
		if s.t != nil {
			f(s.t)
		}
	}
	for _, t := range l.apart {
		f(t)
	}
}

// clear forgets every ticket, keeping the storage.
func (l *liveTickets) clear() {
	clear(l.slots)
	l.n = 0
	clear(l.apart)
}

// goneIDs holds what a replay remembers of the ids that are not live, by
// the hash of the id (see goneTicket): an open-addressed table like the
// live tickets' (linear probing, homes drawn at random), but at most half
// full (it is written as a ticket closes and read only where a ticket is
// not live, not at every event), where a Go map costs a call of some
// eighty instructions per ticket closed. Nothing is deleted: an id seen
// before its ticket was created keeps its entry, which no event of the
// ticket reads while it is live (they find it live first; only another id
// sharing its hash would, see idHash) and its close overwrites.
//
// An entry set goes first to a short list (pend), in order, and into the
// table when the list is full or the table is read: the table grows to
// thousands of slots, read at random, which a replay of hundreds of
// tickets open at once has long evicted from the processor's caches. Set
// as each ticket closes, an entry's first read of its slot waits for
// memory among the close's own reads; put in a batch, the entries' reads
// depend on one another only through the table's count, and the processor
// makes several at once.
type goneIDs struct {
	slots []goneSlot // a power of two long, or none
	homes
	n    int                 // slots used
	np   int                 // entries in pend
	pend [goneBatch]goneSlot // entries set and not yet in slots, oldest first
}

// goneBatch is how many entries goneIDs.set collects before it puts them
// in the table.
const goneBatch = 64

// goneSlot is an entry of goneIDs.
type goneSlot struct {
	h      uint64
	seen   int32 // goneTicket.seen
	closed bool  // goneTicket.closed
	used   bool
}

// minGoneSlots is the table's first length.
const minGoneSlots = 256

// get returns the entry of h; zero for none.
func (g *goneIDs) get(h uint64) goneTicket {
	g.flush()
	if g.n == 0 {
		return goneTicket{}
	}
	s := &g.slots[g.find(h)] // an empty slot holds zeros
	return goneTicket{seen: s.seen, closed: s.closed}
}

// set makes x the entry of h.
func (g *goneIDs) set(h uint64, x goneTicket) {
	g.pend[g.np] = goneSlot{h: h, seen: x.seen, closed: x.closed, used: true}
	if g.np++; g.np == goneBatch {
		g.flush()
	}
}

// flush puts the entries of pend in the table, in order.
func (g *goneIDs) flush() {
	if g.np == 0 {
		return
	}
	if g.slots == nil {
		g.slots, g.homes = make([]goneSlot, minGoneSlots), newHomes(minGoneSlots)
	}
	for i := range g.pend[:g.np] {
		g.put(&g.pend[i])
	}
	g.np = 0
}

// put makes x, a used slot, the entry of its hash in the table.
func (g *goneIDs) put(x *goneSlot) {
	s := &g.slots[g.find(x.h)]
	if !s.used {
		if 2*(g.n+1) > len(g.slots) {
			g.grow()
			s = &g.slots[g.find(x.h)]
		}
		g.n++
	}
	*s = *x
}

// find returns the index of the slot holding h, or of the empty slot
// where it would go.
func (g *goneIDs) find(h uint64) int {
	mask := len(g.slots) - 1
	i := g.home(h)
	for s := &g.slots[i]; s.used && s.h != h; s = &g.slots[i] {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles the table.
func (g *goneIDs) grow() {
	old := g.slots
	g.slots = make([]goneSlot, 2*len(old))
	g.shift--
	for _, s := range old {
		if s.used {
			g.slots[g.find(s.h)] = s
		}
	}
}

// len returns how many ids the table holds.
func (g *goneIDs) len() int {
	g.flush()
	return g.n
}

// clear forgets every id, keeping the storage.
func (g *goneIDs) clear() {
	g.np = 0
	if g.n > 0 {
		clear(g.slots)
		g.n = 0
	}
}
