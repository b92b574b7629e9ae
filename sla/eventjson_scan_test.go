package sla

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStopBytes puts each byte value at each place of a word of 'a's,
// before a quote or not, and wants the first stop byte found.
func TestStopBytes(t *testing.T) {
	isStop := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	for c := range 256 {
		for at := range 8 {
			for _, quoteAt := range []int{-1, at + 1, 7} {
				w := []byte("aaaaaaaa")
				if quoteAt > at && quoteAt < 8 {
					w[quoteAt] = '"'
				}
				w[at] = byte(c)
				want := 8 // none
				for i, b := range w {
					if isStop(b) {
						want = i
						break
					}
				}
				got := bits.TrailingZeros64(stopBytes(binary.LittleEndian.Uint64(w))) >> 3
				require.Equal(t, want, got, "first stop byte of %q", w)
			}
		}
	}
}

func TestWordTable(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		not   []string
	}{
		{name: "event keys", words: eventKeys,
			not: []string{"", "Ticket", "tickets", "ticke", "a", "atx", "remove_tag", "remove_tagz", "remove_tags_", "message_ix", "customeR", "referrals"}},
		{name: "customer keys", words: customerKeys, not: []string{"ID", "i", "tiers", "languag", "phone "}},
		{name: "common values", words: commonValues.words, not: []string{"create", "createdd", "whatsap", "whatsappp", "window_rejecte", "on-hold", "Normal"}},
		{name: "long words sharing eight bytes", words: []string{"abcdefgh", "abcdefghi", "abcdefghij", "abcdefgh_1", "abcdefgh_2"},
			not: []string{"abcdefg", "abcdefgh_3", "abcdefghk", strings.Repeat("abcdefgh", 3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := newWordTable(tt.words...)
			for i, w := range tt.words {
				assert.Equal(t, i, table.find([]byte(w)), "find(%q)", w)
				// At the end of its array, where its prefix is read byte by byte.
				assert.Equal(t, i, table.find([]byte(w)[:len(w):len(w)]), "find(%q), no room after it", w)
				// With other bytes after it in its array.
				assert.Equal(t, i, table.find([]byte(w + "zzzzzzzz")[:len(w)]), "find(%q), bytes after it", w)
			}
			for _, w := range tt.not {
				assert.Equal(t, -1, table.find([]byte(w)), "find(%q)", w)
			}
		})
	}
}

// TestScanNearTheEnd scans strings that end, or are cut, in the last
// eight bytes of lines of every length up to 20, with each kind of byte
// at each place, and wants what a byte-by-byte scan finds.
func TestScanNearTheEnd(t *testing.T) {
	for size := 1; size <= 20; size++ {
		for start := 0; start < size; start++ {
			for at := start + 1; at <= size; at++ {
				for _, c := range []byte{'a', '"', '\\', 0x1f, 0xc3, ' '} {
					line := []byte(strings.Repeat("a", size))
					line[start] = '"'
					if at < size {
						line[at] = c
					}
					checkScan(t, line, start)
				}
			}
		}
	}
}

func checkScan(t *testing.T, line []byte, start int) {
	t.Helper()
	// A byte-by-byte scan.
	wantEnd, wantFlags, wantOK, wantAt := -1, uint8(0), false, len(line)
	for i := start + 1; i < len(line); i++ {
		c := line[i]
		if c == '"' {
			wantEnd, wantOK, wantAt = i, true, i+1
			break
		}
		if c == '\\' {
			wantFlags |= strEscaped
			i++
			continue
		}
		if c < 0x20 {
			wantAt = i
			break
		}
		if c >= 0x80 {
			wantFlags |= strNonASCII
		}
	}
	d := eventDecoder{b: line, i: start}
	raw, flags, ok := d.scanString()
	require.Equal(t, wantOK, ok, "scanString(%q) from %d", line, start)
	require.Equal(t, wantAt, d.i, "scanString(%q) from %d: where it stops", line, start)
	if ok {
		require.Equal(t, string(line[start+1:wantEnd]), string(raw), "scanString(%q) from %d", line, start)
		require.Equal(t, wantFlags&^strNonASCII, flags&^strNonASCII, "flags of scanString(%q) from %d", line, start)
		require.Equal(t, wantFlags&strNonASCII != 0, flags&strNonASCII != 0, "non-ASCII flag of scanString(%q) from %d", line, start)
	}
	// asciiEnd: the first byte that is not plain printable ASCII.
	end := start + 1
	for end < len(line) && line[end] >= 0x20 && line[end] < 0x80 && line[end] != '"' && line[end] != '\\' {
		end++
	}
	gotEnd, gotOK := asciiEnd(line, start+1)
	require.Equal(t, end, gotEnd, "asciiEnd(%q, %d)", line, start+1)
	require.Equal(t, end < len(line) && line[end] == '"', gotOK, "asciiEnd(%q, %d)", line, start+1)
}
