package word_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/internal/word"
)

// Both words are encoding/binary's little-endian reading of the first
// bytes, whatever follows them.
func TestWords(t *testing.T) {
	for _, s := range []string{"\x00\x00\x00\x00\x00\x00\x00\x00", "INC0001234", "ticket-ñ-😀", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7", "12345678"} {
		b := []byte(s)
		assert.Equal(t, binary.LittleEndian.Uint64(b), word.LE64(s), "LE64(%q)", s)
		assert.Equal(t, uint64(binary.LittleEndian.Uint32(b)), word.LE32(s), "LE32(%q)", s)
	}
}

func FuzzWords(f *testing.F) {
	f.Add("INC0001234")
	f.Add("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 8 {
			return
		}
		b := []byte(s)
		if got, want := word.LE64(s), binary.LittleEndian.Uint64(b); got != want {
			t.Fatalf("LE64(%q) = %#x, want %#x", s, got, want)
		}
		if got, want := word.LE32(s), uint64(binary.LittleEndian.Uint32(b)); got != want {
			t.Fatalf("LE32(%q) = %#x, want %#x", s, got, want)
		}
	})
}

func ExampleLE64() {
	fmt.Printf("%#x %#x\n", word.LE64("INC00012"), word.LE32("INC0"))
	// Output: 0x3231303030434e49 0x30434e49
}
