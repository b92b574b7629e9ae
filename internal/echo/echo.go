// Package echo words the values an error message repeats from its input,
// bounded so that a message's size does not follow the input's.
package echo

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds on what a message echoes.
const (
	MaxBytes = 64 // bytes of a value a message quotes
	MaxNames = 10 // names a message lists
)

// Quote returns s quoted, cut to MaxBytes bytes with "..." marking the cut.
func Quote(s string) string {
	if len(s) <= MaxBytes {
		return strconv.Quote(s)
	}
	return strconv.Quote(Cut(s, MaxBytes)) + "..."
}

// Cut returns the longest prefix of s of at most n bytes that ends at a
// rune boundary.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// List joins the first MaxNames of names for a message, quoting those
// longer than MaxBytes; total is how many there are in all, so that the
// list ends with "and N more" when names holds only the first few.
func List(names []string, total int) string {
	var b strings.Builder
	for i, n := range names[:min(len(names), MaxNames)] {
		if i > 0 {
			b.WriteString(", ")
		}
		if len(n) > MaxBytes {
			n = Quote(n)
		}
		b.WriteString(n)
	}
	if more := total - min(len(names), MaxNames); more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	return b.String()
}
