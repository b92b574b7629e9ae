package sla

import (
	"encoding/binary"
	"math/bits"
)

// This file holds the byte-level pieces of the events decoder: the scan
// of a string eight bytes at a time, and the small tables that find a key
// or a common value without a map.

// Flags of a scanned string.
const (
	strEscaped  = 1 << iota // holds a backslash escape
	strNonASCII             // holds a byte over 0x7f
)

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// stopBytes returns x with the high bit set in each byte that is '"',
// '\\' or below 0x20. The lowest set bit is exact: it marks the first such
// byte (bits above it may be set in error, by a borrow).
func stopBytes(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	s := x ^ (lo8 * '\\')
	return (((q - lo8) &^ q) | ((s - lo8) &^ s) | ((x - lo8*0x20) &^ x)) & hi8
}

// scanString reads a string at d.i (its opening quote) and returns its
// bytes between the quotes, escapes and all, with its flags. It reports
// false after a syntax error: a control character, or no closing quote.
func (d *eventDecoder) scanString() ([]byte, uint8, bool) {
	b := d.b
	start := d.i + 1
	i := start
	var high uint64 // the bytes read, or-ed: the high bit tells a byte over 0x7f
	var flags uint8
	for i < len(b) {
		if i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			m := stopBytes(x)
			if m == 0 {
				high |= x
				i += 8
				continue
			}
			k := uint(bits.TrailingZeros64(m)) >> 3
			high |= x & (1<<(8*k) - 1)
			i += int(k)
		} else if c := b[i]; c >= 0x20 && c != '"' && c != '\\' {
			high |= uint64(c)
			i++
			continue
		}
		switch c := b[i]; c {
		case '"':
			d.i = i + 1
			if high&hi8 != 0 {
				flags |= strNonASCII
			}
			return b[start:i], flags, true
		case '\\':
			flags |= strEscaped
			i += 2 // the escaped byte is checked when the string is decoded
		default:
			d.i = i
			return nil, 0, d.syntax("control character %#02x in a string (write it as \\u%04x)", c, c)
		}
	}
	d.i = len(b)
	return nil, 0, d.syntax("string not closed")
}

// wordTable finds a word among a few (at most half its slots), by a hash
// of the word's length and its first and last bytes, probing on.
type wordTable struct {
	slot  [128]uint8 // index+1 in words; 0 for none
	words []string
}

func newWordTable(words ...string) *wordTable {
	t := &wordTable{words: words}
	if len(words) > len(t.slot)/2 {
		panic("sla: too many words for a wordTable")
	}
	for i, w := range words {
		h := wordHash(w)
		for t.slot[h] != 0 {
			h = (h + 1) % uint32(len(t.slot))
		}
		t.slot[h] = uint8(i + 1)
	}
	return t
}

func wordHash[S ~string | ~[]byte](w S) uint32 {
	n := len(w)
	return (uint32(w[0])<<16 | uint32(w[n-1])<<8 | uint32(n)) * 0x9e3779b1 >> 25
}

// find returns the index of b in the words, or -1.
func (t *wordTable) find(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	for h := wordHash(b); ; h = (h + 1) % uint32(len(t.slot)) {
		s := t.slot[h]
		if s == 0 {
			return -1
		}
		if t.words[s-1] == string(b) {
			return int(s - 1)
		}
	}
}
