package slatest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// AssertClock checks that the ticket's cycle of metric (1-based) is in
// state, and reports the ticket's clocks when it is not.
func AssertClock(t testing.TB, rec *Recorder, ticket string, metric sla.Metric, cycle int, state sla.ClockState) bool {
	t.Helper()
	c, res, ok := findCycle(t, rec, ticket, metric, cycle, string(state))
	if ok && c.State != state {
		t.Errorf("slatest: ticket %s: %s cycle %d is %s, want %s\n%s", ticket, metric, cycle, c.State, state, clocks(res))
		return false
	}
	return ok
}

// AssertDeadline checks that the ticket's cycle of metric (1-based) falls
// due at the instant want (compared as instants: the zone does not
// matter), and reports the ticket's clocks when it does not.
func AssertDeadline(t testing.TB, rec *Recorder, ticket string, metric sla.Metric, cycle int, want time.Time) bool {
	t.Helper()
	c, res, ok := findCycle(t, rec, ticket, metric, cycle, "deadline "+want.Format(time.RFC3339))
	if ok && !c.Deadline.Equal(want) {
		t.Errorf("slatest: ticket %s: %s cycle %d is due %s, want %s (%s)\n%s", ticket, metric, cycle,
			c.Deadline.In(want.Location()).Format(time.RFC3339), want.Format(time.RFC3339), c.Deadline.Sub(want), clocks(res))
		return false
	}
	return ok
}

// findCycle returns the ticket's cycle of metric, failing the test (with
// what was wanted of it) when there is none.
func findCycle(t testing.TB, rec *Recorder, ticket string, metric sla.Metric, cycle int, want string) (sla.Clock, sla.Result, bool) {
	t.Helper()
	res, ok := lookup(t, rec, ticket)
	if !ok {
		return sla.Clock{}, res, false
	}
	for _, c := range res.Clocks {
		if c.Metric == metric && c.Cycle == cycle {
			return c, res, true
		}
	}
	t.Errorf("slatest: ticket %s has no %s cycle %d (want %s)\n%s", ticket, metric, cycle, want, clocks(res))
	return sla.Clock{}, res, false
}

// AssertBreached checks that some cycle of metric of the ticket is
// breached.
func AssertBreached(t testing.TB, rec *Recorder, ticket string, metric sla.Metric) bool {
	t.Helper()
	res, ok := lookup(t, rec, ticket)
	if !ok {
		return false
	}
	for _, c := range res.Clocks {
		if c.Metric == metric && c.State == sla.StateBreached {
			return true
		}
	}
	t.Errorf("slatest: ticket %s: no %s cycle is breached\n%s", ticket, metric, clocks(res))
	return false
}

// AssertFired checks that the escalation level fired for the ticket (for
// any metric and cycle).
func AssertFired(t testing.TB, rec *Recorder, ticket, level string) bool {
	t.Helper()
	res, ok := lookup(t, rec, ticket)
	if !ok {
		return false
	}
	if firedAt(res, level) < 0 {
		t.Errorf("slatest: ticket %s: level %q did not fire; %s", ticket, level, fired(res))
		return false
	}
	return true
}

// AssertNotFired checks that the escalation level did not fire for the
// ticket.
func AssertNotFired(t testing.TB, rec *Recorder, ticket, level string) bool {
	t.Helper()
	res, ok := lookup(t, rec, ticket)
	if !ok {
		return false
	}
	if i := firedAt(res, level); i >= 0 {
		e := res.Escalations[i]
		t.Errorf("slatest: ticket %s: level %q fired at %s for %s cycle %d, want it not fired",
			ticket, level, e.At.Format(time.RFC3339), e.Metric, e.Cycle)
		return false
	}
	return true
}

// AssertNoErrors checks that the engine applied every event.
func AssertNoErrors(t testing.TB, rec *Recorder) bool {
	t.Helper()
	if len(rec.Errors) == 0 {
		return true
	}
	var b strings.Builder
	for _, err := range rec.Errors {
		fmt.Fprintf(&b, "\n\t%v", err)
	}
	t.Errorf("slatest: %d events refused:%s", len(rec.Errors), b.String())
	return false
}

func lookup(t testing.TB, rec *Recorder, ticket string) (sla.Result, bool) {
	t.Helper()
	res, ok := rec.Tickets[ticket]
	if !ok {
		t.Errorf("slatest: no ticket %q in the replay (tickets: %s)", ticket, rec.ids())
	}
	return res, ok
}

func firedAt(res sla.Result, level string) int {
	for i, e := range res.Escalations {
		if e.Level == level {
			return i
		}
	}
	return -1
}

// clocks lists a ticket's clocks for a failure message.
func clocks(res sla.Result) string {
	if len(res.Clocks) == 0 {
		return fmt.Sprintf("\tticket %s has no clocks (policy %q)", res.Ticket, res.Policy)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\tclocks of %s (policy %s, priority %s):", res.Ticket, res.Policy, res.Priority)
	for _, c := range res.Clocks {
		fmt.Fprintf(&b, "\n\t  %s #%d %s: target %s, elapsed %s, deadline %s",
			c.Metric, c.Cycle, c.State, c.Target, c.Elapsed, c.Deadline.Format(time.RFC3339))
	}
	return b.String()
}

func fired(res sla.Result) string {
	if len(res.Escalations) == 0 {
		return "no level fired"
	}
	names := make([]string, len(res.Escalations))
	for i, e := range res.Escalations {
		names[i] = fmt.Sprintf("%s (%s #%d at %s)", e.Level, e.Metric, e.Cycle, e.At.Format(time.RFC3339))
	}
	return "fired: " + strings.Join(names, ", ")
}
