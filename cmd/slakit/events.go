package main

import (
	"errors"
	"fmt"
	"iter"

	"github.com/slakit/slakit/sla"
)

// readEvents reads an events file with sla.ReadEvents. A line that is not
// an event is reported at once on stderr as name:line:col: message (as
// policy errors are) and counted in bad; the replay still gets it and
// yields it apart, where liveResults skips it.
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

// liveResults yields the results of a replay, one per ticket. A problem of
// no live ticket (an event of an unknown or closed ticket) is reported on
// stderr as it occurs, after flush, and counted in apart; a malformed line
// the reader reported already is only skipped; notes the engine's goroutine
// held (heldNotes) are written to stderr where they occurred.
func liveResults(e *env, cmd string, rs iter.Seq2[sla.Result, error], apart *int, flush func()) iter.Seq[sla.Result] {
	return func(yield func(sla.Result) bool) {
		for r, err := range rs {
			if n, ok := err.(heldNotes); ok {
				e.stderr.Write(n)
				continue
			}
			if err != nil {
				if !errors.Is(err, sla.ErrInvalidEvent) {
					*apart++
					if flush != nil {
						flush()
					}
					fmt.Fprintf(e.stderr, "slakit %s: %v\n", cmd, err)
				}
				continue
			}
			if !yield(r) {
				return
			}
		}
	}
}
