package policy_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// routed is one call of the router during a replay: the ticket as the
// engine handed it over (a copy) and the event.
type routed struct {
	t  sla.Ticket
	ev sla.Event
}

// recorder is a router that records its calls and passes them on.
type recorder struct {
	r     sla.Router
	calls []routed
}

func (r *recorder) Route(t *sla.Ticket, ev *sla.Event) ([]string, error) {
	c := routed{t: *t, ev: *ev}
	c.t.Tags, c.t.Fields = slices.Clip(slices.Clone(t.Tags)), maps.Clone(t.Fields)
	r.calls = append(r.calls, c)
	return r.r.Route(t, ev)
}

// replayedCalls replays the generator's default history through s and
// returns the router's calls, in order.
func replayedCalls(b *testing.B, s *policy.Set) []routed {
	b.Helper()
	cfg := s.Config()
	rec := &recorder{r: cfg.Rules}
	cfg.Rules = rec
	eng, err := sla.NewEngine(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, err := range eng.Replay(func(yield func(sla.Event, error) bool) {
		for ev, err := range sample.Events(sample.Default()) {
			if !yield(ev, err) {
				return
			}
		}
	}, time.Time{}) {
		if err != nil {
			b.Fatal(err)
		}
	}
	return rec.calls
}

// BenchmarkRouterMultidesk runs the reference policy's routing rules over
// the tickets and events of the generator's default history, as the
// engine hands them to the router during a replay: the cost of routing
// per event, apart from the rest of the engine.
func BenchmarkRouterMultidesk(b *testing.B) {
	s := loadMultidesk(b)
	calls := replayedCalls(b, s)
	r := s.Router()
	t := new(sla.Ticket) // one ticket, so that handing it over allocates nothing
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range calls {
			*t = calls[i].t
			t.Tags = slices.Clip(t.Tags)
			if _, err := r.Route(t, &calls[i].ev); err != nil {
				b.Fatal(err)
			}
		}
		n += len(calls)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCondsMultidesk evaluates the reference policy's other
// conditions (every SLA policy's when, every custom metric's start and
// stop) over the same tickets and events.
func BenchmarkCondsMultidesk(b *testing.B) {
	s := loadMultidesk(b)
	calls := replayedCalls(b, s)
	cfg := s.Config()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range calls {
			t, ev := &calls[i].t, &calls[i].ev
			for j := range cfg.Policies {
				p := &cfg.Policies[j]
				if p.When != nil {
					if _, err := p.When(t); err != nil {
						b.Fatal(err)
					}
				}
				for k := range p.Metrics {
					m := &p.Metrics[k]
					if _, err := m.Start(t, ev); err != nil {
						b.Fatal(err)
					}
					if _, err := m.Stop(t, ev); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		n += len(calls)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
