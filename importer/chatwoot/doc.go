// Package chatwoot reads Chatwoot conversations and their messages, as
// its application API returns them, and turns them into slakit events.
//
// # Input
//
// Each input is one JSON page; the pages of an export are separate files,
// read together in any order:
//   - conversations: a conversation list page ({"data": {"meta": ..., "payload": [...]}}),
//     a filter page ({"meta": ..., "payload": [...]}), a single conversation, or a
//     JSON array of conversations. A conversation has id, inbox_id, status,
//     created_at (seconds since 1970), meta.channel (the inbox's channel type,
//     such as Channel::Whatsapp), meta.sender (the contact), meta.assignee and
//     meta.team;
//   - messages: a messages page of a conversation ({"meta": ..., "payload": [...]}),
//     or the messages array of a conversation. A message has id,
//     conversation_id, message_type (0 or "incoming", 1 "outgoing", 2
//     "activity", 3 "template"), content, private, created_at, sender_type
//     and source_id;
//   - inboxes: an inbox list page, whose channel_type names the channel of the
//     conversations of each inbox when their meta.channel is missing.
//
// Chatwoot pages messages backwards (the before parameter): pass every page.
//
// # Mapping
//
//	conversation                     created at created_at: channel from the inbox
//	                                 type (Channel::Whatsapp is whatsapp, Channel::WebWidget
//	                                 web_widget), customer from meta.sender; the first
//	                                 message, when incoming and within a minute of
//	                                 created_at, is the created text
//	incoming message                 message by the customer (it reopens a resolved or
//	                                 snoozed conversation, as Chatwoot does)
//	outgoing or template message     message by an agent (sender_type User), or by a bot
//	                                 (AgentBot, Captain::Assistant, or no sender)
//	private message                  note
//	activity "marked resolved",
//	  "resolved by", auto-resolved   status solved
//	activity "reopened",
//	  "marked open"                  status open
//	activity "marked as pending"     status pending
//	activity "snoozed"               status pending (a snoozed conversation waits)
//	activity "self-assigned",
//	  "Assigned to A by X"           assign agent A (team A when A names a known team)
//	activity "Assigned to A via T"   assign agent A and team T
//	activity "Unassigned from T"     assign: team cleared
//	activity priority set/changed    priority (Chatwoot's medium is normal)
//
// Activity messages are recognised by Chatwoot's English texts. Teams are
// known from the conversations' meta.team. Other activity (labels, muting,
// SLA policies) and "unassigned" (the events format has no unassign) are
// skipped. Messages of one instant keep the order of their ids.
//
// # Odd data
//
// Each case yields an [*importer.Problem] and the import goes on:
//   - A file that is not JSON, or holds no conversations, messages or inboxes,
//     is malformed, with its line; a record of the wrong shape is malformed
//     and skipped, named by its path (data.payload[2]) and line.
//   - A message whose conversation is not in the input is unknown_ticket
//     (once per conversation): without it there is no channel nor creation.
//   - A message of a messages page read twice is a duplicate; the copy is
//     skipped. (A conversation list carries each conversation's last message:
//     that copy is expected and read once, without a report.)
//   - A conversation whose status at the end of its history is not the
//     status the conversation record gives is a mismatch (messages pages
//     missing); the history stands.
//
// The whole export is read before the first event is yielded (messages
// must be regrouped by conversation), so memory grows with the export.
package chatwoot
