package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// SignatureHeader is the HTTP header in which Meta sends the payload's
// signature.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// Verify checks signatureHeader, the value of the X-Hub-Signature-256
// header, against body, the raw request body, signed with appSecret (the
// app secret of the Meta app, not the verify token). Verify before
// decoding, on the bytes as received: re-encoded JSON does not match.
//
// The comparison is in constant time. The error wraps one of
// [ErrNoAppSecret], [ErrNoSignature], [ErrSignaturePrefix],
// [ErrSignatureHex] or [ErrSignatureMismatch].
func Verify(body []byte, signatureHeader string, appSecret []byte) error {
	if len(appSecret) == 0 {
		return ErrNoAppSecret
	}
	if signatureHeader == "" {
		return ErrNoSignature
	}
	digest, ok := strings.CutPrefix(signatureHeader, signaturePrefix)
	if !ok {
		return fmt.Errorf("%w: %q", ErrSignaturePrefix, clip(signatureHeader))
	}
	var got [sha256.Size]byte
	if len(digest) != hex.EncodedLen(sha256.Size) {
		return fmt.Errorf("%w: %d characters", ErrSignatureHex, len(digest))
	}
	if _, err := hex.Decode(got[:], []byte(digest)); err != nil {
		return fmt.Errorf("%w: %v", ErrSignatureHex, err)
	}
	mac := hmac.New(sha256.New, appSecret)
	mac.Write(body)
	var want [sha256.Size]byte
	if !hmac.Equal(mac.Sum(want[:0]), got[:]) {
		return ErrSignatureMismatch
	}
	return nil
}

// Sign returns the X-Hub-Signature-256 header value Meta would send for
// body: "sha256=" and the lower-case hex HMAC-SHA256 of body keyed with
// appSecret. It is meant for tests and for replaying stored payloads.
func Sign(body, appSecret []byte) string {
	mac := hmac.New(sha256.New, appSecret)
	mac.Write(body)
	return signaturePrefix + hex.EncodeToString(mac.Sum(nil))
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 16
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
