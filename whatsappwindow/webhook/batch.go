package webhook

import (
	"encoding/json"
	"time"

	ww "github.com/slakit/slakit/whatsappwindow"
)

// Batch is one decoded webhook delivery. Items keep the payload's order;
// every instant is Meta's timestamp, in UTC. A Batch holds what a host
// needs to build its own ticket events: who wrote (the user for a
// [Message], the business for a [Status]), when, the message id and text.
type Batch struct {
	// Messages are the inbound messages (field "messages").
	Messages []Message
	// Statuses are the status updates of business messages (field
	// "messages").
	Statuses []Status
	// Calls are the call events (field "calls").
	Calls []Call
	// Errors are the errors[] attached to a change value itself, outside any
	// message or status.
	Errors []APIError
	// Other holds the changes of fields this package does not decode
	// (account_update, message_template_status_update, smb_message_echoes,
	// ...), raw.
	Other []Change
}

// Source says where in the delivery an item came from: the WhatsApp
// Business Account and the business phone number.
type Source struct {
	// WABAID is entry[].id, the WhatsApp Business Account id.
	WABAID string
	// PhoneNumberID is metadata.phone_number_id, the business side of the
	// window key.
	PhoneNumberID string
	// DisplayPhoneNumber is metadata.display_phone_number.
	DisplayPhoneNumber string
}

// Message is an inbound message from a user.
type Message struct {
	Source
	// ID is the message id (wamid).
	ID string
	// At is Meta's timestamp of the message.
	At time.Time
	// From is the user's WhatsApp id (phone number); empty when Meta only
	// sends the business-scoped user id.
	From string
	// FromUserID is the user's business-scoped user id (BSUID), if sent.
	FromUserID string
	// ProfileName is the user's profile name from contacts[], if sent.
	ProfileName string
	// Type is Meta's message type: text, image, video, audio, document,
	// sticker, location, contacts, interactive, button, order, reaction,
	// system, request_welcome, unsupported, or a newer one.
	Type string
	// Text is the readable text of the message: the text body, a media
	// caption, a button's text, the title of an interactive reply, a
	// reaction's emoji, a system notice's body. Empty if none.
	Text string
	// Context is the message this one replies to, if any.
	Context *Context
	// Referral is set when the user came from a Click to WhatsApp ad or a
	// Facebook Page button: a free entry point candidate.
	Referral *Referral
	// Media describes an image, video, audio, document or sticker.
	Media *Media
	// Reaction describes a reaction; an empty emoji removes one.
	Reaction *Reaction
	// Reply is the button or list row the user chose (types button and
	// interactive).
	Reply *Reply
	// Errors are the errors of an unsupported message.
	Errors []APIError
}

// UserKey returns the user side of the window key: From, or FromUserID
// when there is no phone number ([ww.UserID]).
func (m Message) UserKey() string { return ww.UserID(m.From, m.FromUserID) }

// Key returns the window key of the message.
func (m Message) Key() ww.Key { return ww.Key{Business: m.PhoneNumberID, User: m.UserKey()} }

// Context is the message a message replies to.
type Context struct {
	// From is who sent the quoted message.
	From string
	// ID is the quoted message's id; for a button reply to a template, the
	// template message's id.
	ID string
	// Forwarded reports whether the message was forwarded.
	Forwarded bool
}

// Referral is the ad or post a user clicked before writing.
type Referral struct {
	SourceURL  string // source_url: the ad or post URL
	SourceID   string // source_id: the ad or post id
	SourceType string // source_type: "ad" or "post"
	Headline   string // headline of the ad
	Body       string // body text of the ad
	MediaType  string // media_type: "image" or "video"
	CTWAClID   string // ctwa_clid: click id; absent for Status ad placements
}

// Media is an attachment.
type Media struct {
	ID       string // media id, for downloading it through the Graph API
	MimeType string // mime_type
	SHA256   string // sha256 of the file
	Caption  string // caption, if the user wrote one
	Filename string // filename, for documents
}

