package sla_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// depthCase is one scenario of the policy settings beyond targets:
// default priorities, validity, pauses per metric, priority changes,
// business-day targets.
type depthCase struct {
	name   string
	reason string
	cfg    func(testing.TB) sla.Config
	events []string
	at     string
	prio   string   // the effective priority, "" to skip
	policy string   // the policy in force, "-" to skip
	want   []string // clockLines of the view
}

func runDepth(t *testing.T, tests []depthCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, tc.cfg(t))
			st, errs := applyAll(t, e, events(t, tc.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, tc.at))
			if tc.prio != "" {
				assert.Equal(t, tc.prio, v.Priority, tc.reason)
			}
			if tc.policy != "-" {
				assert.Equal(t, tc.policy, v.Policy, tc.reason)
			}
			assert.Equal(t, tc.want, clockLines(v), tc.reason)
		})
	}
}

func TestPolicyDefaultPriority(t *testing.T) {
	// email: default low (resolution 40h); chat: no default of its own,
	// so the engine's (high when set, else normal).
	cfg := func(engineDefault string) func(testing.TB) sla.Config {
		return func(t testing.TB) sla.Config {
			return sla.Config{DefaultPriority: engineDefault, Policies: []sla.Policy{
				{Name: "email", When: func(tk *sla.Ticket) (bool, error) { return tk.Channel == "email" || tk.HasTag("email"), nil }, Calendar: spCal(t),
					Targets: targets{"low": {res: 40 * time.Hour}, "normal": {res: 16 * time.Hour}, "high": {res: 12 * time.Hour}}, DefaultPriority: "low"},
				{Name: "chat", Calendar: spCal(t), Targets: targets{"normal": {res: 16 * time.Hour}, "high": {res: 12 * time.Hour}}},
			}}
		}
	}
	runDepth(t, []depthCase{
		{name: "policy-default", reason: "no priority on an email ticket: low, 40h from Mon 08:00: 9h a day Mon-Thu, 4h on Friday: Fri 12:00",
			cfg: cfg(""), events: []string{ev("2026-03-02T08:00:00-03:00", "created", `"channel":"email"`)}, at: "2026-03-02T09:00:00-03:00",
			prio: "low", policy: "email", want: []string{"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-06T12:00:00-03:00 elapsed=1h0m0s"}},
		{name: "own-priority-wins", reason: "an email ticket with priority high: 12h = Mon 9h + Tue 3h, Tue 11:00",
			cfg: cfg(""), events: []string{ev("2026-03-02T08:00:00-03:00", "created", `"channel":"email"`, `"priority":"high"`)}, at: "2026-03-02T09:00:00-03:00",
			prio: "high", policy: "email", want: []string{"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T11:00:00-03:00 elapsed=1h0m0s"}},
		{name: "engine-default", reason: "chat has no default: the engine's high, 12h",
			cfg: cfg("high"), events: []string{ev("2026-03-02T08:00:00-03:00", "created", `"channel":"chat"`)}, at: "2026-03-02T09:00:00-03:00",
			prio: "high", policy: "chat", want: []string{"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T11:00:00-03:00 elapsed=1h0m0s"}},
		{name: "policy-change-retargets", reason: "chat (normal, 16h) until a tag moves it to email at 09:00: low, 40h from the real start, Fri 12:00",
			cfg: cfg(""), events: []string{ev("2026-03-02T08:00:00-03:00", "created", `"channel":"chat"`),
				ev("2026-03-02T09:00:00-03:00", "update", `"tags":["email"]`)}, at: "2026-03-02T09:00:00-03:00",
			prio: "low", policy: "email", want: []string{"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-06T12:00:00-03:00 elapsed=1h0m0s"}},
	})
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", DefaultPriority: "critical"}}})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.ErrorContains(t, err, `policies[0].default_priority: undefined priority "critical"`)
	require.ErrorIs(t, err, sla.ErrUndefined)
}

