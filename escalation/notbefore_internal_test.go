package escalation

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// notBeforeCase is a ladder and a clock for comparing NotBefore with its
// general path.
type notBeforeCase struct {
	name   string
	levels []Level
	clock  Clock
}

// billingOnly is a level condition on the ticket alone.
func billingOnly(tk any) bool { s, _ := tk.(string); return s == "billing" }

func notBeforeLevel(name, metric string, at Trigger, when bool) Level {
	lv := Level{Name: name, Metric: metric, At: at, Actions: []Action{{Type: Notify, Target: "a"}}}
	if when {
		lv.WhenTicketOnly = true
		lv.WhenTicket = billingOnly
		lv.When = func(x *Context) (bool, error) { return billingOnly(x.Ticket), nil }
	}
	return lv
}

// notBeforeCases are clocks on which the integer path and the general one
// must agree, the edges of the int64 range among them.
func notBeforeCases() []notBeforeCase {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 3, 6, 11, 30, 0, 0, sp)
	std := []Level{
		notBeforeLevel("remind", "first_response", Trigger{Kind: Percent, BasisPoints: 8000}, false),
		notBeforeLevel("specialist", "resolution", Trigger{Kind: Elapsed, Offset: 20 * time.Minute}, true),
		notBeforeLevel("leadership", "", Trigger{Kind: Breach, Offset: 2 * time.Hour}, false),
		notBeforeLevel("window", "", Trigger{Kind: Window, Offset: time.Hour}, false),
	}
	clock := func(metric string, target, elapsed time.Duration, at, deadline time.Time) Clock {
		return Clock{Metric: metric, Cycle: 1, Start: at, At: at, Target: target, Elapsed: elapsed, Running: true, Deadline: deadline}
	}
	long := time.Duration(1<<63 - 1)
	return []notBeforeCase{
		{"first response", std, clock("first_response", time.Hour, 0, at, at.Add(time.Hour))},
		{"first response past its threshold", std, clock("first_response", time.Hour, 50*time.Minute, at, at.Add(10*time.Minute))},
		{"resolution, deadline late", std, clock("resolution", 4*time.Hour, 0, at, at.Add(30*time.Hour))},
		{"resolution without deadline", std, clock("resolution", 4*time.Hour, time.Hour, at, time.Time{})},
		{"no target", std, clock("resolution", 0, 0, at, time.Time{})},
		{"breach far", std, clock("resolution", long-time.Hour, 0, at, time.Time{})},
		{"deadline near the int64 end", std, clock("resolution", time.Hour, 0, at, time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC))},
		{"instant near the int64 end", std, clock("resolution", 8*time.Hour, 0, time.Date(2262, 4, 10, 0, 0, 0, 0, time.UTC), time.Time{})},
		{"instant past the int64 range", std, clock("resolution", 8*time.Hour, 0, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})},
		{"instant before 1970", std, clock("first_response", time.Hour, 0, time.Date(1900, 1, 1, 0, 0, 0, 0, sp), time.Time{})},
		{"instant past calendar.End", std, clock("first_response", time.Hour, 0, calendar.End, time.Time{})},
		{"elapsed negative", std, clock("resolution", time.Hour, -long, at, time.Time{})},
		{"window open", std, func() Clock {
			c := clock("first_response", time.Hour, 0, at, time.Time{})
			c.WindowClosesAt = at.Add(3 * time.Hour)
			return c
		}()},
		{"all fired", std, func() Clock { c := clock("first_response", time.Hour, 0, at, time.Time{}); c.Fired = 15; return c }()},
		{"any metric", []Level{notBeforeLevel("any", AnyMetric, Trigger{Kind: Breach, Offset: -30 * time.Minute}, false),
			notBeforeLevel("late", "", Trigger{Kind: Percent, BasisPoints: 15000}, false)},
			clock("next_response", time.Hour, 20*time.Minute, at, at.Add(3*time.Hour))},
	}
}

// checkNotBefore requires NotBefore to give what its general path gives,
// to the bit.
func checkNotBefore(t *testing.T, what string, l *Ladder, c *Clock, tk any) {
	t.Helper()
	got, gotOK := l.NotBefore(c, tk)
	want, wantOK := l.notBefore(c, tk)
	require.Equal(t, wantOK, gotOK, "%s: NotBefore found %v, the general path %v", what, gotOK, wantOK)
	require.True(t, want == got, "NotBefore(%s) = %v, want %v (the general path)", what, got, want)
}

