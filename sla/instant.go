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
// Only a ticket's statistics are packed; a cycle keeps its instants as
// [nanos].
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

// nanos is an instant in 8 bytes, as Unix nanoseconds, in a location its
// holder keeps once for several instants (a cycle's start, deadline and
// stop): the nanoseconds with the sign bit flipped, so that nanos compare
// as unsigned integers in the order of their instants and the zero nanos
// is the zero instant. An instant before 1678 or after 2262 is farNanos:
// its holder keeps it whole, as it keeps whole an instant in another
// location than its own.
type nanos uint64

const (
	noNanos   nanos = 0 // the zero instant
	farNanos  nanos = 1 // kept whole by the holder
	nanosFlip       = 1 << 63
	// minNanoSec and maxNanoSec bound the Unix seconds of an instant held
	// as nanos: their nanoseconds lie above farNanos's and fit an int64.
	minNanoSec = math.MinInt64 / 1_000_000_000   // -9223372036: its nanoseconds are above math.MinInt64+1
	maxNanoSec = math.MaxInt64/1_000_000_000 - 1 // 9223372035: any nanosecond of it fits
)

// toNanos returns t as nanos: noNanos for the zero instant, farNanos for
// an instant beyond Unix nanoseconds.
func toNanos(t time.Time) nanos {
	if t.IsZero() {
		return noNanos
	}
	return unixNanos(t.Unix(), t.Nanosecond())
}

// unixNanos is toNanos for an instant of Unix seconds sec and nanoseconds
// ns that is not the zero instant; it inlines.
func unixNanos(sec int64, ns int) nanos {
	if uint64(sec-minNanoSec) > maxNanoSec-minNanoSec {
		return farNanos
	}
	return nanos(sec*1e9+int64(ns)) ^ nanosFlip
}

// held reports whether n is an instant other than the zero one held in
// full (neither noNanos nor farNanos).
func (n nanos) held() bool { return n > farNanos }

// ns returns the Unix nanoseconds of n, which is held.
func (n nanos) ns() int64 { return int64(n ^ nanosFlip) }

// in returns n, which is held, in loc, which is not nil.
func (n nanos) in(loc *time.Location) time.Time { return time.Unix(0, n.ns()).In(loc) }

// unix returns the Unix seconds and nanoseconds of n, which is held.
func (n nanos) unix() (int64, int) {
	v := n.ns()
	s, r := v/1e9, v%1e9
	if r < 0 {
		s, r = s-1, r+1e9
	}
	return s, int(r)
}
