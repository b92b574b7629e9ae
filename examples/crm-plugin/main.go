// Command crm-plugin shows slakit embedded in a CRM the way a plugin uses
// it: the incremental API, with each ticket's state kept by the host as
// JSON in its database (here an in-memory map), a timer per ticket set
// from View.NextWake, and Engine.Advance called when a timer rings, so
// that escalation levels fire on time even when no event comes.
//
// The CRM's clock is simulated: events and timers are processed in time
// order over two days of the reference policy's desks, and every line
// printed says what the plugin would do.
//
// Run it from the repository root (testdata paths are resolved from the
// repository root: the nearest directory, from the current one up, that
// holds testdata/policies/multidesk.yaml):
//
//	go run ./examples/crm-plugin
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func main() {
	if err := run(os.Stdout, repo.Root()); err != nil {
		fmt.Fprintln(os.Stderr, "crm-plugin:", err)
		os.Exit(1)
	}
}

// plugin is the host side: the engine, the database of states and the
// timers.
type plugin struct {
	eng    *sla.Engine
	db     map[string][]byte    // ticket id -> sla.State as JSON
	timers map[string]time.Time // ticket id -> when to call Advance
	w      io.Writer
}

// load reads a ticket's state from the database (the zero State for a new
// ticket).
func (p *plugin) load(id string) (sla.State, error) {
	var st sla.State
	if b, ok := p.db[id]; ok {
		if err := json.Unmarshal(b, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// save stores the state and sets the ticket's timer from the view.
func (p *plugin) save(st sla.State, at time.Time) (sla.View, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return sla.View{}, err
	}
	p.db[st.Ticket().ID] = b
	v := p.eng.Evaluate(st, at)
	if v.NextWake.IsZero() {
		delete(p.timers, st.Ticket().ID)
	} else {
		p.timers[st.Ticket().ID] = v.NextWake
	}
	return v, nil
}

// event is what the CRM calls when something happens to a ticket.
func (p *plugin) event(ev sla.Event) error {
	st, err := p.load(ev.TicketID)
	if err != nil {
		return err
	}
	n := len(p.eng.Evaluate(st, st.LastAt()).Escalations) // the levels fired so far
	if st, err = p.eng.Apply(st, ev); err != nil {
		return err
	}
	v, err := p.save(st, ev.At)
	if err != nil {
		return err
	}
	what := string(ev.Type)
	switch {
	case ev.Type == sla.EventMessage:
		what = string(ev.Author) + " message"
	case ev.Type == sla.EventStatus:
		what = "status " + string(ev.Status)
	}
	p.printf(v.At, ev.TicketID, "%s: policy %s, priority %s, team %s%s", what, v.Policy, v.Priority, st.Ticket().Team, clocks(v))
	p.fired(v, v.Escalations[n:])
	return nil
}

// wake is what the timer calls.
func (p *plugin) wake(id string, at time.Time) error {
	st, err := p.load(id)
	if err != nil {
		return err
	}
	st, fired := p.eng.Advance(st, at)
	v, err := p.save(st, at)
	if err != nil {
		return err
	}
	var breached []string
	for _, c := range v.Clocks {
		if c.State == sla.StateBreached && c.BreachedAt.Equal(at) {
			breached = append(breached, string(c.Metric)+" breached")
		}
	}
	if len(fired) == 0 && len(breached) == 0 {
		what := "nothing to do"
		if wa := v.WhatsApp; wa != nil {
			what = fmt.Sprintf("whatsapp window %s (closes %s, free-form %t)",
				wa.Verdict.State, wa.Verdict.ClosesAt.Format(day), wa.Verdict.FreeForm)
		}
		p.printf(v.At, id, "timer: %s%s", what, next(v))
		return nil
	}
	if len(breached) > 0 {
		p.printf(v.At, id, "timer: %s%s", strings.Join(breached, ", "), next(v))
	}
	p.fired(v, fired)
	return nil
}

func (p *plugin) fired(v sla.View, fired []sla.Escalation) {
	for _, e := range fired {
		acts := make([]string, len(e.Actions))
		for i, a := range e.Actions {
			acts[i] = action(a)
		}
		p.printf(e.At.In(v.At.Location()), v.Ticket, "escalation %s (%s): %s%s", e.Level, e.Metric, strings.Join(acts, ", "), next(v))
	}
}

func (p *plugin) printf(at time.Time, id, format string, args ...any) {
	fmt.Fprintf(p.w, "%s  %-3s %s\n", at.Format(day+" -07"), id, fmt.Sprintf(format, args...))
}

// day is how instants are printed.
const day = "Mon 2 Jan 15:04"

func action(a escalation.Action) string {
	b, _ := json.Marshal(a)
	return strings.NewReplacer(`"`, "", "{", "", "}", "").Replace(string(b))
}

func clocks(v sla.View) string {
	var b strings.Builder
	for _, c := range v.Clocks {
		if c.State == sla.StateRunning {
			fmt.Fprintf(&b, "; %s due %s", c.Metric, c.Deadline.Format(day))
		} else if c.Stop.Equal(v.At) {
			fmt.Fprintf(&b, "; %s %s", c.Metric, c.State)
		}
	}
	return b.String() + next(v)
}

func next(v sla.View) string {
	if v.NextWake.IsZero() {
		return "; no timer"
	}
	return "; timer " + v.NextWake.Format(day)
}

// run simulates the CRM from Monday 2 March 2026 to Wednesday morning;
// root is the repository root.
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
	ber := set.Calendar("berlin-support").Location()
	mon := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2026, 3, 2+day, h, m, 0, 0, loc) }
	events := []sla.Event{
		// a VIP's billing question on WhatsApp that nobody answers for two hours
		{TicketID: "T1", At: mon(sp, 0, 9, 5), Type: sla.EventCreated, Channel: "whatsapp",
			Customer: &sla.Customer{ID: "c1", Tier: "vip"}, Text: "Problema de pagamento", MessageID: "wamid.1"},
		{TicketID: "T1", At: mon(sp, 0, 11, 30), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Desculpe a demora!"},
		{TicketID: "T1", At: mon(sp, 0, 11, 40), Type: sla.EventStatus, Status: sla.StatusSolved},
		// an email just before closing time, answered the next morning
		{TicketID: "T2", At: mon(ber, 0, 16, 50), Type: sla.EventCreated, Channel: "email",
			Customer: &sla.Customer{ID: "c2"}, Subject: "Question about my order", Text: "Where is my order?"},
		{TicketID: "T2", At: mon(ber, 1, 10, 30), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "It ships today."},
		{TicketID: "T2", At: mon(ber, 1, 10, 35), Type: sla.EventStatus, Status: sla.StatusPending},
		{TicketID: "T2", At: mon(ber, 1, 14, 0), Type: sla.EventMessage, Author: sla.AuthorCustomer, Text: "Thanks!"},
		{TicketID: "T2", At: mon(ber, 1, 14, 5), Type: sla.EventStatus, Status: sla.StatusSolved},
		// an outage on WhatsApp in the evening: answered the next morning, after the window
		{TicketID: "T3", At: mon(sp, 0, 19, 30), Type: sla.EventCreated, Channel: "whatsapp",
			Customer: &sla.Customer{ID: "c3"}, Text: "O app está fora do ar", MessageID: "wamid.3"},
		{TicketID: "T3", At: mon(sp, 1, 8, 4), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Já voltou!"},
	}
	slices.SortStableFunc(events, func(a, b sla.Event) int { return a.At.Compare(b.At) }) // the CRM sees them in time order
	end := mon(sp, 2, 8, 0)

	p := &plugin{eng: eng, db: map[string][]byte{}, timers: map[string]time.Time{}, w: w}
	for {
		// the earliest timer (by instant, then ticket id)
		id, at := "", time.Time{}
		for _, k := range slices.Sorted(maps.Keys(p.timers)) {
			if t := p.timers[k]; at.IsZero() || t.Before(at) {
				id, at = k, t
			}
		}
		switch {
		case len(events) > 0 && (id == "" || !at.Before(events[0].At)):
			if err := p.event(events[0]); err != nil {
				return err
			}
			events = events[1:]
		case id != "" && at.Before(end):
			if err := p.wake(id, at); err != nil {
				return err
			}
		default:
			size := 0
			for _, b := range p.db {
				size += len(b)
			}
			fmt.Fprintf(w, "end: %d tickets in the database (%d bytes of JSON), %d timers set\n", len(p.db), size, len(p.timers))
			return nil
		}
	}
}
