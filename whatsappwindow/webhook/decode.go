package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// objectWhatsApp is the object of every WhatsApp Business webhook.
const objectWhatsApp = "whatsapp_business_account"

// Causes inside a [DecodeError].
var (
	errMissing      = errors.New("missing")
	errMissingValue = errors.New("missing value")
)

// Decode parses a Cloud API webhook body (object whatsapp_business_account)
// into a [Batch]. Unknown fields are ignored, so newer payloads decode.
// Changes of fields other than messages and calls are kept raw in
// [Batch.Other].
//
// A body that is not JSON or not a WhatsApp payload returns a nil Batch
// and an error wrapping [ErrMalformed] or [ErrNotWhatsApp]. A malformed
// item (a message, status or call without id or with a bad timestamp, a
// change value of the wrong shape) is skipped: Decode returns every
// well-formed item and an [ErrorList] naming each skipped one, so one bad
// item never loses a batch of a thousand.
//
// Decode does not check the signature: call [Verify] on the same bytes
// first.
func Decode(body []byte) (*Batch, error) {
	var p wirePayload
	if err := json.Unmarshal(body, &p); err != nil {
		path, cause := describe(err)
		return nil, &DecodeError{Path: path, Err: cause}
	}
	if p.Object != objectWhatsApp {
		return nil, fmt.Errorf("%w: object %q", ErrNotWhatsApp, clip(p.Object))
	}
	d := decoder{b: new(Batch)}
	for i := range p.Entry {
		e := &p.Entry[i]
		for j := range e.Changes {
			c := &e.Changes[j]
			switch c.Field {
			case "messages", "calls":
				d.change(i, j, e.ID, c)
			default:
				d.b.Other = append(d.b.Other, Change{WABAID: e.ID, Field: c.Field, Value: c.Value})
			}
		}
	}
	return d.b, d.errs.Err()
}

// decoder accumulates a Batch and the errors of skipped items.
type decoder struct {
	b    *Batch
	errs ErrorList
}

func (d *decoder) fail(i, j int, rest string, err error) {
	path := fmt.Sprintf("entry[%d].changes[%d].value", i, j)
	if rest != "" {
		path += "." + rest
	}
	d.errs = append(d.errs, &DecodeError{Path: path, Err: err})
}

func (d *decoder) change(i, j int, waba string, c *wireChange) {
	if len(c.Value) == 0 || string(c.Value) == "null" {
		d.errs = append(d.errs, &DecodeError{Path: fmt.Sprintf("entry[%d].changes[%d].value", i, j), Err: errMissingValue})
		return
	}
	var v wireValue
	if err := json.Unmarshal(c.Value, &v); err != nil {
		path, cause := describe(err)
		d.fail(i, j, path, cause)
		return
	}
	src := Source{WABAID: waba, PhoneNumberID: v.Metadata.PhoneNumberID, DisplayPhoneNumber: v.Metadata.DisplayPhoneNumber}
	if src.PhoneNumberID == "" && (len(v.Messages) > 0 || len(v.Statuses) > 0 || len(v.Calls) > 0) {
		d.fail(i, j, "metadata.phone_number_id", errMissing)
		return
	}
	for _, e := range v.Errors {
		d.b.Errors = append(d.b.Errors, e.apiError())
	}
	for k := range v.Messages {
		if m, rest, err := v.Messages[k].decode(src, v.Contacts); err != nil {
			d.fail(i, j, fmt.Sprintf("messages[%d].%s", k, rest), err)
		} else {
			d.b.Messages = append(d.b.Messages, m)
		}
	}
	for k := range v.Statuses {
		if s, rest, err := v.Statuses[k].decode(src); err != nil {
			d.fail(i, j, fmt.Sprintf("statuses[%d].%s", k, rest), err)
		} else {
			d.b.Statuses = append(d.b.Statuses, s)
		}
	}
	for k := range v.Calls {
		if cl, rest, err := v.Calls[k].decode(src); err != nil {
			d.fail(i, j, fmt.Sprintf("calls[%d].%s", k, rest), err)
		} else {
			d.b.Calls = append(d.b.Calls, cl)
		}
	}
}

