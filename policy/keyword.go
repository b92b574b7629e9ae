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
// matches too). Keywords are folded once; the text is folded as it is
// read, never copied, so matching does not allocate.

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
	var buf [utf8.UTFMax]byte
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
// A union of several lists (see newKeywordUnion) holds each keyword once,
// with the bits of the lists that have it.
type keywords struct {
	folded []string
	sorted []string
	// masks[i] has the bits of the lists that hold sorted[i]: 1 for a
	// plain list.
	masks []uint64
	// all has the bit of every list: a scan that found them all stops.
	all uint64
	// byFirst[b] is the index in sorted of the first keyword starting with
	// a byte >= b: those starting with b are sorted[byFirst[b]:byFirst[b+1]].
	byFirst [257]uint16
	// asciiStarts[c] says whether a keyword starts with the folded form
	// of the ASCII byte c (noStart, or pairStart when the keywords that do
	// have an ASCII second byte, listed in pairs; anyStart otherwise).
	asciiStarts [utf8.RuneSelf]uint8
	// pairs has the bit c0<<7|c1 set for the ASCII bytes c0 and c1 that
	// start a keyword.
	pairs [1 << 14 / 8]byte
	// short has the bit c0<<7|c1 of pairs set when a keyword is c0 and
	// c1 alone: the third byte of the text does not tell then.
	short [1 << 14 / 8]byte
	// triples has the bit tripleBit(c0<<7|c1, c2) set for the ASCII bytes
	// c0, c1 and c2 that start a keyword; a set bit may be another
	// triple's (it is hashed).
	triples [1 << tripleBits / 8]byte
	// dfa, for a union, scans a text of one part with a table (see
	// keywordDFA); nil: the union has too many states, or k is a plain
	// list.
	dfa *keywordDFA
}

// tripleBits is the size of the hash of three ASCII bytes in triples.
const tripleBits = 12

// tripleBit returns the bit in triples of the pair n (c0<<7|c1) followed
// by the ASCII byte c2.
func tripleBit(n int, c2 byte) uint32 {
	return (uint32(n)<<7 | uint32(c2)) * 0x9E3779B1 >> (32 - tripleBits)
}

const (
	noStart = iota
	pairStart
	anyStart
)

func newKeywords(words []string) *keywords {
	var folded []string
	for _, w := range words {
		if f := strings.TrimSpace(foldString(w)); f != "" && len(folded) < maxKeywords {
			folded = append(folded, f)
		}
	}
	masks := make([]uint64, len(folded))
	for i := range masks {
		masks[i] = 1
	}
	return buildKeywords(folded, masks, 1)
}

// newKeywordUnion returns the keywords of the lists, each list given the
// bit 1<<i by its index i (at most 64 lists), each keyword held once;
// nil when the union holds more than maxKeywords keywords.
func newKeywordUnion(lists []*keywords) *keywords {
	index := map[string]int{}
	var folded []string
	var masks []uint64
	var all uint64
	for i, l := range lists {
		all |= 1 << i
		for _, kw := range l.folded {
			j, ok := index[kw]
			if !ok {
				if len(folded) == maxKeywords {
					return nil
				}
				j = len(folded)
				index[kw] = j
				folded = append(folded, kw)
				masks = append(masks, 0)
			}
			masks[j] |= 1 << i
		}
	}
	k := buildKeywords(folded, masks, all)
	k.dfa = newKeywordDFA(k)
	return k
}

