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
}

func addReplayFlags(fs *flag.FlagSet) replayFlags {
	return replayFlags{
		policy: fs.String("policy", "", "policy document (YAML); required"),
		events: fs.String("events", "", "events file, JSON Lines, one event per line (- for standard input); required"),
		at:     fs.String("at", "", "instant the open tickets are evaluated at, RFC 3339 (default: the latest event instant)"),
		format: fs.String("format", "json", "output: json or table"),
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
	in.events = readEvents(r, &in.bad)
	return in, 0, true
}

func runReplay(e *env, args []string) int {
	fs := newFlags(e, "replay", "replay --policy P --events E.jsonl [--at RFC3339] [--format json|table]",
		"Replays a history of ticket events against a policy and writes one result per ticket:\n"+
			"a JSON object per line (the ticket result format of the README), or a table for people\n"+
			"(durations as 1h05m, breaches marked with !). Tickets are written as soon as they close,\n"+
			"the others at the end, evaluated at --at. Events that cannot be applied are reported in\n"+
			"their ticket's errors; malformed lines and events of unknown or closed tickets on stderr,\n"+
			"with their line numbers. The exit status is then 1.")
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
	withErrors, apart := 0, 0
	for r, err := range in.eng.Replay(in.events, in.at) {
		if err != nil { // a problem of no live ticket, on stderr as it occurs
			apart++
			w.Flush()
			fmt.Fprintf(e.stderr, "slakit replay: %v\n", err)
			continue
		}
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
	return problems(e, "replay", in.bad, apart, withErrors)
}

// problems sums up on stderr the malformed lines, the other events of no
// live ticket (unknown or closed) and the results with errors, and returns
// the exit status. apart counts the malformed lines too.
func problems(e *env, cmd string, bad, apart, withErrors int) int {
	if apart == 0 && bad == 0 && withErrors == 0 {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "slakit %s: %d malformed lines, %d events of unknown or closed tickets, %d results with errors\n",
		cmd, bad, max(apart-bad, 0), withErrors)
	return exitProblem
}
