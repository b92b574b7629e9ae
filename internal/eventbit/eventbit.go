// Package eventbit is how package sla hands package policy's routing rules
// the type of an event as a bit, found once by the engine, so that the
// rules need not find it again from the type's name at every event; and
// how the rules tell the engine, by type, what an event must have for any
// of them to apply (Needs), so that the engine does not ask about the
// others.
package eventbit

// Set is a set of event types: bit i stands for Names[i].
type Set uint16

// Names are the event types in bit order (sla's EventType values).
var Names = [...]string{
	"created", "message", "note", "status", "priority",
	"assign", "update", "escalated", "csat", "window_rejected",
}

// All is the set of every type.
const All Set = 1<<len(Names) - 1
