package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// damagedHistory writes a history with problems of every kind into a
// temporary directory: the first 6000 lines of the sample with a few
// lines broken, an event of a ticket never created, one after its ticket
// closed, one naming no ticket, and the tickets of testdata/mixed.jsonl
// (one with errors), renamed.
func damagedHistory(t *testing.T) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(readFile(t, sampleEvents), "\n"), "\n")[:6000]
	lines[100] = lines[100][:40]
	lines[901] = "not json at all"
	lines[1500] = strings.Replace(lines[1500], `"ticket":"T`, `"ticket":"X`, 1)
	for _, l := range strings.Split(strings.TrimSuffix(readFile(t, "testdata/mixed.jsonl"), "\n"), "\n") {
		lines = append(lines, strings.Replace(l, `"ticket":"T`, `"ticket":"M`, 1))
	}
	lines = append(lines,
		`{"ticket":"","at":"2026-03-20T10:00:00-03:00","type":"note"}`,
		`{"ticket":"T1","at":"2026-03-12T10:00:00-03:00","type":"note"}`)
	path := filepath.Join(t.TempDir(), "damaged.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return path
}

// slakit report sums every goroutine's tickets up into one report: what it
// writes, its problems on stderr (in input order) and its exit status do
// not depend on the number of goroutines.
func TestReportAnyWorkers(t *testing.T) {
	damaged := damagedHistory(t)
	tests := []struct {
		name string
		args []string
		err  string // the summary on stderr
	}{
		{name: "damaged json", args: []string{"--policy", multidesk, "--events", damaged, "--format", "json"},
			err: "slakit report: 5 malformed lines, 8 events of unknown or closed tickets, 1 result with errors"},
		{name: "damaged table by team and plan, weekly", args: []string{"--policy", multidesk, "--events", damaged,
			"--by", "team,fields.plan", "--bucket", "week", "--zone", "America/Sao_Paulo", "--format", "table"},
			err: "slakit report: 5 malformed lines, 8 events of unknown or closed tickets, 1 result with errors"},
		{name: "conditions failing on tickets, csv", args: []string{"--policy", "testdata/evalfail.yaml", "--events", "testdata/good.jsonl",
			"--format", "csv"}, err: "1 condition failing at run time on 2 tickets"},
		// Every ticket fails the condition: which failure is the last one
		// must not depend on which goroutine got there first.
		{name: "a condition failing on every ticket of the sample, json", args: []string{"--policy", "testdata/evalfail.yaml",
			"--events", sampleEvents, "--format", "json"}, err: "1 condition failing at run time on 3000 tickets"},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	lineNo := regexp.MustCompile(`(?:\.jsonl:|\(line )(\d+)`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want [3]string
			for _, workers := range []int{1, 2, 3, 8} {
				runtime.GOMAXPROCS(workers)
				code, out, errOut := runCLI(t, "", append([]string{"report"}, tt.args...)...)
				got := [3]string{strconv.Itoa(code), out, errOut}
				if workers == 1 {
					want = got
					assert.Equal(t, exitProblem, code)
					assert.Contains(t, errOut, tt.err)
					prev := 0
					for _, m := range lineNo.FindAllStringSubmatch(errOut, -1) {
						n, err := strconv.Atoi(m[1])
						require.NoError(t, err)
						assert.Greater(t, n, prev, "problems in input order:\n%s", errOut)
						prev = n
					}
					continue
				}
				require.Equal(t, want, got, "%d workers", workers)
			}
		})
	}
}
