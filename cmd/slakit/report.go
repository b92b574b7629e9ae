package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
)

func runReport(e *env, args []string) int {
	fs := newFlags(e, "report", "report --policy P --events E.jsonl [--at RFC3339] [--by priority,channel] [--bucket day|week --zone CALENDAR] [--format json|table]",
		"Replays a history of ticket events against a policy and sums it up: per metric met,\n"+
			"breached, compliance, mean and p50/p90/p95 business time; SLA compliance per ticket;\n"+
			"first contact resolution; escalation, reopen and CSAT rates; backlog; business time per\n"+
			"team (OLA); and the policy's kpis goals with their actual values. --by groups the\n"+
			"figures (priority, channel, team, agent, policy, status, customer.tier, fields.NAME);\n"+
			"--bucket adds a trend by day or ISO week of ticket creation in --zone's calendar zone.")
	f := addReplayFlags(fs)
	by := fs.String("by", "", "comma-separated dimensions to group by")
	bucket := fs.String("bucket", "", "trend bucket: day or week of ticket creation")
	zone := fs.String("zone", "", "calendar of the policy whose time zone the buckets follow (default UTC)")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	if *bucket != "" && *bucket != string(kpi.Day) && *bucket != string(kpi.Week) {
		return usageError(e, fs, "--bucket %q: want day or week", *bucket)
	}
	in, st, ok := openReplay(e, fs, f)
	if !ok {
		return st
	}
	defer in.close()
	set := in.set
	cfg := set.KPIConfig()
	cfg.GroupBy = splitList(*by)
	cfg.Bucket = kpi.Bucket(*bucket)
	if *zone != "" {
		c := set.Calendar(*zone)
		if c == nil {
			return usageError(e, fs, "--zone %q: no such calendar in %s (calendars: %s)", *zone, *f.policy, strings.Join(set.Calendars(), ", "))
		}
		cfg.Location = c.Location()
	}
	acc, err := kpi.New(cfg)
	if err != nil {
		return usageError(e, fs, "%v", err)
	}
	withErrors := 0
	apart := 0
	for r, err := range in.eng.Replay(in.events, in.at) {
		if err != nil {
			apart++
			fmt.Fprintf(e.stderr, "slakit report: %v\n", err)
			continue
		}
		if len(r.Errors) > 0 {
			withErrors++
		}
		acc.Add(r)
	}
	rep := acc.Report()
	if *f.format == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: %v\n", err)
			return exitProblem
		}
		e.stdout.Write(append(b, '\n'))
	} else {
		writeReportTable(e.stdout, &rep)
	}
	return problems(e, "report", in.bad, apart, withErrors)
}

// writeReportTable prints a report for people.
func writeReportTable(out io.Writer, r *kpi.Report) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintf(tw, "tickets\t%d\twithout policy\t%d\tbacklog\t%d\n", r.Tickets, r.TicketsWithoutPolicy, r.Backlog)
	fmt.Fprintf(tw, "SLA compliance\t%s\tFCR\t%s\tescalations\t%s\treopens\t%s\n",
		fmtPct(r.SLACompliance), fmtPct(r.FCRRate), fmtPct(r.EscalationRate), fmtPct(r.ReopenRate))
	csatMean := "-"
	if r.CSAT.Mean != nil {
		csatMean = fmt.Sprintf("%.2f", *r.CSAT.Mean)
	}
	fmt.Fprintf(tw, "CSAT\t%s\tpositive\t%s\tresponses\t%d\n\n", csatMean, fmtPct(r.CSAT.PositiveRate), r.CSAT.Responses)

	fmt.Fprintln(tw, "METRIC\tMET\tBREACHED\tCOMPLIANCE\tMEAN\tP50\tP90\tP95")
	for _, m := range sortedMetrics(r.Metrics) {
		x := r.Metrics[m]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", m, x.Met, x.Breached, fmtPct(x.Compliance),
			fmtSecsF(x.MeanSeconds), fmtSecs(x.P50Seconds), fmtSecs(x.P90Seconds), fmtSecs(x.P95Seconds))
	}
	if len(r.Goals) > 0 {
		fmt.Fprintln(tw, "\nGOAL\tTARGET\tACTUAL\tMET")
		for _, g := range r.Goals {
			actual, met := "-", "-"
			if g.Actual != nil {
				actual = goalValue(g.KPI, *g.Actual)
			}
			if g.Met != nil {
				met = "yes"
				if !*g.Met {
					met = "! NO"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", g.KPI, g.Target, actual, met)
		}
	}
	for _, m := range sortedMetrics(r.OLA) {
		fmt.Fprintf(tw, "\nTEAM (%s)\tBUSINESS TIME\tCYCLES\n", m)
		teams := r.OLA[m]
		for _, t := range slices.Sorted(maps.Keys(teams)) {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", t, fmtDur(time.Duration(teams[t].Seconds)*time.Second), teams[t].Cycles)
		}
	}
	for _, dim := range slices.Sorted(maps.Keys(r.By)) {
		fmt.Fprintf(tw, "\nBY %s\tTICKETS\tSLA COMPLIANCE\tFCR\tESCALATIONS\tBACKLOG\n", strings.ToUpper(dim))
		groups := r.By[dim]
		for _, k := range slices.Sorted(maps.Keys(groups)) {
			g := groups[k]
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\n", k, g.Tickets, fmtPct(g.SLACompliance), fmtPct(g.FCRRate),
				fmtPct(g.EscalationRate), g.Backlog)
		}
	}
}

// goalValue prints a goal's actual value in the goal's unit.
func goalValue(name string, v float64) string {
	unit, _, err := kpi.KPIUnit(name)
	switch {
	case err != nil:
		return fmt.Sprint(v)
	case unit == kpi.Ratio:
		return fmtPct(&v)
	case unit == kpi.Seconds:
		return fmtDur(time.Duration(v * float64(time.Second)))
	}
	return fmt.Sprintf("%.2f", v)
}

func sortedMetrics[V any](m map[sla.Metric]V) []sla.Metric {
	return slices.Sorted(maps.Keys(m))
}
