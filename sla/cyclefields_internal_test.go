package sla

import "time"

// cycleFields is a cycle as a test writes it, field by field; cycle
// returns the cycle it describes.
type cycleFields struct {
	Metric       Metric
	N            int32
	Start, due   time.Time
	State        phase
	Target, Base time.Duration
	counted      bool
}

func (f cycleFields) cycle() cycle {
	c := cycle{Target: f.Target, Base: f.Base, State: f.State}
	c.setStart(f.Start)
	c.setMetric(f.Metric)
	c.setNum(f.N)
	c.putDue(f.due)
	c.setCounted(f.counted)
	return c
}
