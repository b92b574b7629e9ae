// Package whatsappwindow tracks the WhatsApp Business 24-hour customer
// service window and tells, at any instant, whether a free-form reply can
// still go out, how long is left, and what a message will cost.
//
// A business may send any message while the window is open and only
// approved templates after it closes; Meta refuses a late free-form message
// with error 131047 ([ErrorCodeReengagement]). The package computes; the
// host stores. A [Window] is a plain JSON value the host keeps per
// (business number, user) [Key]; a [Tracker] holds the configuration,
// is immutable and is shared by every goroutine:
//
//	tr, _ := whatsappwindow.New(whatsappwindow.DefaultConfig())
//	changed, err := tr.Observe(&w, obs, receivedAt) // store w if changed
//	v := tr.Verdict(w, at)                          // v.FreeForm, v.ClosesAt, v.Next
//
// The package has no clock: every function takes the instant. The
// subpackage webhook turns Cloud API webhooks into [Observation] values.
//
// # What opens the window
//
// A message the user sends ([UserMessage]: text, media, location, contacts,
// interactive and button replies, orders, and "unsupported" messages) or a
// call the user places ([UserCall]) opens the window or refreshes it to 24
// hours. Reactions ([UserReaction]) count only with [Config.ReactionsCount],
// because Meta does not say. System notices and request_welcome
// ([UserOther]) never count, nor does anything the business sends
// ([BusinessMessage]): templates, free-form, reactions, calls and Business
// App echoes.
//
// # Time
//
// The window runs from Meta's own timestamp of the user's message, not
// from when the webhook arrived. Late, retried and reordered deliveries
// never shrink it: the latest user timestamp wins. A user message whose id
// is already known is ignored (the window keeps the ids of the last 16).
// A timestamp more than [Config.MaxSkew] after the instant passed to
// [Tracker.Observe] is clamped to that instant, so a wrong clock upstream
// cannot hold the window open.
//
// # Boundaries
//
// The window closes exactly 24 hours after the last user activity: it is
// open iff at < closesAt (Meta does not document the boundary, so the
// package takes the safe side). Free-form is allowed iff at + SendMargin <
// closesAt and no rejection is pending. The state is [ClosingSoon] once the
// time remaining is at most a configured threshold (remaining <= d).
//
// # Rejections
//
// A locally open window is advisory: Meta can refuse inside it. A 131047
// rejection, synchronous or as a failed status ([Rejection]), refuses
// free-form until a user message in the same second or a later one arrives
// (Meta stamps user messages in whole seconds, so instants are compared at
// whole seconds); the state is then [Rejected]. A window that has closed anyway is [Expired].
//
// # Free entry points
//
// A user message with a referral (a Click to WhatsApp ad or a Facebook Page
// button) makes a candidate. The first business message within 24 hours of
// it (a send or a sent status: a delivered or read status may be of a
// message sent before the click) opens a 72-hour free entry point window
// from that message; a later
// reply opens none, and a second ad click inside an open one does not extend
// it. A status whose pricing type is free_entry_point (or origin
// referral_conversion) confirms it, and its conversation expiration
// timestamp, when present, sets its end; a status that prices a message
// inside it otherwise cancels an unconfirmed one, and a status that prices
// the first reply (regular or free_customer_service) answers the candidate
// without opening one. It changes the price, never what may be sent.
//
// # Pricing
//
// [PriceHint] tells the category and whether a message is charged from a
// table with effective dates: conversation-based pricing from 2022-02-01
// (split by template category from 2023-06-01, free service conversations
// from 2024-11-01, free utility templates inside the window from
// 2025-04-01), per-message pricing from 2025-07-01, and from 2026-10-01
// service messages and utility templates inside the window are charged.
// Free entry point messages are free throughout.
package whatsappwindow
