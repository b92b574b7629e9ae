package main

import (
	"errors"
	"fmt"
	"iter"

	"github.com/slakit/slakit/sla"
)

// readEvents reads an events file with sla.ReadEvents for compare. A line
// that is not an event is reported at once on stderr as name:line:col:
// message (as policy errors are) and counted in bad; the comparison still
// gets it.
func readEvents(e *env, name string, events iter.Seq2[sla.Event, error], bad *int) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for ev, err := range events {
			var re *sla.ReadError
			if errors.As(err, &re) {
				*bad++
				fmt.Fprintln(e.stderr, positioned(name, re))
			}
			if !yield(ev, err) {
				return
			}
		}
	}
}

// positioned formats a read error as name:line:col: message.
func positioned(name string, re *sla.ReadError) string {
	if re.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", name, re.Line, re.Col, re.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", name, re.Line, re.Msg)
}

// replayCounts are the problems of a replay the CLI counts as it writes
// the results.
type replayCounts struct {
	bad   int // malformed lines
	apart int // events of unknown or closed tickets
}

// liveResults yields the results of a replay, one per ticket. A problem of
// the input is reported on stderr at its place among the results, after
// flush: a malformed line as name:line:col: message (as policy errors
// are), counted in n.bad, and an event of an unknown or closed ticket,
// counted in n.apart.
func liveResults(e *env, cmd, name string, rs iter.Seq2[sla.Result, error], n *replayCounts, flush func()) iter.Seq[sla.Result] {
	return func(yield func(sla.Result) bool) {
		for r, err := range rs {
			if err == nil {
				if !yield(r) {
					return
				}
				continue
			}
			if flush != nil {
				flush()
			}
			reportProblem(e, cmd, name, err, n)
		}
	}
}

// reportProblem writes a problem of the input on stderr and counts it: a
// malformed line as name:line:col: message, in n.bad, and an event of an
// unknown or closed ticket, in n.apart.
func reportProblem(e *env, cmd, name string, err error, n *replayCounts) {
	if re, ok := malformedLine(err); ok {
		n.bad++
		fmt.Fprintln(e.stderr, positioned(name, re))
		return
	}
	n.apart++
	fmt.Fprintf(e.stderr, "slakit %s: %v\n", cmd, err)
}

// malformedLine reports whether err, a problem a replay yields apart, is
// a malformed events line (a line the reader could not read as an
// event), and returns the reader's error. Any other problem apart is an
// event the replay refused: of an unknown or closed ticket, without a
// ticket id, or a created event that could not be applied (which leaves
// its ticket unknown).
func malformedLine(err error) (*sla.ReadError, bool) {
	var re *sla.ReadError
	ok := errors.Is(err, sla.ErrInvalidEvent) && errors.As(err, &re)
	return re, ok
}
