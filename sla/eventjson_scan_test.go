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
