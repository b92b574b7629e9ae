package main

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/slatest"
)

var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

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
	slatest.GoldenBytes(t, filepath.Join("testdata", name), []byte(got))
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
		reason string
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
			code: exitProblem, golden: "mixed.golden.txt", err: "slakit replay: 3 malformed lines, 0 events of unknown or closed tickets, 1 result with errors"},
		{name: "replay condition failing", args: []string{"replay", "--policy", "testdata/evalfail.yaml", "--events", good},
			code: exitProblem, err: "slakit replay: condition failed at run time (counted false): testdata/evalfail.yaml:7:11: rules[0].when (big-order): ",
			reason: "a condition that fails at run time is named with its place, and the run exits 1"},
		{name: "report condition failing", args: []string{"report", "--policy", "testdata/evalfail.yaml", "--events", good},
			code: exitProblem, err: "1 condition failing at run time on 2 tickets"},
		{name: "replay condition failing json", args: []string{"replay", "--policy", "testdata/evalfail.yaml", "--events", good},
			code: exitProblem, golden: "evalfail.golden.jsonl",
			reason: "each ticket's result names the condition that failed for it (condition_failures)"},
		{name: "replay condition failing table", args: []string{"replay", "--policy", "testdata/evalfail.yaml", "--events", good, "--format", "table", "--only", "errors"},
			code: exitProblem, out: "condition rules[0].when (big-order) failed 1x: invalid operation: <nil> > int (1:22)\n",
			reason: "the ERRORS cell names the failing condition; --only errors keeps such tickets"},
		{name: "replay condition failing footer", args: []string{"replay", "--policy", "testdata/evalfail.yaml", "--events", good, "--format", "table"},
			code: exitProblem, out: "2 tickets, 1 with a breached clock, 0 at risk, 0 with errors, 2 with failing conditions\n"},
		{name: "compare condition failing", args: []string{"compare", "--policy", "testdata/evalfail.yaml", "--policy", multidesk, "--events", good},
			code: exitProblem, err: "slakit compare: 0 malformed lines, 0 events of unknown or closed tickets, 0 results with errors, 1 condition failing at run time\n",
			reason: "compare names the conditions that failed, as replay does, and exits 1"},
		{name: "replay missing flag", args: []string{"replay", "--events", good}, code: exitUsage, err: "--policy is required"},
		{name: "replay bad at", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", "monday"}, code: exitUsage, err: "--at"},
		{name: "replay bad format", args: []string{"replay", "--policy", multidesk, "--events", good, "--format", "xml"}, code: exitUsage, err: "want json, table or csv"},
		{name: "replay missing events", args: []string{"replay", "--policy", multidesk, "--events", "nope.jsonl"}, code: exitProblem, err: "nope.jsonl"},
		{name: "report json", args: []string{"report", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00", "--by", "channel"},
			code: exitOK, golden: "report.golden.json"},
		{name: "report table", args: []string{"report", "--policy", multidesk, "--events", good, "--at", "2026-03-09T12:00:00-03:00", "--by", "channel,priority", "--format", "table", "--bucket", "day", "--zone", "sp-support"},
			code: exitOK, golden: "report.golden.txt"},
		{name: "report bad bucket", args: []string{"report", "--policy", multidesk, "--events", good, "--bucket", "year"}, code: exitUsage, err: "want day, week or month"},
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
		{name: "deadline largest duration", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "1900-01-02T12:00", "--add", "9223372036854775807ns"},
			code: exitOK, out: "2562047h47m of business time", reason: "formatting the duration recursed without end"},
		{name: "deadline most negative duration", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-03-06T17:30", "--add", "-9223372036854775808ns"},
			code: exitUsage, err: `slakit deadline: --add "-9223372036854775808ns": the due instant would lie outside the years 1900 to 2999 (UTC)`,
			reason: "a due instant the engine would refuse as an event's is a usage error"},
		{name: "deadline due past 2999", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2999-12-31T23:59:59Z", "--add", "1h"},
			code: exitUsage, err: `--add "1h": the due instant would lie outside the years 1900 to 2999 (UTC)`},
		{name: "deadline from after 2999", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "9999-12-31T23:59:59Z", "--add", "1h"},
			code: exitUsage, err: `slakit deadline: --from: "9999-12-31T23:59:59Z": outside the years 1900 to 2999 (UTC)`,
			reason: "the calendar took the instant as its last one and returned it unchanged"},
		{name: "deadline from before 1900", args: []string{"deadline", "--policy", multidesk, "--calendar", "berlin-support", "--from", "1900-01-01T00:30", "--add", "1h"},
			code: exitUsage, err: `--from: "1900-01-01T00:30": outside the years 1900 to 2999 (UTC)`, reason: "00:30 in Berlin is 1899 in UTC"},
		{name: "deadline between before 1900", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"},
			code: exitUsage, err: `slakit deadline: --between: "0001-01-01T00:00:00Z": outside the years 1900 to 2999 (UTC)`,
			reason: "the business time saturated at 2562047h without a word"},
		{name: "deadline between end after 2999", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "2026-03-06T17:30", "3000-01-01T00:00:00Z"},
			code: exitUsage, err: `slakit deadline: end instant: "3000-01-01T00:00:00Z": outside the years 1900 to 2999 (UTC)`},
		{name: "deadline between saturates", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "1900-01-01T00:00:00Z", "2999-12-31T23:59:59Z"},
			code: exitUsage, err: "slakit deadline: --between: the business time from A to B is more than the largest duration (about 292 years)\n",
			reason: "Calendar.Between saturated, a little short of the largest duration: 2549557h47m"},
		{name: "deadline between saturates backwards", args: []string{"deadline", "--policy", multidesk, "--calendar", "leadership-hours", "--between", "2999-12-31T12:00", "1900-01-01T12:00"},
			code: exitUsage, err: "--between: the business time from A to B is more than the largest duration"},
		{name: "deadline between 900 years", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "2800-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "--format", "json"},
			code: exitOK, out: `"seconds":-8247920400,`, reason: "measured in spans of 100 years, summed: the same as in one"},
		{name: "replay reads stdin twice", stdin: "version: 1\n", args: []string{"replay", "--policy", "-", "--events", "-"},
			code: exitUsage, err: "slakit replay: --policy and --events both read standard input (-), which can be read only once\n",
			reason: "the policy read all of standard input, and the replay read no event"},
		{name: "report reads stdin twice", stdin: "version: 1\n", args: []string{"report", "--events", "-", "--policy", "-"},
			code: exitUsage, err: "slakit report: --policy and --events both read standard input (-)"},
		{name: "compare reads stdin twice", stdin: "version: 1\n", args: []string{"compare", "--policy", "-", "--policy", "-", "--events", good},
			code: exitUsage, err: "slakit compare: --policy A and --policy B both read standard input (-), which can be read only once\n",
			reason: "B was an empty document"},
		{name: "compare reads stdin three times", stdin: "version: 1\n", args: []string{"compare", "--policy", "-", "--policy", "-", "--events", "-"},
			code: exitUsage, err: "slakit compare: --policy A, --policy B and --events all read standard input (-)"},
		{name: "compare policy and events from stdin", stdin: "version: 1\n", args: []string{"compare", "--policy", multidesk, "--policy", "-", "--events", "-"},
			code: exitUsage, err: "slakit compare: --policy B and --events both read standard input (-)"},
		{name: "import reads stdin twice", args: []string{"import", "zendesk", "-", "-"},
			code: exitUsage, err: "slakit import: - (standard input) given 2 times: it can be read only once\n"},
		{name: "check stdin ok", stdin: "version: 1\ncalendars: {c: {timezone: UTC, hours: {mon: [\"09:00-17:00\"]}}}\n", args: []string{"check", "-"},
			code: exitOK, out: "<stdin>: ok: 1 calendar, ", reason: "messages call standard input <stdin>, not -"},
		{name: "deadline bad instant", args: []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "friday", "--add", "2h"}, code: exitUsage, err: "want RFC 3339"},
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

