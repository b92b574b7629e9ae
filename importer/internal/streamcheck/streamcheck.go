// Package streamcheck checks what an importer yields against the rules
// every reader keeps, so that the readers' tests and fuzz targets share
// one definition of a well-formed import.
package streamcheck

import (
	"errors"
	"fmt"
	"iter"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/sla"
)

// Limit is the most items Collect takes from a stream before it reports
// an error: a reader that yields without end is a bug.
const Limit = 1 << 20

// Collect drains a reader's stream and checks it: every error is an
// *importer.Problem with a file and a kind; every event has a ticket, an
// instant and a type; a ticket's first event is its created event and there
// is one; a ticket's events are in time order; no event follows a ticket's
// close. It returns the events and the problems in stream order, and the
// first rule broken.
func Collect(seq iter.Seq2[sla.Event, error]) ([]sla.Event, []*importer.Problem, error) {
	type ticket struct {
		last   sla.Event
		closed bool
	}
	tickets := map[string]*ticket{}
	var evs []sla.Event
	var probs []*importer.Problem
	var bad error
	n := 0
	for ev, err := range seq {
		n++
		if n > Limit {
			return evs, probs, fmt.Errorf("more than %d items", Limit)
		}
		if err != nil {
			var p *importer.Problem
			if !errors.As(err, &p) {
				bad = cmpErr(bad, fmt.Errorf("item %d: error %v is not an *importer.Problem", n, err))
				continue
			}
			if p.File == "" || p.Kind == "" || p.Msg == "" {
				bad = cmpErr(bad, fmt.Errorf("item %d: problem %+v lacks a file, kind or message", n, *p))
			}
			probs = append(probs, p)
			continue
		}
		evs = append(evs, ev)
		if ev.TicketID == "" || ev.At.IsZero() || ev.Type == "" {
			bad = cmpErr(bad, fmt.Errorf("item %d: event %+v lacks a ticket, instant or type", n, ev))
			continue
		}
		tk := tickets[ev.TicketID]
		switch {
		case tk == nil && ev.Type != sla.EventCreated:
			bad = cmpErr(bad, fmt.Errorf("item %d: ticket %q starts with %s, not created", n, ev.TicketID, ev.Type))
		case tk == nil:
			tickets[ev.TicketID] = &ticket{last: ev, closed: ev.Status == sla.StatusClosed}
		case ev.Type == sla.EventCreated:
			bad = cmpErr(bad, fmt.Errorf("item %d: ticket %q created twice", n, ev.TicketID))
		case tk.closed:
			bad = cmpErr(bad, fmt.Errorf("item %d: ticket %q: %s after closed", n, ev.TicketID, ev.Type))
		case ev.At.Before(tk.last.At):
			bad = cmpErr(bad, fmt.Errorf("item %d: ticket %q: %s at %s before %s", n, ev.TicketID, ev.Type, ev.At, tk.last.At))
		default:
			tk.last = ev
			tk.closed = ev.Type == sla.EventStatus && ev.Status == sla.StatusClosed
		}
	}
	return evs, probs, bad
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// Seq yields events, for a replay.
func Seq(evs []sla.Event) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
}
