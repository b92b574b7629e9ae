package sla

import "time"

// This file packs instants: a time.Time takes 24 B, and an open ticket
// holds a few dozen. A packed instant takes 12 B (seconds and
// nanoseconds) plus the index of one of two locations shared by the
// instants of its holder, and only when it gives back the very same
// time.Time, location included; the holder keeps any other instant whole.

// unixToYear1 is the number of seconds from the year 1 to 1970.
const unixToYear1 = 62135596800

// packInstant returns t as seconds since the year 1 and nanoseconds, and
// the index in locs of its location, adding the location to locs when
// there is room; ok is false when that would not give back t exactly (t
// is then to be kept whole; s and n are zero). The zero time.Time packs
// as 0, 0.
func packInstant(locs *[2]*time.Location, t time.Time) (s int64, n int32, k uint8, ok bool) {
	if t == (time.Time{}) {
		return 0, 0, 0, true
	}
	l := t.Location()
	switch {
	case locs[0] == l:
	case locs[1] == l:
		k = 1
	case locs[0] == nil:
		locs[0] = l
	case locs[1] == nil:
		locs[1], k = l, 1
	default:
		return 0, 0, 0, false
	}
	s, n = t.Unix()+unixToYear1, int32(t.Nanosecond())
	if (s == 0 && n == 0) || time.Unix(s-unixToYear1, int64(n)).In(l) != t {
		return 0, 0, 0, false
	}
	return s, n, k, true
}

// unpackInstant is the inverse of packInstant, l the location at the
// index it returned.
func unpackInstant(s int64, n int32, l *time.Location) time.Time {
	if s == 0 && n == 0 {
		return time.Time{}
	}
	return time.Unix(s-unixToYear1, int64(n)).In(l)
}

// The instants of a State.
const (
	tFirstReply   = iota // Stats.FirstReplyAt
	tLastCustomer        // Stats.LastCustomerAt
	tSolved              // Stats.SolvedAt
	tClosed              // Stats.ClosedAt
	tWaiting             // Stats.WaitingSince
	tLast                // the instant of the last applied event (or firing)
	tFire                // the next escalation firing (see State.fireKnown)
	nStateInstants
)

// stateInstants holds the instants of a State, packed (see packInstant).
type stateInstants struct {
	sec   [nStateInstants]int64
	loc   [2]*time.Location
	whole *[nStateInstants]time.Time // the instants kept whole; nil until one is
	nsec  [nStateInstants]int32
	wbits uint8 // bit i: instant i is in whole
	alt   uint8 // bit i: instant i is in loc[1] (else loc[0])
}

// get returns instant i.
func (p *stateInstants) get(i int) time.Time {
	if p.wbits&(1<<i) != 0 {
		return p.whole[i]
	}
	return unpackInstant(p.sec[i], p.nsec[i], p.loc[p.alt>>i&1])
}

// zero reports whether instant i is the zero time.Time, without building it.
func (p *stateInstants) zero(i int) bool {
	if p.wbits&(1<<i) != 0 {
		return p.whole[i].IsZero()
	}
	return p.sec[i] == 0 && p.nsec[i] == 0
}

// set sets instant i to t.
func (p *stateInstants) set(i int, t time.Time) {
	p.wbits &^= 1 << i
	p.alt &^= 1 << i
	s, n, k, ok := packInstant(&p.loc, t)
	p.sec[i], p.nsec[i] = s, n
	if ok {
		p.alt |= k << i
		return
	}
	if p.whole == nil {
		p.whole = new([nStateInstants]time.Time)
	}
	p.whole[i] = t
	p.wbits |= 1 << i
}

// clone gives p its own copy of the instants kept whole.
func (p *stateInstants) clone() {
	if p.whole != nil {
		w := *p.whole
		p.whole = &w
	}
}
