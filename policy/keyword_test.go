package policy

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var keywordTests = []struct {
	name  string
	text  string
	words []string
	want  bool
}{
	{"accent in text", "Problema de Cobrança no cartão", []string{"cobranca"}, true},
	{"accent in keyword", "problema de cobranca", []string{"cobrança"}, true},
	{"upper case", "PAGAMENTO atrasado", []string{"pagamento"}, true},
	{"spanish", "No recibí la factura de marzo", []string{"factura"}, true},
	{"italian", "Addebito non autorizzato!", []string{"addebito"}, true},
	{"german umlaut", "Die Abbuchung für März fehlt", []string{"abbuchung", "fur"}, true},
	{"german sharp s", "Die Straße ist gesperrt", []string{"strasse"}, true},
	{"latvian", "Rēķins nav apmaksāts", []string{"rekins"}, true},
	{"decomposed text", "cobranc\u0327a", []string{"cobranca"}, true},
	{"phrase", "o site está fora do ar desde ontem", []string{"fora do ar"}, true},
	{"phrase split by a word", "fora agora do ar", []string{"fora do ar"}, false},
	{"inside a word", "repagamento", []string{"pagamento"}, false},
	{"prefix of a word", "pagamentos", []string{"pagamento"}, false},
	{"punctuation boundary", "(pagamento)", []string{"pagamento"}, true},
	{"digits are word", "pedido 1234", []string{"123"}, false},
	{"empty text", "", []string{"x"}, false},
	{"no words", "pagamento", nil, false},
	{"blank word ignored", "a b", []string{"  "}, false},
	{"other script", "ПЛАТЁЖ не прошёл", []string{"платёж"}, true},
}

func TestHasKeyword(t *testing.T) {
	for _, tc := range keywordTests {
		t.Run(tc.name, func(t *testing.T) {
			got := hasKeyword(tc.text, tc.words)
			assert.Equal(t, tc.want, got, "has_keyword(%q, %q) = %v, want %v", tc.text, tc.words, got, tc.want)
		})
	}
}

func TestKeywordMatchAllocs(t *testing.T) {
	k := newKeywords([]string{"cobranca", "pagamento", "fora do ar"})
	var c foldCache
	allocs := testing.AllocsPerRun(100, func() {
		c.reset()
		k.match(c.fold("Olá, tenho um problema de Cobrança no cartão"))
	})
	assert.Zero(t, allocs, "keywords.match allocs = %v, want 0", allocs)
}

func FuzzHasKeyword(f *testing.F) {
	for _, tc := range keywordTests {
		for _, w := range tc.words {
			f.Add(tc.text, w)
		}
	}
	f.Fuzz(func(t *testing.T, text, word string) {
		_ = hasKeyword(text, []string{word}) // never panics
		k := newKeywords([]string{word, "o"})
		var c foldCache
		folded := c.fold(text)
		if string(folded) != foldString(text) {
			t.Fatalf("fold(%q) = %q, rune by rune %q", text, folded, foldString(text))
		}
		if k.match(folded) != matchEach(k, folded) {
			t.Fatalf("keywords.match(%q, [%q o]) = %v, the reference says otherwise", text, word, k.match(folded))
		}
		letters := word != ""
		for _, r := range word {
			letters = letters && unicode.IsLetter(r)
		}
		if letters && !hasKeyword("- "+word+" -", []string{word}) {
			t.Fatalf("has_keyword(%q, [%q]) = false, want true", "- "+word+" -", word)
		}
	})
}

// matchEach is the reference for keywords.match: each keyword searched
// for in the whole text, and each occurrence checked for word boundaries.
func matchEach(k *keywords, folded []byte) bool {
	for _, kw := range k.folded {
		for from := 0; from+len(kw) <= len(folded); {
			i := bytes.Index(folded[from:], []byte(kw))
			if i < 0 {
				break
			}
			i += from
			before := true
			if i > 0 {
				r, _ := utf8.DecodeLastRune(folded[:i])
				before = !isWordRune(r)
			}
			if before && boundaryAfter(folded, i+len(kw)) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

// TestKeywordMatchEach compares keywords.match with matchEach on random
// texts and keyword lists drawn from a small alphabet of letters, digits,
// accented and other-script letters, combining marks, spaces and
// punctuation, so that keywords occur often, inside words and across them.
func TestKeywordMatchEach(t *testing.T) {
	alphabet := []string{"a", "b", "o", "A", "1", " ", " ", "-", "(", "ç", "é", "ß", "П", "\u0327", "ab", "ba", "\xff"}
	r := rand.New(rand.NewPCG(8, 9))
	word := func(n int) string {
		var b []byte
		for range n {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		return string(b)
	}
	matched := 0
	var c foldCache
	for n := range 20000 {
		text := word(r.IntN(24))
		var words []string
		for range 1 + r.IntN(4) {
			words = append(words, word(1+r.IntN(3)))
		}
		k := newKeywords(words)
		c.reset()
		folded := c.fold(text)
		require.Equal(t, foldString(text), string(folded), "case %d: fold(%q), rune by rune", n, text)
		want := matchEach(k, folded)
		require.Equal(t, want, k.match(folded), "case %d: has_keyword(%q, %q)", n, text, words)
		if want {
			matched++
		}
	}
	assert.Greater(t, matched, 1500, "cases that match")
}

// TestFoldCacheLastPart checks that a text folded after a concatenation
// that ends with it is served from the concatenation's folded form, and
// that any other text is folded anew.
func TestFoldCacheLastPart(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		text  string
	}{
		{"last part", []string{"Fatura Ç", " ", "Olá PAGAMENTO"}, "Olá PAGAMENTO"},
		{"first part", []string{"Fatura Ç", " ", "Olá PAGAMENTO"}, "Fatura Ç"},
		{"empty last part", []string{"Straße", ""}, ""},
		{"other text", []string{"a", "b"}, "c"},
	}
	for _, tc := range tests {
		var c foldCache
		whole := string(c.foldParts(tc.parts))
		assert.Equal(t, foldString(strings.Join(tc.parts, "")), whole, "%s: foldParts(%q)", tc.name, tc.parts)
		assert.Equal(t, foldString(tc.text), string(c.fold(tc.text)), "%s: fold(%q) after foldParts(%q)", tc.name, tc.text, tc.parts)
		assert.Equal(t, whole, string(c.foldParts(tc.parts)), "%s: foldParts(%q) again", tc.name, tc.parts)
	}
}
