package main

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
)

// reportPage is the HTML report: one self-contained page (styles and SVG
// charts inline, no script, no network reference) that prints well.
type reportPage struct {
	Title          string
	Policy, Events string // the input files, as named on the command line
	Report         *kpi.Report
	Config         kpi.Config
}

// pageData is what the template renders.
type pageData struct {
	Title, Policy, Events, Zone, Bucket string
	Cards                               []card
	Goals                               []goalRow
	MetricChart                         template.HTML
	Metrics                             []metricRow
	VolumeChart, TrendChart             template.HTML
	Distributions                       []distribution
	HeatMap                             template.HTML
	Breaches                            int64
	TeamChart                           template.HTML
	Teams                               []teamRow
	OLAs                                []olaRow
	Status                              []statusRow
	Groups                              []groupTable
	Worst                               []worstRow
}

type card struct{ Label, Value, Note string }

type goalRow struct {
	Scope, KPI, Target, Actual, Verdict, Class string
}

type metricRow struct {
	Metric, Met, Breached, Compliance, Mean, P50, P90, P95 string
}

type distribution struct {
	Metric string
	Chart  template.HTML
}

type teamRow struct{ Team, Time, Cycles string }

// olaRow is a line of OLA compliance: one team and OLA metric.
type olaRow struct{ Team, Metric, Met, Breached, Rate string }

// olaRows lists the OLA compliance of r by team (natural order), then
// metric.
func olaRows(r *kpi.Report) []olaRow {
	var out []olaRow
	for _, team := range slices.SortedFunc(maps.Keys(r.OLACompliance), kpi.NaturalCompare) {
		ms := r.OLACompliance[team]
		for _, m := range slices.Sorted(maps.Keys(ms)) {
			x := ms[m]
			out = append(out, olaRow{Team: team, Metric: string(m), Met: fmt.Sprint(x.Met), Breached: fmt.Sprint(x.Breached), Rate: fmtPct(x.Rate)})
		}
	}
	return out
}

type statusRow struct {
	Status, Tickets, WallMean, WallP50, WallP90, BusMean, BusP50, BusP90 string
}

type groupTable struct {
	Dim  string
	Rows []groupRow
}

type groupRow struct {
	Key, Tickets, SLA, FRP50, FRP90, ResCompliance, FCR, Escalations, Backlog, Goals string
	GoalsMissed                                                                      bool
}

type worstRow struct {
	Ticket, Policy, Priority, Status, Channel, Team, Overrun string
	Clocks                                                   []string
}

// write renders the page.
func (p *reportPage) write(w io.Writer) error {
	return pageTemplate.Execute(w, p.data())
}

// metricTitle names a metric for people.
func metricTitle(m sla.Metric) string {
	return strings.ReplaceAll(string(m), "_", " ")
}

