package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// fmtDur prints a duration for people: 45s, 12m, 1h05m, 26h00m; negative
// with a minus sign. Seconds are shown under a minute only.
func fmtDur(d time.Duration) string {
	sign, mag := "", uint64(d) // the magnitude, so that -d cannot overflow
	if d < 0 {
		sign, mag = "-", -mag
	}
	switch {
	case mag < uint64(time.Minute):
		return fmt.Sprintf("%s%ds", sign, mag/uint64(time.Second))
	case mag < uint64(time.Hour):
		return fmt.Sprintf("%s%dm", sign, mag/uint64(time.Minute))
	}
	return fmt.Sprintf("%s%dh%02dm", sign, mag/uint64(time.Hour), mag%uint64(time.Hour)/uint64(time.Minute))
}

func fmtPct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}

func fmtSecs(p *int64) string {
	if p == nil {
		return "-"
	}
	return fmtDur(time.Duration(*p) * time.Second)
}

func fmtSecsF(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmtDur(time.Duration(*p * float64(time.Second)))
}

// cell pads or cuts s to width w (in runes), for streaming fixed columns.
// A cut keeps the start of the text, so a cell that begins with the
// breach mark keeps it: every breach cell starts with "! BREACHED" and
// every clock column is wider than that.
func cell(s string, w int) string {
	r := []rune(s)
	if len(r) > w {
		return string(r[:w-1]) + "…"
	}
	return s + strings.Repeat(" ", w-len(r))
}

// breachMark starts the text of every table cell that holds a breach.
const breachMark = "! BREACHED"

// ticketTable writes replay results as fixed-width rows, one per ticket,
// as they come.
type ticketTable struct {
	tickets, breached, atRisk, bad int
	failing                        int // tickets with conditions that failed at run time
	shown                          int
}

// builtinColumns are the metrics with a column of their own; the clocks
// of other (custom) metrics share the OTHER CLOCKS column.
var builtinColumns = sla.BuiltinMetrics()

var ticketCols = []struct {
	title string
	width int
}{
	{"TICKET", 12}, {"POLICY", 10}, {"PRIORITY", 8}, {"STATUS", 8}, {"TEAM", 20},
	{"FIRST RESPONSE", 22}, {"NEXT RESPONSE", 22}, {"PERIODIC UPDATE", 22}, {"RESOLUTION", 22},
	{"OTHER CLOCKS", 28}, {"WHATSAPP", 16}, {"FIRED", 20},
}

// tableLegend explains the notation of the ticket table.
const tableLegend = "legend: " + breachMark + " elapsed/target = a clock past its target (\"" + breachMark +
	" 1 of 3\": cycles breached of cycles); met, running, paused, cancelled = the clock's state; times are business time " +
	"(1h05m); \"2 met\" = every cycle met; OTHER CLOCKS = custom metrics; … = cut to fit"

func (tt *ticketTable) header() string {
	var b strings.Builder
	for _, c := range ticketCols {
		b.WriteString(cell(c.title, c.width))
		b.WriteString(" ")
	}
	b.WriteString("ERRORS")
	return strings.TrimRight(b.String(), " ")
}

// count tallies one result for the footer.
func (tt *ticketTable) count(r *sla.Result) {
	tt.tickets++
	if hasBreach(r) {
		tt.breached++
	}
	if atRisk(r) {
		tt.atRisk++
	}
	if len(r.Errors) > 0 {
		tt.bad++
	}
	if hasFailures(r) {
		tt.failing++
	}
}

// hasFailures reports whether a condition failed at run time for r's ticket.
func hasFailures(r *sla.Result) bool { return len(r.Failures) > 0 || r.FailuresOmitted > 0 }

// failuresText sums up the conditions that failed for a ticket: the first,
// with its count and error, and how many other failures there were.
func failuresText(r *sla.Result) string {
	if len(r.Failures) == 0 {
		return fmt.Sprintf("%s of conditions", plural(r.FailuresOmitted, "failure", "failures"))
	}
	f := r.Failures[0]
	s := "condition " + f.Cond
	if f.Name != "" {
		s += " (" + f.Name + ")"
	}
	s += fmt.Sprintf(" failed %dx: %s", f.Count, f.Error)
	more := r.FailuresOmitted
	for _, g := range r.Failures[1:] {
		more += g.Count
	}
	if more > 0 {
		s += fmt.Sprintf("; %s more", plural(more, "failure", "failures"))
	}
	return s
}

