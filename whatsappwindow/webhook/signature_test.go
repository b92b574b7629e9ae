package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/whatsappwindow/webhook"
)

var appSecret = []byte("8d2f1c7e0b9a4d3c6e5f4a3b2c1d0e9f")

// reference computes the signature independently of Sign.
func reference(body, secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

type verifyCase struct {
	name   string
	body   []byte
	header string
	secret []byte
	want   error
}

func verifyCases(t testing.TB) []verifyCase {
	body := readPayload(t, "text.json")
	good := reference(body, appSecret)
	flipped := []byte(good)
	if flipped[len(flipped)-1] == '0' {
		flipped[len(flipped)-1] = '1'
	} else {
		flipped[len(flipped)-1] = '0'
	}
	return []verifyCase{
		{"valid", body, good, appSecret, nil},
		{"valid upper-case hex", body, "sha256=" + strings.ToUpper(good[len("sha256="):]), appSecret, nil},
		{"valid empty body", nil, reference(nil, appSecret), appSecret, nil},
		{"missing header", body, "", appSecret, webhook.ErrNoSignature},
		{"sha1 header instead", body, "sha1=" + strings.Repeat("ab", 20), appSecret, webhook.ErrSignaturePrefix},
		{"no prefix", body, good[len("sha256="):], appSecret, webhook.ErrSignaturePrefix},
		{"prefix in capitals", body, "SHA256=" + good[len("sha256="):], appSecret, webhook.ErrSignaturePrefix},
		{"prefix only", body, "sha256=", appSecret, webhook.ErrSignatureHex},
		{"too short", body, good[:len(good)-2], appSecret, webhook.ErrSignatureHex},
		{"too long", body, good + "00", appSecret, webhook.ErrSignatureHex},
		{"not hex", body, "sha256=" + strings.Repeat("zz", 32), appSecret, webhook.ErrSignatureHex},
		{"one digit off", body, string(flipped), appSecret, webhook.ErrSignatureMismatch},
		{"wrong secret", body, good, []byte("another-secret"), webhook.ErrSignatureMismatch},
		{"body altered", append([]byte(" "), body...), good, appSecret, webhook.ErrSignatureMismatch},
		{"re-encoded body", []byte(strings.Replace(string(body), "Olá", `Ol\u00e1`, 1)), good, appSecret, webhook.ErrSignatureMismatch},
		{"no secret", body, good, nil, webhook.ErrNoAppSecret},
	}
}

func TestVerify(t *testing.T) {
	for _, tc := range verifyCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			err := webhook.Verify(tc.body, tc.header, tc.secret)
			if tc.want == nil {
				assert.NoError(t, err, "Verify(body, %q) = %v, want nil", tc.header, err)
				return
			}
			assert.ErrorIs(t, err, tc.want, "Verify(body, %q) = %v, want %v", tc.header, err, tc.want)
		})
	}
}

func TestVerifyErrorText(t *testing.T) {
	body := []byte(`{}`)
	tests := []struct {
		header string
		want   string
	}{
		{"", "webhook: missing X-Hub-Signature-256 header"},
		{"md5=0123456789abcdef0123", `webhook: signature header does not start with sha256=: "md5=0123456789ab..."`},
		{"sha256=abc", "webhook: signature is not 64 hex digits: 3 characters"},
		{"sha256=" + strings.Repeat("g", 64), "webhook: signature is not 64 hex digits: encoding/hex: invalid byte: U+0067 'g'"},
		{"sha256=" + strings.Repeat("0", 64), "webhook: signature does not match the body"},
	}
	for _, tc := range tests {
		assert.EqualError(t, webhook.Verify(body, tc.header, appSecret), tc.want, "Verify(%q)", tc.header)
	}
	assert.EqualError(t, webhook.Verify(body, "x", nil), "webhook: no app secret")
}

func TestSign(t *testing.T) {
	body := readPayload(t, "batch.json")
	got := webhook.Sign(body, appSecret)
	assert.Equal(t, reference(body, appSecret), got, "Sign(batch.json) = %s, want the reference HMAC", got)
	require.NoError(t, webhook.Verify(body, got, appSecret))
	assert.Len(t, got, len("sha256=")+64)

	// RFC 4231, test case 2.
	const rfc4231 = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	known := webhook.Sign([]byte("what do ya want for nothing?"), []byte("Jefe"))
	assert.Equal(t, rfc4231, known, "Sign(RFC 4231 case 2) = %s, want %s", known, rfc4231)
	assert.NoError(t, webhook.Verify([]byte("what do ya want for nothing?"), rfc4231, []byte("Jefe")))
}

func TestHandshake(t *testing.T) {
	const token = "slakit-verify-7f3a"
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name      string
		query     url.Values
		token     string
		challenge string
		want      error
	}{
		{"valid", q("hub.mode", "subscribe", "hub.verify_token", token, "hub.challenge", "1158201444"), token, "1158201444", nil},
		{"parsed from a raw query", mustQuery(t, "hub.mode=subscribe&hub.challenge=abc%20123&hub.verify_token="+token), token, "abc 123", nil},
		{"wrong mode", q("hub.mode", "unsubscribe", "hub.verify_token", token, "hub.challenge", "1"), token, "", webhook.ErrHandshakeMode},
		{"no mode", q("hub.verify_token", token, "hub.challenge", "1"), token, "", webhook.ErrHandshakeMode},
		{"wrong token", q("hub.mode", "subscribe", "hub.verify_token", "guess", "hub.challenge", "1"), token, "", webhook.ErrHandshakeToken},
		{"token prefix only", q("hub.mode", "subscribe", "hub.verify_token", token[:5], "hub.challenge", "1"), token, "", webhook.ErrHandshakeToken},
		{"no configured token", q("hub.mode", "subscribe", "hub.verify_token", "", "hub.challenge", "1"), "", "", webhook.ErrHandshakeToken},
		{"no challenge", q("hub.mode", "subscribe", "hub.verify_token", token), token, "", webhook.ErrHandshakeChallenge},
		{"empty query", url.Values{}, token, "", webhook.ErrHandshakeMode},
		{"nil query", nil, token, "", webhook.ErrHandshakeMode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := webhook.Handshake(tc.query, tc.token)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want, "Handshake(%v) error = %v, want %v", tc.query, err, tc.want)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.challenge, got, "Handshake(%v) = %q, want %q", tc.query, got, tc.challenge)
		})
	}
}

func mustQuery(t testing.TB, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	require.NoError(t, err)
	return v
}
