package policy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// sharedSources are rule conditions whose has_keyword calls a plan may
// share, run in this order as the rules of one event, beside conditions
// it must not share (a reason each).
var sharedSources = []struct{ src, reason string }{
	{`has_keyword(ticket.subject + " " + event.text, ["pago", "cobrança", "ß", "ab"])`, "the billing shape"},
	{`has_keyword(event.text, ["o", "ab", "fora do ar", "pago"])`, "shares event.text with the others"},
	{`event.author == "customer" && has_keyword(ticket.subject + " - " + event.text, ["o", "ç"])`, "a longer separator"},
	{`has_keyword(ticket.subject + " ab " + event.text, ["ab"])`, "the separator has the keyword: always true"},
	{`has_keyword(ticket.subject + " ab " + event.text, ["pago"])`, "the separator has a word, not the keyword"},
	{`has_keyword(ticket.subject + "x" + event.text, ["xa", "pago"])`, "a literal that joins words: not shared"},
	{`has_keyword(ticket.subject + " " + event.text, ["fora do ar", "b a", "o"])`, "a phrase may span parts: not shared"},
	{`has_keyword(ticket.subject + " " + event.text, ["#o", "o"])`, "a keyword with a non-word rune: not shared"},
	{`has_keyword(ticket.subject + event.text, ["ab", "o"])`, "fields side by side: not shared"},
	{`has_keyword(ticket.team + " " + event.text, ["billing", "o"])`, "a rule may change the team: not shared"},
	{`has_keyword(ticket.agent, ["ana", "o"]) || has_keyword(ticket.priority, ["urgent"])`, "rules change both"},
	{`has_keyword(event.subject + " " + ticket.customer.tier + " " + event.text, ["vip", "ar", "o"])`, "three fields"},
	{`!has_keyword(event.text, ["o", "ab", "fora do ar", "pago"])`, "the same list again"},
	{`has_keyword(event.text, ["ab"]) || len(ticket.tags) > 1`, "a VM condition led by a shared call"},
	{`has_keyword(event.text, ["o"]) && ticket.fields.n > 1`, "the same, failing on big fields"},
}

// sharedCases are a subject, a text and a team where sharing could go
// wrong: a phrase or a word across the parts, a separator with a word.
var sharedCases = [][3]string{
	{"Pago ab", "fora do ar\u0327", "pago"},
	{"fora do", "ar", "x"},
	{"fora", "do ar", "o"},
	{"b", "a", "b"},
	{"pa", "go", ""},
	{"a\xc3", "\xa7o", "o"},
	{"\u0327", "\u0327o", "billing"},
	{"", "", ""},
}

// sharedAlphabet makes texts where the keywords above occur often, inside
// words and across them, with accents, marks and invalid UTF-8.
var sharedAlphabet = []string{"o", "ab", "a", "b", "pago", "Pago", "fora", "do", "ar", "x", "vip", " ", " ", " ", "-", "#",
	"ç", "Ç", "ß", "ss", "\u0327", "é", "П", "\xc3", "\xff", "1", "×", "Œ", "oe", "ł"}

// TestSharedScans runs the conditions of sharedSources in order, as the
// rules of one event, sharing their scans, and checks every answer
// against the same condition compiled alone (run as Go code or on the
// VM), changing between conditions the attributes rules write.
// It does so with the slots' one union and with a union per slot.
func TestSharedScans(t *testing.T) {
	for _, one := range []bool{true, false} {
		t.Run(fmt.Sprintf("one union %v", one), func(t *testing.T) { testSharedScans(t, one) })
	}
}

func testSharedScans(t *testing.T, one bool) {
	planned, alone, pl := sharedConds(t, one)
	require.NotNil(t, pl, "the conditions share scans")
	assert.Equal(t, []strField{ticketSubject, eventText, eventSubject, ticketCustomer + customerTier}, pl.fields, "fields scanned")
	assert.Equal(t, one, pl.slots[0].union == pl.slots[1].union, "the slots share one union")
	r := rand.New(rand.NewPCG(3, 5))
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(sharedAlphabet[r.IntN(len(sharedAlphabet))])
		}
		return b.String()
	}
	holds := 0
	for _, c := range sharedCases {
		tk, ev := sharedCase(c[0], c[1], c[2], false)
		checkShared(t, planned, alone, &tk, &ev, func(*sla.Ticket) {})
	}
	for range 3000 {
		tk, ev := sharedCase(text(), text(), text(), r.IntN(3) == 0)
		holds += checkShared(t, planned, alone, &tk, &ev, func(tk *sla.Ticket) {
			tk.Team, tk.Agent, tk.Priority = text(), text(), text() // as a rule may
		})
	}
	assert.Greater(t, holds, 3000*len(sharedSources)/6, "conditions that hold")
}

