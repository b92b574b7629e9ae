// Command replay replays the sample history (testdata/history/sample.jsonl:
// three thousand tickets of a São Paulo WhatsApp desk and a Berlin email
// desk over four weeks) through the reference policy and prints a short KPI
// summary: compliance and times per metric, the rates a support lead is
// judged by, the goals of the policy, and the figures per channel.
//
// Run it from the repository root (testdata paths are resolved from the
// repository root: the nearest directory, from the current one up, that
// holds testdata/policies/multidesk.yaml):
//
//	go run ./examples/replay
//
// The test next to it (example_test.go) shows the same replay inside a Go
// test with package slatest.
package main

import (
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func main() {
	if err := run(os.Stdout, repo.Root()); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

// run replays the sample and prints the summary; root is the repository
// root.
func run(w io.Writer, root string) error {
	set, err := policy.LoadFile(filepath.Join(root, repo.Policy))
	if err != nil {
		return err
	}
	eng, err := set.Engine()
	if err != nil {
		return err
	}
	cfg := set.KPIConfig()
	cfg.GroupBy = []string{"channel"}
	acc, err := kpi.New(cfg)
	if err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(root, "testdata", "history", "sample.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close()

	events, fired, refused := 0, 0, 0
	for r, err := range eng.Replay(countEvents(sla.ReadEvents(f), &events), time.Time{}) {
		if err != nil { // an input problem of no live ticket
			refused++
			continue
		}
		acc.Add(r)
		fired += len(r.Escalations)
		refused += len(r.Errors)
	}
	rep := acc.Report()

	fmt.Fprintf(w, "%d events, %d tickets, %d escalation levels fired, %d events refused\n",
		events, rep.Tickets, fired, refused)
	for _, m := range []sla.Metric{sla.FirstResponse, sla.NextResponse, sla.Resolution} {
		mr := rep.Metrics[m]
		fmt.Fprintf(w, "%-15s met %5d  breached %4d  compliance %s  p50 %s  p90 %s\n",
			m, mr.Met, mr.Breached, pct(mr.Compliance), dur(mr.P50Seconds), dur(mr.P90Seconds))
	}
	fmt.Fprintf(w, "sla compliance %s, fcr %s, escalation rate %s, reopen rate %s, backlog %d\n",
		pct(rep.SLACompliance), pct(rep.FCRRate), pct(rep.EscalationRate), pct(rep.ReopenRate), rep.Backlog)
	if rep.CSAT.Mean != nil {
		fmt.Fprintf(w, "csat %d responses, mean %.2f, positive %s\n", rep.CSAT.Responses, *rep.CSAT.Mean, pct(rep.CSAT.PositiveRate))
	}
	for i, g := range rep.Goals {
		verdict := "no data"
		if g.Met != nil && *g.Met {
			verdict = "met"
		} else if g.Met != nil {
			verdict = "missed"
		}
		fmt.Fprintf(w, "goal %-20s %-8s actual %-8s %s\n", g.KPI, g.Target, figure(cfg.Goals[i].Unit, g.Actual), verdict)
	}
	byChannel := rep.By["channel"]
	for _, ch := range slices.Sorted(maps.Keys(byChannel)) {
		r := byChannel[ch]
		fmt.Fprintf(w, "channel %-8s tickets %4d  sla compliance %s  first response p90 %s\n",
			ch, r.Tickets, pct(r.SLACompliance), dur(r.Metrics[sla.FirstResponse].P90Seconds))
	}
	return nil
}

// countEvents counts the lines read; a malformed line (none in the
// sample) is an input error the replay lists.
func countEvents(events iter.Seq2[sla.Event, error], n *int) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for ev, err := range events {
			*n++
			if !yield(ev, err) {
				return
			}
		}
	}
}

func pct(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**v)
}

func dur(s *int64) string {
	if s == nil {
		return "-"
	}
	return (time.Duration(*s) * time.Second).String()
}

func figure(u kpi.Unit, v *float64) string {
	switch {
	case v == nil:
		return "-"
	case u == kpi.Ratio:
		return pct(v)
	case u == kpi.Seconds:
		s := int64(*v)
		return dur(&s)
	}
	return fmt.Sprintf("%.2f", *v)
}
