package sla_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

func trigger(t testing.TB, s string) escalation.Trigger {
	t.Helper()
	tr, err := escalation.ParseTrigger(s)
	require.NoError(t, err)
	return tr
}

func act(typ escalation.ActionType, target string) escalation.Action {
	return escalation.Action{Type: typ, Target: target}
}

// ladderEngine: one São Paulo business-hours policy (with a lunch break)
// using ladder levels; a billing policy selected by the team.
func ladderEngine(t testing.TB, levels ...escalation.Level) *sla.Engine {
	t.Helper()
	l, err := escalation.New("standard", levels)
	require.NoError(t, err)
	return mustEngine(t, sla.Config{
		Policies: []sla.Policy{{Name: "sp", Calendar: spCal(t), Targets: stdTargets(), Escalation: "standard"}},
		Ladders:  map[string]*escalation.Ladder{"standard": l},
	})
}

func firings(v sla.View) []string {
	var out []string
	for _, x := range v.Escalations {
		out = append(out, fmt.Sprintf("%s %s#%d %s", x.Level, x.Metric, x.Cycle, rfc(x.At)))
	}
	return out
}

func TestEscalationLevels(t *testing.T) {
	remind := escalation.Level{Name: "remind", Metric: "first_response", At: trigger(t, "80%"),
		Actions: []escalation.Action{act(escalation.Notify, "assignee")}}
	billing := escalation.Level{Name: "billing-specialist", Metric: "resolution", At: trigger(t, "20m"),
		When:    func(c *escalation.Context) (bool, error) { return c.Ticket.(*sla.Ticket).Team == "billing", nil },
		Actions: []escalation.Action{act(escalation.Assign, "billing-specialists"), act(escalation.MessageCustomer, "escalated_to_billing")}}
	office := mustCal(t, calendarSpecNYOffice)
	leadership := escalation.Level{Name: "leadership", Metric: "first_response", At: trigger(t, "breach+2h"), During: office,
		Actions: []escalation.Action{act(escalation.Notify, "leadership"), act(escalation.SetPriority, "urgent")}}
	nextRemind := escalation.Level{Name: "remind", Metric: "next_response", At: trigger(t, "80%"),
		Actions: []escalation.Action{act(escalation.Notify, "assignee")}}
	resRemind := escalation.Level{Name: "remind", Metric: "resolution", At: trigger(t, "80%"),
		Actions: []escalation.Action{act(escalation.Notify, "assignee")}}

	tests := []struct {
		name   string
		levels []escalation.Level
		events []string
		at     string
		want   []string
		check  func(t *testing.T, v sla.View)
	}{
		{"80% reminder across lunch", []escalation.Level{remind},
			[]string{ev("2026-03-02T11:30:00-03:00", "created", `"priority":"urgent"`)}, "2026-03-02T18:00:00-03:00",
			[]string{"remind first_response#1 2026-03-02T13:18:00-03:00"}, nil},
		{"reply before the reminder", []escalation.Level{remind},
			[]string{ev("2026-03-02T11:30:00-03:00", "created", `"priority":"urgent"`), ev("2026-03-02T13:10:00-03:00", "message", `"author":"agent"`)},
			"2026-03-03T18:00:00-03:00", nil, nil},
		{"billing after 20 minutes", []escalation.Level{billing},
			[]string{ev("2026-03-02T09:00:00-03:00", "created", `"team":"billing"`)}, "2026-03-02T12:00:00-03:00",
			[]string{"billing-specialist resolution#1 2026-03-02T09:20:00-03:00"},
			func(t *testing.T, v sla.View) {}},
		{"routed to billing later fires at the assignment", []escalation.Level{billing},
			[]string{ev("2026-03-02T09:00:00-03:00", "created", `"team":"support"`), ev("2026-03-02T09:45:00-03:00", "assign", `"team":"billing"`)},
			"2026-03-02T12:00:00-03:00", []string{"billing-specialist resolution#1 2026-03-02T09:45:00-03:00"}, nil},
		{"leadership held back by quiet hours", []escalation.Level{leadership},
			[]string{ev("2026-03-02T14:00:00-03:00", "created", `"priority":"urgent"`)}, "2026-03-04T18:00:00-03:00",
			// first response due 15:00 BRT; +2h business = 17:00 BRT = 15:00 New York: open
			[]string{"leadership first_response#1 2026-03-02T17:00:00-03:00"}, nil},
		{"leadership at night waits for the office", []escalation.Level{leadership},
			[]string{ev("2026-03-02T16:30:00-03:00", "created", `"priority":"urgent"`)}, "2026-03-04T18:00:00-03:00",
			// due 17:30; +2h business = next day 09:30 BRT = 07:30 New York: the office opens at 08:00 (10:00 BRT)
			[]string{"leadership first_response#1 2026-03-03T10:00:00-03:00"}, nil},
		{"paused clock does not fire", []escalation.Level{resRemind},
			[]string{ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`), ev("2026-03-02T09:00:00-03:00", "status", `"status":"pending"`)},
			"2026-03-06T18:00:00-03:00", nil, nil},
		{"fires when the clock resumes past its trigger", []escalation.Level{resRemind},
			[]string{ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`), ev("2026-03-02T14:00:00-03:00", "status", `"status":"pending"`),
				ev("2026-03-03T10:00:00-03:00", "status", `"status":"open"`)},
			// 8h target, 80% = 6h24m: 5h counted before the pause (08-12, 13-14), 1h24m after resuming at 10:00
			"2026-03-03T18:00:00-03:00", []string{"remind resolution#1 2026-03-03T11:24:00-03:00"}, nil},
		{"priority change moves the pending level", []escalation.Level{resRemind},
			[]string{ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`), ev("2026-03-02T09:00:00-03:00", "priority", `"priority":"urgent"`)},
			// urgent resolution 8h: 80% = 6h24m from 08:00 = 15:24 (lunch skipped)
			"2026-03-02T18:00:00-03:00", []string{"remind resolution#1 2026-03-02T15:24:00-03:00"}, nil},
		{"next-response cycles fire again", []escalation.Level{nextRemind},
			[]string{ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`), ev("2026-03-02T08:10:00-03:00", "message", `"author":"agent"`),
				ev("2026-03-02T08:20:00-03:00", "message"), ev("2026-03-02T10:00:00-03:00", "message", `"author":"agent"`),
				ev("2026-03-02T10:30:00-03:00", "message")},
			"2026-03-02T18:00:00-03:00",
			[]string{"remind next_response#1 2026-03-02T09:56:00-03:00", "remind next_response#2 2026-03-02T13:06:00-03:00"}, nil},
		{"set_priority applied at the firing instant", []escalation.Level{leadership, resRemind},
			[]string{ev("2026-03-02T14:00:00-03:00", "created", `"priority":"low"`)}, "2026-03-05T18:00:00-03:00",
			// low first response 8h: breach Tue 13:00 (lunch), +2h = 15:00 BRT; then urgent resolution (8h) is re-targeted: 80% = 6h24m, already past: fires at once
			[]string{"leadership first_response#1 2026-03-03T15:00:00-03:00", "remind resolution#1 2026-03-03T15:00:00-03:00"},
			func(t *testing.T, v sla.View) {
				assert.Equal(t, "urgent", v.Priority)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ladderEngine(t, tt.levels...)
			evs := events(t, tt.events...)
			st, errs := applyAll(t, e, evs)
			require.Empty(t, errs)
			at := mustTime(t, tt.at)
			v := e.Evaluate(st, at)
			assert.Equal(t, tt.want, firings(v))
			if tt.check != nil {
				tt.check(t, v)
			}
			// Replay says the same.
			var got []sla.Result
			for r, err := range e.Replay(seq2(evs), at) {
				require.NoError(t, err, "an event of no live ticket")
				got = append(got, r)
			}
			require.Len(t, got, 1)
			assert.Equal(t, len(v.Escalations), len(got[0].Escalations))
		})
	}
}

