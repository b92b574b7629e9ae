package webhook_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow/webhook"
)

func TestEvents(t *testing.T) {
	tests := []struct {
		file   string
		create bool
		want   []sla.EventType
	}{
		{"text.json", true, []sla.EventType{sla.EventCreated}},
		{"text.json", false, []sla.EventType{sla.EventMessage}},
		{"image.json", false, []sla.EventType{sla.EventMessage}},
		{"interactive_reply.json", false, []sla.EventType{sla.EventMessage, sla.EventMessage}}, // a button reply and a list reply
		{"button_template_reply.json", false, []sla.EventType{sla.EventMessage}},
		{"reaction.json", false, nil},
		{"unsupported_and_system.json", false, []sla.EventType{sla.EventMessage}},
		{"referral_ctwa.json", true, []sla.EventType{sla.EventCreated}},
		{"status_failed_131047.json", false, []sla.EventType{sla.EventWindowRejected}},
		{"status_delivered.json", false, nil},
		{"status_read.json", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := webhook.Decode(readPayload(t, tt.file))
			require.NoError(t, err)
			var got []sla.EventType
			for _, m := range b.Messages {
				if ev, ok := m.Event("T1", tt.create); ok {
					got = append(got, ev.Type)
					assert.Equal(t, m.At, ev.At)
					assert.Equal(t, m.ID, ev.MessageID)
					assert.Equal(t, m.Referral != nil, ev.Referral)
					if tt.create {
						assert.Equal(t, sla.WhatsAppChannel, ev.Channel)
						require.NotNil(t, ev.Customer)
						assert.NotEmpty(t, ev.Customer.ID)
					}
				}
			}
			for _, s := range b.Statuses {
				if ev, ok := s.Event("T1"); ok {
					got = append(got, ev.Type)
					assert.Equal(t, s.At, ev.At)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
