package kpi

import "errors"

// Errors reported by the package. They can be tested with [errors.Is];
// the errors returned wrap one of them and name the goal, dimension or
// field at fault.
var (
	// ErrGoal reports a goal whose target cannot be parsed (no operator,
	// a bad value, a value of the wrong kind for the KPI, a duration in
	// days).
	ErrGoal = errors.New("kpi: invalid goal")
	// ErrUnknownKPI reports a goal that names no known KPI.
	ErrUnknownKPI = errors.New("kpi: unknown kpi")
	// ErrConfig reports an invalid [Config] (a negative MaxAgentReplies or
	// Worst, an unknown or repeated grouping dimension, an unknown bucket), or a
	// [Compare] not given two engines.
	ErrConfig = errors.New("kpi: invalid config")
	// ErrMismatch is returned by [Accumulator.Merge] when given an
	// accumulator built with another MaxAgentReplies, grouping, bucket or
	// zone.
	ErrMismatch = errors.New("kpi: accumulators do not match")
)
