package escalation_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func trig(t testing.TB, s string) escalation.Trigger {
	t.Helper()
	tr, err := escalation.ParseTrigger(s)
	require.NoError(t, err)
	return tr
}

var (
	spDesk = calendar.MustNew(calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
		Holidays: []string{"br"},
	})
	nyOffice = calendar.MustNew(calendar.Spec{
		Timezone: "America/New_York",
		Hours:    map[string][]string{"mon-fri": {"08:00-18:00"}},
	})
	sp = spDesk.Location()
)

func notify(who string) []escalation.Action {
	return []escalation.Action{{Type: escalation.Notify, Target: who}}
}

func TestParseTrigger(t *testing.T) {
	tests := []struct {
		in   string
		want escalation.Trigger
		str  string
	}{
		{"80%", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, "80%"},
		{"12.5%", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 1250}, "12.5%"},
		{" 100% ", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 10000}, "100%"},
		{"150%", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 15000}, "150%"},
		{"breach", escalation.Trigger{Kind: escalation.Breach}, "breach"},
		{"breach-30m", escalation.Trigger{Kind: escalation.Breach, Offset: -30 * time.Minute}, "breach-30m"},
		{"breach+2h", escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}, "breach+2h"},
		{"20m", escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute}, "20m"},
		{"1h30m", escalation.Trigger{Kind: escalation.Elapsed, Offset: 90 * time.Minute}, "1h30m"},
		{"window-2h", escalation.Trigger{Kind: escalation.Window, Offset: 2 * time.Hour}, "window-2h"},
		{"window", escalation.Trigger{Kind: escalation.Window}, "window"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := escalation.ParseTrigger(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.str, got.String())
			again, err := escalation.ParseTrigger(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again)
		})
	}
}

func TestParseTriggerErrors(t *testing.T) {
	tests := []struct{ in, hint string }{
		{"", "empty"},
		{"80", "bad duration"},
		{"0%", "percentage"},
		{"-5%", "percentage"},
		{"12.345%", "percentage"},
		{"2000%", "percentage"},
		{"abc%", "percentage"},
		{"breach*2", "breach-30m"},
		{"breach+", "bad duration"},
		{"breach-1d", "business days"},
		{"3d", "business days"},
		{"-20m", "positive"},
		{"0s", "positive"},
		{"window+2h", "before the window"},
		{"soon", "bad duration"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := escalation.ParseTrigger(tt.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, escalation.ErrBadTrigger)
			assert.Contains(t, err.Error(), tt.hint)
			var te *escalation.TriggerError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.in, te.Text)
			assert.Contains(t, te.Msg, tt.hint)
			assert.Equal(t, fmt.Sprintf("escalation: bad trigger %q: %s", te.Text, te.Msg), err.Error())
		})
	}
}