func TestValidConfig(t *testing.T) {
	d := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", ValidFrom: d, ValidUntil: d}}})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.ErrorContains(t, err, "valid: from")
	// A policy valid only before the ticket was created never applies.
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "old", ValidUntil: d, Targets: stdTargets()}}})
	st, errs := applyAll(t, e, events(t, ev("2026-03-29T00:00:00Z", "created")))
	require.Empty(t, errs)
	assert.Empty(t, e.Evaluate(st, d).Policy)
}

func TestPauseFor(t *testing.T) {
	// New York, 09:00-17:00 weekdays; 2026-03-08 (Sunday) moves to summer
	// time. Created Fri 2026-03-06 15:00 EST, pending Fri 16:00, open again
	// Mon 2026-03-09 10:00 EDT; viewed Mon 11:00.
	nyPol := func(pauses map[sla.Metric][]sla.Status) func(testing.TB) sla.Config {
		return func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "ny", Calendar: nyCal(t), PauseFor: pauses,
				Targets: targets{"normal": {fr: 4 * time.Hour, res: 16 * time.Hour}}}}}
		}
	}
	evs := []string{
		ev("2026-03-06T15:00:00-05:00", "created"),
		ev("2026-03-06T16:00:00-05:00", "status", `"status":"pending"`),
		ev("2026-03-09T10:00:00-04:00", "status", `"status":"open"`),
	}
	runDepth(t, []depthCase{
		{name: "first-response-pauses", reason: "first response: 1h Fri, paused to Mon 10:00, 3h left: Mon 13:00 EDT; resolution (default pending): 1h Fri, 15h left: Mon 7h, Tue 8h",
			cfg: nyPol(map[sla.Metric][]sla.Status{fr: {sla.StatusPending}}), events: evs, at: "2026-03-09T11:00:00-04:00", policy: "ny",
			want: []string{
				"first_response#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-09T13:00:00-04:00 elapsed=2h0m0s paused=2h0m0s",
				"resolution#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-10T17:00:00-04:00 elapsed=2h0m0s paused=2h0m0s",
			}},
		{name: "response-clocks-do-not-pause-by-default", reason: "first response runs through pending: Fri 2h, Mon 2h: deadline Mon 11:00, breached at it",
			cfg: nyPol(nil), events: evs, at: "2026-03-09T11:00:00-04:00", policy: "ny",
			want: []string{
				"first_response#1 breached start=2026-03-06T15:00:00-05:00 deadline=2026-03-09T11:00:00-04:00 elapsed=4h0m0s breached=2026-03-09T11:00:00-04:00",
				"resolution#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-10T17:00:00-04:00 elapsed=2h0m0s paused=2h0m0s",
			}},
		{name: "resolution-entry-replaces-the-default", reason: "resolution: [] never pauses: Fri 2h, Mon 8h, Tue 6h: Tue 15:00",
			cfg: nyPol(map[sla.Metric][]sla.Status{res: {}}), events: evs, at: "2026-03-09T11:00:00-04:00", policy: "ny",
			want: []string{
				"first_response#1 breached start=2026-03-06T15:00:00-05:00 deadline=2026-03-09T11:00:00-04:00 elapsed=4h0m0s breached=2026-03-09T11:00:00-04:00",
				"resolution#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-10T15:00:00-04:00 elapsed=4h0m0s",
			}},
	})
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", PauseFor: map[sla.Metric][]sla.Status{"ttA": {sla.StatusPending}, fr: {sla.StatusSolved}}}}})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.ErrorContains(t, err, `policies[0].pause_on.ttA: "ttA" is not a built-in metric`)
	assert.ErrorContains(t, err, `policies[0].pause_on.first_response[0]: status "solved" cannot pause the first_response clock`)
}

