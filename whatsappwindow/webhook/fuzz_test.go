package webhook_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/slakit/slakit/whatsappwindow/webhook"
)

// FuzzDecode checks that no input makes Decode panic, and that its result
// is consistent: a batch or a fatal error, and observations that carry a
// key and an instant.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "whatsapp", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":null}]}]}`,
		`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},` +
			`"messages":[{"from":"1","id":"m","timestamp":"99999999999","type":"text"}],"statuses":[{"id":"s","status":"failed",` +
			`"recipient_id":"1","timestamp":1,"errors":[{"code":"131047"}]}]}}]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if e, err := webhook.DecodeSendError(body); err == nil && e.Code == 0 {
			t.Fatalf("DecodeSendError(%q) accepted an error without a code", body)
		}
		b, err := webhook.Decode(body)
		if b == nil {
			if err == nil {
				t.Fatalf("Decode(%q) = nil, nil", body)
			}
			if !errors.Is(err, webhook.ErrMalformed) && !errors.Is(err, webhook.ErrNotWhatsApp) {
				t.Fatalf("Decode(%q) error %v matches no sentinel", body, err)
			}
			return
		}
		if err != nil && !errors.Is(err, webhook.ErrMalformed) {
			t.Fatalf("Decode(%q) item error %v is not ErrMalformed", body, err)
		}
		for _, o := range b.Observations() {
			if o.At.IsZero() || o.Key.Business == "" || o.Key.User == "" || o.MessageID == "" {
				t.Fatalf("Decode(%q) observation %+v lacks a key, id or instant", body, o)
			}
		}
	})
}

// FuzzVerify checks that no input makes Verify panic, that every refusal
// matches a sentinel, and that what Sign produces always verifies.
func FuzzVerify(f *testing.F) {
	for _, c := range verifyCases(f) {
		f.Add(c.body, c.header, c.secret)
	}
	sentinels := []error{webhook.ErrNoAppSecret, webhook.ErrNoSignature, webhook.ErrSignaturePrefix,
		webhook.ErrSignatureHex, webhook.ErrSignatureMismatch}
	f.Fuzz(func(t *testing.T, body []byte, header string, secret []byte) {
		if err := webhook.Verify(body, header, secret); err != nil {
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("Verify(%q, %q) error %v matches no sentinel", body, header, err)
			}
		}
		if len(secret) == 0 {
			return
		}
		if err := webhook.Verify(body, webhook.Sign(body, secret), secret); err != nil {
			t.Fatalf("Verify(%q, Sign(...)) = %v, want nil", body, err)
		}
	})
}
