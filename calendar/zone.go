package calendar

import "time"

// This file turns the nominal (wall-clock) arithmetic into real elapsed time. Between two
// offset changes the wall clock runs with real time, so the open time of [a, b) is the nominal
// open time from the wall clock at a to the wall clock at b, minus, for every offset change at
// an instant T in (a, b], the nominal open time from the wall clock just before T to the wall
// clock at T (signed: a skipped hour that was open is taken off, a repeated hour that was open
// is counted twice).

// Offset changes are taken from the Go time zone database for the instants in
// [zoneFrom, zoneTo); outside, the offset in force at the nearer end is kept.
var (
	zoneFrom = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	zoneTo   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// transition is one change of the zone's UTC offset.
type transition struct {
	at     int64 // Unix seconds of the first instant with the new offset
	before int64 // offset in seconds before at
	after  int64 // offset in seconds from at
}

// zone is the offset history of a calendar's location with the business-time corrections of
// each change.
type zone struct {
	base  int64        // offset before the first transition
	trans []transition // sorted by at
	corr  []int64      // corr[i]: sum over trans[:i] of the nominal open time of the jump
	cum   []int64      // cum[i]: real open time from trans[0].at to trans[i].at
	idx   blockIndex   // the instants of trans
}

// zoneShift sets the length of the blocks of zone.idx: 2^23 seconds (97 days), at most two
// offset changes of a zone with summer time, and 3 KB of table for two centuries of them.
const zoneShift = 23

// transitions lists the offset changes of loc in [zoneFrom, zoneTo).
func transitions(loc *time.Location) (int64, []transition) {
	t := zoneFrom.In(loc)
	_, off := t.Zone()
	base := int64(off)
	var out []transition
	cur := base
	for range 4096 { // far more than two centuries of changes
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(zoneTo) {
			break
		}
		if !end.After(t) {
			// Where the zone's table of changes ends and its rule for
			// later years begins, ZoneBounds may give an end that is not
			// after t (Go 1.26 in Europe/Berlin: 2040-12-31 00:00 UTC, for
			// every t up to the next year): go on from the next year,
			// finding a change before it by bisection.
			next := time.Date(t.UTC().Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
			if !next.Before(zoneTo) {
				break
			}
			if _, o := next.In(loc).Zone(); int64(o) != cur {
				at := firstOffset(loc, t.Unix(), next.Unix(), o)
				out = append(out, transition{at: at, before: cur, after: int64(o)})
				cur = int64(o)
			}
			t = next.In(loc)
			continue
		}
		_, o := end.Zone()
		if int64(o) != cur {
			out = append(out, transition{at: end.Unix(), before: cur, after: int64(o)})
			cur = int64(o)
		}
		t = end
	}
	return base, out
}

// firstOffset returns the first Unix second in (lo, hi] at which loc's
// offset is off, given that it is not off at lo and is at hi.
func firstOffset(loc *time.Location, lo, hi int64, off int) int64 {
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if _, o := time.Unix(mid, 0).In(loc).Zone(); o == off {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// index returns the number of transitions at or before Unix second sec, sec < MaxInt64 (the
// callers pass seconds within a few days of [Start, End]; without a test for MaxInt64 the
// lookup is inlined).
func (z *zone) index(sec int64) int { return z.idx.below(sec + 1) }

// indexTransitions indexes the instants of trans.
func (z *zone) indexTransitions() {
	ats := make([]int64, len(z.trans))
	for i := range z.trans {
		ats[i] = z.trans[i].at
	}
	z.idx = newBlockIndex(ats, zoneShift)
}

// offset returns the offset in force after i transitions.
func (z *zone) offset(i int) int64 {
	if i == 0 {
		return z.base
	}
	return z.trans[i-1].after
}

// wallBefore and wallAfter are the wall-clock positions just before and at transition i.
func (z *zone) wallBefore(i int) pos { return posFromSeconds(z.trans[i].at+z.trans[i].before, 0) }
func (z *zone) wallAfter(i int) pos  { return posFromSeconds(z.trans[i].at+z.trans[i].after, 0) }

// build computes the corrections of every transition against the nominal model.
func (z *zone) build(n *nominal) {
	z.indexTransitions()
	z.corr = make([]int64, len(z.trans)+1)
	z.cum = make([]int64, len(z.trans))
	for i := range z.trans {
		z.corr[i+1] = z.corr[i] + n.between(z.wallBefore(i), z.wallAfter(i))
		if i > 0 {
			z.cum[i] = satAdd(z.cum[i-1], n.between(z.wallAfter(i-1), z.wallBefore(i)))
		}
	}
}
