// Package importer holds what the helpdesk importers share: the inputs they
// read, the problems they report and the summary of an import.
//
// Each source has its own package: [github.com/slakit/slakit/importer/servicenow]
// (the incident audit log, CSV), [github.com/slakit/slakit/importer/zendesk]
// (ticket audits and the incremental ticket event export, JSON) and
// [github.com/slakit/slakit/importer/chatwoot] (conversations and their
// messages, JSON). Every reader yields [sla.Event] values in the order the
// replay needs (each ticket's events in time order; equal instants keep the
// input's order), ready to be written as the events file with
// [encoding/json.Marshal] or replayed at once with [sla.Engine.Replay].
//
// # Problems
//
// Exports are messy. A reader never stops at a bad record: it yields a
// [*Problem] in place of an event, naming the file, the line (or the
// record's path in a JSON document), the ticket when known and a [Kind],
// and goes on with the rest. Each reader's documentation says what it does
// with every kind of odd data.
//
// # Summary
//
// [Summary] counts what an import read and produced: records, tickets
// (created events), events, and problems by kind.
package importer
