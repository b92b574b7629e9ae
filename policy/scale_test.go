package policy_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
)

// manyPriorities is a valid document with n priorities, a policy with a
// target for each, a rule and a ladder level setting the last one.
func manyPriorities(n int) []byte { return bigDoc(n, false) }

// manyOfEach is manyPriorities with n items in every other list as well:
// rules, calendars, SLA policies (each with a ladder and calendar of its
// own) and whatsapp thresholds.
func manyOfEach(n int) []byte { return bigDoc(n, true) }

func bigDoc(n int, every bool) []byte {
	var b strings.Builder
	b.WriteString("version: 1\npriorities:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - p%d\n", i)
	}
	b.WriteString("slas:\n  - name: all\n    escalation: l\n    targets:\n")
	for i := range n {
		fmt.Fprintf(&b, "      p%d: {resolution: 1h}\n", i)
	}
	for i := range n * btoi(every) {
		fmt.Fprintf(&b, "  - {name: s%d, when: 'ticket.channel == \"c%d\"', escalation: l%d, calendar: c%d, targets: {p0: {resolution: 1h}}}\n", i, i, i, i)
	}
	fmt.Fprintf(&b, "rules:\n  - {name: r, set: {priority: p%d}}\n", n-1)
	for i := range n * btoi(every) {
		fmt.Fprintf(&b, "  - {name: r%d, on: [created, message], when: 'has_keyword(event.text, [\"w%d\"])', set: {tags: [t%d]}}\n", i, i, i)
	}
	fmt.Fprintf(&b, "escalations:\n  l:\n    - {name: a, metric: resolution, at: breach, actions: [{set_priority: p%d}]}\n", n-1)
	if !every {
		return []byte(b.String())
	}
	for i := range n {
		fmt.Fprintf(&b, "  l%d:\n    - {name: a, metric: resolution, at: 80%%, during: c%d, actions: [{notify: x}]}\n", i, i)
	}
	b.WriteString("calendars:\n")
	for i := range n {
		fmt.Fprintf(&b, "  c%d: {timezone: Europe/Berlin, hours: {mon-fri: [\"09:00-17:00\"]}, holidays: [\"2026-12-24\"]}\n", i)
	}
	b.WriteString("whatsapp:\n  closing_soon:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - %ds\n", i+1)
	}
	return []byte(b.String())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestLoadIsLinear loads documents with n and 16n items in every list:
// sixteen times the input may take at most about sixteen times as
// long (here 64 times, room for a busy machine), not 256 times.
func TestLoadIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	for _, gen := range []struct {
		name string
		doc  func(int) []byte
		n    int
	}{{"priorities", manyPriorities, 1000}, {"every list", manyOfEach, 100}} {
		t.Run(gen.name, func(t *testing.T) {
			measure := func(n int) time.Duration {
				src := gen.doc(n)
				best := time.Duration(1 << 62)
				for range 3 {
					runtime.GC()
					start := cpuTime()
					s, err := policy.Load("p.yaml", src)
					d := cpuTime() - start
					require.NoError(t, err)
					require.Len(t, s.Priorities(), n)
					best = min(best, d)
				}
				return best
			}
			small, large := measure(gen.n), measure(16*gen.n)
			t.Logf("Load: %d items in %v, %d in %v", gen.n, small, 16*gen.n, large)
			assert.Less(t, large, 64*small, "Load: %d items in %v, %d in %v", gen.n, small, 16*gen.n, large)
		})
	}
}

func BenchmarkLoadPriorities(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 400_000} {
		src := manyPriorities(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := policy.Load("p.yaml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestErrorsProportional: a report stays short however large the input
// behind it: one message quotes a few names and a short prefix of a
// value, the list stops after 100 errors with a count of the rest, and an
// alias bomb ends the load with one error.
func TestErrorsProportional(t *testing.T) {
	long := strings.Repeat("Zone/", 20_000) // 100 KB
	var refs strings.Builder
	refs.WriteString("rules:\n")
	for i := range 5000 {
		fmt.Fprintf(&refs, "  - {name: r%d, set: {priority: nope%d}}\n", i, i)
	}
	// Rules sharing one set of 1,000 tags through aliases: 2,000 rules
	// visit 2,000,000 nodes.
	var bomb strings.Builder
	bomb.WriteString("version: 1\nrules:\n  - {name: r0, set: &s {tags: [")
	for i := range 1000 {
		fmt.Fprintf(&bomb, "t%d, ", i)
	}
	bomb.WriteString("t]}}\n")
	for i := 1; i < 2000; i++ {
		fmt.Fprintf(&bomb, "  - {name: r%d, set: *s}\n", i)
	}
	tests := []struct {
		name    string
		doc     string
		maxLen  int    // bytes of the whole report
		n       int    // errors listed, the "and N more" line included
		contain string // a line of the report
	}{
		{"many priorities quoted", strings.Replace(string(manyPriorities(20_000)), "escalations:", "  - {name: bad, set: {priority: nope}}\nescalations:", 1),
			500, 1, `undefined priority "nope" (priorities: p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 and 19990 more)`},
		{"many errors", "version: 1\n" + refs.String(),
			100 * 200, 101, "t.yaml:103:34: and 4900 more errors"},
		{"long zone", "version: 1\ncalendars:\n  a: {timezone: " + long + ", hours: {daily: [\"09:00-17:00\"]}}\n",
			200, 1, `calendars.a.timezone: "` + long[:64] + `"...: unknown time zone`},
		{"long key", "version: 1\n" + long[:1000] + ": 1\n",
			500, 1, `unknown key "` + long[:64] + `"... (want version,`},
		{"long priority", "version: 1\npriorities: [a, a" + long + ", a" + long + "]\n",
			400, 1, `priority "a` + long[:63] + `"... listed twice`},
		{"alias bomb", bomb.String(), 200, 1, "more than 1000000 nodes once aliases are expanded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			list := err.(policy.ErrorList)
			got := list.String()
			assert.LessOrEqual(t, len(got), tc.maxLen, "Load report is %d bytes: %.300s", len(got), got)
			assert.Len(t, list, tc.n, "Load report: %.2000s", got)
			assert.Contains(t, got, tc.contain)
		})
	}
}
