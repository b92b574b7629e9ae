package policy

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
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
	allocs := testing.AllocsPerRun(100, func() {
		k.matchString("Olá, tenho um problema de Cobrança no cartão")
		k.matchParts([]string{"Fatura", " ", "Olá, o site está FORA DO AR"})
	})
	assert.Zero(t, allocs, "keywords.matchString allocs = %v, want 0", allocs)
}

// matchFolded is the reference for keywords.matchString: the text folded
// whole first (foldString), then walked once; where a word may start and
// a keyword starts with that byte, the keywords are compared there.
func matchFolded(k *keywords, text string) bool {
	folded := []byte(foldString(text))
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
		r, n := utf8.DecodeRune(folded[i:])
		prevWord = isWordRune(r)
		i += n
	}
	return false
}

func boundaryAfter(b []byte, i int) bool {
	if i >= len(b) {
		return true
	}
	r, _ := utf8.DecodeRune(b[i:])
	return !isWordRune(r)
}

// splits returns text cut in two at every byte where the first part ends
// with a whole rune (see joinsWhole), and in three around each space.
func splits(text string) [][]string {
	var out [][]string
	for i := range len(text) + 1 {
		if joinsWhole(text[:i]) {
			out = append(out, []string{text[:i], text[i:]})
		}
		if i < len(text) && text[i] == ' ' && joinsWhole(text[:i]) {
			out = append(out, []string{text[:i], " ", text[i+1:]})
		}
	}
	return out
}

// checkMatch compares matchString and matchParts (on every split of
// text) with the references.
func checkMatch(t testing.TB, k *keywords, text string, words []string) bool {
	t.Helper()
	want := matchFolded(k, text)
	if each := matchEach(k, []byte(foldString(text))); each != want {
		t.Fatalf("the references disagree on has_keyword(%q, %q): folded walk %v, each keyword %v", text, words, want, each)
	}
	if got := k.matchString(text); got != want {
		t.Fatalf("matchString(%q) with %q = %v, want %v", text, words, got, want)
	}
	for _, parts := range splits(text) {
		if got := k.matchParts(parts); got != want {
			t.Fatalf("matchParts(%q) with %q = %v, want %v", parts, words, got, want)
		}
		if old := oracleMatchParts(k, parts); old != want {
			t.Fatalf("the former matchParts(%q) with %q = %v, want %v", parts, words, old, want)
		}
	}
	return want
}

// fuzzTexts seed FuzzHasKeyword beside keywordTests: accents, mixed case,
// German ß, Portuguese ç and ã, punctuation and boundaries.
var fuzzTexts = [][2]string{
	{"Não recebi o BOLETO!", "boleto"},
	{"Cobrança-duplicada", "cobranca"},
	{"Straße/STRASSE", "strasse"},
	{"ss", "ß"},
	{"groß", "gross"},
	{"grosse", "groß"},
	{"ÇÃO", "cao"},
	{"fora do ar.", "fora do ar"},
	{"fora  do ar", "fora do ar"},
	{"caído?", "caido"},
	{"e\u0301", "é"},
	{"x\u0301pago", "pago"},
	{"\u0301pago", "pago"},
	{"pago\u0301", "pago"},
	{"İstanbul", "istanbul"},
	{"\u212Aelvin", "kelvin"},
	{"½ pago", "pago"},
	{"pago²", "pago"},
	{"\xffpago\xff", "pago"},
	{"\xc3", "\ufffd"},
	{"Ĳssel", "ijssel"},
	{"Æble", "aeble"},
	{"", "x"},
	{"#billing", "#billing"},
	{"a#billing", "#billing"},
	{"billing!", "billing!"},
}

func FuzzHasKeyword(f *testing.F) {
	for _, tc := range keywordTests {
		for _, w := range tc.words {
			f.Add(tc.text, w)
		}
	}
	for _, tc := range fuzzTexts {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, text, word string) {
		_ = hasKeyword(text, []string{word}) // never panics
		words := []string{word, "o"}
		checkMatch(t, newKeywords(words), text, words)
		letters := word != ""
		for _, r := range word {
			letters = letters && unicode.IsLetter(r)
		}
		u := newKeywordUnion([]*keywords{newKeywords([]string{word}), newKeywords([]string{"o"}), newKeywords(words)})
		for _, parts := range append(splits(text), []string{text}) {
			got := u.scan(parts)
			for i, w := range [][]string{{word}, {"o"}, words} {
				if want := oracleMatchParts(newKeywords(w), parts); got&(1<<i) != 0 != want {
					t.Fatalf("the union finds %q in %q: %v, alone: %v", w, parts, !want, want)
				}
			}
		}
		if letters && !hasKeyword("- "+word+" -", []string{word}) {
			t.Fatalf("has_keyword(%q, [%q]) = false, want true", "- "+word+" -", word)
		}
	})
}

// matchEach is a reference for keywords.match: each keyword searched for
// in the whole folded text, and each occurrence checked for word
// boundaries.
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

