package main

import (
	"fmt"
	"strings"
	"time"

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
func cell(s string, w int) string {
	r := []rune(s)
	if len(r) > w {
		return string(r[:w-1]) + "…"
	}
	return s + strings.Repeat(" ", w-len(r))
}

// ticketTable writes replay results as fixed-width rows, one per ticket,
// as they come.
type ticketTable struct {
	tickets, breached, bad int
}

var ticketCols = []struct {
	title string
	width int
}{
	{"TICKET", 12}, {"POLICY", 10}, {"PRIORITY", 8}, {"STATUS", 8}, {"FIRST RESPONSE", 22},
	{"NEXT RESPONSE", 20}, {"RESOLUTION", 22}, {"WHATSAPP", 16}, {"FIRED", 24},
}

func (tt *ticketTable) header() string {
	var b strings.Builder
	for _, c := range ticketCols {
		b.WriteString(cell(c.title, c.width))
		b.WriteString(" ")
	}
	b.WriteString("ERRORS")
	return strings.TrimRight(b.String(), " ")
}

// row formats one result; breaches are marked with "!" and capitals.
func (tt *ticketTable) row(r *sla.Result) string {
	tt.tickets++
	cells := []string{r.Ticket, orDash(r.Policy), orDash(r.Priority), orDash(string(r.Status)),
		lastCycle(r, sla.FirstResponse), cycles(r, sla.NextResponse), lastCycle(r, sla.Resolution),
		window(r.WhatsApp), fired(r.Escalations)}
	if r.Ticket == "" {
		cells[0] = "(no ticket)"
	}
	for _, c := range r.Clocks {
		if c.State == sla.StateBreached {
			tt.breached++
			break
		}
	}
	var b strings.Builder
	for i, c := range ticketCols {
		b.WriteString(cell(cells[i], c.width))
		b.WriteString(" ")
	}
	if len(r.Errors) > 0 {
		tt.bad++
		fmt.Fprintf(&b, "%d: %v", len(r.Errors), r.Errors[0])
	}
	return strings.TrimRight(b.String(), " ")
}

func (tt *ticketTable) footer() string {
	return fmt.Sprintf("%s, %d with a breached clock, %d with errors", plural(tt.tickets, "ticket", "tickets"), tt.breached, tt.bad)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clockText is "met 4m/5m", "! BREACHED 1h05m/15m", "running 3m/15m".
func clockText(c sla.Clock) string {
	span := fmtDur(c.Elapsed) + "/" + fmtDur(c.Target)
	switch c.State {
	case sla.StateBreached:
		return "! BREACHED " + span
	case sla.StateCancelled:
		return "cancelled"
	}
	return string(c.State) + " " + span
}

// lastCycle describes the last cycle of metric m.
func lastCycle(r *sla.Result, m sla.Metric) string {
	for i := len(r.Clocks) - 1; i >= 0; i-- {
		if r.Clocks[i].Metric == m {
			return clockText(r.Clocks[i])
		}
	}
	return "-"
}

// cycles sums the cycles of metric m up: "3 met", "3, 1 BREACHED".
func cycles(r *sla.Result, m sla.Metric) string {
	n, breached, running := 0, 0, ""
	for _, c := range r.Clocks {
		if c.Metric != m {
			continue
		}
		n++
		if c.State == sla.StateBreached {
			breached++
		}
		if c.State == sla.StateRunning || c.State == sla.StatePaused {
			running = clockText(c)
		}
	}
	switch {
	case n == 0:
		return "-"
	case breached > 0:
		return fmt.Sprintf("! %d, %d BREACHED", n, breached)
	case running != "" && n == 1:
		return running
	}
	return fmt.Sprintf("%d ok", n)
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
