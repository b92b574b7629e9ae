package sla_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// failureLines renders the failures of a result for comparison in tables.
func failureLines(r sla.Result) []string {
	var out []string
	for _, f := range r.Failures {
		out = append(out, fmt.Sprintf("%s (%s): %s x%d at %s", f.Cond, f.Name, f.Error, f.Count, rfc(f.At)))
	}
	return out
}

var errBoom = errors.New("boom")

// failingConfigs are engines whose conditions fail at run time, one kind
// of condition each.
var failingConfigs = map[string]func(t testing.TB) sla.Config{
	"router": func(t testing.TB) sla.Config {
		c := spStd()(t)
		c.Rules = sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
			if ev.Type != sla.EventMessage {
				return nil, nil
			}
			// A router that names its rules, and one that does not.
			return nil, errors.Join(&sla.CondError{Cond: "rules[1].when", Name: "vip", Err: errBoom},
				errors.New("lookup failed\n  (the second line is left out)"))
		})
		return c
	},
	"policy-when": func(t testing.TB) sla.Config {
		vip := sla.Policy{Name: "vip", Calendar: allDay(t, "America/Sao_Paulo"), Targets: stdTargets(),
			When: func(tk *sla.Ticket) (bool, error) { return true, errBoom }}
		return sla.Config{Policies: []sla.Policy{vip, {Name: "sp", Calendar: spCal(t), Targets: stdTargets()}}}
	},
	"calendar-by": func(t testing.TB) sla.Config {
		c := spStd()(t)
		p := &c.Policies[0]
		p.Calendars = map[string]*calendar.Calendar{"24x7": allDay(t, "America/Sao_Paulo")}
		p.CalendarBy = func(*sla.Ticket) (string, error) { return "24x7", errBoom }
		return c
	},
	"custom-metric": spStd(func(p *sla.Policy) {
		p.Metrics = []sla.CustomMetric{{Name: "time_to_assign",
			Start: func(_ *sla.Ticket, e *sla.Event) (bool, error) { return e.Type == sla.EventCreated, nil },
			Stop:  func(*sla.Ticket, *sla.Event) (bool, error) { return true, errors.New("stop failed") },
			Pause: func(*sla.Ticket) (bool, error) { return true, errors.New("pause failed") }}}
		p.Targets = targets{"normal": {"time_to_assign": 8 * time.Hour}}
	}),
	"ola-when": func(t testing.TB) sla.Config {
		c := spStd()(t)
		c.OLAs = []sla.OLA{{Name: "billing-ola", Calendar: spCal(t), Targets: targets{"normal": {sla.OLATimeToOwn: time.Hour}},
			When: func(tk *sla.Ticket) (bool, error) { return false, errors.New("no team " + tk.Team) }}}
		return c
	},
	"level-when": func(t testing.TB) sla.Config {
		l, err := escalation.New("standard", []escalation.Level{
			{Name: "billing", Metric: "resolution", At: trigger(t, "20m"), Actions: []escalation.Action{act(escalation.Notify, "lead")},
				When: func(*escalation.Context) (bool, error) { return true, errBoom }},
			{Name: "late", Metric: "resolution", At: trigger(t, "2h"), Actions: []escalation.Action{act(escalation.SetPriority, "high")}},
		})
		require.NoError(t, err)
		return sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(t), Targets: stdTargets(), Escalation: "standard"}},
			Ladders: map[string]*escalation.Ladder{"standard": l}}
	},
}

