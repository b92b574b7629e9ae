package chatwoot_test

import (
	"strings"
	"testing"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/chatwoot"
	"github.com/slakit/slakit/importer/internal/streamcheck"
)

// FuzzEvents: no page makes the reader panic, hang or break the stream
// rules (see streamcheck.Collect); every message record is either in the
// events or reported.
func FuzzEvents(f *testing.F) {
	streamcheck.Seeds(f, dir, fixtures...)
	f.Add(`[{"id": 1, "inbox_id": 1, "created_at": 1e9, "messages": [{"id": 2, "message_type": 2, "created_at": 1e9, "content": "Assigned to  by "}]}]`)
	f.Add(`{"payload": [{"id": 1, "conversation_id": 1, "message_type": "incoming", "created_at": "2026-03-02T12:00:00Z"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		r := &chatwoot.Reader{}
		_, _, err := streamcheck.Collect(r.Events(importer.Input{Name: "f.json", R: strings.NewReader(doc)}))
		if err != nil {
			t.Fatal(err)
		}
	})
}