// TestKeywordMatchEach compares keywords.matchString and matchParts with
// the references on random texts and keyword lists drawn from a small
// alphabet of letters, digits, accented and other-script letters,
// combining marks, spaces and punctuation, so that keywords occur often,
// inside words and across them.
func TestKeywordMatchEach(t *testing.T) {
	alphabet := []string{"a", "b", "o", "A", "1", " ", " ", "-", "(", "ç", "é", "ß", "s", "S", "П", "\u0327", "ab", "ba", "\xff", "\xc3", "Ã", "×", "ā", "Œ", "ſ"}
	r := rand.New(rand.NewPCG(8, 9))
	word := func(n int) string {
		var b []byte
		for range n {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		return string(b)
	}
	matched := 0
	for range 20000 {
		text := word(r.IntN(24))
		var words []string
		for range 1 + r.IntN(4) {
			words = append(words, word(1+r.IntN(3)))
		}
		if checkMatch(t, newKeywords(words), text, words) {
			matched++
		}
	}
	assert.Greater(t, matched, 1500, "cases that match")
}

// TestKeywordMatchParts checks matching over a text given in parts, with
// keywords across them.
func TestKeywordMatchParts(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		words []string
		want  bool
	}{
		{"phrase across parts", []string{"Site fora", " ", "DO AR agora"}, []string{"fora do ar"}, true},
		{"word across parts", []string{"paga", "mento"}, []string{"pagamento"}, true},
		{"word in the last part", []string{"Fatura", " ", "Olá PAGAMENTO"}, []string{"pagamento"}, true},
		{"word in the first part", []string{"Cobrança", " ", "nada"}, []string{"cobranca"}, true},
		{"joined words", []string{"paga", "mentos"}, []string{"pagamento"}, false},
		{"no boundary before", []string{"re", "pagamento"}, []string{"pagamento"}, false},
		{"no boundary after", []string{"pagamento", "s"}, []string{"pagamento"}, false},
		{"sharp s across parts", []string{"Stra", "ße"}, []string{"strasse"}, true},
		{"combining mark opening a part", []string{"cobranc", "\u0327a"}, []string{"cobranca"}, true},
		{"empty parts", []string{"", " ", ""}, []string{"x"}, false},
	}
	for _, tc := range tests {
		k := newKeywords(tc.words)
		got := k.matchParts(tc.parts)
		assert.Equal(t, tc.want, got, "%s: matchParts(%q) with %q = %v, want %v", tc.name, tc.parts, tc.words, got, tc.want)
		assert.Equal(t, matchFolded(k, strings.Join(tc.parts, "")), got, "%s: matchParts(%q), the reference", tc.name, tc.parts)
	}
}

// BenchmarkKeywordMatch matches the reference policy's billing keywords
// against the subject and text of a created event that has none of them.
func BenchmarkKeywordMatch(b *testing.B) {
	k := newKeywords([]string{"pagamento", "cobrança", "boleto", "fatura", "factura", "cobro", "pago",
		"fattura", "addebito", "rechnung", "zahlung", "abbuchung", "billing", "payment", "invoice", "refund"})
	parts := []string{"Preciso de ajuda com meu pedido", " ", "Preciso de ajuda com meu pedido. Best regards"}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if k.matchParts(parts) {
			b.Fatal("match")
		}
	}
}

// TestKeywordScanWords compares the scan with the references on random
// texts made of words that begin like the keywords (their first one, two
// or three bytes, in any case), long runs of ASCII letters, digits,
// punctuation, runs of spaces and a few accented letters: the texts where
// the scan's filter of the bytes that may start a keyword does its work.
func TestKeywordScanWords(t *testing.T) {
	vocab := []string{"pago", "PAGO", "Pagamento", "paga", "pag", "pa", "p", "fatura", "FAT", "fa", "f", "fora", "do", "ar",
		"down", "Dow", "dx", "ab", "a", "abc", "zahlung", "z", "12", "x1", "billing", "bi", "Büro", "pé", "cé", "ç", "Ça",
		"#pago", "#", ".", ",", "(", ")", "-", " ", " ", " ", "  ", "\t", "é", "ß", "\xff", "qwertyuiopasdfghjkl"}
	lists := [][]string{
		{"pago", "pagamento", "fatura", "billing", "zahlung"},
		{"fora do ar", "down", "ab"},
		{"a", "f", "12"},
		{"pa", "do", "dx"},
		{"#pago", "cé", "büro", "ça"},
		{"abc", "fat", "pag"},
	}
	var ks []*keywords
	for _, l := range lists {
		ks = append(ks, newKeywords(l))
	}
	u := newKeywordUnion(ks)
	r := rand.New(rand.NewPCG(19, 10))
	found := make([]int, len(lists))
	for range 3000 {
		var b strings.Builder
		for range r.IntN(14) {
			b.WriteString(vocab[r.IntN(len(vocab))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		for i, l := range lists {
			if checkMatch(t, ks[i], text, l) {
				found[i]++
			}
		}
		for _, parts := range append(splits(text), []string{text}) {
			got := u.scan(parts)
			for i := range lists {
				if want := oracleMatchParts(ks[i], parts); got&(1<<i) != 0 != want {
					t.Fatalf("the union finds %q in %q: %v, alone: %v", lists[i], parts, !want, want)
				}
			}
		}
	}
	for i, n := range found {
		assert.Greater(t, n, 100, "texts with a keyword of %q", lists[i])
		assert.Less(t, n, 2900, "texts with a keyword of %q", lists[i])
	}
}
