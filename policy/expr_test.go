package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
)

var testCalendars = map[string]*calendar.Calendar{"always": calendar.Always}

// exprTests compile against the rule environment; a non-empty err is the
// wanted "line:col: message" inside the expression.
var exprTests = []struct {
	name string
	src  string
	err  string
}{
	{"field", `ticket.customer.tier == "vip"`, ""},
	{"keyword literal", `has_keyword(event.text, ["cobrança", "pagamento"])`, ""},
	{"keyword dynamic", `has_keyword(event.text, ticket.tags)`, ""},
	{"is_open", `is_open("always") && now.Hour() >= 0`, ""},
	{"durations", `now - ticket.created_at > duration("1h")`, ""},
	{"fields", `ticket.fields.order_value > 100 || ticket.fields["vip"] == true`, ""},
	{"in list", `event.author in ["agent", "bot"] && event.public`, ""},
	{"unknown name", `ticket.chanel == "email"`, `1:8: type ticket has no field chanel`},
	{"not bool", `ticket.priority`, `1:1: expected bool, but got string`},
	{"syntax", `ticket.team == `, `1:15: unexpected token EOF`},
	{"second line", "ticket.team == \"x\" &&\n  ticket.nope", `2:10: type ticket has no field nope`},
	{"now builtin", `now() > ticket.created_at`, `1:1: time.Time is not callable`},
	{"date builtin", `date("2026-01-01") > now`, `1:1: unknown name date`},
	{"undefined calendar", `is_open("office")`, `1:9: is_open: undefined calendar "office"`},
	{"is_open name not literal", `is_open(ticket.team)`, `1:16: is_open takes a calendar name in quotes`},
	{"is_open arity", `is_open()`, `1:1: is_open takes one calendar name`},
	{"keyword wrong type", `has_keyword(1, ["a"])`, `1:13: cannot use int as argument (type string) to call has_keyword`},
	{"time zone methods", `now.In(now.Location()).Hour() < 12 && now.Zone() != "" || now.UTC().IsDST() || now.Location().String() == "UTC"`, ""},
	{"local", `now.Local().Hour() < 12`, `1:5: Local is not available in conditions: it reads the time zone of the machine`},
	{"local of an instant", `event.at.Local().Hour() < 12 || ticket.created_at.Local().Day() == 1`, `1:10: Local is not available`},
	{"local method value", `let f = now.Local; f().Hour() < 12`, `1:13: Local is not available`},
	{"local in a loop", `any([now], #.Local().Hour() < 12)`, `1:14: Local is not available`},
	{"local of a list item", `first([now]).Local().Hour() < 12`, `1:14: Local is not available`},
	{"local of a map value", `let m = {"a": now}; m.a.Local().Hour() < 12`, `1:25: Local is not available`},
	{"local of values", `values({"a": now})[0].Local().Hour() < 12`, `1:23: Local is not available`},
	{"local in a predicate over maps", `any([{"t": ticket.created_at}], .t.Local().Hour() < 12)`, `1:36: Local is not available`},
	{"a map key named Local", `{"Local": 1}.Local == 1`, ""},
	{"env in keys", `len(keys($env)) > 0`, `1:10: $env is not available in conditions`},
	{"env in trim", `trim($env) == ""`, `1:6: $env is not available in conditions`},
	{"env in indexOf", `indexOf($env, "x") > 0`, `1:9: $env is not available in conditions`},
	{"env contains", `$env contains "x"`, `1:1: $env is not available in conditions`},
	{"nil contains", `nil contains "x"`, `1:5: invalid operation: contains (mismatched types unknown and string)`},
	{"contains nil", `ticket.subject contains nil`, `1:16: invalid operation: contains (mismatched types string and unknown)`},
	{"too long", strings.Repeat("true && ", 300) + "true", `1:1: expression longer than 2048 bytes`},
	{"too many nodes", strings.Repeat("!", 600) + "true", `1:604: compilation failed: expression exceeds maximum allowed nodes`},
}

func TestCompileExpr(t *testing.T) {
	for _, tc := range exprTests {
		t.Run(tc.name, func(t *testing.T) {
			_, e := compileExpr(tc.src, envEvent, testCalendars, nil)
			got := ""
			if e != nil {
				got = e.String()
			}
			if tc.err == "" {
				assert.Empty(t, got, "compileExpr(%q) = %q, want no error", tc.src, got)
				return
			}
			assert.True(t, strings.HasPrefix(got, tc.err), "compileExpr(%q) = %q, want %q", tc.src, got, tc.err)
		})
	}
}

func TestRunNeverPanics(t *testing.T) {
	srcs := []string{
		`ticket.fields.missing > 3`, `ticket.fields.missing.deeper == "x"`, `ticket.fields["a"] + 1 > 0`,
		`ticket.tags[5] == "x"`, `len(ticket.customer.tier) / len(ticket.tags) > 0`,
		`has_keyword(event.text, ticket.tags)`, `event.customer.tier == "vip"`,
		`int(ticket.fields.n) > 1`, `upper(ticket.fields.s) == "X"`, `len(1..1000) > 0`,
	}
	envs := []*eventExprEnv{{}, newEventExprEnv()} // a broken one (nil parts) and an empty one
	full := newEventExprEnv()
	full.set(&sla.Ticket{Tags: []string{"a"}, Fields: map[string]any{"a": nil, "n": "x", "s": 1.0}},
		&sla.Event{Type: sla.EventMessage, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	envs = append(envs, full)
	for _, src := range srcs {
		p, e := compileExpr(src, envEvent, testCalendars, nil)
		require.Nil(t, e, "compileExpr(%q) = %v", src, e)
		for _, env := range envs {
			assert.NotPanics(t, func() { run(p, env) }, "run(%q)", src)
		}
	}
	assert.False(t, run(mustCompile(t, `ticket.fields.missing > 3`), full), "an evaluation error is false")
}

func mustCompile(t *testing.T, src string) *vmProgram {
	t.Helper()
	p, e := compileExpr(src, envEvent, testCalendars, nil)
	require.Nil(t, e, "compileExpr(%q) = %v", src, e)
	return p
}

func FuzzCompileExpr(f *testing.F) {
	for _, tc := range exprTests {
		f.Add(tc.src)
	}
	env := newEventExprEnv()
	env.set(&sla.Ticket{Tags: []string{"a"}, Fields: map[string]any{"n": 1.0}}, &sla.Event{})
	f.Fuzz(func(t *testing.T, src string) {
		for _, kind := range []envKind{envEvent, envTicket, envLevel} {
			p, e := compileExpr(src, kind, testCalendars, nil)
			if e != nil {
				if e.Line < 1 || e.Col < 1 || e.Msg == "" {
					t.Fatalf("compileExpr(%q) = %+v, want a positioned error", src, *e)
				}
				continue
			}
			if kind == envEvent {
				run(p, env)
			}
		}
	})
}
