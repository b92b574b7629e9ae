package policy

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A union of keyword lists (see newKeywordUnion) also scans a text with a
// table: an automaton over the text's bytes, whose state is the set of
// keyword prefixes the text ends with (each begun where a word may start)
// and whether its last byte is part of a word. A keyword is found when a
// byte that is not part of a word (or the end of the text) follows it:
// the table's transition then enters a state that tells the lists found.
// Case folding of ASCII is one byte for one, done by the table's classes;
// a Latin letter with a diacritic is read as its folded letters. At any
// other byte that is not ASCII the scan goes on with the general scanner
// (keywords.scanFrom), from the start of the longest keyword prefix in
// progress: the bits found before stand, the rest is the general
// scanner's. In a word that no keyword prefix is in, the rest of the word
// is passed without the table.

// keywordDFA is the automaton of a keyword union; immutable.
type keywordDFA struct {
	// class[c] is the column of the byte c in next: one per ASCII byte
	// some keyword has (a letter's two cases share one), one for the
	// other bytes of words, one for the other ASCII bytes, one for the
	// bytes that are not ASCII.
	class [256]uint8
	word  [256]bool // asciiWord, beside class
	// next[st<<dfaShift|class] is the state after a byte of the class in
	// state st, shifted by dfaShift; dfaStop for a byte that is not
	// ASCII. States from firstEmit (shifted) on are entered when keywords
	// were found: emit has their lists' bits.
	next      *[dfaCells]uint16
	firstEmit uint16
	// inWord is the state in a word that no keyword prefix is in (shifted):
	// every ASCII byte of a word keeps it, so the scan passes them in a
	// loop that does not wait for the table. It is the last state before
	// firstEmit.
	inWord uint16
	emit   []uint64 // by state
	// final[st] has the bits of the lists of the keywords complete in st
	// (found if the text ends there); back[st] is the length of the
	// longest keyword prefix in progress.
	final []uint64
	back  []int
}

const (
	dfaShift     = 6 // columns per state: 1<<dfaShift
	maxDFAStates = 256
	dfaCells     = maxDFAStates << dfaShift // next's size: 32 KB
	dfaStop      = 1<<16 - 1
)

// newKeywordDFA returns the automaton of k, nil when it would have more
// than maxDFAStates states or its keywords more ASCII bytes than the
// table has columns.
func newKeywordDFA(k *keywords) *keywordDFA {
	// The trie of the keywords' ASCII prefixes: a keyword with a byte
	// that is not ASCII is a prefix that is never complete in ASCII text.
	type node struct {
		child map[byte]int
		depth int
		final uint64
	}
	trie := []node{{child: map[byte]int{}}}
	var cols []byte // the ASCII bytes of the keywords
	for j, kw := range k.sorted {
		n := 0
		complete := true
		for i := 0; i < len(kw); i++ {
			c := kw[i]
			if c >= utf8.RuneSelf {
				complete = false
				break
			}
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
			next, ok := trie[n].child[c]
			if !ok {
				next = len(trie)
				trie[n].child[c] = next
				trie = append(trie, node{child: map[byte]int{}, depth: trie[n].depth + 1})
			}
			n = next
		}
		if complete {
			trie[n].final |= k.masks[j]
		}
	}
	if len(cols)+3 > 1<<dfaShift {
		return nil
	}
	d := &keywordDFA{}
	// Columns: 0 the bytes that are not ASCII, 1 other word bytes, 2
	// other ASCII bytes, then the keywords' bytes.
	rep := []byte{0, 'x', '!'} // a byte of each column (0: unused)
	d.word = asciiWord
	for c := range utf8.RuneSelf {
		d.class[c] = 2
		if asciiWord[c] {
			d.class[c] = 1
		}
	}
	for _, c := range cols {
		d.class[c] = uint8(len(rep))
		if 'a' <= c && c <= 'z' {
			d.class[c-('a'-'A')] = uint8(len(rep))
		}
		rep = append(rep, c)
	}
	// The states, by subset construction; a state is a set of trie
	// nodes (the root left out), whether the last byte was part of a word,
	// and the bits found on entering it.
	type state struct {
		nodes []int
		word  bool
		emit  uint64
	}
	key := func(s state) string {
		var b strings.Builder
		for _, n := range s.nodes {
			b.WriteString(strconv.Itoa(n))
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatBool(s.word))
		b.WriteByte(',')
		b.WriteString(strconv.FormatUint(s.emit, 16))
		return b.String()
	}
	index := map[string]int{}
	var states []state
	add := func(s state) int {
		kk := key(s)
		if i, ok := index[kk]; ok {
			return i
		}
		index[kk] = len(states)
		states = append(states, s)
		return len(states) - 1
	}
	add(state{})
	inWord := add(state{word: true})
	var next [][]int // by state, by column
	for i := 0; i < len(states); i++ {
		if len(states) > maxDFAStates {
			return nil
		}
		s := states[i]
		row := make([]int, 1<<dfaShift)
		row[0] = dfaStop
		for col := 1; col < len(rep); col++ {
			c := rep[col]
			word := asciiWord[c]
			edges := col > 2 // the other bytes are in no keyword
			var t state
			t.word = word
			var final uint64
			for _, n := range s.nodes {
				final |= trie[n].final
				if m, ok := trie[n].child[c]; ok && edges {
					t.nodes = append(t.nodes, m)
				}
			}
			if m, ok := trie[0].child[c]; ok && edges && !s.word {
				t.nodes = append(t.nodes, m)
			}
			if !word {
				t.emit = final
			}
			slices.Sort(t.nodes)
			t.nodes = slices.Compact(t.nodes)
			row[col] = add(t)
		}
		next = append(next, row)
	}
	if len(states) > maxDFAStates {
		return nil
	}
	// Number the states that emit last, and inWord just before them, so
	// that one comparison tells the common transitions (to neither) from
	// the others.
	order := make([]int, len(states)) // old number -> new
	n := 0
	for pass := range 3 {
		for i, s := range states {
			p := 0
			switch {
			case s.emit != 0:
				p = 2
			case i == inWord:
				p = 1
			}
			if p == pass {
				order[i] = n
				n++
			}
		}
		if pass == 1 {
			d.firstEmit = uint16(n << dfaShift)
		}
	}
	d.inWord = uint16(order[inWord] << dfaShift)
	d.next = new([dfaCells]uint16)
	d.emit = make([]uint64, len(states))
	d.final = make([]uint64, len(states))
	d.back = make([]int, len(states))
	for i, s := range states {
		st := order[i]
		for col, t := range next[i] {
			if t == dfaStop {
				d.next[st<<dfaShift|col] = dfaStop
			} else {
				d.next[st<<dfaShift|col] = uint16(order[t] << dfaShift)
			}
		}
		d.emit[st] = s.emit
		for _, nd := range s.nodes {
			d.final[st] |= trie[nd].final
			d.back[st] = max(d.back[st], trie[nd].depth)
		}
	}
	return d
}

