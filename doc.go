// Package slakit is the entry point to an embeddable SLA engine for
// customer support: given a ticket's events, it decides when an answer is
// due, whether it came in time, who must be warned or take over, and what
// may still be sent on WhatsApp, and it sums a ticket history up into the
// KPIs a support lead is judged by. It computes; your helpdesk, CRM plugin
// or test suite stores the state, moves the messages and sets the timers.
//
// This package holds no code. Start with the packages below, the
// [getting started] guide, or the command line tool.
//
// # Where to start
//
//   - Write a policy document (YAML): calendars, routing rules, SLA
//     targets, escalation ladders, WhatsApp and KPI settings. The
//     [policy reference] describes every key; `slakit check policy.yaml`
//     reports every mistake at once as file:line:col.
//   - Load it with [github.com/slakit/slakit/policy.LoadFile] and build the
//     engine with [github.com/slakit/slakit/policy.Set.Engine].
//   - Feed each ticket's events to [github.com/slakit/slakit/sla.Engine.Apply],
//     store the returned [github.com/slakit/slakit/sla.State] as JSON, ask
//     [github.com/slakit/slakit/sla.Engine.Evaluate] for the clocks, and set
//     one timer per ticket at View.NextWake. Whole histories go through
//     [github.com/slakit/slakit/sla.Engine.Replay]; the [results reference]
//     describes what comes out.
//   - Sum results up with [github.com/slakit/slakit/kpi.Accumulator].
//   - Test your policy in Go with [github.com/slakit/slakit/slatest].
//
// # Packages
//
//   - [github.com/slakit/slakit/calendar]: business time (hours, lunch
//     breaks, holidays, DST) with Add, Between, NextOpen, AddDays, EndOfDay;
//     [github.com/slakit/slakit/calendar/ics] reads holidays from .ics files.
//   - [github.com/slakit/slakit/sla]: the engine: clocks in cycles, pauses,
//     breaches, escalations, replay; State as versioned JSON.
//   - [github.com/slakit/slakit/policy]: the YAML policy document with
//     expr-lang conditions, compiled into the engine's configuration.
//   - [github.com/slakit/slakit/escalation]: ladders of levels, their
//     triggers and quiet hours.
//   - [github.com/slakit/slakit/whatsappwindow] and its webhook package:
//     the WhatsApp 24-hour customer service window and Cloud API payloads.
//   - [github.com/slakit/slakit/kpi]: KPIs, groups, trends and goals.
//   - [github.com/slakit/slakit/importer] and its servicenow, zendesk and
//     chatwoot packages: a helpdesk's export turned into events.
//   - [github.com/slakit/slakit/slatest]: helpers for testing policies and
//     hosts, like net/http/httptest.
//
// # The command line
//
// Install it with
//
//	go install github.com/slakit/slakit/cmd/slakit@latest
//
// then, from a clone of the repository, check the reference policy and sum
// up four weeks of a sample help desk (3,000 tickets) against it:
//
//	slakit check testdata/policies/multidesk.yaml
//	slakit report --policy testdata/policies/multidesk.yaml --events testdata/history/sample.jsonl --format table
//
// slakit replay gives the result of every ticket, one JSON object per line.
//
// The [documentation] index lists every reference page: the policy
// document, events, results, reports, escalation scope, expressions,
// calendars, imports, the CLI and hosting.
//
// [getting started]: https://github.com/slakit/slakit/blob/main/docs/getting-started.md
// [policy reference]: https://github.com/slakit/slakit/blob/main/docs/policy.md
// [results reference]: https://github.com/slakit/slakit/blob/main/docs/results.md
// [documentation]: https://github.com/slakit/slakit/blob/main/docs/README.md
package slakit
