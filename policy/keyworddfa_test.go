package policy

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dfaLists are keyword lists whose unions the automaton's tests scan: the
// reference policy's two, phrases, keywords with a letter folded from a
// Latin letter (ç, ß), one of another script, one that starts with a
// byte that is not part of a word, one- and two-byte keywords.
var dfaLists = [][]string{
	{"pagamento", "cobrança", "boleto", "fatura", "factura", "cobro", "pago", "fattura", "addebito", "rechnung",
		"zahlung", "abbuchung", "billing", "payment", "invoice", "refund"},
	{"fora do ar", "caído", "non funziona", "ausfall", "outage", "down"},
	{"straße", "ça", "platёж", "#vip", "a", "ab", "x1", "x y"},
}

// dfaTexts hold keywords of dfaLists, their prefixes and their folded
// forms beside Latin letters, letters of other scripts, combining marks,
// invalid UTF-8 and punctuation: where the automaton reads a Latin letter
// itself, where it hands off to the general scanner in the middle of a
// keyword, and where the two meet at a word's boundary.
var dfaTexts = []string{
	"",
	"Problema de pagamento",
	"COBRANÇA duplicada",
	"cobranca",
	"cobranç\u0327a",
	"cobranç",
	"caído",
	"cai\u0301do",
	"caídox",
	"o site está fora do ar",
	"fora do a\u0327r",
	"fora do ärger",
	"fora do arП",
	"fora do ar\xff",
	"Die Straße, STRASSE und strasse",
	"straßen",
	"Ça va",
	"çava",
	"платёж platёж platеж",
	"#vip a#vip",
	"ab-a x1 x12",
	"éa ßa ab\u0301",
	"pagoП pagoß pago\u00a0",
	"\xc3pago \xc3\xa7a",
	"refundção",
	"Æ down Œ outage",
	"ça\xc3",
	"zça x yП", // handed off with "x y" in progress, back to the middle of ç
}

// checkDFA compares the union's automaton on text with the general
// scanner, and with each list matched alone by the former matcher on text
// whole and split at every byte.
func checkDFA(t testing.TB, u *keywords, lists []*keywords, text string) uint64 {
	t.Helper()
	got := u.dfa.scan(u, text)
	require.Equal(t, u.scanFrom([]string{text}, 0, 0, false, 0), got, "the automaton and the general scanner on %q", text)
	for _, parts := range append(splits(text), []string{text}) {
		for i, l := range lists {
			require.Equal(t, oracleMatchParts(l, parts), got&(1<<i) != 0, "list %d %q in %q", i, l.folded, parts)
		}
	}
	return got
}

// TestKeywordDFA checks the automaton of dfaLists' union against the
// references on dfaTexts, and that each list is found.
func TestKeywordDFA(t *testing.T) {
	var lists []*keywords
	for _, l := range dfaLists {
		lists = append(lists, newKeywords(l))
	}
	u := newKeywordUnion(lists)
	require.NotNil(t, u.dfa, "the union has an automaton")
	var found uint64
	for _, text := range dfaTexts {
		found |= checkDFA(t, u, lists, text)
	}
	assert.Equal(t, u.all, found, "every list found in some text")
}

// TestKeywordDFARandom checks the automaton on random texts of pieces of
// dfaTexts and of the keywords, in random case.
func TestKeywordDFARandom(t *testing.T) {
	var lists []*keywords
	var pieces []string
	for _, l := range dfaLists {
		lists = append(lists, newKeywords(l))
		pieces = append(pieces, l...)
	}
	pieces = append(pieces, " ", " ", "-", "ç", "ß", "\u0301", "П", "\xff", "é", "x")
	u := newKeywordUnion(lists)
	r := rand.New(rand.NewPCG(7, 19))
	found := 0
	for range 1500 {
		var b strings.Builder
		for range r.IntN(8) {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(2) == 0 {
				p = strings.ToUpper(p)
			}
			if r.IntN(3) == 0 {
				p = p[:r.IntN(len(p)+1)]
			}
			b.WriteString(p)
			if r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		if checkDFA(t, u, lists, b.String()) != 0 {
			found++
		}
	}
	assert.Greater(t, found, 600, "texts with a keyword")
	assert.Less(t, found, 1400, "texts with a keyword")
}

// TestKeywordDFALimits: a union with more keyword bytes than the table has
// columns, or more states than it has rows, has no automaton, and scans
// with the general scanner.
func TestKeywordDFALimits(t *testing.T) {
	var words []string
	for c := '!'; c <= '~'; c++ {
		words = append(words, "a"+string(c))
	}
	u := newKeywordUnion([]*keywords{newKeywords(words)})
	assert.Nil(t, u.dfa, "95 keyword bytes")
	assert.Equal(t, uint64(1), u.scan([]string{"x a~ y"}))
	words = nil
	for c := 'a'; c <= 'z'; c++ {
		for d := 'a'; d <= 'j'; d++ {
			words = append(words, string([]rune{c, d, 'x'}))
		}
	}
	u = newKeywordUnion([]*keywords{newKeywords(words)})
	assert.Nil(t, u.dfa, "more than maxDFAStates states")
	assert.Equal(t, uint64(1), u.scan([]string{"x zjx y"}))
	u = newKeywordUnion([]*keywords{newKeywords([]string{"pago"})})
	assert.NotNil(t, u.dfa)
}

func FuzzKeywordDFA(f *testing.F) {
	for _, text := range dfaTexts {
		f.Add(text, "pago")
	}
	for _, tc := range fuzzTexts {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, text, word string) {
		lists := []*keywords{newKeywords([]string{word}), newKeywords(dfaLists[1]), newKeywords(dfaLists[2])}
		u := newKeywordUnion(lists)
		if u.dfa == nil {
			return
		}
		checkDFA(t, u, lists, text)
	})
}