func TestOnPriorityChange(t *testing.T) {
	// São Paulo (08:00-12:00, 13:00-18:00). Normal: first response 4h,
	// periodic update 8h, resolution 16h; urgent: 1h, 4h, 8h.
	mode := func(m sla.PriorityChange) func(testing.TB) sla.Config {
		return spStd(func(p *sla.Policy) { p.OnPriorityChange = m })
	}
	bump := []string{
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T09:30:00-03:00", "priority", `"priority":"urgent"`),
		ev("2026-03-02T10:00:00-03:00", "priority", `"priority":"normal"`),
		ev("2026-03-02T10:30:00-03:00", "message", `"author":"agent"`),
	}
	late := []string{
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T09:30:00-03:00", "message", `"author":"agent"`),
		ev("2026-03-02T10:00:00-03:00", "priority", `"priority":"urgent"`),
	}
	runDepth(t, []depthCase{
		{name: "keep-breach-temporary-bump", reason: "urgent at 09:30 finds 1h30 of a 1h first response: breached at the change, and it stays",
			cfg: mode(""), events: bump, at: "2026-03-02T11:00:00-03:00", prio: "normal", policy: "sp",
			want: []string{
				"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=2h30m0s breached=2026-03-02T09:30:00-03:00",
				"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=3h0m0s",
				"periodic_update#1 running start=2026-03-02T10:30:00-03:00 deadline=2026-03-03T09:30:00-03:00 elapsed=30m0s",
			}},
		{name: "recompute-temporary-bump", reason: "the final priority is normal: 2h30 of 4h is met; resolution 16h: Mon 9h, Tue 7h to 16:00",
			cfg: mode(sla.Recompute), events: bump, at: "2026-03-02T11:00:00-03:00", prio: "normal", policy: "sp",
			want: []string{
				"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=2h30m0s",
				"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=3h0m0s",
				"periodic_update#1 running start=2026-03-02T10:30:00-03:00 deadline=2026-03-03T09:30:00-03:00 elapsed=30m0s",
			}},
		{name: "keep-breach-late-raise", reason: "the reply at 09:30 met normal's 4h; raising later does not touch a stopped cycle",
			cfg: mode(""), events: late, at: "2026-03-02T10:00:00-03:00", prio: "urgent", policy: "sp",
			want: []string{
				"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=1h30m0s",
				"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=2h0m0s",
				"periodic_update#1 running start=2026-03-02T09:30:00-03:00 deadline=2026-03-02T14:30:00-03:00 elapsed=30m0s",
			}},
		{name: "recompute-late-raise", reason: "urgent's 1h applies from the real start: the 1h30 first response is breached at 09:00",
			cfg: mode(sla.Recompute), events: late, at: "2026-03-02T10:00:00-03:00", prio: "urgent", policy: "sp",
			want: []string{
				"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:30:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=1h30m0s breached=2026-03-02T09:00:00-03:00",
				"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=2h0m0s",
				"periodic_update#1 running start=2026-03-02T09:30:00-03:00 deadline=2026-03-02T14:30:00-03:00 elapsed=30m0s",
			}},
	})
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", OnPriorityChange: "forget"}}})
	require.ErrorIs(t, err, sla.ErrConfig)
	assert.ErrorContains(t, err, `on_priority_change "forget"`)
}

func TestRecomputeKeepsCancelled(t *testing.T) {
	e := mustEngine(t, spStd(func(p *sla.Policy) { p.OnPriorityChange = sla.Recompute })(t))
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T10:30:00-03:00", "status", `"status":"solved"`),
		ev("2026-03-02T11:00:00-03:00", "priority", `"priority":"urgent"`)))
	require.Empty(t, errs)
	fr := e.Evaluate(st, mustTime(t, "2026-03-02T11:00:00-03:00")).Clocks[0]
	assert.Equal(t, "first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:30:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=2h30m0s breached=2026-03-02T09:00:00-03:00",
		clockLine(fr), "urgent's 1h: 2h30 before the solve is a breach")
	st, err := e.Apply(st, events(t, ev("2026-03-02T11:30:00-03:00", "priority", `"priority":"normal"`))[0])
	require.NoError(t, err)
	fr = e.Evaluate(st, mustTime(t, "2026-03-02T11:30:00-03:00")).Clocks[0]
	assert.Equal(t, "first_response#1 cancelled start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=2h30m0s",
		clockLine(fr), "back at normal: stopped by the solve before its 4h, cancelled again")
}

