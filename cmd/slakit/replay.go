package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// replayFlags are the flags replay and report share.
type replayFlags struct {
	policy, events, at, format *string
	maxLine                    *int
	formats                    []string
}

// addReplayFlags adds the shared flags; formats lists the output formats
// the command offers, the first being the default.
func addReplayFlags(fs *flag.FlagSet, formats ...string) replayFlags {
	return replayFlags{
		policy: fs.String("policy", "", "policy document (YAML); required"),
		events: fs.String("events", "", "events file, JSON Lines, one event per line (- for standard input); required"),
		at:     fs.String("at", "", "instant the open tickets are evaluated at, RFC 3339 (default: the latest instant of an applied event)"),
		format: fs.String("format", formats[0], "output: "+strings.Join(formats, ", ")),
		maxLine: fs.Int("max-line", sla.DefaultMaxLine,
			"longest events line in `bytes`; a longer line is reported with its number and skipped"),
		formats: formats,
	}
}

// replayInput is a loaded policy and an opened events stream.
type replayInput struct {
	set    *policy.Set
	eng    *sla.Engine
	at     time.Time
	events func(yield func(sla.Event, error) bool)
	name   string // of the events file, for messages
	close  func() error
}

// openReplay checks the shared flags, loads the policy and opens the
// events; it returns an exit status and false when the command must stop.
func openReplay(e *env, fs *flag.FlagSet, f replayFlags) (*replayInput, int, bool) {
	switch {
	case fs.NArg() > 0:
		return nil, usageError(e, fs, "unexpected argument %q", fs.Arg(0)), false
	case *f.policy == "":
		return nil, usageError(e, fs, "--policy is required"), false
	case *f.events == "":
		return nil, usageError(e, fs, "--events is required"), false
	case !slices.Contains(f.formats, *f.format):
		return nil, usageError(e, fs, "--format %q: want %s", *f.format, orList(f.formats)), false
	case *f.maxLine <= 0:
		return nil, usageError(e, fs, "--max-line %d: want a positive number of bytes", *f.maxLine), false
	}
	if msg := stdinTwice([2]string{"--policy", *f.policy}, [2]string{"--events", *f.events}); msg != "" {
		return nil, usageError(e, fs, "%s", msg), false
	}
	in := &replayInput{}
	if *f.at != "" {
		t, err := time.Parse(time.RFC3339Nano, *f.at)
		if err != nil {
			return nil, usageError(e, fs, "--at %q: want an RFC 3339 instant such as 2026-03-06T18:00:00-03:00", *f.at), false
		}
		in.at = t
	}
	set, ok := loadPolicy(e, *f.policy)
	if !ok {
		return nil, exitProblem, false
	}
	eng, err := set.Engine()
	if err != nil {
		fmt.Fprintf(e.stderr, "slakit: %s: %v\n", *f.policy, err)
		return nil, exitProblem, false
	}
	in.set, in.eng = set, eng
	r, err := e.open(*f.events)
	if err != nil {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
		return nil, exitProblem, false
	}
	in.close = r.Close
	name := *f.events
	if name == "-" {
		name = "<stdin>"
	}
	tuneGC()
	in.name = name
	in.events = sla.ReadEvents(r, sla.MaxLine(*f.maxLine))
	return in, 0, true
}