// TestNotBeforeNanos compares NotBefore, which counts in Unix nanoseconds
// when it can, with its general path on the table above and on random
// ladders and clocks.
func TestNotBeforeNanos(t *testing.T) {
	for _, tc := range notBeforeCases() {
		l, err := New("l", tc.levels)
		require.NoError(t, err)
		for _, tk := range []any{"billing", "other"} {
			c := tc.clock
			checkNotBefore(t, tc.name, l, &c, tk)
		}
	}
	r := rand.New(rand.NewPCG(7, 19))
	metrics := []string{"first_response", "resolution", "", AnyMetric}
	kinds := []TriggerKind{Percent, Breach, Elapsed, Window}
	base := time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	for n := range 20000 {
		var levels []Level
		for i := range 1 + r.IntN(5) {
			tr := Trigger{Kind: kinds[r.IntN(len(kinds))]}
			switch tr.Kind {
			case Percent:
				tr.BasisPoints = 1 + r.Int64N(20000)
			case Breach:
				tr.Offset = time.Duration(r.Int64N(int64(8*time.Hour))) - 4*time.Hour
			default:
				tr.Offset = time.Duration(1 + r.Int64N(int64(8*time.Hour)))
			}
			metric := metrics[r.IntN(len(metrics))]
			if tr.Kind == Window {
				metric = ""
			}
			levels = append(levels, notBeforeLevel(string(rune('a'+i)), metric, tr, r.IntN(3) == 0))
		}
		l, err := New("l", levels)
		require.NoError(t, err)
		at := base.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
		if r.IntN(20) == 0 {
			at = time.Date(1700+r.IntN(8000), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		c := Clock{Metric: metrics[r.IntN(2)], At: at, Start: at, Running: true, Fired: r.Uint64() & r.Uint64()}
		if r.IntN(5) > 0 {
			c.Target = time.Duration(r.Int64N(int64(48 * time.Hour)))
		}
		c.Elapsed = time.Duration(r.Int64N(int64(c.Target) + 1))
		if r.IntN(2) == 0 && c.Target > c.Elapsed {
			c.Deadline = at.Add(c.Target - c.Elapsed) // exact on a 24x7 calendar: a tie with At plus what is left
			if r.IntN(2) == 0 {
				c.Deadline = c.Deadline.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
			}
			if r.IntN(2) == 0 {
				c.Deadline = c.Deadline.In(berlin) // another location tells which instant the bound counts from
			}
		}
		if r.IntN(8) == 0 {
			c.WindowClosesAt = at.Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
		}
		checkNotBefore(t, "random case "+time.Duration(n).String(), l, &c, []any{"billing", "other"}[r.IntN(2)])
	}
}

// FuzzNotBeforeNanos compares NotBefore with its general path on one
// level and one clock, seeded from the table of TestNotBeforeNanos.
func FuzzNotBeforeNanos(f *testing.F) {
	for _, tc := range notBeforeCases() {
		lv := tc.levels[0]
		c := tc.clock
		var dl int64
		if !c.Deadline.IsZero() {
			dl = c.Deadline.Unix()
		}
		f.Add(uint8(lv.At.Kind), int64(lv.At.Offset), lv.At.BasisPoints, c.At.Unix(), dl, int64(c.Target), int64(c.Elapsed), c.Fired)
	}
	f.Fuzz(func(t *testing.T, kind uint8, offset, bp, atSec, dlSec, target, elapsed int64, fired uint64) {
		tr := Trigger{Kind: TriggerKind(kind%3 + 1), Offset: time.Duration(offset), BasisPoints: bp%100000 + 1}
		l, err := New("l", []Level{notBeforeLevel("x", "", tr, false), notBeforeLevel("y", "m", Trigger{Kind: Breach}, false)})
		if err != nil {
			return
		}
		c := Clock{Metric: "m", At: time.Unix(atSec%(1<<40), 0), Target: time.Duration(target), Elapsed: time.Duration(elapsed), Running: true, Fired: fired}
		if dlSec != 0 {
			c.Deadline = time.Unix(dlSec%(1<<40), 0)
		}
		checkNotBefore(t, "fuzz", l, &c, nil)
	})
}
