// Package policy compiles slakit's declarative policy document (YAML with
// expr-lang conditions) into calendars, routing rules, SLA policies,
// escalation ladders, WhatsApp and KPI settings for the sla engine.
//
// A support lead writes one file; [Load] (or [LoadReader], [LoadFile],
// [MustLoad]) turns it into a [*Set]:
//
//	set, err := policy.LoadFile("testdata/policies/multidesk.yaml")
//	if err != nil {
//		var list policy.ErrorList
//		if errors.As(err, &list) {
//			fmt.Print(list.String()) // every problem, file:line:col: field: message
//		} else {
//			fmt.Println(err) // the file could not be opened or read
//		}
//		return
//	}
//	eng, err := sla.NewEngine(set.Config())
//
// A Set is immutable (apart from its counts of run-time failures) and
// safe for concurrent use by multiple goroutines.
//
// # Document
//
// The document has the keys version (required, 1), calendars,
// priorities, default_priority, rules, slas, olas, escalations, whatsapp,
// kpis, close_solved_after (solved tickets close by themselves after that
// wall-clock time) and at_risk (the share of a target at which a ticket's
// agreement is at risk). Unknown and
// duplicate keys are errors. Durations use Go syntax (90s, 15m, 4h,
// 1h30m) and are positive; "3d" is refused with a hint, because business
// days are not 24 hours; targets may be business days instead (3bd,
// 2bd@16:00, eod: [sla.DayTarget]). An SLA policy's calendar is a name or
// {by, map, default} (a calendar per ticket); it may have pause_on per
// metric, valid dates, a default_priority and on_priority_change
// (keep_breach or recompute). olas are [sla.OLA] values ([Set.OLAs]).
// Calendars are [calendar.Spec] values. priorities
// defaults to urgent, high, normal, low. A ladder's level has an optional
// metric (any, built-in, custom or ola.*; without it the level fires once per
// ticket, and a window level takes none: see [escalation.Scope]), an at ([escalation.Trigger]), a when, a
// during calendar and single-key actions (notify, assign, escalate,
// set_priority, add_tags, message_customer, custom). kpis.goals (and
// kpis.goals_by, goals per group) are parsed by [kpi.ParseGoal] at load
// time ([Set.KPIConfig]). The [policy reference] describes every key.
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
// Conditions are expr-lang programs compiled once, at load time, against
// a typed environment: ticket, event and now for rules and custom metric
// start and stop; ticket alone for SLA policy when and metric pause;
// ticket, clock and now for a level's when. now is the instant of the
// event or firing, never the wall clock, and an instant's Local method
// (the machine's time zone) is a load error. has_keyword(text, words) finds
// whole words ignoring case and accents; is_open("calendar") tells
// whether a calendar is open at now. A condition must be boolean; an
// unknown name or a type error is a load error positioned inside the
// expression. The simple conditions most rules are made of (comparisons,
// in, has_keyword with a written list, and !, && and || over those) run
// as Go closures that read the ticket and event in place; the rest run on
// expr's virtual machine, with the same results and failures, unless
// their first && (or ||) operands, run as Go, already decide them.
//
// One evaluation costs at most about a millisecond and a megabyte on any
// ticket: expressions see texts cut at 32 KiB, 64 tags and bounded fields;
// builtins that can grow a value without bound are disabled; and each
// expression's worst case is estimated at load time, a load error when
// over the budget. A condition that fails at run time (a missing field
// compared with a number) is false; the failure is counted by
// [Set.EvalErrors] and named in the ticket's result ([sla.Result.Failures]).
// docs/expressions.md lists every name, function and limit.
//
// # Errors and warnings
//
// A failed load returns an [ErrorList] sorted by position, each an
// [*Error] printing "file:line:col: field: message" and wrapping a
// sentinel error ([ErrSyntax], [ErrField], [ErrUndefined], ...). It lists
// at most 100 errors and ends with "and N more errors"; a message quotes
// at most 64 bytes of a value and at most 10 of the document's own names
// (priorities, calendars, ladders), then "and N more" (the keys, event
// types and actions it knows are listed in full). YAML syntax errors stop the
// load (the parser gives a line, not a column). An expression error points
// at the offending token, except in a folded (>) scalar, where it points
// at the scalar. Each package checks the values it owns ([sla.NewEngine],
// [escalation.New], [whatsappwindow.New], [kpi.ParseGoal]); the loader
// places their errors. What is legal but probably wrong is reported by
// [Set.Warnings]: a policy after a catch-all, a priority or metric no
// target covers, a ladder no policy uses, a level that can never fire.
//
// The loader never panics or hangs, and takes time proportional to the
// document: documents are at most 4 MiB and 1,000,000 nodes once aliases
// are expanded.
//
// [policy reference]: https://github.com/slakit/slakit/blob/main/docs/policy.md
package policy
