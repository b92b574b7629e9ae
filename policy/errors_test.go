package policy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
)

// errorTests are documents with one mistake each; want is the whole error
// list as printed, and is the sentinel it wraps.
var errorTests = []struct {
	name string
	doc  string
	want string
	is   error
}{
	{"syntax", "version: 1\nslas: [\n  {name: a\n", "t.yaml:2:1: yaml: did not find expected ',' or '}'\n", policy.ErrSyntax},
	{"empty", "", "t.yaml:1:1: empty document; want version: 1 and the policy\n", policy.ErrEmpty},
	{"second document", "version: 1\n---\nversion: 1\n", "t.yaml:2:1: a second YAML document; a policy file holds one\n", policy.ErrSyntax},
	{"no version", "rules: []\n", "t.yaml:1:1: version: version is required: add version: 1\n", policy.ErrVersion},
	{"version 2", "version: 2\n", "t.yaml:1:10: version: unsupported version 2: this slakit reads version 1\n", policy.ErrVersion},
	{"version string", "version: \"1\"\n", "t.yaml:1:10: version: want the number 1, got a string\n", policy.ErrVersion},
	{"unknown top key", "version: 1\nslass: []\n", "t.yaml:2:1: slass: unknown key \"slass\" (want version, calendars, priorities, rules, slas, escalations, whatsapp, kpis, close_solved_after, at_risk, default_priority, olas)\n", policy.ErrField},
	{"unknown rule key", "version: 1\nrules:\n  - name: a\n    wen: 'true'\n    set: {team: x}\n", "t.yaml:4:5: rules[0].wen: unknown key \"wen\" (want name, on, when, set, stop)\n", policy.ErrField},
	{"duplicate key", "version: 1\nrules: []\nrules: []\n", "t.yaml:3:1: rules: duplicate key \"rules\" (first at line 2)\n", policy.ErrField},
	{"duplicate calendar", "version: 1\ncalendars:\n  a: {timezone: UTC, hours: {daily: [\"00:00-24:00\"]}}\n  a: {timezone: UTC, hours: {daily: [\"00:00-24:00\"]}}\n", "t.yaml:4:3: calendars.a: duplicate key \"a\" (first at line 3)\n", policy.ErrField},
	{"duplicate policy name", "version: 1\nslas:\n  - name: a\n    when: 'true'\n  - name: a\n", "t.yaml:5:11: slas[1].name: policy \"a\" defined twice (first at line 3)\n", policy.ErrDuplicate},
	{"duplicate rule name", "version: 1\nrules:\n  - {name: a, set: {team: x}}\n  - {name: a, set: {team: y}}\n", "t.yaml:4:12: rules[1].name: rule \"a\" defined twice (first at line 3)\n", policy.ErrDuplicate},
	{"duplicate priority", "version: 1\npriorities: [high, high]\n", "t.yaml:2:20: priorities[1]: priority \"high\" listed twice\n", policy.ErrDuplicate},
	{"priorities not a list", "version: 1\npriorities: urgent\n", "t.yaml:2:13: priorities: want priority names (a list), got a string\n", policy.ErrField},
	{"stop not a bool", "version: 1\nrules:\n  - {name: a, set: {team: x}, stop: \"yes\"}\n", "t.yaml:3:37: rules[0].stop: want true or false, got a string\n", policy.ErrField},
	{"team not a string", "version: 1\nrules:\n  - {name: a, set: {team: 42}}\n", "t.yaml:3:27: rules[0].set.team: want a team (a string), got an integer (quote it to make it a string)\n", policy.ErrField},
	{"targets a list", "version: 1\nslas:\n  - name: a\n    targets: [5m]\n", "t.yaml:4:14: slas[0].targets: want targets by priority (a mapping), got a list\n", policy.ErrField},
	{"duration in days", "version: 1\nslas:\n  - name: a\n    targets: {normal: {resolution: 3d}}\n", "t.yaml:4:36: slas[0].targets.normal.resolution: bad duration \"3d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h, or business days: 3bd, 2bd@16:00, eod\n", policy.ErrValue},
	{"duration unit", "version: 1\nslas:\n  - name: a\n    targets: {normal: {resolution: 15x}}\n", "t.yaml:4:36: slas[0].targets.normal.resolution: bad duration \"15x\": want Go syntax such as 90s, 15m, 4h, 1h30m\n", policy.ErrValue},
	{"duration negative", "version: 1\nslas:\n  - name: a\n    targets: {normal: {resolution: -5m}}\n", "t.yaml:4:36: slas[0].targets.normal.resolution: duration \"-5m\" must be positive\n", policy.ErrValue},
	{"duration bare number", "version: 1\nslas:\n  - name: a\n    targets: {normal: {resolution: 30}}\n", "t.yaml:4:36: slas[0].targets.normal.resolution: bad duration \"30\": want Go syntax such as 90s, 15m, 4h, 1h30m\n", policy.ErrValue},
	{"calendar zone", "version: 1\ncalendars:\n  a: {timezone: Mars/Olympus, hours: {daily: [\"09:00-17:00\"]}}\n", "t.yaml:3:17: calendars.a.timezone: \"Mars/Olympus\": unknown time zone\n", policy.ErrCalendar},
	{"calendar range", "version: 1\ncalendars:\n  a:\n    timezone: UTC\n    hours:\n      mon-fri: [\"09:00-12:00\", \"13:00-25:00\"]\n", "t.yaml:6:32: calendars.a.hours.mon-fri[1]: \"13:00-25:00\": malformed range, want \"HH:MM-HH:MM\" between 00:00 and 24:00\n", policy.ErrCalendar},
	{"calendar day twice", "version: 1\ncalendars:\n  a:\n    timezone: UTC\n    hours:\n      mon-fri: [\"09:00-12:00\"]\n      fri: [\"13:00-15:00\"]\n", "t.yaml:6:7: calendars.a.hours: \"mon-fri\": day named twice: fri is also in \"fri\"\n", policy.ErrCalendar},
	{"calendar holiday set", "version: 1\ncalendars:\n  a:\n    timezone: UTC\n    hours: {daily: [\"09:00-17:00\"]}\n    holidays: [br, xx]\n", "t.yaml:6:20: calendars.a.holidays[1]: \"xx\": unknown holiday set\n", policy.ErrCalendar},
	{"calendar no timezone", "version: 1\ncalendars:\n  a: {hours: {daily: [\"09:00-17:00\"]}}\n", "t.yaml:3:3: calendars.a.timezone: timezone is required (an IANA name such as America/Sao_Paulo, or UTC)\n", policy.ErrCalendar},
	{"expr unknown name", "version: 1\nrules:\n  - name: a\n    when: 'ticket.chanel == \"email\"'\n    set: {team: x}\n", "t.yaml:4:19: rules[0].when: type ticket has no field chanel (expression 1:8)\n", policy.ErrExpr},
	{"expr unknown name plain", "version: 1\nrules:\n  - name: a\n    when: ticket.channel == elapsd\n    set: {team: x}\n", "t.yaml:4:29: rules[0].when: unknown name elapsd (expression 1:19)\n", policy.ErrExpr},
	{"expr not boolean", "version: 1\nslas:\n  - name: a\n    when: ticket.priority\n", "t.yaml:4:11: slas[0].when: expected bool, but got string (expression 1:1)\n", policy.ErrExpr},
	{"expr syntax", "version: 1\nrules:\n  - name: a\n    when: \"ticket.team == \"\n    set: {team: x}\n", "t.yaml:4:26: rules[0].when: unexpected token EOF (expression 1:15)\n", policy.ErrExpr},
	{"expr now builtin", "version: 1\nrules:\n  - name: a\n    when: 'now() > ticket.created_at'\n    set: {team: x}\n", "t.yaml:4:12: rules[0].when: time.Time is not callable (expression 1:1)\n", policy.ErrExpr},
	{"expr block scalar", "version: 1\nrules:\n  - name: a\n    when: |\n      ticket.team == \"x\" &&\n        ticket.nope\n    set: {team: x}\n", "t.yaml:6:16: rules[0].when: type ticket has no field nope (expression 2:10)\n", policy.ErrExpr},
	{"expr event in sla when", "version: 1\nslas:\n  - name: a\n    when: 'event.text == \"x\"'\n", "t.yaml:4:12: slas[0].when: unknown name event; SLA policy when and metric pause see only ticket (expression 1:1)\n", policy.ErrExpr},
	{"expr is_open without now", "version: 1\ncalendars:\n  c: {timezone: UTC, hours: {daily: [\"09:00-17:00\"]}}\nslas:\n  - name: a\n    when: 'is_open(\"c\")'\n", "t.yaml:6:12: slas[0].when: is_open is not available here: this condition has no instant (now) (expression 1:1)\n", policy.ErrExpr},
	{"expr is_open undefined", "version: 1\nrules:\n  - name: a\n    when: 'is_open(\"nope\")'\n    set: {team: x}\n", "t.yaml:4:20: rules[0].when: is_open: undefined calendar \"nope\" (expression 1:9)\n", policy.ErrUndefined},
	{"expr empty", "version: 1\nrules:\n  - name: a\n    when: ''\n    set: {team: x}\n", "t.yaml:4:11: rules[0].when: empty expression; leave the key out to match always\n", policy.ErrExpr},
	{"undefined calendar", "version: 1\nslas:\n  - name: a\n    calendar: nope\n", "t.yaml:4:15: slas[0].calendar: undefined calendar \"nope\" (none is defined)\n", policy.ErrUndefined},
	{"undefined ladder", "version: 1\nslas:\n  - name: a\n    escalation: nope\n", "t.yaml:4:17: slas[0].escalation: undefined escalation ladder \"nope\" (none is defined)\n", policy.ErrUndefined},
	{"undefined priority in set", "version: 1\nrules:\n  - {name: a, set: {priority: critical}}\n", "t.yaml:3:31: rules[0].set.priority: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"undefined priority in targets", "version: 1\nslas:\n  - name: a\n    targets: {critical: {resolution: 1h}}\n", "t.yaml:4:15: slas[0].targets.critical: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"undefined metric in targets", "version: 1\nslas:\n  - name: a\n    targets: {normal: {first_reply: 1h}}\n", "t.yaml:4:24: slas[0].targets.normal.first_reply: undefined metric \"first_reply\" (want first_response, next_response, periodic_update, resolution or a metric of this policy)\n", policy.ErrUndefined},
	{"undefined level metric", "version: 1\nescalations:\n  l:\n    - {name: a, metric: first_reply, at: 80%, actions: [{notify: x}]}\n", "t.yaml:4:25: escalations.l[0].metric: undefined metric \"first_reply\" (want any, a built-in metric, a custom metric of a policy or an OLA metric)\n", policy.ErrUndefined},
	{"undefined set_priority", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{set_priority: critical}]}\n", "t.yaml:4:54: escalations.l[0].actions[0].set_priority: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"undefined during", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, during: nope, actions: [{notify: x}]}\n", "t.yaml:4:37: escalations.l[0].during: undefined calendar \"nope\" (none is defined)\n", policy.ErrUndefined},
	{"close_solved_after in days", "version: 1\nclose_solved_after: 4d\n", "t.yaml:2:21: close_solved_after: bad duration \"4d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h\n", policy.ErrValue},
	{"window level with a metric", "version: 1\nescalations:\n  l:\n    - {name: a, metric: resolution, at: window-2h, actions: [{notify: x}]}\n", "t.yaml:4:25: escalations.l[0].metric: a window trigger fires once per window: remove metric\n", policy.ErrValue},
	{"bad trigger", "version: 1\nescalations:\n  l:\n    - {name: a, at: 2d, actions: [{notify: x}]}\n", "t.yaml:4:21: escalations.l[0].at: bad trigger \"2d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h; want 80%, breach, breach-30m, breach+2h, 20m or window-2h\n", policy.ErrValue},
	{"unknown action", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{page: x}]}\n", "t.yaml:4:40: escalations.l[0].actions[0].page: unknown action \"page\" (want notify, assign, escalate, set_priority, add_tags, message_customer, custom)\n", policy.ErrField},
	{"action with two keys", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{notify: x, assign: y}]}\n", "t.yaml:4:51: escalations.l[0].actions[0]: an action has one key; write each action as its own list item\n", policy.ErrField},
	{"duplicate level", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{notify: x}]}\n    - {name: a, at: 80%, actions: [{notify: x}]}\n", "t.yaml:5:14: escalations.l[1].name: level \"a\" defined twice in the ladder (first at line 4)\n", policy.ErrDuplicate},
	{"level when on event", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, when: 'event.type == \"x\"', actions: [{notify: x}]}\n", "t.yaml:4:36: escalations.l[0].when: unknown name event; a level's when sees ticket, clock and now (expression 1:1)\n", policy.ErrExpr},
	{"unknown event type", "version: 1\nrules:\n  - {name: a, on: [created, mesage], set: {team: x}}\n", "t.yaml:3:29: rules[0].on[1]: unknown event type \"mesage\" (want created, message, note, status, priority, assign, update, escalated, csat, window_rejected)\n", policy.ErrValue},
	{"custom metric builtin name", "version: 1\nslas:\n  - name: a\n    metrics:\n      resolution: {start: 'true', stop: 'true'}\n", "t.yaml:5:7: slas[0].metrics.resolution: \"resolution\" is a built-in metric\n", policy.ErrDuplicate},
	{"custom metric without stop", "version: 1\nslas:\n  - name: a\n    metrics:\n      ttA: {start: 'true'}\n", "t.yaml:5:7: slas[0].metrics.ttA.stop: stop is required\n", policy.ErrField},
	{"reopen value", "version: 1\nslas:\n  - name: a\n    reopen: again\n", "t.yaml:4:13: slas[0].reopen: reopen \"again\": want resume or restart\n", policy.ErrValue},
	{"pause_on solved", "version: 1\nslas:\n  - name: a\n    pause_on: [solved]\n", "t.yaml:4:16: slas[0].pause_on[0]: status \"solved\" cannot pause the resolution clock (want new, open, pending or on_hold)\n", policy.ErrValue},
	{"whatsapp threshold", "version: 1\nwhatsapp:\n  closing_soon: [25h]\n", "t.yaml:3:18: whatsapp.closing_soon[0]: 25h0m0s is longer than the 24h window\n", policy.ErrValue},
	{"whatsapp thresholds at once", "version: 1\nwhatsapp:\n  closing_soon: [2h, 25h, soon, 2h]\n  send_margin: 1m\n", "t.yaml:3:22: whatsapp.closing_soon[1]: 25h0m0s is longer than the 24h window\nt.yaml:3:27: whatsapp.closing_soon[2]: bad duration \"soon\": want Go syntax such as 90s, 15m, 4h, 1h30m\nt.yaml:3:33: whatsapp.closing_soon[3]: 2h0m0s listed twice\n", policy.ErrValue},
	{"whatsapp unknown key", "version: 1\nwhatsapp:\n  closing: [2h]\n", "t.yaml:3:3: whatsapp.closing: unknown key \"closing\" (want closing_soon, send_margin, max_skew, reactions_count)\n", policy.ErrField},
	{"goal unknown", "version: 1\nkpis:\n  goals: {speed: \">= 1\"}\n", "t.yaml:3:11: kpis.goals.speed: unknown kpi \"speed\" (want one of sla_compliance, fcr_rate, escalation_rate, reopen_rate, csat_mean, csat_positive_rate, backlog, or <metric>_compliance, _mean, _p50, _p90, _p95)\n", policy.ErrUndefined},
	{"goal name", "version: 1\nkpis:\n  goals: {first_reply_p90: \"<= 10m\"}\n", "t.yaml:3:11: kpis.goals.first_reply_p90: metric \"first_reply\" is not a built-in metric or a custom metric of a policy\n", policy.ErrUndefined},
	{"goal shape", "version: 1\nkpis:\n  goals: {sla_compliance: \"95%\"}\n", "t.yaml:3:27: kpis.goals.sla_compliance: \"95%\": want an operator (>=, <=, >, <, ==) and a percentage like 95%\n", policy.ErrValue},
	{"goal unit", "version: 1\nkpis:\n  goals: {first_response_p90: \"<= 1d\"}\n", "t.yaml:3:31: kpis.goals.first_response_p90: \"<= 1d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h\n", policy.ErrValue},
	{"fcr replies", "version: 1\nkpis:\n  fcr: {max_agent_replies: 0}\n", "t.yaml:3:28: kpis.fcr.max_agent_replies: want at least 1, got 0\n", policy.ErrValue},
	{"expr multi-line double-quoted", "version: 1\nrules:\n  - name: a\n    when: \"ticket.team == \\\"x\\\" &&\n      ticket.nope\"\n    set: {team: x}\n", "t.yaml:5:14: rules[0].when: type ticket has no field nope (expression 1:30)\n", policy.ErrExpr},
	{"expr multi-line single-quoted", "version: 1\nrules:\n  - name: a\n    when: 'ticket.team == ''x'' &&\n\n      ticket.nope'\n    set: {team: x}\n", "t.yaml:6:14: rules[0].when: type ticket has no field nope (expression 2:8)\n", policy.ErrExpr},
	{"expr multi-line plain", "version: 1\nrules:\n  - name: a\n    when: ticket.team == \"x\" &&\n      ticket.nope\n    set: {team: x}\n", "t.yaml:5:14: rules[0].when: type ticket has no field nope (expression 1:30)\n", policy.ErrExpr},
	{"NUL byte", "version: 1\nrules:\n  - name: a\x00b\n", "t.yaml:3:12: control character U+0000 is not allowed in YAML\n", policy.ErrSyntax},
	{"invalid UTF-8", "version: 1\nrules:\n  - name: ação\n    when: 'x\xff'\n", "t.yaml:4:13: invalid UTF-8 (byte 0xFF): the document must be UTF-8 text\n", policy.ErrSyntax},
	{"policy without name", "version: 1\nslas:\n  - when: 'true'\n", "t.yaml:3:5: slas[0].name: name is required\n", policy.ErrField},
	{"policy empty mapping", "version: 1\nslas: [{}]\n", "t.yaml:2:8: slas[0].name: name is required\n", policy.ErrField},
	{"second policy without name", "version: 1\nslas:\n  - name: a\n  - {}\n", "t.yaml:4:5: slas[1].name: name is required\n", policy.ErrField},
	{"ola without name", "version: 1\nolas:\n  - {team: t, targets: {normal: {time_to_own: 1h}}}\n", "t.yaml:3:5: olas[0].name: name is required\n", policy.ErrField},
	{"rule without name", "version: 1\nrules:\n  - {set: {team: x}}\n", "t.yaml:3:5: rules[0].name: name is required\n", policy.ErrField},
	{"level without name", "version: 1\nescalations:\n  l:\n    - {at: breach, actions: [{notify: x}]}\n", "t.yaml:4:7: escalations.l[0].name: name is required\n", policy.ErrField},
	{"null policy", "version: 1\nslas: [null]\n", "t.yaml:2:8: slas[0]: an entry cannot be empty\n", policy.ErrField},
	{"null rules", "version: 1\nrules: [null, ~]\n", "t.yaml:2:9: rules[0]: an entry cannot be empty\nt.yaml:2:15: rules[1]: an entry cannot be empty\n", policy.ErrField},
	{"null ola", "version: 1\nolas: [null]\n", "t.yaml:2:8: olas[0]: an entry cannot be empty\n", policy.ErrField},
	{"stray dash before a policy", "version: 1\nslas:\n  -\n  - name: a\n", "t.yaml:3:4: slas[0]: an entry cannot be empty\n", policy.ErrField},
	{"stray dash before a rule", "version: 1\nrules:\n  - {name: a, set: {team: x}}\n  -\n", "t.yaml:4:4: rules[1]: an entry cannot be empty\n", policy.ErrField},
	{"null level", "version: 1\nescalations:\n  l: [null]\n", "t.yaml:3:7: escalations.l[0]: an entry cannot be empty\n", policy.ErrField},
	{"null action", "version: 1\nescalations:\n  l:\n    - {name: a, at: breach, actions: [{notify: x}, null]}\n", "t.yaml:4:52: escalations.l[0].actions[1]: empty action; want one of notify, assign, escalate, set_priority, add_tags, message_customer, custom\n", policy.ErrField},
	{"expr host time zone", "version: 1\nrules:\n  - name: a\n    when: 'now.Local().Hour() < 12'\n    set: {team: x}\n", "t.yaml:4:16: rules[0].when: Local is not available in conditions: it reads the time zone of the machine; an instant is in the time zone of the event that gave it (use is_open for business hours) (expression 1:5)\n", policy.ErrExpr},
	{"expr host time zone in a level", "version: 1\nescalations:\n  l:\n    - name: a\n      at: breach\n      when: 'clock.percent > 50 && now.Local().Hour() == 1'\n      actions: [{notify: x}]\n", "t.yaml:6:40: escalations.l[0].when: Local is not available in conditions: it reads the time zone of the machine; an instant is in the time zone of the event that gave it (use is_open for business hours) (expression 1:27)\n", policy.ErrExpr},
	{"expr trim by a long cutset", "version: 1\nrules:\n  - name: a\n    when: '" + strings.Repeat(`trim(event.text, ticket.subject) == "x" || `, 14) + `trim(event.text, ticket.subject) == "x"` + "'\n    set: {team: x}\n", "t.yaml:4:611: rules[0].when: expression too costly: up to 2,459,219 work units per evaluation on a ticket within the limits (at most 1,000,000) (expression 1:600)\n", policy.ErrExpr},
	{"expr searches by a long separator", "version: 1\nrules:\n  - name: a\n    when: '" + strings.Repeat(`event.text contains ticket.subject || `, 4) + `event.text contains ticket.subject` + "'\n    set: {team: x}\n", "t.yaml:4:161: rules[0].when: expression too costly: up to 1,147,404 work units per evaluation on a ticket within the limits (at most 1,000,000) (expression 1:150)\n", policy.ErrExpr},
	{"merge key", "version: 1\nrules:\n  - &r {name: a, set: {team: x}}\n  - {<<: *r, name: b}\n", "t.yaml:4:5: rules[1].set: set is required (priority, team, agent, tags, fields), unless the rule only stops\nt.yaml:4:6: rules[1]: merge keys (<<) are not supported\n", policy.ErrField},
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range slices.Concat(errorTests, depthErrors) {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load("t.yaml", []byte(tc.doc))
			require.Error(t, err, "Load(%q) = nil error", tc.doc)
			var list policy.ErrorList
			require.True(t, errors.As(err, &list), "Load error %T is not an ErrorList", err)
			assert.ErrorIs(t, err, tc.is)
			assert.Equal(t, tc.want, list.String(), "Load(%q) errors = %q, want %q", tc.doc, list.String(), tc.want)
		})
	}
}
