package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// policyList collects repeated --policy flags.
type policyList []string

func (p *policyList) String() string     { return strings.Join(*p, ",") }
func (p *policyList) Set(s string) error { *p = append(*p, s); return nil }

func runCompare(e *env, args []string) int {
	fs := newFlags(e, "compare", "compare --policy A.yaml --policy B.yaml --events E.jsonl [--at RFC3339] [--format json|table|html]",
		"Replays one history against two policies (say, this month's targets and a proposed\n"+
			"table) and shows what changes: every KPI side by side with its difference (B - A), the\n"+
			"number of tickets whose verdict flips per metric, and those tickets (met -> breached,\n"+
			"breached -> met). The events file is read twice (standard input is kept in memory).")
	var policies policyList
	fs.Var(&policies, "policy", "policy document (YAML); give it twice: A, then B")
	events := fs.String("events", "", "events file, JSON Lines (- for standard input); required")
	atFlag := fs.String("at", "", "instant the open tickets are evaluated at, RFC 3339 (default: the latest instant of an applied event)")
	format := fs.String("format", "table", "output: table, json or html")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	switch {
	case fs.NArg() > 0:
		return usageError(e, fs, "unexpected argument %q", fs.Arg(0))
	case len(policies) != 2:
		return usageError(e, fs, "want --policy twice (A and B), got %d", len(policies))
	case *events == "":
		return usageError(e, fs, "--events is required")
	case *format != "table" && *format != "json" && *format != "html":
		return usageError(e, fs, "--format %q: want table, json or html", *format)
	}
	if msg := stdinTwice([2]string{"--policy A", policies[0]}, [2]string{"--policy B", policies[1]}, [2]string{"--events", *events}); msg != "" {
		return usageError(e, fs, "%s", msg)
	}
	var at time.Time
	if *atFlag != "" {
		t, err := time.Parse(time.RFC3339Nano, *atFlag)
		if err != nil {
			return usageError(e, fs, "--at %q: want an RFC 3339 instant such as 2026-03-06T18:00:00-03:00", *atFlag)
		}
		at = t
	}
	var sides [2]kpi.Side
	var sets [2]*policy.Set
	for i, name := range policies {
		set, ok := loadPolicy(e, name)
		sets[i] = set
		if !ok {
			return exitProblem
		}
		eng, err := set.Engine()
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: %s: %v\n", name, err)
			return exitProblem
		}
		cfg := set.KPIConfig()
		cfg.Calendar = ticketCalendars(set)
		cfg.At = at
		sides[i] = kpi.Side{Name: name, Engine: eng, Config: cfg}
	}
	// Goals per group may group the sides differently; compare the
	// figures of all tickets only.
	for i := range sides {
		sides[i].Config.GoalsBy = nil
	}
	var stdin []byte
	if *events == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: reading standard input: %v\n", err)
			return exitProblem
		}
		stdin = b
	}
	bad, pass, openErr := 0, 0, error(nil)
	stream := func() iter.Seq2[sla.Event, error] {
		pass++
		count, report := &bad, e
		if pass > 1 { // count and report malformed lines once
			count, report = new(int), &env{stderr: io.Discard}
		}
		name := *events
		read := func(r io.Reader) iter.Seq2[sla.Event, error] {
			return readEvents(report, name, sla.ReadEvents(r), count)
		}
		if stdin != nil {
			name = "<stdin>"
			return read(bytes.NewReader(stdin))
		}
		return func(yield func(sla.Event, error) bool) {
			f, err := e.open(*events)
			if err != nil {
				openErr = err
				return
			}
			defer f.Close()
			for ev, err := range read(f) {
				if !yield(ev, err) {
					return
				}
			}
		}
	}
	c, err := kpi.Compare(sides[0], sides[1], stream, at)
	if err == nil {
		err = openErr
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
		return exitProblem
	}
	switch *format {
	case "json":
		b, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: %v\n", err)
			return exitProblem
		}
		e.stdout.Write(append(b, '\n'))
	case "html":
		if err := writeCompareHTML(e.stdout, &c); err != nil {
			return e.writeError(err)
		}
	default:
		writeCompareTable(e.stdout, &c)
	}
	apart := 0
	for _, p := range c.Problems {
		if _, ok := malformedLine(p); !ok { // malformed lines: reported by the reader
			apart++
			fmt.Fprintf(e.stderr, "slakit compare: %v\n", p)
		}
	}
	failed := evalErrors(e, "compare", sets[0]) + evalErrors(e, "compare", sets[1])
	if bad > 0 || apart > 0 || c.TicketsWithErrors > 0 || failed > 0 {
		fmt.Fprintf(e.stderr, "slakit compare: %s, %s, %s, %s\n", plural(bad, "malformed line", "malformed lines"),
			plural(apart, "event of an unknown or closed ticket", "events of unknown or closed tickets"),
			plural(c.TicketsWithErrors, "result with errors", "results with errors"),
			plural(failed, "condition failing at run time", "conditions failing at run time"))
		return exitProblem
	}
	return exitOK
}

