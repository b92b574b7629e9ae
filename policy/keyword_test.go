package policy

import (
	"testing"
	"unicode"

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
		letters := word != ""
		for _, r := range word {
			letters = letters && unicode.IsLetter(r)
		}
		if letters && !hasKeyword("- "+word+" -", []string{word}) {
			t.Fatalf("has_keyword(%q, [%q]) = false, want true", "- "+word+" -", word)
		}
	})
}