func (p *reportPage) data() pageData {
	r := p.Report
	d := pageData{Title: p.Title, Policy: p.Policy, Events: p.Events, Bucket: string(p.Config.Bucket), Zone: "UTC"}
	if p.Config.Location != nil {
		d.Zone = p.Config.Location.String()
	}
	d.Cards = []card{
		{"Tickets", fmt.Sprint(r.Tickets), fmt.Sprintf("%d without policy", r.TicketsWithoutPolicy)},
		{"SLA compliance", fmtPct(r.SLACompliance), "tickets with no breached clock"},
		{"First contact resolution", fmtPct(r.FCRRate), "solved at the first reply"},
		{"Escalations", fmtPct(r.EscalationRate), "of all tickets"},
		{"Reopens", fmtPct(r.ReopenRate), "of solved tickets"},
		{"Reassigned", fmtPct(r.Reassignment.Rate), fmt.Sprintf("%s hand-offs per ticket", fmtNum(r.Reassignment.MeanHandoffs))},
		{"CSAT", fmtNum(r.CSAT.Mean), fmt.Sprintf("%s positive of %d", fmtPct(r.CSAT.PositiveRate), r.CSAT.Responses)},
		{"Backlog", fmt.Sprint(r.Backlog), "not solved at the report instant"},
	}
	d.Goals = goalRows("all tickets", r.Goals)

	var bars []bar
	for _, m := range reportMetrics(r) {
		x := r.Metrics[m]
		if x.Met+x.Breached == 0 {
			continue
		}
		bars = append(bars, bar{label: metricTitle(m), key: string(m), value: *x.Compliance,
			text: fmt.Sprintf("%s (%d of %d)", fmtPct(x.Compliance), x.Met, x.Met+x.Breached)})
		d.Metrics = append(d.Metrics, metricRow{Metric: metricTitle(m), Met: fmt.Sprint(x.Met), Breached: fmt.Sprint(x.Breached),
			Compliance: fmtPct(x.Compliance), Mean: fmtSecsF(x.MeanSeconds), P50: fmtSecs(x.P50Seconds),
			P90: fmtSecs(x.P90Seconds), P95: fmtSecs(x.P95Seconds)})
		if x.TargetShare != nil {
			d.Distributions = append(d.Distributions, distribution{Metric: metricTitle(m), Chart: shareChart(m, x.TargetShare)})
		}
	}
	if len(bars) > 0 {
		d.MetricChart = hbarChart("chart-compliance", "compliance", "Compliance per metric",
			"Share of decided cycles met within target, per metric: "+barSummary(bars), bars, 1)
	}

	if groups := r.By[d.Bucket]; len(groups) > 0 {
		var vol []bar
		var pts []point
		for _, k := range kpi.GroupKeys(groups) {
			g := groups[k]
			vol = append(vol, bar{label: k, key: k, value: float64(g.Tickets), text: fmt.Sprintf("%d tickets", g.Tickets)})
			pt := point{label: k, key: k, text: fmtPct(g.SLACompliance)}
			if g.SLACompliance != nil {
				pt.value, pt.ok = *g.SLACompliance, true
			}
			pts = append(pts, pt)
		}
		d.VolumeChart = columnChart("chart-volume", "volume", "Tickets created per "+d.Bucket,
			fmt.Sprintf("Tickets created per %s, %d %ss from %s to %s.", d.Bucket, len(vol), d.Bucket, vol[0].label, vol[len(vol)-1].label), vol, -1, "")
		d.TrendChart = lineChart("chart-trend", "trend", "SLA compliance per "+d.Bucket,
			fmt.Sprintf("Share of tickets with no breached clock, per %s of creation; gaps where nothing was decided.", d.Bucket), pts)
	}

	if len(r.BreachesByHour) == 168 {
		for _, n := range r.BreachesByHour {
			d.Breaches += n
		}
		d.HeatMap = heatMap("chart-heat", "breaches-by-hour", "Breaches by hour of the week",
			fmt.Sprintf("%d breaches by the local hour (%s) at which the clock passed its target, Monday to Sunday; darker cells hold more. Busiest: %s.",
				d.Breaches, d.Zone, busiestHour(r.BreachesByHour)), r.BreachesByHour)
	}

	d.OLAs = olaRows(r)
	if teams := r.OLA[sla.Resolution]; len(teams) > 0 {
		keys := slices.SortedFunc(maps.Keys(teams), kpi.NaturalCompare)
		var tb []bar
		top := 0.0
		for _, k := range keys {
			t := teams[k]
			txt := fmtDur(time.Duration(t.Seconds) * time.Second)
			tb = append(tb, bar{label: k, key: k, value: float64(t.Seconds), text: txt})
			top = max(top, float64(t.Seconds))
			d.Teams = append(d.Teams, teamRow{Team: k, Time: txt, Cycles: fmt.Sprint(t.Cycles)})
		}
		d.TeamChart = hbarChart("chart-teams", "team-time", "Resolution time held by each team",
			"Business time of resolution cycles during which each team held the ticket: "+barSummary(tb), tb, top)
	}

	for _, s := range statusOrder(r.TimeInStatus) {
		x := r.TimeInStatus[s]
		d.Status = append(d.Status, statusRow{Status: string(s), Tickets: fmt.Sprint(x.Tickets),
			WallMean: fmtSecsF(x.Wall.MeanSeconds), WallP50: fmtSecs(x.Wall.P50Seconds), WallP90: fmtSecs(x.Wall.P90Seconds),
			BusMean: fmtSecsF(x.Business.MeanSeconds), BusP50: fmtSecs(x.Business.P50Seconds), BusP90: fmtSecs(x.Business.P90Seconds)})
	}

	for _, dim := range reportDims(r) {
		if dim == d.Bucket {
			continue
		}
		gt := groupTable{Dim: dim}
		groups := r.By[dim]
		for _, k := range kpi.GroupKeys(groups) {
			g := groups[k]
			fr, res := g.Metrics[sla.FirstResponse], g.Metrics[sla.Resolution]
			row := groupRow{Key: k, Tickets: fmt.Sprint(g.Tickets), SLA: fmtPct(g.SLACompliance),
				FRP50: fmtSecs(fr.P50Seconds), FRP90: fmtSecs(fr.P90Seconds), ResCompliance: fmtPct(res.Compliance),
				FCR: fmtPct(g.FCRRate), Escalations: fmtPct(g.EscalationRate), Backlog: fmt.Sprint(g.Backlog)}
			var goals []string
			for _, gr := range g.Goals {
				v := "no data"
				if gr.Met != nil && *gr.Met {
					v = "met"
				} else if gr.Met != nil {
					v, row.GoalsMissed = "missed", true
				}
				goals = append(goals, fmt.Sprintf("%s %s: %s", gr.KPI, gr.Target, v))
			}
			row.Goals = strings.Join(goals, "; ")
			gt.Rows = append(gt.Rows, row)
			d.Goals = append(d.Goals, goalRows(dim+" "+k, g.Goals)...)
		}
		d.Groups = append(d.Groups, gt)
	}

	for _, wt := range r.Worst {
		row := worstRow{Ticket: wt.Ticket, Policy: orDash(wt.Policy), Priority: orDash(wt.Priority), Status: string(wt.Status),
			Channel: orDash(wt.Channel), Team: orDash(wt.Team), Overrun: fmtDur(time.Duration(wt.OverrunSeconds) * time.Second)}
		for _, c := range wt.Clocks {
			txt := clockText(sla.Clock{State: c.State, Elapsed: time.Duration(c.ElapsedSeconds) * time.Second,
				Target: time.Duration(c.TargetSeconds) * time.Second})
			row.Clocks = append(row.Clocks, fmt.Sprintf("%s #%d: %s", metricTitle(c.Metric), c.Cycle, txt))
		}
		d.Worst = append(d.Worst, row)
	}
	return d
}

