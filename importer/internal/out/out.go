// Package out is how the readers hand events and problems to their
// consumer: it remembers when the consumer stopped, so that a reader
// checks one boolean instead of threading yield's result through every
// helper.
package out

import (
	"fmt"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/sla"
)

// Out wraps the yield function of an iter.Seq2[sla.Event, error].
type Out struct {
	yield   func(sla.Event, error) bool
	stopped bool
}

// New wraps yield.
func New(yield func(sla.Event, error) bool) *Out { return &Out{yield: yield} }

// Stopped reports whether the consumer stopped the iteration.
func (o *Out) Stopped() bool { return o.stopped }

// Event yields ev; it reports false when the consumer has stopped.
func (o *Out) Event(ev sla.Event) bool {
	if !o.stopped && !o.yield(ev, nil) {
		o.stopped = true
	}
	return !o.stopped
}

// Problem yields a problem at pos, with the given kind and message, in
// place of an event of pos.Ticket; it reports false when the consumer has
// stopped.
func (o *Out) Problem(pos importer.Problem, kind importer.Kind, format string, args ...any) bool {
	p := pos
	p.Kind, p.Msg = kind, fmt.Sprintf(format, args...)
	if !o.stopped && !o.yield(sla.Event{TicketID: p.Ticket}, &p) {
		o.stopped = true
	}
	return !o.stopped
}

// Report yields a problem made elsewhere; it reports false when the
// consumer has stopped.
func (o *Out) Report(p *importer.Problem) bool {
	if !o.stopped && !o.yield(sla.Event{TicketID: p.Ticket}, p) {
		o.stopped = true
	}
	return !o.stopped
}
