package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// node is an element of a parsed page.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string // the text directly inside
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// allText is the text of n and its descendants.
func (n *node) allText() string {
	var b strings.Builder
	n.walk(func(x *node) { b.WriteString(x.text) })
	return b.String()
}

// parsePage parses a page as XML: the HTML report is well-formed, so that
// it can be checked without an HTML parser.
func parsePage(t *testing.T, page string) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = true
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the page is well-formed")
		switch x := tok.(type) {
		case xml.StartElement:
			n := &node{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				name := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					name = a.Name.Space + ":" + name
				}
				n.attrs[name] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(x)
		}
	}
	require.Len(t, stack, 1, "every element closed")
	return root
}

func reportArgs(format string) []string {
	return []string{"report", "--policy", multidesk, "--events", sampleEvents, "--zone", "sp-support", "--format", format}
}

// TestHTMLReportStructure checks the sample report's page: self-contained,
// every chart labelled for screen readers, the sections a lead looks for.
func TestHTMLReportStructure(t *testing.T) {
	page := sampleRun(t, reportArgs("html")...)
	doc := parsePage(t, page)

	ids := map[string]*node{}
	counts := map[string]int{}
	doc.walk(func(n *node) {
		counts[n.name]++
		if id := n.attrs["id"]; id != "" {
			assert.NotContains(t, ids, id, "id %q is unique", id)
			ids[id] = n
		}
		for k, v := range n.attrs {
			switch {
			case k == "src", k == "href", k == "srcset", k == "action", k == "data":
				t.Errorf("<%s %s=%q>: the page refers to nothing outside itself", n.name, k, v)
			case strings.Contains(v, "url("), strings.Contains(v, "//") && k != "xmlns":
				t.Errorf("<%s %s=%q>: no network reference", n.name, k, v)
			}
		}
	})
	for _, banned := range []string{"script", "link", "img", "iframe", "object", "embed"} {
		assert.Zero(t, counts[banned], "no <%s>", banned)
	}
	assert.NotContains(t, page, "@import")
	assert.NotContains(t, page, "http://www.w3.org/1999") // no stray namespaces
	require.Equal(t, 1, counts["html"])
	require.Equal(t, 1, counts["h1"])
	assert.Contains(t, page, `<html lang="en">`)

	// Every chart is an image with a title and a description.
	charts := 0
	doc.walk(func(n *node) {
		if n.name != "svg" {
			return
		}
		charts++
		assert.Equal(t, "img", n.attrs["role"], "svg %s role", n.attrs["data-chart"])
		label := strings.Fields(n.attrs["aria-labelledby"])
		require.Len(t, label, 2, "svg %s is labelled by its title and description", n.attrs["data-chart"])
		for i, want := range []string{"title", "desc"} {
			el := ids[label[i]]
			require.NotNil(t, el, "svg %s: id %q exists", n.attrs["data-chart"], label[i])
			assert.Equal(t, want, el.name)
			assert.NotEmpty(t, strings.TrimSpace(el.text), "svg %s %s", n.attrs["data-chart"], want)
		}
		assert.NotEmpty(t, n.attrs["viewBox"])
	})
	assert.GreaterOrEqual(t, charts, 8, "compliance, volume, trend, four distributions, heat map, teams")

	headings := []string{}
	doc.walk(func(n *node) {
		if n.name == "h2" {
			headings = append(headings, strings.TrimSpace(n.allText()))
		}
	})
	assert.Equal(t, []string{"Headline", "Compliance per metric", "Trend by day", "Distribution of times against the target",
		"When does the desk miss?", "Teams", "OLA compliance", "Time in status", "By channel", "By priority", "Worst tickets"}, headings)

	// Goals show as met or missed in words, not only in colour.
	assert.Contains(t, page, `<td class="missed">missed</td>`)
	// Print styles keep charts whole.
	assert.Contains(t, page, "@media print")
}

// chartData collects the data-key/data-value pairs of each chart.
func chartData(t *testing.T, doc *node) map[string][][2]string {
	out := map[string][][2]string{}
	doc.walk(func(n *node) {
		if n.name != "svg" {
			return
		}
		name := n.attrs["data-chart"]
		require.NotContains(t, out, name, "chart %s appears once", name)
		out[name] = nil
		n.walk(func(m *node) {
			if k, ok := m.attrs["data-key"]; ok {
				out[name] = append(out[name], [2]string{k, m.attrs["data-value"]})
			}
		})
	})
	return out
}

