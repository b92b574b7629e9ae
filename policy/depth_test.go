package policy_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// depthErrors are the positioned errors of the keys for business-day
// targets, pauses per metric, calendars per ticket, default priorities,
// validity, priority changes, OLAs and the agreement badge; TestLoadErrors
// runs them.
var depthErrors = []struct {
	name, doc, want string
	is              error
}{
	{"at_risk number", "version: 1\nat_risk: 80\n", "t.yaml:2:10: at_risk: want a percentage such as 80%, got an integer\n", policy.ErrField},
	{"at_risk no sign", "version: 1\nat_risk: \"80\"\n", "t.yaml:2:10: at_risk: bad percentage \"80\": want a number and %, such as 80%\n", policy.ErrValue},
	{"default_priority undefined", "version: 1\ndefault_priority: critical\n", "t.yaml:2:19: default_priority: undefined priority \"critical\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"slas default_priority undefined", "version: 1\nslas:\n  - {name: a, default_priority: lowest}\n", "t.yaml:3:33: slas[0].default_priority: undefined priority \"lowest\" (priorities: urgent, high, normal, low)\n", policy.ErrUndefined},
	{"valid bad date", "version: 1\nslas:\n  - {name: a, valid: {from: 2026-02-30}}\n", "t.yaml:3:29: slas[0].valid.from: bad date \"2026-02-30\": want YYYY-MM-DD\n", policy.ErrValue},
	{"valid a number", "version: 1\nslas:\n  - {name: a, valid: {until: 2026}}\n", "t.yaml:3:30: slas[0].valid.until: want a date such as 2026-01-31, got an integer\n", policy.ErrField},
	{"valid reversed", "version: 1\nslas:\n  - {name: a, valid: {from: 2026-05-01, until: 2026-04-30}}\n", "t.yaml:3:48: slas[0].valid.until: until 2026-04-30 is before from 2026-05-01\n", policy.ErrValue},
	{"valid empty", "version: 1\nslas:\n  - {name: a, valid: {}}\n", "t.yaml:3:22: slas[0].valid: valid needs from, until or both\n", policy.ErrField},
	{"valid unknown key", "version: 1\nslas:\n  - {name: a, valid: {to: 2026-04-30}}\n", "t.yaml:3:23: slas[0].valid.to: unknown key \"to\" (want from, until)\n", policy.ErrField},
	{"pause_on custom metric", "version: 1\nslas:\n  - {name: a, pause_on: {ttA: [pending]}}\n", "t.yaml:3:26: slas[0].pause_on.ttA: \"ttA\" is not a built-in metric (want first_response, next_response, periodic_update or resolution; a custom metric has its own pause condition)\n", policy.ErrValue},
	{"pause_on map solved", "version: 1\nslas:\n  - {name: a, pause_on: {first_response: [solved]}}\n", "t.yaml:3:43: slas[0].pause_on.first_response[0]: status \"solved\" cannot pause the first_response clock (want new, open, pending or on_hold)\n", policy.ErrValue},
	{"on_priority_change value", "version: 1\nslas:\n  - {name: a, on_priority_change: forget}\n", "t.yaml:3:35: slas[0].on_priority_change: on_priority_change \"forget\": want keep_breach or recompute\n", policy.ErrValue},
	{"target 3d", "version: 1\nslas:\n  - {name: a, targets: {normal: {resolution: 3d}}}\n", "t.yaml:3:46: slas[0].targets.normal.resolution: bad duration \"3d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h, or business days: 3bd, 2bd@16:00, eod\n", policy.ErrValue},
	{"target 3 bd", "version: 1\nslas:\n  - {name: a, targets: {normal: {resolution: 3 bd}}}\n", "t.yaml:3:46: slas[0].targets.normal.resolution: bad target \"3 bd\": want business days such as 3bd or 2bd@16:00, or eod\n", policy.ErrValue},
	{"target 0bd", "version: 1\nslas:\n  - {name: a, targets: {normal: {resolution: 0bd}}}\n", "t.yaml:3:46: slas[0].targets.normal.resolution: bad target \"0bd\": want 1 to 10000 business days (eod for the same day)\n", policy.ErrValue},
	{"target 24:00", "version: 1\nslas:\n  - {name: a, targets: {normal: {resolution: 2bd@24:00}}}\n", "t.yaml:3:46: slas[0].targets.normal.resolution: bad target \"2bd@24:00\": time of day 24:00: want 00:00 to 23:59\n", policy.ErrValue},
	{"calendar by undefined", "version: 1\ncalendars:\n  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\nslas:\n  - {name: a, calendar: {by: ticket.customer.country, map: {BR: sp, DE: berlin}, default: sp}}\n", "t.yaml:5:73: slas[0].calendar.map.DE: undefined calendar \"berlin\" (defined: sp)\n", policy.ErrUndefined},
	{"calendar by missing", "version: 1\ncalendars:\n  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\nslas:\n  - {name: a, calendar: {map: {BR: sp}, default: sp}}\n", "t.yaml:5:25: slas[0].calendar.by: by is required: an expression over ticket whose value is a key of map\n", policy.ErrField},
	{"calendar by bad field", "version: 1\ncalendars:\n  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\nslas:\n  - {name: a, calendar: {by: ticket.customer.contry, map: {BR: sp}}}\n", "t.yaml:5:46: slas[0].calendar.by: type customer has no field contry (expression 1:17)\n", policy.ErrExpr},
	{"calendar map empty", "version: 1\ncalendars:\n  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\nslas:\n  - {name: a, calendar: {by: ticket.channel, map: {}, default: sp}}\n", "t.yaml:5:51: slas[0].calendar.map: map is empty: give the calendar name for each value of by\n", policy.ErrValue},
	{"calendar unknown key", "version: 1\ncalendars:\n  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\nslas:\n  - {name: a, calendar: {by: ticket.channel, map: {x: sp}, fallback: sp}}\n", "t.yaml:5:60: slas[0].calendar.fallback: unknown key \"fallback\" (want by, map, default)\n", policy.ErrField},
	{"ola no targets", "version: 1\nolas:\n  - {name: o, team: billing, targets: {normal: {}}}\n", "t.yaml:3:30: olas[0].targets: an OLA needs at least one target (time_to_own or time_to_resolve)\n", policy.ErrValue},
	{"ola without team", "version: 1\nolas:\n  - {name: o, targets: {normal: {time_to_own: 1h}}}\n", "t.yaml:3:5: olas[0].team: team is required (or when, an expression over ticket)\n", policy.ErrField},
	{"ola team and when", "version: 1\nolas:\n  - {name: o, team: b, when: 'true', targets: {normal: {time_to_own: 1h}}}\n", "t.yaml:3:24: olas[0].when: give team or when, not both\n", policy.ErrField},
	{"ola metric", "version: 1\nolas:\n  - {name: o, team: b, targets: {normal: {time_to_reply: 1h}}}\n", "t.yaml:3:43: olas[0].targets.normal.time_to_reply: undefined OLA metric \"time_to_reply\" (want time_to_own or time_to_resolve)\n", policy.ErrUndefined},
	{"ola calendar", "version: 1\nolas:\n  - {name: o, team: b, calendar: nope, targets: {normal: {time_to_own: 1h}}}\n", "t.yaml:3:34: olas[0].calendar: undefined calendar \"nope\" (none is defined)\n", policy.ErrUndefined},
	{"at_risk 100%", "version: 1\nat_risk: 100%\n", "t.yaml:2:10: at_risk: percentage \"100%\": want above 0% and below 100%\n", policy.ErrValue},
}

