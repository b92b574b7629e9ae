package zendesk_test

import (
	"strings"
	"testing"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/streamcheck"
	"github.com/slakit/slakit/importer/zendesk"
)

// FuzzEvents: no page makes the reader panic, hang or break the stream
// rules (see streamcheck.Collect), and a page that yields nothing at all
// is reported: an input is never dropped silently.
func FuzzEvents(f *testing.F) {
	streamcheck.Seeds(f, dir, fixtures...)
	f.Add(`{"audits": [{"id": 1, "ticket_id": 5, "created_at": 1772794800, "events": [{"type": "Create", "field_name": "tags", "value": "a b"}]}]}`)
	f.Add(`{"ticket_events": [{"ticket_id": "5", "timestamp": 1e10, "child_events": [{"event_type": "Comment", "body": 3}]}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		r := &zendesk.Reader{}
		evs, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "f.json", R: strings.NewReader(doc)}))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 && len(probs) == 0 && strings.TrimSpace(doc) != "" && !strings.Contains(doc, `"audits"`) &&
			!strings.Contains(doc, `"ticket_events"`) && !strings.Contains(doc, `"users"`) && !strings.Contains(doc, `"groups"`) {
			t.Fatalf("nothing read and nothing reported from %q", doc)
		}
	})
}
