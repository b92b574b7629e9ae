package main

import (
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
)

// replayCSVHeader names the columns of replay --format csv: one row per
// ticket and clock (a ticket without clocks has one row with the clock
// columns empty). Instants are RFC 3339 in UTC; durations whole seconds of
// business time.
var replayCSVHeader = []string{"ticket", "policy", "priority", "status", "channel", "team",
	"metric", "cycle", "state", "started_at", "stopped_at", "deadline", "breached_at",
	"target_seconds", "elapsed_seconds", "paused_seconds", "errors"}

// writeReplayCSV writes the rows of one result.
func writeReplayCSV(w *csv.Writer, r *sla.Result) {
	errs := make([]string, len(r.Errors))
	for i, err := range r.Errors {
		errs[i] = err.Error()
	}
	head := []string{r.Ticket, r.Policy, r.Priority, string(r.Status), r.Attributes.Channel, r.Attributes.Team}
	tail := strings.Join(errs, "; ")
	if len(r.Clocks) == 0 {
		row := append(slices.Clone(head), "", "", "", "", "", "", "", "", "", "", tail)
		w.Write(row)
		return
	}
	for i := range r.Clocks {
		c := &r.Clocks[i]
		row := append(slices.Clone(head), string(c.Metric), strconv.Itoa(c.Cycle), string(c.State),
			csvTime(c.Start), csvTime(c.Stop), csvTime(c.Deadline), csvTime(c.BreachedAt),
			csvSecs(c.Target), csvSecs(c.Elapsed), csvSecs(c.PausedTime), tail)
		w.Write(row)
	}
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvSecs(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

func csvFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func csvInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// reportCSVFixed are the columns of report --format csv before the
// per-metric ones.
var reportCSVFixed = []string{"dimension", "group", "tickets", "tickets_without_policy", "backlog",
	"sla_compliance", "fcr_rate", "escalation_rate", "reopen_rate", "csat_responses", "csat_mean",
	"csat_positive_rate", "reassignment_rate", "mean_handoffs"}

// reportCSVMetric are the per-metric columns, each prefixed with the
// metric's name and an underscore.
var reportCSVMetric = []string{"met", "breached", "compliance", "mean_seconds", "p50_seconds", "p90_seconds", "p95_seconds"}

// reportCSVOLA are the OLA compliance columns of one team and OLA metric,
// each prefixed with the metric's name, "@", the team and an underscore
// (ola.time_to_own@billing_met).
var reportCSVOLA = []string{"met", "breached", "compliance"}

// writeReportCSV writes a report as one row for all tickets (dimension
// "all", group empty), then one row per group of every dimension in
// natural order. Ratios are fractions; empty cells are undefined figures.
func writeReportCSV(out io.Writer, r *kpi.Report) error {
	metrics := reportMetrics(r)
	olas := reportOLAs(r)
	w := csv.NewWriter(out)
	head := slices.Clone(reportCSVFixed)
	for _, m := range metrics {
		for _, c := range reportCSVMetric {
			head = append(head, string(m)+"_"+c)
		}
	}
	for _, o := range olas {
		for _, c := range reportCSVOLA {
			head = append(head, string(o.metric)+"@"+o.team+"_"+c)
		}
	}
	w.Write(head)
	row := func(dim, key string, g *kpi.Report) {
		rec := []string{dim, key, strconv.FormatInt(g.Tickets, 10), strconv.FormatInt(g.TicketsWithoutPolicy, 10),
			strconv.FormatInt(g.Backlog, 10), csvFloat(g.SLACompliance), csvFloat(g.FCRRate), csvFloat(g.EscalationRate),
			csvFloat(g.ReopenRate), strconv.FormatInt(g.CSAT.Responses, 10), csvFloat(g.CSAT.Mean),
			csvFloat(g.CSAT.PositiveRate), csvFloat(g.Reassignment.Rate), csvFloat(g.Reassignment.MeanHandoffs)}
		for _, m := range metrics {
			x, ok := g.Metrics[m]
			if !ok {
				rec = append(rec, "0", "0", "", "", "", "", "")
				continue
			}
			rec = append(rec, strconv.FormatInt(x.Met, 10), strconv.FormatInt(x.Breached, 10), csvFloat(x.Compliance),
				csvFloat(x.MeanSeconds), csvInt(x.P50Seconds), csvInt(x.P90Seconds), csvInt(x.P95Seconds))
		}
		for _, o := range olas {
			x, ok := g.OLACompliance[o.team][o.metric]
			if !ok {
				rec = append(rec, "0", "0", "")
				continue
			}
			rec = append(rec, strconv.FormatInt(x.Met, 10), strconv.FormatInt(x.Breached, 10), csvFloat(x.Rate))
		}
		w.Write(rec)
	}
	row("all", "", r)
	for _, dim := range reportDims(r) {
		groups := r.By[dim]
		for _, k := range kpi.GroupKeys(groups) {
			g := groups[k]
			row(dim, k, &g)
		}
	}
	w.Flush()
	return w.Error()
}

// reportMetrics lists the metrics of a report and its groups: the
// built-in ones in their usual order, then the others by name.
func reportMetrics(r *kpi.Report) []sla.Metric {
	seen := map[sla.Metric]bool{}
	add := func(g *kpi.Report) {
		for m := range g.Metrics {
			seen[m] = true
		}
	}
	add(r)
	for _, groups := range r.By {
		for _, g := range groups {
			add(&g)
		}
	}
	var out []sla.Metric
	for _, m := range builtinColumns {
		if seen[m] {
			out = append(out, m)
			delete(seen, m)
		}
	}
	rest := make([]sla.Metric, 0, len(seen))
	for m := range seen {
		rest = append(rest, m)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// olaColumn is one team and OLA metric of the OLA compliance columns.
type olaColumn struct {
	team   string
	metric sla.Metric
}

// reportOLAs lists the teams and OLA metrics of the OLA compliance of a
// report and its groups: by team in natural order, then by metric.
func reportOLAs(r *kpi.Report) []olaColumn {
	seen := map[olaColumn]bool{}
	add := func(g *kpi.Report) {
		for team, ms := range g.OLACompliance {
			for m := range ms {
				seen[olaColumn{team, m}] = true
			}
		}
	}
	add(r)
	for _, groups := range r.By {
		for _, g := range groups {
			add(&g)
		}
	}
	out := slices.Collect(maps.Keys(seen))
	slices.SortFunc(out, func(a, b olaColumn) int {
		if c := kpi.NaturalCompare(a.team, b.team); c != 0 {
			return c
		}
		return strings.Compare(string(a.metric), string(b.metric))
	})
	return out
}

// reportDims lists the dimensions of r.By: the groups first (by name),
// then the time bucket.
func reportDims(r *kpi.Report) []string {
	var dims, buckets []string
	for d := range r.By {
		switch kpi.Bucket(d) {
		case kpi.Day, kpi.Week, kpi.Month:
			buckets = append(buckets, d)
		default:
			dims = append(dims, d)
		}
	}
	slices.Sort(dims)
	return append(dims, buckets...)
}
