package kpi

import (
	"github.com/slakit/slakit/sla"
)

// Report holds the figures of a set of tickets (docs/reports.md). Ratios are
// fractions in [0, 1]; times are whole seconds of business time. A figure
// that is undefined (a zero denominator, no decided cycle, no CSAT
// response) is nil, null in JSON, never NaN.
//
// It marshals to the report JSON of the CLI:
//
//	{"tickets":N,"tickets_without_policy":N,"metrics":{"first_response":{"met":..,"breached":..,
//	 "compliance":..,"mean_seconds":..,"p50_seconds":..,"p90_seconds":..,"p95_seconds":..}},
//	 "sla_compliance":..,"fcr_rate":..,"escalation_rate":..,"reopen_rate":..,
//	 "csat":{"responses":..,"mean":..,"positive_rate":..},"backlog":..,
//	 "ola":{"resolution":{"billing":{"seconds":..,"cycles":..}}},
//	 "by":{"priority":{"urgent":{...}}},"goals":[{"kpi":"sla_compliance","target":">= 95%","actual":..,"met":true}]}
type Report struct {
	// Tickets counts the ticket results added.
	Tickets int64 `json:"tickets"`
	// TicketsWithoutPolicy counts the tickets no policy applied to (they
	// have no clocks).
	TicketsWithoutPolicy int64 `json:"tickets_without_policy"`
	// Skipped counts the results that were not tickets (see
	// [Accumulator.Add]); only in the top-level report.
	Skipped int64 `json:"skipped,omitempty"`
	// Metrics holds the figures of each metric that had a reported clock.
	Metrics map[sla.Metric]MetricReport `json:"metrics"`
	// SLACompliance is the share of tickets with no breached clock among
	// the tickets with at least one decided (met or breached) clock.
	SLACompliance *float64 `json:"sla_compliance"`
	// FCRRate is the first contact resolution rate: among the solved (or
	// closed) tickets with at least one public agent reply, the share with
	// at most MaxAgentReplies of them, never reopened and never escalated.
	FCRRate *float64 `json:"fcr_rate"`
	// EscalationRate is the share of tickets escalated: by an escalated
	// event, or by an escalation level with an assign or escalate action.
	EscalationRate *float64 `json:"escalation_rate"`
	// ReopenRate is the share of reopened tickets among the tickets ever
	// solved or closed.
	ReopenRate *float64 `json:"reopen_rate"`
	// CSAT sums the satisfaction ratings up.
	CSAT CSAT `json:"csat"`
	// Backlog counts the tickets not solved or closed at the report
	// instant (the instant the results were evaluated at).
	Backlog int64 `json:"backlog"`
	// OLA holds, per metric (resolution) and team, the business time the
	// team held the tickets while the clock ran (team [None] for the time
	// with no team), summed from [sla.Result.Teams]. Despite its name it is
	// not about the agreements of the policy's olas section ([sla.OLA]):
	// their cycles are counted in OLACompliance.
	OLA map[sla.Metric]map[string]OLATime `json:"ola"`
	// OLACompliance holds, per team and OLA metric (ola.time_to_own,
	// ola.time_to_resolve), the OLA cycles decided (met or breached);
	// omitted when no ticket had an OLA clock.
	OLACompliance map[string]map[sla.Metric]OLACompliance `json:"ola_compliance,omitempty"`
	// Reassignment counts the tickets handed from one team to another.
	Reassignment Reassignment `json:"reassignment"`
	// TimeInStatus holds, per status (new, open, pending, on_hold), the
	// time the tickets that entered it spent there, in wall-clock and in
	// business time; present only when events were observed
	// ([Accumulator.Observe]).
	TimeInStatus map[sla.Status]StatusTime `json:"time_in_status,omitempty"`
	// BreachesByHour counts the breaches by the hour of the week of their
	// breach instant in [Config.Location]: 168 counts, Monday 00h first
	// (see [HourOfWeek]); nil when nothing was breached. Only in the
	// top-level report.
	BreachesByHour []int64 `json:"breaches_by_hour,omitempty"`
	// Worst lists the tickets whose clocks overran their targets the most,
	// worst first ([Config.Worst] of them at most). Only in the top-level
	// report.
	Worst []WorstTicket `json:"worst_tickets,omitempty"`
	// By holds the report of each group, per dimension (Config.GroupBy,
	// then the bucket) and key. Group reports have no By or Skipped, and
	// Goals only from [Config.GoalsBy].
	By map[string]map[string]Report `json:"by,omitempty"`
	// Goals holds the evaluated goals of the Config, in order.
	Goals []GoalResult `json:"goals,omitempty"`
}

// MetricReport holds the figures of one metric. Met and Breached count
// cycles: a running cycle counts once breached (with its elapsed time so
// far), cancelled cycles never. The mean (rounded to the millisecond) and
// the percentiles (nearest rank, exact) are over the elapsed business
// time, in whole seconds, of the cycles counted in Met and Breached.
type MetricReport struct {
	Met         int64    `json:"met"`
	Breached    int64    `json:"breached"`
	Compliance  *float64 `json:"compliance"`
	MeanSeconds *float64 `json:"mean_seconds"`
	P50Seconds  *int64   `json:"p50_seconds"`
	P90Seconds  *int64   `json:"p90_seconds"`
	P95Seconds  *int64   `json:"p95_seconds"`
	// TargetShare counts the decided cycles with a target by elapsed time
	// as a share of the target, in the bins of [ShareBounds] (up to 25%,
	// 50%, 75%, 100%, 150%, 200%, more); nil when there are none.
	TargetShare []int64 `json:"target_share,omitempty"`
}

