package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// failingWriter fails every write, as standard output on a full disk does.
type failingWriter struct{ writes int }

var errDeviceFull = errors.New("no space left on device")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	return 0, errDeviceFull
}

// TestWriteErrors checks that every command notices that its output could
// not be written: one message on stderr naming the command, exit status 1.
func TestWriteErrors(t *testing.T) {
	good := "testdata/good.jsonl"
	replay := []string{"replay", "--policy", multidesk, "--events", good}
	report := []string{"report", "--policy", multidesk, "--events", good}
	compare := []string{"compare", "--policy", multidesk, "--policy", "testdata/compare-b.yaml", "--events", good}
	calendar := []string{"calendar", "--policy", multidesk, "--calendar", "sp-support", "--year", "2026"}
	from := []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--from", "2026-03-06T17:30", "--add", "4h"}
	between := []string{"deadline", "--policy", multidesk, "--calendar", "sp-support", "--between", "2026-03-06T17:30", "2026-03-09T10:00"}
	with := func(args []string, more ...string) []string { return append(append([]string(nil), args...), more...) }
	tests := []struct {
		args []string
		cmd  string // as the message names it
		code int
	}{
		{args: replay, cmd: "slakit replay"},
		{args: with(replay, "--format", "table"), cmd: "slakit replay"},
		{args: with(replay, "--format", "csv"), cmd: "slakit replay"},
		{args: with(replay, "--events", "testdata/mixed.jsonl"), cmd: "slakit replay", code: exitProblem},
		{args: report, cmd: "slakit report"},
		{args: with(report, "--format", "table"), cmd: "slakit report"},
		{args: with(report, "--format", "csv"), cmd: "slakit report"},
		{args: with(report, "--format", "html"), cmd: "slakit report"},
		{args: compare, cmd: "slakit compare"},
		{args: with(compare, "--format", "json"), cmd: "slakit compare"},
		{args: with(compare, "--format", "html"), cmd: "slakit compare"},
		{args: calendar, cmd: "slakit calendar"},
		{args: with(calendar, "--format", "json"), cmd: "slakit calendar"},
		{args: []string{"check", multidesk}, cmd: "slakit check"},
		{args: from, cmd: "slakit deadline"},
		{args: with(from, "--format", "json"), cmd: "slakit deadline"},
		{args: between, cmd: "slakit deadline"},
		{args: with(between, "--format", "json"), cmd: "slakit deadline"},
		{args: []string{"import", "chatwoot", importData + "chatwoot/conversation-47.json"}, cmd: "slakit import"},
		{args: []string{"--help"}, cmd: "slakit"},
		{args: []string{"--version"}, cmd: "slakit"},
		{args: []string{"help", "replay"}, cmd: "slakit help"},
		{args: []string{"replay", "--help"}, cmd: "slakit replay"},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		t.Run(name, func(t *testing.T) {
			var stdout failingWriter
			var stderr strings.Builder
			code := run(tt.args, strings.NewReader(""), &stdout, &stderr)
			want := tt.cmd + ": write output: no space left on device\n"
			assert.Equal(t, exitProblem, code, "exit status of slakit %s\nstderr: %s", name, stderr.String())
			assert.Equal(t, 1, strings.Count(stderr.String(), want), "slakit %s says once that its output failed\nstderr: %s", name, stderr.String())
			assert.NotContains(t, stderr.String(), "slakit: no space left", "no second message from the command")
			assert.Equal(t, 1, stdout.writes, "slakit %s stops writing after the first error", name)
		})
	}
}

// TestOutputKeepsFirstError checks the writer run gives the commands.
func TestOutputKeepsFirstError(t *testing.T) {
	var w failingWriter
	o := &output{w: &w}
	n, err := o.Write([]byte("a"))
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, errDeviceFull)
	_, err = o.Write([]byte("b"))
	assert.ErrorIs(t, err, errDeviceFull)
	assert.Equal(t, 1, w.writes, "nothing is written after the first error")
	assert.ErrorIs(t, o.err, errDeviceFull)
}

// shortWriter writes less than it is given, without an error.
type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestOutputShortWrite(t *testing.T) {
	var stderr strings.Builder
	code := run([]string{"--version"}, strings.NewReader(""), shortWriter{}, &stderr)
	assert.Equal(t, exitProblem, code)
	assert.Equal(t, "slakit: write output: short write\n", stderr.String())
}
