package sla

import (
	"time"

	"github.com/slakit/slakit/calendar"
)

// view writes into ck the view of the cycle at the instant at, instants in
// loc. built says that one engine built the cycle's state from its first
// event, so that counted can be trusted: cal is then the calendar Base was
// counted in.
//
// Every field of ck is written once, from values computed first: a view
// is written into a result's storage, and a field set and set again costs
// a store (and a write barrier check for each instant) per write.
func (c *cycle) view(ck *Clock, cal *calendar.Calendar, loc *time.Location, at time.Time, built bool) {
	open := c.open()
	end, stop := at, time.Time{}
	if !open {
		end = c.stopAt()
		stop = end.In(loc)
	}
	elapsed := c.Base
	if open && c.State == phRunning {
		if f := c.from(); end.After(f) {
			elapsed += cal.Between(f, end)
		}
	}
	var paused time.Duration
	// A cycle counted in cal that never paused has its elapsed time for
	// all the business time since its start: no paused time to find.
	if !built || !c.counted || c.ext != nil && len(c.ext.pauses) > 0 {
		paused = max(cal.Between(c.Start, end)-elapsed, 0)
	}
	deadline := c.due
	if deadline.IsZero() && c.State == phPaused {
		deadline = c.pausedDeadline(cal, at)
	}
	state := c.State.clockState()
	breached := c.breachAt()
	if open {
		if breached.IsZero() && c.State == phRunning && !deadline.IsZero() && !at.Before(deadline) {
			breached = deadline
		}
		if !breached.IsZero() {
			state = ClockBreached
		}
	}
	var due, breach time.Time
	if !deadline.IsZero() {
		due = deadline.In(loc)
	}
	if !breached.IsZero() {
		breach = breached.In(loc)
	}
	ck.Metric = c.Metric
	ck.Cycle = int(c.N)
	ck.State = state
	ck.Start = c.Start.In(loc)
	ck.Stop = stop
	ck.Target = c.Target
	ck.Deadline = due
	ck.Elapsed = elapsed
	ck.PausedTime = paused
	ck.Remaining = c.Target - elapsed
	ck.Percent = 100 * float64(elapsed) / float64(c.Target)
	ck.BreachedAt = breach
	ck.Paused = open && c.State == phPaused
	ck.AfterWindow = false
}
