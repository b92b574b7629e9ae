package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sampleEvents  = "../../testdata/history/sample.jsonl"
	compareEvents = "../../kpi/testdata/compare/events.jsonl"
	compareA      = "testdata/compare-a.yaml"
	compareB      = "testdata/compare-b.yaml"
	goodAt        = "2026-03-09T12:00:00-03:00"

	ticketCal       = "testdata/ticketcal.yaml"
	ticketCalEvents = "testdata/ticketcal.jsonl"
	ticketCalAt     = "2026-03-09T12:00:00-03:00"
)

func TestReportCommands(t *testing.T) {
	good := "testdata/good.jsonl"
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		golden string // stdout golden file; "" to skip
		out    string // substring of stdout
		err    string // substring of stderr
	}{
		{name: "replay csv", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", goodAt, "--format", "csv"},
			code: exitOK, golden: "replay.golden.csv"},
		{name: "replay only breached", args: []string{"replay", "--policy", multidesk, "--events", good, "--at", goodAt, "--format", "table", "--only", "breached"},
			code: exitOK, golden: "replay-breached.golden.txt"},
		{name: "replay only errors json", args: []string{"replay", "--policy", multidesk, "--events", "testdata/mixed.jsonl", "--only", "errors"},
			code: exitProblem, out: `"ticket":"T2"`},
		{name: "replay only bad", args: []string{"replay", "--policy", multidesk, "--events", good, "--only", "late"},
			code: exitUsage, err: "want breached, at_risk or errors"},
		{name: "replay html refused", args: []string{"replay", "--policy", multidesk, "--events", good, "--format", "html"},
			code: exitUsage, err: "want json, table or csv"},
		{name: "report csv", args: []string{"report", "--policy", multidesk, "--events", good, "--at", goodAt, "--by", "channel,priority", "--bucket", "month", "--zone", "America/Sao_Paulo", "--format", "csv"},
			code: exitOK, golden: "report.golden.csv"},
		// Time in status in each ticket's own calendar (T-BR in São Paulo,
		// T-DE in Berlin: business time pending 1h30m and 30m), and OLA
		// compliance per team in the CSV.
		{name: "report ticket calendar", args: []string{"report", "--policy", ticketCal, "--events", ticketCalEvents, "--at", ticketCalAt, "--by", "calendar", "--format", "table"},
			code: exitOK, golden: "report-ticketcal.golden.txt"},
		{name: "report ticket calendar csv", args: []string{"report", "--policy", ticketCal, "--events", ticketCalEvents, "--at", ticketCalAt, "--by", "calendar", "--format", "csv"},
			code: exitOK, golden: "report-ticketcal.golden.csv"},
		{name: "report zone iana", args: []string{"report", "--policy", multidesk, "--events", good, "--at", goodAt, "--bucket", "week", "--zone", "Europe/Berlin"},
			code: exitOK, out: `"2026-W10"`},
		{name: "report zone unknown", args: []string{"report", "--policy", multidesk, "--events", good, "--bucket", "day", "--zone", "Mars/Olympus"},
			code: exitUsage, err: "nor IANA zone"},
		{name: "report goals by", args: []string{"report", "--policy", compareA, "--events", compareEvents, "--format", "table"},
			code: exitOK, golden: "report-goals-by.golden.txt"},
		{name: "compare table", args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", compareEvents},
			code: exitOK, golden: "compare.golden.txt"},
		{name: "compare json", args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", compareEvents, "--format", "json"},
			code: exitOK, out: `"met_to_breached": 3`},
		{name: "compare stdin", stdin: readFile(t, compareEvents), args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "-"},
			code: exitOK, out: "T10     first_response  met         ! BREACHED"},
		{name: "compare problems apart", stdin: readFile(t, compareEvents) + "{\"ticket\":\"NOPE\",\"at\":\"2026-03-02T10:00:00Z\",\"type\":\"note\"}\nnot json\n",
			args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "-"}, code: exitProblem,
			err: "slakit compare: 1 malformed line, 1 event of an unknown or closed ticket"},
		// Events the replay refuses without a reader's error (a created
		// event it cannot apply, an event without a ticket id) are
		// problems apart too, as for replay: named and counted, exit 1.
		{name: "compare refused events", stdin: readFile(t, compareEvents) +
			"{\"ticket\":\"OLD\",\"at\":\"1800-03-02T10:00:00Z\",\"type\":\"created\",\"channel\":\"email\"}\n" +
			"{\"ticket\":\"\",\"at\":\"2026-03-02T10:00:00Z\",\"type\":\"note\"}\n",
			args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "-"}, code: exitProblem,
			err: "slakit compare: 0 malformed lines, 2 events of unknown or closed tickets"},
		// An event of a live ticket that cannot be applied is in the
		// ticket's result: counted as for report, exit 1.
		{name: "compare result with errors", stdin: readFile(t, compareEvents) +
			"{\"ticket\":\"T1\",\"at\":\"2026-03-02T18:00:00Z\",\"type\":\"status\",\"status\":\"nonsense\"}\n",
			args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "-"}, code: exitProblem,
			err: "slakit compare: 0 malformed lines, 0 events of unknown or closed tickets, 1 result with errors, 0 conditions"},
		{name: "compare one policy", args: []string{"compare", "--policy", compareA, "--events", compareEvents},
			code: exitUsage, err: "want --policy twice"},
		{name: "compare missing events", args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "nope.jsonl"},
			code: exitProblem, err: "nope.jsonl"},
		{name: "compare malformed", stdin: "{\n" + readFile(t, compareEvents), args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", "-"},
			code: exitProblem, err: "1 malformed line, 0 events of unknown or closed tickets"},
		{name: "compare html", args: []string{"compare", "--policy", compareA, "--policy", compareB, "--events", compareEvents, "--format", "html"},
			code: exitOK, out: `data-chart="compare-compliance"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code, "exit status of slakit %s\nstderr: %s", strings.Join(tt.args, " "), errOut)
			if tt.golden != "" {
				golden(t, tt.golden, out)
			}
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.err)
		})
	}
}

// TestReplayTableShowsEveryBreach replays the sample history as JSON and
// as a table and checks, ticket by ticket, that every metric with a
// breached cycle has its cell starting with the breach mark, and no other
// cell does; the two outputs list the tickets in the same order.
func TestReplayTableShowsEveryBreach(t *testing.T) {
	args := []string{"replay", "--policy", multidesk, "--events", sampleEvents}
	jsonOut := sampleRun(t, args...)
	table := sampleRun(t, append(args, "--format", "table")...)

	type clockJSON struct {
		Metric sla.Metric     `json:"metric"`
		State  sla.ClockState `json:"state"`
	}
	var results []map[sla.Metric]bool // breached per metric
	sc := bufio.NewScanner(strings.NewReader(jsonOut))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			Clocks []clockJSON `json:"clocks"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		b := map[sla.Metric]bool{}
		for _, c := range r.Clocks {
			b[c.Metric] = b[c.Metric] || c.State == sla.ClockBreached
		}
		results = append(results, b)
	}
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	require.Len(t, lines, len(results)+3, "header, one row per ticket, footer, legend")
	// Column starts, in runes, from the widths.
	starts := map[string]int{}
	pos := 0
	for _, c := range ticketCols {
		starts[c.title] = pos
		pos += c.width + 1
	}
	colOf := map[sla.Metric]string{sla.FirstResponse: "FIRST RESPONSE", sla.NextResponse: "NEXT RESPONSE",
		sla.PeriodicUpdate: "PERIODIC UPDATE", sla.Resolution: "RESOLUTION"}
	breachedTickets, withMark := 0, 0
	for i, b := range results {
		row := []rune(lines[i+1])
		at := func(col string) string {
			s := starts[col]
			if s >= len(row) {
				return ""
			}
			return string(row[s:])
		}
		anyBreach := false
		for m, breached := range b {
			anyBreach = anyBreach || breached
			col, ok := colOf[m]
			if !ok {
				col = "OTHER CLOCKS"
			}
			if breached {
				assert.True(t, strings.HasPrefix(at(col), breachMark), "row %d: %s breached, cell %q", i+1, m, at(col))
			}
		}
		for m, col := range colOf {
			if !b[m] {
				assert.False(t, strings.HasPrefix(at(col), breachMark), "row %d: %s not breached, cell %q", i+1, m, at(col))
			}
		}
		if anyBreach {
			breachedTickets++
			if strings.Contains(string(row), breachMark) {
				withMark++
			}
		}
	}
	assert.Equal(t, breachedTickets, withMark, "every breached ticket shows the mark")
	assert.Greater(t, breachedTickets, 800, "the sample has many breached tickets")
	assert.Contains(t, lines[len(lines)-2], "with a breached clock")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "legend: "))
}

