package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

const multidesk = "../../testdata/policies/multidesk.yaml"

// runCLI runs the command line in process.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/slakit -update to create %s", path)
	assert.Equal(t, string(want), got, "output differs from %s (rewrite with -update)", path)
}

func TestCommands(t *testing.T) {
	good, mixed := "testdata/good.jsonl", "testdata/mixed.jsonl"
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		golden string // stdout golden file; "" to skip
		out    string // substring of stdout
		err    string // substring of stderr
	}{
		{name: "no command", code: exitUsage, err: "Usage: slakit COMMAND"},
		{name: "help", args: []string{"--help"}, code: exitOK, out: "deadline"},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage, err: `unknown command "frobnicate"`},
		{name: "check ok", args: []string{"check", multidesk}, code: exitOK, out: "multidesk.yaml: ok: 3 calendars"},
		{name: "check broken", args: []string{"check", "../../testdata/policies/broken.yaml"}, code: exitProblem,
			err: "broken.yaml:6:15: calendars.sp-support.timezone"},
		{name: "check stdin", stdin: "version: 2\n", args: []string{"check", "-"}, code: exitProblem, err: "<stdin>:1:10: version"},
		{name: "check missing file", args: []string{"check", "nope.yaml"}, code: exitProblem, err: "nope.yaml"},
		{name: "check help", args: []string{"check", "--help"}, code: exitOK, out: "Usage: slakit check POLICY.yaml"},
		{name: "check no args", args: []string{"check"}, code: exitUsage, err: "want one policy file"},
		{name: "replay json", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00"},
			code: exitOK, golden: "replay.golden.jsonl"},
		{name: "replay table", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00", "--format", "table"},
			code: exitOK, golden: "replay.golden.txt"},
		{name: "replay stdin", stdin: "{\"ticket\":\"T\",\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"created\",\"channel\":\"email\"}\n",
			args: []string{"replay", "--policy", multidesk, "--events", "-"}, code: exitOK, out: `"ticket":"T","policy":"email"`},
		{name: "replay malformed lines", args: []string{"replay", "--policy", multidesk, "--events", mixed, "--format", "table"},
			code: exitProblem, golden: "mixed.golden.txt", err: "3 malformed lines, 0 events of unknown or closed tickets, 0 results with errors"},
		{name: "replay missing flag", args: []string{"replay", "--events", good}, code: exitUsage, err: "--policy is required"},
		{name: "replay bad at", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", "monday"}, code: exitUsage, err: "--at"},
		{name: "replay bad format", args: []string{"replay", "--policy", multidesk, "--events", good, "--format", "xml"}, code: exitUsage, err: "want json or table"},
		{name: "replay missing events", args: []string{"replay", "--policy", multidesk, "--events", "nope.jsonl"}, code: exitProblem, err: "nope.jsonl"},
		{name: "report json", args: []string{"report", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00", "--by", "channel"},
			code: exitOK, golden: "report.golden.json"},
		{name: "report table", args: []string{"report", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00", "--by", "channel,priority", "--format", "table", "--bucket", "day", "--zone", "sp-support"},
			code: exitOK, golden: "report.golden.txt"},
		{name: "report bad bucket", args: []string{"report", "--policy", multidesk, "--events", good, "--bucket", "month"}, code: exitUsage, err: "want day or week"},
		{name: "report bad zone", args: []string{"report", "--policy", multidesk, "--events", good, "--bucket", "day", "--zone", "mars"}, code: exitUsage, err: "no such calendar"},
		{name: "deadline add", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-03-06T17:30", "--add", "4h"},
			code: exitOK, out: "due 2026-03-07T12:30:00-03:00 (Sat 07 Mar 12:30, 4h00m of business time from Fri 06 Mar 17:30 in sp-support)\n"},
		{name: "deadline add json", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-12-23T17:00:00-03:00", "--add", "2h", "--format", "json"},
			code: exitOK, out: `{"add_seconds":7200,"calendar":"sp-support","due":"2026-12-26T10:00:00-03:00","from":"2026-12-23T17:00:00-03:00"}` + "\n"},
		{name: "deadline between", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "2026-03-06T17:30", "2026-03-09T10:00"},
			code: exitOK, out: "6h30m of business time (23400 seconds) from Fri 06 Mar 17:30 to Mon 09 Mar 10:00 in sp-support\n"},
		{name: "deadline flags after argument", args: []string{"deadline", "--policy", multidesk, "--calendar", "berlin-support", "--between", "2026-03-06T17:00", "2026-03-09T10:00", "--format", "json"},
			code: exitOK, out: `"seconds":5400`},
		{name: "deadline days", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-03-06T17:30", "--add", "2d"}, code: exitUsage, err: "business days are not 24 hours"},
		{name: "deadline unknown calendar", args: []string{"deadline", "--policy", multidesk, "--calendar", "nope", "--from", "2026-03-06T17:30", "--add", "2h"}, code: exitUsage, err: "calendars: berlin-support, leadership-hours, sp-support"},
		{name: "deadline both", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-03-06T17:30", "--add", "2h", "--between", "2026-03-06T17:30"}, code: exitUsage, err: "either"},
		{name: "deadline bad instant", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "friday", "--add", "2h"}, code: exitUsage, err: "want RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code, "exit status of slakit %s\nstderr: %s", strings.Join(tt.args, " "), errOut)
			if tt.golden != "" {
				golden(t, tt.golden, out)
			}
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.err)
		})
	}
}

func TestDecodeEvent(t *testing.T) {
	tests := []struct{ line, ticket, err string }{
		{`{"ticket":"T1","at":"2026-03-02T09:00:00Z","type":"created"}`, "T1", ""},
		{``, "", "empty line"},
		{`{"ticket":"T1","at":"2026-03-02T09:00:00Z","type":"created","colour":"red"}`, "T1", `unknown field "colour"`},
		{`{"ticket":"T2","at":12}`, "T2", "input is not a JSON string"},
		{`{"ticket":"T3"} {"ticket":"T4"}`, "T3", "more than one JSON value"},
		{`[1,2]`, "", "cannot unmarshal array"},
	}
	for _, tt := range tests {
		ev, err := decodeEvent([]byte(tt.line))
		assert.Equal(t, tt.ticket, ev.TicketID, "decodeEvent(%q) ticket", tt.line)
		if tt.err == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tt.err, "decodeEvent(%q)", tt.line)
		}
	}
}

func TestFmtDur(t *testing.T) {
	for d, want := range map[string]string{"0s": "0s", "45s": "45s", "12m30s": "12m", "1h5m": "1h05m", "26h": "26h00m", "-90m": "-1h30m"} {
		assert.Equal(t, want, fmtDur(mustDur(t, d)), "fmtDur(%s)", d)
	}
}

func mustDur(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	require.NoError(t, err)
	return d
}
