package calendar

import (
	"sync/atomic"
	"time"
	"unsafe"
)

// This file holds the fast path of Between, Add and NextOpen: the open periods of a calendar
// as spans of real time, kept per block of about six days and built the first time a call
// needs the block. Business time is the integral of "open" over real time, so with the
// business time from a fixed origin to the start of every span, a sum is a difference of two
// lookups and an Add a scan of the spans ahead; no time zone, date or weekday arithmetic is
// left on the path. The blocks are built from the general arithmetic (calendar.go,
// nominal.go, zone.go), and the tables only ever hold what it computes, so the calendar stays
// immutable in behaviour; the blocks are published through atomic pointers, so concurrent
// callers may build one twice but never see half of one.

// A block is 2^19 s (6 days 1 h 38 min) of real time, cut in 239 slots of 2^41 ns (36 min 39 s)
// that say where a lookup starts its scan of the block's spans. The table holds the blocks
// by chunks of 64. An Add walks at most blockWalk blocks (six months) before it leaves the
// fast path; it takes the general path at once for a sum of more than fastWeeks regular weeks
// of open time, which the walk might not reach.
const (
	blockShift = 19
	blockSecs  = int64(1) << blockShift
	blockNanos = blockSecs * int64(time.Second)
	slotShift  = 41
	slotCount  = int(blockNanos>>slotShift) + 1
	slotScan   = 1 << 15 // in a slot's count: a span starts within the slot
	chunkShift = 6
	chunkLen   = 1 << chunkShift
	fastChunks = int((fastBlocks + chunkLen - 1) / chunkLen)
	blockWalk  = 32
	maxFastAdd = int64(blockWalk-1) * blockNanos
	fastWeeks  = 8
)

// The fast range: the whole blocks from zoneFrom (1900-01-01 UTC) up to zoneTo (2100-01-01
// UTC), as Unix seconds (TestSpanTableEdges checks them against the zone's). The business time
// from fastFrom to any instant in it is at most two centuries of nanoseconds, well within an
// int64, and so is that plus a sum the fast path accepts.
const (
	fastFrom   = -2208988800
	fastTo     = 4102444800
	fastBlocks = uint64(fastTo-fastFrom) >> blockShift
	fastLimit  = fastBlocks << blockShift // seconds after fastFrom
)

// openSpan is one open period within a block (or an empty one at its start): [from, to) in nanoseconds from the block's
// start, and the business time from fastFrom to from (cum) and to to (fin).
type openSpan struct {
	from, to, cum, fin int64
}

// spanBlock holds the open periods of one block, cut at its ends.
type spanBlock struct {
	base  int64             // business time from fastFrom to the block's start
	end   int64             // business time from fastFrom to the block's end
	slot  [slotCount]uint16 // slot[j]: the number of spans with from <= j<<slotShift, | slotScan
	spans []openSpan        // sorted; adjacent periods are merged; spans[0] starts at 0
}

// spanTable is a calendar's table of blocks over the fast range.
type spanTable struct {
	maxNeed int64 // the largest sum an Add takes through the table
	// used counts the bytes of the blocks and chunks built; once it reaches
	// maxTableBytes, no block is built any more and the sums that would
	// need one take the general path.
	used   atomic.Int64
	chunks [fastChunks]atomic.Pointer[[chunkLen]atomic.Pointer[spanBlock]]
	// days keeps recent answers of the count of business days (see Calendar.addDays), one
	// per slot of the count's two low bits: a business-day target asks the same count from
	// the same date for every cycle started that day.
	days [4]atomic.Uint64
}

// A days entry packs a count's date (32 bits, as an int32), the days from it to the answer
// (16 bits) and the count n (16 bits, 0 in an empty entry, never a count asked).
const (
	daysDeltaShift = 16
	daysDayShift   = 32
	daysField      = 1<<16 - 1
)