func TestCell(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"met 4m/5m", 12, "met 4m/5m   "},
		{"! BREACHED 123h05m/15m", 14, "! BREACHED 12…"},
		{"résolution", 5, "réso…"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, cell(tt.in, tt.w), "cell(%q, %d)", tt.in, tt.w)
	}
	for _, c := range ticketCols[5:10] {
		assert.Greater(t, c.width, len(breachMark), "column %s keeps the breach mark", c.title)
	}
}

func TestOnlyAtRisk(t *testing.T) {
	keep, ok := onlyFilter("at_risk")
	require.True(t, ok)
	for a, want := range map[sla.Agreement]bool{sla.AgreementAtRisk: true, sla.AgreementOnTrack: false,
		sla.AgreementBreached: false, sla.AgreementPaused: false, sla.AgreementFulfilled: false, sla.AgreementNone: false} {
		r := sla.Result{View: sla.View{Agreement: a}}
		assert.Equal(t, want, keep(&r), "agreement %s", a)
	}
}

func TestReportCSVRows(t *testing.T) {
	out := sampleRun(t, append(reportArgs("csv"), sampleGroups...)...)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	var rep kpi.Report
	require.NoError(t, json.Unmarshal([]byte(sampleRun(t, append(reportArgs("json"), sampleGroups...)...)), &rep))
	require.Len(t, recs, 1+1+len(rep.By["channel"])+len(rep.By["priority"])+len(rep.By["day"]), "header, all, one row per group and bucket")
	head := recs[0]
	col := func(name string) int {
		i := strings.Index(","+strings.Join(head, ",")+",", ","+name+",")
		require.GreaterOrEqual(t, i, 0, "column %s", name)
		return strings.Count(strings.Join(head, ",")[:i], ",")
	}
	assert.Equal(t, []string{"all", ""}, recs[1][:2])
	assert.Equal(t, "3000", recs[1][col("tickets")])
	for _, rec := range recs[2:] {
		g := rep.By[rec[0]][rec[1]]
		assert.Equal(t, csvInt(&g.Tickets), rec[col("tickets")], "%s %s", rec[0], rec[1])
		fr := g.Metrics[sla.FirstResponse]
		assert.Equal(t, csvInt(fr.P90Seconds), rec[col("first_response_p90_seconds")], "%s %s", rec[0], rec[1])
	}
	// OLA compliance per team: the billing team of the reference policy.
	require.NotEmpty(t, rep.OLACompliance["billing"])
	for i, rec := range recs[1:] {
		g := rep
		if i > 0 {
			g = rep.By[rec[0]][rec[1]]
		}
		for _, m := range []sla.Metric{sla.OLATimeToOwn, sla.OLATimeToResolve} {
			x := g.OLACompliance["billing"][m]
			prefix := string(m) + "@billing_"
			assert.Equal(t, csvInt(&x.Met), rec[col(prefix+"met")], "%s %s %s", rec[0], rec[1], m)
			assert.Equal(t, csvInt(&x.Breached), rec[col(prefix+"breached")], "%s %s %s", rec[0], rec[1], m)
			assert.Equal(t, csvFloat(x.Rate), rec[col(prefix+"compliance")], "%s %s %s", rec[0], rec[1], m)
		}
	}
}

// sampleGroups are the groups of the HTML report, given explicitly.
var sampleGroups = []string{"--by", "channel,priority", "--bucket", "day"}

var sampleRuns sync.Map // args -> stdout

// sampleRun runs a command on the sample history once per test binary
// (the sample is large: the race detector makes each run slow) and
// returns its standard output; the command must succeed.
func sampleRun(t *testing.T, args ...string) string {
	t.Helper()
	key := strings.Join(args, "\x00")
	if out, ok := sampleRuns.Load(key); ok {
		return out.(string)
	}
	code, out, errOut := runCLI(t, "", args...)
	require.Equal(t, exitOK, code, "slakit %s: %s", strings.Join(args, " "), errOut)
	sampleRuns.Store(key, out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := readAll(path)
	require.NoError(t, err)
	return string(b)
}

func readAll(path string) ([]byte, error) { return os.ReadFile(path) }
