package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCalendarCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string // stdout golden file; "" to skip
		out    string // substring of stdout
		err    string // substring of stderr
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
		{name: "bad format", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--format", "xml"}, code: exitUsage, err: "want table or json"},
		{name: "argument", args: []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "2026"}, code: exitUsage, err: `unexpected argument "2026"`},
		{name: "broken policy", args: []string{"calendar", "--policy", "../../testdata/policies/broken.yaml", "--calendar", "sp-support"}, code: exitProblem,
			err: "broken.yaml:6:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, code, "exit status of slakit %s\nstderr: %s", strings.Join(tt.args, " "), errOut)
			if tt.golden != "" {
				golden(t, tt.golden, out)
			}
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.err)
		})
	}
}