// describe turns a JSON type error into its path and a short cause, such
// as "entry" and "got a JSON object"; other errors are returned as they are.
func describe(err error) (path string, cause error) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field, fmt.Errorf("got a JSON %s", te.Value)
	}
	return "", err
}

// The wire format, as documented by Meta. Only what this package reads is
// declared; encoding/json skips the rest.

type wirePayload struct {
	Object string      `json:"object"`
	Entry  []wireEntry `json:"entry"`
}

type wireEntry struct {
	ID      string       `json:"id"`
	Changes []wireChange `json:"changes"`
}

type wireChange struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

type wireValue struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []wireContact `json:"contacts"`
	Messages []wireMessage `json:"messages"`
	Statuses []wireStatus  `json:"statuses"`
	Calls    []wireCall    `json:"calls"`
	Errors   []wireError   `json:"errors"`
}

type wireContact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID   string `json:"wa_id"`
	UserID string `json:"user_id"`
}

type wireMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type wireMessage struct {
	From       string `json:"from"`
	FromUserID string `json:"from_user_id"`
	ID         string `json:"id"`
	Timestamp  stamp  `json:"timestamp"`
	Type       string `json:"type"`
	Text       *struct {
		Body string `json:"body"`
	} `json:"text"`
	Image    *wireMedia `json:"image"`
	Video    *wireMedia `json:"video"`
	Audio    *wireMedia `json:"audio"`
	Document *wireMedia `json:"document"`
	Sticker  *wireMedia `json:"sticker"`
	Location *struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"location"`
	Button *struct {
		Text    string `json:"text"`
		Payload string `json:"payload"`
	} `json:"button"`
	Interactive *struct {
		Type        string `json:"type"`
		ButtonReply *struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"button_reply"`
		ListReply *struct {
			ID          string `json:"id"`
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"list_reply"`
		NfmReply *struct {
			Name string `json:"name"`
			Body string `json:"body"`
		} `json:"nfm_reply"`
	} `json:"interactive"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	Order *struct {
		Text string `json:"text"`
	} `json:"order"`
	System *struct {
		Body string `json:"body"`
	} `json:"system"`
	Context *struct {
		From      string `json:"from"`
		ID        string `json:"id"`
		Forwarded bool   `json:"forwarded"`
	} `json:"context"`
	Referral *struct {
		SourceURL  string `json:"source_url"`
		SourceID   string `json:"source_id"`
		SourceType string `json:"source_type"`
		Headline   string `json:"headline"`
		Body       string `json:"body"`
		MediaType  string `json:"media_type"`
		CTWAClID   string `json:"ctwa_clid"`
	} `json:"referral"`
	Errors []wireError `json:"errors"`
}

type wireStatus struct {
	ID                    string `json:"id"`
	Status                string `json:"status"`
	Timestamp             stamp  `json:"timestamp"`
	RecipientID           string `json:"recipient_id"`
	RecipientUserID       string `json:"recipient_user_id"`
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data"`
	Conversation          *struct {
		ID                  string `json:"id"`
		ExpirationTimestamp stamp  `json:"expiration_timestamp"`
		Origin              struct {
			Type string `json:"type"`
		} `json:"origin"`
	} `json:"conversation"`
	Pricing *struct {
		Billable     *bool  `json:"billable"`
		PricingModel string `json:"pricing_model"`
		Type         string `json:"type"`
		Category     string `json:"category"`
	} `json:"pricing"`
	Errors []wireError `json:"errors"`
}

type wireCall struct {
	ID         string `json:"id"`
	From       string `json:"from"`
	FromUserID string `json:"from_user_id"`
	To         string `json:"to"`
	Event      string `json:"event"`
	Direction  string `json:"direction"`
	Status     string `json:"status"`
	Timestamp  stamp  `json:"timestamp"`
}

type wireError struct {
	Code      lenientInt `json:"code"`
	Title     string     `json:"title"`
	Message   string     `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
	Href string `json:"href"`
}

func (e *wireError) apiError() APIError {
	return APIError{Code: int(e.Code), Title: e.Title, Message: e.Message, Details: e.ErrorData.Details, Href: e.Href}
}

func apiErrors(ws []wireError) []APIError {
	if len(ws) == 0 {
		return nil
	}
	out := make([]APIError, len(ws))
	for i := range ws {
		out[i] = ws[i].apiError()
	}
	return out
}

func (w *wireMedia) media() *Media {
	return &Media{ID: w.ID, MimeType: w.MimeType, SHA256: w.SHA256, Caption: w.Caption, Filename: w.Filename}
}

// decode converts a wire message; on error rest names the bad field.
func (w *wireMessage) decode(src Source, contacts []wireContact) (m Message, rest string, err error) {
	switch {
	case w.ID == "":
		return m, "id", errMissing
	case w.From == "" && w.FromUserID == "":
		return m, "from", errMissing
	case w.Type == "":
		return m, "type", errMissing
	}
	at, err := w.Timestamp.time()
	if err != nil {
		return m, "timestamp", err
	}
	m = Message{Source: src, ID: w.ID, At: at, From: w.From, FromUserID: w.FromUserID, Type: w.Type,
		Errors: apiErrors(w.Errors)}
	for k := range contacts {
		c := &contacts[k]
		if (c.WaID != "" && c.WaID == w.From) || (c.UserID != "" && c.UserID == w.FromUserID) {
			m.ProfileName = c.Profile.Name
			break
		}
	}
	if c := w.Context; c != nil {
		m.Context = &Context{From: c.From, ID: c.ID, Forwarded: c.Forwarded}
	}
	if r := w.Referral; r != nil {
		m.Referral = &Referral{SourceURL: r.SourceURL, SourceID: r.SourceID, SourceType: r.SourceType,
			Headline: r.Headline, Body: r.Body, MediaType: r.MediaType, CTWAClID: r.CTWAClID}
	}
	for _, md := range [...]*wireMedia{w.Image, w.Video, w.Audio, w.Document, w.Sticker} {
		if md != nil {
			m.Media = md.media()
			m.Text = md.Caption
			break
		}
	}
	switch {
	case w.Text != nil:
		m.Text = w.Text.Body
	case w.Button != nil:
		m.Text = w.Button.Text
		m.Reply = &Reply{Type: "button", ID: w.Button.Payload, Title: w.Button.Text}
	case w.Interactive != nil:
		in := w.Interactive
		switch {
		case in.ButtonReply != nil:
			m.Reply = &Reply{Type: in.Type, ID: in.ButtonReply.ID, Title: in.ButtonReply.Title}
		case in.ListReply != nil:
			m.Reply = &Reply{Type: in.Type, ID: in.ListReply.ID, Title: in.ListReply.Title, Description: in.ListReply.Description}
		case in.NfmReply != nil:
			m.Reply = &Reply{Type: in.Type, Title: in.NfmReply.Name}
			m.Text = in.NfmReply.Body
		}
		if m.Reply != nil && m.Text == "" {
			m.Text = m.Reply.Title
		}
	case w.Reaction != nil:
		m.Reaction = &Reaction{MessageID: w.Reaction.MessageID, Emoji: w.Reaction.Emoji}
		m.Text = w.Reaction.Emoji
	case w.Location != nil:
		m.Text = w.Location.Name
		if w.Location.Address != "" {
			if m.Text != "" {
				m.Text += ", "
			}
			m.Text += w.Location.Address
		}
	case w.Order != nil:
		m.Text = w.Order.Text
	case w.System != nil:
		m.Text = w.System.Body
	}
	return m, "", nil
}

// decode converts a wire status; on error rest names the bad field.
func (w *wireStatus) decode(src Source) (s Status, rest string, err error) {
	switch {
	case w.ID == "":
		return s, "id", errMissing
	case w.Status == "":
		return s, "status", errMissing
	case w.RecipientID == "" && w.RecipientUserID == "":
		return s, "recipient_id", errMissing
	}
	at, err := w.Timestamp.time()
	if err != nil {
		return s, "timestamp", err
	}
	s = Status{Source: src, ID: w.ID, Status: w.Status, At: at, RecipientID: w.RecipientID,
		RecipientUserID: w.RecipientUserID, BizOpaqueCallbackData: w.BizOpaqueCallbackData, Errors: apiErrors(w.Errors)}
	if c := w.Conversation; c != nil {
		s.Conversation = &Conversation{ID: c.ID, Origin: c.Origin.Type}
		if c.ExpirationTimestamp.set {
			if s.Conversation.Expires, err = c.ExpirationTimestamp.time(); err != nil {
				return Status{}, "conversation.expiration_timestamp", err
			}
		}
	}
	if p := w.Pricing; p != nil {
		s.Pricing = &Pricing{Billable: p.Billable, Model: p.PricingModel, Type: p.Type, Category: p.Category}
	}
	return s, "", nil
}

// decode converts a wire call; on error rest names the bad field.
func (w *wireCall) decode(src Source) (c Call, rest string, err error) {
	switch {
	case w.ID == "":
		return c, "id", errMissing
	case w.From == "" && w.FromUserID == "":
		return c, "from", errMissing
	}
	at, err := w.Timestamp.time()
	if err != nil {
		return c, "timestamp", err
	}
	return Call{Source: src, ID: w.ID, At: at, From: w.From, To: w.To, FromUserID: w.FromUserID,
		Event: w.Event, Direction: w.Direction, Status: w.Status}, "", nil
}

// maxEpoch bounds accepted timestamps (year 5138), far from overflow.
const maxEpoch = 1e11

// stamp is an epoch-seconds timestamp as Meta sends it: a JSON string of
// digits (or, leniently, a JSON integer). Its UnmarshalJSON never fails, so
// one bad timestamp skips one item instead of the whole payload.
type stamp struct {
	sec int64
	set bool
	bad string // the offending text, when it is not epoch seconds
}

// UnmarshalJSON records b; null leaves the stamp unset.
func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s.set = true
	digits := b
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' {
		digits = b[1 : n-1]
	}
	var sec int64
	for _, c := range digits {
		if c < '0' || c > '9' || sec >= maxEpoch {
			sec = -1
			break
		}
		sec = sec*10 + int64(c-'0')
	}
	if sec <= 0 || sec >= maxEpoch {
		s.bad = clip(string(b))
		return nil
	}
	s.sec = sec
	return nil
}

// time returns the instant in UTC, or why there is none.
func (s stamp) time() (time.Time, error) {
	switch {
	case !s.set:
		return time.Time{}, errMissing
	case s.bad != "":
		return time.Time{}, fmt.Errorf("%s is not a positive count of epoch seconds", s.bad)
	}
	return time.Unix(s.sec, 0).UTC(), nil
}

// lenientInt is an integer sent as a JSON number or string; anything else
// reads as 0.
type lenientInt int

// UnmarshalJSON parses b, never failing.
func (n *lenientInt) UnmarshalJSON(b []byte) error {
	if k := len(b); k >= 2 && b[0] == '"' && b[k-1] == '"' {
		b = b[1 : k-1]
	}
	var v int
	for _, c := range b {
		if c < '0' || c > '9' || v > 1e9 {
			*n = 0
			return nil
		}
		v = v*10 + int(c-'0')
	}
	*n = lenientInt(v)
	return nil
}