// scan is keywords.scan with the automaton, on one string: the bits of
// the lists that have a keyword in s. A Latin letter with a diacritic
// (U+00C0..U+017F, two bytes) is read as its folded ASCII letters (by
// run); any other byte that is not ASCII hands the scan off.
func (d *keywordDFA) scan(k *keywords, s string) uint64 {
	var found uint64
	st := uint16(0) // the state at the start: no prefix, no word before
	for i := 0; ; {
		var x uint16
		if i, st, x = d.run(s, i, st); i == len(s) {
			break
		}
		if x == dfaStop {
			return d.handOff(k, s, i, st>>dfaShift, found)
		}
		if found |= d.emit[x>>dfaShift]; found == k.all {
			return found
		}
		st = x
		i++
	}
	return found | d.final[st>>dfaShift]
}

// run returns the first byte from i on in s whose transition from the
// state before it enters a state that emits (or stops at a byte that is
// not ASCII and begins no Latin letter run folds), the state before it
// and the state it enters; or len(s) and the state at the end. A Latin
// letter with a diacritic (two bytes) goes through the table as its
// folded letters, none of which emits (they are letters), without
// leaving the loop.
//
// It is not inlined: alone, its loop keeps every value in a register.
//
//go:noinline
func (d *keywordDFA) run(s string, i int, st uint16) (int, uint16, uint16) {
	next, class, word, first, inWord := d.next[:], &d.class, &d.word, d.firstEmit, d.inWord
	t := s[i:]
	for j := 0; j < len(t); {
		x := next[(st|uint16(class[t[j]]))&(dfaCells-1)]
		j++
		if x >= inWord { // inWord, or a state that emits (or stops)
			if x >= first {
				if x == dfaStop {
					if f := latinAt(t, j-1); f != 0 {
						st = next[(st|uint16(class[byte(f)]))&(dfaCells-1)]
						if f >>= 8; f != 0 {
							st = next[(st|uint16(class[f]))&(dfaCells-1)]
						}
						j++
						continue
					}
				}
				return i + j - 1, st, x
			}
			for j < len(t) && word[t[j]] { // the rest of the word
				j++
			}
		}
		st = x
	}
	return len(s), st, st
}

// latinAt returns the folded letters of the Latin letter with a
// diacritic (U+00C0..U+017F, two bytes) at byte j of t, as latinPairs
// has them; 0 when there is none there.
func latinAt(t string, j int) uint16 {
	c := t[j]
	if c < 0xC3 || c > 0xC5 || j+1 >= len(t) || t[j+1]&0xC0 != 0x80 {
		return 0
	}
	return latinPairs[(rune(c&0x1F)<<6|rune(t[j+1]&0x3F))-0xC0]
}

// latinPairs is latinFold as one or two bytes, the first in the low
// byte (the high one 0 for one letter; none: 0): 384 bytes where
// latinFold's string headers and letters are in more than 3 KB, for the
// automaton's loop, which reads them between the lines of its table.
var latinPairs = func() (p [len(latinFold)]uint16) {
	for i, f := range latinFold {
		for k := len(f) - 1; k >= 0; k-- {
			p[i] = p[i]<<8 | uint16(f[k])
		}
	}
	return p
}()

// handOff goes on with the general scanner at byte i of s, which is not
// ASCII, the automaton being in state st there. It goes back to the start
// of the longest keyword prefix in progress, or before: the bytes before
// i are ASCII or Latin letters of two bytes that fold to one or two, so
// the prefix's folded bytes came from at most twice as many.
func (d *keywordDFA) handOff(k *keywords, s string, i int, st uint16, found uint64) uint64 {
	j := max(i-2*d.back[st], 0)
	if j < i && s[j]&0xC0 == 0x80 { // the second byte of a Latin letter
		j--
	}
	prevWord := false
	if j > 0 { // the rune before j is ASCII or a Latin letter
		prevWord = s[j-1] >= utf8.RuneSelf || asciiWord[s[j-1]]
	}
	return k.scanFrom([]string{s}, 0, j, prevWord, found)
}