// row formats one result; every breached clock shows as a cell that
// starts with "! BREACHED".
func (tt *ticketTable) row(r *sla.Result) string {
	tt.shown++
	cells := []string{r.Ticket, orDash(r.Policy), orDash(r.Priority), orDash(string(r.Status)), orDash(r.Attributes.Team)}
	if r.Ticket == "" {
		cells[0] = "(no ticket)"
	}
	for _, m := range builtinColumns {
		cells = append(cells, metricCell(r, m))
	}
	cells = append(cells, otherClocks(r), window(r.WhatsApp), fired(r.Escalations))
	var b strings.Builder
	for i, c := range ticketCols {
		b.WriteString(cell(cells[i], c.width))
		b.WriteString(" ")
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(&b, "%d: %v", len(r.Errors), r.Errors[0])
		if hasFailures(r) {
			b.WriteString("; ")
		}
	}
	if hasFailures(r) {
		b.WriteString(failuresText(r))
	}
	return strings.TrimRight(b.String(), " ")
}

func (tt *ticketTable) footer(only string) string {
	s := fmt.Sprintf("%s, %d with a breached clock, %d at risk, %d with errors", plural(tt.tickets, "ticket", "tickets"), tt.breached, tt.atRisk, tt.bad)
	if tt.failing > 0 {
		s += fmt.Sprintf(", %d with failing conditions", tt.failing)
	}
	if only != "" {
		s += fmt.Sprintf("; %d shown (--only %s)", tt.shown, only)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// hasBreach reports whether any clock of r is breached.
func hasBreach(r *sla.Result) bool {
	for i := range r.Clocks {
		if r.Clocks[i].State == sla.ClockBreached {
			return true
		}
	}
	return false
}

// atRisk reports whether r's agreement is at risk: a running clock at or
// past the policy's at_risk share of its target, none breached.
func atRisk(r *sla.Result) bool { return r.Agreement == sla.AgreementAtRisk }

// clockText is "met 4m/5m", "! BREACHED 1h05m/15m", "running 3m/15m".
func clockText(c sla.Clock) string {
	span := fmtDur(c.Elapsed) + "/" + fmtDur(c.Target)
	switch c.State {
	case sla.ClockBreached:
		return breachMark + " " + span
	case sla.ClockCancelled:
		return "cancelled"
	}
	return string(c.State) + " " + span
}

// metricCell sums the cycles of metric m up: the clock of a single cycle
// ("met 4m/5m", "! BREACHED 1h05m/15m"); for several, "! BREACHED 1 of 3"
// when any is breached, else "3 met" and the open one, if any.
func metricCell(r *sla.Result, m sla.Metric) string {
	n, breached, met := 0, 0, 0
	var last, open *sla.Clock
	for i := range r.Clocks {
		c := &r.Clocks[i]
		if c.Metric != m {
			continue
		}
		n++
		last = c
		switch c.State {
		case sla.ClockBreached:
			breached++
		case sla.ClockMet:
			met++
		case sla.ClockRunning, sla.ClockPaused:
			open = c
		}
	}
	switch {
	case n == 0:
		return "-"
	case n == 1:
		return clockText(*last)
	case breached > 0:
		return fmt.Sprintf("%s %d of %d", breachMark, breached, n)
	case open != nil && met > 0:
		return fmt.Sprintf("%d met, %s", met, clockText(*open))
	case open != nil:
		return clockText(*open)
	case met > 0:
		return fmt.Sprintf("%d met", met)
	}
	return clockText(*last)
}

// otherClocks sums the clocks of custom metrics up: breached metrics
// first ("! BREACHED time_to_assign"), then the others by name and state.
func otherClocks(r *sla.Result) string {
	var bad, ok []string
	for _, v := range kpi.Verdicts(r) {
		if slices.Contains(builtinColumns, v.Metric) {
			continue
		}
		switch v.Verdict {
		case kpi.Breached:
			bad = append(bad, string(v.Metric))
		case kpi.Met:
			ok = append(ok, string(v.Metric)+" met")
		default:
			ok = append(ok, string(v.Metric)+" open")
		}
	}
	parts := ok
	if len(bad) > 0 {
		parts = append([]string{breachMark + " " + strings.Join(bad, ",")}, ok...)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

func window(w *sla.WhatsApp) string {
	if w == nil {
		return "-"
	}
	s := w.Verdict.State.String()
	if w.Verdict.State == whatsappwindow.Open || w.Verdict.State == whatsappwindow.ClosingSoon {
		s += " " + fmtDur(w.Verdict.Remaining)
	}
	if w.ExpiredBeforeFirstResponse {
		s = "! expired unanswered"
	}
	return s
}

func fired(es []sla.Escalation) string {
	var names []string
	for _, x := range es {
		names = append(names, x.Level)
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ",")
}

func fmtNum(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *p)
}
