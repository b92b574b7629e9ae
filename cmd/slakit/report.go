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

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// worstInHTML is how many of the worst tickets the HTML report lists.
const worstInHTML = 20

func runReport(e *env, args []string) int {
	fs := newFlags(e, "report", "report --policy P --events E.jsonl [--at RFC3339] [--by priority,channel] [--bucket day|week|month] [--zone CALENDAR|IANA] [--format json|table|csv|html]",
		"Replays a history of ticket events against a policy and sums it up: per metric met,\n"+
			"breached, compliance, mean and p50/p90/p95 business time; SLA compliance per ticket;\n"+
			"first contact resolution; escalation, reopen, reassignment and CSAT rates; backlog;\n"+
			"time in each status; business time and OLA compliance per team; and the policy's\n"+
			"kpis goals (and goals_by per group) with their actual values. --by groups the\n"+
			"figures (priority, channel, team, agent, policy, calendar, status, customer.tier,\n"+
			"customer.country, customer.language, fields.NAME); --bucket adds a trend by day,\n"+
			"ISO week or month of ticket creation in --zone (a calendar of the policy or an\n"+
			"IANA zone such as America/New_York; default UTC). --format csv writes one row\n"+
			"per group and bucket; html one self-contained page with charts (grouped by\n"+
			"channel and priority too, a trend by day unless --bucket says otherwise).")
	f := addReplayFlags(fs, "json", "table", "csv", "html")
	by := fs.String("by", "", "comma-separated dimensions to group by")
	bucket := fs.String("bucket", "", "trend bucket: day, week or month of ticket creation")
	zone := fs.String("zone", "", "time zone of the buckets: a calendar of the policy or an IANA zone (default UTC)")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	switch kpi.Bucket(*bucket) {
	case kpi.NoBucket, kpi.Day, kpi.Week, kpi.Month:
	default:
		return usageError(e, fs, "--bucket %q: want day, week or month", *bucket)
	}
	in, st, ok := openReplay(e, fs, f)
	if !ok {
		return st
	}
	defer in.close()
	cfg := in.set.KPIConfig()
	cfg.GroupBy = splitList(*by)
	cfg.Bucket = kpi.Bucket(*bucket)
	cfg.Calendar = ticketCalendars(in.set)
	cfg.At = in.at
	if *zone != "" {
		loc, err := zoneOf(in.set, *zone)
		if err != nil {
			return usageError(e, fs, "--zone %q: %v", *zone, err)
		}
		cfg.Location = loc
	}
	if *f.format == "html" {
		for _, d := range []string{"channel", "priority"} {
			if !slices.Contains(cfg.GroupBy, d) {
				cfg.GroupBy = append(cfg.GroupBy, d)
			}
		}
		if cfg.Bucket == kpi.NoBucket {
			cfg.Bucket = kpi.Day
		}
		cfg.Worst = worstInHTML
	}
	// Each goroutine of the replay sums its own tickets up; the shards'
	// accumulators are merged at the end.
	shards := make([]*reportShard, replayWorkers())
	sinks := make([]sla.ShardSink, len(shards))
	for i := range shards {
		acc, err := kpi.New(cfg)
		if err != nil {
			return usageError(e, fs, "%v", err)
		}
		shards[i] = &reportShard{ShardSink: acc.Sink(), acc: acc}
		sinks[i] = shards[i]
	}
	var n replayCounts
	for err := range in.eng.ReplayShards(in.events, in.at, sinks) { // only the problems apart
		reportProblem(e, "report", in.name, err, &n)
	}
	acc := shards[0].acc
	withErrors, failing := shards[0].withErrors, shards[0].failing
	for _, s := range shards[1:] {
		if err := acc.Merge(s.acc); err != nil {
			fmt.Fprintf(e.stderr, "slakit: %v\n", err)
			return exitProblem
		}
		withErrors += s.withErrors
		failing += s.failing
	}
	rep := acc.Report()
	switch *f.format {
	case "json":
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: %v\n", err)
			return exitProblem
		}
		e.stdout.Write(append(b, '\n'))
	case "csv":
		if err := writeReportCSV(e.stdout, &rep); err != nil {
			return e.writeError(err)
		}
	case "html":
		page := reportPage{Title: "SLA report", Policy: *f.policy, Events: *f.events, Report: &rep,
			Config: acc.Config()}
		if err := page.write(e.stdout); err != nil {
			return e.writeError(err)
		}
	default:
		writeReportTable(e.stdout, &rep)
	}
	return problems(e, "report", in.set, n.bad, n.apart, withErrors, failing)
}

// reportShard sums up the results of one goroutine of the replay: its
// tickets' KPIs, and how many have errors and failing conditions.
type reportShard struct {
	sla.ShardSink       // of acc
	acc                 *kpi.Accumulator
	withErrors, failing int
}

func (s *reportShard) Result(r sla.Result, latest time.Time) {
	if len(r.Errors) > 0 {
		s.withErrors++
	}
	if hasFailures(&r) {
		s.failing++
	}
	s.ShardSink.Result(r, latest)
}

// ticketCalendars returns, for a ticket's policy and the name of the
// calendar its clocks count in (kpi.Config.Calendar), that calendar of set,
// else the policy's own.
func ticketCalendars(set *policy.Set) func(policy, name string) *calendar.Calendar {
	cals := map[string]*calendar.Calendar{}
	for _, p := range set.Config().Policies {
		cals[p.Name] = p.Calendar
	}
	return func(pol, name string) *calendar.Calendar {
		if c := set.Calendar(name); c != nil {
			return c
		}
		return cals[pol]
	}
}