func TestDayTargets(t *testing.T) {
	// Resolution targets in business days: normal 3bd, high 2bd@16:00,
	// urgent eod, low 1bd. Berlin: 09:00-17:00 weekdays, 24 and 25
	// December closed. New York: 09:00-17:00 weekdays, summer time from
	// Sunday 2026-03-08.
	days := func(cal func(testing.TB) *calendar.Calendar) func(testing.TB) sla.Config {
		return func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "days", Calendar: cal(t), DayTargets: map[string]map[sla.Metric]sla.DayTarget{
				"normal": {res: {Days: 3}}, "high": {res: {Days: 2, At: 16 * time.Hour}},
				"urgent": {res: {EndOfDay: true}}, "low": {res: {Days: 1}},
			}}}}
		}
	}
	created := func(at, prio string) string { return ev(at, "created", `"priority":"`+prio+`"`) }
	runDepth(t, []depthCase{
		{name: "3bd-across-holidays-and-a-weekend", reason: "Wed 23 Dec 10:00; 24 and 25 closed, then the weekend: Mon 28, Tue 29, Wed 30 at 10:00",
			cfg: days(berlinCal), events: []string{created("2026-12-23T10:00:00+01:00", "normal")}, at: "2026-12-23T11:00:00+01:00", policy: "days",
			want: []string{"resolution#1 running start=2026-12-23T10:00:00+01:00 deadline=2026-12-30T10:00:00+01:00 elapsed=1h0m0s"}},
		{name: "2bd-at-16-over-a-weekend", reason: "Fri 18 Dec 15:00: Mon 21 is the first business day, Tue 22 the second, at 16:00",
			cfg: days(berlinCal), events: []string{created("2026-12-18T15:00:00+01:00", "high")}, at: "2026-12-18T16:00:00+01:00", policy: "days",
			want: []string{"resolution#1 running start=2026-12-18T15:00:00+01:00 deadline=2026-12-22T16:00:00+01:00 elapsed=1h0m0s"}},
		{name: "eod-created-on-a-holiday", reason: "created on 24 Dec (closed): the end of the next business day, Mon 28 at 17:00",
			cfg: days(berlinCal), events: []string{created("2026-12-24T10:00:00+01:00", "urgent")}, at: "2026-12-28T10:00:00+01:00", policy: "days",
			want: []string{"resolution#1 running start=2026-12-24T10:00:00+01:00 deadline=2026-12-28T17:00:00+01:00 elapsed=1h0m0s"}},
		{name: "1bd-across-the-dst-weekend", reason: "Fri 6 Mar 15:00 EST: Mon 9 Mar at 15:00, now EDT; 2h Friday + 1h Monday by 10:00",
			cfg: days(nyCal), events: []string{created("2026-03-06T15:00:00-05:00", "low")}, at: "2026-03-09T10:00:00-04:00", policy: "days",
			want: []string{"resolution#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-09T15:00:00-04:00 elapsed=3h0m0s"}},
		{name: "pauses-move-a-day-target", reason: "3bd from Mon 10:00 is 24h of business time (Thu 10:00); 4h pending on Tuesday moves it to Thu 14:00",
			cfg: days(nyCal), events: []string{created("2026-03-02T10:00:00-05:00", "normal"),
				ev("2026-03-03T09:00:00-05:00", "status", `"status":"pending"`), ev("2026-03-03T13:00:00-05:00", "status", `"status":"open"`)},
			at: "2026-03-03T13:00:00-05:00", policy: "days",
			want: []string{"resolution#1 running start=2026-03-02T10:00:00-05:00 deadline=2026-03-05T14:00:00-05:00 elapsed=7h0m0s paused=4h0m0s"}},
		{name: "retarget-from-the-cycle-start", reason: "raised to urgent at 11:00: eod of the start, Mon 17:00",
			cfg: days(nyCal), events: []string{created("2026-03-02T10:00:00-05:00", "normal"), ev("2026-03-02T11:00:00-05:00", "priority", `"priority":"urgent"`)},
			at: "2026-03-02T11:00:00-05:00", policy: "days",
			want: []string{"resolution#1 running start=2026-03-02T10:00:00-05:00 deadline=2026-03-02T17:00:00-05:00 elapsed=1h0m0s"}},
	})
}

