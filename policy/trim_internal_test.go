package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// auditCutset is the case that made expr's trim take 0.4 s: a cutset of
// 10,900 different CJK runes (32 KiB) and a text of its last rune
// repeated, every rune of which strings.Trim looks up by scanning the
// cutset.
func auditCutset() (cutset, text string) {
	var b strings.Builder
	for r := rune(0x4E00); b.Len()+3 <= maxTextBytes; r++ {
		b.WriteRune(r)
	}
	cutset = b.String()
	last, _ := utf8.DecodeLastRuneInString(cutset)
	return cutset, strings.Repeat(string(last), maxTextBytes/3)
}

// trimCases hold what strings.Trim treats specially: empty strings,
// invalid UTF-8 (which a cutset holding U+FFFD or an invalid byte trims),
// repeated runes, runes outside the Basic Multilingual Plane, and cutsets
// long enough for the set (over shortCutset bytes).
var trimCases = []struct{ s, cutset string }{
	{"", ""}, {"abc", ""}, {"", "abc"}, {"  a  ", " "}, {"xxaxx", "x"},
	{"ççaçç", "ç"}, {"ççaçç", "çççççççççççççççççç"}, {"éaé", "áéíóúáéíóúáéíóúáéíóú"},
	{"\xffa\xff", "\xff"}, {"\xffa\xff", "\ufffd"}, {"\ufffda\ufffd", "\xfe"}, {"\xffa\xff", "áéíóúáéíóúáéíóú\xfe"},
	{"\xffa\xff", "áéíóúáéíóúáéíóúáéíóú\ufffd"}, {"\ufffda\ufffd", "áéíóúáéíóúáéíóúáéíóú\xc3"},
	{"\xffa\xff", "áéíóúáéíóúáéíóúáéíóú"}, {"\xe4\xb8a\xe4\xb8", "áéíóúáéíóúáéíóúáéíóú\xe4\xb8"},
	{"😀😀a😀", "😀😁😂🤣😃😄😅😆😉😊"}, {"😀a😀", "😁😂🤣😃😄😅😆😉😊"}, {"aé😀a", "abcdefghijklmnopqrsé😀"},
	{"日本語テキスト日本", "日本日本日本日本日本日本日本"}, {"日本語", "日本語日本語日本語日本語日本語日本語"},
	{"\x00a\x00", "\x00áéíóúáéíóúáéíóú"}, {"\U0010FFFFa\U0010FFFF", "\U0010FFFFáéíóúáéíóúáéíóú"},
	{"abcabc", "cbacbacbacbacbacbacbacba"},
}

func TestTrimMatchesStrings(t *testing.T) {
	for _, tc := range trimCases {
		assert.Equal(t, strings.Trim(tc.s, tc.cutset), trimCutset(tc.s, tc.cutset), "trim(%q, %q)", tc.s, tc.cutset)
		var rs runeSet
		assert.Equal(t, strings.Trim(tc.s, tc.cutset), rs.trim(tc.s, tc.cutset), "runeSet.trim(%q, %q)", tc.s, tc.cutset)
	}
	// Random texts and cutsets over a small alphabet, so that runes
	// repeat and the ends of the texts are often in the cutsets.
	alphabet := []string{"a", " ", "é", "ç", "日", "本", "😀", "\ufffd", "\xff", "\xe4\xb8", "\x00"}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 20_000 {
		s, cutset := word(rng.IntN(12)), word(rng.IntN(24))
		require.Equal(t, strings.Trim(s, cutset), trimCutset(s, cutset), "trim(%q, %q)", s, cutset)
	}
}

// FuzzTrim checks trimCutset against strings.Trim on any text and cutset.
func FuzzTrim(f *testing.F) {
	for _, tc := range trimCases {
		f.Add(tc.s, tc.cutset)
	}
	f.Fuzz(func(t *testing.T, s, cutset string) {
		if got, want := trimCutset(s, cutset), strings.Trim(s, cutset); got != want {
			t.Fatalf("trim(%q, %q) = %q, want %q", s, cutset, got, want)
		}
	})
}

// TestTrimLinear checks that trim reads a long cutset once per call, not
// once per rune of the text as strings.Trim does, and leaves the pooled
// set empty.
func TestTrimLinear(t *testing.T) {
	cutset, text := auditCutset()
	rs := new(runeSet)
	require.Equal(t, "", rs.trim(text, cutset))
	assert.Equal(t, 1, rs.loads, "cutset reads for %d runes", utf8.RuneCountInString(text))
	rs.reset(cutset)
	for i, w := range rs.bits {
		require.Zero(t, w, "bits[%d] left set after reset", i)
	}
	assert.Equal(t, "x", rs.trim(text+"x"+text, cutset))
	assert.Equal(t, 2, rs.loads)
}

// TestTrimAuditCase evaluates the audit's condition, 15 trims of the
// text by the subject (over the cost budget, so compiled here without
// the cost check), on 5 tickets and wants expr's answer. That it is
// linear is TestTrimLinear's (the cutset read once a call); the times,
// 2 s with expr's trim against a few milliseconds, are in BENCHMARKS.md.
func TestTrimAuditCase(t *testing.T) {
	src := strings.Repeat(`trim(event.text, ticket.subject) == "x" || `, 14) + `trim(event.text, ticket.subject) == "x"`
	p, e := compileUnbounded(src, envEvent, nil, nil)
	require.Nil(t, e)
	_, ce := exprCost(p.Node())
	require.Nil(t, ce)
	cutset, text := auditCutset()
	at := time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	tk := &sla.Ticket{ID: "T-1", Subject: cutset, CreatedAt: at}
	ev := &sla.Event{Type: sla.EventMessage, At: at, Text: text}
	c := newCond(p)
	env := newEventExprEnv()
	for range 5 {
		env.set(tk, ev)
		ok, err := c.eval(env)
		require.NoError(t, err)
		require.False(t, ok)
		env.reset()
	}
}
