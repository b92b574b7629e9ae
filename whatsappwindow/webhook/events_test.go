package webhook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
	ww "github.com/slakit/slakit/whatsappwindow"
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

// TestRoadsAgree feeds the same deliveries (redeliveries among them) to a window directly, as a host of this package does, and to
// the SLA engine through Message.Event: both roads must key the user the
// same way, count a redelivered message once, and end with the same
// window.
func TestRoadsAgree(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	msg := func(id string, d time.Duration, from, bsuid string) webhook.Message {
		return webhook.Message{Source: webhook.Source{PhoneNumberID: "1029384756"}, ID: id, At: at.Add(d),
			From: from, FromUserID: bsuid, Type: "text", Text: "oi"}
	}
	tests := []struct {
		name        string
		from, bsuid string
	}{
		{"phone number", "5511987654321", ""},
		{"phone number and bsuid", "5511987654321", "BR.42"},
		{"bsuid only", "", "BR.42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The engine takes a ticket's events in time order: a redelivery
			// comes right after the original here.
			deliveries := []webhook.Message{
				msg("wamid.1", 0, tt.from, tt.bsuid),
				msg("wamid.1", 0, tt.from, tt.bsuid), // redelivered
				msg("wamid.2", 3*time.Hour, tt.from, tt.bsuid),
				msg("wamid.2", 3*time.Hour, tt.from, tt.bsuid),  // redelivered
				msg("wamid.3", 26*time.Hour, tt.from, tt.bsuid), // reopens after expiry
				msg("wamid.3", 26*time.Hour, tt.from, tt.bsuid), // redelivered
			}
			tr, err := ww.New(ww.DefaultConfig())
			require.NoError(t, err)
			eng, err := sla.NewEngine(sla.Config{WhatsApp: tr, Policies: []sla.Policy{{Name: "wa",
				Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.FirstResponse: time.Hour}}}}})
			require.NoError(t, err)

			var direct ww.Window
			var st sla.State
			var changes []bool
			for i, m := range deliveries {
				changed, err := tr.Observe(&direct, m.Observation(), time.Time{})
				require.NoError(t, err)
				changes = append(changes, changed)
				ev, ok := m.Event("T1", i == 0)
				require.True(t, ok)
				st, err = eng.Apply(st, ev)
				require.NoError(t, err)
			}
			assert.Equal(t, []bool{true, false, true, false, true, false}, changes,
				"Observe(delivery) changed the window")

			b, err := json.Marshal(st)
			require.NoError(t, err)
			var viaEngine struct {
				Window ww.Window `json:"whatsapp"`
			}
			require.NoError(t, json.Unmarshal(b, &viaEngine))
			engine := viaEngine.Window
			assert.Equal(t, direct.Key.User, engine.Key.User, "the user side of the key")
			assert.Equal(t, direct.Seen, engine.Seen, "the message ids counted")
			assert.Equal(t, direct.LastUserMessageID, engine.LastUserMessageID)
			assert.WithinDuration(t, direct.ClosesAt(), engine.ClosesAt(), 0)
			assert.Equal(t, at.Add(50*time.Hour).Format(time.RFC3339), engine.ClosesAt().Format(time.RFC3339))
			view := eng.Evaluate(st, at.Add(27*time.Hour))
			require.NotNil(t, view.WhatsApp)
			assert.Equal(t, tr.Verdict(direct, at.Add(27*time.Hour)), view.WhatsApp.Verdict)
		})
	}
}