func TestDayTargetConfig(t *testing.T) {
	tests := []struct {
		name string
		d    sla.DayTarget
		err  string
	}{
		{"zero days", sla.DayTarget{}, "0 business days"},
		{"eod with days", sla.DayTarget{EndOfDay: true, Days: 1}, "end of day takes no days"},
		{"time of day", sla.DayTarget{Days: 1, At: 25 * time.Hour}, "time of day"},
		{"seconds", sla.DayTarget{Days: 1, At: time.Hour + time.Second}, "whole minutes"},
	}
	for _, tc := range tests {
		_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", DayTargets: map[string]map[sla.Metric]sla.DayTarget{"normal": {res: tc.d}}}}})
		require.ErrorIs(t, err, sla.ErrConfig, tc.name)
		assert.ErrorContains(t, err, tc.err, tc.name)
	}
	_, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p", Targets: targets{"normal": {res: time.Hour}},
		DayTargets: map[string]map[sla.Metric]sla.DayTarget{"normal": {res: {Days: 1}}}}}})
	assert.ErrorContains(t, err, "a target in business time and one in business days")
	assert.Equal(t, "2bd@16:05", sla.DayTarget{Days: 2, At: 16*time.Hour + 5*time.Minute}.String())
	assert.Equal(t, "eod", sla.DayTarget{EndOfDay: true}.String())
}

