package sla_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// waEngine: a WhatsApp policy on the São Paulo business-hours calendar
// (lunch break) with a window-2h level, and an email catch-all.
func waEngine(t testing.TB) *sla.Engine {
	t.Helper()
	l, err := escalation.New("wa", []escalation.Level{{Name: "window", At: trigger(t, "window-2h"),
		Actions: []escalation.Action{act(escalation.MessageCustomer, "still_there")}}})
	require.NoError(t, err)
	return mustEngine(t, sla.Config{
		Policies: []sla.Policy{
			{Name: "whatsapp", When: func(tk *sla.Ticket) (bool, error) { return tk.Channel == sla.WhatsAppChannel, nil },
				Calendar: spCal(t), Targets: stdTargets(), Escalation: "wa"},
			{Name: "email", Calendar: spCal(t), Targets: stdTargets()},
		},
		Ladders:  map[string]*escalation.Ladder{"wa": l},
		WhatsApp: whatsappTracker(t),
	})
}

func TestWhatsAppWindow(t *testing.T) {
	created := ev("2026-03-06T17:00:00-03:00", "created", `"channel":"whatsapp"`, `"priority":"low"`, `"message_id":"wamid.1"`)
	tests := []struct {
		name   string
		events []string
		at     string
		check  func(t *testing.T, v sla.View)
	}{
		{"open right after the message", []string{created}, "2026-03-06T17:30:00-03:00", func(t *testing.T, v sla.View) {
			require.NotNil(t, v.WhatsApp)
			assert.Equal(t, whatsappwindow.Open, v.WhatsApp.Verdict.State)
			assert.Equal(t, "2026-03-07T17:00:00-03:00", rfc(v.WhatsApp.Verdict.ClosesAt))
			assert.True(t, v.WhatsApp.Verdict.FreeForm)
			// low first response: 8 business hours from Friday 17:00 is Monday 16:00, after the window
			require.Equal(t, sla.FirstResponse, v.Clocks[0].Metric)
			assert.Equal(t, "2026-03-09T16:00:00-03:00", rfc(v.Clocks[0].Deadline))
			assert.True(t, v.Clocks[0].AfterWindow, "the reply due Monday will need a template")
		}},
		{"closed exactly 24h later", []string{created}, "2026-03-07T17:00:00-03:00", func(t *testing.T, v sla.View) {
			assert.Equal(t, whatsappwindow.Expired, v.WhatsApp.Verdict.State)
			assert.True(t, v.WhatsApp.Verdict.TemplateRequired)
			assert.True(t, v.WhatsApp.ExpiredBeforeFirstResponse)
			assert.Equal(t, sla.ClockRunning, v.Clocks[0].State, "the window expiring is not an SLA breach")
		}},
		{"one nanosecond before", []string{created}, "2026-03-07T16:59:59.999999999-03:00", func(t *testing.T, v sla.View) {
			assert.Equal(t, whatsappwindow.ClosingSoon, v.WhatsApp.Verdict.State)
			assert.False(t, v.WhatsApp.ExpiredBeforeFirstResponse)
		}},
		{"a reply after expiry stays flagged", []string{created, ev("2026-03-09T09:00:00-03:00", "message", `"author":"agent"`)},
			"2026-03-09T10:00:00-03:00", func(t *testing.T, v sla.View) {
				assert.True(t, v.WhatsApp.ExpiredBeforeFirstResponse)
				assert.Equal(t, sla.ClockMet, v.Clocks[0].State)
			}},
		{"customer refreshes the window", []string{created, ev("2026-03-07T10:00:00-03:00", "message", `"message_id":"wamid.2"`)},
			"2026-03-07T18:00:00-03:00", func(t *testing.T, v sla.View) {
				assert.Equal(t, whatsappwindow.Open, v.WhatsApp.Verdict.State)
				assert.Equal(t, "2026-03-08T10:00:00-03:00", rfc(v.WhatsApp.Verdict.ClosesAt))
			}},
		{"agent messages never extend it", []string{created, ev("2026-03-07T10:00:00-03:00", "message", `"author":"agent"`)},
			"2026-03-07T18:00:00-03:00", func(t *testing.T, v sla.View) {
				assert.Equal(t, whatsappwindow.Expired, v.WhatsApp.Verdict.State)
				assert.False(t, v.WhatsApp.ExpiredBeforeFirstResponse, "answered inside the window")
			}},
		{"131047 refuses free-form until the customer writes", []string{created, ev("2026-03-06T18:00:00-03:00", "window_rejected")},
			"2026-03-06T18:30:00-03:00", func(t *testing.T, v sla.View) {
				assert.Equal(t, whatsappwindow.Rejected, v.WhatsApp.Verdict.State)
				assert.False(t, v.WhatsApp.Verdict.FreeForm)
			}},
		{"window-2h escalation", []string{created}, "2026-03-07T16:00:00-03:00", func(t *testing.T, v sla.View) {
			require.Len(t, v.Escalations, 1)
			assert.Equal(t, "window", v.Escalations[0].Level)
			assert.Equal(t, "2026-03-07T15:00:00-03:00", rfc(v.Escalations[0].At), "wall clock, on a Saturday the desk is closed")
		}},
		{"next wake is the closing-soon threshold", []string{created}, "2026-03-06T17:30:00-03:00", func(t *testing.T, v sla.View) {
			assert.Equal(t, "2026-03-07T15:00:00-03:00", rfc(v.NextWake))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := waEngine(t)
			st, errs := applyAll(t, e, events(t, tt.events...))
			require.Empty(t, errs)
			tt.check(t, e.Evaluate(st, mustTime(t, tt.at)))
		})
	}
}

func TestWhatsAppOnlyForWhatsApp(t *testing.T) {
	e := waEngine(t)
	st, _ := applyAll(t, e, events(t, ev("2026-03-06T17:00:00-03:00", "created", `"channel":"email"`)))
	v := e.Evaluate(st, mustTime(t, "2026-03-06T18:00:00-03:00"))
	assert.Nil(t, v.WhatsApp)
	assert.False(t, v.Clocks[0].AfterWindow)
	r := e.Result(st, mustTime(t, "2026-03-06T18:00:00-03:00"))
	assert.Contains(t, string(mustJSONBytes(t, r)), `"whatsapp":null`)
}

func TestWhatsAppStateRoundTrip(t *testing.T) {
	e := waEngine(t)
	st, _ := applyAll(t, e, events(t,
		ev("2026-03-06T17:00:00-03:00", "created", `"channel":"whatsapp"`, `"message_id":"wamid.1"`, `"referral":true`),
		ev("2026-03-06T17:05:00-03:00", "message", `"author":"agent"`)))
	b, err := st.MarshalJSON()
	require.NoError(t, err)
	var back sla.State
	require.NoError(t, back.UnmarshalJSON(b))
	at := mustTime(t, "2026-03-07T12:00:00-03:00")
	assert.Equal(t, e.Evaluate(st, at).WhatsApp, e.Evaluate(back, at).WhatsApp)
	v := e.Evaluate(back, at)
	assert.True(t, v.WhatsApp.Verdict.FreeEntryPoint, "a referral answered within 24h opens a free entry point")
	assert.Equal(t, "2026-03-09T17:05:00-03:00", rfc(v.WhatsApp.Verdict.FreeEntryPointUntil))
}

func mustJSONBytes(t testing.TB, v interface{ MarshalJSON() ([]byte, error) }) []byte {
	t.Helper()
	b, err := v.MarshalJSON()
	require.NoError(t, err)
	return b
}
