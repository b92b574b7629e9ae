package kpi

import (
	"math/bits"
	"math/rand/v2"
)

// trackIndex finds the track of a ticket by its short id: an
// open-addressing table with linear probing, at most half full, of 8-byte
// entries (a 32-bit hash of the id and the track's slot). A lookup reads
// one or two neighbouring entries where a map would read a group of
// controls and then a key. The hash of an id's two words is seeded with
// random words, so that no input can aim at long probe sequences; ids
// that share a hash are told apart by the id their track holds.
//
// The zero trackIndex is empty and ready to use.
type trackIndex struct {
	seed    [2]uint64    // zero until the first hash
	entries []trackEntry // a power of two long, or empty
	n       int          // entries in use
}

// trackEntry is one entry of a trackIndex: slot is the track's slot plus
// one, zero for an empty entry.
type trackEntry struct {
	hash, slot uint32
}

// minEntries is the size of a trackIndex's first table.
const minEntries = 64

// hash returns the hash of the id k. The seed is set once the table
// exists: an empty table finds nothing and hashes nothing.
func (x *trackIndex) hash(k *shortID) uint32 {
	hi, lo := bits.Mul64(k.lo^x.seed[0], k.hi^x.seed[1])
	h := uint32(hi ^ lo ^ (hi^lo)>>32)
	return h&hashBits ^ hashFlip
}

// hashBits and hashFlip let a test make ids collide: a hash keeps the
// bits of hashBits, then flips those of hashFlip.
var hashBits, hashFlip uint32 = ^uint32(0), 0

// find returns the slot of the track of the id k among tracks, or -1.
func (x *trackIndex) find(k *shortID, tracks []statusTrack) int32 {
	if len(x.entries) == 0 {
		return -1
	}
	h := x.hash(k)
	mask := uint32(len(x.entries) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := x.entries[i]
		if e.slot == 0 {
			return -1
		}
		if e.hash == h && tracks[e.slot-1].id == *k {
			return int32(e.slot - 1)
		}
	}
}

// insert adds slot, the slot of the id k.
func (x *trackIndex) insert(k *shortID, slot int32) {
	if 2*(x.n+1) > len(x.entries) {
		x.grow()
	}
	x.put(trackEntry{hash: x.hash(k), slot: uint32(slot) + 1})
	x.n++
}

// put places e in the first free entry of its probe sequence.
func (x *trackIndex) put(e trackEntry) {
	mask := uint32(len(x.entries) - 1)
	i := e.hash & mask
	for x.entries[i].slot != 0 {
		i = (i + 1) & mask
	}
	x.entries[i] = e
}

// grow doubles the table (and makes the first one, with the seed).
func (x *trackIndex) grow() {
	old := x.entries
	if len(old) == 0 {
		x.seed = [2]uint64{rand.Uint64(), rand.Uint64()}
	}
	x.entries = make([]trackEntry, max(2*len(old), minEntries))
	for _, e := range old {
		if e.slot != 0 {
			x.put(e)
		}
	}
}

// remove removes slot, the slot of the id k, shifting back the entries
// after it in its probe sequence that may take its place.
func (x *trackIndex) remove(k *shortID, slot int32) {
	mask := uint32(len(x.entries) - 1)
	i := x.hash(k) & mask
	for x.entries[i].slot != uint32(slot)+1 {
		i = (i + 1) & mask
	}
	for j := i; ; {
		j = (j + 1) & mask
		e := x.entries[j]
		if e.slot == 0 {
			break
		}
		// e may move back to i unless its home lies cyclically in (i, j].
		if home := e.hash & mask; (j-home)&mask >= (j-i)&mask {
			x.entries[i] = e
			i = j
		}
	}
	x.entries[i] = trackEntry{}
	x.n--
}
