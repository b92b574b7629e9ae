// Package webhook verifies and decodes WhatsApp Cloud API webhooks and
// turns them into [whatsappwindow.Observation] values.
//
// The package is pure: it takes bytes and strings and returns values. The
// host owns the HTTP server; a handler does three things:
//
//	// GET: endpoint verification
//	challenge, err := webhook.Handshake(r.URL.Query(), verifyToken) // 200 + challenge, or 403
//
//	// POST: notifications
//	body, _ := io.ReadAll(r.Body)
//	err := webhook.Verify(body, r.Header.Get(webhook.SignatureHeader), appSecret)
//	batch, err := webhook.Decode(body)
//	for _, o := range batch.Observations() { tracker.Observe(&w, o, receivedAt) }
//
// # Signatures
//
// Meta signs each POST with HMAC-SHA256 of the raw body, keyed with the
// app secret, and sends it as "sha256=" plus lower-case hex in the
// X-Hub-Signature-256 header. [Verify] compares in constant time and tells
// a missing header, a wrong prefix, bad hex and a wrong signature apart.
// Verify the bytes as received, before decoding.
//
// # Decoding
//
// [Decode] accepts batches with many entries and changes. Fields it does
// not know are ignored, so newer API versions decode; changes of fields
// other than messages and calls are kept raw. Timestamps are Meta's epoch
// seconds (strings, or integers) and become UTC instants. A malformed item
// is skipped and reported in an [ErrorList] with its JSON path; the rest of
// the batch is returned. Each [Message] and [Status] keeps what a host
// needs to turn it into a ticket event: author, text, instant and ids.
//
// # Observations
//
// Messages map to user activity: text, media, location, contacts,
// interactive and button replies, orders and unsupported messages open or
// refresh the window; reactions are [whatsappwindow.UserReaction] (counted
// only if the tracker is configured so); system notices, request_welcome
// and unknown types do not count. A message with a referral is a free
// entry point candidate. Statuses sent, delivered, read and played are
// business messages, with their pricing and conversation objects; a failed
// status with error 131047 is a rejection; other failures say nothing
// about the window. Calls placed by the user count as user activity. The
// window key is (metadata.phone_number_id, wa_id), with the business-scoped
// user id standing in for wa_id when the payload has no phone number.
//
// # SLA events
//
// [Message.Event] and [Status.Event] turn a decoded batch into events of
// the SLA engine (package sla): a user message is a customer message (or,
// when the host says it starts a conversation, the created event of a
// whatsapp ticket), carrying Meta's timestamp, the message id and the
// referral flag; a failed status with 131047 is a window_rejected event.
// Reactions, system notices and the statuses of the business's own
// messages are not SLA events.
//
// A send the API refuses at once (HTTP 4xx) is read with
// [DecodeSendError]; when [APIError.Reengagement] holds, the host observes
// a [whatsappwindow.Rejection] at the instant of the send attempt.
package webhook