func TestAtRisk(t *testing.T) {
	s, err := policy.Load("a.yaml", []byte("version: 1\nat_risk: 75%\n"))
	require.NoError(t, err)
	assert.InDelta(t, 75.0, s.Config().AtRisk, 0)
	s, err = policy.Load("a.yaml", []byte("version: 1\n"))
	require.NoError(t, err)
	assert.Zero(t, s.Config().AtRisk, "absent: the engine's default")
}

func TestDefaultPriorityKeys(t *testing.T) {
	s, err := policy.Load("d.yaml", []byte("version: 1\ndefault_priority: high\nslas:\n  - {name: email, default_priority: low, targets: {low: {resolution: 40h}}}\n"))
	require.NoError(t, err)
	cfg := s.Config()
	assert.Equal(t, "high", cfg.DefaultPriority)
	assert.Equal(t, "low", cfg.Policies[0].DefaultPriority)
	_, err = s.Engine()
	require.NoError(t, err)
}

// policyOf applies a created event at the instant and returns the policy
// in force.
func policyOf(t *testing.T, s *policy.Set, at string) string {
	t.Helper()
	e, err := s.Engine()
	require.NoError(t, err)
	when, err := time.Parse(time.RFC3339, at)
	require.NoError(t, err)
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: when, Type: sla.EventCreated})
	require.NoError(t, err)
	return e.Evaluate(st, when).Policy
}