func runReplay(e *env, args []string) int {
	fs := newFlags(e, "replay", "replay --policy P --events E.jsonl [--at RFC3339] [--format json|table|csv] [--only breached|at_risk|errors]",
		"Replays a history of ticket events against a policy and writes one result per ticket:\n"+
			"a JSON object per line (the ticket result format of docs/results.md), a table for people\n"+
			"(durations as 1h05m, every breached clock in a cell starting with \"! BREACHED\", a legend\n"+
			"at the end), or CSV with one row per ticket and clock. Tickets are written as soon as\n"+
			"they close, the others at the end, evaluated at --at. --only keeps the tickets with a\n"+
			"breached clock, those whose agreement badge is at_risk (a running clock at the policy's\n"+
			"at_risk share of its target, 80% by default, or more), or those with errors (events not\n"+
			"applied, or policy conditions that failed at run time: condition_failures in JSON).\n"+
			"A malformed events line is reported on stderr as FILE:LINE:COL: message and skipped, and\n"+
			"so is an event of an unknown or closed ticket (with its line); events of a live ticket that\n"+
			"cannot be applied are listed in its errors. A condition that fails at run time is taken\n"+
			"as false, named in its tickets' results and on stderr. The exit status is then 1.")
	f := addReplayFlags(fs, "json", "table", "csv")
	only := fs.String("only", "", "keep only the tickets that are breached, at_risk, or have errors")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	keep, ok := onlyFilter(*only)
	if !ok {
		return usageError(e, fs, "--only %q: want breached, at_risk or errors", *only)
	}
	in, st, ok := openReplay(e, fs, f)
	if !ok {
		return st
	}
	defer in.close()
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	defer w.Flush()
	var tt ticketTable
	var cw *csv.Writer
	switch *f.format {
	case "table":
		fmt.Fprintln(w, tt.header())
	case "csv":
		cw = csv.NewWriter(w)
		cw.Write(replayCSVHeader)
	}
	var n replayCounts
	var line []byte // the JSON of one result, reused
	// The replay reads, applies and merges on goroutines of its own, ahead
	// of the writing of its results on this one.
	results := readAhead(in.eng.ReplayParallel(in.events, in.at, sla.ReplayOptions{Workers: replayWorkers()}))
	// r is one variable for all results: the filter and the writers take
	// its address, and a loop variable would be a new allocation each time.
	var r sla.Result
	for r = range liveResults(e, "replay", in.name, results, &n, func() { w.Flush() }) {
		if e.outputFailed() {
			return exitProblem // run reports the error; the rest of the replay would be lost
		}
		tt.count(&r)
		if !keep(&r) {
			continue
		}
		switch *f.format {
		case "table":
			fmt.Fprintln(w, tt.row(&r))
		case "csv":
			writeReplayCSV(cw, &r)
		default:
			b, err := r.AppendJSON(line[:0])
			if err != nil {
				fmt.Fprintf(e.stderr, "slakit: ticket %q: %v\n", r.Ticket, err)
				return exitProblem
			}
			line = append(b, '\n')
			w.Write(line)
		}
	}
	switch *f.format {
	case "table":
		fmt.Fprintln(w, tt.footer(*only))
		fmt.Fprintln(w, tableLegend)
	case "csv":
		cw.Flush()
	}
	return problems(e, "replay", in.set, n.bad, n.apart, tt.bad, tt.failing)
}

// onlyFilter returns the filter of --only, false for an unknown value.
func onlyFilter(only string) (func(*sla.Result) bool, bool) {
	switch only {
	case "":
		return func(*sla.Result) bool { return true }, true
	case "breached":
		return hasBreach, true
	case "at_risk":
		return atRisk, true
	case "errors":
		return func(r *sla.Result) bool { return len(r.Errors) > 0 || hasFailures(r) }, true
	}
	return nil, false
}

// orList is "a, b or c".
func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// problems sums up on stderr the malformed lines, the events of no live
// ticket (unknown or closed), the results with errors and the policy
// conditions that failed at run time (each named with its place first) on
// how many tickets, and returns the exit status: 1 when there was any.
func problems(e *env, cmd string, set *policy.Set, bad, apart, withErrors, failing int) int {
	failed := evalErrors(e, cmd, set)
	if bad == 0 && apart == 0 && withErrors == 0 && failed == 0 {
		return exitOK
	}
	on := ""
	if failing > 0 {
		on = " on " + plural(failing, "ticket", "tickets")
	}
	fmt.Fprintf(e.stderr, "slakit %s: %s, %s, %s, %s%s\n", cmd, plural(bad, "malformed line", "malformed lines"),
		plural(apart, "event of an unknown or closed ticket", "events of unknown or closed tickets"),
		plural(withErrors, "result with errors", "results with errors"),
		plural(failed, "condition failing at run time", "conditions failing at run time"), on)
	return exitProblem
}

// evalErrors writes to stderr the conditions of set that failed at run
// time, each named with its place first, and returns how many there are.
func evalErrors(e *env, cmd string, set *policy.Set) int {
	failed := set.EvalErrors()
	for _, f := range failed {
		fmt.Fprintf(e.stderr, "slakit %s: condition failed at run time (counted false): %v\n", cmd, f)
	}
	return len(failed)
}