func TestNewValidates(t *testing.T) {
	good := escalation.Level{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify("assignee")}
	tests := []struct {
		name   string
		levels []escalation.Level
		err    error
		field  string // of the first LevelError
		msg    string
	}{
		{"no name", []escalation.Level{{At: good.At, Actions: good.Actions}}, escalation.ErrBadLevel, "levels[0].name", "name is required"},
		{"twice", []escalation.Level{good, good}, escalation.ErrDuplicateLevel, "levels[1].name", `level "remind" defined twice in the ladder`},
		{"no trigger", []escalation.Level{{Name: "x", Actions: good.Actions}}, escalation.ErrBadTrigger, "levels[0].at", "at is required"},
		{"no actions", []escalation.Level{good, {Name: "x", At: good.At}}, escalation.ErrNoActions, "levels[1].actions", "a level needs at least one action"},
		{"unknown action", []escalation.Level{{Name: "x", At: good.At, Actions: []escalation.Action{{Type: "page", Target: "ops"}}}}, escalation.ErrBadAction, "levels[0].actions[0]", `unknown type "page"`},
		{"no target", []escalation.Level{{Name: "x", At: good.At, Actions: []escalation.Action{notify("a")[0], {Type: escalation.Assign}}}}, escalation.ErrBadAction, "levels[0].actions[1]", "assign needs a target"},
		{"no tags", []escalation.Level{{Name: "x", At: good.At, Actions: []escalation.Action{{Type: escalation.AddTags}}}}, escalation.ErrBadAction, "levels[0].actions[0]", "add_tags needs at least one tag"},
		{"custom without name", []escalation.Level{{Name: "x", At: good.At, Actions: []escalation.Action{{Type: escalation.Custom}}}}, escalation.ErrBadAction, "levels[0].actions[0]", "custom action needs a name"},
		{"too many", make([]escalation.Level, 65), escalation.ErrTooManyLevel, "levels", "65 levels: a ladder has at most 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := escalation.New("standard", tt.levels)
			require.Error(t, err)
			assert.Nil(t, l)
			assert.ErrorIs(t, err, tt.err)
			var le *escalation.LevelError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "standard", le.Ladder)
			assert.Equal(t, tt.field, le.Field)
			assert.Equal(t, tt.msg, le.Msg[:min(len(tt.msg), len(le.Msg))])
			assert.Contains(t, err.Error(), `escalation: ladder "standard": `+tt.field+": "+tt.msg)
		})
	}
	_, err := escalation.New("standard", []escalation.Level{good, good})
	assert.ErrorIs(t, err, escalation.ErrBadLevel, "a duplicate name is a bad level")
	l, err := escalation.New("standard", []escalation.Level{good})
	require.NoError(t, err)
	assert.Equal(t, "standard", l.Name())
	assert.Equal(t, 1, l.Len())
	assert.Equal(t, 0, l.Index("remind"))
	assert.Equal(t, -1, l.Index("nope"))
	assert.Zero(t, l.Mask("resolution"), "a level without metric fires per ticket, not per cycle")
	assert.Equal(t, uint64(1), l.TicketMask())
}

type ticket struct{ Team string }

