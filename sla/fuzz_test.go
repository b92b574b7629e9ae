package sla_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// checkClock reports what is wrong with a clock evaluated at at.
func checkClock(c sla.Clock, at time.Time) error {
	end := at
	if !c.Stop.IsZero() {
		end = c.Stop
	}
	switch {
	case c.Elapsed < 0 || c.PausedTime < 0:
		return fmt.Errorf("negative elapsed %v or paused %v", c.Elapsed, c.PausedTime)
	case c.Elapsed > end.Sub(c.Start):
		return fmt.Errorf("elapsed %v > wall time %v since start", c.Elapsed, end.Sub(c.Start))
	case !c.Deadline.IsZero() && c.Deadline.Before(c.Start):
		return fmt.Errorf("deadline %v before start %v", c.Deadline, c.Start)
	case c.State == sla.ClockMet && c.Stop.After(c.Deadline):
		return fmt.Errorf("met but stopped at %v after deadline %v", c.Stop, c.Deadline)
	case c.State == sla.ClockBreached && c.BreachedAt.IsZero():
		return errors.New("breached without a breach instant")
	case c.State == sla.ClockCancelled && !c.BreachedAt.IsZero():
		return errors.New("cancelled with a breach instant")
	case c.State != sla.ClockBreached && !c.BreachedAt.IsZero():
		return fmt.Errorf("state %s with a breach instant", c.State)
	case c.Target <= 0:
		return fmt.Errorf("reported clock without target")
	case !c.BreachedAt.IsZero() && c.BreachedAt.Before(c.Start):
		return fmt.Errorf("breached at %v before start %v", c.BreachedAt, c.Start)
	}
	return nil
}

func checkView(t *testing.T, v sla.View, breached map[string]bool, step int) {
	t.Helper()
	if !v.NextWake.IsZero() && !v.NextWake.After(v.At) {
		t.Fatalf("step %d: NextWake %v not after %v", step, v.NextWake, v.At)
	}
	for _, c := range v.Clocks {
		if err := checkClock(c, v.At); err != nil {
			t.Fatalf("step %d: %s#%d: %v (%+v)", step, c.Metric, c.Cycle, err, c)
		}
		key := fmt.Sprintf("%s#%d", c.Metric, c.Cycle)
		if breached != nil {
			if breached[key] && c.State != sla.ClockBreached {
				t.Fatalf("step %d: %s was breached and is now %s", step, key, c.State)
			}
			if c.State == sla.ClockBreached {
				breached[key] = true
			}
		}
	}
}

// FuzzApply drives Apply and Evaluate with histories built from bytes.
func FuzzApply(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte("a customer writes, an agent answers late, the ticket is solved and reopened"))
	f.Add([]byte{0, 0, 0, 7, 0, 0, 0, 0, 3, 3, 0, 40, 1, 3, 0, 0, 1, 3, 3, 200, 0, 10, 4, 0, 9, 1, 3, 0, 4, 0})
	cfg := genConfig(f)
	recompute := map[string]bool{} // policies whose clocks follow the final priority
	for _, p := range cfg.Policies {
		recompute[p.Name] = p.OnPriorityChange == sla.Recompute
	}
	e := mustEngine(f, cfg)
	f.Fuzz(func(t *testing.T, b []byte) {
		evs := genEvents(&byteSource{b: b}, 1, 300)
		var st sla.State
		breached := map[string]bool{}
		var prev sla.View
		for i, ev := range evs {
			var err error
			st, err = e.Apply(st, ev)
			if err != nil {
				var ee *sla.EventError
				if !errors.As(err, &ee) || !strings.HasPrefix(err.Error(), "sla: ") {
					t.Fatalf("step %d: error %v is not a package event error", i, err)
				}
			}
			// Breaches are sticky across the instants of applied events (a
			// later event may come before an instant merely looked at),
			// except where a policy with on_priority_change: recompute
			// measures every cycle again against a new priority's targets.
			v := e.Evaluate(st, st.LastAt())
			if recompute[v.Policy] && (v.Priority != prev.Priority || v.Policy != prev.Policy) {
				clear(breached)
			}
			prev = v
			checkView(t, v, breached, i)
			checkView(t, e.Evaluate(st, ev.At.Add(time.Duration(i%7)*37*time.Minute)), nil, i)
		}
	})
}

// FuzzReplay replays JSON-lines event files. Its seed corpus is the
// scenario table.
func FuzzReplay(f *testing.F) {
	for _, sc := range scenarios {
		f.Add(strings.Join(sc.events, "\n"))
	}
	f.Add("{}\n{\"ticket\":\"x\"}\nnot json\n")
	e := mustEngine(f, genConfig(f))
	auto := mustEngine(f, autoCloseConfig(f))
	f.Fuzz(func(t *testing.T, data string) {
		lines := strings.Split(data, "\n")
		if len(lines) > 500 {
			lines = lines[:500]
		}
		decoded := func(yield func(sla.Event, error) bool) {
			for _, l := range lines {
				var ev sla.Event
				err := json.Unmarshal([]byte(l), &ev)
				if err == nil && ev.TicketID == "" {
					ev.TicketID = "T1"
				}
				if !yield(ev, err) {
					return
				}
			}
		}
		// On several goroutines, the same output in the same order.
		for _, eng := range []*sla.Engine{e, auto} {
			want := replayLines(t, eng.Replay(decoded, time.Time{}), -1)
			got := replayLines(t, eng.ReplayParallel(decoded, time.Time{}, sla.ReplayOptions{Workers: 3}), -1)
			if !slices.Equal(want, got) {
				t.Fatalf("ReplayParallel differs from Replay:\n%s\n---\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		var latest time.Time
		in := func(yield func(sla.Event, error) bool) {
			for ev, err := range decoded {
				if err == nil && ev.At.After(latest) {
					latest = ev.At // at least the instant results are evaluated at
				}
				if !yield(ev, err) {
					return
				}
			}
		}
		results := map[string]bool{}
		for r, err := range e.Replay(in, time.Time{}) {
			if err != nil {
				var ee *sla.EventError
				if !errors.As(err, &ee) || ee.Line < 1 || ee.Line > len(lines) {
					t.Fatalf("a problem apart without its line: %v", err)
				}
				continue
			}
			if results[r.Ticket] {
				t.Fatalf("ticket %s: a second result", r.Ticket)
			}
			results[r.Ticket] = true
			for _, c := range r.Clocks {
				at := c.Stop
				if at.IsZero() {
					at = latest
				}
				if err := checkClock(c, at); err != nil {
					t.Fatalf("ticket %s: %s#%d: %v", r.Ticket, c.Metric, c.Cycle, err)
				}
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
		}
	})
}
