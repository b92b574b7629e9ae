package kpi_test

import (
	"errors"
	"testing"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGoal(t *testing.T) {
	tests := []struct {
		name, kpi, text string
		op              kpi.Op
		value           float64
		unit            kpi.Unit
		metric          sla.Metric
		target          string
		err             error
		msg             string // part of the error message
	}{
		{name: "percent", kpi: "sla_compliance", text: ">= 95%", op: kpi.GE, value: 0.95, unit: kpi.Ratio, target: ">= 95%"},
		{name: "percent-no-space", kpi: "fcr_rate", text: ">=70%", op: kpi.GE, value: 0.7, unit: kpi.Ratio, target: ">= 70%"},
		{name: "percent-fraction", kpi: "escalation_rate", text: "  <= 15.5% ", op: kpi.LE, value: 0.155, unit: kpi.Ratio, target: "<= 15.5%"},
		{name: "duration", kpi: "first_response_p90", text: "<= 10m", op: kpi.LE, value: 600, unit: kpi.Seconds, metric: sla.FirstResponse, target: "<= 10m"},
		{name: "duration-compound", kpi: "resolution_mean", text: "< 1h30m", op: kpi.LT, value: 5400, unit: kpi.Seconds, metric: sla.Resolution, target: "< 1h30m"},
		{name: "custom-metric", kpi: "time_to_assign_p50", text: "<= 90s", op: kpi.LE, value: 90, unit: kpi.Seconds, metric: "time_to_assign", target: "<= 90s"},
		{name: "metric-compliance", kpi: "next_response_compliance", text: "> 90%", op: kpi.GT, value: 0.9, unit: kpi.Ratio, metric: sla.NextResponse, target: "> 90%"},
		{name: "number", kpi: "csat_mean", text: ">= 4.2", op: kpi.GE, value: 4.2, unit: kpi.Number, target: ">= 4.2"},
		{name: "backlog", kpi: "backlog", text: "<= 50", op: kpi.LE, value: 50, unit: kpi.Number, target: "<= 50"},
		{name: "equal", kpi: "reopen_rate", text: "== 0%", op: kpi.EQ, value: 0, unit: kpi.Ratio, target: "== 0%"},

		{name: "unknown-kpi", kpi: "happiness", text: ">= 1", err: kpi.ErrUnknownKPI, msg: `kpi: unknown kpi "happiness"`},
		{name: "bad-suffix", kpi: "first_response_p99", text: "<= 1m", err: kpi.ErrUnknownKPI},
		{name: "bad-metric-name", kpi: "First-Response_p90", text: "<= 1m", err: kpi.ErrUnknownKPI},
		{name: "no-operator", kpi: "sla_compliance", text: "95%", err: kpi.ErrGoal, msg: "want an operator"},
		{name: "no-value", kpi: "sla_compliance", text: ">=", err: kpi.ErrGoal, msg: "want a percentage like 95% after >="},
		{name: "ratio-without-percent", kpi: "sla_compliance", text: ">= 0.95", err: kpi.ErrGoal, msg: "want a percentage"},
		{name: "percent-over-100", kpi: "sla_compliance", text: ">= 120%", err: kpi.ErrGoal, msg: "between 0% and 100%"},
		{name: "days-refused", kpi: "resolution_p90", text: "<= 2d", err: kpi.ErrGoal, msg: "business days are not 24 hours"},
		{name: "negative-duration", kpi: "resolution_p90", text: "<= -1h", err: kpi.ErrGoal, msg: "non-negative"},
		{name: "number-for-duration", kpi: "first_response_mean", text: "<= 600", err: kpi.ErrGoal, msg: "want a duration"},
		{name: "percent-for-number", kpi: "csat_mean", text: ">= 80%", err: kpi.ErrGoal, msg: "want a number"},
		{name: "nan", kpi: "csat_mean", text: ">= NaN", err: kpi.ErrGoal},
		{name: "inf", kpi: "backlog", text: "<= +Inf", err: kpi.ErrGoal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := kpi.ParseGoal(tc.kpi, tc.text)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err, "ParseGoal(%q, %q)", tc.kpi, tc.text)
				assert.Contains(t, err.Error(), "kpi: ")
				assert.Contains(t, err.Error(), tc.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, kpi.Goal{KPI: tc.kpi, Metric: tc.metric, Op: tc.op, Value: tc.value, Unit: tc.unit, Target: tc.target}, g)
		})
	}
}

