// Package policy compiles slakit's declarative policy document (YAML with
// expr-lang conditions) into calendars, routing rules, SLA policies,
// escalation ladders, WhatsApp and KPI settings for the sla engine.
//
// A support lead writes one file; [Load] (or [LoadReader], [LoadFile],
// [MustLoad]) turns it into a [*Set]:
//
//	set, err := policy.LoadFile("testdata/policies/multidesk.yaml")
//	if err != nil {
//		fmt.Print(err.(policy.ErrorList).String()) // every problem, file:line:col: field: message
//	}
//	eng, err := sla.NewEngine(set.Config())
//
// A Set is immutable and safe for concurrent use by multiple goroutines.
//
// # Document
//
// The document has the keys version (required, 1), calendars,
// priorities, rules, slas, escalations, whatsapp and kpis, as in DESIGN
// §4. Unknown and duplicate keys are errors. Durations use Go syntax
// (90s, 15m, 4h, 1h30m) and are positive; "3d" is refused with a hint,
// because business days are not 24 hours. Calendars are [calendar.Spec]
// values. priorities defaults to urgent, high, normal, low.
//
// # Rules
//
// Rules run in order for every event whose type their on lists (default
// created), after the event's own changes. A rule whose when holds (or
// that has none) is applied at once: its set writes priority, team,
// agent, tags (added) and fields, and later rules see the result; stop:
// true ends the run for that event. The engine keeps the names of the
// applied rules in the ticket's trace ([Set.Router]); [Set.Route] gives
// hosts that only want routing the decisions and the routed ticket.
//
// # Expressions
//
// Conditions are expr-lang programs compiled once, when the document is
// loaded, against a typed environment; a condition must be boolean, and
// an unknown name or a type error is a load error positioned inside the
// expression. The environments are:
//
//   - rules and custom metric start and stop: ticket, event, now;
//   - SLA policy when and custom metric pause: ticket (the engine asks
//     them with the ticket only, so there is no event and no now);
//   - escalation level when: ticket, clock (clock.metric, clock.cycle,
//     clock.target, clock.elapsed, clock.remaining, clock.percent), now.
//
// ticket has id, channel, priority, status, team, agent, tags, subject,
// customer (id, tier, country, language, phone), fields and created_at.
// event has type, at, author (customer when unsaid), public (true when
// unsaid), text, channel, priority, status, team, agent, tags,
// remove_tags, subject, customer, fields, tier and score. now is the
// instant of the event (or of the firing), never the wall clock: expr's
// now() and date() are disabled. Durations are time.Duration values, so
// a level writes clock.remaining < duration("30m") and a rule
// now - ticket.created_at > duration("1h").
//
// Functions:
//
//   - has_keyword(text, words) reports whether text contains one of the
//     words (or phrases) as whole words, ignoring case and accents:
//     "cobranca" finds "Cobrança", "PAGAMENTO" finds "pagamento",
//     "ausfall" finds "Ausfall". A literal list is folded once at load
//     time; matching does not allocate.
//   - is_open("calendar") reports whether the named calendar is open at
//     now. The name must be a quoted literal naming a defined calendar
//     (checked at load time); it is not available where there is no now.
//
// An expression is at most 2048 bytes and 500 nodes, and runs with a
// memory budget. Evaluation never panics: an evaluation error (a missing
// field compared with a number, a nil value where a string was needed)
// makes the condition false.
//
// # Escalations and WhatsApp
//
// Each ladder under escalations becomes an [*escalation.Ladder]
// ([Set.Ladder], [Set.Ladders]); a level's metric, when given, must be
// any, a built-in metric or a custom metric of some policy (without it
// the level fires once per ticket; a window level takes none: see
// [escalation.Scope]), its at is an
// [escalation.Trigger], during names a calendar (quiet hours), and its
// actions are single-key maps: notify, assign, escalate, set_priority (a
// known priority), add_tags, message_customer, custom ({name: X, ...}).
// An SLA policy names its ladder in escalation. The whatsapp section sets
// [whatsappwindow.Config] over its defaults ([Set.WhatsApp]).
// [Set.Config] (and [Set.Engine]) hand the engine the ladders and a window
// tracker with those settings, so tickets on the whatsapp channel get a
// window even when the document has no whatsapp section.
//
// # KPIs
//
// kpis.fcr.max_agent_replies (default 1) and kpis.goals are kept in
// document order ([Set.KPI]). A goal name is one of sla_compliance,
// fcr_rate, escalation_rate, reopen_rate, csat_mean, csat_positive_rate,
// backlog, or <metric>_compliance, _mean, _p50, _p90, _p95 for a
// built-in or custom metric; its text is an operator (>=, <=, >, <, ==)
// and a value parsed by [kpi.ParseGoal] at load time: a percentage for
// rates and compliance ("95%"), a duration for times ("10m"), a number for
// csat_mean and backlog. [Set.KPIConfig] gives them, parsed, to a
// [kpi.Accumulator].
//
// # Speed
//
// Conditions are compiled once, at load time. The simple ones most rules
// are made of (comparisons of ticket and event fields with literals,
// membership in literal lists and in tags, has_keyword, and !, && and ||
// over those) run as Go closures over the environment's fields; any other
// expression runs on expr's virtual machine, which expr also uses to
// type-check every expression, so both paths accept and reject the same
// documents and agree on every result.
//
// # Errors and warnings
//
// A failed load returns an [ErrorList] of every problem at once, sorted by
// position, each an [*Error] printing "file:line:col: field: message" and
// wrapping a sentinel error ([ErrSyntax], [ErrField], [ErrUndefined],
// ...). YAML syntax errors stop the load and carry the parser's line and
// column 1 (the parser gives no column). An expression error points at
// the offending rune when the expression is a plain, quoted or literal
// (|) scalar, and at the scalar when it is folded (>); its message also
// gives the line and column inside the expression. What is legal but probably
// wrong is reported by [Set.Warnings]: a policy after a catch-all, a
// priority a policy has no targets for, a policy without targets, a
// next_response target longer than the resolution target, a ladder no
// policy uses, a level watching a metric no policy using its ladder has a
// target for.
//
// The loader never panics or hangs on any input: documents are at most
// 4 MiB and 1,000,000 nodes once aliases are expanded.
package policy
