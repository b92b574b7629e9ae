package policy

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// limitTicket and limitEvent are as large as the data limits allow, with
// text that makes keyword search and comparisons work hard.
func limitTicket() (*sla.Ticket, *sla.Event) {
	text := strings.Repeat("pagamentopagament ", maxTextBytes/18+1)[:maxTextBytes]
	short := strings.Repeat("a", maxStringBytes)
	tags := make([]string, maxTags)
	for i := range tags {
		tags[i] = fmt.Sprintf("%0*d", maxStringBytes, i)
	}
	fields := map[string]any{"n": 5.0, "plan": "pro"}
	list := make([]any, maxFieldItems)
	for i := range list {
		list[i] = fmt.Sprintf("%0*d", 200, i)
	}
	fields["list"] = list
	for i := len(fields); i < maxFieldKeys; i++ {
		fields[fmt.Sprint("k", i)] = strings.Repeat("x", (maxFieldBytes-100*200)/maxFieldKeys)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	t := &sla.Ticket{ID: short, Channel: short, Priority: short, Team: short, Agent: short, Tags: tags,
		Subject: text, Fields: fields, CreatedAt: at,
		Customer: sla.Customer{ID: short, Tier: short, Country: short, Language: short, Phone: short}}
	ev := &sla.Event{Type: sla.EventMessage, At: at, Text: text, Tags: tags, RemoveTags: tags, Subject: text, Fields: fields}
	return t, ev
}

var (
	limitOnce      sync.Once
	limitT, limitE = (*sla.Ticket)(nil), (*sla.Event)(nil)
)

// costTests are expressions accepted or refused by the cost bound; ok
// says which.
var costTests = []struct {
	src string
	ok  bool
}{
	{`ticket.customer.tier == "vip"`, true},
	{`event.author == "customer" && has_keyword(ticket.subject + " " + event.text, ["pagamento", "cobrança", "boleto", "fatura", "factura", "cobro", "pago", "fattura", "addebito", "rechnung", "zahlung", "abbuchung", "billing", "payment", "invoice", "refund"])`, true},
	{`has_keyword(event.text, ticket.tags)`, true},
	{`any(ticket.tags, has_keyword(event.text, ticket.tags))`, false},
	{`any(ticket.tags, # startsWith "vip")`, true},
	{`all(ticket.tags, all(ticket.tags, # != ""))`, true},
	{`any(ticket.tags, has_keyword(event.text, ["x"]))`, false},
	{`all(ticket.tags, all(ticket.tags, all(ticket.tags, true)))`, false},
	{`let r = 1..1000; all(r, all(r, all(r, true)))`, false},
	{`let r = 1..100; all(r, all(r, true))`, true},
	{`all(1..ticket.fields.n, true)`, false},
	{`"x" in ticket.fields.list || ticket.fields.plan == "pro"`, true},
	{`len(split(event.text, "")) > 3`, true},
	{`len(split(event.text + ticket.subject, "")) > 3`, false},
	{`len(split(ticket.customer.tier, "")) > 3`, true},
	{`upper(event.text) contains "X"`, true},
	{`trim(event.text) != "" && trim(event.text, " .!") != ""`, true},
	{`event.text contains ticket.subject && indexOf(event.text, ticket.subject) >= 0`, true},
	{`event.text contains "refund" || lastIndexOf(event.text, "x") > 3 || len(split(event.text, ",")) > 3`, true},
	{strings.Repeat(`event.text contains ticket.subject || `, 4) + `event.text contains ticket.subject`, false},
	{`len(split(event.text, ticket.subject)) + indexOf(event.text, ticket.subject) + lastIndexOf(event.text, ticket.subject) + indexOf(ticket.subject, event.text) > 4`, false},
	{`trim(event.text, ticket.subject) == "x" || trim(ticket.subject, event.text) == "x"`, true},
	{strings.Repeat(`trim(event.text, ticket.subject) == "x" || `, 14) + `trim(event.text, ticket.subject) == "x"`, false},
	{`let a = event.text + event.text; let b = a + a; let c = b + b; len(c) > 0`, true},
	{`let a = event.text + event.text; let b = a + a; let c = b + b; let d = c + c; len(d) > 0`, false},
	{`reduce(1..40, #acc + #acc, "ab") != ""`, false},
	{`map(ticket.tags, # + #)[0] == ""`, false},
	{`repeat("a", 1000000) != ""`, false},
	{`ticket.subject matches "^(a|b)+c$"`, false},
	{`ticket.customer.tier matches "^(gold|platinum)[0-9]*$"`, true},
	{`event.text matches "refund"`, true},
	{`event.text matches "a+b"`, false},
	{`event.text matches ticket.subject`, false},
	{`count(filter(ticket.tags, # contains "1"), # endsWith "2") > 3`, true},
	{`any(values(ticket.fields), # == "x")`, true},
	{`string(ticket.fields) contains "x"`, true},
	{`event.text matches "(?i)refund|reembolso|erstattung"`, false},
	{`has_keyword(event.text, ["pagamento"])`, true},
	{`now.Format("2006-01-02") == "2026-03-02" && now - ticket.created_at > duration("1h")`, true},
}

func TestExprCost(t *testing.T) {
	for _, tc := range costTests {
		_, e := compileExpr(tc.src, envEvent, testCalendars, nil)
		if tc.ok {
			assert.Nil(t, e, "compileExpr(%q) = %v, want no error", tc.src, e)
		} else if assert.NotNil(t, e, "compileExpr(%q) = nil error, want too costly", tc.src) {
			assert.Regexp(t, "too costly|whole numbers|not available|unknown name", e.Msg)
		}
	}
}

// measure evaluates p on the largest ticket and event the limits allow
// and returns the time and the bytes allocated by one evaluation.
func measure(t testing.TB, p *cond) (time.Duration, uint64) {
	limitOnce.Do(func() { limitT, limitE = limitTicket() })
	env := newEventExprEnv()
	env.set(limitT, limitE)
	p.eval(env) // warm the pools
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	const n = 3
	for range n {
		p.eval(env)
	}
	d := time.Since(start) / n
	runtime.ReadMemStats(&m1)
	return d, (m1.TotalAlloc - m0.TotalAlloc) / n
}

// TestExprCostCalibration prints estimate and measure side by side (run
// with -v); it fails only when an accepted expression allocates more than
// the budget.
func TestExprCostCalibration(t *testing.T) {
	for _, tc := range costTests {
		p, e := compileUnbounded(tc.src, envEvent, testCalendars, nil)
		if e != nil {
			continue
		}
		c, ce := exprCost(p.Node())
		if ce != nil || c.work > 10*maxWork {
			continue
		}
		d, alloc := measure(t, newCond(p))
		t.Logf("%-60.60s est %9d work %8d alloc | %10v %8d B", tc.src, c.work, c.alloc, d, alloc)
		if tc.ok {
			require.LessOrEqual(t, alloc, uint64(maxAlloc+64<<10), "%s allocates %d bytes", tc.src, alloc)
		}
	}
}

// FuzzExprCost compiles arbitrary expressions: every one the loader
// accepts evaluates on the largest ticket and event within the limits
// allocating at most the budget (and a little for the VM itself). When
// fuzzing (go test -fuzz FuzzExprCost), it also checks the time: well
// within 20 ms, a bound loose enough for a busy machine. The seed run of
// go test checks bytes only, so that CI on a loaded machine or under the
// race detector never fails on a clock.
func FuzzExprCost(f *testing.F) {
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil {
		fuzzing = fl.Value.String() != ""
	}
	for _, tc := range costTests {
		f.Add(tc.src)
	}
	for _, tc := range exprTests {
		f.Add(tc.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, e := compileExpr(src, envEvent, testCalendars, nil)
		if e != nil {
			return
		}
		d, alloc := measure(t, newCond(p))
		if alloc > maxAlloc+64<<10 || (fuzzing && d > 20*time.Millisecond) {
			c, _ := exprCost(p.Node())
			t.Fatalf("%q: %v and %d bytes per evaluation; estimated %d work units and %d bytes", src, d, alloc, c.work, c.alloc)
		}
	})
}