func TestFiring(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, sp) }
	billing := escalation.Level{Name: "billing-specialist", Metric: "resolution", At: trig(t, "20m"),
		When: func(c *escalation.Context) (bool, error) {
			tk, _ := c.Ticket.(*ticket)
			return tk != nil && tk.Team == "billing", nil
		},
		Actions: []escalation.Action{{Type: escalation.Assign, Target: "billing-specialists"}, {Type: escalation.MessageCustomer, Target: "escalated_to_billing"}}}
	tests := []struct {
		name   string
		level  escalation.Level
		clock  escalation.Clock
		ticket any
		want   string // RFC 3339, "" for none
		reason string
	}{
		{"80% across lunch", escalation.Level{Name: "remind", Metric: "first_response", At: trig(t, "80%"), Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 11, 30), At: at(2, 11, 30), Target: time.Hour, Running: true, Calendar: spDesk},
			nil, "2026-03-02T13:18:00-03:00", "48 business minutes: 30 before lunch, 18 after"},
		{"billing after 20 minutes", billing,
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk},
			&ticket{Team: "billing"}, "2026-03-02T09:20:00-03:00", ""},
		{"billing condition false", billing,
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk},
			&ticket{Team: "support"}, "", "When does not hold"},
		{"billing team set later", billing,
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 10, 0), Elapsed: time.Hour, Target: 8 * time.Hour, Running: true, Calendar: spDesk},
			&ticket{Team: "billing"}, "2026-03-02T10:00:00-03:00", "trigger passed, condition holds from the event at 10:00"},
		{"other metric", billing,
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: time.Hour, Running: true, Calendar: spDesk},
			&ticket{Team: "billing"}, "", ""},
		{"leadership held by quiet hours", escalation.Level{Name: "leadership", At: trig(t, "breach+2h"), During: nyOffice, Actions: notify("leadership")},
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 4 * time.Hour, Running: true, Calendar: calendar.Always},
			nil, "2026-03-02T15:00:00-03:00", "breach 13:00 BRT + 2h = 15:00 BRT = 13:00 New York, open: fires"},
		{"leadership at night waits", escalation.Level{Name: "leadership", At: trig(t, "breach+2h"), During: nyOffice, Actions: notify("leadership")},
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 17, 0), At: at(2, 17, 0), Target: 4 * time.Hour, Running: true, Calendar: calendar.Always},
			nil, "2026-03-03T08:00:00-05:00", "due 23:00 BRT (21:00 New York), the office opens 08:00"},
		{"paused clock", escalation.Level{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 10, 0), Elapsed: 50 * time.Minute, Target: time.Hour, Running: false, Calendar: spDesk},
			nil, "", "paused clocks never fire"},
		{"resumed past the trigger", escalation.Level{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 15, 0), Elapsed: 50 * time.Minute, Target: time.Hour, Running: true, Calendar: spDesk},
			nil, "2026-03-02T15:00:00-03:00", "reached at resumption"},
		{"already fired", escalation.Level{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
			escalation.Clock{Metric: "resolution", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: time.Hour, Running: true, Calendar: spDesk, Fired: 1},
			nil, "", "once per cycle"},
		{"new cycle fires again", escalation.Level{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
			escalation.Clock{Metric: "next_response", Cycle: 2, Start: at(2, 14, 0), At: at(2, 14, 0), Target: time.Hour, Running: true, Calendar: spDesk},
			nil, "2026-03-02T14:48:00-03:00", ""},
		{"breach-30m of a short target", escalation.Level{Name: "warn", At: trig(t, "breach-30m"), Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 15 * time.Minute, Running: true, Calendar: spDesk},
			nil, "2026-03-02T09:00:00-03:00", "already within 30 minutes at the start"},
		{"no target", escalation.Level{Name: "warn", At: trig(t, "breach"), Actions: notify("assignee")},
			escalation.Clock{Metric: "custom", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Running: true, Calendar: spDesk},
			nil, "", ""},
		{"window-2h", escalation.Level{Name: "window", At: trig(t, "window-2h"), Actions: []escalation.Action{{Type: escalation.MessageCustomer, Target: "still_there"}}},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk, WindowClosesAt: at(3, 9, 0)},
			nil, "2026-03-03T07:00:00-03:00", "wall clock, also when the desk is closed"},
		{"window-2h already inside", escalation.Level{Name: "window", At: trig(t, "window-2h"), Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(3, 8, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk, WindowClosesAt: at(3, 9, 0)},
			nil, "2026-03-03T08:00:00-03:00", ""},
		{"window closed", escalation.Level{Name: "window", At: trig(t, "window-2h"), Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(3, 10, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk, WindowClosesAt: at(3, 9, 0)},
			nil, "", "the window closed before the clock resumed"},
		{"window quiet hours past closing", escalation.Level{Name: "window", At: trig(t, "window-2h"), During: spDesk, Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk, WindowClosesAt: at(3, 7, 30)},
			nil, "", "the desk opens after the window closes"},
		{"no window", escalation.Level{Name: "window", At: trig(t, "window-2h"), Actions: notify("assignee")},
			escalation.Clock{Metric: "first_response", Cycle: 1, Start: at(2, 9, 0), At: at(2, 9, 0), Target: 8 * time.Hour, Running: true, Calendar: spDesk},
			nil, "", "email tickets have no window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := escalation.New("standard", []escalation.Level{tt.level})
			require.NoError(t, err)
			f, ok := l.Next(&tt.clock, tt.ticket)
			if tt.want == "" {
				assert.False(t, ok, "Next = %s %s, want none (%s)", f.Level, rfc(f.At), tt.reason)
				return
			}
			require.True(t, ok, "Next: none, want %s (%s)", tt.want, tt.reason)
			assert.Equal(t, tt.want, rfc(f.At), tt.reason)
			assert.Equal(t, tt.level.Name, f.Level)
			assert.Equal(t, "standard", f.Ladder)
			assert.Equal(t, tt.clock.Cycle, f.Cycle)
			assert.Equal(t, tt.level.Actions, f.Actions)
		})
	}
}

