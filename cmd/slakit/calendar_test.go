package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCalendarCommand(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		golden string // stdout golden file; "" to skip
		out    string // substring of stdout
		err    string // substring of stderr
		reason string
	}{
		{name: "table", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "2026"},
			code: exitOK, golden: "calendar.golden.txt"},
		{name: "json", args: []string{"calendar", "--policy", multidesk, "--calendar", "berlin-support", "--year", "2025", "--format", "json"},
			code: exitOK, golden: "calendar.golden.json"},
		{name: "no holidays", args: []string{"calendar", "--policy", multidesk, "--calendar", "leadership-hours", "--year", "2026"},
			code: exitOK, out: "  Sun  10:00-14:00\n\nclosed dates: 0\n"},
		{name: "help", args: []string{"calendar", "--help"}, code: exitOK, out: "Usage: slakit calendar --policy P --calendar NAME"},
		{name: "listed in usage", args: []string{"--help"}, code: exitOK, out: "calendar  show a calendar's weekly hours"},
		{name: "missing flag", args: []string{"calendar", "--policy", multidesk}, code: exitUsage, err: "--policy and --calendar are required"},
		{name: "unknown calendar", args: []string{"calendar", "--policy", multidesk, "--calendar", "nope"}, code: exitUsage,
			err: "calendars: berlin-support, leadership-hours, sp-support"},
		{name: "bad year", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "-3"}, code: exitUsage, err: "--year -3"},
		{name: "year 0", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "0"}, code: exitUsage,
			err: "slakit calendar: --year 0: want a year from 1900 to 2999, such as 2026\n"},
		{name: "year 1899", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "1899"}, code: exitUsage, err: "--year 1899: want a year from 1900 to 2999"},
		{name: "year 3000", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "3000"}, code: exitUsage, err: "--year 3000: want a year from 1900 to 2999"},
		{name: "year 1900", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "1900"}, code: exitOK,
			out: "calendar sp-support (America/Sao_Paulo), 1900\n", reason: "holiday sets close dates in 1970 to 2099 only"},
		{name: "dated holiday in 2999", args: []string{"calendar", "--policy", "-", "--calendar", "c", "--year", "2999"}, code: exitOK,
			stdin: "version: 1\ncalendars: {c: {timezone: UTC, hours: {mon: [\"09:00-17:00\"]}, holidays: [br, \"2999-06-03\"]}}\n",
			out:   "closed dates: 1\n  2999-06-03 Mon  holiday  2999-06-03\n"},
		{name: "bad format", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--format", "xml"}, code: exitUsage, err: "want table or json"},
		{name: "argument", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "2026"}, code: exitUsage, err: `unexpected argument "2026"`},
		{name: "broken policy", args: []string{"calendar", "--policy", "../../testdata/policies/broken.yaml", "--calendar", "sp-support"}, code: exitProblem,
			err: "broken.yaml:6:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code, "exit status of slakit %s (%s)\nstderr: %s", strings.Join(tt.args, " "), tt.reason, errOut)
			if tt.golden != "" {
				golden(t, tt.golden, out)
			}
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.err)
		})
	}
}