func TestValid(t *testing.T) {
	// The contract's dates are Berlin dates (its calendar's zone), until
	// inclusive; 2026-03-29 is the day Berlin moves to summer time.
	s, err := policy.Load("v.yaml", []byte(`version: 1
calendars:
  berlin: {timezone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
slas:
  - name: contract
    calendar: berlin
    valid: {from: 2026-03-29, until: "2026-04-30"}
    targets: {normal: {resolution: 8h}}
  - name: standard
    targets: {normal: {resolution: 24h}}
`))
	require.NoError(t, err)
	tests := []struct{ at, want, reason string }{
		{"2026-03-28T23:59:59+01:00", "standard", "the last second before the contract starts"},
		{"2026-03-29T00:00:00+01:00", "contract", "midnight of the first day, Berlin winter time"},
		{"2026-03-28T23:30:00Z", "contract", "00:30 in Berlin on the 29th"},
		{"2026-04-30T23:59:00+02:00", "contract", "the last day is included (summer time)"},
		{"2026-04-30T22:00:00Z", "standard", "midnight of 1 May in Berlin"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, policyOf(t, s, tc.at), "created at %s: %s", tc.at, tc.reason)
	}
}

func TestPauseOnMap(t *testing.T) {
	s, err := policy.Load("p.yaml", []byte("version: 1\nslas:\n  - name: a\n    pause_on: {resolution: [pending, on_hold], first_response: [pending]}\n    targets: {normal: {first_response: 1h}}\n"))
	require.NoError(t, err)
	p := s.Config().Policies[0]
	assert.Nil(t, p.PauseOn)
	assert.Equal(t, map[sla.Metric][]sla.Status{sla.Resolution: {sla.StatusPending, sla.StatusOnHold}, sla.FirstResponse: {sla.StatusPending}}, p.PauseFor)
	p.PauseFor[sla.FirstResponse][0] = sla.StatusOpen
	assert.Equal(t, sla.StatusPending, s.Config().Policies[0].PauseFor[sla.FirstResponse][0], "Config returns copies")
}

func TestOnPriorityChangeKey(t *testing.T) {
	s, err := policy.Load("o.yaml", []byte("version: 1\nslas:\n  - {name: a, on_priority_change: recompute}\n  - {name: b}\n"))
	require.NoError(t, err)
	assert.Equal(t, sla.Recompute, s.Config().Policies[0].OnPriorityChange)
	assert.Empty(t, s.Config().Policies[1].OnPriorityChange, "absent: the engine's keep_breach")
}

func TestDayTargetKeys(t *testing.T) {
	s, err := policy.Load("d.yaml", []byte("version: 1\ncalendars: {c: {timezone: UTC, hours: {mon-fri: [\"09:00-17:00\"]}}}\nslas:\n  - name: a\n    calendar: c\n    targets:\n      normal: {first_response: 4h, resolution: 3bd}\n      high: {resolution: 2bd@16:00}\n      urgent: {resolution: eod}\n      low: {resolution: 10bd}\n"))
	require.NoError(t, err)
	p := s.Config().Policies[0]
	assert.Equal(t, map[string]map[sla.Metric]sla.DayTarget{
		"normal": {sla.Resolution: {Days: 3}}, "high": {sla.Resolution: {Days: 2, At: 16 * time.Hour}},
		"urgent": {sla.Resolution: {EndOfDay: true}}, "low": {sla.Resolution: {Days: 10}},
	}, p.DayTargets)
	assert.Equal(t, 4*time.Hour, p.Targets["normal"][sla.FirstResponse])
	assert.Empty(t, s.Warnings(), "every priority has a target")
	_, err = s.Engine()
	require.NoError(t, err)
}

func TestCalendarByKey(t *testing.T) {
	s, err := policy.Load("c.yaml", []byte(`version: 1
calendars:
  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: ["08:00-18:00"]}}
  berlin: {timezone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
slas:
  - name: a
    calendar: {by: ticket.customer.country, map: {BR: sp, DE: berlin, AT: berlin}}
    targets: {urgent: {first_response: 1h}, high: {first_response: 1h}, normal: {first_response: 1h}, low: {first_response: 1h}}
`))
	require.NoError(t, err)
	require.Len(t, s.Warnings(), 1)
	assert.Equal(t, "c.yaml:7:15: slas[0].calendar: no default calendar: tickets whose value is not in map count 24x7", s.Warnings()[0].Error())
	e, err := s.Engine()
	require.NoError(t, err)
	for country, want := range map[string]string{"BR": "sp", "AT": "berlin", "US": ""} {
		at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: at, Type: sla.EventCreated, Customer: &sla.Customer{Country: country}})
		require.NoError(t, err)
		assert.Equal(t, want, e.Evaluate(st, at).Calendar, "country %s", country)
	}
	p := s.Config().Policies[0]
	assert.Equal(t, []string{"berlin", "sp"}, slices.Sorted(maps.Keys(p.Calendars)))
}