func TestCalendarBy(t *testing.T) {
	// First response 4h in the calendar of the ticket's region: br São
	// Paulo, de Berlin, anything else New York (the default).
	cfg := func(t testing.TB) sla.Config {
		return sla.Config{Policies: []sla.Policy{{Name: "p", Calendar: nyCal(t), CalendarName: "ny",
			Calendars: map[string]*calendar.Calendar{"sp": spCal(t), "berlin": berlinCal(t)},
			CalendarBy: func(tk *sla.Ticket) (string, error) {
				return map[string]string{"br": "sp", "de": "berlin"}[fmt.Sprint(tk.Fields["region"])], nil
			},
			Targets: targets{"normal": {fr: 4 * time.Hour}}}}}
	}
	tests := []struct {
		name, reason string
		events       []string
		at, cal      string
		want         string
	}{
		{"sp-over-a-weekend", "Fri 15:00-18:00 is 3h, the last hour Monday 08:00-09:00", []string{ev("2026-12-18T15:00:00-03:00", "created", `"fields":{"region":"br"}`)},
			"2026-12-18T16:00:00-03:00", "sp", "first_response#1 running start=2026-12-18T15:00:00-03:00 deadline=2026-12-21T09:00:00-03:00 elapsed=1h0m0s"},
		{"berlin-over-christmas", "Wed 23 Dec 15:00-17:00 is 2h; 24, 25 and the weekend closed; Mon 28 09:00-11:00", []string{ev("2026-12-23T15:00:00+01:00", "created", `"fields":{"region":"de"}`)},
			"2026-12-23T16:00:00+01:00", "berlin", "first_response#1 running start=2026-12-23T15:00:00+01:00 deadline=2026-12-28T11:00:00+01:00 elapsed=1h0m0s"},
		{"default-over-dst", "no region: New York; Fri 15:00-17:00 EST, Mon 09:00-11:00 EDT", []string{ev("2026-03-06T15:00:00-05:00", "created")},
			"2026-03-06T16:00:00-05:00", "ny", "first_response#1 running start=2026-03-06T15:00:00-05:00 deadline=2026-03-09T11:00:00-04:00 elapsed=1h0m0s"},
		{"a-new-region-recounts", "São Paulo 09:00 is 07:00 in New York, closed: moved to New York at 10:00 (08:00 EST), nothing counted, 4h from 09:00 EST",
			[]string{ev("2026-03-02T09:00:00-03:00", "created", `"fields":{"region":"br"}`), ev("2026-03-02T10:00:00-03:00", "update", `"fields":{"region":"us"}`)},
			"2026-03-02T10:00:00-03:00", "ny", "first_response#1 running start=2026-03-02T07:00:00-05:00 deadline=2026-03-02T13:00:00-05:00 elapsed=0s"},
	}
	e := mustEngine(t, cfg(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, errs := applyAll(t, e, events(t, tc.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, tc.at))
			assert.Equal(t, tc.cal, v.Calendar)
			assert.Equal(t, []string{tc.want}, clockLines(v), tc.reason)
			assert.Zero(t, e.Result(st, mustTime(t, tc.at)).Stats.PolicyChanges, "a new calendar is no change of policy")
			// The choice survives the state's JSON.
			b, err := json.Marshal(st)
			require.NoError(t, err)
			var back sla.State
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.cal, e.Evaluate(back, mustTime(t, tc.at)).Calendar)
			r := e.Result(st, mustTime(t, tc.at))
			b, err = json.Marshal(r)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"calendar":"`+tc.cal+`"`)
		})
	}
}

func olaLines(v sla.View) []string {
	out := []string{}
	for _, o := range v.OLAs {
		out = append(out, o.OLA+" "+o.Team+" "+clockLine(o.Clock))
	}
	return out
}

func TestOLAs(t *testing.T) {
	// billing's OLA in São Paulo hours (08:00-12:00, 13:00-18:00; Finados,
	// 2 November 2026, closed): normal: own 1h, resolve 4h.
	cfg := func(t testing.TB) sla.Config {
		return sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(t), Targets: stdTargets()}},
			OLAs: []sla.OLA{{Name: "billing-ola", Team: "billing", Calendar: spCal(t),
				Targets: targets{"normal": {sla.OLATimeToOwn: time.Hour, sla.OLATimeToResolve: 4 * time.Hour}}}}}
	}
	tests := []struct {
		name, reason string
		events       []string
		at           string
		want         []string
	}{
		{"holding-across-weekend-and-holiday", "handed to billing Fri 30 Oct 17:30; own: 30m Fri, 30m Tue 3 Nov (Mon 2 is Finados) = 08:30; Ana takes it 09:00: breached. Resolve 4h: 30m Fri, 3h30 Tue = 11:30",
			[]string{ev("2026-10-30T17:00:00-03:00", "created"), ev("2026-10-30T17:30:00-03:00", "assign", `"team":"billing"`),
				ev("2026-11-03T09:00:00-03:00", "assign", `"agent":"ana"`)},
			"2026-11-03T10:00:00-03:00",
			[]string{
				"billing-ola billing ola.time_to_own#1 breached start=2026-10-30T17:30:00-03:00 stop=2026-11-03T09:00:00-03:00 deadline=2026-11-03T08:30:00-03:00 elapsed=1h30m0s breached=2026-11-03T08:30:00-03:00",
				"billing-ola billing ola.time_to_resolve#1 running start=2026-10-30T17:30:00-03:00 deadline=2026-11-03T11:30:00-03:00 elapsed=2h30m0s",
			}},
		{"hand-off-away-and-back", "billing 09:00-10:00 (owned by a reply at 09:20), tier2 10:00-11:00, billing again 11:00: a second holding",
			[]string{ev("2026-03-02T09:00:00-03:00", "created", `"team":"billing"`), ev("2026-03-02T09:20:00-03:00", "message", `"author":"agent"`),
				ev("2026-03-02T10:00:00-03:00", "assign", `"team":"tier2"`), ev("2026-03-02T11:00:00-03:00", "assign", `"team":"billing"`, `"agent":"bo"`)},
			"2026-03-02T11:30:00-03:00",
			[]string{
				"billing-ola billing ola.time_to_own#1 met start=2026-03-02T09:00:00-03:00 stop=2026-03-02T09:20:00-03:00 deadline=2026-03-02T10:00:00-03:00 elapsed=20m0s",
				"billing-ola billing ola.time_to_resolve#1 met start=2026-03-02T09:00:00-03:00 stop=2026-03-02T10:00:00-03:00 deadline=2026-03-02T14:00:00-03:00 elapsed=1h0m0s",
				"billing-ola billing ola.time_to_own#2 met start=2026-03-02T11:00:00-03:00 stop=2026-03-02T11:00:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=0s",
				"billing-ola billing ola.time_to_resolve#2 running start=2026-03-02T11:00:00-03:00 deadline=2026-03-02T16:00:00-03:00 elapsed=30m0s",
			}},
		{"pending-pauses-solve-stops", "billing from 09:00, pending 09:30-10:30, solved 10:50: own (due 11:00) cancelled by the solve; resolve due 15:00 (lunch skipped) met",
			[]string{ev("2026-03-02T09:00:00-03:00", "created", `"team":"billing"`), ev("2026-03-02T09:30:00-03:00", "status", `"status":"pending"`),
				ev("2026-03-02T10:30:00-03:00", "status", `"status":"open"`), ev("2026-03-02T10:50:00-03:00", "status", `"status":"solved"`)},
			"2026-03-02T12:00:00-03:00",
			[]string{
				"billing-ola billing ola.time_to_own#1 cancelled start=2026-03-02T09:00:00-03:00 stop=2026-03-02T10:50:00-03:00 deadline=2026-03-02T11:00:00-03:00 elapsed=50m0s paused=1h0m0s",
				"billing-ola billing ola.time_to_resolve#1 met start=2026-03-02T09:00:00-03:00 stop=2026-03-02T10:50:00-03:00 deadline=2026-03-02T15:00:00-03:00 elapsed=50m0s paused=1h0m0s",
			}},
	}
	e := mustEngine(t, cfg(t))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, errs := applyAll(t, e, events(t, tc.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, tc.at))
			assert.Equal(t, tc.want, olaLines(v), tc.reason)
			// OLA cycles survive the state's JSON.
			b, err := json.Marshal(st)
			require.NoError(t, err)
			var back sla.State
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.want, olaLines(e.Evaluate(back, mustTime(t, tc.at))))
			b, err = json.Marshal(e.Result(st, mustTime(t, tc.at)))
			require.NoError(t, err)
			assert.Contains(t, string(b), `"olas":[{"team":"billing","ola":"billing-ola","metric":"ola.time_to_own","cycle":1,`)
		})
	}
}

// TestPropertyDepth checks, on random histories under genConfig (pauses
// per metric, business-day targets, recompute, a calendar per ticket,
// validity, OLAs), that the agreement badge summarises the clocks, that
// OLA verdicts agree with their times, and that the chosen calendar is
// one the policy has.
func TestPropertyDepth(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	rng := rand.New(rand.NewPCG(16, 3))
	olas, results := 0, 0
	for i := range 60 {
		b := make([]byte, 64+rng.IntN(600))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		for r, err := range e.Replay(seq2(genEvents(&byteSource{b: b}, 1+rng.IntN(4), 150)), time.Time{}) {
			if err != nil { // a generated event of no live ticket: no result
				continue
			}
			results++
			breached, open := false, false
			for _, c := range r.Clocks {
				breached = breached || c.State == sla.ClockBreached
				open = open || c.State == sla.ClockRunning || c.State == sla.ClockPaused
			}
			assert.Equal(t, breached, r.Agreement == sla.AgreementBreached, "history %d ticket %s: %s", i, r.Ticket, r.Agreement)
			if !breached && open {
				assert.Contains(t, []sla.Agreement{sla.AgreementOnTrack, sla.AgreementAtRisk, sla.AgreementPaused}, r.Agreement)
			}
			if len(r.Clocks) == 0 {
				assert.Equal(t, sla.AgreementNone, r.Agreement)
			}
			switch r.Policy {
			case "sp":
				assert.Contains(t, []string{"sp", "ny"}, r.Calendar)
			case "de", "vip", "":
				assert.Empty(t, r.Calendar)
			}
			if r.Policy == "vip" {
				assert.False(t, r.Attributes.CreatedAt.Before(time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)), "vip is valid from 12:00")
			}
			for _, o := range r.OLAs {
				olas++
				assert.Equal(t, "billing", o.Team)
				switch o.State {
				case sla.ClockMet, sla.ClockCancelled:
					assert.Less(t, o.Elapsed, o.Target, "history %d ticket %s %s#%d", i, r.Ticket, o.Metric, o.Cycle)
				case sla.ClockRunning, sla.ClockPaused:
					assert.True(t, o.Stop.IsZero())
				}
			}
		}
	}
	require.Positive(t, olas, "no OLA cycle in %d results", results)
	t.Logf("%d results, %d OLA cycles", results, olas)
}

func TestLadderWatchesOLA(t *testing.T) {
	// billing must own a ticket within 1h of São Paulo business time; a
	// level at 50% of ola.time_to_own notifies the lead, once per holding.
	lad, err := escalation.New("l", []escalation.Level{{Name: "unowned", Metric: string(sla.OLATimeToOwn),
		At:      escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000},
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "billing-lead"}}}})
	require.NoError(t, err)
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(t), Targets: stdTargets(), Escalation: "l"}},
		Ladders: map[string]*escalation.Ladder{"l": lad},
		OLAs: []sla.OLA{{Name: "billing-ola", Team: "billing", Calendar: spCal(t),
			Targets: targets{"normal": {sla.OLATimeToOwn: time.Hour}}}}})
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-06T17:45:00-03:00", "created", `"team":"billing"`), // Friday: 15m counted, 15m more Monday 08:15
		ev("2026-03-09T09:00:00-03:00", "assign", `"team":"tier2"`),
		ev("2026-03-09T10:00:00-03:00", "assign", `"team":"billing"`),
	))
	require.Empty(t, errs)
	v := e.Evaluate(st, mustTime(t, "2026-03-09T11:00:00-03:00"))
	var got []string
	for _, x := range v.Escalations {
		got = append(got, fmt.Sprintf("%s %s#%d %s", x.Level, x.Metric, x.Cycle, rfc(x.At)))
	}
	assert.Equal(t, []string{
		"unowned ola.time_to_own#1 2026-03-09T08:15:00-03:00",
		"unowned ola.time_to_own#2 2026-03-09T10:30:00-03:00",
	}, got, "once per holding, at half of the hour across the weekend")
}

func TestStateRefusesBadOLACycles(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(t), Targets: stdTargets()}},
		OLAs: []sla.OLA{{Name: "o", Team: "billing", Targets: targets{"normal": {sla.OLATimeToOwn: time.Hour}}}}})
	st, errs := applyAll(t, e, events(t, ev("2026-03-02T09:00:00-03:00", "created", `"team":"billing"`)))
	require.Empty(t, errs)
	b, err := json.Marshal(st)
	require.NoError(t, err)
	require.Contains(t, string(b), `"olas":[{"ola":"o","team":"billing","metric":"ola.time_to_own","n":1,`)
	for _, bad := range []struct{ from, to, msg string }{
		{`"metric":"ola.time_to_own"`, `"metric":"resolution"`, "not an OLA metric"},
		{`"n":1,`, `"n":0,`, "cycle number below 1"},
		{`"state":"running"`, `"state":"met"`, "state met does not match"},
		{`"target_ns":3600000000000`, `"target_ns":-1`, "target"},
		{`"base_ns":0`, `"base_ns":1`, "elapsed time 1ns longer than the time since its start"},
	} {
		var back sla.State
		head, tail, _ := strings.Cut(string(b), `"olas":`)
		err := json.Unmarshal([]byte(head+`"olas":`+strings.Replace(tail, bad.from, bad.to, 1)), &back)
		require.ErrorIs(t, err, sla.ErrState, bad.msg)
		assert.ErrorContains(t, err, bad.msg)
	}
}