// FuzzSharedScans is TestSharedScans on fuzzed texts.
func FuzzSharedScans(f *testing.F) {
	for _, tc := range keywordTests {
		f.Add(tc.text, strings.Join(tc.words, " "), "billing")
	}
	for _, tc := range fuzzTexts {
		f.Add(tc[0], tc[1], "o")
	}
	for _, c := range sharedCases {
		f.Add(c[0], c[1], c[2])
	}
	planned, alone, _ := sharedConds(f, true)
	apart, _, _ := sharedConds(f, false)
	f.Fuzz(func(t *testing.T, subject, text, team string) {
		for _, planned := range [][]*cond{planned, apart} {
			tk, ev := sharedCase(subject, text, team, len(team)%2 == 0)
			checkShared(t, planned, alone, &tk, &ev, func(tk *sla.Ticket) { tk.Team, tk.Agent = tk.Agent+text, tk.Team })
		}
	})
}

func sharedConds(t testing.TB, one bool) (planned, alone []*cond, pl *scanPlan) {
	t.Helper()
	for _, tc := range sharedSources {
		prog, e := compileExpr(tc.src, envEvent, nil, nil)
		require.Nil(t, e, tc.src)
		planned, alone = append(planned, newCond(prog)), append(alone, newCond(prog))
	}
	return planned, alone, planScansWith(planned, one)
}