// BenchmarkKeywordUnionScan scans texts like the reference policy's
// messages (Portuguese, German, English, one with a billing word) for the
// union of its billing and outage keywords: with the automaton and with
// the general scanner.
func BenchmarkKeywordUnionScan(b *testing.B) {
	u := newKeywordUnion([]*keywords{newKeywords(dfaLists[0]), newKeywords(dfaLists[1])})
	texts := [][]string{{"Oi, tudo bem? Tenho uma dúvida"}, {"Passwort zurücksetzen. Viele Grüße"},
		{"Question about my order. Best regards"}, {"Minha fatura veio errada"}}
	n := 0
	for _, t := range texts {
		n += len(t[0])
	}
	for _, bc := range []struct {
		name string
		scan func([]string) uint64
	}{
		{"dfa", func(parts []string) uint64 { return u.dfa.scan(u, parts[0]) }},
		{"general", func(parts []string) uint64 { return u.scanFrom(parts, 0, 0, false, 0) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			var found uint64
			for b.Loop() {
				for _, t := range texts {
					found |= bc.scan(t)
				}
			}
			if found != 1 {
				b.Fatalf("found %b, want the billing list alone", found)
			}
		})
	}
}

// TestKeywordDFARunFoldsLatin checks that run reads a Latin letter with a
// diacritic itself, without stopping for scan to fold it or to hand off:
// over text of such letters with no keyword it reaches the end in one call.
// (Stopping there would give scan the same bits, only slower: the
// differential tests cannot tell.) A letter of another script still stops
// it.
func TestKeywordDFARunFoldsLatin(t *testing.T) {
	u := newKeywordUnion([]*keywords{newKeywords(dfaLists[0]), newKeywords(dfaLists[1])})
	require.NotNil(t, u.dfa)
	for _, text := range []string{"Não há ação possível", "Grüße aus München, Straße", "àéîõüçñ ŒœŠšŽž"} {
		i, _, _ := u.dfa.run(text, 0, 0)
		assert.Equal(t, len(text), i, "%q", text)
	}
	text := "Oi, платёж"
	i, _, x := u.dfa.run(text, 0, 0)
	assert.Equal(t, strings.Index(text, "п"), i, "%q", text)
	assert.Equal(t, uint16(dfaStop), x, "%q", text)
}

// BenchmarkKeywordUnionScanVaried is BenchmarkKeywordUnionScan over 1,024
// distinct texts of message-like words (one in eight with a keyword of
// the union), all scanned at each turn: four texts scanned again and again
// let the processor learn every branch of the scan by heart, which texts
// that differ (as a replay's do) do not. The branches of the scan that
// depend on the text (where a word ends, whether it begins a keyword) then
// cost what they cost in a replay.
func BenchmarkKeywordUnionScanVaried(b *testing.B) {
	u := newKeywordUnion([]*keywords{newKeywords(dfaLists[0]), newKeywords(dfaLists[1])})
	texts := variedTexts(1024)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	for _, bc := range []struct {
		name string
		scan func(string) uint64
	}{
		{"dfa", func(s string) uint64 { return u.dfa.scan(u, s) }},
		{"general", func(s string) uint64 { return u.scanFrom([]string{s}, 0, 0, false, 0) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			found := 0
			for b.Loop() {
				found = 0
				for _, t := range texts {
					if bc.scan(t) != 0 {
						found++
					}
				}
			}
			if found == 0 || found == len(texts) {
				b.Fatalf("%d of %d texts have a keyword", found, len(texts))
			}
		})
	}
}

// variedTexts returns n texts of 2 to 12 words drawn from words of
// messages in four languages (some with Latin letters), one in eight with
// a keyword of the reference policy's lists.
func variedTexts(n int) []string {
	r := rand.New(rand.NewPCG(14, 19))
	pool := strings.Fields("oi tudo bem tenho uma dúvida sobre meu pedido que ainda não chegou quero mudar " +
		"o plano obrigado Passwort zurücksetzen Lieferung verspätet Frage zu meinem Vertrag Grüße " +
		"question about my order how do I export data still not working thanks that helped " +
		"hola necesito ayuda con mi cuenta dónde está gracias ciao grazie mille ordine arrivato")
	var out []string
	for range n {
		words := make([]string, 2+r.IntN(11))
		for i := range words {
			words[i] = pool[r.IntN(len(pool))]
		}
		if r.IntN(8) == 0 {
			list := dfaLists[r.IntN(2)]
			words[r.IntN(len(words))] = list[r.IntN(len(list))]
		}
		text := strings.Join(words, " ")
		if r.IntN(3) == 0 {
			text += "?"
		}
		out = append(out, text)
	}
	return out
}

// TestLatinPairs checks that latinPairs holds latinFold's letters: every
// fold is one or two ASCII letters.
func TestLatinPairs(t *testing.T) {
	folds := 0
	for i, f := range latinFold {
		p := latinPairs[i]
		got := strings.TrimRight(string([]byte{byte(p), byte(p >> 8)}), "\x00")
		require.Equal(t, f, got, "U+%04X", 0xC0+i)
		for _, c := range []byte(f) {
			require.True(t, 'a' <= c && c <= 'z', "U+%04X folds to letters", 0xC0+i)
		}
		if f != "" {
			folds++
		}
	}
	assert.Equal(t, 190, folds, "Latin letters with a fold (all but × and ÷)")
}
