package kpi

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/slakit/slakit/internal/duration"
	"github.com/slakit/slakit/sla"
)

// Unit is the kind of value a KPI has, and so the kind of target its goal
// is written with.
type Unit int

// Units.
const (
	// Ratio KPIs are fractions in [0, 1]; goals are written as percentages
	// ("95%" is 0.95).
	Ratio Unit = iota + 1
	// Seconds KPIs are business time in seconds; goals are written as Go
	// durations ("10m" is 600).
	Seconds
	// Number KPIs are plain numbers (csat_mean, backlog); so are their goals.
	Number
)

// String describes how a value of the unit is written, for messages.
func (u Unit) String() string {
	switch u {
	case Ratio:
		return "a percentage like 95%"
	case Seconds:
		return "a duration like 10m or 1h30m"
	case Number:
		return "a number like 4.2"
	}
	return "unknown"
}

// Op is a goal's comparison operator.
type Op string

// Operators.
const (
	GE Op = ">="
	LE Op = "<="
	GT Op = ">"
	LT Op = "<"
	EQ Op = "=="
)

// ops in the order they are tried (two-character operators first).
var ops = []Op{GE, LE, EQ, GT, LT}

// The KPIs that are not tied to a metric, with their units.
var fixedKPIs = []struct {
	name string
	unit Unit
}{
	{"sla_compliance", Ratio},
	{"fcr_rate", Ratio},
	{"escalation_rate", Ratio},
	{"reopen_rate", Ratio},
	{"csat_mean", Number},
	{"csat_positive_rate", Ratio},
	{"backlog", Number},
}

// The per-metric KPI suffixes, with their units.
var metricKPIs = []struct {
	suffix string
	unit   Unit
}{
	{"_compliance", Ratio},
	{"_mean", Seconds},
	{"_p50", Seconds},
	{"_p90", Seconds},
	{"_p95", Seconds},
}

// GoalNames lists the KPI names a goal may use: the fixed ones
// (sla_compliance, fcr_rate, escalation_rate, reopen_rate, csat_mean,
// csat_positive_rate, backlog), then, for each of metrics (the built-in
// ones when none is given), <metric>_compliance, _mean, _p50, _p90 and
// _p95.
func GoalNames(metrics ...sla.Metric) []string {
	if len(metrics) == 0 {
		metrics = sla.BuiltinMetrics()
	}
	out := make([]string, 0, len(fixedKPIs)+len(metrics)*len(metricKPIs))
	for _, k := range fixedKPIs {
		out = append(out, k.name)
	}
	for _, m := range metrics {
		for _, s := range metricKPIs {
			out = append(out, string(m)+s.suffix)
		}
	}
	return out
}

// KPIUnit returns the unit of the KPI name and, for a per-metric KPI, its
// metric. Any metric name made of lower-case letters, digits and
// underscores is accepted (custom metrics included); whether the policy
// defines it is for the policy package to check. An unknown name is a
// [*GoalError] wrapping [ErrUnknownKPI].
func KPIUnit(name string) (Unit, sla.Metric, error) {
	for _, k := range fixedKPIs {
		if name == k.name {
			return k.unit, "", nil
		}
	}
	for _, s := range metricKPIs {
		if m, ok := strings.CutSuffix(name, s.suffix); ok && validMetric(m) {
			return s.unit, sla.Metric(m), nil
		}
	}
	return 0, "", &GoalError{KPI: name, Field: "name", Err: ErrUnknownKPI,
		Msg: "want one of sla_compliance, fcr_rate, escalation_rate, reopen_rate, " +
			"csat_mean, csat_positive_rate, backlog, or <metric>_compliance, _mean, _p50, _p90, _p95"}
}

// GoalError is a goal [ParseGoal] refuses. Field says which part is
// wrong, so that a policy loader can point at it: "name" (the KPI name is
// unknown; Err is [ErrUnknownKPI]) or "target" (the text; Err is
// [ErrGoal]). Msg says what is wanted.
type GoalError struct {
	KPI, Target string // as given
	Field       string // "name" or "target"
	Msg         string
	Err         error
}

// Error prints `kpi: unknown kpi "NAME" (MSG)` or
// `kpi: invalid goal: NAME "TARGET": MSG`.
func (e *GoalError) Error() string {
	if e.Field == "name" {
		return fmt.Sprintf("%v %q (%s)", e.Err, e.KPI, e.Msg)
	}
	return fmt.Sprintf("%v: %s %q: %s", e.Err, e.KPI, e.Target, e.Msg)
}

