// Command quickstart is slakit in about forty lines: load the reference
// policy, build the engine, apply the events of a WhatsApp ticket and
// print its clocks, deadlines and customer service window.
//
// Run it from the repository root (testdata paths are resolved from the
// repository root: the nearest directory, from the current one up, that
// holds testdata/policies/multidesk.yaml):
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func main() {
	if err := run(os.Stdout, repo.Root()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run prints the walkthrough; root is the repository root.
func run(w io.Writer, root string) error {
	set, err := policy.LoadFile(filepath.Join(root, repo.Policy))
	if err != nil {
		return err
	}
	eng, err := set.Engine()
	if err != nil {
		return err
	}
	sp := set.Calendar("sp-support").Location()
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, sp) } // Monday 2 March 2026

	var st sla.State // the host keeps this (as JSON, in its database)
	for _, ev := range []sla.Event{
		{TicketID: "T1", At: at(11, 50), Type: sla.EventCreated, Channel: "whatsapp",
			Customer: &sla.Customer{ID: "c1"}, Text: "Oi! Não recebi o boleto", MessageID: "wamid.1"},
		{TicketID: "T1", At: at(11, 52), Type: sla.EventAssign, Agent: "ana"},
	} {
		if st, err = eng.Apply(st, ev); err != nil {
			return err
		}
	}
	show(w, eng.Evaluate(st, at(11, 55)), st.Ticket().Team)

	st, err = eng.Apply(st, sla.Event{TicketID: "T1", At: at(13, 2), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Olá! Segue o boleto."})
	if err != nil {
		return err
	}
	show(w, eng.Evaluate(st, at(13, 2)), st.Ticket().Team)
	return nil
}

func show(w io.Writer, v sla.View, team string) {
	fmt.Fprintf(w, "%s at %s: policy %s, priority %s, team %s, status %s\n",
		v.Ticket, v.At.Format("Mon 15:04"), v.Policy, v.Priority, team, v.Status)
	for _, c := range v.Clocks {
		fmt.Fprintf(w, "  %-15s %-8s due %s  elapsed %v of %v\n",
			c.Metric, c.State, c.Deadline.Format("Mon 15:04"), c.Elapsed, c.Target)
	}
	for _, e := range v.Escalations {
		fmt.Fprintf(w, "  escalation %s fired at %s for %s\n", e.Level, e.At.Format("Mon 15:04"), e.Metric)
	}
	if wa := v.WhatsApp; wa != nil {
		fmt.Fprintf(w, "  whatsapp window %s, closes %s, free-form allowed: %t\n",
			wa.Verdict.State, wa.Verdict.ClosesAt.Format("Mon 15:04"), wa.Verdict.FreeForm)
	}
	if !v.NextWake.IsZero() {
		fmt.Fprintf(w, "  look again at %s\n", v.NextWake.Format("Mon 15:04"))
	}
}