// zoneOf resolves --zone: a calendar of the policy, else an IANA zone.
func zoneOf(set *policy.Set, name string) (*time.Location, error) {
	if c := set.Calendar(name); c != nil {
		return c.Location(), nil
	}
	if name == "Local" {
		return nil, fmt.Errorf("want a calendar of the policy or an IANA zone, not Local")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		cals := set.Calendars()
		if len(cals) == 0 {
			return nil, fmt.Errorf("no such IANA zone, and the policy has no calendars")
		}
		return nil, fmt.Errorf("no such calendar in the policy (calendars: %s) nor IANA zone", strings.Join(cals, ", "))
	}
	return loc, nil
}

// writeReportTable prints a report for people. A figure with nothing to
// measure is left out: metrics without decided cycles, statuses nobody
// entered.
func writeReportTable(out io.Writer, r *kpi.Report) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintf(tw, "tickets\t%d\twithout policy\t%d\tbacklog\t%d\n", r.Tickets, r.TicketsWithoutPolicy, r.Backlog)
	fmt.Fprintf(tw, "SLA compliance\t%s\tFCR\t%s\tescalations\t%s\treopens\t%s\n",
		fmtPct(r.SLACompliance), fmtPct(r.FCRRate), fmtPct(r.EscalationRate), fmtPct(r.ReopenRate))
	if r.Reassignment.Tickets > 0 {
		fmt.Fprintf(tw, "reassigned\t%s\thand-offs\t%s\tof tickets\t%d\n", fmtPct(r.Reassignment.Rate),
			fmtNum(r.Reassignment.MeanHandoffs), r.Reassignment.Tickets)
	}
	if r.CSAT.Responses > 0 {
		fmt.Fprintf(tw, "CSAT\t%s\tpositive\t%s\tresponses\t%d\n", fmtNum(r.CSAT.Mean), fmtPct(r.CSAT.PositiveRate), r.CSAT.Responses)
	}
	fmt.Fprintln(tw)

	fmt.Fprintln(tw, "METRIC\tMET\tBREACHED\tCOMPLIANCE\tMEAN\tP50\tP90\tP95")
	for _, m := range reportMetrics(r) {
		x := r.Metrics[m]
		if x.Met+x.Breached == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", m, x.Met, x.Breached, fmtPct(x.Compliance),
			fmtSecsF(x.MeanSeconds), fmtSecs(x.P50Seconds), fmtSecs(x.P90Seconds), fmtSecs(x.P95Seconds))
	}
	writeGoals(tw, "GOAL", r.Goals)
	if len(r.TimeInStatus) > 0 {
		fmt.Fprintln(tw, "\nSTATUS\tTICKETS\tWALL MEAN\tWALL P50\tWALL P90\tBUSINESS MEAN\tBUSINESS P50\tBUSINESS P90")
		for _, s := range statusOrder(r.TimeInStatus) {
			x := r.TimeInStatus[s]
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", s, x.Tickets, fmtSecsF(x.Wall.MeanSeconds),
				fmtSecs(x.Wall.P50Seconds), fmtSecs(x.Wall.P90Seconds), fmtSecsF(x.Business.MeanSeconds),
				fmtSecs(x.Business.P50Seconds), fmtSecs(x.Business.P90Seconds))
		}
	}
	for _, m := range slices.Sorted(maps.Keys(r.OLA)) {
		fmt.Fprintf(tw, "\nTEAM (%s)\tBUSINESS TIME\tCYCLES\n", m)
		teams := r.OLA[m]
		for _, t := range slices.SortedFunc(maps.Keys(teams), kpi.NaturalCompare) {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", t, fmtDur(time.Duration(teams[t].Seconds)*time.Second), teams[t].Cycles)
		}
	}
	if len(r.OLACompliance) > 0 {
		fmt.Fprintln(tw, "\nTEAM (OLA)\tMETRIC\tMET\tBREACHED\tCOMPLIANCE")
		for _, row := range olaRows(r) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Team, row.Metric, row.Met, row.Breached, row.Rate)
		}
	}
	for _, dim := range reportDims(r) {
		fmt.Fprintf(tw, "\nBY %s\tTICKETS\tSLA COMPLIANCE\tFIRST RESPONSE P50\tP90\tRESOLUTION COMPLIANCE\tFCR\tESCALATIONS\tBACKLOG\n", strings.ToUpper(dim))
		groups := r.By[dim]
		keys := kpi.GroupKeys(groups)
		for _, k := range keys {
			g := groups[k]
			fr, res := g.Metrics[sla.FirstResponse], g.Metrics[sla.Resolution]
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k, g.Tickets, fmtPct(g.SLACompliance),
				fmtSecs(fr.P50Seconds), fmtSecs(fr.P90Seconds), fmtPct(res.Compliance), fmtPct(g.FCRRate),
				fmtPct(g.EscalationRate), g.Backlog)
		}
		for _, k := range keys {
			writeGoals(tw, fmt.Sprintf("GOAL (%s %s)", dim, k), groups[k].Goals)
		}
	}
}

// writeGoals prints goals with their actual values; a missed goal is
// marked "! NO".
func writeGoals(tw io.Writer, title string, goals []kpi.GoalResult) {
	if len(goals) == 0 {
		return
	}
	fmt.Fprintf(tw, "\n%s\tTARGET\tACTUAL\tMET\n", title)
	for _, g := range goals {
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

// statusOrder lists the statuses of m in their life-cycle order.
func statusOrder[V any](m map[sla.Status]V) []sla.Status {
	var out []sla.Status
	for _, s := range sla.Statuses() {
		if _, ok := m[s]; ok {
			out = append(out, s)
		}
	}
	return out
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
