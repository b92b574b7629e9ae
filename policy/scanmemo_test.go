package policy

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// memoSubjects are subjects the billing rule's memo must give the scan of
// again: ending in the middle of a keyword, a keyword's end at the start,
// accented letters, other scripts, invalid UTF-8, the longest kept and one
// byte more, and texts of one length and ends (one memo entry).
var memoSubjects = []string{
	"", "pa", "pago", "Fatura em aberto", "segunda via do bolet", "oleto", "Cobrança", "COBRANÇA duplicada",
	"cobranca", "Rechnung für März", "Zahlung", "factura\u0301", "Счёт invoice", "invoice\xff", "\xc3",
	"refund?", "ref", "und", "xpagox", "pago-", strings.Repeat("a", memoMaxBytes-5) + " pago",
	strings.Repeat("b", memoMaxBytes-4) + " pago", "pagX", "paXo", "pXgo", "Xago",
}

// memoTexts are message texts, joined to the subjects.
var memoTexts = []string{"", "go", "ta", "boleto", "pagamento atrasado", "П", "ç", "\u0327 invoice", " refund"}

// billingWords is the reference policy's billing list.
var billingWords = []string{"pagamento", "cobrança", "boleto", "fatura", "factura", "cobro", "pago", "fattura",
	"addebito", "rechnung", "zahlung", "abbuchung", "billing", "payment", "invoice", "refund"}

// memoCond returns the billing condition of the reference policy,
// planned with its scans (and the subject memo).
func memoCond(t testing.TB) (*cond, *keywords, *scanSlot) {
	t.Helper()
	src := `has_keyword(ticket.subject + " " + event.text, ["` + strings.Join(billingWords, `", "`) + `"])`
	prog, e := compileExpr(src, envEvent, nil, nil)
	require.Nil(t, e, src)
	c := newCond(prog)
	pl := planScans([]*cond{c})
	require.NotNil(t, pl, "the condition is shared")
	require.NotNil(t, pl.slots[0].memo, "the subject has a memo")
	require.NotNil(t, c.native, "the condition runs as Go code")
	return c, newKeywords(billingWords), pl.slots[0]
}

// checkMemo runs c on subject and text and compares the answer with the
// list matched on the joined string by the former matcher.
func checkMemo(t testing.TB, c *cond, kw *keywords, subject, text string) {
	t.Helper()
	tk := sla.Ticket{ID: "T1", Subject: subject}
	ev := sla.Event{Type: sla.EventMessage, Text: text}
	got, _ := c.native(&tk, &ev, 0)
	want := oracleMatchParts(kw, []string{cut(subject, maxTextBytes) + " " + cut(text, maxTextBytes)})
	require.Equal(t, want, got, "has_keyword(%q + \" \" + %q)", subject, text)
}

// TestSubjectMemo checks the billing rule with the subject memo against
// the joined string, each subject met cold and again after the others.
func TestSubjectMemo(t *testing.T) {
	c, kw, slot := memoCond(t)
	for range 2 {
		for _, s := range memoSubjects {
			for _, x := range memoTexts {
				checkMemo(t, c, kw, s, x)
				checkMemo(t, c, kw, strings.Clone(s), x) // an equal subject elsewhere in memory
			}
		}
	}
	kept := 0
	for i := range slot.memo {
		if e := slot.memo[i].Load(); e != nil {
			require.Equal(t, slot.memo.entry(e.text), &slot.memo[i], "%q is in its entry", e.text)
			require.Equal(t, slot.scan(&sla.Ticket{Subject: e.text}, &sla.Event{}), e.found, "%q", e.text)
			kept++
		}
	}
	require.Greater(t, kept, 8, "subjects kept")
}

// TestSubjectMemoConcurrent runs the billing rule from many goroutines at
// once on subjects that share memo entries (run with -race).
func TestSubjectMemoConcurrent(t *testing.T) {
	c, kw, _ := memoCond(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				s := memoSubjects[(g+i)%len(memoSubjects)]
				if i%3 == 0 {
					s = fmt.Sprint(s, i%7) // new subjects, replacing entries
				}
				checkMemo(t, c, kw, s, memoTexts[i%len(memoTexts)])
			}
		})
	}
	wg.Wait()
}

// FuzzSubjectMemo checks the memo on fuzzed subjects: each met cold,
// again with another text, and after a subject of the same memo entry.
func FuzzSubjectMemo(f *testing.F) {
	for i, s := range memoSubjects {
		f.Add(s, memoTexts[i%len(memoTexts)], memoTexts[(i+1)%len(memoTexts)])
	}
	for _, tc := range fuzzTexts {
		f.Add(tc[0], tc[1], "")
	}
	c, kw, _ := memoCond(f)
	f.Fuzz(func(t *testing.T, subject, text, text2 string) {
		checkMemo(t, c, kw, subject, text)
		checkMemo(t, c, kw, subject, text2)
		if subject != "" { // a subject of the same entry, then this one again
			other := []byte(subject)
			other[len(other)/2] ^= 0x20
			if len(other) > 2 {
				other[1] ^= 0x01
			}
			checkMemo(t, c, kw, string(other), text)
			checkMemo(t, c, kw, subject, text2)
		}
	})
}