// addDays returns c.nom.addDays(day, n) for 0 < n, the date n business days after the date
// day, from the memo of the span table when it holds the answer, and keeps the answer there.
// Counts, dates or answers that do not fit an entry are not kept.
func (c *Calendar) addDays(day, n int64) int64 {
	if n < 1 || n > daysField || day != int64(int32(day)) {
		return c.nom.addDays(day, n)
	}
	slot := &c.spans.days[n&3]
	key := uint64(uint32(int32(day)))<<daysDayShift | uint64(n)
	if v := slot.Load(); v&^(daysField<<daysDeltaShift) == key {
		return day + int64(v>>daysDeltaShift&daysField)
	}
	d := c.nom.addDays(day, n)
	if delta := d - day; delta >= 0 && delta <= daysField {
		slot.Store(key | uint64(delta)<<daysDeltaShift)
	}
	return d
}

// maxTableBytes bounds the memory of a calendar's span table. A calendar of
// office hours spends under 1 KB per block, about 1 KB with a lunch break
// (some fifty years of blocks fit),
// but the instants of the sums come from the input, and a calendar may have
// hundreds of windows a day: without a bound, a history spread over two
// centuries could make every block of every calendar, gigabytes for dense
// calendars. Goroutines building blocks at once may pass the bound by one
// block each.
const maxTableBytes = 2 << 20

// newSpanTable returns an empty table for the calendar of nominal model n.
func newSpanTable(n *nominal) *spanTable {
	return &spanTable{maxNeed: min(maxFastAdd, satMul(fastWeeks, n.open.total))}
}

// built returns block k < fastBlocks if a caller has built it, else nil.
func (t *spanTable) built(k uint64) *spanBlock {
	if ch := t.chunks[k>>chunkShift].Load(); ch != nil {
		return ch[k&(chunkLen-1)].Load()
	}
	return nil
}

// buildBlock builds and publishes block k, for a caller that found it not built; nil when
// the table has used its memory (see maxTableBytes): the caller then takes the general path.
func (c *Calendar) buildBlock(k uint64) *spanBlock {
	t := c.spans
	if t.used.Load() >= maxTableBytes {
		return nil
	}
	slot := &t.chunks[k>>chunkShift]
	ch := slot.Load()
	if ch == nil {
		if slot.CompareAndSwap(nil, new([chunkLen]atomic.Pointer[spanBlock])) {
			t.used.Add(int64(unsafe.Sizeof([chunkLen]atomic.Pointer[spanBlock]{})))
		}
		ch = slot.Load()
	}
	b := c.newBlock(k)
	t.used.Add(int64(unsafe.Sizeof(*b)) + int64(cap(b.spans))*int64(unsafe.Sizeof(openSpan{})))
	ch[k&(chunkLen-1)].Store(b)
	return b
}

// newBlock computes block k from the general arithmetic. A block touches at most eight local
// dates of at most 720 windows each (disjoint ranges of whole minutes), so its spans can be
// counted in the 15 low bits of a uint16.
func (c *Calendar) newBlock(k uint64) *spanBlock {
	b0 := fastFrom + int64(k)<<blockShift
	b1 := b0 + blockSecs
	// spans[0] starts at the block's start: an empty span unless a period starts there,
	// which then extends it; a lookup so always finds a span at or before its instant.
	b := &spanBlock{base: c.betweenSlow(fastFrom, 0, b0, 0), spans: make([]openSpan, 1, 4)}
	z := &c.zone
	_, i := c.wallAt(b0, 0)
	for s0 := b0; s0 < b1; i++ {
		// A piece [s0, s1) of the block under one offset.
		s1 := b1
		if i < len(z.trans) && z.trans[i].at < b1 {
			s1 = z.trans[i].at
		}
		off := z.offset(i)
		lo, hi := (s0-b0)*int64(time.Second), (s1-b0)*int64(time.Second)
		for day := floorDiv(s0+off, daySecs); day <= floorDiv(s1-1+off, daySecs); day++ {
			midnight := (day*daySecs - off - b0) * int64(time.Second) // of the local date, from b0
			for _, w := range c.nom.windows(day) {
				from, to := max(midnight+w.open, lo), min(midnight+w.close, hi)
				if to <= from {
					continue
				}
				if n := len(b.spans); n > 0 && b.spans[n-1].to == from {
					b.spans[n-1].to = to
					continue
				}
				b.spans = append(b.spans, openSpan{from: from, to: to})
			}
		}
		s0 = s1
	}
	cum := b.base
	for j := range b.spans {
		s := &b.spans[j]
		s.cum = cum
		cum += s.to - s.from
		s.fin = cum
	}
	b.end = cum
	n := 0
	for j := range b.slot {
		for n < len(b.spans) && b.spans[n].from <= int64(j)<<slotShift {
			n++
		}
		b.slot[j] = uint16(n)
		if n < len(b.spans) && b.spans[n].from < int64(j+1)<<slotShift {
			b.slot[j] |= slotScan // a span starts within the slot
		}
	}
	return b
}

