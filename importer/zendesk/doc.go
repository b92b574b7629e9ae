// Package zendesk reads Zendesk Support ticket histories, as the Ticket
// Audits API or the Incremental Ticket Event Export returns them, and
// turns them into slakit events.
//
// # Input
//
// Each input is one page of JSON, as the API returns it; the pages of an
// export are separate files, read together in any order. A page may hold:
//   - "audits": ticket audits (GET /api/v2/tickets/{id}/audits or
//     /api/v2/ticket_audits), each with id, ticket_id, created_at,
//     author_id, via.channel and events of type Create, Change, Comment
//     (and others, which are ignored);
//   - "ticket_events": the incremental ticket event export
//     (GET /api/v2/incremental/ticket_events?include=comment_events), each
//     with id, ticket_id, created_at or timestamp, updater_id, via and
//     child_events whose event_type is Create, Change or Comment;
//   - "users" (side-loaded with include=users, or a users page): id, name
//     and role, which tells agents and admins from end users; and "groups":
//     id and name.
//
// Pagination members (next_page, meta, links, end_of_stream, ...) are not
// read: pass every page.
//
// # Mapping
//
//	Create events of a ticket's first update   created, at the update's created_at: status,
//	                                            priority, team (group), agent (assignee),
//	                                            tags, subject, customer (requester); the
//	                                            channel is the update's via.channel; the
//	                                            first comment is the created text and its
//	                                            author the created author
//	Change status                               status: new, open, pending, hold on_hold,
//	                                            solved, closed
//	Change priority                             priority (low, normal, high, urgent)
//	Change group_id                             assign team; null clears the team
//	Change assignee_id                          assign agent
//	Change tags                                 update: tags added and removed
//	Change subject                              update: subject
//	Comment, public                             message by the comment's author: customer
//	                                            for an end user, agent for an agent or admin
//	Comment, private                            note
//	SatisfactionRating good / bad               csat 5 / 1
//
// Teams and agents are named by the side-loaded group and user names when
// present, by their ids otherwise. Other fields and event types (custom
// fields, notifications, CCs) change nothing an SLA reads and are skipped.
// Channels are Zendesk's via channels in lower case ("web", "email",
// "whatsapp", "api"); the export's "Mail" and "Web form" are read as email
// and web.
//
// # Odd data
//
// Each case yields an [*importer.Problem] and the import goes on:
//   - A file that is not JSON, or holds no audits, ticket events, users or groups,
//     is malformed, with its line. A record of the wrong shape (no ticket
//     id, an unreadable instant, events that are not a list) is malformed
//     and skipped, named by its path (audits[3]) and line.
//   - The same update in two pages is a duplicate; the copy is skipped.
//   - Updates are put in time order per ticket (the account-wide audits
//     list is newest first); updates of the same instant keep the order of
//     their ids.
//   - A ticket whose first update has no Create event (a history that
//     starts in the middle) is no_create; its updates are skipped.
//   - An unknown status or priority is bad_value and ignored.
//   - A comment whose author is not among the side-loaded users is the
//     customer's when the author is the ticket's requester, an agent's
//     otherwise.
//   - Updates after the ticket is closed are after_closed and skipped.
//   - A null priority or assignee keeps the previous one: the events format
//     cannot clear them.
//
// The whole export is read before the first event is yielded (updates must
// be regrouped by ticket), so memory grows with the export.
package zendesk
