package main

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// A small SVG writer for the charts of the HTML report. Every chart is an
// <svg role="img"> with a <title> and a <desc> (read by screen readers),
// and every mark that stands for a number carries it in data-key and
// data-value attributes, exactly as the report has it, so that a test can
// check each chart against the report. Text is escaped; numbers are
// written with at most two decimals so the output is small and stable.

// svgChart accumulates the markup of one chart.
type svgChart struct {
	b    strings.Builder
	w, h float64
}

// newSVG starts a chart named chart (data-chart) with the id prefix id,
// a title and a description of what it shows.
func newSVG(id, chart, title, desc string, w, h float64) *svgChart {
	s := &svgChart{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" data-chart="%s" viewBox="0 0 %s %s" width="%s" height="%s" aria-labelledby="%s-title %s-desc">`,
		esc(chart), num(w), num(h), num(w), num(h), esc(id), esc(id))
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
	return s
}

// esc escapes text for an attribute or element content.
func esc(s string) string { return html.EscapeString(s) }

// num prints a coordinate with at most two decimals.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// exact prints a data value exactly: whole numbers as integers, others in
// the shortest form that round-trips.
func exact(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// rect draws a rectangle; a non-empty key marks it as the mark of the
// value (data-key, data-value) with tip as its tooltip.
func (s *svgChart) rect(x, y, w, h float64, class, key string, value float64, tip string) {
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" class="%s"`, num(x), num(y), num(max(w, 0)), num(max(h, 0)), esc(class))
	if key != "" {
		fmt.Fprintf(&s.b, ` data-key="%s" data-value="%s"`, esc(key), exact(value))
	}
	if tip != "" {
		fmt.Fprintf(&s.b, `><title>%s</title></rect>`, esc(tip))
		return
	}
	s.b.WriteString(`/>`)
}

// circle draws a point of a line chart, the mark of a value.
func (s *svgChart) circle(x, y, r float64, class, key string, value float64, tip string) {
	fmt.Fprintf(&s.b, `<circle cx="%s" cy="%s" r="%s" class="%s" data-key="%s" data-value="%s"><title>%s</title></circle>`,
		num(x), num(y), num(r), esc(class), esc(key), exact(value), esc(tip))
}

// line draws a straight line.
func (s *svgChart) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"/>`, num(x1), num(y1), num(x2), num(y2), esc(class))
}

// polyline joins points (x, y pairs).
func (s *svgChart) polyline(pts []float64, class string) {
	if len(pts) < 4 {
		return
	}
	var p strings.Builder
	for i := 0; i+1 < len(pts); i += 2 {
		if i > 0 {
			p.WriteByte(' ')
		}
		p.WriteString(num(pts[i]) + "," + num(pts[i+1]))
	}
	fmt.Fprintf(&s.b, `<polyline points="%s" class="%s"/>`, p.String(), esc(class))
}

// text writes a label; anchor is start, middle or end.
func (s *svgChart) text(x, y float64, anchor, class, t string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), esc(anchor), esc(class), esc(t))
}

// html closes the chart and returns its markup.
func (s *svgChart) html() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String()) // every piece of text was escaped above
}

// bar is one bar of a bar chart: its label, the key and value of its
// data, and the text shown beside it.
type bar struct {
	label, key string
	value      float64
	text       string
}

// hbarChart draws horizontal bars scaled to top (the value of a full
// bar), one per item, labelled on the left and valued on the right.
func hbarChart(id, chart, title, desc string, items []bar, top float64) template.HTML {
	const left, right, rowH, w = 170.0, 170.0, 26.0, 720.0
	h := rowH*float64(len(items)) + 10
	s := newSVG(id, chart, title, desc, w, h)
	span := w - left - right
	for i, it := range items {
		y := 5 + rowH*float64(i)
		s.text(left-8, y+17, "end", "label", it.label)
		s.rect(left, y+3, span, rowH-8, "track", "", 0, "")
		bw := 0.0
		if top > 0 {
			bw = span * min(it.value/top, 1)
		}
		s.rect(left, y+3, bw, rowH-8, "bar", it.key, it.value, it.label+": "+it.text)
		s.text(left+span+8, y+17, "start", "value", it.text)
	}
	return s.html()
}

