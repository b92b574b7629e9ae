package sla_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// genConfig is the configuration random histories run on: a vip policy
// on a 24x7 New York calendar with a custom metric, restart on reopen and
// a start date, a Berlin policy for the de channel (pauses per metric,
// business-day targets, recompute on priority changes, a default
// priority), and a São Paulo catch-all that counts some tickets in New
// York hours, plus a routing rule and an OLA for billing.
func genConfig(t testing.TB) sla.Config {
	vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
		Calendar: allDay(t, "America/New_York"), Reopen: sla.ReopenRestart, CountBotReplies: true,
		Targets: targets{
			"urgent": {fr: 15 * time.Minute, nr: 30 * time.Minute, res: 2 * time.Hour, "time_to_assign": 10 * time.Minute},
			"normal": {fr: 30 * time.Minute, nr: time.Hour, pu: 2 * time.Hour, res: 8 * time.Hour, "time_to_assign": 20 * time.Minute},
		},
		Metrics: []sla.CustomMetric{{Name: "time_to_assign",
			Start: func(tk *sla.Ticket, e *sla.Event) (bool, error) { return tk.Agent == "", nil },
			Stop:  func(tk *sla.Ticket, e *sla.Event) (bool, error) { return tk.Agent != "", nil },
			Pause: func(tk *sla.Ticket) (bool, error) { return tk.Status == sla.StatusOnHold, nil }}},
	}
	// de: pauses per metric, targets in business days, recompute on a
	// change of priority, its own default priority.
	deTargets := stdTargets()
	delete(deTargets["high"], res)
	delete(deTargets["low"], res)
	de := sla.Policy{Name: "de", When: func(tk *sla.Ticket) (bool, error) { return tk.Channel == "de", nil },
		Calendar: berlinCal(t), PauseFor: map[sla.Metric][]sla.Status{res: {sla.StatusPending}, fr: {sla.StatusPending}, nr: {sla.StatusOnHold}},
		Targets: deTargets, DayTargets: map[string]map[sla.Metric]sla.DayTarget{"high": {res: {Days: 1, At: 16 * time.Hour}}, "low": {res: {Days: 3}}},
		OnPriorityChange: sla.Recompute, DefaultPriority: "low"}
	// sp: a ticket with an order field counts in New York hours.
	sp := sla.Policy{Name: "sp", Calendar: spCal(t), CalendarName: "sp", Targets: stdTargets(),
		Calendars: map[string]*calendar.Calendar{"ny": nyCal(t)},
		CalendarBy: func(tk *sla.Ticket) (string, error) {
			if _, ok := tk.Fields["order"]; ok {
				return "ny", nil
			}
			return "", nil
		}}
	// vip applies to tickets created from 12:00 UTC on the first day.
	vip.ValidFrom = time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	router := sla.RouterFunc(func(tk *sla.Ticket, e *sla.Event) ([]string, error) {
		if e.Type == sla.EventMessage && strings.Contains(e.Text, "urgent") && tk.Priority != "urgent" {
			tk.Priority = "urgent"
			return []string{"urgent-keyword"}, nil
		}
		return nil, nil
	})
	vip.Escalation, sp.Escalation = "standard", "standard"
	tracker, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	return sla.Config{Policies: []sla.Policy{vip, de, sp}, Rules: router,
		Ladders: map[string]*escalation.Ladder{"standard": genLadder(t)}, WhatsApp: tracker, AtRisk: 75,
		OLAs: []sla.OLA{{Name: "billing-ola", Team: "billing", Calendar: spCal(t), PauseOn: []sla.Status{sla.StatusOnHold},
			Targets: targets{"urgent": {sla.OLATimeToOwn: 15 * time.Minute, sla.OLATimeToResolve: time.Hour},
				"normal": {sla.OLATimeToOwn: time.Hour, sla.OLATimeToResolve: 4 * time.Hour}, "low": {sla.OLATimeToResolve: 8 * time.Hour}}}}}
}

// genLadder fires levels whose actions change the ticket: a breach raises
// the priority, an hour past it the ticket is tagged vip (which switches
// it to the vip policy) during Berlin office hours, and two hours of
// resolution hand it to tier 2.
func genLadder(t testing.TB) *escalation.Ladder {
	l, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000},
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}},
		{Name: "breach", At: escalation.Trigger{Kind: escalation.Breach},
			Actions: []escalation.Action{{Type: escalation.SetPriority, Target: "urgent"}}},
		{Name: "vip", At: escalation.Trigger{Kind: escalation.Breach, Offset: time.Hour}, During: berlinCal(t),
			Actions: []escalation.Action{{Type: escalation.AddTags, Tags: []string{"vip"}}}},
		{Name: "window", At: escalation.Trigger{Kind: escalation.Window, Offset: 2 * time.Hour},
			Actions: []escalation.Action{{Type: escalation.MessageCustomer, Target: "still_there"}}},
		{Name: "tier2", Metric: "resolution", At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 2 * time.Hour},
			When:    func(c *escalation.Context) (bool, error) { return c.Ticket.(*sla.Ticket).Team != "tier2", nil },
			Actions: []escalation.Action{{Type: escalation.Assign, Target: "tier2"}}},
	})
	require.NoError(t, err)
	return l
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
	genTypes    = []sla.EventType{sla.EventMessage, sla.EventMessage, sla.EventMessage, sla.EventStatus, sla.EventPriority, sla.EventAssign, sla.EventUpdate, sla.EventNote, sla.EventCSAT, sla.EventEscalated, sla.EventCreated, sla.EventWindowRejected, "bogus"}
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
			ev.MessageID = string(rune('a' + x%8)) // redeliveries now and then
			ev.Referral = x%5 == 0
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

// A ticket's first priority is no change of priority, even for a state
// read from JSON that names a policy before its ticket is created, when
// its calendar (chosen by CalendarBy) changes at creation.
func TestFirstPriorityWithPolicyBeforeCreation(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	var st sla.State
	require.NoError(t, json.Unmarshal([]byte(`{"v":1,"policy":"sp"}`), &st))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, err := e.Apply(st, sla.Event{TicketID: "T", At: at, Type: sla.EventCreated, Priority: "high",
		Fields: map[string]any{"order": 1}})
	require.NoError(t, err)
	r := e.Result(st, at)
	assert.Equal(t, "sp", r.Policy)
	assert.Zero(t, r.Stats.PriorityChanges)
}
