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
	teamed, reassigned         int64
	handoffs                   int64
	metrics                    []metricTally // in order of first appearance; sorted at report time
	ola                        []olaTally
	olaComps                   []olaComp
	status                     []statusTally
	lastMetric, lastTeam       int         // indexes of the last metric and team time used, where lookups start
	breachHours                *[168]int64 // breaches by local hour of the week, Monday 00h first; nil for none
}

type metricTally struct {
	metric        sla.Metric
	met, breached int64
	sum           int64  // seconds
	vals          values // seconds of each decided cycle (met or breached)
	shares        [len(ShareBounds) + 1]int64
}

type statusTally struct {
	status            sla.Status
	tickets           int64
	wallSum, busSum   int64
	wallVals, busVals values
}

// olaComp counts the decided OLA cycles of one team and metric.
type olaComp struct {
	team          string
	metric        sla.Metric
	met, breached int64
}

func (t *tally) olaComp(team string, m sla.Metric) *olaComp {
	for i := range t.olaComps {
		if t.olaComps[i].team == team && t.olaComps[i].metric == m {
			return &t.olaComps[i]
		}
	}
	t.olaComps = append(t.olaComps, olaComp{team: team, metric: m})
	return &t.olaComps[len(t.olaComps)-1]
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

// metric returns the tally of m, added if new. The search starts at the
// last metric found and wraps around: a result's clocks come in the order
// in which their metrics first appeared, so it ends at once or at the next.
func (t *tally) metric(m sla.Metric) *metricTally {
	i, n := t.lastMetric, len(t.metrics)
	for range n {
		if t.metrics[i].metric == m {
			t.lastMetric = i
			return &t.metrics[i]
		}
		if i++; i == n {
			i = 0
		}
	}
	t.metrics = append(t.metrics, metricTally{metric: m})
	t.lastMetric = n
	return &t.metrics[n]
}

// team returns the time of team for metric m, added if new; the search
// starts at the last one found, as for metric.
func (t *tally) team(m sla.Metric, team string) *olaTally {
	i, n := t.lastTeam, len(t.ola)
	for range n {
		if o := &t.ola[i]; o.team == team && o.metric == m {
			t.lastTeam = i
			return o
		}
		if i++; i == n {
			i = 0
		}
	}
	t.ola = append(t.ola, olaTally{metric: m, team: team})
	t.lastTeam = n
	return &t.ola[n]
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
	t.teamed += b2i(f.teamed)
	t.reassigned += b2i(f.handoffs > 0)
	t.handoffs += int64(f.handoffs)
	for _, st := range f.status {
		x := t.statusOf(st.status)
		x.tickets++
		w, b := uint32(min(max(st.wall, 0), maxValue)), uint32(min(max(st.business, 0), maxValue))
		x.wallSum += int64(w)
		x.busSum += int64(b)
		x.wallVals.add(w)
		x.busVals.add(b)
	}
	for i := range r.Clocks {
		c := &r.Clocks[i]
		mt := t.metric(c.Metric)
		switch c.State {
		case sla.ClockMet:
			mt.met++
		case sla.ClockBreached:
			mt.breached++
		default:
			continue
		}
		s := max(secs(c.Elapsed), 0)
		v := uint32(min(s, maxValue))
		mt.sum += int64(v)
		mt.vals.add(v)
		if c.Target > 0 {
			mt.shares[shareBin(c.Elapsed, c.Target)]++
		}
	}
	for i := range r.OLAs {
		switch o := &r.OLAs[i]; o.State {
		case sla.ClockMet:
			t.olaComp(o.Team, o.Metric).met++
		case sla.ClockBreached:
			t.olaComp(o.Team, o.Metric).breached++
		}
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
	t.teamed += o.teamed
	t.reassigned += o.reassigned
	t.handoffs += o.handoffs
	for i := range o.metrics {
		om := &o.metrics[i]
		mt := t.metric(om.metric)
		mt.met += om.met
		mt.breached += om.breached
		mt.sum += om.sum
		mt.vals.addAll(&om.vals)
		for k, n := range om.shares {
			mt.shares[k] += n
		}
	}
	for i := range o.status {
		os := &o.status[i]
		x := t.statusOf(os.status)
		x.tickets += os.tickets
		x.wallSum += os.wallSum
		x.busSum += os.busSum
		x.wallVals.addAll(&os.wallVals)
		x.busVals.addAll(&os.busVals)
	}
	if o.breachHours != nil {
		if t.breachHours == nil {
			t.breachHours = new([168]int64)
		}
		for k, n := range o.breachHours {
			t.breachHours[k] += n
		}
	}
	for _, oc := range o.olaComps {
		x := t.olaComp(oc.team, oc.metric)
		x.met += oc.met
		x.breached += oc.breached
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
	c.olaComps = slices.Clone(t.olaComps)
	c.status = slices.Clone(t.status)
	for i := range c.status {
		c.status[i].wallVals = c.status[i].wallVals.clone()
		c.status[i].busVals = c.status[i].busVals.clone()
	}
	if t.breachHours != nil {
		h := *t.breachHours
		c.breachHours = &h
	}
	return c
}

func (t *tally) statusOf(s sla.Status) *statusTally {
	for i := range t.status {
		if t.status[i].status == s {
			return &t.status[i]
		}
	}
	t.status = append(t.status, statusTally{status: s})
	return &t.status[len(t.status)-1]
}

// addBreachHours counts the breaches of r's clocks by the hour of the week
// of their breach instant in loc.
func (t *tally) addBreachHours(r *sla.Result, loc *time.Location) {
	for i := range r.Clocks {
		c := &r.Clocks[i]
		if c.State != sla.ClockBreached || c.BreachedAt.IsZero() {
			continue
		}
		if t.breachHours == nil {
			t.breachHours = new([168]int64)
		}
		t.breachHours[HourOfWeek(c.BreachedAt.In(loc))]++
	}
}

// HourOfWeek returns the index of t's local hour in a week that starts on
// Monday at 00h: 0 for Monday 00h-01h, 24 for Tuesday 00h, 167 for Sunday
// 23h. It indexes [Report.BreachesByHour].
func HourOfWeek(t time.Time) int {
	day := (int(t.Weekday()) + 6) % 7
	return day*24 + t.Hour()
}

// ShareBounds are the upper bounds (inclusive) of the bins of
// [MetricReport.TargetShare], as fractions of the target; the last bin
// holds the cycles above the last bound. A met cycle falls in one of the
// first four bins, a breached one in the last three.
var ShareBounds = [...]float64{0.25, 0.5, 0.75, 1, 1.5, 2}

// shareQuarters are ShareBounds in quarters of the target, for integer
// comparisons.
var shareQuarters = [len(ShareBounds)]int64{1, 2, 3, 4, 6, 8}

// shareBin returns the bin of elapsed as a share of target: the first
// bound b with elapsed <= b × target.
func shareBin(elapsed, target time.Duration) int {
	e, t := int64(elapsed/time.Millisecond)*4, int64(target/time.Millisecond)
	for k, q := range shareQuarters {
		if e <= q*t {
			return k
		}
	}
	return len(shareQuarters)
}

// timeStats returns the mean and percentiles of vals (sum their sum).
func timeStats(v *values, sum int64, buf, scratch *[]uint32) TimeStats {
	if v.n == 0 {
		return TimeStats{}
	}
	vals := v.sorted(buf, scratch)
	mean := roundMilli(float64(sum) / float64(v.n))
	p50, p90 := nearestRank(vals, 50), nearestRank(vals, 90)
	return TimeStats{MeanSeconds: &mean, P50Seconds: &p50, P90Seconds: &p90}
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
		Reassignment: Reassignment{Tickets: t.teamed, Reassigned: t.reassigned, Rate: ratio(t.reassigned, t.teamed),
			MeanHandoffs: ratio(t.handoffs, t.teamed)},
	}
	if t.breachHours != nil {
		r.BreachesByHour = t.breachHours[:]
	}
	for i := range t.status {
		st := &t.status[i]
		if r.TimeInStatus == nil {
			r.TimeInStatus = map[sla.Status]StatusTime{}
		}
		r.TimeInStatus[st.status] = StatusTime{Tickets: st.tickets,
			Wall:     timeStats(&st.wallVals, st.wallSum, buf, scratch),
			Business: timeStats(&st.busVals, st.busSum, buf, scratch)}
	}
	for i := range t.metrics {
		mt := &t.metrics[i]
		m := MetricReport{Met: mt.met, Breached: mt.breached, Compliance: ratio(mt.met, mt.met+mt.breached)}
		if mt.shares != ([len(ShareBounds) + 1]int64{}) {
			m.TargetShare = slices.Clone(mt.shares[:])
		}
		if n := mt.vals.n; n > 0 {
			vals := mt.vals.sorted(buf, scratch)
			mean := roundMilli(float64(mt.sum) / float64(n))
			p50, p90, p95 := nearestRank(vals, 50), nearestRank(vals, 90), nearestRank(vals, 95)
			m.MeanSeconds, m.P50Seconds, m.P90Seconds, m.P95Seconds = &mean, &p50, &p90, &p95
		}
		r.Metrics[mt.metric] = m
	}
	for _, o := range t.olaComps {
		if r.OLACompliance == nil {
			r.OLACompliance = map[string]map[sla.Metric]OLACompliance{}
		}
		if r.OLACompliance[o.team] == nil {
			r.OLACompliance[o.team] = map[sla.Metric]OLACompliance{}
		}
		r.OLACompliance[o.team][o.metric] = OLACompliance{Met: o.met, Breached: o.breached, Rate: ratio(o.met, o.met+o.breached)}
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
