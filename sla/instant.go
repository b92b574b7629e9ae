package sla

import (
	"math"
	"time"
)

// packed is an instant kept in 8 bytes instead of the 24 of a time.Time,
// against a base instant that its holder keeps anyway (a cycle's start, a
// ticket's creation): the whole seconds from the base's above 30 bits of
// nanoseconds, with the sign bit flipped so that the zero packed is the
// zero instant. It comes back in the base's location, without a monotonic
// clock reading. An instant in another location, or 272 years or more
// away from the base, cannot be packed: its holder keeps it whole and
// marks it farInstant.
//
// Only instants that are written once per event and read seldom are
// packed (a cycle's stop, a ticket's statistics): the instants compared on
// every event (starts, deadlines, the last event's) stay whole, for speed.
type packed int64

const (
	noInstant  packed = 0 // the zero instant
	farInstant packed = 1 // kept whole by the holder
	packFlip          = math.MinInt64
	nsecBits          = 30 // nanoseconds are below 1<<30
	// packSecs bounds the seconds from the base that are packed; the two
	// reserved values have -packSecs seconds.
	packSecs = 1 << (63 - nsecBits)
)

// pack returns t packed against base; false when it cannot be packed.
func pack(base, t time.Time) (packed, bool) {
	if t.IsZero() {
		return noInstant, true
	}
	if t.Location() != base.Location() {
		return 0, false
	}
	return packUnix(base.Unix(), t.Unix(), t.Nanosecond())
}

// packUnix is pack for an instant of Unix seconds ts and nanoseconds ns
// against a base of Unix seconds bs, in the same location; it inlines.
func packUnix(bs, ts int64, ns int) (packed, bool) {
	s := ts - bs
	// The difference overflowed when ts and bs differ in sign and s has
	// not ts's; otherwise s is packed when it lies in (-packSecs,
	// packSecs), which one unsigned comparison tests.
	if (ts^bs)&(ts^s) < 0 || uint64(s+(packSecs-1)) >= 2*packSecs-1 {
		return 0, false
	}
	return packed((s<<nsecBits | int64(ns)) ^ packFlip), true
}

// unpack returns the instant p packed against base; p is not farInstant.
func (p packed) unpack(base time.Time) time.Time {
	if p == noInstant {
		return time.Time{}
	}
	return time.Unix(p.unixAt(base.Unix())).In(base.Location())
}

// unixAt returns the Unix seconds and nanoseconds of p packed against a
// base of Unix seconds sec; p is neither noInstant nor farInstant. It
// inlines where unpackAt does not.
func (p packed) unixAt(sec int64) (int64, int64) {
	v := int64(p) ^ packFlip
	return sec + v>>nsecBits, v & (1<<nsecBits - 1)
}