// A priority change re-targets the cycle: its pending levels move with the new target.
func TestRetargetMovesLevels(t *testing.T) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
		{Name: "breach", At: trig(t, "breach"), Actions: notify("lead")},
	})
	require.NoError(t, err)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, sp)
	c := escalation.Clock{Metric: "resolution", Cycle: 1, Start: start, At: start, Target: 4 * time.Hour, Running: true, Calendar: spDesk}
	f, _ := l.Next(&c, nil)
	assert.Equal(t, "2026-03-02T13:12:00-03:00", rfc(f.At))
	// At 10:00 the priority goes up: the target is now 2h.
	c.At, c.Elapsed, c.Target = start.Add(time.Hour), time.Hour, 2*time.Hour
	got := l.Due(nil, c, nil, c.At, start.Add(8*time.Hour))
	require.Len(t, got, 2)
	assert.Equal(t, "2026-03-02T10:36:00-03:00", rfc(got[0].At))
	assert.Equal(t, "2026-03-02T11:00:00-03:00", rfc(got[1].At))
}

func TestFiringsInOrder(t *testing.T) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "leadership", At: trig(t, "breach+2h"), Actions: notify("leadership")},
		{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
		{Name: "breach", At: trig(t, "breach"), Actions: notify("lead")},
		{Name: "also-breach", At: trig(t, "100%"), Actions: notify("lead")},
	})
	require.NoError(t, err)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, sp)
	c := escalation.Clock{Metric: "resolution", Cycle: 1, Start: start, At: start, Target: time.Hour, Running: true, Calendar: spDesk}
	var names []string
	for _, f := range l.Due(nil, c, nil, start, start.Add(24*time.Hour)) {
		names = append(names, f.Level+"@"+f.At.Format("15:04"))
	}
	// breach+2h is business time: 10:00 plus two business hours is 12:00.
	assert.Equal(t, []string{"remind@09:48", "breach@10:00", "also-breach@10:00", "leadership@12:00"}, names)
	next, ok := l.NextAfter(c, nil, start.Add(time.Hour))
	require.True(t, ok)
	assert.Equal(t, "leadership", next.Level)
	_, ok = l.NextAfter(c, nil, start.Add(6*time.Hour))
	assert.False(t, ok)
}

// Ticking a clock every minute, every hour, or once at the end reports the same firings.
func TestTickingGivesSameFirings(t *testing.T) {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: trig(t, "80%"), Actions: notify("assignee")},
		{Name: "warn", At: trig(t, "breach-30m"), Actions: notify("assignee")},
		{Name: "breach", At: trig(t, "breach"), Actions: notify("lead")},
		{Name: "leadership", At: trig(t, "breach+2h"), During: nyOffice, Actions: notify("leadership")},
		{Name: "window", At: trig(t, "window-2h"), Actions: notify("assignee")},
		{Name: "twenty", At: trig(t, "20m"), Actions: notify("assignee")},
	})
	require.NoError(t, err)
	for _, start := range []time.Time{
		time.Date(2026, 3, 2, 11, 50, 0, 0, sp), time.Date(2026, 3, 6, 17, 0, 0, 0, sp),
		time.Date(2026, 4, 20, 16, 0, 0, 0, sp), time.Date(2026, 3, 7, 3, 0, 0, 0, sp),
	} {
		for _, target := range []time.Duration{15 * time.Minute, time.Hour, 4 * time.Hour} {
			c := escalation.Clock{Metric: "first_response", Cycle: 1, Start: start, At: start, Target: target,
				Running: true, Calendar: spDesk, WindowClosesAt: start.Add(24 * time.Hour)}
			end := start.Add(5 * 24 * time.Hour)
			once := l.Due(nil, c, nil, start, end)
			for _, step := range []time.Duration{time.Minute, time.Hour} {
				var ticked []escalation.Firing
				for from := start; from.Before(end); from = from.Add(step) {
					ticked = l.Due(ticked, c, nil, from, from.Add(step))
				}
				require.Equal(t, len(once), len(ticked), "start %s target %v step %v", rfc(start), target, step)
				for i := range once {
					assert.Equal(t, once[i].Level, ticked[i].Level)
					assert.True(t, once[i].At.Equal(ticked[i].At))
				}
			}
			assert.Len(t, once, 6, "start %s target %v", rfc(start), target)
		}
	}
}

