package policy

import "unicode/utf8"

// The scanning matcher as it was before scan returned the bits of several
// lists: a test oracle for keywords.scan and for the union of lists. It
// stops at the first keyword found.

// oracleMatchParts is matchParts as it was, on the concatenation of parts.
func oracleMatchParts(k *keywords, parts []string) bool {
	prevWord := false
	for p, s := range parts {
		for i := 0; i < len(s); {
			c := s[i]
			switch {
			case asciiWord[c]:
				if !prevWord && k.asciiStarts[c] != noStart && oracleStartsAt(k, c, parts, p, i) {
					return true
				}
				for i++; i < len(s) && asciiWord[s[i]]; i++ {
				}
				prevWord = true
				continue
			case c < utf8.RuneSelf:
				if !prevWord && k.asciiStarts[c] != noStart && oracleStartsAt(k, c, parts, p, i) {
					return true
				}
				prevWord = false
				i++
				continue
			}
			var buf [utf8.UTFMax]byte
			r, n := utf8.DecodeRuneInString(s[i:])
			if f := foldRune(buf[:0], r); len(f) > 0 {
				if !prevWord && oracleMatchAt(k, f[0], parts, p, i) {
					return true
				}
				r, _ := utf8.DecodeLastRune(f)
				prevWord = isWordRune(r)
			}
			i += n
		}
	}
	return false
}

func oracleStartsAt(k *keywords, c byte, parts []string, p, i int) bool {
	switch k.asciiStarts[c] {
	case pairStart:
		if s := parts[p]; i+1 < len(s) && s[i+1] < utf8.RuneSelf {
			n := int(lowerASCII(c))<<7 | int(lowerASCII(s[i+1]))
			if k.pairs[n/8]&(1<<(n%8)) == 0 {
				return false
			}
		}
	}
	return oracleMatchAt(k, lowerASCII(c), parts, p, i)
}

func oracleMatchAt(k *keywords, b byte, parts []string, p, i int) bool {
	for _, kw := range k.sorted[k.byFirst[b]:k.byFirst[int(b)+1]] {
		if foldedAt(kw, parts, p, i) {
			return true
		}
	}
	return false
}
