package policy

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keyword matching for has_keyword: whole words, case- and
// accent-insensitive. Text and keywords are folded rune by rune: lower
// case, Latin letters with diacritics to their base letters ("ç" -> "c",
// "ā" -> "a", "ß" -> "ss"), combining marks dropped (so decomposed text
// matches too). Matching walks the text without allocating.

// latinFold maps U+00C0..U+017F to the folded, lower-case base letters.
// An empty entry means "not a letter with a diacritic": use unicode.ToLower.
var latinFold = func() [0x180 - 0xC0]string {
	var t [0x180 - 0xC0]string
	set := func(base string, runes string) {
		for _, r := range runes {
			t[r-0xC0] = base
		}
	}
	set("a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą")
	set("ae", "Ææ")
	set("c", "ÇçĆćĈĉĊċČč")
	set("d", "ĎďĐđÐð")
	set("e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě")
	set("g", "ĜĝĞğĠġĢģ")
	set("h", "ĤĥĦħ")
	set("i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı")
	set("ij", "Ĳĳ")
	set("j", "Ĵĵ")
	set("k", "Ķķĸ")
	set("l", "ĹĺĻļĽľĿŀŁł")
	set("n", "ÑñŃńŅņŇňŉŊŋ")
	set("o", "ÒÓÔÕÖØòóôõöøŌōŎŏŐő")
	set("oe", "Œœ")
	set("r", "ŔŕŖŗŘř")
	set("s", "ŚśŜŝŞşŠšſ")
	set("ss", "ß")
	set("t", "ŢţŤťŦŧ")
	set("th", "Þþ")
	set("u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų")
	set("w", "Ŵŵ")
	set("y", "ÝýÿŶŷŸ")
	set("z", "ŹźŻżŽž")
	return t
}()

// foldRune appends the folded form of r to buf (which has room for 4
// bytes) and returns it; combining marks fold to nothing.
func foldRune(buf []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(buf, byte(r))
	case r >= 0xC0 && r < 0x180 && latinFold[r-0xC0] != "":
		return append(buf, latinFold[r-0xC0]...)
	case unicode.Is(unicode.Mn, r):
		return buf
	}
	return utf8.AppendRune(buf, unicode.ToLower(r))
}

// foldString returns the folded form of s.
func foldString(s string) string {
	var b strings.Builder
	var buf [8]byte
	for _, r := range s {
		b.Write(foldRune(buf[:0], r))
	}
	return b.String()
}

// isWordRune reports whether r belongs to a word: letters, digits and
// combining marks.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// keywords is a compiled keyword list: folded, non-empty, in the order
// written, and the same sorted by their first byte, found through byFirst.
type keywords struct {
	folded []string
	sorted []string
	// byFirst[b] is the index in sorted of the first keyword starting with
	// a byte >= b: those starting with b are sorted[byFirst[b]:byFirst[b+1]].
	byFirst [257]uint16
}

func newKeywords(words []string) *keywords {
	k := &keywords{}
	for _, w := range words {
		if f := strings.TrimSpace(foldString(w)); f != "" && len(k.folded) < maxKeywords {
			k.folded = append(k.folded, f)
		}
	}
	k.sorted = slices.Clone(k.folded)
	slices.SortStableFunc(k.sorted, func(a, b string) int { return int(a[0]) - int(b[0]) })
	i := 0
	for b := range 257 {
		for i < len(k.sorted) && int(k.sorted[i][0]) < b {
			i++
		}
		k.byFirst[b] = uint16(i)
	}
	return k
}

// maxKeywords bounds a keyword list (byFirst holds 16-bit indices); the
// data limits of expressions keep lists far shorter.
const maxKeywords = 1<<16 - 1

