package zendesk_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/zendesk"
)

func Example() {
	const page = `{
  "audits": [
    {"id": 2, "ticket_id": 7, "created_at": "2026-03-02T12:10:00Z", "author_id": 80,
     "events": [{"type": "Comment", "author_id": 80, "body": "On it!", "public": true},
                {"type": "Change", "field_name": "status", "value": "hold", "previous_value": "new"}]},
    {"id": 1, "ticket_id": 7, "created_at": "2026-03-02T12:00:00Z", "author_id": 90, "via": {"channel": "whatsapp"},
     "events": [{"type": "Create", "field_name": "status", "value": "new"},
                {"type": "Create", "field_name": "priority", "value": "high"},
                {"type": "Comment", "author_id": 90, "body": "My order is late", "public": true}]},
    {"id": 3, "ticket_id": 7, "created_at": "soon", "events": []}
  ],
  "users": [{"id": 80, "name": "Bruno", "role": "agent"}, {"id": 90, "name": "Ana", "role": "end-user"}],
  "next_page": null
}`
	r := &zendesk.Reader{}
	for ev, err := range r.Events(importer.Input{Name: "audits.json", R: strings.NewReader(page)}) {
		if err != nil {
			fmt.Println("problem:", err)
			continue
		}
		line, _ := json.Marshal(ev)
		fmt.Println(string(line))
	}
	// Output:
	// problem: audits.json:10: audits[2]: ticket "7": malformed: instant "soon": want RFC 3339 such as 2026-03-02T09:05:00Z; skipped
	// {"ticket":"7","at":"2026-03-02T12:00:00Z","type":"created","channel":"whatsapp","priority":"high","status":"new","customer":{"id":"90"},"text":"My order is late"}
	// {"ticket":"7","at":"2026-03-02T12:10:00Z","type":"message","author":"agent","text":"On it!"}
	// {"ticket":"7","at":"2026-03-02T12:10:00Z","type":"status","status":"on_hold"}
}
