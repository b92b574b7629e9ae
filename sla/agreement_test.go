package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

func TestAgreement(t *testing.T) {
	// Normal priority in São Paulo (08:00-12:00, 13:00-18:00): first
	// response 4h, resolution 16h; created Mon 2026-03-02 08:00.
	created := ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`)
	tests := []struct {
		name   string
		reason string
		atRisk float64
		events []string
		at     string
		want   sla.Agreement
	}{
		{name: "on-track", reason: "1h of 4h first response", events: []string{created},
			at: "2026-03-02T09:00:00-03:00", want: sla.AgreementOnTrack},
		{name: "at-risk-at-80%", reason: "3h12m of 4h is 80%: 08:00-11:12", events: []string{created},
			at: "2026-03-02T11:12:00-03:00", want: sla.AgreementAtRisk},
		{name: "just-below-80%", reason: "3h11m of 4h", events: []string{created},
			at: "2026-03-02T11:11:00-03:00", want: sla.AgreementOnTrack},
		{name: "at-risk-settable", reason: "at 50%: 2h of 4h at 10:00", atRisk: 50, events: []string{created},
			at: "2026-03-02T10:00:00-03:00", want: sla.AgreementAtRisk},
		{name: "breached-at-the-deadline", reason: "the first response deadline is 12:00 (4h from 08:00); at the deadline it is late",
			events: []string{created}, at: "2026-03-02T12:00:00-03:00", want: sla.AgreementBreached},
		{name: "breached-stays-after-reply", reason: "replied at 14:00, after the 13:00 deadline",
			events: []string{created, ev("2026-03-02T14:00:00-03:00", "message", `"author":"agent"`)},
			at:     "2026-03-02T14:30:00-03:00", want: sla.AgreementBreached},
		{name: "pending-with-a-running-clock", reason: "replied at 09:00 (met), then pending: resolution pauses, the periodic update runs",
			events: []string{created, ev("2026-03-02T09:00:00-03:00", "message", `"author":"agent"`),
				ev("2026-03-02T09:10:00-03:00", "status", `"status":"pending"`)},
			at: "2026-03-02T10:00:00-03:00", want: sla.AgreementOnTrack},
		{name: "fulfilled", reason: "replied at 09:00 and solved at 10:00: both met, periodic update cancelled",
			events: []string{created, ev("2026-03-02T09:00:00-03:00", "message", `"author":"agent"`),
				ev("2026-03-02T10:00:00-03:00", "status", `"status":"solved"`)},
			at: "2026-03-03T10:00:00-03:00", want: sla.AgreementFulfilled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := spStd()(t)
			cfg.AtRisk = tc.atRisk
			e := mustEngine(t, cfg)
			st, errs := applyAll(t, e, events(t, tc.events...))
			require.Empty(t, errs)
			v := e.Evaluate(st, mustTime(t, tc.at))
			assert.Equal(t, tc.want, v.Agreement, "Evaluate(%s).Agreement: %s\n%s", tc.at, tc.reason, joinLines(clockLines(v)))
			r := e.Result(st, mustTime(t, tc.at))
			b, err := json.Marshal(r)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"agreement":"`+string(tc.want)+`"`)
		})
	}
}

func TestAgreementPausedAndNone(t *testing.T) {
	// A policy with a resolution target only: pending pauses the one clock.
	cfg := sla.Config{Policies: []sla.Policy{{Name: "res", Calendar: spCal(t),
		Targets: targets{"normal": {res: 16 * time.Hour}}}}}
	e := mustEngine(t, cfg)
	st, errs := applyAll(t, e, events(t,
		ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
		ev("2026-03-02T09:00:00-03:00", "status", `"status":"pending"`)))
	require.Empty(t, errs)
	assert.Equal(t, sla.AgreementPaused, e.Evaluate(st, mustTime(t, "2026-03-02T10:00:00-03:00")).Agreement)

	// No policy applies: no clocks.
	e = mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "never", When: func(*sla.Ticket) (bool, error) { return false, nil }, Targets: stdTargets()}}})
	st, errs = applyAll(t, e, events(t, ev("2026-03-02T08:00:00-03:00", "created")))
	require.Empty(t, errs)
	assert.Equal(t, sla.AgreementNone, e.Evaluate(st, mustTime(t, "2026-03-02T10:00:00-03:00")).Agreement)
}

func TestAgreementAtRiskConfig(t *testing.T) {
	for _, p := range []float64{-1, 100, 150} {
		_, err := sla.NewEngine(sla.Config{AtRisk: p})
		require.ErrorIs(t, err, sla.ErrConfig, "AtRisk %v", p)
		assert.Contains(t, err.Error(), "at_risk")
	}
	_, err := sla.NewEngine(sla.Config{AtRisk: 99.5})
	require.NoError(t, err)
}