// buildKeywords indexes the folded keywords, masks[i] being the lists that
// hold folded[i].
func buildKeywords(folded []string, masks []uint64, all uint64) *keywords {
	k := &keywords{folded: folded, all: all}
	order := make([]int, len(folded))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(folded[a][0]) - int(folded[b][0]) })
	k.sorted = make([]string, len(folded))
	k.masks = make([]uint64, len(folded))
	for i, j := range order {
		k.sorted[i], k.masks[i] = folded[j], masks[j]
	}
	i := 0
	for b := range 257 {
		for i < len(k.sorted) && int(k.sorted[i][0]) < b {
			i++
		}
		k.byFirst[b] = uint16(i)
	}
	for _, kw := range k.sorted {
		c0 := kw[0]
		if c0 >= utf8.RuneSelf {
			continue
		}
		if len(kw) < 2 || kw[1] >= utf8.RuneSelf {
			k.asciiStarts[c0] = anyStart
			continue
		}
		if k.asciiStarts[c0] == noStart {
			k.asciiStarts[c0] = pairStart
		}
		n := int(c0)<<7 | int(kw[1])
		k.pairs[n/8] |= 1 << (n % 8)
		switch {
		case len(kw) < 3:
			k.short[n/8] |= 1 << (n % 8)
		case kw[2] < utf8.RuneSelf: // else it starts no text whose third byte is ASCII
			h := tripleBit(n, kw[2])
			k.triples[h/8] |= 1 << (h % 8)
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		k.asciiStarts[c] = k.asciiStarts[c+'a'-'A']
	}
	return k
}

// maxKeywords bounds a keyword list (byFirst holds 16-bit indices); the
// data limits of expressions keep lists far shorter.
const maxKeywords = 1<<16 - 1

func lowerASCII(c byte) byte { return asciiLower[c] }

// asciiLower[c] is the ASCII byte c in lower case; other bytes are left.
var asciiLower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// joinsWhole reports whether folding s and then what follows it folds their
// concatenation: s does not end in a partial UTF-8 sequence that the next
// bytes could complete.
func joinsWhole(s string) bool {
	r, size := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError || size != 1
}

// matchString reports whether the text contains one of the keywords as a
// whole word (or, for a keyword of several words, as a whole phrase),
// ignoring case and accents: whether the folded text has a keyword that
// starts after a non-word rune (or at the start) and is followed by a
// non-word rune or the end.
func (k *keywords) matchString(text string) bool {
	return k.matchParts([]string{text})
}

// matchParts is matchString on the concatenation of parts, each but the
// last ending with a whole rune or none (see joinsWhole), without building
// it.
func (k *keywords) matchParts(parts []string) bool { return k.scan(parts) != 0 }

// scan returns the bits of the lists that have a keyword in the
// concatenation of parts (see matchParts), stopping once it found every
// list. The text is folded on the fly, rune by rune, as it is read: where
// a word may start (at a rune whose folded form follows a non-word rune)
// and a keyword starts with the first byte of the folded form, the
// keywords of lists not found yet are compared there, reading on.
func (k *keywords) scan(parts []string) uint64 {
	if k.dfa != nil && len(parts) == 1 {
		return k.dfa.scan(k, parts[0])
	}
	return k.scanFrom(parts, 0, 0, false, 0)
}

// scanFrom is scan from byte i of parts[p] on, prevWord telling whether
// the rune before it is a word rune, the lists of found found already.
func (k *keywords) scanFrom(parts []string, p, i int, prevWord bool, found uint64) uint64 {
	for ; p < len(parts); p, i = p+1, 0 {
		s := parts[p]
		for {
			// The ASCII text up to where a keyword may start, in a loop
			// that calls nothing.
			if i, prevWord = k.skip(s, i, prevWord); i >= len(s) {
				break
			}
			if c := s[i]; c < utf8.RuneSelf { // a keyword may start here
				if found = k.matchAt(lowerASCII(c), parts, p, i, found); found == k.all {
					return found
				}
				prevWord = asciiWord[c]
				i++
				continue
			}
			if c := s[i]; 0xC3 <= c && c <= 0xC5 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				// A rune of U+00C0..U+017F: most are Latin letters with
				// diacritics, which fold to letters of their own.
				r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
				if f := latinFold[r-0xC0]; f != "" {
					if !prevWord {
						if found = k.matchAt(f[0], parts, p, i, found); found == k.all {
							return found
						}
					}
					prevWord = true
					i += 2
					continue
				}
			}
			var buf [utf8.UTFMax]byte
			r, n := utf8.DecodeRuneInString(s[i:])
			if f := foldRune(buf[:0], r); len(f) > 0 {
				if !prevWord {
					if found = k.matchAt(f[0], parts, p, i, found); found == k.all {
						return found
					}
				}
				r, _ := utf8.DecodeLastRune(f)
				prevWord = isWordRune(r)
			}
			i += n
		}
	}
	return found
}