// Reaction is a user's reaction to a message.
type Reaction struct {
	// MessageID is the message reacted to.
	MessageID string
	// Emoji is the reaction; empty when the user removed it.
	Emoji string
}

// Reply is the choice of a quick-reply button or an interactive message.
type Reply struct {
	// Type is "button" for a template quick-reply button, otherwise the
	// interactive type: button_reply, list_reply or nfm_reply.
	Type string
	// ID is the button or row id (for a template button, its payload).
	ID string
	// Title is the text the user saw.
	Title string
	// Description is a list row's description.
	Description string
}

// Status is a status update of a message the business sent.
type Status struct {
	Source
	// ID is the id (wamid) of the business message.
	ID string
	// Status is sent, delivered, read, played, failed, or a newer value.
	Status string
	// At is Meta's timestamp of the status.
	At time.Time
	// RecipientID is the user's WhatsApp id.
	RecipientID string
	// RecipientUserID is the user's business-scoped user id, if sent.
	RecipientUserID string
	// BizOpaqueCallbackData is the tracking string the business attached.
	BizOpaqueCallbackData string
	// Conversation is the conversation object, if sent.
	Conversation *Conversation
	// Pricing is the pricing object, if sent.
	Pricing *Pricing
	// Errors are the reasons of a failed status.
	Errors []APIError
}

// UserKey returns the user side of the window key: RecipientID, or
// RecipientUserID when there is no phone number ([ww.UserID]).
func (s Status) UserKey() string { return ww.UserID(s.RecipientID, s.RecipientUserID) }

// Key returns the window key of the status.
func (s Status) Key() ww.Key { return ww.Key{Business: s.PhoneNumberID, User: s.UserKey()} }

// Rejected reports whether the status is a failure with error 131047: the
// window was closed for free-form messages.
func (s Status) Rejected() bool {
	if s.Status != "failed" {
		return false
	}
	for _, e := range s.Errors {
		if e.Reengagement() {
			return true
		}
	}
	return false
}

// Conversation is a status's conversation object.
type Conversation struct {
	// ID is the conversation id (one per free entry point window).
	ID string
	// Expires is expiration_timestamp; zero if absent.
	Expires time.Time
	// Origin is origin.type.
	Origin string
}

// Pricing is a status's pricing object.
type Pricing struct {
	// Billable is the deprecated billable flag; nil if absent.
	Billable *bool
	Model    string // pricing_model: "PMP" or "CBP"
	Type     string // type: "regular", "free_customer_service", "free_entry_point"
	Category string // category: "service", "utility", "marketing", ...
}

// APIError is a Cloud API error: an entry of a webhook errors[] array, or
// the error of a send refused at once ([DecodeSendError]).
type APIError struct {
	Code    int    // code, such as 131047; classify by it, never by the text
	Title   string // title
	Message string // message
	Details string // error_data.details
	Href    string // href, Meta's error code page
	// FBTraceID is Meta's trace id, sent with synchronous errors only.
	FBTraceID string
}

// Call is an event of the calls webhook.
type Call struct {
	Source
	// ID is the call id (wacid).
	ID string
	// At is Meta's timestamp of the event.
	At time.Time
	// From and To are the caller and the callee.
	From, To string
	// FromUserID is the caller's business-scoped user id, if sent.
	FromUserID string
	// Event is the call event, such as connect or terminate.
	Event string
	// Direction is USER_INITIATED or BUSINESS_INITIATED.
	Direction string
	// Status is the call status, if sent.
	Status string
}

// UserInitiated reports whether the user placed the call.
func (c Call) UserInitiated() bool { return c.Direction == "USER_INITIATED" }

// Key returns the window key of a user-initiated call.
func (c Call) Key() ww.Key {
	return ww.Key{Business: c.PhoneNumberID, User: ww.UserID(c.From, c.FromUserID)}
}

// Change is a change of a field this package does not decode.
type Change struct {
	WABAID string          // entry[].id
	Field  string          // changes[].field
	Value  json.RawMessage // changes[].value, as received
}
