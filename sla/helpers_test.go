package sla_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/require"
)

const (
	fr  = sla.FirstResponse
	nr  = sla.NextResponse
	pu  = sla.PeriodicUpdate
	res = sla.Resolution
)

func mustCal(t testing.TB, s calendar.Spec) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(s)
	require.NoError(t, err)
	return c
}

// São Paulo support: weekdays with a lunch break, Finados (2026-11-02) off.
func spCal(t testing.TB) *calendar.Calendar {
	return mustCal(t, calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours:    map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}},
		Holidays: []string{"2026-11-02"}})
}

func nyCal(t testing.TB) *calendar.Calendar {
	return mustCal(t, calendar.Spec{Timezone: "America/New_York",
		Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
}

func berlinCal(t testing.TB) *calendar.Calendar {
	return mustCal(t, calendar.Spec{Timezone: "Europe/Berlin",
		Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2026-12-24", "2026-12-25"}})
}

func allDay(t testing.TB, zone string) *calendar.Calendar {
	return mustCal(t, calendar.Spec{Timezone: zone, Hours: map[string][]string{"daily": {"00:00-24:00"}}})
}

type targets = map[string]map[sla.Metric]time.Duration

// standard targets, used by most scenarios.
func stdTargets() targets {
	return targets{
		"urgent": {fr: time.Hour, nr: 2 * time.Hour, pu: 4 * time.Hour, res: 8 * time.Hour},
		"high":   {fr: 2 * time.Hour, nr: 2 * time.Hour, res: 12 * time.Hour},
		"normal": {fr: 4 * time.Hour, nr: 4 * time.Hour, pu: 8 * time.Hour, res: 16 * time.Hour},
		"low":    {fr: 8 * time.Hour, res: 40 * time.Hour},
	}
}

func mustEngine(t testing.TB, cfg sla.Config) *sla.Engine {
	t.Helper()
	e, err := sla.NewEngine(cfg)
	require.NoError(t, err)
	return e
}

// events decodes JSON lines; a line without "ticket" gets ticket T1.
func events(t testing.TB, lines ...string) []sla.Event {
	t.Helper()
	out := make([]sla.Event, 0, len(lines))
	for i, l := range lines {
		var ev sla.Event
		require.NoError(t, json.Unmarshal([]byte(l), &ev), "line %d: %s", i+1, l)
		if ev.TicketID == "" {
			ev.TicketID = "T1"
		}
		out = append(out, ev)
	}
	return out
}

// ev builds one event line: ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`).
func ev(at, typ string, extra ...string) string {
	s := fmt.Sprintf(`{"at":%q,"type":%q`, at, typ)
	for _, x := range extra {
		s += "," + x
	}
	return s + "}"
}

// applyAll applies evs in order and returns the state and the errors.
func applyAll(t testing.TB, e *sla.Engine, evs []sla.Event) (sla.State, []error) {
	t.Helper()
	var st sla.State
	var errs []error
	for _, x := range evs {
		var err error
		st, err = e.Apply(st, x)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return st, errs
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// clockLine renders a clock for comparison in tables.
func clockLine(c sla.Clock) string {
	s := fmt.Sprintf("%s#%d %s start=%s", c.Metric, c.Cycle, c.State, rfc(c.Start))
	if !c.Stop.IsZero() {
		s += " stop=" + rfc(c.Stop)
	}
	s += fmt.Sprintf(" deadline=%s elapsed=%s", rfc(c.Deadline), c.Elapsed)
	if c.PausedTime != 0 {
		s += fmt.Sprintf(" paused=%s", c.PausedTime)
	}
	if !c.BreachedAt.IsZero() {
		s += " breached=" + rfc(c.BreachedAt)
	}
	return s
}

func clockLines(v sla.View) []string {
	out := make([]string, 0, len(v.Clocks))
	for _, c := range v.Clocks {
		out = append(out, clockLine(c))
	}
	return out
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	x, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return x
}

func joinLines(ss []string) string { return strings.Join(ss, "\n") }

func TestDumpScenarios(t *testing.T) {
	if !*dump {
		t.Skip()
	}
	for _, sc := range scenarios {
		e := mustEngine(t, sc.cfg(t))
		st, errs := applyAll(t, e, events(t, sc.events...))
		v := e.Evaluate(st, mustTime(t, sc.at))
		fmt.Printf("== %s (%s) wake=%s errs=%v\n", sc.name, v.Status, rfc(v.NextWake), errs)
		for _, l := range clockLines(v) {
			fmt.Printf("\t\t\t%q,\n", l)
		}
	}
}

var dump = flag.Bool("dump", false, "print scenario clocks")