// Reassignment counts hand-offs between teams. Tickets counts the tickets
// a team held at some point; Reassigned those handed from one team to
// another at least once. Hand-offs are the changes of team of
// [sla.Result.Handoffs] from one team to another, time with no team in
// between skipped; a return to a team that held the ticket before counts.
type Reassignment struct {
	Tickets      int64    `json:"tickets"`
	Reassigned   int64    `json:"reassigned"`
	Rate         *float64 `json:"rate"`          // Reassigned / Tickets
	MeanHandoffs *float64 `json:"mean_handoffs"` // hand-offs / Tickets
}

// StatusTime is the time spent in one status by the Tickets that entered
// it: per ticket, the sum of its stays, in wall-clock time and in
// business time of the calendar its clocks count in.
type StatusTime struct {
	Tickets  int64     `json:"tickets"`
	Wall     TimeStats `json:"wall"`
	Business TimeStats `json:"business"`
}

// TimeStats are the mean (rounded to the millisecond) and the nearest-rank
// percentiles of whole seconds; nil when there are no values.
type TimeStats struct {
	MeanSeconds *float64 `json:"mean_seconds"`
	P50Seconds  *int64   `json:"p50_seconds"`
	P90Seconds  *int64   `json:"p90_seconds"`
}

// CSAT sums satisfaction ratings up: the last rating (1-5) of each ticket
// that has one; a rating of 4 or 5 is positive.
type CSAT struct {
	Responses    int64    `json:"responses"`
	Mean         *float64 `json:"mean"`
	PositiveRate *float64 `json:"positive_rate"`
}

// OLATime is the business time one team held tickets during the cycles
// of a metric, and the number of cycles in which it used any.
type OLATime struct {
	Seconds int64 `json:"seconds"`
	Cycles  int64 `json:"cycles"`
}

// OLACompliance counts the decided cycles of one OLA metric of one team:
// Rate is Met / (Met + Breached), null when none was decided. Cancelled
// cycles (a hand-off away or a solve before the team owned the ticket,
// within its time) and running ones do not count; a running cycle past
// its deadline counts as breached.
type OLACompliance struct {
	Met      int64    `json:"met"`
	Breached int64    `json:"breached"`
	Rate     *float64 `json:"rate"`
}

// Report returns the figures of everything added and merged so far, with
// the groups and the goals. It may be called at any time; adding more
// results afterwards is allowed.
func (a *Accumulator) Report() Report {
	var buf, scratch []uint32
	r := a.all.report(&buf, &scratch)
	r.Skipped = a.skipped
	r.Worst = a.worst.report()
	if len(a.dims) > 0 {
		r.By = make(map[string]map[string]Report, len(a.dims))
		for i, d := range a.dims {
			g := make(map[string]Report, len(a.by[i]))
			goals := a.cfg.GoalsBy[d.name]
			for k, t := range a.by[i] {
				gr := t.report(&buf, &scratch)
				gr.BreachesByHour = nil
				for _, goal := range goals[k] {
					gr.Goals = append(gr.Goals, goal.Evaluate(&gr))
				}
				g[k] = gr
			}
			r.By[d.name] = g
		}
	}
	if len(a.cfg.Goals) > 0 {
		r.Goals = make([]GoalResult, len(a.cfg.Goals))
		for i, g := range a.cfg.Goals {
			r.Goals[i] = g.Evaluate(&r)
		}
	}
	return r
}

// Figure returns the value of the KPI name (see [GoalNames]) in r, in the
// KPI's unit ([KPIUnit]); false when it is undefined or unknown.
func (r *Report) Figure(name string) (float64, bool) {
	f := func(p *float64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return *p, true
	}
	switch name {
	case "sla_compliance":
		return f(r.SLACompliance)
	case "fcr_rate":
		return f(r.FCRRate)
	case "escalation_rate":
		return f(r.EscalationRate)
	case "reopen_rate":
		return f(r.ReopenRate)
	case "csat_mean":
		return f(r.CSAT.Mean)
	case "csat_positive_rate":
		return f(r.CSAT.PositiveRate)
	case "backlog":
		return float64(r.Backlog), true
	}
	_, m, err := KPIUnit(name)
	if err != nil || m == "" {
		return 0, false
	}
	mr, ok := r.Metrics[m]
	if !ok {
		return 0, false
	}
	i := func(p *int64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return float64(*p), true
	}
	switch name[len(m):] {
	case "_compliance":
		return f(mr.Compliance)
	case "_mean":
		return f(mr.MeanSeconds)
	case "_p50":
		return i(mr.P50Seconds)
	case "_p90":
		return i(mr.P90Seconds)
	case "_p95":
		return i(mr.P95Seconds)
	}
	return 0, false
}
