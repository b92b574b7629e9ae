package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
)

func runCalendar(e *env, args []string) int {
	fs := newFlags(e, "calendar", "calendar --policy P --calendar NAME [--year Y] [--format table|json]",
		"Shows one of the policy's calendars: its weekly hours and every date of the year that a\n"+
			"holiday, a closure or an override closes, with the holiday's name and the entry that\n"+
			"closes it, so that you can see what a holiday set such as \"br\" means before trusting\n"+
			"it. The year defaults to the current one; it may be 1900 to 2999, the years of the events\n"+
			"slakit accepts. Holiday sets and dates every year (\"12-24\") close dates in 1970 to 2099\n"+
			"only, so another year lists only the dates the policy names with their year.")
	pol := fs.String("policy", "", "policy document (YAML); required")
	calName := fs.String("calendar", "", "calendar name in the policy; required")
	year := fs.Int("year", 0, "year to list, 1900 to 2999 (default: the current year)")
	format := fs.String("format", "table", "output: table or json")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	yearSet := false
	fs.Visit(func(f *flag.Flag) { yearSet = yearSet || f.Name == "year" })
	switch {
	case *pol == "" || *calName == "":
		return usageError(e, fs, "--policy and --calendar are required")
	case fs.NArg() > 0:
		return usageError(e, fs, "unexpected argument %q", fs.Arg(0))
	case !yearSet:
		*year = time.Now().Year()
	case *year < 1900 || *year > 2999:
		return usageError(e, fs, "--year %d: want a year from 1900 to 2999, such as 2026", *year)
	}
	if *format != "table" && *format != "json" {
		return usageError(e, fs, "--format %q: want table or json", *format)
	}
	cal, st := loadCalendar(e, fs, *pol, *calName)
	if cal == nil {
		return st
	}
	loc := cal.Location()
	closures := cal.Closures(time.Date(*year, 1, 1, 12, 0, 0, 0, loc), time.Date(*year, 12, 31, 12, 0, 0, 0, loc))
	days := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	if *format == "json" {
		hours := map[string][]string{}
		for _, d := range days {
			hours[strings.ToLower(d.String()[:3])] = cal.Hours(d)
		}
		list := make([]map[string]string, 0, len(closures))
		for _, c := range closures {
			list = append(list, map[string]string{"date": c.Date.Format(time.DateOnly), "name": c.Name, "source": c.Source})
		}
		return writeJSON(e, map[string]any{"calendar": *calName, "timezone": loc.String(), "year": *year, "hours": hours, "closed": list})
	}
	w := e.stdout
	fmt.Fprintf(w, "calendar %s (%s), %d\n\nweekly hours\n", *calName, loc, *year)
	for _, d := range days {
		h := strings.Join(cal.Hours(d), ", ")
		if h == "" {
			h = "closed"
		}
		fmt.Fprintf(w, "  %s  %s\n", d.String()[:3], h)
	}
	fmt.Fprintf(w, "\nclosed dates: %d\n", len(closures))
	width := 0
	for _, c := range closures {
		width = max(width, len([]rune(c.Name)))
	}
	for _, c := range closures {
		fmt.Fprintf(w, "  %s  %s%s  %s\n", c.Date.Format("2006-01-02 Mon"), c.Name, strings.Repeat(" ", width-len([]rune(c.Name))), c.Source)
	}
	return exitOK
}

// loadCalendar loads a policy and returns its calendar called name, or nil and the exit status
// after reporting the problem.
func loadCalendar(e *env, fs *flag.FlagSet, pol, name string) (*calendar.Calendar, int) {
	set, ok := loadPolicy(e, pol)
	if !ok {
		return nil, exitProblem
	}
	cal := set.Calendar(name)
	if cal == nil {
		return nil, usageError(e, fs, "--calendar %q: no such calendar in %s (calendars: %s)", name, pol, strings.Join(set.Calendars(), ", "))
	}
	return cal, exitOK
}