// shareLabels name the bins of kpi.ShareBounds.
func shareLabels() []string {
	out := make([]string, 0, len(kpi.ShareBounds)+1)
	for _, b := range kpi.ShareBounds {
		out = append(out, fmt.Sprintf("≤%.0f%%", 100*b))
	}
	return append(out, fmt.Sprintf(">%.0f%%", 100*kpi.ShareBounds[len(kpi.ShareBounds)-1]))
}

// shareChart draws the distribution of a metric's elapsed times as shares
// of their targets, with the target marked.
func shareChart(m sla.Metric, counts []int64) template.HTML {
	labels := shareLabels()
	var items []bar
	var total int64
	for i, n := range counts {
		items = append(items, bar{label: labels[i], key: fmt.Sprint(i), value: float64(n), text: fmt.Sprintf("%d cycles", n)})
		total += n
	}
	target := slices.Index(kpi.ShareBounds[:], 1) + 1
	var over int64
	for _, n := range counts[target:] {
		over += n
	}
	id := "chart-share-" + strings.ReplaceAll(string(m), "_", "-")
	return columnChart(id, "share-"+string(m), "Distribution of "+metricTitle(m)+" times",
		fmt.Sprintf("%d decided cycles by elapsed business time as a share of their target; %d beyond the target line.", total, over),
		items, target, "target")
}

// barSummary lists the bars' labels and texts, for a chart's description.
func barSummary(bars []bar) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = b.label + " " + b.text
	}
	return strings.Join(parts, ", ") + "."
}

// busiestHour names the hour of the week with the most breaches.
func busiestHour(counts []int64) string {
	best := 0
	for i, n := range counts {
		if n > counts[best] {
			best = i
		}
	}
	if counts[best] == 0 {
		return "none"
	}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	return fmt.Sprintf("%s %02d:00 with %d", days[best/24], best%24, counts[best])
}

func goalRows(scope string, goals []kpi.GoalResult) []goalRow {
	var out []goalRow
	for _, g := range goals {
		row := goalRow{Scope: scope, KPI: g.KPI, Target: g.Target, Actual: "-", Verdict: "no data", Class: "nodata"}
		if g.Actual != nil {
			row.Actual = goalValue(g.KPI, *g.Actual)
		}
		if g.Met != nil {
			row.Verdict, row.Class = "met", "met"
			if !*g.Met {
				row.Verdict, row.Class = "missed", "missed"
			}
		}
		out = append(out, row)
	}
	return out
}

