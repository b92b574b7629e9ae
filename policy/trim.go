package policy

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// The expression function trim. expr-lang's builtin calls strings.Trim,
// which looks each rune of the text up in the cutset by scanning it when
// the cutset is not ASCII: trim(event.text, ticket.subject) takes time
// proportional to the text times the cutset. This trim gives the same
// result in time proportional to their sum (and a logarithm): the cutset
// is read once into a set.

// shortCutset is the length up to which a non-ASCII cutset is scanned
// for each rune, as strings.Trim does: reading it into a set costs more.
const shortCutset = 16

// callTrim is trim(s) and trim(s, cutset). An argument that is not a
// string at run time (a field) fails the evaluation as the builtin does:
// the virtual machine turns the failed type assertion into the
// condition's error.
func callTrim(args ...any) (any, error) {
	s := args[0].(string)
	if len(args) == 1 {
		return strings.TrimSpace(s), nil
	}
	return trimCutset(s, args[1].(string)), nil
}

// trimCutset is strings.Trim(s, cutset).
func trimCutset(s, cutset string) string {
	if s == "" || cutset == "" || len(cutset) <= shortCutset || isASCII(cutset) {
		return strings.Trim(s, cutset) // linear: an ASCII cutset is a bitset
	}
	rs := runeSets.Get().(*runeSet)
	out := rs.trim(s, cutset)
	rs.reset(cutset)
	runeSets.Put(rs)
	return out
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// runeSet is the set of runes of a cutset: a bit for every rune (136
// KiB, pooled), set from the cutset at the first lookup and cleared after
// the call by reading the cutset again. A byte of the cutset that is not
// UTF-8 sets utf8.RuneError's bit, as strings.ContainsRune finds such a
// byte when asked for utf8.RuneError.
type runeSet struct {
	bits   [(utf8.MaxRune + 1) / 64]uint64
	loaded bool
	loads  int // times a cutset was read (for tests)
}

var runeSets = sync.Pool{New: func() any { return new(runeSet) }}

// each calls f with each rune of cutset; a byte that is not UTF-8 is
// utf8.RuneError.
func each(cutset string, f func(r rune)) {
	for i := 0; i < len(cutset); {
		r, n := rune(cutset[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(cutset[i:])
		}
		f(r)
		i += n
	}
}

func (rs *runeSet) load(cutset string) {
	rs.loaded = true
	rs.loads++
	each(cutset, func(r rune) { rs.bits[r>>6] |= 1 << (r & 63) })
}

// reset clears what load(cutset) set.
func (rs *runeSet) reset(cutset string) {
	if rs.loaded {
		each(cutset, func(r rune) { rs.bits[r>>6] = 0 })
	}
	rs.loaded = false
}

func (rs *runeSet) has(r rune, cutset string) bool {
	if !rs.loaded {
		rs.load(cutset)
	}
	return rs.bits[r>>6]&(1<<(r&63)) != 0
}

// trim removes the runes of cutset from both ends of s, right end first,
// as strings.Trim does.
func (rs *runeSet) trim(s, cutset string) string {
	for len(s) > 0 {
		r, n := rune(s[len(s)-1]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeLastRuneInString(s)
		}
		if !rs.has(r, cutset) {
			break
		}
		s = s[:len(s)-n]
	}
	for len(s) > 0 {
		r, n := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s)
		}
		if !rs.has(r, cutset) {
			break
		}
		s = s[n:]
	}
	return s
}