// foldCache holds the folded form of the last text folded, the text given
// as up to maxFoldParts parts to be read one after the other (so that a
// concatenation such as ticket.subject + " " + event.text is folded without
// being built). Each expression environment has one, so that the keyword
// rules of one event fold its text once; it is used by one goroutine at a
// time.
type foldCache struct {
	key    [maxFoldParts]string
	n      int
	folded []byte
	last   int // where the folded form of the last part starts in folded
	valid  bool
}

// maxFoldParts is the most parts a folded text is given in.
const maxFoldParts = 4

// fold returns the folded form of text, valid until the next call.
func (c *foldCache) fold(text string) []byte {
	return c.foldParts([]string{text})
}

// foldParts returns the folded form of the concatenation of parts (at most
// maxFoldParts, each but the last ending with a whole rune or none, see
// joinsWhole), valid until the next call.
func (c *foldCache) foldParts(parts []string) []byte {
	if c.valid {
		if c.n == len(parts) && slices.Equal(c.key[:c.n], parts) {
			return c.folded
		}
		// A text folded last as the end of a concatenation (event.text
		// after ticket.subject + " " + event.text) ends the folded form:
		// the parts before it end with whole runes.
		if len(parts) == 1 && c.n > 1 && c.key[c.n-1] == parts[0] {
			return c.folded[c.last:]
		}
	}
	c.folded = c.folded[:0]
	for i, p := range parts {
		if i == len(parts)-1 {
			c.last = len(c.folded)
		}
		c.folded = foldAppend(c.folded, p)
	}
	c.n, c.valid = copy(c.key[:], parts), true
	return c.folded
}

// joinsWhole reports whether folding s and then what follows it folds their
// concatenation: s does not end in a partial UTF-8 sequence that the next
// bytes could complete.
func joinsWhole(s string) bool {
	r, size := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError || size != 1
}

// reset forgets the text (and a buffer grown for a very long one).
func (c *foldCache) reset() {
	c.key, c.n, c.valid = [maxFoldParts]string{}, 0, false
	if cap(c.folded) > 64<<10 {
		c.folded = nil
	}
}

// foldAppend appends the folded form of s to dst. Folding keeps word
// boundaries: word runes fold to word runes, others to themselves.
func foldAppend(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			// A run of ASCII is appended at once, then lowered in place.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			n := len(dst)
			dst = append(dst, s[i:j]...)
			for k, c := range dst[n:] {
				if 'A' <= c && c <= 'Z' {
					dst[n+k] = c + ('a' - 'A')
				}
			}
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = foldRune(dst, r)
		i += n
	}
	return dst
}

// match reports whether the folded text contains one of the keywords as a
// whole word (or, for a keyword of several words, as a whole phrase). It
// walks the text once: where a word may start (at a rune after a non-word
// rune) and a keyword starts with that byte, it compares the keywords
// there. Folded text is valid UTF-8, so a keyword, which starts a rune,
// can only match at a rune's start.
func (k *keywords) match(folded []byte) bool {
	prevWord := false
	for i := 0; i < len(folded); {
		c := folded[i]
		if !prevWord {
			for _, kw := range k.sorted[k.byFirst[c]:k.byFirst[int(c)+1]] {
				if len(kw) <= len(folded)-i && string(folded[i:i+len(kw)]) == kw &&
					boundaryAfter(folded, i+len(kw)) {
					return true
				}
			}
		}
		if c < utf8.RuneSelf {
			prevWord = asciiWord[c]
			i++
			continue
		}
		r, n := utf8.DecodeRune(folded[i:])
		prevWord = isWordRune(r)
		i += n
	}
	return false
}

// asciiWord[c] reports whether the ASCII byte c is a word rune.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

func boundaryAfter(b []byte, i int) bool {
	if i >= len(b) {
		return true
	}
	r, _ := utf8.DecodeRune(b[i:])
	return !isWordRune(r)
}

// hasKeyword is has_keyword without a cache.
func hasKeyword(text string, words []string) bool {
	if text == "" || len(words) == 0 {
		return false
	}
	var c foldCache
	return newKeywords(words).match(c.fold(text))
}