var pageTemplate = template.Must(template.New("page").Parse(`{{template "head" .Title}}
<p class="meta">Policy <code>{{.Policy}}</code>, events <code>{{.Events}}</code>. Times are business time of each ticket's policy calendar unless marked wall-clock; days, weeks and hours in {{.Zone}}.</p>
</header>
<main>
<section aria-labelledby="h-headline">
<h2 id="h-headline">Headline</h2>
<ul class="cards">
{{- range .Cards}}
<li><span class="label">{{.Label}}</span><span class="value">{{.Value}}</span><span class="note">{{.Note}}</span></li>
{{- end}}
</ul>
{{- if .Goals}}
<h3>Goals</h3>
<table>
<thead><tr><th scope="col">Scope</th><th scope="col">KPI</th><th scope="col">Target</th><th scope="col" class="num">Actual</th><th scope="col">Verdict</th></tr></thead>
<tbody>
{{- range .Goals}}
<tr><td>{{.Scope}}</td><td>{{.KPI}}</td><td>{{.Target}}</td><td class="num">{{.Actual}}</td><td class="{{.Class}}">{{.Verdict}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</section>
{{- if .Metrics}}
<section aria-labelledby="h-metrics">
<h2 id="h-metrics">Compliance per metric</h2>
<figure>{{.MetricChart}}<figcaption>Share of decided cycles met within their target.</figcaption></figure>
<table>
<thead><tr><th scope="col">Metric</th><th scope="col" class="num">Met</th><th scope="col" class="num">Breached</th><th scope="col" class="num">Compliance</th><th scope="col" class="num">Mean</th><th scope="col" class="num">P50</th><th scope="col" class="num">P90</th><th scope="col" class="num">P95</th></tr></thead>
<tbody>
{{- range .Metrics}}
<tr><th scope="row">{{.Metric}}</th><td class="num">{{.Met}}</td><td class="num">{{.Breached}}</td><td class="num">{{.Compliance}}</td><td class="num">{{.Mean}}</td><td class="num">{{.P50}}</td><td class="num">{{.P90}}</td><td class="num">{{.P95}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- if .VolumeChart}}
<section aria-labelledby="h-trend">
<h2 id="h-trend">Trend by {{.Bucket}}</h2>
<figure>{{.VolumeChart}}<figcaption>Tickets created per {{.Bucket}}.</figcaption></figure>
<figure>{{.TrendChart}}<figcaption>SLA compliance of the tickets created in each {{.Bucket}}.</figcaption></figure>
</section>
{{- end}}
{{- if .Distributions}}
<section aria-labelledby="h-dist">
<h2 id="h-dist">Distribution of times against the target</h2>
<p class="note">Each bar counts the decided cycles whose elapsed business time was up to that share of their own target; the dashed line is the target.</p>
{{- range .Distributions}}
<figure>{{.Chart}}<figcaption>{{.Metric}}</figcaption></figure>
{{- end}}
</section>
{{- end}}
{{- if .HeatMap}}
<section aria-labelledby="h-heat">
<h2 id="h-heat">When does the desk miss?</h2>
<figure>{{.HeatMap}}<figcaption>{{.Breaches}} breaches by the hour of the week at which the clock passed its target ({{.Zone}}).</figcaption></figure>
</section>
{{- end}}
{{- if .Teams}}
<section aria-labelledby="h-teams">
<h2 id="h-teams">Teams</h2>
<figure>{{.TeamChart}}<figcaption>Business time of resolution cycles held by each team; (none) is time with no team.</figcaption></figure>
<table>
<thead><tr><th scope="col">Team</th><th scope="col" class="num">Resolution time held</th><th scope="col" class="num">Cycles</th></tr></thead>
<tbody>
{{- range .Teams}}
<tr><th scope="row">{{.Team}}</th><td class="num">{{.Time}}</td><td class="num">{{.Cycles}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- if .OLAs}}
<section aria-labelledby="h-ola">
<h2 id="h-ola">OLA compliance</h2>
<table>
<caption>Cycles of each team's operational level agreement met and breached; compliance is met / (met + breached).</caption>
<thead><tr><th scope="col">Team</th><th scope="col">OLA metric</th><th scope="col" class="num">Met</th><th scope="col" class="num">Breached</th><th scope="col" class="num">Compliance</th></tr></thead>
<tbody>
{{- range .OLAs}}
<tr><th scope="row">{{.Team}}</th><td>{{.Metric}}</td><td class="num">{{.Met}}</td><td class="num">{{.Breached}}</td><td class="num">{{.Rate}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- if .Status}}
<section aria-labelledby="h-status">
<h2 id="h-status">Time in status</h2>
<table>
<thead><tr><th scope="col">Status</th><th scope="col" class="num">Tickets</th><th scope="col" class="num">Wall mean</th><th scope="col" class="num">Wall p50</th><th scope="col" class="num">Wall p90</th><th scope="col" class="num">Business mean</th><th scope="col" class="num">Business p50</th><th scope="col" class="num">Business p90</th></tr></thead>
<tbody>
{{- range .Status}}
<tr><th scope="row">{{.Status}}</th><td class="num">{{.Tickets}}</td><td class="num">{{.WallMean}}</td><td class="num">{{.WallP50}}</td><td class="num">{{.WallP90}}</td><td class="num">{{.BusMean}}</td><td class="num">{{.BusP50}}</td><td class="num">{{.BusP90}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- range .Groups}}
<section aria-labelledby="h-by-{{.Dim}}">
<h2 id="h-by-{{.Dim}}">By {{.Dim}}</h2>
<table>
<thead><tr><th scope="col">{{.Dim}}</th><th scope="col" class="num">Tickets</th><th scope="col" class="num">SLA compliance</th><th scope="col" class="num">First response p50</th><th scope="col" class="num">First response p90</th><th scope="col" class="num">Resolution compliance</th><th scope="col" class="num">FCR</th><th scope="col" class="num">Escalations</th><th scope="col" class="num">Backlog</th><th scope="col">Goals</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><th scope="row">{{.Key}}</th><td class="num">{{.Tickets}}</td><td class="num">{{.SLA}}</td><td class="num">{{.FRP50}}</td><td class="num">{{.FRP90}}</td><td class="num">{{.ResCompliance}}</td><td class="num">{{.FCR}}</td><td class="num">{{.Escalations}}</td><td class="num">{{.Backlog}}</td><td{{if .GoalsMissed}} class="missed"{{end}}>{{.Goals}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
{{- if .Worst}}
<section aria-labelledby="h-worst">
<h2 id="h-worst">Worst tickets</h2>
<p class="note">The tickets whose clocks overran their targets the most (overrun: business time past the target of the worst clock).</p>
<table>
<thead><tr><th scope="col">Ticket</th><th scope="col">Policy</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Channel</th><th scope="col">Team</th><th scope="col" class="num">Overrun</th><th scope="col">Clocks</th></tr></thead>
<tbody>
{{- range .Worst}}
<tr><th scope="row">{{.Ticket}}</th><td>{{.Policy}}</td><td>{{.Priority}}</td><td>{{.Status}}</td><td>{{.Channel}}</td><td>{{.Team}}</td><td class="num">{{.Overrun}}</td><td><ul class="clocks">{{range .Clocks}}<li>{{.}}</li>{{end}}</ul></td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- end}}
</main>
<footer><p class="note">Made by slakit report --format html.</p></footer>
</body>
</html>
{{- define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{{.}}</title>
{{template "style"}}
</head>
<body>
<header>
<h1>{{.}}</h1>
{{- end}}
{{- define "style"}}
<style>
:root { --ink: #1f2933; --muted: #52606d; --line: #cbd2d9; --good: #1f7a4d; --bad: #b42318; --bar: #2f6fb0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
p.meta, .note { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.cards .label { display: block; color: var(--muted); font-size: 13px; }
.cards .value { display: block; font-size: 24px; font-weight: 600; }
.cards .note { display: block; font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f5f7fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: var(--good); font-weight: 600; }
.missed { color: var(--bad); font-weight: 600; }
.nodata { color: var(--muted); }
figure { margin: 12px 0 20px; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: var(--muted); font-size: 13px; }
svg { max-width: 100%; height: auto; font-size: 12px; }
svg .label, svg .value, svg .tick { fill: var(--ink); }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .bar { fill: var(--bar); }
svg .track { fill: #eef2f6; }
svg .axis, svg .grid { stroke: var(--line); stroke-width: 1; }
svg .target { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 5 3; }
svg .target-label { fill: var(--bad); font-weight: 600; }
svg .line { fill: none; stroke: var(--bar); stroke-width: 2; }
svg .dot { fill: var(--bar); }
svg .heat0 { fill: #f1f4f8; } svg .heat1 { fill: #fcd9bd; } svg .heat2 { fill: #f8a56f; } svg .heat3 { fill: #e8603c; } svg .heat4 { fill: #b42318; }
ul.clocks { margin: 0; padding-left: 16px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, tr { break-inside: avoid; page-break-inside: avoid; }
  th { background: none; }
  .met::after { content: " ✓"; } .missed::after { content: " ✗"; }
}
</style>
{{- end}}`))
