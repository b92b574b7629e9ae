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
		var x, m uint64
		if i+8 <= len(b) {
			x = binary.LittleEndian.Uint64(b[i:])
			if m = stopBytes(x); m == 0 {
				high |= x
				i += 8
				continue
			}
		} else {
			var n int
			x, n = loadTail(b, i)
			if m = stopBytes(x) & lowBytes(n); m == 0 {
				break // no closing quote
			}
		}
		k := uint(bits.TrailingZeros64(m)) >> 3
		high |= x & lowBytes(int(k))
		i += int(k)
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

// loadTail returns the last bytes of b from i, fewer than eight, as a
// little-endian number (zero after the end of b), and how many they are.
// It reads the last eight bytes of b at once when b has eight, and shifts
// out those before i.
func loadTail(b []byte, i int) (x uint64, n int) {
	n = len(b) - i
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b[len(b)-8:]) >> ((64 - 8*uint(n)) & 63), n
	}
	for j, c := range b[i:] {
		x |= uint64(c) << (8 * uint(j) & 63)
	}
	return x, n
}

// lowBytes returns the mask of the n low bytes of a word (n < 8).
func lowBytes(n int) uint64 {
	return 1<<((8*uint(n))&63) - 1
}

// wordTable finds a word among a few (at most half its slots) by its
// first eight bytes, read as one number, and its length; a longer word's
// other bytes are compared apart. Its hash is chosen when it is made so
// that words of different first bytes or lengths never share a slot:
// a word is found, or found absent, at the first slot it looks at (words
// alike but for their bytes after the eighth lie in the slots after it).
type wordTable struct {
	slot  [128]wordSlot
	mul   uint64 // of the hash
	words []string
}

type wordSlot struct {
	prefix uint64 // the first eight bytes, zero after the end
	n      int    // the word's length; 0 for an empty slot
	word   int    // index in words; -1 for an empty slot
}

func newWordTable(words ...string) *wordTable {
	t := &wordTable{words: words}
	if len(words) > len(t.slot)/2 {
		panic("sla: too many words for a wordTable")
	}
	for _, w := range words {
		if w == "" {
			panic("sla: an empty word in a wordTable")
		}
	}
	seed := uint64(0x9e3779b97f4a7c15)
	for range 1 << 16 {
		seed = seed*6364136223846793005 + 1442695040888963407
		if t.place(seed | 1) {
			return t
		}
	}
	panic("sla: no hash found for a wordTable")
}

// place places the words with the hash of mul, and reports whether no
// two words of different prefixes or lengths share a slot.
func (t *wordTable) place(mul uint64) bool {
	t.mul = mul
	for h := range t.slot {
		t.slot[h] = wordSlot{word: -1}
	}
	for i, w := range t.words {
		p := prefixWord([]byte(w))
		h := t.hash(p, len(w))
		for t.slot[h].word >= 0 && t.slot[h].prefix == p && t.slot[h].n == len(w) {
			h = (h + 1) % uint32(len(t.slot))
		}
		if t.slot[h].word >= 0 {
			return false
		}
		t.slot[h] = wordSlot{prefix: p, n: len(w), word: i}
	}
	return true
}

func (t *wordTable) hash(prefix uint64, n int) uint32 {
	return uint32((prefix ^ uint64(n)) * t.mul >> 57) // 7 bits: len(t.slot)
}

// prefixWord returns the first eight bytes of b as a little-endian
// number, zero after the end of b.
func prefixWord(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b)
	}
	if cap(b) >= 8 { // read past the end, within the array, and mask
		return binary.LittleEndian.Uint64(b[:8]) & (1<<(8*len(b)) - 1)
	}
	var p uint64
	for i, c := range b {
		p |= uint64(c) << (8 * i)
	}
	return p
}

// find returns the index of b in the words, or -1.
func (t *wordTable) find(b []byte) int {
	return t.findPrefix(b, prefixWord(b))
}

