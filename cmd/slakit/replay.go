package main

import (
	"bufio"
	"flag"
	"fmt"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// replayFlags are the flags replay and report share.
type replayFlags struct {
	policy, events, at, format *string
	maxLine                    *int
}

func addReplayFlags(fs *flag.FlagSet) replayFlags {
	return replayFlags{
		policy: fs.String("policy", "", "policy document (YAML); required"),
		events: fs.String("events", "", "events file, JSON Lines, one event per line (- for standard input); required"),
		at:     fs.String("at", "", "instant the open tickets are evaluated at, RFC 3339 (default: the latest event instant)"),
		format: fs.String("format", "json", "output: json or table"),
		maxLine: fs.Int("max-line", sla.DefaultMaxLine,
			"longest events line in `bytes`; a longer line is reported with its number and skipped"),
	}
}

// replayInput is a loaded policy and an opened events stream.
type replayInput struct {
	set    *policy.Set
	eng    *sla.Engine
	at     time.Time
	events func(yield func(sla.Event, error) bool)
	bad    int // malformed lines
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
	case *f.format != "json" && *f.format != "table":
		return nil, usageError(e, fs, "--format %q: want json or table", *f.format), false
	case *f.maxLine <= 0:
		return nil, usageError(e, fs, "--max-line %d: want a positive number of bytes", *f.maxLine), false
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
	in.events = readEvents(e, name, sla.ReadEvents(r, sla.MaxLine(*f.maxLine)), &in.bad)
	return in, 0, true
}

func runReplay(e *env, args []string) int {
	fs := newFlags(e, "replay", "replay --policy P --events E.jsonl [--at RFC3339] [--format json|table]",
		"Replays a history of ticket events against a policy and writes one result per ticket:\n"+
			"a JSON object per line (the ticket result format of the README), or a table for people\n"+
			"(durations as 1h05m, breaches marked with !). Tickets are written as soon as they close,\n"+
			"the others at the end, evaluated at --at. A malformed events line is reported on\n"+
			"stderr as FILE:LINE:COL: message and skipped; events that cannot be applied are\n"+
			"listed in their ticket's errors; the exit status is then 1.")
	f := addReplayFlags(fs)
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	in, st, ok := openReplay(e, fs, f)
	if !ok {
		return st
	}
	defer in.close()
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	defer w.Flush()
	var tt ticketTable
	if *f.format == "table" {
		fmt.Fprintln(w, tt.header())
	}
	withErrors := 0
	for r := range in.eng.Replay(in.events, in.at) {
		if len(r.Errors) > 0 {
			withErrors++
		}
		if *f.format == "table" {
			fmt.Fprintln(w, tt.row(&r))
			continue
		}
		b, err := r.MarshalJSON()
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: ticket %q: %v\n", r.Ticket, err)
			return exitProblem
		}
		w.Write(b)
		w.WriteByte('\n')
	}
	if *f.format == "table" {
		fmt.Fprintln(w, tt.footer())
	}
	return problems(e, "replay", in.bad, withErrors)
}

// problems reports malformed lines and tickets with errors on stderr and
// returns the exit status.
func problems(e *env, cmd string, bad, withErrors int) int {
	if bad == 0 && withErrors == 0 {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "slakit %s: %s, %s\n", cmd, plural(bad, "malformed line", "malformed lines"),
		plural(withErrors, "result with errors", "results with errors"))
	return exitProblem
}
