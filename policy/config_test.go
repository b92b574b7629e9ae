package policy_test

import (
	"errors"
	"testing"

	"github.com/slakit/slakit/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sla.NewEngine checks the engine settings; the loader places its errors
// (field paths into sla.Config) at the document's nodes, by index even
// when entries before them were skipped, and drops those that repeat a
// problem the document already reported.
func TestEngineErrorsPlaced(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
		is              error
	}{
		{"builtin metric name, bad condition, targets naming both",
			"version: 1\nslas:\n  - name: a\n    metrics:\n      resolution: {start: 'true', stop: 'true'}\n      x: {start: 'nope(', stop: 'true'}\n    targets: {normal: {x: 1h, resolution: 2h}}\n",
			"t.yaml:5:7: slas[0].metrics.resolution: \"resolution\" is a built-in metric\n" +
				"t.yaml:6:23: slas[0].metrics.x.start: unexpected token EOF (expression 1:5)\n", policy.ErrDuplicate},
		{"ola priority, no second error for no targets",
			"version: 1\nolas:\n  - {name: o, team: b, targets: {vip: {time_to_own: 1h}}}\n",
			"t.yaml:3:34: olas[0].targets.vip: undefined priority \"vip\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
		{"pause statuses after a skipped one",
			"version: 1\nslas:\n  - name: a\n    pause_on: [[x], pending, solved]\n",
			"t.yaml:4:16: slas[0].pause_on[0]: want a status (a string), got a list\n" +
				"t.yaml:4:30: slas[0].pause_on[2]: status \"solved\" cannot pause the resolution clock (want new, open, pending or on_hold)\n", policy.ErrValue},
		{"pause_on map",
			"version: 1\nslas:\n  - name: a\n    pause_on: {ttA: [solved], first_response: [{}, closed]}\n",
			"t.yaml:4:16: slas[0].pause_on.ttA: \"ttA\" is not a built-in metric (want first_response, next_response, periodic_update or resolution; a custom metric has its own pause condition)\n" +
				"t.yaml:4:48: slas[0].pause_on.first_response[0]: want a status (a string), got a mapping\n" +
				"t.yaml:4:52: slas[0].pause_on.first_response[1]: status \"closed\" cannot pause the first_response clock (want new, open, pending or on_hold)\n", policy.ErrValue},
		{"priorities repeated",
			"version: 1\npriorities: [a, b, a, c, b]\nslas:\n  - {name: a, default_priority: z, targets: {q: {resolution: 1h}}}\n",
			"t.yaml:2:20: priorities[2]: priority \"a\" listed twice\n" +
				"t.yaml:2:26: priorities[4]: priority \"b\" listed twice\n" +
				"t.yaml:4:33: slas[0].default_priority: undefined priority \"z\" (priorities: a, b, c)\n" +
				"t.yaml:4:46: slas[0].targets.q: undefined priority \"q\" (priorities: a, b, c)\n", policy.ErrDuplicate},
		{"policies after one that is not a mapping",
			"version: 1\nslas:\n  - 3\n  - {name: b, reopen: x}\n  - {name: b, reopen: [x], on_priority_change: y}\n",
			"t.yaml:3:5: slas[0]: want an SLA policy (a mapping), got an integer\n" +
				"t.yaml:4:23: slas[1].reopen: reopen \"x\": want resume or restart\n" +
				"t.yaml:5:12: slas[2].name: policy \"b\" defined twice (first at line 4)\n" +
				"t.yaml:5:23: slas[2].reopen: want resume or restart (a string), got a list\n" +
				"t.yaml:5:48: slas[2].on_priority_change: on_priority_change \"y\": want keep_breach or recompute\n", policy.ErrValue},
		{"ladder with errors exists; an undefined one does not",
			"version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{set_priority: critical}]}\nslas:\n  - {name: a, escalation: l}\n  - {name: b, escalation: m}\n",
			"t.yaml:4:54: escalations.l[0].actions[0].set_priority: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n" +
				"t.yaml:7:27: slas[1].escalation: undefined escalation ladder \"m\" (defined: l)\n", policy.ErrUndefined},
		{"olas",
			"version: 1\nolas:\n  - {name: o, team: b, targets: {normal: {time_to_own: x}}}\n  - {name: o, team: b, pause_on: [solved], targets: {normal: {time_to_own: 1h}}}\n",
			"t.yaml:3:56: olas[0].targets.normal.time_to_own: bad duration \"x\": want Go syntax such as 90s, 15m, 4h, 1h30m\n" +
				"t.yaml:4:12: olas[1].name: OLA \"o\" defined twice (first at line 3)\n" +
				"t.yaml:4:35: olas[1].pause_on[0]: status \"solved\" cannot pause the OLA clock (want new, open, pending or on_hold)\n", policy.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load("t.yaml", []byte(tc.doc))
			var list policy.ErrorList
			require.True(t, errors.As(err, &list), "Load(%q) error = %v, want an ErrorList", tc.doc, err)
			assert.Equal(t, tc.want, list.String(), "Load(%q) errors", tc.doc)
			assert.ErrorIs(t, err, tc.is)
		})
	}
}