// figureText prints a figure in its unit ("-" when undefined).
func figureText(name string, v *float64) string {
	if v == nil {
		return "-"
	}
	if name == "tickets" || name == "backlog" {
		return fmt.Sprintf("%.0f", *v)
	}
	return goalValue(name, *v)
}

// deltaText prints a difference: percentage points for ratios, a signed
// duration for times, a signed number otherwise.
func deltaText(name string, v *float64) string {
	if v == nil {
		return "-"
	}
	unit, _, err := kpi.KPIUnit(name)
	switch {
	case err == nil && unit == kpi.Ratio:
		return fmt.Sprintf("%+.1f pp", 100**v)
	case err == nil && unit == kpi.Seconds:
		d := fmtDur(time.Duration(*v * float64(time.Second)))
		if *v >= 0 {
			d = "+" + d
		}
		return d
	case name == "tickets" || name == "backlog":
		return fmt.Sprintf("%+.0f", *v)
	}
	return fmt.Sprintf("%+.2f", *v)
}

func writeCompareTable(out io.Writer, c *kpi.Comparison) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintf(tw, "KPI\tA: %s\tB: %s\tB - A\n", c.A, c.B)
	for _, f := range c.Figures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.KPI, figureText(f.KPI, f.A), figureText(f.KPI, f.B), deltaText(f.KPI, f.Delta))
	}
	fmt.Fprintln(tw, "\nMETRIC\tMET -> BREACHED\tBREACHED -> MET")
	for _, m := range sortedMetrics(c.Flips) {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", m, c.Flips[m].MetToBreached, c.Flips[m].BreachedToMet)
	}
	if len(c.Flips) == 0 {
		fmt.Fprintln(tw, "(no verdict changes)")
	}
	if len(c.Changes) > 0 {
		fmt.Fprintln(tw, "\nTICKET\tMETRIC\tA\tB")
		for _, ch := range c.Changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ch.Ticket, ch.Metric, verdictText(ch.From), verdictText(ch.To))
		}
	}
}

// sortedMetrics lists the keys of m by name.
func sortedMetrics[V any](m map[sla.Metric]V) []sla.Metric {
	return slices.Sorted(maps.Keys(m))
}

type compareData struct {
	Title, A, B string
	Chart       template.HTML
	Figures     []compareFigure
	Flips       []compareFlip
	Changes     []compareChange
}

type compareFigure struct{ KPI, A, B, Delta string }
type compareFlip struct {
	Metric                       string
	MetToBreached, BreachedToMet int64
}
type compareChange struct{ Ticket, Metric, From, To, Class string }

