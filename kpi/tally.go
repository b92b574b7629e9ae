package kpi

import (
	"math"
	"slices"
	"time"

	"github.com/slakit/slakit/sla"
)

// tally holds the counts of one group of tickets. Every field is an
// integer (or a multiset of integers), so that adding and merging are
// exact, associative and commutative.
type tally struct {
	tickets, noPolicy, backlog int64
	decided, compliant         int64
	fcrBase, fcr, escalated    int64
	resolved, reopened         int64
	csatN, csatSum, csatPos    int64
	metrics                    []metricTally // in order of first appearance; sorted at report time
	ola                        []olaTally
	lastMetric                 int // index of the last metric used (a lookup cache)
}

type metricTally struct {
	metric        sla.Metric
	met, breached int64
	sum           int64  // seconds
	vals          values // seconds of each decided cycle (met or breached)
}

type olaTally struct {
	metric  sla.Metric
	team    string
	seconds int64
	cycles  int64
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }

func (t *tally) metric(m sla.Metric) *metricTally {
	if i := t.lastMetric; i < len(t.metrics) && t.metrics[i].metric == m {
		return &t.metrics[i]
	}
	for i := range t.metrics {
		if t.metrics[i].metric == m {
			t.lastMetric = i
			return &t.metrics[i]
		}
	}
	t.metrics = append(t.metrics, metricTally{metric: m})
	t.lastMetric = len(t.metrics) - 1
	return &t.metrics[t.lastMetric]
}

func (t *tally) team(m sla.Metric, team string) *olaTally {
	for i := range t.ola {
		if t.ola[i].metric == m && t.ola[i].team == team {
			return &t.ola[i]
		}
	}
	t.ola = append(t.ola, olaTally{metric: m, team: team})
	return &t.ola[len(t.ola)-1]
}

func (t *tally) add(r *sla.Result, f *facts) {
	t.tickets++
	t.noPolicy += b2i(f.noPolicy)
	t.backlog += b2i(f.backlog)
	t.decided += b2i(f.decided)
	t.compliant += b2i(f.compliant)
	t.fcrBase += b2i(f.fcrBase)
	t.fcr += b2i(f.fcr)
	t.escalated += b2i(f.escalated)
	t.resolved += b2i(f.resolved)
	t.reopened += b2i(f.reopened)
	if f.csat > 0 {
		t.csatN++
		t.csatSum += int64(f.csat)
		t.csatPos += b2i(f.csat >= 4)
	}
	for i := range r.Clocks {
		c := &r.Clocks[i]
		mt := t.metric(c.Metric)
		switch c.State {
		case sla.StateMet:
			mt.met++
		case sla.StateBreached:
			mt.breached++
		default:
			continue
		}
		s := max(secs(c.Elapsed), 0)
		v := uint32(min(s, maxValue))
		mt.sum += int64(v)
		mt.vals.add(v)
	}
	for i := range r.Teams {
		tt := &r.Teams[i]
		team := tt.Team
		if team == "" {
			team = None
		}
		o := t.team(tt.Metric, team)
		o.seconds += secs(tt.Elapsed)
		o.cycles++
	}
}

func (t *tally) merge(o *tally) {
	t.tickets += o.tickets
	t.noPolicy += o.noPolicy
	t.backlog += o.backlog
	t.decided += o.decided
	t.compliant += o.compliant
	t.fcrBase += o.fcrBase
	t.fcr += o.fcr
	t.escalated += o.escalated
	t.resolved += o.resolved
	t.reopened += o.reopened
	t.csatN += o.csatN
	t.csatSum += o.csatSum
	t.csatPos += o.csatPos
	for i := range o.metrics {
		om := &o.metrics[i]
		mt := t.metric(om.metric)
		mt.met += om.met
		mt.breached += om.breached
		mt.sum += om.sum
		mt.vals.addAll(&om.vals)
	}
	for _, oo := range o.ola {
		x := t.team(oo.metric, oo.team)
		x.seconds += oo.seconds
		x.cycles += oo.cycles
	}
}

func (t *tally) clone() tally {
	c := *t
	c.metrics = slices.Clone(t.metrics)
	for i := range c.metrics {
		c.metrics[i].vals = c.metrics[i].vals.clone()
	}
	c.ola = slices.Clone(t.ola)
	return c
}

func ratio(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

// nearestRank returns the p-th percentile of the sorted vals: the value
// of rank ceil(p/100 * n).
func nearestRank(vals []uint32, p int) int64 {
	n := len(vals)
	rank := (p*n + 99) / 100
	rank = max(rank, 1)
	return int64(vals[rank-1])
}

// report computes the figures of t; buf and scratch are storage for
// sorting, shared by the tallies of a report.
func (t *tally) report(buf, scratch *[]uint32) Report {
	r := Report{Tickets: t.tickets, TicketsWithoutPolicy: t.noPolicy, Backlog: t.backlog,
		Metrics:        make(map[sla.Metric]MetricReport, len(t.metrics)),
		SLACompliance:  ratio(t.compliant, t.decided),
		FCRRate:        ratio(t.fcr, t.fcrBase),
		EscalationRate: ratio(t.escalated, t.tickets),
		ReopenRate:     ratio(t.reopened, t.resolved),
		CSAT:           CSAT{Responses: t.csatN, Mean: ratio(t.csatSum, t.csatN), PositiveRate: ratio(t.csatPos, t.csatN)},
		OLA:            map[sla.Metric]map[string]OLATime{},
	}
	for i := range t.metrics {
		mt := &t.metrics[i]
		m := MetricReport{Met: mt.met, Breached: mt.breached, Compliance: ratio(mt.met, mt.met+mt.breached)}
		if n := mt.vals.n; n > 0 {
			vals := mt.vals.sorted(buf, scratch)
			mean := roundMilli(float64(mt.sum) / float64(n))
			p50, p90, p95 := nearestRank(vals, 50), nearestRank(vals, 90), nearestRank(vals, 95)
			m.MeanSeconds, m.P50Seconds, m.P90Seconds, m.P95Seconds = &mean, &p50, &p90, &p95
		}
		r.Metrics[mt.metric] = m
	}
	for _, o := range t.ola {
		if r.OLA[o.metric] == nil {
			r.OLA[o.metric] = map[string]OLATime{}
		}
		r.OLA[o.metric][o.team] = OLATime{Seconds: o.seconds, Cycles: o.cycles}
	}
	return r
}

// roundMilli rounds a mean in seconds to the millisecond, which keeps the
// JSON short and stable.
func roundMilli(x float64) float64 { return math.Round(x*1000) / 1000 }
