// Package escalation says when the levels of an escalation ladder fall due: warn the agent at
// 80% of the target, hand billing tickets to a specialist after 20 minutes, tell leadership two
// hours after a breach, remind before the WhatsApp window closes.
//
// A [Ladder] is an ordered list of [Level]s, each with a metric, a [Trigger], an optional
// condition, optional quiet hours and [Action]s. Actions are data for the host: slakit never
// notifies or assigns anything itself.
//
// # Triggers
//
// Percent ("80%"), breach-relative ("breach-30m", "breach", "breach+2h") and elapsed ("20m")
// triggers are measured in the business time of the clock's calendar: a level at 80% of a
// four-hour target fires when 3h12m of business time have elapsed, lunch breaks and nights
// excluded. A breach-relative trigger before the start of the cycle (breach-30m on a 15-minute
// target) fires when the cycle starts. Window triggers ("window-2h") are wall-clock: two hours
// before the WhatsApp customer service window closes, while it is still open.
//
// # Scope
//
// A level fires once in its [Scope]:
//
//   - metric X: once per cycle of X (a new next-response cycle or a restarted resolution can
//     fire it again);
//   - metric any: once per cycle of every metric;
//   - no metric: once per ticket, at the first instant any running clock of the ticket reaches
//     the trigger; a reopening re-arms it;
//   - a window trigger (no metric allowed): once per WhatsApp window, at its close less the
//     offset, while the window is open; a customer message that moves the close re-arms it.
//
// The host keeps what fired in each scope and hands it to the ladder as [Clock.Fired]:
// [Ladder.Mask] gives the per-cycle levels of a metric, [Ladder.TicketMask] the per-ticket
// ones, [Ladder.WindowMask] the window ones. The SLA engine does this for its tickets.
//
// # Firing
//
// A level fires at the first instant at which its trigger is reached while the clock runs, its
// quiet-hours calendar is open and its condition holds. So:
//
//   - a paused or stopped clock never fires; a level whose instant passed while the clock was
//     paused fires when the clock resumes, if its trigger is reached then (a window trigger
//     whose window has closed is not);
//   - a re-targeted cycle (a priority change) moves its pending percent and breach levels with
//     the new target;
//   - a level due while its During calendar is closed fires at that calendar's next opening;
//   - a level whose When does not hold waits: the SLA engine checks it again after each event
//     of the ticket, and fires it at the first event after which it holds (the trigger having
//     been reached); a When that returns an error waits the same way, and the error goes to
//     [Clock.WhenErrors] (the SLA engine records it on the ticket's result).
//
// [Ladder.Next] gives the next firing of a clock as it stands, [Ladder.Due] the firings in an
// interval (from, to] and [Ladder.NextAfter] the first after an instant, so a host can run
// ladders from one timer per ticket or a cron tick without firing twice. [Ladder.NotBefore] is
// a cheap bound on the next firing, without the calendar arithmetic: a host that gets events
// more often than levels fire asks Next only once an event reaches the bound. A clock that
// carries its [Clock.Deadline] gets a much closer bound for the levels at or past its target
// (breach+2h on a target of three business days is bounded by the deadline plus two hours,
// not by the start plus three days and two hours). The SLA engine tracks
// fired levels per scope and applies set_priority, assign and add_tags to the ticket at the
// firing instant.
//
// # Errors
//
// [New] checks every level and joins a [*LevelError] per problem, each with a field path
// in the spelling of a policy file ("levels[2].actions[0]") and one of the sentinel errors
// ([ErrBadLevel], [ErrDuplicateLevel], [ErrBadTrigger], [ErrNoActions], [ErrBadAction],
// [ErrTooManyLevel]) for [errors.Is]. [ParseTrigger] returns a [*TriggerError].
//
// A [Ladder] is immutable and safe for concurrent use; a nil *Ladder never fires.
package escalation
