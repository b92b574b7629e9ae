package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// TestKeysInOrder evaluates conditions on the order of keys and values
// (byte by byte: "ação" after "amount") many times: Go's map order would
// make each true only some of the time.
func TestKeysInOrder(t *testing.T) {
	at := time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	tk := &sla.Ticket{ID: "T-1", CreatedAt: at, Fields: map[string]any{
		"plan": "pro", "amount": 10.0, "b": 2.0, "Z": 1.0, "ação": 3.0, "c": 4.0, "d": 5.0, "e": 6.0}}
	ev := &sla.Event{Type: sla.EventMessage, At: at}
	for _, src := range []string{
		`keys(ticket.fields)[0] == "Z" && keys(ticket.fields)[2] == "ação" && keys(ticket.fields)[7] == "plan"`,
		`values(ticket.fields)[0] == 1 && values(ticket.fields)[2] == 3 && values(ticket.fields)[7] == "pro"`,
		`keys({"b": 1, "a": 2, "c": 3})[0] == "a" && values({"b": 1, "a": 2, "c": 3})[0] == 2`,
		`findIndex(keys(ticket.fields), # == "d") == 5`,
	} {
		p, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(t, e, src)
		c := newCond(p)
		for range 50 {
			env := newEventExprEnv()
			env.set(tk, ev)
			ok, err := c.eval(env)
			require.NoError(t, err, src)
			if !assert.True(t, ok, src) {
				break
			}
		}
	}
}

// TestKeysValuesMessages checks that keys and values of what is not a map
// fail at run time with expr's own messages, each naming its function.
func TestKeysValuesMessages(t *testing.T) {
	at := time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)
	tk := &sla.Ticket{ID: "T-1", CreatedAt: at, Fields: map[string]any{"n": 1.0}}
	ev := &sla.Event{Type: sla.EventMessage, At: at}
	for src, want := range map[string]string{
		`len(keys(ticket.fields.missing)) > 0`:   "cannot get keys from invalid",
		`len(values(ticket.fields.missing)) > 0`: "cannot get values from invalid",
		`len(keys(ticket.fields.n)) > 0`:         "cannot get keys from float64",
		`len(values(ticket.fields.n)) > 0`:       "cannot get values from float64",
	} {
		p, e := compileExpr(src, envEvent, nil, nil)
		require.Nil(t, e, src)
		env := newEventExprEnv()
		env.set(tk, ev)
		_, err := newCond(p).eval(env)
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}