// findPrefix is find with b's prefixWord.
func (t *wordTable) findPrefix(b []byte, prefix uint64) int {
	for h := t.hash(prefix, len(b)); ; h = (h + 1) % uint32(len(t.slot)) {
		s := &t.slot[h]
		if s.prefix != prefix || s.n != len(b) {
			return -1
		}
		if len(b) <= 8 || t.words[s.word][8:] == string(b[8:]) {
			return s.word // -1 for b empty, at an empty slot
		}
	}
}

// The head of most events, read at once by eventDecoder.head. Each is
// compared where it is written as a constant, which costs a load or two:
// through a function taking it as an argument, the compiler would call
// memequal for more than eight bytes.
const (
	headTicket = `"ticket":"`
	headAt     = `","at":"`
	headType   = `","type":"`
)

var typeKey = []byte("type")

// head reads the first members of an event at d.i (after the '{') when
// they are `"ticket":"…","at":"…","type":"…"`, with no white space, the
// strings plain ASCII and the instant valid and 20 or 25 bytes long, and
// reports whether it did; otherwise it reads and sets nothing, and the
// members are read one by one.
func (d *eventDecoder) head(ev *Event) bool {
	b, i := d.b, d.i
	if len(b)-i < len(headTicket) || string(b[i:i+len(headTicket)]) != headTicket {
		return false
	}
	i += len(headTicket)
	idEnd, ok := asciiEnd(b, i)
	if !ok || len(b)-idEnd < len(headAt) || string(b[idEnd:idEnd+len(headAt)]) != headAt {
		return false
	}
	id := b[i:idEnd]
	i = idEnd + len(headAt)
	// The instant is 20 or 25 bytes long (2006-01-02T15:04:05Z or
	// 2006-01-02T15:04:05-07:00), and a valid one is plain ASCII.
	atEnd := i + len("2006-01-02T15:04:05Z")
	if atEnd >= len(b) || b[atEnd] != '"' {
		atEnd = i + len("2006-01-02T15:04:05-07:00")
	}
	if len(b)-atEnd < len(headType) || string(b[atEnd:atEnd+len(headType)]) != headType { // a '"' at atEnd, then the rest
		return false
	}
	at, err := d.instants.parse(b[i:atEnd])
	if err != nil {
		return false
	}
	i = atEnd + len(headType)
	if k, end := shortCommon(b, i); k >= 0 {
		d.i = end + 1
		ev.At = at
		d.ticket = id
		ev.Type = EventType(commonValues.words[k])
		return true
	}
	typeEnd, ok := asciiEnd(b, i)
	if !ok {
		return false
	}
	typ := b[i:typeEnd]
	d.i = typeEnd + 1
	ev.At = at
	d.ticket = id
	if k := commonValues.find(typ); k >= 0 {
		ev.Type = EventType(commonValues.words[k])
	} else {
		d.set(ev, fieldType, typ, 0)
	}
	return true
}

// shortCommon finds a common value in a string whose bytes start at i in
// b: when they are plain ASCII, at most eight bytes, and one of
// commonValues, it returns the value's index and the offset of the
// closing quote; otherwise -1. It reads them as one number, for a key in
// commonValues, without a scan of the string.
func shortCommon(b []byte, i int) (int, int) {
	if len(b)-i < 8 {
		return -1, 0
	}
	x := binary.LittleEndian.Uint64(b[i:])
	n := bits.TrailingZeros64(stopBytes(x)|x&hi8) >> 3 // 8 when the eight bytes are plain
	end := i + n
	if end >= len(b) || b[end] != '"' {
		return -1, 0
	}
	if n < 8 {
		x &= lowBytes(n)
	}
	return commonValues.findPrefix(b[i:end], x), end
}

// asciiEnd returns the end of a string's bytes from i (its closing quote)
// and true when they are printable ASCII and unescaped; otherwise false.
func asciiEnd(b []byte, i int) (int, bool) {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if m := stopBytes(x) | x&hi8; m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			return j, b[j] == '"'
		}
	}
	if i < len(b) {
		x, n := loadTail(b, i)
		if m := (stopBytes(x) | x&hi8) & lowBytes(n); m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			return j, b[j] == '"'
		}
	}
	return len(b), false
}