// TestHTMLChartsMatchReport checks every number drawn in the sample
// report's charts against the JSON report of the same replay.
func TestHTMLChartsMatchReport(t *testing.T) {
	page := sampleRun(t, reportArgs("html")...)
	var rep kpi.Report
	require.NoError(t, json.Unmarshal([]byte(sampleRun(t, append(reportArgs("json"), sampleGroups...)...)), &rep))
	charts := chartData(t, parsePage(t, page))
	f := exact
	i := func(v int64) string { return strconv.FormatInt(v, 10) }

	var want [][2]string
	for _, m := range reportMetrics(&rep) {
		if x := rep.Metrics[m]; x.Compliance != nil {
			want = append(want, [2]string{string(m), f(*x.Compliance)})
		}
	}
	assert.Equal(t, want, charts["compliance"], "compliance per metric")

	want = nil
	var trend [][2]string
	for _, k := range kpi.GroupKeys(rep.By["day"]) {
		g := rep.By["day"][k]
		want = append(want, [2]string{k, i(g.Tickets)})
		if g.SLACompliance != nil {
			trend = append(trend, [2]string{k, f(*g.SLACompliance)})
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, charts["volume"], "tickets per day")
	assert.Equal(t, trend, charts["trend"], "SLA compliance per day")

	for m, x := range rep.Metrics {
		want = nil
		for k, n := range x.TargetShare {
			want = append(want, [2]string{strconv.Itoa(k), i(n)})
		}
		assert.Equal(t, want, charts["share-"+string(m)], "distribution of %s", m)
	}

	require.Len(t, rep.BreachesByHour, 168)
	want = nil
	for k, n := range rep.BreachesByHour {
		want = append(want, [2]string{strconv.Itoa(k), i(n)})
	}
	assert.Equal(t, want, charts["breaches-by-hour"], "breaches by hour of the week")

	want = nil
	teams := rep.OLA[sla.Resolution]
	keys := make([]string, 0, len(teams))
	for k := range teams {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, kpi.NaturalCompare)
	for _, k := range keys {
		want = append(want, [2]string{k, i(teams[k].Seconds)})
	}
	assert.Equal(t, want, charts["team-time"], "time held per team")

	// And the headline shows the same figures.
	assert.Contains(t, page, fmt.Sprintf(`<span class="value">%s</span>`, fmtPct(rep.SLACompliance)))
	assert.Contains(t, page, fmt.Sprintf(`<span class="value">%d</span>`, rep.Tickets))
}

func TestSVGWriter(t *testing.T) {
	s := newSVG("c", "demo", `Tom & "Jerry" <b>`, "a <desc>", 100, 50)
	tenth := 0.1
	s.rect(1.234, 2, 3, -4, "bar", "k&1", tenth+0.2, "tip <x>")
	s.text(0, 0, "start", "label", "a<b")
	s.polyline([]float64{0, 0}, "line") // one point: nothing drawn
	s.polyline([]float64{0, 0, 1.005, 2}, "line")
	got := string(s.html())
	assert.Equal(t, `<svg xmlns="http://www.w3.org/2000/svg" role="img" data-chart="demo" viewBox="0 0 100 50" width="100" height="50" aria-labelledby="c-title c-desc">`+
		`<title id="c-title">Tom &amp; &#34;Jerry&#34; &lt;b&gt;</title><desc id="c-desc">a &lt;desc&gt;</desc>`+
		`<rect x="1.23" y="2" width="3" height="0" class="bar" data-key="k&amp;1" data-value="0.30000000000000004"><title>tip &lt;x&gt;</title></rect>`+
		`<text x="0" y="0" text-anchor="start" class="label">a&lt;b</text>`+
		`<polyline points="0,0 1,2" class="line"/></svg>`, got)
	doc := parsePage(t, got)
	assert.Equal(t, map[string][][2]string{"demo": {{"k&1", "0.30000000000000004"}}}, chartData(t, doc))
}

func TestHeatMapClasses(t *testing.T) {
	counts := make([]int64, 168)
	counts[0], counts[1], counts[167] = 1, 4, 8
	doc := parsePage(t, string(heatMap("h", "heat", "t", "d", counts)))
	classes := map[string]string{}
	doc.walk(func(n *node) {
		if k, ok := n.attrs["data-key"]; ok {
			classes[k] = n.attrs["class"]
		}
	})
	assert.Len(t, classes, 168)
	assert.Equal(t, "heat0", classes["2"])
	assert.Equal(t, "heat1", classes["0"])
	assert.Equal(t, "heat2", classes["1"])
	assert.Equal(t, "heat4", classes["167"])
}

// BenchmarkHTMLReport renders the HTML page of the sample report (the
// replay itself not included).
func BenchmarkHTMLReport(b *testing.B) {
	var out bytes.Buffer
	if code := run(append(reportArgs("json"), sampleGroups...), nil, &out, io.Discard); code != exitOK {
		b.Fatal(code)
	}
	var rep kpi.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		b.Fatal(err)
	}
	page := reportPage{Title: "SLA report", Report: &rep, Config: kpi.Config{Bucket: kpi.Day}}
	b.ReportAllocs()
	for b.Loop() {
		if err := page.write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCompareHTML checks the comparison page: well-formed, and its chart
// holds the compliance of each metric under A and under B.
func TestCompareHTML(t *testing.T) {
	args := []string{"compare", "--policy", compareA, "--policy", compareB, "--events", compareEvents}
	code, page, errOut := runCLI(t, "", append(args, "--format", "html")...)
	require.Equal(t, exitOK, code, errOut)
	_, out, _ := runCLI(t, "", append(args, "--format", "json")...)
	var c kpi.Comparison
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	charts := chartData(t, parsePage(t, page))
	var want [][2]string
	for _, m := range reportMetrics(&c.ReportA) {
		want = append(want, [2]string{string(m) + "/A", exact(*c.ReportA.Metrics[m].Compliance)},
			[2]string{string(m) + "/B", exact(*c.ReportB.Metrics[m].Compliance)})
	}
	assert.Equal(t, want, charts["compare-compliance"])
	assert.Contains(t, page, `<tr><th scope="row">T10</th><td>first response</td><td>met</td><td class="missed">breached</td></tr>`)
	assert.NotContains(t, page, "<script")
}
