package policy

import (
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
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// keywords is a compiled keyword list: folded, non-empty, as written.
type keywords struct {
	folded []string
}

func newKeywords(words []string) *keywords {
	k := &keywords{}
	for _, w := range words {
		if f := strings.TrimSpace(foldString(w)); f != "" {
			k.folded = append(k.folded, f)
		}
	}
	return k
}

// match reports whether text contains one of the keywords as a whole word
// (or, for a keyword of several words, as a whole phrase).
func (k *keywords) match(text string) bool {
	if len(k.folded) == 0 || text == "" {
		return false
	}
	prevWord := false
	for i, r := range text {
		w := isWordRune(r)
		if w && !prevWord {
			for _, kw := range k.folded {
				if matchAt(text[i:], kw) {
					return true
				}
			}
		}
		prevWord = w
	}
	return false
}

// matchAt reports whether the folded form of a prefix of text equals kw
// and the prefix ends at a word boundary.
func matchAt(text, kw string) bool {
	var buf [8]byte
	j := 0
	for _, r := range text {
		if j == len(kw) {
			// The keyword is consumed: the next rune must not continue a word
			// (combining marks of the last letter fold to nothing, skip them).
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			return !isWordRune(r)
		}
		f := foldRune(buf[:0], r)
		if len(f) > len(kw)-j || string(f) != kw[j:j+len(f)] {
			return false
		}
		j += len(f)
	}
	return j == len(kw)
}

// hasKeyword is has_keyword with a keyword list known only at run time.
func hasKeyword(text string, words []string) bool {
	if text == "" || len(words) == 0 {
		return false
	}
	return newKeywords(words).match(text)
}