func TestFmtDur(t *testing.T) {
	for d, want := range map[string]string{"0s": "0s", "45s": "45s", "-45s": "-45s", "12m30s": "12m", "1h5m": "1h05m", "26h": "26h00m", "-90m": "-1h30m",
		"-9223372036854775808ns": "-2562047h47m", "9223372036854775807ns": "2562047h47m"} {
		assert.Equal(t, want, fmtDur(mustDur(t, d)), "fmtDur(%s)", d)
	}
}

func mustDur(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	require.NoError(t, err)
	return d
}

// TestTranscripts runs command lines and compares what a user sees (exit
// status, stdout, stderr) with testdata/cli/NAME.golden.
func TestTranscripts(t *testing.T) {
	long := `{"ticket":"T9","at":"2026-03-02T09:00:00Z","type":"note","text":"` + strings.Repeat("x", 300) + `"}`
	events := strings.Join([]string{
		`{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","priority":"normal"}`,
		`{"Ticket":"T1","at":"2026-03-02T09:06:00-03:00","type":"message"}`,
		`{"ticket":"T1","at":"2026-03-02T09:07:00","type":"message","author":"agent"}`,
		long,
		``,
		`{"ticket":"T1","at":"2026-03-02T09:08:00-03:00","at":"2026-03-02T09:09:00-03:00","type":"note"}`,
		`{"ticket":"T1","at":"2026-03-02T09:10:00-03:00","type":"status","status":"solved"}`,
	}, "\n") + "\n"
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{name: "usage", args: nil},
		{name: "help", args: []string{"help"}},
		{name: "help-flag", args: []string{"--help"}},
		{name: "help-check", args: []string{"help", "check"}},
		{name: "help-replay", args: []string{"help", "replay"}},
		{name: "help-report", args: []string{"help", "report"}},
		{name: "help-deadline", args: []string{"help", "deadline"}},
		{name: "help-unknown", args: []string{"help", "frobnicate"}},
		{name: "replay-help-flag", args: []string{"replay", "--help"}},
		{name: "replay-bad-flag", args: []string{"replay", "--polcy", "p.yaml"}},
		{name: "replay-events-errors", stdin: events, args: []string{"replay", "--policy", multidesk, "--events", "-", "--max-line", "200", "--format", "table"}},
		{name: "report-events-errors", args: []string{"report", "--policy", multidesk, "--events", "testdata/mixed.jsonl", "--format", "table"}},
		{name: "check-one-error", stdin: "version: 2\n", args: []string{"check", "-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			var b strings.Builder
			fmt.Fprintf(&b, "$ slakit %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(tt.args, " "), code, out, errOut)
			golden(t, filepath.Join("cli", tt.name+".golden"), b.String())
		})
	}
}

