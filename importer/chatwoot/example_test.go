package chatwoot_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/chatwoot"
)

func Example() {
	const conversation = `{"id": 45, "inbox_id": 3, "status": "resolved", "created_at": 1772452800,
  "meta": {"channel": "Channel::Whatsapp", "sender": {"id": 12, "name": "Rafael"}},
  "messages": [
    {"id": 1, "conversation_id": 45, "message_type": 0, "content": "Fui cobrado duas vezes", "created_at": 1772452800, "private": false, "sender_type": "Contact"},
    {"id": 2, "conversation_id": 45, "message_type": 1, "content": "Vou verificar!", "created_at": 1772453040, "private": false, "sender_type": "User"},
    {"id": 3, "conversation_id": 45, "message_type": 2, "content": "Conversation was snoozed by Bruno", "created_at": 1772453100},
    {"id": 4, "conversation_id": 45, "message_type": 0, "content": "Alguma novidade?", "created_at": 1772460000, "sender_type": "Contact"},
    {"id": 5, "conversation_id": 45, "message_type": 2, "content": "Conversation was marked resolved by Bruno", "created_at": 1772463600}
  ]}`
	r := &chatwoot.Reader{}
	for ev, err := range r.Events(importer.Input{Name: "conversation-45.json", R: strings.NewReader(conversation)}) {
		if err != nil {
			fmt.Println("problem:", err)
			continue
		}
		line, _ := json.Marshal(ev)
		fmt.Println(string(line))
	}
	// Output:
	// {"ticket":"45","at":"2026-03-02T12:00:00Z","type":"created","channel":"whatsapp","status":"open","customer":{"id":"12"},"text":"Fui cobrado duas vezes"}
	// {"ticket":"45","at":"2026-03-02T12:04:00Z","type":"message","author":"agent","text":"Vou verificar!"}
	// {"ticket":"45","at":"2026-03-02T12:05:00Z","type":"status","status":"pending"}
	// {"ticket":"45","at":"2026-03-02T14:00:00Z","type":"message","author":"customer","text":"Alguma novidade?"}
	// {"ticket":"45","at":"2026-03-02T15:00:00Z","type":"status","status":"solved"}
}