func TestNilLadder(t *testing.T) {
	var l *escalation.Ladder
	c := escalation.Clock{Running: true, Target: time.Hour}
	_, ok := l.Next(&c, nil)
	assert.False(t, ok)
	assert.Empty(t, l.Due(nil, c, nil, time.Time{}, calendar.End))
	assert.Equal(t, 0, l.Len())
	assert.Zero(t, l.Mask("x"))
	assert.True(t, errors.Is(escalation.ErrBadTrigger, escalation.ErrBadTrigger))
}

func TestMask(t *testing.T) {
	l, err := escalation.New("l", []escalation.Level{
		{Name: "a", Metric: "first_response", At: trig(t, "80%"), Actions: notify("x")},
		{Name: "b", At: trig(t, "breach"), Actions: notify("x")},
		{Name: "c", Metric: "resolution", At: trig(t, "20m"), Actions: notify("x")},
		{Name: "d", Metric: escalation.AnyMetric, At: trig(t, "breach+1h"), Actions: notify("x")},
		{Name: "e", At: trig(t, "window-2h"), Actions: notify("x")},
	})
	require.NoError(t, err)
	tests := []struct {
		name string
		got  uint64
		want uint64
	}{
		{"Mask(first_response): its own level and any", l.Mask("first_response"), 0b01001},
		{"Mask(resolution)", l.Mask("resolution"), 0b01100},
		{"Mask(next_response): any only", l.Mask("next_response"), 0b01000},
		{"TicketMask: the level without metric", l.TicketMask(), 0b00010},
		{"WindowMask", l.WindowMask(), 0b10000},
		{"ElapsedMask: the 20m trigger", l.ElapsedMask(), 0b00100},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
	for i, want := range []escalation.Scope{escalation.PerCycle, escalation.PerTicket, escalation.PerCycle, escalation.PerCycle, escalation.PerWindow} {
		lv := l.Level(i)
		assert.Equal(t, want, lv.Scope(), "level %s", lv.Name)
	}
	var none *escalation.Ladder
	assert.Zero(t, none.Mask("x"))
	assert.Zero(t, none.TicketMask()|none.WindowMask()|none.ElapsedMask())
}

func TestWindowLevelTakesNoMetric(t *testing.T) {
	_, err := escalation.New("l", []escalation.Level{
		{Name: "w", Metric: "first_response", At: trig(t, "window-2h"), Actions: notify("x")},
	})
	require.ErrorIs(t, err, escalation.ErrBadLevel)
	assert.EqualError(t, err, `escalation: ladder "l": levels[0].metric: a window trigger fires once per window: remove metric`)
}

// TestWhenFailed: a When that returns an error does not let its level
// fire; the error is appended to Clock.WhenErrors with the level's name
// and the instant it would have fired, and the next level is the firing.
func TestWhenFailed(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, sp) // a Monday, desk open
	boom := errors.New("boom")
	l, err := escalation.New("l", []escalation.Level{
		{Name: "broken", Metric: "resolution", At: trig(t, "50%"), Actions: notify("a"),
			When: func(*escalation.Context) (bool, error) { return true, boom }},
		{Name: "lead", Metric: "resolution", At: trig(t, "80%"), Actions: notify("b")},
	})
	require.NoError(t, err)
	c := escalation.Clock{Metric: "resolution", Cycle: 1, Start: start, At: start, Target: 4 * time.Hour, Running: true, Calendar: spDesk}
	for round := 1; round <= 2; round++ {
		f, ok := l.Next(&c, nil)
		require.True(t, ok)
		assert.Equal(t, "lead", f.Level)
		assert.Equal(t, "2026-03-02T13:12:00-03:00", f.At.Format(time.RFC3339), "80% of 4h after 09:00, lunch 12:00-13:00 closed")
		require.Len(t, c.WhenErrors, round, "one more failure per call")
		w := c.WhenErrors[round-1]
		assert.Equal(t, "broken", w.Level)
		assert.Equal(t, "2026-03-02T11:00:00-03:00", w.At.Format(time.RFC3339), "the instant it would have fired: 50%% of 4h")
		assert.ErrorIs(t, w.Err, boom)
	}
}
