package sla_test

import (
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// genConfig is the configuration random histories run on: a vip policy
// on a 24x7 New York calendar with a custom metric and restart on reopen,
// a Berlin policy for the de channel, and a São Paulo catch-all, plus a
// routing rule.
func genConfig(t testing.TB) sla.Config {
	vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) bool { return tk.HasTag("vip") },
		Calendar: allDay(t, "America/New_York"), Reopen: sla.ReopenRestart, CountBotReplies: true,
		Targets: targets{
			"urgent": {fr: 15 * time.Minute, nr: 30 * time.Minute, res: 2 * time.Hour, "time_to_assign": 10 * time.Minute},
			"normal": {fr: 30 * time.Minute, nr: time.Hour, pu: 2 * time.Hour, res: 8 * time.Hour, "time_to_assign": 20 * time.Minute},
		},
		Metrics: []sla.CustomMetric{{Name: "time_to_assign",
			Start: func(tk *sla.Ticket, e *sla.Event) bool { return tk.Agent == "" },
			Stop:  func(tk *sla.Ticket, e *sla.Event) bool { return tk.Agent != "" },
			Pause: func(tk *sla.Ticket) bool { return tk.Status == sla.StatusOnHold }}},
	}
	de := sla.Policy{Name: "de", When: func(tk *sla.Ticket) bool { return tk.Channel == "de" },
		Calendar: berlinCal(t), PauseOn: []sla.Status{sla.StatusPending}, Targets: stdTargets()}
	sp := sla.Policy{Name: "sp", Calendar: spCal(t), Targets: stdTargets()}
	router := sla.RouterFunc(func(tk *sla.Ticket, e *sla.Event) []string {
		if e.Type == sla.EventMessage && strings.Contains(e.Text, "urgent") && tk.Priority != "urgent" {
			tk.Priority = "urgent"
			return []string{"urgent-keyword"}
		}
		return nil
	})
	return sla.Config{Policies: []sla.Policy{vip, de, sp}, Rules: router}
}

// byteSource hands out bytes, then zeros.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

func (s *byteSource) done() bool { return s.i >= len(s.b) }

var (
	genTypes    = []sla.EventType{sla.EventMessage, sla.EventMessage, sla.EventMessage, sla.EventStatus, sla.EventPriority, sla.EventAssign, sla.EventUpdate, sla.EventNote, sla.EventCSAT, sla.EventEscalated, sla.EventCreated, "bogus"}
	genStatuses = []sla.Status{sla.StatusOpen, sla.StatusPending, sla.StatusOnHold, sla.StatusSolved, sla.StatusClosed, sla.StatusNew, "weird"}
	genAuthors  = []sla.Author{sla.AuthorCustomer, sla.AuthorAgent, sla.AuthorAgent, sla.AuthorBot, ""}
	genPrios    = []string{"urgent", "high", "normal", "low", "", "p9"}
	genChannels = []string{"email", "de", "whatsapp"}
)

// genEvents turns bytes into an interleaved history of up to tickets
// tickets, mostly valid, with some out-of-order, malformed and
// after-close events.
func genEvents(src *byteSource, tickets, max int) []sla.Event {
	base := time.Date(2026, 3, 6, 11, 0, 0, 0, time.UTC)
	clock := make([]time.Time, tickets)
	created := make([]bool, tickets)
	var out []sla.Event
	for len(out) < max && !src.done() {
		k := int(src.next()) % tickets
		id := string(rune('A' + k))
		if clock[k].IsZero() {
			clock[k] = base.Add(time.Duration(src.next()) * 7 * time.Minute)
		}
		step := time.Duration(src.next()) * 3 * time.Minute
		if step > 600*time.Minute {
			step = 3 * 24 * time.Hour // jump over a weekend now and then
		}
		at := clock[k].Add(step)
		b := src.next()
		if b == 255 {
			at = at.Add(-10 * time.Hour) // out of order
		} else {
			clock[k] = at
		}
		ev := sla.Event{TicketID: id, At: at.Add(time.Duration(b%3) * 500 * time.Millisecond)}
		if !created[k] && b%16 != 1 {
			created[k] = true
			ev.Type = sla.EventCreated
			ev.Channel = genChannels[int(src.next())%len(genChannels)]
			ev.Priority = genPrios[int(src.next())%5]
			ev.Author = genAuthors[int(b)%len(genAuthors)]
			if b%7 == 0 {
				ev.Tags = []string{"vip"}
			}
			out = append(out, ev)
			continue
		}
		ev.Type = genTypes[int(src.next())%len(genTypes)]
		x := src.next()
		switch ev.Type {
		case sla.EventMessage:
			ev.Author = genAuthors[int(x)%len(genAuthors)]
			if x%11 == 0 {
				f := false
				ev.Public = &f
			}
			if x%13 == 0 {
				ev.Text = "this is urgent"
			}
		case sla.EventStatus:
			ev.Status = genStatuses[int(x)%len(genStatuses)]
		case sla.EventPriority:
			ev.Priority = genPrios[int(x)%len(genPrios)]
		case sla.EventAssign:
			ev.Agent = []string{"ana", "bo", ""}[int(x)%3]
			ev.Team = []string{"", "billing"}[int(x)%2]
		case sla.EventUpdate:
			if x%2 == 0 {
				ev.Tags = []string{"vip"}
			} else {
				ev.RemoveTags = []string{"vip"}
			}
			if x%5 == 0 {
				ev.Fields = map[string]any{"order": float64(x)}
			}
		case sla.EventCSAT:
			ev.Score = int(x) % 7
		case sla.EventEscalated:
			ev.Tier = "tier2"
		}
		out = append(out, ev)
	}
	return out
}
