package policy_test

import (
	"slices"
	"testing"

	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/sla"
)

// BenchmarkRouteBitMultidesk is BenchmarkRouterMultidesk the engine's
// way: each event's type as a bit, known beforehand, and the router not
// asked about a type no rule runs on, nor about an event that has nothing
// the rules need.
func BenchmarkRouteBitMultidesk(b *testing.B) {
	s := loadMultidesk(b)
	calls := replayedCalls(b, s)
	r, ok := s.Router().(interface {
		RouteBit(*sla.Ticket, *sla.Event, eventbit.Set) (uint64, []string, error)
		RouteTypes() eventbit.Set
		RouteNeeds() *eventbit.Needs
	})
	if !ok {
		b.Fatal("the router takes no bit")
	}
	bits := make([]eventbit.Set, len(calls))
	for i := range calls {
		bits[i] = 1 << slices.Index(eventbit.Names[:], string(calls[i].ev.Type))
	}
	types, needs := r.RouteTypes(), r.RouteNeeds()
	t := new(sla.Ticket)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range calls {
			ev := &calls[i].ev
			if bits[i]&types == 0 || needs.Skips(bits[i], ev.Text != "", authorOf(ev)) {
				continue
			}
			*t = calls[i].t
			t.Tags = slices.Clip(t.Tags)
			if _, _, err := r.RouteBit(t, ev, bits[i]); err != nil {
				b.Fatal(err)
			}
		}
		n += len(calls)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// authorOf is the event's author, the customer for none (as the engine
// reads it).
func authorOf(ev *sla.Event) string {
	if ev.Author == "" {
		return string(sla.AuthorCustomer)
	}
	return string(ev.Author)
}