func TestHelpOnce(t *testing.T) {
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "--help"}, {c.name, "-h"}} {
			code, out, errOut := runCLI(t, "", args...)
			assert.Equal(t, exitOK, code, "slakit %s", strings.Join(args, " "))
			assert.Equal(t, 1, strings.Count(out, "Usage: slakit "+c.name), "slakit %s prints its usage once on stdout", strings.Join(args, " "))
			assert.Empty(t, errOut, "slakit %s writes nothing on stderr", strings.Join(args, " "))
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "--version")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "slakit "), "slakit --version = %q", out)
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{name: "no build info", want: "slakit (devel)"},
		{name: "installed at a version", info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}},
			want: "slakit v0.3.0 (go1.26.8)"},
		{name: "devel with a commit", info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "7758340abcdef0123456789"}, {Key: "vcs.modified", Value: "true"}}},
			want: "slakit (devel) (commit 7758340abcde, modified, go1.26.8)"},
		{name: "pseudo-version names its commit", info: &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261129025000-7758340abcde"}},
			want: "slakit v0.0.0-20261129025000-7758340abcde"},
		{name: "empty version", info: &debug.BuildInfo{}, want: "slakit (devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, version(tt.info, tt.info != nil))
		})
	}
}

func TestPlural(t *testing.T) {
	assert.Equal(t, "0 errors", plural(0, "error", "errors"))
	assert.Equal(t, "1 error", plural(1, "error", "errors"))
	assert.Equal(t, "2 SLA policies", plural(2, "SLA policy", "SLA policies"))
}

func TestCheckCountsOLAs(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", "../../testdata/policies/multidesk.yaml")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "multidesk.yaml: ok: 3 calendars, 5 rules, 3 SLA policies, 1 OLA, 1 escalation ladder, 5 KPI goals\n", out)
	code, _, errOut = runCLI(t, "version: 1\nolas:\n  - {name: o, team: billing, targets: {normal: {time_to_own: 1d}}}\n", "check", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "<stdin>:3:62: olas[0].targets.normal.time_to_own: bad duration \"1d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h\n")
}