func TestConditionFailures(t *testing.T) {
	day := []string{
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T08:30:00-03:00", "message", `"author":"customer"`),
		ev("2026-03-02T09:00:00-03:00", "assign", `"team":"billing"`),
		ev("2026-03-02T11:00:00-03:00", "message", `"author":"customer"`),
	}
	tests := []struct {
		name   string
		reason string
		want   []string
		check  func(t *testing.T, r sla.Result)
	}{
		{name: "router",
			reason: "each message: a named rule and an unnamed router failure, merged per condition and message; the second line is left out",
			want: []string{
				"rules[1].when (vip): boom x2 at 2026-03-02T08:30:00-03:00",
				"Router (): lookup failed x2 at 2026-03-02T08:30:00-03:00",
			}},
		{name: "policy-when",
			reason: "the vip policy's When fails at creation and at the assignment (the attributes changed): the ticket falls to sp",
			want:   []string{"Policy.When (vip): boom x2 at 2026-03-02T08:00:00-03:00"},
			check:  func(t *testing.T, r sla.Result) { assert.Equal(t, "sp", r.Policy) }},
		{name: "calendar-by",
			reason: "CalendarBy fails when the policy is chosen: the policy's own calendar counts",
			want:   []string{"Policy.CalendarBy (sp): boom x2 at 2026-03-02T08:00:00-03:00"},
			check:  func(t *testing.T, r sla.Result) { assert.Empty(t, r.Calendar) }},
		{name: "custom-metric",
			reason: "Pause fails after every event (the clock runs on), Stop while the clock runs (it does not stop)",
			want: []string{
				"CustomMetric.Pause (time_to_assign): pause failed x4 at 2026-03-02T08:00:00-03:00",
				"CustomMetric.Stop (time_to_assign): stop failed x3 at 2026-03-02T08:30:00-03:00",
			},
			check: func(t *testing.T, r sla.Result) {
				require.NotEmpty(t, r.Clocks)
				c := r.Clocks[len(r.Clocks)-1]
				assert.Equal(t, sla.Metric("time_to_assign"), c.Metric)
				assert.Equal(t, sla.ClockRunning, c.State)
			}},
		{name: "ola-when",
			reason: "the OLA's When fails at the hand-off to billing: no OLA clock",
			want:   []string{"OLA.When (billing-ola): no team billing x1 at 2026-03-02T09:00:00-03:00"},
			check:  func(t *testing.T, r sla.Result) { assert.Empty(t, r.OLAs) }},
		{name: "level-when",
			reason: "the level's When is checked after each of the 4 events and after the 2h firing (10:00): 5 failures; it never fires, the next level does",
			want:   []string{"Level.When (billing): boom x5 at 2026-03-02T08:00:00-03:00"},
			check: func(t *testing.T, r sla.Result) {
				require.Len(t, r.Escalations, 1)
				assert.Equal(t, "late", r.Escalations[0].Level)
				assert.Equal(t, "2026-03-02T10:00:00-03:00", rfc(r.Escalations[0].At))
			}},
	}
	require.Len(t, tests, len(failingConfigs))
	at := mustTime(t, "2026-03-02T12:00:00-03:00")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := failingConfigs[tt.name](t)
			e := mustEngine(t, cfg)
			evs := events(t, day...)
			st, errs := applyAll(t, e, evs)
			require.Empty(t, errs)
			r := e.Result(st, at)
			assert.Equal(t, tt.want, failureLines(r), tt.reason)
			assert.Zero(t, r.FailuresOmitted)
			if tt.check != nil {
				tt.check(t, r)
			}

			// The same events again give the same failures; advancing the
			// state often, and through JSON, changes nothing.
			st2 := sla.State{}
			for _, x := range evs {
				for _, mid := range []time.Time{x.At.Add(-time.Minute), x.At} {
					if mid.After(st2.LastAt()) && st2.Created() {
						st2, _ = e.Advance(st2, mid)
					}
				}
				b, err := json.Marshal(st2)
				require.NoError(t, err)
				st2 = sla.State{}
				require.NoError(t, json.Unmarshal(b, &st2))
				st2, err = e.Apply(st2, x)
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, failureLines(e.Result(st2, at)), "incremental")
			slatest.CheckIncremental(t, cfg, evs)

			// The JSON form names them.
			b, err := r.AppendJSON(nil)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"condition_failures":[{"condition":`)
			assert.NotContains(t, string(b), `condition_failures_omitted`)
		})
	}
}

// A ticket keeps at most MaxCondFailures distinct failures; the others
// are counted, and messages are cut to one line of bounded length.
func TestConditionFailuresCap(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	const extra = 3
	c := spStd()(t)
	c.Rules = sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		var errs []error
		for i := range sla.MaxCondFailures + extra {
			errs = append(errs, &sla.CondError{Cond: fmt.Sprintf("rules[%d].when", i), Name: "r", Err: errors.New(long)})
		}
		return []string{"applied"}, errors.Join(errs...)
	})
	e := mustEngine(t, c)
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created"),
		ev("2026-03-02T09:00:00-03:00", "message")))
	require.Empty(t, errs)
	r := e.Result(st, st.LastAt())
	require.Len(t, r.Failures, sla.MaxCondFailures)
	assert.Equal(t, 2*extra, r.FailuresOmitted, "%d conditions over the cap failed twice", extra)
	for i, f := range r.Failures {
		assert.Equal(t, fmt.Sprintf("rules[%d].when", i), f.Cond, "in the order they first failed")
		assert.Equal(t, 2, f.Count)
		assert.LessOrEqual(t, len(f.Error), 243, "cut to 240 bytes and an ellipsis")
		assert.True(t, strings.HasSuffix(f.Error, "é..."), "cut on a rune boundary: %q", f.Error[len(f.Error)-8:])
	}
	assert.Len(t, r.Rules, 2, "the rules the router applied are kept")

	b, err := r.AppendJSON(nil)
	require.NoError(t, err)
	assert.Contains(t, string(b), fmt.Sprintf(`"condition_failures_omitted":%d}`, 2*extra))

	// The state keeps them through JSON and a clone; a clone is apart.
	raw, err := json.Marshal(st)
	require.NoError(t, err)
	var back sla.State
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, r.Failures, e.Result(back, st.LastAt()).Failures)
	cl := st.Clone()
	cl, err = e.Apply(cl, events(t, ev("2026-03-02T10:00:00-03:00", "message"))[0])
	require.NoError(t, err)
	assert.Equal(t, 3, e.Result(cl, cl.LastAt()).Failures[0].Count)
	assert.Equal(t, 2, e.Result(st, st.LastAt()).Failures[0].Count, "the original is unchanged")
}

// A state whose failures break their bounds is refused.
func TestConditionFailuresState(t *testing.T) {
	entry := func(cond, msg string, count int) string {
		return fmt.Sprintf(`{"condition":%q,"name":"n","error":%q,"count":%d,"first_at":"2026-03-02T09:00:00Z"}`, cond, msg, count)
	}
	full := make([]string, sla.MaxCondFailures)
	for i := range full {
		full[i] = entry(fmt.Sprintf("c%d", i), "x", 1)
	}
	tests := []struct {
		name, part, want string
	}{
		{"too many", `"condition_failures":[` + strings.Join(append(full, entry("c9", "x", 1)), ",") + `]`, "9 entries, at most 8"},
		{"omitted with room", `"condition_failures":[` + entry("c", "x", 1) + `],"condition_failures_omitted":2`, "2 omitted while the list has room"},
		{"zero count", `"condition_failures":[` + entry("c", "x", 0) + `]`, "entry 1: count 0 out of range"},
		{"repeated", `"condition_failures":[` + entry("c", "x", 1) + "," + entry("c", "x", 2) + `]`, "entry 2 repeats an earlier one"},
		{"two lines", `"condition_failures":[` + entry("c", "x\ny", 1) + `]`, "entry 1: the error is not one line"},
		{"no condition", `"condition_failures":[` + entry("", "x", 1) + `]`, "entry 1: no condition or no error"},
		{"no instant", `"condition_failures":[{"condition":"c","name":"","error":"x","count":1}]`, "entry 1: instant outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st sla.State
			err := json.Unmarshal([]byte(stateBase+`[],`+tt.part+`}`), &st)
			require.ErrorIs(t, err, sla.ErrState)
			assert.Contains(t, err.Error(), "condition_failures: "+tt.want)
		})
	}
	var st sla.State
	ok := `"condition_failures":[` + strings.Join(full, ",") + `],"condition_failures_omitted":4`
	require.NoError(t, json.Unmarshal([]byte(stateBase+`[],`+ok+`}`), &st), "a full list with omitted failures is valid")
	b, err := json.Marshal(st)
	require.NoError(t, err)
	assert.Contains(t, string(b), ok)
}

// BenchmarkApplyConditionFailing applies events of one ticket whose
// router fails at every event: the cost of recording a failure (the entry
// exists: its count goes up).
func BenchmarkApplyConditionFailing(b *testing.B) {
	fail := &sla.CondError{Cond: "rules[0].when", Name: "big-order", Err: errBoom}
	for _, tt := range []struct {
		name string
		err  error
	}{{"none", nil}, {"failing", fail}} {
		b.Run(tt.name, func(b *testing.B) {
			c := spStd()(b)
			c.Rules = sla.RouterFunc(func(*sla.Ticket, *sla.Event) ([]string, error) { return nil, tt.err })
			e := mustEngine(b, c)
			start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
			st, err := e.Apply(sla.State{}, sla.Event{TicketID: "T1", At: start, Type: sla.EventCreated})
			require.NoError(b, err)
			ev := sla.Event{TicketID: "T1", Type: sla.EventNote}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				ev.At = start.Add(time.Duration(i) * time.Second)
				st, _ = e.Apply(st, ev)
			}
		})
	}
}

// A policy's When that cannot decide returns an error: the policy does not
// apply, and the ticket's result names the failure.
func ExampleCondFailure() {
	vip := sla.Policy{Name: "vip",
		When: func(t *sla.Ticket) (bool, error) {
			tier, ok := t.Fields["tier"].(float64)
			if !ok {
				return false, fmt.Errorf("tier %v is not a number", t.Fields["tier"])
			}
			return tier > 1, nil
		},
		Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.Resolution: 4 * time.Hour}}}
	std := sla.Policy{Name: "standard", Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.Resolution: 8 * time.Hour}}}
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{vip, std}})
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, err := eng.Apply(sla.State{}, sla.Event{TicketID: "T1", At: at, Type: sla.EventCreated,
		Fields: map[string]any{"tier": "gold"}})
	if err != nil {
		panic(err)
	}
	r := eng.Result(st, at.Add(time.Hour))
	fmt.Println("policy:", r.Policy)
	for _, f := range r.Failures {
		fmt.Printf("%s (%s) failed %dx from %s: %s\n", f.Cond, f.Name, f.Count, f.At.Format(time.Kitchen), f.Error)
	}
	// Output:
	// policy: standard
	// Policy.When (vip) failed 1x from 9:00AM: tier gold is not a number
}

func TestCondError(t *testing.T) {
	e := &sla.CondError{Cond: "rules[0].when", Name: "big-order", Err: errBoom}
	assert.Equal(t, "rules[0].when (big-order): boom", e.Error())
	assert.ErrorIs(t, e, errBoom)
	assert.Equal(t, "x (): failed", (&sla.CondError{Cond: "x"}).Error(), "no Err: no panic")
	wrapped := fmt.Errorf("router: %w", e)
	var got *sla.CondError
	require.ErrorAs(t, wrapped, &got)

	// The engine finds a wrapped CondError too.
	c := spStd()(t)
	c.Policies[0].When = func(*sla.Ticket) (bool, error) { return false, wrapped }
	eng := mustEngine(t, c)
	st, errs := applyAll(t, eng, events(t, ev("2026-03-02T08:00:00-03:00", "created")))
	require.Empty(t, errs)
	assert.Equal(t, []string{"rules[0].when (big-order): boom x1 at 2026-03-02T08:00:00-03:00"}, failureLines(eng.Result(st, st.LastAt())))
}

// A router may not change a ticket's id: the change is undone and
// recorded, so the ticket's later events still find it, in Apply and in
// a replay, also when its id shares its hash with another live ticket's.
func TestRouterCannotRenameTicket(t *testing.T) {
	c := spStd()(t)
	c.Rules = sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		tk.ID = "renamed"
		return nil, nil
	})
	e := mustEngine(t, c)
	// These two ids share their 64-bit hash: the second is kept apart in a
	// replay's table of live tickets.
	const a, b = "O6dhIN4l9kB", "_yGUaXl53DA"
	line := func(id, at, typ string, more ...string) string {
		return ev(at, typ, append(more, `"ticket":"`+id+`"`)...)
	}
	evs := events(t,
		line(a, "2026-03-02T08:00:00-03:00", "created"),
		line(b, "2026-03-02T08:01:00-03:00", "created"),
		line(b, "2026-03-02T08:30:00-03:00", "message", `"author":"agent"`))
	var got []sla.Result
	for r, err := range e.Replay(seq2(evs), time.Time{}) {
		require.NoError(t, err)
		got = append(got, r)
	}
	require.Len(t, got, 2)
	for i, id := range []string{a, b} {
		r := got[i]
		assert.Equal(t, id, r.Ticket)
		assert.Equal(t, id, r.Attributes.ID)
		assert.Empty(t, r.Errors)
		require.Len(t, r.Failures, 1)
		assert.Equal(t, "Router", r.Failures[0].Cond)
		assert.Contains(t, r.Failures[0].Error, `changed the ticket's id to "renamed"`)
	}
	assert.Equal(t, 1, got[1].Stats.AgentReplies, "the agent's reply reached the ticket kept apart")
	st, errs := applyAll(t, e, evs[1:])
	require.Empty(t, errs)
	assert.Equal(t, b, st.Ticket().ID)
}
