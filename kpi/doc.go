// Package kpi sums ticket results up into the figures a support lead is
// judged by (first response and resolution times, SLA compliance, first
// contact resolution, escalation, reopen, reassignment and CSAT rates,
// backlog, time in status), per group and per day, week or month, with the
// time each team held the tickets, and checks them against the lead's
// goals.
//
//	acc, err := kpi.New(kpi.Config{GroupBy: []string{"priority"}, Goals: goals})
//	for r, err := range eng.Replay(acc.Observing(events), at) { // Observing: for time in status
//		if err != nil { // an event of no live ticket, yielded apart
//			continue
//		}
//		acc.Add(r)
//	}
//	rep := acc.Report() // marshals to the report JSON
//
// # Accumulating and merging
//
// An [Accumulator] is fed with [sla.Result] values one at a time, as
// [sla.Engine.Replay] streams them; it keeps counts and, for exact
// percentiles, the elapsed seconds of every decided clock (4 bytes each).
// [Accumulator.Merge] adds another accumulator's counts: every count is an
// integer and every kept value a member of a multiset sorted only at
// report time, so shards of a history summed on any machine, merged in any
// order and grouping, give exactly the report of the whole history.
//
// On several cores, [sla.Engine.ReplayShards] hands each goroutine's
// tickets to a sink of its own: [Accumulator.Sink] feeds an accumulator
// there (observing the events and adding the results), and the
// accumulators merged at the end give the report of one accumulator
// beside [sla.Engine.Replay], time in status included.
//
// # Definitions
//
// The [reports reference] describes the figures for users. A ticket is a result with a created
// ticket; other results (input errors naming no ticket, events of a
// ticket never created) are counted in Skipped only.
//
//   - tickets: the tickets added; tickets_without_policy: those no policy
//     applied to (they have no clocks but count everywhere else).
//   - backlog: tickets whose status is neither solved nor closed at the
//     instant the results were evaluated (the replay's at).
//   - per metric: met and breached count cycles. A running (or paused)
//     cycle counts once it is breached; a cancelled cycle never does.
//     compliance = met / (met + breached). mean_seconds, p50_seconds,
//     p90_seconds and p95_seconds are over the elapsed business time of
//     the same cycles (whole seconds; a running breached cycle with its
//     time so far). Percentiles are exact by nearest rank: the value of
//     rank ceil(p/100 × n) among the n sorted values. The mean is rounded
//     to the millisecond.
//   - sla_compliance: tickets with no breached cycle / tickets with at
//     least one decided (met or breached) cycle.
//   - fcr_rate: among the tickets solved or closed with at least one
//     public agent reply, those with at most MaxAgentReplies public agent
//     replies (default 1), never reopened and never escalated.
//   - escalation_rate: tickets escalated / tickets. A ticket is escalated
//     by an escalated event or by a fired escalation level with an assign
//     or escalate action.
//   - reopen_rate: tickets reopened at least once / tickets ever solved or
//     closed.
//   - csat: responses (tickets with a rating; the last rating counts),
//     mean rating, positive_rate (ratings of 4 or 5 / responses).
//   - ola_compliance: per team and OLA metric (ola.time_to_own,
//     ola.time_to_resolve, see [sla.OLA]), the OLA cycles met and
//     breached and the rate met; omitted without OLA clocks.
//   - ola: per metric (resolution) and team, the business time, in the
//     calendar the ticket's clocks count in, during which the team held the
//     ticket while the clock counted (paused time belongs to nobody; the
//     time with no team goes to [None]), and the number of cycles in which
//     the team used any. It comes from [sla.Result.Teams]; running cycles
//     count up to the report instant.
//   - reassignment: among the tickets a team held, those handed from one
//     team to another (rate) and the hand-offs per ticket (mean_handoffs),
//     counted in [sla.Result.Handoffs].
//   - time_in_status: per status (new, open, pending, on_hold), the time
//     each ticket that entered it spent there, wall-clock and business
//     time (in the calendar its clocks count in, [Config.Calendar]):
//     mean, p50, p90. It needs
//     the events: see [Accumulator.Observe].
//   - target_share per metric: the decided cycles by elapsed time as a
//     share of their target ([ShareBounds]); breaches_by_hour: breaches by
//     local hour of the week; worst_tickets: the [Config.Worst] tickets
//     whose clocks overran their targets the most.
//
// Ratios are fractions in [0, 1] (0.95, not 95). A figure whose
// denominator is zero, or a metric without decided cycles, is nil (null in
// JSON), never NaN; counts are always numbers.
//
// # Groups and trends
//
// [Config.GroupBy] names dimensions: priority (the effective priority),
// channel, team, agent (the values at the report instant), policy,
// calendar (the one the ticket's clocks count in, [sla.View.Calendar]),
// status, customer.tier, customer.country, customer.language, or
// fields.NAME for any ticket field (strings as they are, numbers in their
// shortest form, other values as JSON). [Config.Bucket] adds the trend
// dimension day ("2026-03-02"), week ("2026-W10", ISO 8601) or month
// ("2026-03") of the ticket's creation, in [Config.Location] (the zone of
// a named calendar; UTC by default). A ticket with no value goes to the
// group [None]. Every group has the full set of figures; [GroupKeys] lists
// a dimension's keys in natural order ("Group 2" before "Group 10").
//
// # Goals
//
// [ParseGoal] reads the goals of a policy's kpis.goals section: an
// operator (>=, <=, >, <, ==) and a value in the KPI's unit ([KPIUnit]):
// percentages for ratios ("95%" means 0.95), Go durations for times
// ("10m" means 600 seconds; "d" is refused because a business day is not
// 24 hours), plain numbers for csat_mean and backlog. [GoalNames] lists the
// names: sla_compliance, fcr_rate, escalation_rate, reopen_rate,
// csat_mean, csat_positive_rate, backlog, and per metric
// <metric>_compliance, _mean, _p50, _p90 and _p95. A goal whose KPI is
// undefined has a null actual and a null met. [Config.GoalsBy] sets goals
// per group (kpis.goals_by), evaluated into each group's report.
//
// # Comparing policies
//
// [Compare] replays one history against two policies and returns both
// reports, the difference of each figure and the tickets whose verdict
// changes, so that a lead sees what a new target table would have done.
//
// # Errors
//
// Errors wrap the sentinels [ErrGoal], [ErrUnknownKPI], [ErrConfig] and
// [ErrMismatch], testable with [errors.Is]; messages start with "kpi: ".
//
// # Concurrency
//
// An Accumulator is not safe for concurrent use: give each goroutine its
// own and merge them. Nothing in the package reads the system clock.
//
// [reports reference]: https://github.com/slakit/slakit/blob/main/docs/reports.md
package kpi