func TestOLAKeys(t *testing.T) {
	s, err := policy.Load("o.yaml", []byte(`version: 1
calendars:
  sp: {timezone: America/Sao_Paulo, hours: {mon-fri: ["08:00-18:00"]}}
olas:
  - name: billing-ola
    team: billing
    calendar: sp
    pause_on: [pending]
    targets: {urgent: {time_to_own: 15m, time_to_resolve: 2h}, normal: {time_to_own: 1h}}
  - name: vip-ola
    when: 'ticket.team != "" && "vip" in ticket.tags'
    targets: {urgent: {time_to_resolve: 1h}}
`))
	require.NoError(t, err)
	olas := s.Config().OLAs
	require.Len(t, olas, 2)
	assert.Equal(t, "billing", olas[0].Team)
	assert.Equal(t, []sla.Status{sla.StatusPending}, olas[0].PauseOn)
	assert.Equal(t, 2*time.Hour, olas[0].Targets["urgent"][sla.OLATimeToResolve])
	assert.NotNil(t, olas[1].When)
	e, err := s.Engine()
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: at, Type: sla.EventCreated, Priority: "urgent", Team: "billing", Tags: []string{"vip"}})
	require.NoError(t, err)
	v := e.Evaluate(st, at)
	require.Len(t, v.OLAs, 3, "billing's own and resolve, vip's resolve")
	assert.Equal(t, "vip-ola", v.OLAs[2].OLA)
}

func TestDepthWarnings(t *testing.T) {
	s, err := policy.Load("w.yaml", []byte(`version: 1
slas:
  - name: a
    default_priority: low
    pause_on: {first_response: [new, pending]}
    targets:
      urgent: {first_response: 1h, resolution: 2bd}
      high: {first_response: 1h}
      normal: {first_response: 1h}
`))
	require.NoError(t, err)
	assert.Equal(t, `w.yaml:4:23: slas[0].default_priority: the policy has no targets for its default priority "low": tickets without a priority get no clocks
w.yaml:5:15: slas[0].pause_on.first_response: first_response pauses on new: a ticket waiting for its first response is new, so the clock would not run
w.yaml:6:5: slas[0].targets: no targets for priority low: tickets of that priority get no clocks under this policy
w.yaml:6:5: slas[0].targets: targets in business days without a calendar count every day as a business day and eod as midnight UTC
`, s.Warnings().String())
}

func TestLevelWatchesOLA(t *testing.T) {
	doc := `version: 1
olas:
  - {name: o, team: billing, targets: {normal: {time_to_own: 1h}}}
slas:
  - {name: p, escalation: l, targets: {normal: {resolution: 8h}, urgent: {resolution: 4h}, high: {resolution: 4h}, low: {resolution: 8h}}}
escalations:
  l:
    - {name: own, metric: ola.time_to_own, at: 80%, actions: [{notify: lead}]}
    - {name: resolve, metric: ola.time_to_resolve, at: 80%, actions: [{notify: lead}]}
`
	_, err := policy.Load("l.yaml", []byte(doc))
	require.ErrorIs(t, err, policy.ErrUndefined)
	assert.Equal(t, `l.yaml:9:31: escalations.l[1].metric: undefined metric "ola.time_to_resolve" (want any, a built-in metric, a custom metric of a policy or an OLA metric)`,
		strings.TrimSpace(err.Error()), "no OLA has a target for it")
	s, err := policy.Load("l.yaml", []byte(strings.Replace(doc, "time_to_own: 1h", "time_to_own: 1h, time_to_resolve: 4h", 1)))
	require.NoError(t, err)
	assert.Empty(t, s.Warnings())
	e, err := s.Engine()
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T", At: at, Type: sla.EventCreated, Team: "billing"})
	require.NoError(t, err)
	st, fired := e.Advance(st, at.Add(time.Hour))
	require.Len(t, fired, 1)
	assert.Equal(t, sla.OLATimeToOwn, fired[0].Metric)
	assert.Equal(t, "2026-03-02T12:48:00Z", fired[0].At.UTC().Format(time.RFC3339), "80% of 1h, 24x7")
	_, fired = e.Advance(st, at.Add(4*time.Hour))
	require.Len(t, fired, 1)
	assert.Equal(t, sla.OLATimeToResolve, fired[0].Metric)
	_, err = policy.Load("l.yaml", []byte("version: 1\nescalations:\n  l:\n    - {name: own, metric: ola.time_to_own, at: 80%, actions: [{notify: lead}]}\n"))
	require.ErrorIs(t, err, policy.ErrUndefined, "no OLA: no OLA metric")
}
