package webhook

import (
	"errors"
	"strings"
)

// Errors returned by this package. They can be tested with [errors.Is];
// returned errors wrap them with the detail.
var (
	// ErrNoSignature reports a request without an X-Hub-Signature-256 header.
	ErrNoSignature = errors.New("webhook: missing X-Hub-Signature-256 header")
	// ErrSignaturePrefix reports a signature header that does not start
	// with "sha256=".
	ErrSignaturePrefix = errors.New("webhook: signature header does not start with sha256=")
	// ErrSignatureHex reports a signature that is not 64 hexadecimal digits.
	ErrSignatureHex = errors.New("webhook: signature is not 64 hex digits")
	// ErrSignatureMismatch reports a well-formed signature that does not
	// match the body: the body was altered, or the app secret is wrong.
	ErrSignatureMismatch = errors.New("webhook: signature does not match the body")
	// ErrNoAppSecret reports an empty app secret passed to [Verify].
	ErrNoAppSecret = errors.New("webhook: no app secret")

	// ErrHandshakeMode reports a verification request whose hub.mode is not
	// "subscribe".
	ErrHandshakeMode = errors.New("webhook: hub.mode is not subscribe")
	// ErrHandshakeToken reports a verification request whose
	// hub.verify_token does not match (or no token configured).
	ErrHandshakeToken = errors.New("webhook: hub.verify_token does not match")
	// ErrHandshakeChallenge reports a verification request without a
	// hub.challenge.
	ErrHandshakeChallenge = errors.New("webhook: missing hub.challenge")

	// ErrMalformed reports a payload, or an item in it, that cannot be
	// decoded: invalid JSON, a missing id, a bad timestamp.
	ErrMalformed = errors.New("webhook: malformed payload")
	// ErrNotWhatsApp reports a payload whose object is not
	// "whatsapp_business_account".
	ErrNotWhatsApp = errors.New("webhook: not a whatsapp_business_account payload")
)

// DecodeError is a malformed part of a payload. Path locates it in the
// JSON, such as "entry[0].changes[1].value.messages[2].timestamp". It
// matches [ErrMalformed] and its cause with [errors.Is].
type DecodeError struct {
	Path string // JSON path of the bad part; empty for the whole body
	Err  error  // the cause
}

// Error returns "webhook: path: cause".
func (e *DecodeError) Error() string {
	if e.Path == "" {
		return "webhook: " + e.Err.Error()
	}
	return "webhook: " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns ErrMalformed and the cause.
func (e *DecodeError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// ErrorList is the list of malformed items [Decode] skipped. It matches
// [ErrMalformed] with [errors.Is] when it is not empty.
type ErrorList []*DecodeError

// Error returns the errors, one per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns nil for an empty list, otherwise the list.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
