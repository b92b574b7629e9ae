package webhook_test

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
	"github.com/slakit/slakit/whatsappwindow/webhook"
)

const examplePayload = `{
  "object": "whatsapp_business_account",
  "entry": [{
    "id": "102290129340398",
    "changes": [{
      "field": "messages",
      "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Ana Souza"}, "wa_id": "5511987654321"}],
        "messages": [{
          "from": "5511987654321", "id": "wamid.in1", "timestamp": "1772442000",
          "type": "text", "text": {"body": "Meu pedido não chegou"}
        }],
        "statuses": [{
          "id": "wamid.out0", "status": "failed", "timestamp": "1772441000", "recipient_id": "5511987654321",
          "errors": [{"code": 131047, "title": "Re-engagement message"}]
        }]
      }
    }]
  }]
}`

func ExampleVerify() {
	secret := []byte("app-secret")
	body := []byte(examplePayload)
	header := webhook.Sign(body, secret) // what Meta sends in X-Hub-Signature-256

	fmt.Println(webhook.Verify(body, header, secret))
	fmt.Println(webhook.Verify(body, "", secret))
	fmt.Println(webhook.Verify(body, header[len("sha256="):], secret))
	fmt.Println(webhook.Verify(body, "sha256=12ab", secret))
	err := webhook.Verify(body, header, []byte("wrong-secret"))
	fmt.Println(err, errors.Is(err, webhook.ErrSignatureMismatch))
	// Output:
	// <nil>
	// webhook: missing X-Hub-Signature-256 header
	// webhook: signature header does not start with sha256=: "800161f73cd90ec5..."
	// webhook: signature is not 64 hex digits: 4 characters
	// webhook: signature does not match the body true
}

func ExampleDecode() {
	b, err := webhook.Decode([]byte(examplePayload))
	if err != nil {
		panic(err)
	}
	for _, m := range b.Messages {
		fmt.Printf("%s %s (%s) wrote %q at %s\n", m.ID, m.ProfileName, m.From, m.Text, m.At.Format(time.RFC3339))
	}
	for _, s := range b.Statuses {
		fmt.Printf("%s %s, rejected: %v\n", s.ID, s.Status, s.Rejected())
	}

	tr, _ := whatsappwindow.New(whatsappwindow.DefaultConfig())
	var w whatsappwindow.Window
	received := time.Date(2026, 3, 2, 9, 0, 2, 0, time.UTC)
	for _, o := range b.Observations() {
		if _, err := tr.Observe(&w, o, received); err != nil {
			panic(err)
		}
	}
	v := tr.Verdict(w, received)
	fmt.Println(v.State, "until", v.ClosesAt.Format(time.RFC3339))
	// Output:
	// wamid.in1 Ana Souza (5511987654321) wrote "Meu pedido não chegou" at 2026-03-02T09:00:00Z
	// wamid.out0 failed, rejected: true
	// open until 2026-03-03T09:00:00Z
}

func ExampleDecode_malformed() {
	body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	  "metadata":{"phone_number_id":"106540352242922"},
	  "messages":[{"from":"5511987654321","id":"wamid.a","timestamp":"yesterday","type":"text"},
	              {"from":"5511987654321","id":"wamid.b","timestamp":"1772442000","type":"text"}]}}]}]}`
	b, err := webhook.Decode([]byte(body))
	fmt.Println(err)
	fmt.Println(errors.Is(err, webhook.ErrMalformed), "kept:", len(b.Messages), b.Messages[0].ID)

	_, err = webhook.Decode([]byte(`{"object":"page","entry":[]}`))
	fmt.Println(err)
	// Output:
	// webhook: entry[0].changes[0].value.messages[0].timestamp: "yesterday" is not a positive count of epoch seconds
	// true kept: 1 wamid.b
	// webhook: not a whatsapp_business_account payload: object "page"
}

func ExampleHandshake() {
	// GET /webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=s3cret
	q, _ := url.ParseQuery("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=s3cret")
	challenge, err := webhook.Handshake(q, "s3cret")
	fmt.Printf("200 %q %v\n", challenge, err)

	q.Set("hub.verify_token", "guess")
	_, err = webhook.Handshake(q, "s3cret")
	fmt.Println("403", err)
	// Output:
	// 200 "1158201444" <nil>
	// 403 webhook: hub.verify_token does not match
}