var calendarSpecNYOffice = calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"08:00-18:00"}}}

// The assign action of a fired level changes the team at the firing
// instant; an explicit assign event afterwards still wins.
func TestEscalationAssignsAndEventsWin(t *testing.T) {
	e := ladderEngine(t, escalation.Level{Name: "handoff", Metric: "resolution", At: trigger(t, "1h"),
		Actions: []escalation.Action{act(escalation.Assign, "tier2"), {Type: escalation.AddTags, Tags: []string{"escalated"}}}})
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"team":"support"`),
		ev("2026-03-02T09:30:00-03:00", "message", `"author":"agent"`),
	))
	require.Empty(t, errs)
	assert.Equal(t, "tier2", st.Ticket().Team)
	assert.True(t, st.Ticket().HasTag("escalated"))
	fired := e.Evaluate(st, st.LastAt()).Escalations
	require.Len(t, fired, 1)
	assert.Equal(t, "2026-03-02T09:00:00-03:00", rfc(fired[0].At))
	st, err := e.Apply(st, events(t, ev("2026-03-02T10:00:00-03:00", "assign", `"team":"support"`))[0])
	require.NoError(t, err)
	assert.Equal(t, "support", st.Ticket().Team)
	assert.Len(t, e.Evaluate(st, st.LastAt()).Escalations, 1, "a level fires once per cycle")
}

// Ticking the engine every minute, every hour, or once at the end gives
// the same firings, at the same instants, as replaying the history.
func TestEscalationTicking(t *testing.T) {
	office := mustCal(t, calendarSpecNYOffice)
	e := ladderEngine(t,
		escalation.Level{Name: "remind", At: trigger(t, "80%"), Actions: []escalation.Action{act(escalation.Notify, "assignee")}},
		escalation.Level{Name: "warn", At: trigger(t, "breach-30m"), Actions: []escalation.Action{act(escalation.Notify, "assignee")}},
		escalation.Level{Name: "breach", At: trigger(t, "breach"), Actions: []escalation.Action{act(escalation.SetPriority, "urgent")}},
		escalation.Level{Name: "leadership", At: trigger(t, "breach+2h"), During: office, Actions: []escalation.Action{act(escalation.Escalate, "tier3")}},
	)
	evs := events(t,
		ev("2026-03-02T11:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T16:00:00-03:00", "message", `"author":"agent"`),
		ev("2026-03-03T09:00:00-03:00", "message"),
		ev("2026-03-03T12:30:00-03:00", "status", `"status":"pending"`),
		ev("2026-03-04T10:00:00-03:00", "message"),
		ev("2026-03-05T17:00:00-03:00", "message", `"author":"agent"`),
	)
	end := mustTime(t, "2026-03-09T18:00:00-03:00")
	var once []sla.Result
	for r, err := range e.Replay(seq2(evs), end) {
		require.NoError(t, err, "an event of no live ticket")
		once = append(once, r)
	}
	require.Len(t, once, 1)
	want := slices.Clone(once[0].Escalations)
	require.NotEmpty(t, want)
	for _, step := range []time.Duration{time.Minute, time.Hour, 24 * time.Hour} {
		var st sla.State
		var fired []sla.Escalation
		tick := evs[0].At
		for _, x := range evs {
			for ; tick.Before(x.At); tick = tick.Add(step) {
				var f []sla.Escalation
				st, f = e.Advance(st, tick)
				fired = append(fired, f...)
			}
			st, fired = applyFiring(t, e, st, x, fired)
		}
		for ; !tick.After(end); tick = tick.Add(step) {
			var f []sla.Escalation
			st, f = e.Advance(st, tick)
			fired = append(fired, f...)
		}
		st, f := e.Advance(st, end)
		fired = append(fired, f...)
		require.Equal(t, len(want), len(fired), "step %v", step)
		for i := range want {
			assert.Equal(t, want[i].Level, fired[i].Level, "step %v", step)
			assert.True(t, want[i].At.Equal(fired[i].At), "step %v: %s at %s, want %s", step, fired[i].Level, rfc(fired[i].At), rfc(want[i].At))
		}
		assert.Equal(t, once[0].Priority, e.Evaluate(st, end).Priority)
	}
}

func TestEscalationConfigErrors(t *testing.T) {
	l, err := escalation.New("standard", []escalation.Level{{Name: "up", At: trigger(t, "breach"),
		Actions: []escalation.Action{act(escalation.SetPriority, "critical")}}})
	require.NoError(t, err)
	_, err = sla.NewEngine(sla.Config{
		Policies: []sla.Policy{{Name: "a", Escalation: "missing"}, {Name: "b", Escalation: "standard"}},
		Ladders:  map[string]*escalation.Ladder{"standard": l},
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, sla.ErrConfig)
	assert.Contains(t, err.Error(), `escalation ladder "missing"`)
	assert.Contains(t, err.Error(), `ladders.standard.levels[0].actions[0]: set_priority: undefined priority "critical"`)
}

// applyFiring applies ev to st and appends the levels the Apply fired.
func applyFiring(t *testing.T, e *sla.Engine, st sla.State, ev sla.Event, fired []sla.Escalation) (sla.State, []sla.Escalation) {
	t.Helper()
	before := len(e.Evaluate(st, st.LastAt()).Escalations)
	st, err := e.Apply(st, ev)
	require.NoError(t, err)
	now := e.Evaluate(st, st.LastAt()).Escalations
	return st, append(fired, now[before:]...)
}

// A State handed from one engine to another (a host that keeps states in
// memory and reloads its policy) is escalated by the ladders of the engine
// it is handed to, exactly as the same state stored as JSON and read back:
// what the first engine worked out about its next firing is not trusted.
func TestStateHandedToAnotherEngine(t *testing.T) {
	remind := func(at string) *sla.Engine {
		return ladderEngine(t, escalation.Level{Name: "remind-" + at, Metric: "first_response", At: trigger(t, at),
			Actions: []escalation.Action{act(escalation.Notify, "assignee")}})
	}
	for _, tc := range []struct{ from, to string }{{"90%", "50%"}, {"50%", "90%"}, {"breach", "25%"}} {
		t.Run(tc.from+" to "+tc.to, func(t *testing.T) {
			a, b := remind(tc.from), remind(tc.to)
			st, errs := applyAll(t, a, events(t, ev("2026-03-02T09:00:00-03:00", "created", `"priority":"normal"`)))
			require.Empty(t, errs)
			stored, err := json.Marshal(st)
			require.NoError(t, err)
			var fresh sla.State
			require.NoError(t, json.Unmarshal(stored, &fresh))

			// Before the first response, b's level falls due at the same
			// instant for both.
			at := st.LastAt()
			wake := b.Evaluate(fresh, at).NextWake
			require.False(t, wake.IsZero())
			assert.Equal(t, rfc(wake), rfc(b.Evaluate(st, at).NextWake), "NextWake")
			_, want := b.Advance(fresh.Clone(), wake)
			_, got := b.Advance(st.Clone(), wake)
			require.Len(t, want, 1)
			assert.Equal(t, want, got, "Advance")

			// A reply after that instant, applied without Advance: the
			// level fires before it, at its instant, for both.
			reply := events(t, ev(rfc(wake.Add(time.Minute)), "message", `"author":"agent"`))[0]
			_, want = applyFiring(t, b, fresh, reply, nil)
			_, got = applyFiring(t, b, st, reply, nil)
			require.Len(t, want, 1)
			assert.Equal(t, rfc(wake), rfc(want[0].At))
			assert.Equal(t, want, got, "Apply")
		})
	}
}
