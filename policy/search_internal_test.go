package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// collidingSep is a separator that Go's Rabin-Karp hash (strings.Index
// for a separator over 64 bytes) cannot tell from any window of a text of
// a's: its last 8 bytes were found to give the hash of "aaaaaaaa", so
// strings.Index compares it with the text at every position (20 ms for a
// 32 KiB text). Were Go's hash to change, it would be an ordinary
// separator.
func collidingSep(n int) string { return strings.Repeat("a", n-8) + "bqvttrwh" }

func TestSearchMatchesStrings(t *testing.T) {
	long := strings.Repeat("ab", 40)
	cases := []struct{ text, sep string }{
		{"", ""}, {"abc", ""}, {"", "a"}, {"abcabc", "bc"},
		{long, long}, {long + "c", long}, {"c" + long, long}, {long + long, long}, {long[1:] + long, long},
		{strings.Repeat("a", 1000), collidingSep(100)}, {strings.Repeat("a", 1000) + collidingSep(100), collidingSep(100)},
		{strings.Repeat("a", 50), collidingSep(100)}, {long + "\xff" + long, long + "\xff"},
		{strings.Repeat("aab", 100), strings.Repeat("aab", 30) + "aa"}, {strings.Repeat("x", 200), strings.Repeat("x", 70)},
	}
	check := func(text, sep string) {
		t.Helper()
		require.Equal(t, strings.Index(text, sep), searchIndex(text, sep), "indexOf(%q, %q)", text, sep)
		require.Equal(t, strings.LastIndex(text, sep), searchLastIndex(text, sep), "lastIndexOf(%q, %q)", text, sep)
		for _, n := range []int{-1, 0, 1, 2, 3, 100} {
			require.Equal(t, strings.SplitN(text, sep, n), searchSplit(text, sep, n), "split(%q, %q, %d)", text, sep, n)
		}
	}
	for _, tc := range cases {
		check(tc.text, tc.sep)
	}
	// Random texts and separators over two letters, long enough for the
	// separator to be searched for by this package (over 64 bytes), and
	// made of pieces of the text so that it is often found, more than once.
	rng := rand.New(rand.NewPCG(3, 4))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[rng.IntN(2)]
			if rng.IntN(8) == 0 {
				b[i] = "ab"[i%2] // periodic stretches: long borders
			}
		}
		return string(b)
	}
	for range 5_000 {
		text := word(rng.IntN(400))
		sep := word(65 + rng.IntN(40))
		if len(text) > len(sep) && rng.IntN(2) == 0 {
			i := rng.IntN(len(text) - len(sep) + 1)
			sep = text[i : i+len(sep)]
		}
		check(text, sep)
		check(text, sep[:len(sep)/2]) // a short separator: strings' functions
	}
}

// FuzzSearch checks the searches against strings' on any text and
// separator.
func FuzzSearch(f *testing.F) {
	f.Add(strings.Repeat("ab", 100), strings.Repeat("ab", 40)+"a")
	f.Add(strings.Repeat("a", 300), collidingSep(100))
	f.Fuzz(func(t *testing.T, text, sep string) {
		if got, want := searchIndex(text, sep), strings.Index(text, sep); got != want {
			t.Fatalf("indexOf(%q, %q) = %d, want %d", text, sep, got, want)
		}
		if got, want := searchLastIndex(text, sep), strings.LastIndex(text, sep); got != want {
			t.Fatalf("lastIndexOf(%q, %q) = %d, want %d", text, sep, got, want)
		}
		if got, want := searchSplit(text, sep, -1), strings.Split(text, sep); !slicesEqual(got, want) {
			t.Fatalf("split(%q, %q) = %q, want %q", text, sep, got, want)
		}
	})
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSearchLinear counts the comparisons of the searches: at most twice
// the text and separator together, on the texts that make strings.Index
// compare at every position and on those that make the search step back
// most (periodic separators).
func TestSearchLinear(t *testing.T) {
	cases := []struct{ text, sep string }{
		{strings.Repeat("a", maxTextBytes), collidingSep(maxTextBytes / 2)},
		{strings.Repeat("ab", maxTextBytes/2), strings.Repeat("ab", maxTextBytes/8) + "c"},
		{strings.Repeat("aab", maxTextBytes/3), strings.Repeat("aab", 100) + "aaa"},
	}
	for _, tc := range cases {
		for _, rev := range []bool{false, true} {
			s := newSearcher(tc.sep, rev)
			want := strings.Index(tc.text, tc.sep)
			if rev {
				want = strings.LastIndex(tc.text, tc.sep)
			}
			require.Equal(t, want, s.index(tc.text))
			assert.LessOrEqual(t, s.steps, 2*(len(tc.text)+len(tc.sep)), "%d comparisons for %d and %d bytes", s.steps, len(tc.text), len(tc.sep))
			s.free()
		}
	}
}

// TestSearchUsed checks that the expressions' indexOf, lastIndexOf, split
// and contains search a long separator with this package's search, not
// strings'.
func TestSearchUsed(t *testing.T) {
	at := time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	tk := &sla.Ticket{ID: "T-1", Subject: collidingSep(100), CreatedAt: at}
	ev := &sla.Event{Type: sla.EventMessage, At: at, Text: strings.Repeat("a", 1000)}
	for _, src := range []string{
		`indexOf(event.text, ticket.subject) >= 0`, `lastIndexOf(event.text, ticket.subject) >= 0`,
		`len(split(event.text, ticket.subject)) > 1`, `len(split(event.text, ticket.subject, 3)) > 1`,
		`event.text contains ticket.subject`, `not (event.text contains ticket.subject)`,
		`any(["x"], event.text contains ticket.subject)`, `ticket.fields.s contains ticket.subject`,
	} {
		p, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(t, e, src)
		env := newEventExprEnv()
		tk.Fields = map[string]any{"s": ev.Text}
		env.set(tk, ev)
		before := longSearches.Load()
		_, err := newCond(p).eval(env)
		require.NoError(t, err, src)
		assert.Equal(t, int64(1), longSearches.Load()-before, "%s: searches", src)
	}
}
