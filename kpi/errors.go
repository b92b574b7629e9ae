package kpi

import "errors"

// Errors reported by the package. They can be tested with [errors.Is];
// the errors returned wrap one of them and name the goal, dimension or
// field at fault.
var (
	// ErrGoal: a goal's target cannot be parsed (no operator, a bad value,
	// a value of the wrong kind for the KPI, a duration in days).
	ErrGoal = errors.New("kpi: invalid goal")
	// ErrUnknownKPI: a goal names no known KPI.
	ErrUnknownKPI = errors.New("kpi: unknown kpi")
	// ErrConfig: a [Config] is invalid (a negative MaxAgentReplies, an
	// unknown or repeated grouping dimension, an unknown bucket).
	ErrConfig = errors.New("kpi: invalid config")
	// ErrMismatch: [Accumulator.Merge] was given an accumulator built
	// with another MaxAgentReplies, grouping, bucket or zone.
	ErrMismatch = errors.New("kpi: accumulators do not match")
)