// skip returns the first byte from i on in s that is not ASCII, or where
// a keyword may start (an ASCII byte at the start of the text or after a
// non-word rune, prevWord telling whether the rune before i is a word
// rune, whose first bytes start a keyword as far as they tell), or
// len(s); and whether the rune before it is a word rune.
func (k *keywords) skip(s string, i int, prevWord bool) (int, bool) {
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			return i, prevWord
		}
		if st := k.asciiStarts[c]; !prevWord && st != noStart {
			// The next two bytes may tell that no keyword starts here.
			if st != pairStart || i+1 >= len(s) || s[i+1] >= utf8.RuneSelf {
				return i, false
			}
			n := int(lowerASCII(c))<<7 | int(lowerASCII(s[i+1]))
			if k.pairs[n/8]&(1<<(n%8)) != 0 {
				if k.short[n/8]&(1<<(n%8)) != 0 || i+2 >= len(s) || s[i+2] >= utf8.RuneSelf {
					return i, false
				}
				if h := tripleBit(n, lowerASCII(s[i+2])); k.triples[h/8]&(1<<(h%8)) != 0 {
					return i, false
				}
			}
		}
		if !asciiWord[c] {
			prevWord = false
			i++
			continue
		}
		// The rest of the word, up to a byte that may end it, and the
		// spaces after it (no keyword starts with a space).
		prevWord = true
		for i++; i < len(s) && asciiWord[s[i]]; i++ {
		}
		if i < len(s) && s[i] == ' ' {
			for i++; i < len(s) && s[i] == ' '; i++ {
			}
			prevWord = false
		}
	}
	return i, prevWord
}

// matchAt returns found with the bits of the lists of the keywords
// starting with the byte b that are at byte i of parts[p], folded,
// followed by a non-word rune or the end; the keywords of lists in found
// are not compared.
func (k *keywords) matchAt(b byte, parts []string, p, i int, found uint64) uint64 {
	for j := int(k.byFirst[b]); j < int(k.byFirst[int(b)+1]); j++ {
		if k.masks[j]&^found != 0 && foldedAt(k.sorted[j], parts, p, i) {
			if found |= k.masks[j]; found == k.all {
				return found
			}
		}
	}
	return found
}

// foldedAt reports whether the folded text from byte i of parts[p] on
// starts with kw (folded, valid UTF-8) followed by a non-word rune or the
// end. Every rune folds to whole runes, so a keyword that ends inside the
// folded form of a rune ("s" against "ß", folded "ss") is followed by a
// letter of that form: it is not there as a whole word.
func foldedAt(kw string, parts []string, p, i int) bool {
	j := 0 // bytes of kw matched
	for ; p < len(parts); p, i = p+1, 0 {
		s := parts[p]
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				c = lowerASCII(c)
				if j == len(kw) {
					return !asciiWord[c]
				}
				if kw[j] != c {
					return false
				}
				j++
				i++
				continue
			}
			var buf [utf8.UTFMax]byte
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			f := foldRune(buf[:0], r)
			switch {
			case len(f) == 0: // a combining mark: dropped
			case j == len(kw):
				r, _ := utf8.DecodeRune(f)
				return !isWordRune(r)
			case len(kw)-j < len(f) || kw[j:j+len(f)] != string(f):
				return false
			default:
				j += len(f)
			}
		}
	}
	return j == len(kw)
}

// asciiWord[c] reports whether c is an ASCII byte that is a word rune.
var asciiWord = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// hasKeyword is has_keyword with a list prepared at each call.
func hasKeyword(text string, words []string) bool {
	if text == "" || len(words) == 0 {
		return false
	}
	return newKeywords(words).matchString(text)
}