func TestParseGoalsReportsEveryError(t *testing.T) {
	_, err := kpi.ParseGoals(map[string]string{"sla_compliance": "95%", "nope": ">= 1", "backlog": "<= 5"})
	require.Error(t, err)
	assert.ErrorIs(t, err, kpi.ErrGoal)
	assert.ErrorIs(t, err, kpi.ErrUnknownKPI)
	goals, err := kpi.ParseGoals(map[string]string{"sla_compliance": ">= 95%", "backlog": "<= 5"})
	require.NoError(t, err)
	require.Len(t, goals, 2)
	assert.Equal(t, "backlog", goals[0].KPI, "sorted by name")
}

func TestGoalHolds(t *testing.T) {
	tests := []struct {
		text string
		v    float64
		want bool
	}{
		{">= 95%", 0.95, true}, {">= 95%", 19.0 / 20, true}, {">= 95%", 0.9499, false},
		{"> 95%", 0.95, false}, {"<= 95%", 0.95, true}, {"< 95%", 0.95, false}, {"== 95%", 0.95, true},
	}
	for _, tc := range tests {
		g := kpi.MustParseGoal("sla_compliance", tc.text)
		assert.Equal(t, tc.want, g.Holds(tc.v), "%s holds for %v", tc.text, tc.v)
	}
	assert.Panics(t, func() { kpi.MustParseGoal("sla_compliance", "95") })
}

func TestGoalNames(t *testing.T) {
	names := kpi.GoalNames()
	assert.Contains(t, names, "sla_compliance")
	assert.Contains(t, names, "first_response_p90")
	assert.Contains(t, names, "resolution_compliance")
	assert.Len(t, names, 7+4*5)
	custom := kpi.GoalNames("time_to_assign")
	assert.Equal(t, []string{"sla_compliance", "fcr_rate", "escalation_rate", "reopen_rate", "csat_mean",
		"csat_positive_rate", "backlog", "time_to_assign_compliance", "time_to_assign_mean", "time_to_assign_p50",
		"time_to_assign_p90", "time_to_assign_p95"}, custom)
	for _, n := range names {
		_, _, err := kpi.KPIUnit(n)
		assert.NoError(t, err, n)
	}
	_, _, err := kpi.KPIUnit("nope")
	assert.True(t, errors.Is(err, kpi.ErrUnknownKPI))
}

// TestGoalErrorField: the error says which part of the goal is wrong, so
// that a policy loader can point at the name or at the target.
func TestGoalErrorField(t *testing.T) {
	tests := []struct {
		kpi, text, field, msg string
		err                   error
	}{
		{"happiness", ">= 1", "name", "want one of sla_compliance", kpi.ErrUnknownKPI},
		{"sla_compliance", "95%", "target", "want an operator (>=, <=, >, <, ==) and a percentage like 95%", kpi.ErrGoal},
		{"first_response_p90", "<= 1d", "target", "days are not a unit", kpi.ErrGoal},
	}
	for _, tc := range tests {
		_, err := kpi.ParseGoal(tc.kpi, tc.text)
		var ge *kpi.GoalError
		require.ErrorAs(t, err, &ge, "ParseGoal(%q, %q)", tc.kpi, tc.text)
		assert.Equal(t, tc.field, ge.Field, "ParseGoal(%q, %q).Field", tc.kpi, tc.text)
		assert.Contains(t, ge.Msg, tc.msg)
		assert.Equal(t, tc.text, ge.Target)
		assert.ErrorIs(t, err, tc.err)
	}
}
