// Package sla is slakit's clock engine: given a ticket's events, it keeps
// every SLA clock of the ticket exactly right, in business time.
//
// An [Engine] is built once from a [Config] (policies written in Go; the
// policy package builds the same values from YAML). [Engine.Apply] folds
// one event into a ticket's [State] at O(1) cost in the ticket's history
// (with the exceptions [Engine.Apply] lists, such as a change of priority
// under [Recompute], which measures every cycle of the ticket again);
// [Engine.Evaluate] reports every clock at an
// instant, with its deadline, remaining time, percent elapsed and the
// instant at which the host should look again ([View.NextWake]);
// [Engine.Replay] streams whole histories of many tickets. The engine
// never reads the system clock: every call takes its instant.
//
//	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
//		Name:     "standard",
//		Calendar: cal, // *calendar.Calendar; nil counts 24x7
//		Targets: map[string]map[sla.Metric]time.Duration{
//			"urgent": {sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
//		},
//	}}})
//	st, err := eng.Apply(st, ev) // for each event, in time order
//	v := eng.Evaluate(st, at)    // v.Clocks, v.NextWake
//
// # Model
//
// A ticket has attributes ([Ticket]) and a status: new, open, pending,
// on_hold, solved or closed. Events ([Event]) create it, add messages and
// notes, change its status, priority, assignment, tags and fields, and
// record human escalations, satisfaction ratings and WhatsApp window
// rejections.
//
// Each metric is measured in cycles (each reported as a [Clock]). A cycle starts, may pause
// and resume, and stops; it has a target (the policy's target for the
// metric at the ticket's priority), a deadline, an elapsed time (the open
// time of the policy's calendar over the spans it was not paused), a
// paused time, and a state: running, paused, met, breached or cancelled.
//
//   - first_response starts when a customer (or a bot on the customer's
//     behalf, such as a chat widget) creates the ticket and stops at the
//     first public agent message. Tickets created by an agent have no first
//     response; their creation counts as a public agent message.
//   - next_response starts at a customer message when no reply is awaited
//     (the first such message counts: later messages of the same turn do
//     not move it) and stops at the next public agent message.
//   - periodic_update starts at each public agent message and stops at the
//     next one.
//   - resolution starts at creation, pauses while the status is in the
//     policy's PauseOn (default pending and on_hold) and stops when the
//     ticket is solved or closed.
//   - custom metrics ([CustomMetric]) start, stop and pause on conditions.
//
// Public bot messages count as agent messages only when the policy's
// CountBotReplies is set. Notes and private messages never count.
//
// # Decisions
//
// Where the design leaves a choice open, the engine does what a Zendesk
// or Jira Service Management user expects:
//
//   - Priorities are, by default, urgent, high, normal, low. A ticket
//     without a priority is measured at the default priority ("normal").
//     An unknown priority in an event is an error ([ErrInvalidEvent]).
//   - A metric without a target at the ticket's priority does not run for
//     that ticket: its cycles are not reported. They are still tracked from
//     their real start, so that when a change of priority or policy gives
//     the metric a target, the clock counts from that start, as Zendesk
//     measures first reply time from creation whenever a policy applies.
//   - The first policy whose When holds applies. It is chosen again after
//     every event that changes the ticket's attributes (including changes
//     made by routing rules), or only after those that change an attribute
//     the policies' When and CalendarBy read, when they say which
//     ([Policy.WhenReads]; package policy does). With no policy there are
//     no clocks; the ticket is still reported.
//   - The policy in force rules open cycles: a change of policy recounts
//     their elapsed time with the new policy's calendar over the same
//     unpaused spans (spans paused under the old policy stay paused), and a
//     change of priority or policy gives them the new target. When the new
//     deadline is already past, the breach is recorded at the instant of
//     the change. Stopped cycles keep their verdict.
//   - Custom metrics are tracked like built-in ones: every custom metric of
//     any policy starts and stops on every ticket (by the conditions of the
//     policy in force when it defines the metric, else of the first policy
//     that does), so that a policy applying late measures it from its real
//     start; it is reported while the policy in force gives it a target.
//   - A breach is sticky: a breached cycle stays breached when it is
//     re-targeted to a longer target, paused, stopped or resumed. A paused
//     cycle that is breached reports the state breached (Clock.Paused
//     tells that it is paused). With Policy.OnPriorityChange [Recompute],
//     a change of priority instead measures every cycle against the new
//     priority's target from its real start.
//   - A target in business days ([DayTarget]: 3bd, 2bd@16:00, eod) becomes
//     business time at the cycle's start; Policy.PauseFor pauses each
//     built-in metric on its own statuses; Policy.CalendarBy picks a
//     calendar per ticket ([View.Calendar]); Policy.ValidFrom and
//     ValidUntil restrict a policy to tickets created between two instants;
//     Policy.DefaultPriority gives tickets without a priority one.
//   - [View.Agreement] sums the clocks up in one word for a ticket list
//     ([Agreement]); [Config.AtRisk] sets the share of a target at which a
//     running clock is at risk.
//   - [OLA]s measure each holding of a ticket by a team (time to own, time
//     to resolve) beside the SLA, in [View.OLAs]; ladders may watch them.
//   - The deadline is the instant the time runs out: a cycle is met when it
//     stops before its deadline, and breached from the deadline on (a reply
//     at the deadline itself is late). The breach instant of a cycle that
//     ran past its deadline is the deadline; that of a cycle whose deadline
//     a change of priority or policy put in the past is the change.
//   - Solving or closing stops every open cycle. Resolution gets its
//     verdict (met or breached); response clocks, periodic updates and
//     custom metrics whose own stop condition does not hold are cancelled
//     (not counted) unless they were already breached.
//   - A customer message on a solved ticket reopens it (status open), and
//     so does a status change from solved to new, open, pending or on_hold.
//     Reopening resumes the last resolution cycle (Policy.Reopen resume, the
//     default) or starts a new one (restart). A customer message on a
//     pending ticket sets it open, as Zendesk does; on_hold stays on_hold.
//   - No clock starts while a ticket is solved (agent messages on a solved
//     ticket are counted in Stats but start no periodic update).
//   - Closed is terminal: any event after closed is an error ([ErrClosed]).
//     With [Config.CloseSolvedAfter], a ticket that stays solved that long
//     (wall-clock) closes by itself at that instant, as helpdesks
//     auto-close solved tickets.
//   - Event instants must lie in the years 1900 to 2999 (UTC); others are
//     invalid, so that every deadline stays representable.
//   - A paused cycle's deadline is the one it would have if it resumed at
//     the evaluation instant; a paused clock never sets NextWake.
//   - Evaluate at an instant earlier than the last applied event evaluates
//     at that event's instant.
//
// # State
//
// [State] is an opaque value the host stores and hands back: it is read
// through the engine ([Engine.Evaluate], [Engine.Result]) and a few
// accessors ([State.Ticket], [State.Policy], [State.LastAt],
// [State.Rules], [State.Created], [State.Closed]). It marshals to versioned JSON
// ({"v":1,...}) with a stable field order; instants keep their offset and
// sub-second digits, so decoding and re-encoding changes nothing. Like
// append, Apply may reuse the storage of the State it is given: keep the
// returned one (or [State.Clone] it). A State names its policy; a state
// whose policy no longer exists in the engine is treated as having none
// until its next event chooses again.
//
// # Replay
//
// [Engine.Replay] reads interleaved events of many tickets from an
// iterator and yields exactly one [Result] per ticket: a closed ticket's
// result as soon as it closes (the ticket is then forgotten, so memory
// grows with the open tickets, plus a few bytes per closed one), the others
// at the end. Every event of a live ticket that could not be applied is
// listed, with its input line, in its ticket's Errors; input problems that
// belong to no live ticket (malformed lines, events of unknown or closed
// tickets) are yielded apart, as they occur, as errors with their line
// numbers. One bad ticket never stops the others. A [Result] marshals to
// the ticket result JSON of the replay output.
//
// [Engine.ReplayParallel] is the same replay on several goroutines
// ([ReplayOptions.Workers]): the tickets are shared among them by a hash
// of their id, and the output is merged back into exactly Replay's order,
// so it does not depend on the number of goroutines. [Engine.ReplayShards]
// is for a consumer that sums results up: each goroutine hands its
// tickets' events and results to a [ShardSink] of its own, where they are
// made, and only the problems apart come back, in Replay's order.
//
// # Seams, escalations and WhatsApp
//
// Routing rules plug in through [Config.Rules] (a [Router]); package
// policy builds one from YAML rules.
//
// Escalation ladders ([Config.Ladders], named by Policy.Escalation) run
// inside the engine. The levels of a ticket's ladder fall due from its open
// cycles as package escalation says (percent and breach triggers in the
// policy's business time, window triggers in wall-clock time, quiet hours,
// conditions that see the ticket and the clock); each fires once in its
// scope (a level with a metric once per cycle of it, one without metric
// once per ticket until a reopening, a window level once per window), in
// time order, and its set_priority, assign (the team) and
// add_tags actions change the ticket at the firing instant, which may
// re-target the clocks or switch the policy. [Engine.Apply] fires the
// levels due up to an event's instant before the event, and those whose
// condition the event made true right after it; [Engine.Advance] fires
// them from a host's timer; [Engine.Evaluate] fires them on a copy, lists
// every fired level in [View.Escalations] and sets [View.NextWake] to the
// next one. An event earlier than a firing already applied is out of
// order. So Apply, Advance and Evaluate, ticked at any rate, give what
// Replay gives.
//
// With [Config.WhatsApp], a ticket on the [WhatsAppChannel] has a 24-hour
// customer service window (kept in the [State]): customer messages (created or
// message, by their own instants and message ids) open and refresh it,
// public agent and bot messages are business messages, a window_rejected
// event refuses free-form text until the customer writes again. The view
// reports the window's [whatsappwindow.Verdict], flags running response
// clocks whose deadline falls after free-form messages stop
// ([Clock.AfterWindow]), and reports a window that closed before the first
// reply ([WhatsApp.ExpiredBeforeFirstResponse]) apart from SLA breaches;
// window triggers of the ladder and the window's own changes feed
// NextWake.
//
// For KPIs, a [Result] also carries the ticket's attributes and the
// business time of each resolution cycle per team that held the ticket
// ([TeamTime], from the changes of team the State records; an assign action
// of a ladder level is a handoff too).
//
// # Errors
//
// Bad input never panics: [Engine.Apply] returns an [*EventError] naming
// the ticket, the event's number in the ticket (and its input line in a
// replay) and wrapping one of the sentinel errors, which can be tested
// with [errors.Is]. [NewEngine] reports every problem of a Config at once,
// each a [*ConfigError] whose Field is the path of the setting
// ("policies[1].reopen") and which matches [ErrConfig] (and [ErrUndefined]
// or [ErrDuplicate] for names), so that a loader such as package policy
// can point at the place in its document.
//
// A condition of the Config (a policy's When or CalendarBy, a custom
// metric's Start, Stop or Pause, an OLA's When, the Router, a ladder
// level's When) may return an error: the engine takes the condition as
// false and records the failure on the ticket's State, and
// [Result.Failures] names it ([CondFailure]: which condition, whose, the
// error, how many times, from when). A ticket keeps [MaxCondFailures]
// distinct failures and counts the rest. Return a [*CondError] to name
// the condition; package policy does.
//
// # Concurrency
//
// An [Engine] is immutable and safe for concurrent use by multiple
// goroutines; a State must not be applied to by two goroutines at once.
// The condition functions of policies, metrics and ladder levels and the
// Router are called from the goroutine calling the engine and must be
// safe for concurrent use when the engine is shared.
package sla