func writeCompareHTML(w io.Writer, c *kpi.Comparison) error {
	d := compareData{Title: "Policy comparison", A: c.A, B: c.B}
	var bars []bar
	for _, m := range reportMetrics(&c.ReportA) {
		for _, side := range []struct {
			name string
			r    *kpi.Report
		}{{"A", &c.ReportA}, {"B", &c.ReportB}} {
			x := side.r.Metrics[m]
			if x.Compliance == nil {
				continue
			}
			bars = append(bars, bar{label: metricTitle(m) + " (" + side.name + ")", key: string(m) + "/" + side.name,
				value: *x.Compliance, text: fmtPct(x.Compliance)})
		}
	}
	if len(bars) > 0 {
		d.Chart = hbarChart("chart-compare", "compare-compliance", "Compliance per metric under A and B",
			"Share of decided cycles met, per metric, under policy A and policy B: "+barSummary(bars), bars, 1)
	}
	for _, f := range c.Figures {
		d.Figures = append(d.Figures, compareFigure{f.KPI, figureText(f.KPI, f.A), figureText(f.KPI, f.B), deltaText(f.KPI, f.Delta)})
	}
	for _, m := range sortedMetrics(c.Flips) {
		d.Flips = append(d.Flips, compareFlip{metricTitle(m), c.Flips[m].MetToBreached, c.Flips[m].BreachedToMet})
	}
	for _, ch := range c.Changes {
		d.Changes = append(d.Changes, compareChange{ch.Ticket, metricTitle(ch.Metric), string(ch.From), string(ch.To), verdictClass(ch.To)})
	}
	return compareTemplate.Execute(w, d)
}

var compareTemplate = template.Must(template.Must(pageTemplate.Clone()).New("compare").Parse(`{{template "head" .Title}}
<p class="meta">A: <code>{{.A}}</code>; B: <code>{{.B}}</code>. Differences are B - A; ratios in percentage points.</p>
</header>
<main>
{{- if .Chart}}
<section aria-labelledby="h-chart">
<h2 id="h-chart">Compliance per metric</h2>
<figure>{{.Chart}}<figcaption>Compliance per metric under A and under B.</figcaption></figure>
</section>
{{- end}}
<section aria-labelledby="h-figures">
<h2 id="h-figures">KPIs side by side</h2>
<table>
<thead><tr><th scope="col">KPI</th><th scope="col" class="num">A</th><th scope="col" class="num">B</th><th scope="col" class="num">B - A</th></tr></thead>
<tbody>
{{- range .Figures}}
<tr><th scope="row">{{.KPI}}</th><td class="num">{{.A}}</td><td class="num">{{.B}}</td><td class="num">{{.Delta}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
<section aria-labelledby="h-flips">
<h2 id="h-flips">Verdicts that change</h2>
{{- if .Flips}}
<table>
<thead><tr><th scope="col">Metric</th><th scope="col" class="num">Met under A, breached under B</th><th scope="col" class="num">Breached under A, met under B</th></tr></thead>
<tbody>
{{- range .Flips}}
<tr><th scope="row">{{.Metric}}</th><td class="num">{{.MetToBreached}}</td><td class="num">{{.BreachedToMet}}</td></tr>
{{- end}}
</tbody>
</table>
<table>
<thead><tr><th scope="col">Ticket</th><th scope="col">Metric</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
<tbody>
{{- range .Changes}}
<tr><th scope="row">{{.Ticket}}</th><td>{{.Metric}}</td><td>{{.From}}</td><td class="{{.Class}}">{{.To}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>No ticket changes verdict.</p>
{{- end}}
</section>
</main>
<footer><p class="note">Made by slakit compare --format html.</p></footer>
</body>
</html>
`))

// verdictClass is the style class of a verdict: met or missed.
func verdictClass(v kpi.Verdict) string {
	if v == kpi.Breached {
		return "missed"
	}
	return "met"
}

// verdictText prints a verdict for the table, a breach with the mark.
func verdictText(v kpi.Verdict) string {
	if v == kpi.Breached {
		return breachMark
	}
	return string(v)
}
