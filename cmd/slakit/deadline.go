package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/internal/duration"
)

func runDeadline(e *env, args []string) int {
	fs := newFlags(e, "deadline", "deadline --policy P --calendar NAME --from INSTANT --add 4h\n       slakit deadline --policy P --calendar NAME --between A B",
		"Business-time arithmetic in one of the policy's calendars. --add gives the instant a\n"+
			"target of that much business time falls due (a target that runs out at closing time is\n"+
			"due at closing time); --between gives the business time from A to B. Instants are RFC\n"+
			"3339, or a wall-clock time such as 2026-03-06T17:30 read in the calendar's zone.\n"+
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
	set, ok := loadPolicy(e, *pol)
	if !ok {
		return exitProblem
	}
	cal := set.Calendar(*calName)
	if cal == nil {
		return usageError(e, fs, "--calendar %q: no such calendar in %s (calendars: %s)", *calName, *pol, strings.Join(set.Calendars(), ", "))
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
	d := cal.Between(a, b)
	if *format == "json" {
		return writeJSON(e, map[string]any{"calendar": *calName, "from": a.In(loc).Format(time.RFC3339Nano),
			"to": b.In(loc).Format(time.RFC3339Nano), "seconds": int64(d / time.Second)})
	}
	fmt.Fprintf(e.stdout, "%s of business time (%s) from %s to %s in %s\n", fmtDur(d), plural(int(d/time.Second), "second", "seconds"),
		a.In(loc).Format("Mon 02 Jan 15:04"), b.In(loc).Format("Mon 02 Jan 15:04"), *calName)
	return exitOK
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

// parseInstant reads RFC 3339, or a wall-clock time without offset in loc.
func parseInstant(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339 (2026-03-06T17:30:00-03:00) or a wall-clock time (2026-03-06T17:30)", s)
}
