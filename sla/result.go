package sla

import (
	"slices"
	"time"
)

// Result is the summary of one ticket: what [Engine.Replay] yields and
// what [Engine.Result] builds from a State. It marshals to the ticket
// result JSON of the replay output:
//
//	{"ticket":"T1","policy":"whatsapp","calendar":"sp-support","priority":"urgent","status":"solved","agreement":"fulfilled",
//	 "clocks":[{"metric":"first_response","cycle":1,"state":"met","started_at":"...","stopped_at":"...",
//	            "deadline":"...","target_seconds":300,"elapsed_seconds":240,"paused_seconds":0,"breached_at":null}],
//	 "escalations":[],"rules":[{"rule":"vip","at":"..."}],"stats":{...},"errors":[]}
//
// Instants are RFC 3339 in the zone of the policy's calendar (UTC when
// there is none); durations are whole seconds of business time.
type Result struct {
	// View is the ticket as [Engine.Evaluate] sees it at the result's
	// instant (View.At is not part of the JSON form).
	View
	Rules []RuleApplied
	Stats Stats
	// Attributes is a copy of the ticket's attributes (channel, team,
	// fields, created at, ...) as the events left them. Not part of the
	// JSON form.
	Attributes Ticket
	// Teams splits the elapsed time of every reported resolution cycle by
	// the team that held the ticket (see [TeamTime]), in cycle order and,
	// within a cycle, in order of first holding. Not part of the JSON form.
	Teams []TeamTime
	// Handoffs lists every change of team after creation, in order; the
	// team set at creation is Handoffs[0].From (Attributes.Team when there
	// is none). Not part of the JSON form.
	Handoffs []Handoff
	Errors   []error // the ticket's events that could not be applied, each an [*EventError]
	// Failures lists the conditions that failed at run time for the ticket
	// and were taken as false (see [CondFailure]), at most
	// [MaxCondFailures] entries in the order they first failed;
	// FailuresOmitted counts the failures of further conditions or
	// messages. The JSON form has them as "condition_failures" and
	// "condition_failures_omitted", both left out when there are none.
	Failures        []CondFailure
	FailuresOmitted int

	loc *time.Location
}

// Result summarises st at the instant at (see [Engine.Evaluate]).
func (e *Engine) Result(st State, at time.Time) Result {
	var r Result
	e.result(&r, &st, at, false)
	return r
}

// result is Result writing into r. With own, st is a replay's: built by e
// from its first event, and the caller's to give away (a replay forgets
// the ticket next): r takes its ticket's tags, fields and failures instead
// of copies.
func (e *Engine) result(r *Result, st *State, at time.Time, own bool) {
	s := e.evaluate(&r.View, st, at, own) // the state the view saw, with its firings
	cal := calOf(e.policy(s.policy), s)
	r.Rules, r.Stats, r.Attributes = s.x().rules, s.fullStats(), s.ticket
	if !own {
		r.Attributes = s.ticket.clone()
	}
	r.Teams, r.loc = teamTimes(nil, s, cal, r.At, own), cal.Location()
	r.Handoffs = handoffsOf(s, r.loc)
	if f, n := s.failures(); len(f) > 0 || n > 0 {
		r.Failures, r.FailuresOmitted = f, n
		if !own {
			r.Failures = slices.Clone(f)
		}
	}
}