// columnChart draws vertical bars, one per item, with the item labels
// below; marker, when at least 0, draws a dashed line between item marker-1
// and item marker labelled markerText (the target of a distribution).
func columnChart(id, chart, title, desc string, items []bar, marker int, markerText string) template.HTML {
	const w, h, left, bottom, top = 640.0, 260.0, 50.0, 40.0, 20.0
	s := newSVG(id, chart, title, desc, w, h)
	peak := 0.0
	for _, it := range items {
		peak = max(peak, it.value)
	}
	plotH := h - bottom - top
	s.line(left, h-bottom, w-40, h-bottom, "axis")
	s.text(left-6, top+4, "end", "tick", fmtCount(peak))
	s.text(left-6, h-bottom, "end", "tick", "0")
	n := float64(max(len(items), 1))
	slot := (w - left - 40) / n
	labelEvery := max(1, int(math.Ceil(float64(len(items))/8)))
	for i, it := range items {
		x := left + slot*float64(i)
		bh := 0.0
		if peak > 0 {
			bh = plotH * it.value / peak
		}
		s.rect(x+slot*0.15, h-bottom-bh, slot*0.7, bh, "bar", it.key, it.value, it.label+": "+it.text)
		if i%labelEvery == 0 {
			s.text(x+slot/2, h-bottom+16, "middle", "tick", it.label)
		}
	}
	if marker >= 0 {
		x := left + slot*float64(marker)
		s.line(x, top-8, x, h-bottom, "target")
		s.text(x+4, top, "start", "target-label", markerText)
	}
	return s.html()
}

// point is one point of a line chart; ok is false where the value is
// undefined (the line breaks there).
type point struct {
	label, key string
	value      float64
	ok         bool
	text       string
}

// lineChart draws values between 0 and 1 (ratios) as a line with points.
func lineChart(id, chart, title, desc string, pts []point) template.HTML {
	const w, h, left, bottom, top = 640.0, 220.0, 50.0, 40.0, 14.0
	s := newSVG(id, chart, title, desc, w, h)
	plotH := h - bottom - top
	for _, g := range []float64{0, 0.5, 1} {
		y := h - bottom - plotH*g
		s.line(left, y, w-40, y, "grid")
		s.text(left-6, y+4, "end", "tick", fmt.Sprintf("%.0f%%", 100*g))
	}
	n := float64(max(len(pts), 1))
	slot := (w - left - 40) / n
	labelEvery := max(1, int(math.Ceil(float64(len(pts))/8)))
	var run []float64
	flush := func() {
		s.polyline(run, "line")
		run = run[:0]
	}
	for i, p := range pts {
		x := left + slot*(float64(i)+0.5)
		if i%labelEvery == 0 {
			s.text(x, h-bottom+16, "middle", "tick", p.label)
		}
		if !p.ok {
			flush()
			continue
		}
		run = append(run, x, h-bottom-plotH*min(max(p.value, 0), 1))
	}
	flush()
	for i, p := range pts {
		if p.ok {
			x := left + slot*(float64(i)+0.5)
			s.circle(x, h-bottom-plotH*min(max(p.value, 0), 1), 3.5, "dot", p.key, p.value, p.label+": "+p.text)
		}
	}
	return s.html()
}

// heatMap draws counts by hour of the week: 7 rows (Monday first) of 24
// cells, darker for more.
func heatMap(id, chart, title, desc string, counts []int64) template.HTML {
	const left, top, cw, ch = 44.0, 22.0, 24.0, 22.0
	s := newSVG(id, chart, title, desc, left+24*cw+10, top+7*ch+10)
	peak := int64(0)
	for _, c := range counts {
		peak = max(peak, c)
	}
	for hr := 0; hr < 24; hr += 3 {
		s.text(left+cw*float64(hr)+cw/2, top-6, "middle", "tick", fmt.Sprintf("%02dh", hr))
	}
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for d, day := range days {
		s.text(left-6, top+ch*float64(d)+15, "end", "tick", day)
		for hr := 0; hr < 24; hr++ {
			i := d*24 + hr
			var c int64
			if i < len(counts) {
				c = counts[i]
			}
			class := "heat0"
			if c > 0 && peak > 0 {
				class = fmt.Sprintf("heat%d", 1+int(4*float64(c-1)/float64(max(peak, 1))))
			}
			s.rect(left+cw*float64(hr)+1, top+ch*float64(d)+1, cw-2, ch-2, class, strconv.Itoa(i), float64(c),
				fmt.Sprintf("%s %02d:00-%02d:59: %d breaches", day, hr, hr, c))
		}
	}
	return s.html()
}

// fmtCount prints a count (a float that holds an integer, or not).
func fmtCount(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