func sharedCase(subject, text, team string, bigFields bool) (sla.Ticket, sla.Event) {
	tk := sla.Ticket{ID: "T1", Subject: subject, Team: team, Agent: text, Priority: subject,
		Customer: sla.Customer{Tier: team}, Tags: []string{"a"}, Fields: map[string]any{"n": 2}}
	if bigFields {
		tk.Fields["big"] = strings.Repeat("x", maxTextBytes+1) // reading the fields fails
	}
	ev := sla.Event{Type: sla.EventMessage, Author: sla.Author(team), Text: text, Subject: team + subject,
		At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return tk, ev
}

// checkShared runs the planned conditions in order on tk and ev, calling
// change between them, and compares each answer with the condition alone;
// it returns how many held.
func checkShared(t testing.TB, planned, alone []*cond, tk *sla.Ticket, ev *sla.Event, change func(*sla.Ticket)) int {
	t.Helper()
	var m scans
	holds := 0
	for j, c := range planned {
		name := fmt.Sprintf("%s (%s) on %+v / %+v", sharedSources[j].src, sharedSources[j].reason, tk, ev)
		env := newEventExprEnv()
		env.set(tk, ev)
		want, wantErr := alone[j].eval(env)
		var got, known bool
		got, known, m = c.decided(tk, ev, m)
		if !known {
			var err error
			got, err = c.eval(env)
			assert.Equal(t, wantErr, err, name)
		}
		require.Equal(t, want, got, name)
		if got {
			holds++
		}
		change(tk)
	}
	return holds
}

// TestSharedScansPlan checks which calls of the reference policy's rules
// share scans, and that routing by the plan gives what routing by the
// rules alone gives.
func TestSharedScansPlan(t *testing.T) {
	s, err := LoadFile("../testdata/policies/multidesk.yaml")
	require.NoError(t, err)
	require.NotNil(t, s.scans, "the reference rules share their scans")
	assert.Equal(t, []strField{ticketSubject, eventText}, s.scans.fields, "fields scanned")
	// The subject is scanned for the billing list, the text for it and the
	// outage list: both by one union of the two lists.
	assert.Len(t, s.scans.lists[0], 2, "lists in ticket.subject: billing, and outage (unread)")
	assert.Equal(t, s.scans.lists[0], s.scans.lists[1], "lists in event.text: billing and outage")
	require.NotNil(t, s.scans.slots[0].union.dfa, "the union has an automaton")
	assert.Same(t, s.scans.slots[0].union, s.scans.slots[1].union, "one union for both fields")
	assert.Equal(t, []uint8{0, 2}, []uint8{s.scans.slots[0].base, s.scans.slots[1].base}, "bits of the slots' lists")
}

// TestSharedScansOneUnionLimits checks when the slots keep a union each:
// their lists do not fit in the scans' bits, or the lists' union has no
// automaton.
func TestSharedScansOneUnionLimits(t *testing.T) {
	plan := func(srcs ...string) *scanPlan {
		var conds []*cond
		for _, src := range srcs {
			prog, e := compileExpr(src, envEvent, nil, nil)
			require.Nil(t, e, src)
			conds = append(conds, newCond(prog))
		}
		return planScans(conds)
	}
	lists := func(n int, prefix string) []string {
		var srcs []string
		for i := range n {
			srcs = append(srcs, fmt.Sprintf(`has_keyword(event.text, ["%s%d"])`, prefix, i))
		}
		return srcs
	}
	for _, tc := range []struct {
		name string
		srcs []string
		one  bool
	}{
		{"two fields, two lists", []string{`has_keyword(ticket.subject + " " + event.text, ["a"])`, `has_keyword(event.text, ["b"])`}, true},
		{"one field", lists(3, "w"), false},
		// 2 fields of 28 lists fill the 56 bits; 29 lists would need 58.
		{"28 lists", append(lists(27, "w"), `has_keyword(ticket.subject + " " + event.text, ["z"])`), true},
		{"29 lists", append(lists(28, "w"), `has_keyword(ticket.subject + " " + event.text, ["z"])`), false},
		// Each list alone has an automaton; their union has more keyword
		// bytes than a table has columns.
		{"no automaton", []string{
			`has_keyword(ticket.subject, ["` + strings.Join(pairWords('x', "0123456789abcdefghijklmnopqrstuvwxyz"), `", "`) + `"])`,
			`has_keyword(event.text, ["` + strings.Join(pairWords('x', "!#$%&'()*+,-./:;<=>?@[]^_`{|}~"), `", "`) + `"])`,
		}, false},
	} {
		pl := plan(tc.srcs...)
		require.NotNil(t, pl, tc.name)
		require.GreaterOrEqual(t, len(pl.slots), 1, tc.name)
		shared := len(pl.slots) > 1 && pl.slots[0].union == pl.slots[1].union
		assert.Equal(t, tc.one, shared, tc.name)
		for _, sl := range pl.slots {
			require.NotNil(t, sl.union, tc.name)
			if tc.name == "no automaton" {
				assert.NotNil(t, sl.union.dfa, "%s: each field's own automaton", tc.name)
			}
		}
	}
}

// pairWords returns the keywords of two bytes c and each byte of s.
func pairWords(c byte, s string) []string {
	var out []string
	for i := range len(s) {
		out = append(out, string([]byte{c, s[i]}))
	}
	return out
}

// TestKeywordUnion compares the bits a union of lists finds with each
// list matched alone by the former matcher, on random texts, whole and in
// parts.
func TestKeywordUnion(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(sharedAlphabet[r.IntN(len(sharedAlphabet))])
		}
		return b.String()
	}
	found := 0
	for range 3000 {
		var lists []*keywords
		for range 1 + r.IntN(5) {
			var words []string
			for range 1 + r.IntN(3) {
				words = append(words, word(1+r.IntN(2)))
			}
			lists = append(lists, newKeywords(words))
		}
		if r.IntN(4) == 0 {
			lists = append(lists, lists[0]) // the same list twice
		}
		u := newKeywordUnion(lists)
		text := word(r.IntN(10))
		for _, parts := range append(splits(text), []string{text}) {
			got := u.scan(parts)
			for i, l := range lists {
				want := oracleMatchParts(l, parts)
				require.Equal(t, want, got&(1<<i) != 0, "list %d %q in %q", i, l.folded, parts)
				if want {
					found++
				}
			}
		}
	}
	assert.Greater(t, found, 3000, "lists found")
}