// fastAt returns the block of the instant of Unix seconds sec and nanoseconds ns (0 <= ns <
// 1e9), its index and the instant's nanoseconds from the block's start; false when the
// instant lies outside the fast range.
func (c *Calendar) fastAt(sec, ns int64) (*spanBlock, uint64, int64, bool) {
	x := uint64(sec - fastFrom)
	if x >= fastLimit {
		return nil, 0, 0, false
	}
	k := x >> blockShift
	b := c.spans.built(k)
	if b == nil {
		if b = c.buildBlock(k); b == nil {
			return nil, 0, 0, false
		}
	}
	return b, k, relOf(x, ns), true
}

// relOf returns the nanoseconds from the start of its block of the instant x seconds after
// fastFrom and ns nanoseconds.
func relOf(x uint64, ns int64) int64 { return int64(x&uint64(blockSecs-1))*int64(time.Second) + ns }

// unixIn returns the Unix seconds and nanoseconds of the instant at >= 0 nanoseconds after the
// start of block k (unsigned division by constants).
func unixIn(k uint64, at int64) (int64, int64) {
	return fastFrom + int64(k)<<blockShift + int64(uint64(at)/uint64(time.Second)), int64(uint64(at) % uint64(time.Second))
}

// at returns the business time from fastFrom to the instant rel nanoseconds after the
// block's start, and the number of spans that start at or before it (at least one: the
// block's first span starts at 0).
func (b *spanBlock) at(rel int64) (int64, int) {
	n := b.find(rel)
	s := &b.spans[n-1]
	return s.cum + min(rel, s.to) - s.from, n
}

// find returns the number of spans that start at or before rel, at least one.
func (b *spanBlock) find(rel int64) int {
	v := b.slot[rel>>slotShift]
	n := int(v &^ slotScan)
	if v&slotScan != 0 {
		for n < len(b.spans) && b.spans[n].from <= rel {
			n++
		}
	}
	return n
}

// fastBetween is betweenUnix by the span table; false when either instant is outside it.
func (c *Calendar) fastBetween(sa, na, sb, nb int64) (int64, bool) {
	ba, _, ra, ok := c.fastAt(sa, na)
	if !ok {
		return 0, false
	}
	bb, _, rb, ok := c.fastAt(sb, nb)
	if !ok {
		return 0, false
	}
	fa, _ := ba.at(ra)
	fb, _ := bb.at(rb)
	return fb - fa, true
}

// fastAdd is addUnix by the span table, for 0 < need; false when the instant or the result
// is outside it, or the result lies more than blockWalk blocks ahead.
func (c *Calendar) fastAdd(sec, ns, need int64) (int64, int64, bool) {
	if need > c.spans.maxNeed {
		return 0, 0, false
	}
	b, k, rel, ok := c.fastAt(sec, ns)
	if !ok {
		return 0, 0, false
	}
	f, n := b.at(rel)
	return c.ahead(b, k, n-1, f+need)
}

// ahead returns the Unix seconds and nanoseconds of the earliest instant at which the
// business time from fastFrom reaches target, searching from span j of block b of index k
// (the spans before it end below target); false when it lies more than blockWalk blocks on
// or past the fast range.
func (c *Calendar) ahead(b *spanBlock, k uint64, j int, target int64) (int64, int64, bool) {
	for range blockWalk {
		if target <= b.end {
			for ; j < len(b.spans); j++ {
				if s := &b.spans[j]; s.fin >= target {
					sec, ns := unixIn(k, s.from+target-s.cum)
					return sec, ns, true
				}
			}
		}
		if k++; k >= fastBlocks {
			return 0, 0, false
		}
		if b, j = c.spans.built(k), 0; b == nil {
			if b = c.buildBlock(k); b == nil {
				return 0, 0, false
			}
		}
	}
	return 0, 0, false
}
