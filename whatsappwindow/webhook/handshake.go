package webhook

import (
	"crypto/subtle"
	"net/url"
)

// Handshake answers Meta's endpoint verification, the GET request sent when
// a webhook URL is registered. query is the request's query string; token
// is the verify token configured in the app dashboard.
//
// It returns the hub.challenge value, which the host writes back as a
// plain-text 200 response. On error the host answers 403. The error wraps
// [ErrHandshakeMode], [ErrHandshakeToken] or [ErrHandshakeChallenge]. The
// token is compared in constant time; an empty configured token never
// matches.
func Handshake(query url.Values, token string) (challenge string, err error) {
	if mode := query.Get("hub.mode"); mode != "subscribe" {
		return "", ErrHandshakeMode
	}
	got := query.Get("hub.verify_token")
	if token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return "", ErrHandshakeToken
	}
	challenge = query.Get("hub.challenge")
	if challenge == "" {
		return "", ErrHandshakeChallenge
	}
	return challenge, nil
}
