// Package servicenow reads a ServiceNow incident audit log (CSV, one row
// per update of an incident) and turns it into slakit events.
//
// # Input
//
// The first row names the columns; the reader finds them by name, in any
// order, and ignores the others. Required: number, incident_state,
// sys_updated_at. Used when present: opened_at, priority,
// assignment_group, assigned_to, contact_type, caller_id, closed_at. Dates
// are DD-MM-YYYY HH:MM or D/M/YYYY H:MM (seconds optional), naive: the
// reader's Zone says where they were written. "?" or an empty cell means no
// value. Several files are read as consecutive parts of one log.
//
// # Mapping
//
//	first row of an incident     created at opened_at (status new), with priority, team
//	                             (assignment_group), agent (assigned_to), channel
//	                             (contact_type) and customer (caller_id); then the row's
//	                             state as a status event at sys_updated_at when it is not New
//	incident_state changed       status: New new; Active, In Progress open;
//	                             Awaiting User Info, Awaiting Caller pending; Awaiting Problem,
//	                             Awaiting Vendor, Awaiting Evidence, Awaiting Change, On Hold on_hold;
//	                             Resolved solved; Closed, Canceled closed
//	Resolved then another state  the status event reopens the ticket
//	priority changed             priority: the label (after " - " when there is one) in
//	                             lower case, spaces as underscores ("1 - Critical" is
//	                             critical, "3 - Moderate" moderate); a bare 1 to 5 is
//	                             critical, high, moderate, low, planning (another bare
//	                             number is kept as it is); a label with characters other
//	                             than ASCII letters, digits and spaces is a bad_value
//	assignment_group changed     assign with the new team; "?" clears the team
//	assigned_to changed          assign with the new agent (a change to "?" keeps the
//	                             agent: the events format has no unassign)
//
// Within a row the events come in that order: priority, assignment, status.
//
// The engine refuses an event whose priority is not one of its priorities
// ([sla.ErrInvalidEvent]), and those are urgent, high, normal and low unless
// the policy lists others: replay these events with a policy whose
// priorities include the ones the log uses, such as critical, high,
// moderate, low and planning (as testdata/policies/servicenow.yaml in the
// repository does).
//
// # Odd data
//
// Real exports are not clean, and the reader says so rather than guessing
// silently. Each case yields an [*importer.Problem] and the import goes on:
//   - Rows of one incident are taken in file order, never sorted: rows of the
//     same minute are common and sorting them by time invents reopens. A row
//     dated before the incident's previous row is out_of_order and taken at
//     the previous row's instant.
//   - A row dated before opened_at is before_opening and taken at opened_at.
//   - An incident whose first row is not New (the log starts later) is
//     created at opened_at all the same, then moved to the row's state.
//   - Rows after the incident's Closed row are after_closed and skipped (the
//     first Closed row closes the ticket). The last 4096 closed numbers are
//     remembered for this, so memory stays bounded by the open incidents.
//   - An incident still open at the end of the input although its closed_at
//     column names a close is cut: the file ends in its middle. Its events
//     so far stand, and the replay reports it as open.
//   - A row with the wrong number of cells, no number or an unreadable
//     sys_updated_at is malformed or bad_value and skipped; an unknown state or
//     priority is bad_value and that change is ignored.
//
// Memory grows with the incidents open at once, not with the file.
package servicenow