// Unwrap returns the sentinel, [ErrUnknownKPI] or [ErrGoal].
func (e *GoalError) Unwrap() error { return e.Err }

func validMetric(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Goal is a target the lead has set for one KPI, such as
// sla_compliance ">= 95%" or first_response_p90 "<= 10m".
type Goal struct {
	KPI    string     // the KPI's name, e.g. "first_response_p90"
	Metric sla.Metric // for a per-metric KPI, its metric; "" otherwise
	Op     Op
	Value  float64 // in the KPI's unit: a fraction, seconds or a number
	Unit   Unit
	Target string // the target as written, normalised to "OP VALUE", e.g. ">= 95%"
}

// ParseGoal parses the target text of the goal for the KPI name: an
// operator (>=, <=, >, <, ==) and a value of the KPI's unit ([KPIUnit]):
// a percentage between 0% and 100% for ratios ("95%" is 0.95), a
// non-negative Go duration for times ("10m", "1h30m"; a "d" is refused,
// since a business day is not 24 hours), a finite number otherwise
// ("4.2", "50"). Errors are a [*GoalError] wrapping [ErrUnknownKPI] or
// [ErrGoal].
func ParseGoal(name, text string) (Goal, error) {
	unit, metric, err := KPIUnit(name)
	if err != nil {
		err.(*GoalError).Target = text
		return Goal{}, err
	}
	bad := func(format string, args ...any) (Goal, error) {
		return Goal{}, &GoalError{KPI: name, Target: text, Field: "target", Msg: fmt.Sprintf(format, args...), Err: ErrGoal}
	}
	s := strings.TrimSpace(text)
	var op Op
	for _, o := range ops {
		if rest, ok := strings.CutPrefix(s, string(o)); ok {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	if op == "" {
		return bad("want an operator (>=, <=, >, <, ==) and %s", unit)
	}
	if s == "" {
		return bad("want %s after %s", unit, op)
	}
	g := Goal{KPI: name, Metric: metric, Op: op, Unit: unit, Target: string(op) + " " + s}
	switch unit {
	case Ratio:
		num, ok := strings.CutSuffix(s, "%")
		if !ok {
			return bad("want %s", unit)
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(p) || p < 0 || p > 100 {
			return bad("want a percentage between 0%% and 100%%")
		}
		g.Value = p / 100
	case Seconds:
		d, err := duration.Parse(s)
		switch {
		case errors.Is(err, duration.ErrDays):
			return bad("%v", err)
		case err != nil:
			return bad("want %s", unit)
		}
		if d < 0 {
			return bad("want a non-negative duration")
		}
		g.Value = d.Seconds()
	case Number:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("want %s", unit)
		}
		g.Value = v
	}
	return g, nil
}

// MustParseGoal is like [ParseGoal] but panics on an error. It is meant
// for goals written in Go source.
func MustParseGoal(name, text string) Goal {
	g, err := ParseGoal(name, text)
	if err != nil {
		panic(err)
	}
	return g
}

// ParseGoals parses a KPI-name-to-target map (the kpis.goals section of a
// policy file) into goals sorted by KPI name, reporting every bad goal at
// once (the errors are joined with [errors.Join]).
func ParseGoals(goals map[string]string) ([]Goal, error) {
	names := make([]string, 0, len(goals))
	for n := range goals {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]Goal, 0, len(names))
	var errs []error
	for _, n := range names {
		g, err := ParseGoal(n, goals[n])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, g)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Holds reports whether the value v meets the goal.
func (g Goal) Holds(v float64) bool {
	switch g.Op {
	case GE:
		return v >= g.Value
	case LE:
		return v <= g.Value
	case GT:
		return v > g.Value
	case LT:
		return v < g.Value
	case EQ:
		return v == g.Value
	}
	return false
}

// GoalResult is a goal evaluated against a report. Actual and Met are nil
// when the KPI is undefined (no data: a ratio with a zero denominator, a
// metric without decided cycles, no CSAT response).
type GoalResult struct {
	KPI    string   `json:"kpi"`
	Target string   `json:"target"`
	Actual *float64 `json:"actual"`
	Met    *bool    `json:"met"`
}

// Evaluate evaluates the goal against r.
func (g Goal) Evaluate(r *Report) GoalResult {
	out := GoalResult{KPI: g.KPI, Target: g.Target}
	if v, ok := r.Figure(g.KPI); ok {
		met := g.Holds(v)
		out.Actual, out.Met = &v, &met
	}
	return out
}
