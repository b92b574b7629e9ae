package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/duration"
	"github.com/slakit/slakit/internal/wallclock"
)

func runDeadline(e *env, args []string) int {
	fs := newFlags(e, "deadline", "deadline --policy P --calendar NAME --from INSTANT --add 4h\n       slakit deadline --policy P --calendar NAME --between A B",
		"Business-time arithmetic in one of the policy's calendars. --add gives the instant a\n"+
			"target of that much business time falls due (a target that runs out at closing time is\n"+
			"due at closing time); --between gives the business time from A to B. Instants are RFC\n"+
			"3339, or a wall-clock time such as 2026-03-06T17:30 read in the calendar's zone; one\n"+
			"that clocks skip moves forward by the gap's length (02:30 on Berlin's spring-forward\n"+
			"night is 03:30 CEST), one they repeat is the first of the two instants. Instants, the\n"+
			"due one included, must lie in the years 1900 to 2999 (UTC), those of events.\n"+
			"Durations use Go syntax (15m, 4h, 1h30m); days are refused, business days are not 24h.")
	pol := fs.String("policy", "", "policy document (YAML); required")
	calName := fs.String("calendar", "", "calendar name in the policy; required")
	from := fs.String("from", "", "start instant (with --add)")
	add := fs.String("add", "", "business time to add, e.g. 4h or 1h30m (negative counts back)")
	between := fs.String("between", "", "start instant A; the end instant B is the argument")
	format := fs.String("format", "table", "output: table or json")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	switch {
	case *pol == "" || *calName == "":
		return usageError(e, fs, "--policy and --calendar are required")
	case (*add == "") == (*between == ""):
		return usageError(e, fs, "give either --from with --add, or --between A B")
	case *add != "" && (*from == "" || fs.NArg() > 0):
		return usageError(e, fs, "--add needs --from and no arguments")
	case *between != "" && fs.NArg() != 1:
		return usageError(e, fs, "--between needs the end instant as its one argument")
	case *format != "table" && *format != "json":
		return usageError(e, fs, "--format %q: want table or json", *format)
	}
	cal, st := loadCalendar(e, fs, *pol, *calName)
	if cal == nil {
		return st
	}
	loc := cal.Location()
	if *add != "" {
		t, err := parseInstant(*from, loc)
		if err != nil {
			return usageError(e, fs, "--from: %v", err)
		}
		d, err := duration.Parse(*add)
		if err != nil {
			return usageError(e, fs, "--add %q: %v", *add, err)
		}
		due := cal.Add(t, d).In(loc)
		if due.Before(minInstant) || !due.Before(maxInstant) {
			return usageError(e, fs, "--add %q: the due instant would lie outside the years 1900 to 2999 (UTC)", *add)
		}
		if *format == "json" {
			return writeJSON(e, map[string]any{"calendar": *calName, "from": t.In(loc).Format(time.RFC3339Nano),
				"add_seconds": int64(d / time.Second), "due": due.Format(time.RFC3339Nano)})
		}
		fmt.Fprintf(e.stdout, "due %s (%s, %s of business time from %s in %s)\n", due.Format(time.RFC3339),
			due.Format("Mon 02 Jan 15:04"), fmtDur(d), t.In(loc).Format("Mon 02 Jan 15:04"), *calName)
		return exitOK
	}
	a, err := parseInstant(*between, loc)
	if err != nil {
		return usageError(e, fs, "--between: %v", err)
	}
	b, err := parseInstant(fs.Arg(0), loc)
	if err != nil {
		return usageError(e, fs, "end instant: %v", err)
	}
	d, ok := businessTime(cal, a, b)
	if !ok {
		return usageError(e, fs, "--between: the business time from A to B is more than the largest duration (about 292 years)")
	}
	if *format == "json" {
		return writeJSON(e, map[string]any{"calendar": *calName, "from": a.In(loc).Format(time.RFC3339Nano),
			"to": b.In(loc).Format(time.RFC3339Nano), "seconds": int64(d / time.Second)})
	}
	fmt.Fprintf(e.stdout, "%s of business time (%s) from %s to %s in %s\n", fmtDur(d), plural(int(d/time.Second), "second", "seconds"),
		a.In(loc).Format("Mon 02 Jan 15:04"), b.In(loc).Format("Mon 02 Jan 15:04"), *calName)
	return exitOK
}

// betweenStep is the longest span between measures in one call of
// Calendar.Between: its business time is far from the largest Duration,
// near which Between saturates.
const betweenStep = 100 * 365 * 24 * time.Hour

// businessTime returns cal's business time from a to b, summed over spans of
// betweenStep, and false when it is more than a Duration holds.
func businessTime(cal *calendar.Calendar, a, b time.Time) (time.Duration, bool) {
	neg := b.Before(a)
	if neg {
		a, b = b, a
	}
	var sum time.Duration
	for a.Before(b) {
		m := b
		if b.Sub(a) > betweenStep {
			m = a.Add(betweenStep)
		}
		d := cal.Between(a, m)
		if d > math.MaxInt64-sum {
			return 0, false
		}
		sum, a = sum+d, m
	}
	if neg {
		sum = -sum
	}
	return sum, true
}

func writeJSON(e *env, v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
		return exitProblem
	}
	e.stdout.Write(append(b, '\n'))
	return exitOK
}

// The instants deadline accepts: those of the years sla accepts for events,
// 1900 to 2999 (UTC).
var (
	minInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// parseInstant reads RFC 3339, or a wall-clock time without offset in loc,
// of the years 1900 to 2999 (UTC). A wall-clock time that clocks skip (the
// gap when they spring forward) is read with the offset in force before
// the gap, so it moves forward by the gap's length (02:30 on Berlin's
// spring-forward night is 03:30 CEST); one they repeat (when they fall
// back) is the first of the two instants.
func parseInstant(s string, loc *time.Location) (time.Time, error) {
	t, ok := parseWall(s, loc)
	if !ok {
		return time.Time{}, fmt.Errorf("%q: want RFC 3339 (2026-03-06T17:30:00-03:00) or a wall-clock time (2026-03-06T17:30)", s)
	}
	if t.Before(minInstant) || !t.Before(maxInstant) {
		return time.Time{}, fmt.Errorf("%q: outside the years 1900 to 2999 (UTC)", s)
	}
	return t, nil
}

func parseWall(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		// The wall clock read as if in UTC, then placed in loc.
		w, err := time.Parse(layout, s)
		if err == nil {
			return wallclock.In(w, loc), true
		}
	}
	return time.Time{}, false
}
