package policy

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// Searching a text for another: contains, indexOf, lastIndexOf and split.
// Go's strings.Index looks for a separator longer than a few dozen bytes
// with a Rabin-Karp hash, and compares the text with the separator at
// every position whose hash matches: a text and separator made so that
// every position matches (both from the ticket: event.text contains
// ticket.subject) take time proportional to their product, 20 ms for 32
// KiB. These functions give strings' results, using strings for a short
// separator (brute force over at most shortSep bytes at a time) and the
// Knuth-Morris-Pratt search, linear whatever the input, for a long one.

// shortSep is the longest separator strings' functions are used for.
const shortSep = 64

// searcher finds a separator in texts: the separator's prefix table
// (border[i] is the length of the longest proper prefix of sep[:i+1]
// that is also its suffix), pooled. rev searches from the end.
type searcher struct {
	sep    string
	rev    bool
	border []int32
	steps  int // comparisons of the last search, the table's included (for tests)
}

// longSearches counts the searches made with a searcher (for tests).
var longSearches atomic.Int64

var searchers = sync.Pool{New: func() any { return new(searcher) }}

func newSearcher(sep string, rev bool) *searcher {
	longSearches.Add(1)
	s := searchers.Get().(*searcher)
	s.sep, s.rev, s.steps = sep, rev, 0
	s.build()
	return s
}

func (s *searcher) free() {
	s.sep = ""
	searchers.Put(s)
}

// at returns the i-th byte of the separator in the search's direction.
func (s *searcher) at(i int) byte {
	if s.rev {
		return s.sep[len(s.sep)-1-i]
	}
	return s.sep[i]
}

func (s *searcher) build() {
	m := len(s.sep)
	if cap(s.border) < m {
		s.border = make([]int32, m)
	}
	s.border = s.border[:m]
	if m == 0 {
		return
	}
	s.border[0] = 0
	k := 0
	for i := 1; i < m; i++ {
		k = s.extend(k, s.at(i))
		s.border[i] = int32(k)
	}
}

// extend returns how many bytes of the separator (in the search's
// direction) match up to c, given that k matched before it (k less than
// the separator's length): the prefix table's step, shared by building
// the table and searching.
func (s *searcher) extend(k int, c byte) int {
	s.steps++
	for k > 0 && c != s.at(k) {
		k = int(s.border[k-1])
		s.steps++
	}
	if c == s.at(k) {
		k++
	}
	return k
}

// index returns the index of the first separator in text (of the last,
// for a reverse searcher), or -1; the separator is not empty. Each byte
// of text is read once, and each step back in the table is paid for by a
// step forward: at most 2*len(text) steps, whatever the input.
func (s *searcher) index(text string) int {
	m, k := len(s.sep), 0
	if s.rev {
		for i := len(text) - 1; i >= 0; i-- {
			if k == 0 { // skip to the separator's last byte
				if i = strings.LastIndexByte(text[:i+1], s.sep[m-1]); i < 0 {
					return -1
				}
			}
			if k = s.extend(k, text[i]); k == m {
				return i
			}
		}
		return -1
	}
	for i := 0; i < len(text); i++ {
		if k == 0 { // skip to the separator's first byte
			o := strings.IndexByte(text[i:], s.sep[0])
			if o < 0 {
				return -1
			}
			i += o
		}
		if k = s.extend(k, text[i]); k == m {
			return i - m + 1
		}
	}
	return -1
}

// searchIndex is strings.Index(text, sep).
func searchIndex(text, sep string) int {
	if len(sep) <= shortSep || len(sep) > len(text) {
		return strings.Index(text, sep)
	}
	s := newSearcher(sep, false)
	defer s.free()
	return s.index(text)
}

// searchLastIndex is strings.LastIndex(text, sep).
func searchLastIndex(text, sep string) int {
	if len(sep) <= shortSep || len(sep) > len(text) {
		return strings.LastIndex(text, sep)
	}
	s := newSearcher(sep, true)
	defer s.free()
	return s.index(text)
}

// searchSplit is strings.SplitN(text, sep, n).
func searchSplit(text, sep string, n int) []string {
	if len(sep) <= shortSep || len(sep) > len(text) || n == 0 {
		return strings.SplitN(text, sep, n)
	}
	s := newSearcher(sep, false)
	defer s.free()
	var out []string
	for n < 0 || len(out) < n-1 {
		m := s.index(text)
		if m < 0 {
			break
		}
		out = append(out, text[:m])
		text = text[m+len(sep):]
	}
	return append(out, text)
}

// The expression functions. An argument that is not of its type at run
// time (a field) fails the evaluation as expr's builtin or operator does:
// the virtual machine turns the failed type assertion into the
// condition's error.

func callIndexOf(args ...any) (any, error) {
	return searchIndex(args[0].(string), args[1].(string)), nil
}

func callLastIndexOf(args ...any) (any, error) {
	return searchLastIndex(args[0].(string), args[1].(string)), nil
}

func callSplit(args ...any) (any, error) {
	n := -1
	if len(args) == 3 {
		n = runtime.ToInt(args[2])
	}
	return searchSplit(args[0].(string), args[1].(string), n), nil
}

// containsFunc is the function the patcher calls for the contains
// operator. Written in an expression, $contains(a, b) is a contains b,
// and is charged as it.
const containsFunc = "$contains"

// callContains is the contains operator: false when a side is nil (a
// missing field), as expr's is.
func callContains(args ...any) (any, error) {
	if runtime.IsNil(args[0]) || runtime.IsNil(args[1]) {
		return false, nil
	}
	return searchIndex(args[0].(string), args[1].(string)) >= 0, nil
}

// containsCall returns a contains b as a call of containsFunc, placed
// where the operator was; nil when n is not a contains of two strings
// (or values known only at run time: fields). A contains of other types
// is left to the checker, which reports it as before.
func containsCall(n ast.Node) ast.Node {
	b, ok := n.(*ast.BinaryNode)
	if !ok || b.Operator != "contains" || !stringish(b.Left) || !stringish(b.Right) {
		return nil
	}
	callee := &ast.IdentifierNode{Value: containsFunc}
	callee.SetLocation(b.Location())
	call := &ast.CallNode{Callee: callee, Arguments: []ast.Node{b.Left, b.Right}}
	call.SetLocation(b.Location())
	return call
}

func stringish(n ast.Node) bool {
	if _, ok := n.(*ast.NilNode); ok {
		return false // left to the checker, whose message names the operator
	}
	t := n.Type()
	return t != nil && (t.Kind() == reflect.String || t.Kind() == reflect.Interface)
}
