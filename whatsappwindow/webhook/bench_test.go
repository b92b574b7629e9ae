package webhook_test

import (
	"testing"

	"github.com/slakit/slakit/whatsappwindow/webhook"
)

func BenchmarkVerify(b *testing.B) {
	body := readPayload(b, "text.json")
	header := webhook.Sign(body, appSecret)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := webhook.Verify(body, header, appSecret); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, file string) {
	body := readPayload(b, file)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := webhook.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures a typical delivery: one text message with its
// contact.
func BenchmarkDecode(b *testing.B) { benchDecode(b, "text.json") }

// BenchmarkDecodeStatus measures one status with pricing and conversation.
func BenchmarkDecodeStatus(b *testing.B) { benchDecode(b, "status_free_entry_point.json") }

// BenchmarkDecodeBatch measures two entries, four changes, messages,
// statuses and a call.
func BenchmarkDecodeBatch(b *testing.B) { benchDecode(b, "batch.json") }

func BenchmarkObservations(b *testing.B) {
	batch, err := webhook.Decode(readPayload(b, "batch.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = batch.Observations()
	}
}
