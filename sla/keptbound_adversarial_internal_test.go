package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/stretchr/testify/require"
)

// keptAdvEngine: an adversarial config whose every policy's bound may be kept.
func keptAdvEngine(t testing.TB, closeAfter time.Duration, lean bool) *Engine {
	cal := func(s calendar.Spec) *calendar.Calendar { return specCal(t, s) }
	sp := cal(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}})
	ny := cal(calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	berlin := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	always := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"daily": {"00:00-24:00"}}})
	notify := []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}
	tk := func(x any) *Ticket { t, _ := x.(*Ticket); return t }
	lvl := func(name, metric string, at escalation.Trigger, reads Attrs, cond func(*Ticket) bool, acts []escalation.Action) escalation.Level {
		l := escalation.Level{Name: name, Metric: metric, At: at, Actions: acts}
		if cond != nil {
			l.When = func(c *escalation.Context) (bool, error) { return cond(tk(c.Ticket)), nil }
			l.WhenTicketOnly, l.WhenReads = true, uint64(reads)
			l.WhenTicket = func(x any) bool { return cond(tk(x)) }
		}
		return l
	}
	pct := func(bp int64) escalation.Trigger {
		return escalation.Trigger{Kind: escalation.Percent, BasisPoints: bp}
	}
	el := func(d time.Duration) escalation.Trigger {
		return escalation.Trigger{Kind: escalation.Elapsed, Offset: d}
	}
	br := func(d time.Duration) escalation.Trigger {
		return escalation.Trigger{Kind: escalation.Breach, Offset: d}
	}
	levels := []escalation.Level{
		lvl("fr80", string(FirstResponse), pct(8000), 0, nil, notify),
		lvl("resvip", string(Resolution), el(30*time.Minute), AttrTags, func(t *Ticket) bool { return t.HasTag("vip") }, notify),
		lvl("urgentres", string(Resolution), pct(5000), AttrPriority, func(t *Ticket) bool { return t.Priority == "urgent" }, notify),
		lvl("openwatch", string(NextResponse), el(2*time.Hour), AttrStatus, func(t *Ticket) bool { return t.Status == StatusOpen }, notify),
		lvl("billingnr", string(NextResponse), el(10*time.Minute), AttrTeam, func(t *Ticket) bool { return t.Team == "billing" }, notify),
		lvl("ticketbreach", "", br(time.Hour), 0, nil, []escalation.Action{{Type: escalation.SetPriority, Target: "urgent"}}),
		lvl("callback", "callback", el(15*time.Minute), 0, nil, []escalation.Action{{Type: escalation.AddTags, Tags: []string{"escalated"}}}),
		lvl("fieldx", string(FirstResponse), pct(9000), AttrFields, func(t *Ticket) bool { _, ok := t.Fields["x"]; return ok },
			[]escalation.Action{{Type: escalation.Assign, Target: "tier2"}}),
		lvl("agentpu", string(PeriodicUpdate), el(5*time.Minute), AttrAgent, func(t *Ticket) bool { return t.Agent != "" }, notify),
		{Name: "prebreach", Metric: string(Resolution), At: br(-30 * time.Minute), During: berlin, Actions: notify},
		lvl("escal", string(Resolution), pct(2000), AttrTags, func(t *Ticket) bool { return !t.HasTag("escalated") },
			[]escalation.Action{{Type: escalation.AddTags, Tags: []string{"escalated"}}}),
	}
	if lean {
		var l2 []escalation.Level
		for _, l := range levels {
			switch l.Name {
			case "resvip", "openwatch", "escal":
				continue
			}
			l2 = append(l2, l)
		}
		levels = l2
	}
	lad, err := escalation.New("adv", levels)
	require.NoError(t, err)
	targets := memoTargets()
	for _, m := range targets {
		m["callback"] = 45 * time.Minute
	}
	cb := CustomMetric{Name: "callback",
		Start:   func(t *Ticket, ev *Event) (bool, error) { return t.HasTag("callback"), nil },
		Stop:    func(t *Ticket, ev *Event) (bool, error) { return ev.Author == AuthorAgent, nil },
		Pause:   func(t *Ticket) (bool, error) { return t.HasTag("hold"), nil },
		StartOn: []EventType{EventUpdate}, StopOn: []EventType{EventMessage}}
	e, err := NewEngine(Config{Policies: []Policy{
		{Name: "vip", When: hasTag("vip"), WhenReads: AttrTags, Calendar: always, Targets: targets, Escalation: "adv", Reopen: ReopenRestart,
			PauseFor: map[Metric][]Status{Resolution: {StatusPending, StatusOnHold}, FirstResponse: {StatusPending}, NextResponse: {StatusOnHold}},
			Metrics:  []CustomMetric{cb}},
		{Name: "std", Calendar: sp, Targets: targets, Escalation: "adv", OnPriorityChange: Recompute,
			PauseFor:  map[Metric][]Status{Resolution: {StatusPending}, FirstResponse: {StatusPending, StatusOnHold}, PeriodicUpdate: {StatusOnHold}},
			Calendars: map[string]*calendar.Calendar{"ny": ny}, CalendarByReads: AttrFields,
			CalendarBy: func(tk *Ticket) (string, error) {
				if _, ok := tk.Fields["ny"]; ok {
					return "ny", nil
				}
				return "", nil
			}, Metrics: []CustomMetric{cb}},
	}, Ladders: map[string]*escalation.Ladder{"adv": lad}, CloseSolvedAfter: closeAfter})
	require.NoError(t, err)
	return e
}

func keptAdvEngines(t testing.TB, closeAfter time.Duration, lean bool) (kept, walk *Engine) {
	kept, walk = keptAdvEngine(t, closeAfter, lean), keptAdvEngine(t, closeAfter, lean)
	for i, p := range walk.policies {
		require.True(t, kept.policies[i].bounds.kept, "policy %s kept", p.Name)
		// The walk takes no shortcut: neither the bound kept, nor the
		// search's, nor the one over cycles opened.
		p.bounds.kept, p.bounds.searchKept, p.bounds.opened = false, false, false
	}
	return kept, walk
}

func keptAdvEvent(r *rand.Rand, at time.Time) Event {
	ev := Event{TicketID: "T", At: at}
	switch r.IntN(9) {
	case 0, 1:
		ev.Type = EventMessage
		ev.Author = []Author{AuthorAgent, AuthorCustomer, AuthorBot, AuthorAgent}[r.IntN(4)]
		if r.IntN(5) == 0 {
			f := false
			ev.Public = &f
		}
	case 2, 3:
		ev.Type = EventStatus
		ev.Status = []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusNew, StatusOpen, StatusPending}[r.IntN(7)]
		if r.IntN(30) == 0 {
			ev.Status = StatusClosed
		}
	case 4:
		ev.Type = EventPriority
		ev.Priority = []string{"urgent", "normal", "low"}[r.IntN(3)]
	case 5:
		ev.Type = EventAssign
		switch r.IntN(4) {
		case 0:
			ev.ClearTeam = true
		default:
			ev.Team = []string{"billing", "support", ""}[r.IntN(3)]
			ev.Agent = []string{"ana", ""}[r.IntN(2)]
			if ev.Team == "" && ev.Agent == "" {
				ev.Team = "billing"
			}
		}
	case 6, 7:
		ev.Type = EventUpdate
		tags := []string{"vip", "callback", "hold", "escalated", "plain"}
		switch r.IntN(5) {
		case 0, 1:
			ev.Tags = []string{tags[r.IntN(len(tags))]}
		case 2:
			ev.RemoveTags = []string{tags[r.IntN(len(tags))]}
		case 3:
			k := []string{"x", "ny"}[r.IntN(2)]
			ev.Fields = map[string]any{k: 1.0}
		default:
			k := []string{"x", "ny"}[r.IntN(2)]
			ev.Fields = map[string]any{k: nil}
		}
	default:
		ev.Type = []EventType{EventNote, EventEscalated, EventCSAT}[r.IntN(3)]
		if ev.Type == EventCSAT {
			ev.Score = 3
		}
	}
	return ev
}

func keptAdvHistory(t testing.TB, ek, ew *Engine, seed uint64, steps int) int {
	r := rand.New(rand.NewPCG(seed, 77))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24*60)) * time.Minute)
	first := Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
		Priority: []string{"urgent", "normal", "low"}[r.IntN(3)], Author: []Author{AuthorCustomer, AuthorAgent}[r.IntN(2)]}
	if r.IntN(2) == 0 {
		first.Tags = []string{[]string{"vip", "callback", "hold"}[r.IntN(3)]}
	}
	sk, err1 := ek.Apply(State{}, first)
	sw, err2 := ew.Apply(State{}, first)
	require.NoError(t, err1)
	require.NoError(t, err2)
	apart := 0
	for n := 0; n < steps; n++ {
		if sk.Closed() {
			break
		}
		var gap time.Duration
		switch r.IntN(6) {
		case 0:
			gap = time.Duration(r.IntN(3*24*60)) * time.Minute // jumps past several levels
		case 1:
			gap = 0
		default:
			gap = time.Duration(r.IntN(90)) * time.Minute
		}
		at = at.Add(gap)
		what := fmt.Sprintf("seed %d, step %d", seed, n)
		if r.IntN(5) == 0 {
			var xk, xw []Escalation
			sk, xk = ek.Advance(sk, at)
			sw, xw = ew.Advance(sw, at)
			require.Equal(t, xw, xk, "%s: advance", what)
		} else {
			ev := keptAdvEvent(r, at)
			sk, err1 = ek.Apply(sk, ev)
			sw, err2 = ew.Apply(sw, ev)
			require.Equal(t, err2 == nil, err1 == nil, what)
			what += fmt.Sprintf(" %s %s %s %v %v %v", ev.Type, ev.Status, ev.Priority, ev.Tags, ev.RemoveTags, ev.Fields)
		}
		if checkKept(t, ek, ew, &sk, &sw, what) {
			apart++
		}
	}
	return apart
}

// TestKeptBoundAdversarial applies random histories to a ticket with an
// engine that keeps the escalation bound over events and one that walks
// after every event, under the adversarial config (levels reading each
// attribute, per-metric pauses, a custom metric with a pause, reopen,
// recompute, a calendar chosen by a field, auto-close), and requires the
// same states and next firings: a change without its mark (see
// State.boundStale, boundStopped) fails it.
func TestKeptBoundAdversarial(t *testing.T) {
	for _, ca := range []time.Duration{0, 8 * time.Hour, 1} {
		ek, ew := keptAdvEngines(t, ca, ca == 1)
		apart := 0
		for seed := range uint64(80) {
			apart += keptAdvHistory(t, ek, ew, seed, 60)
		}
		t.Logf("close after %v: apart %d", ca, apart)
	}
}

// FuzzKeptBoundAdversarial is TestKeptBoundAdversarial over seeds and
// history lengths the fuzzer chooses.
func FuzzKeptBoundAdversarial(f *testing.F) {
	for i := range 10 {
		f.Add(uint64(i), uint8(60), false)
	}
	ek, ew := keptAdvEngines(f, 0, true)
	ek2, ew2 := keptAdvEngines(f, 8*time.Hour, false)
	f.Fuzz(func(t *testing.T, seed uint64, steps uint8, ca bool) {
		if ca {
			keptAdvHistory(t, ek2, ew2, seed, int(steps%96))
		} else {
			keptAdvHistory(t, ek, ew, seed, int(steps%96))
		}
	})
}

func keptAdvStream(seed uint64, tickets, steps int) []Event {
	r := rand.New(rand.NewPCG(seed, 91))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24*60)) * time.Minute)
	var out []Event
	live := []string{}
	n := 0
	for range steps {
		at = at.Add(time.Duration(r.IntN(40)) * time.Minute)
		if r.IntN(50) == 0 {
			at = at.Add(time.Duration(r.IntN(48)) * time.Hour)
		}
		if len(live) == 0 || (n < tickets && r.IntN(6) == 0) {
			id := fmt.Sprintf("T%d", n)
			n++
			live = append(live, id)
			ev := Event{TicketID: id, At: at, Type: EventCreated, Channel: "email",
				Priority: []string{"urgent", "normal", "low"}[r.IntN(3)], Author: []Author{AuthorCustomer, AuthorAgent}[r.IntN(2)]}
			if r.IntN(2) == 0 {
				ev.Tags = []string{[]string{"vip", "callback", "hold"}[r.IntN(3)]}
			}
			out = append(out, ev)
			continue
		}
		ev := keptAdvEvent(r, at)
		ev.TicketID = live[r.IntN(len(live))]
		out = append(out, ev)
	}
	return out
}

func keptReplayAll(t testing.TB, e *Engine, evs []Event, at time.Time) string {
	var b []byte
	for res, err := range e.Replay(func(yield func(Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}, at) {
		if err != nil {
			b = append(b, []byte("ERR "+err.Error()+"\n")...)
			continue
		}
		j, _ := json.Marshal(res)
		b = append(b, j...)
		b = append(b, fmt.Sprintf("%v\n", res.View.Escalations)...)
	}
	return string(b)
}

// TestKeptBoundReplay replays random streams of many tickets (the
// replay's own path: untold stops, records reused) through both engines
// and requires the same results.
func TestKeptBoundReplay(t *testing.T) {
	for _, ca := range []time.Duration{0, 8 * time.Hour, 1} {
		ek, ew := keptAdvEngines(t, ca, ca == 1)
		for seed := range uint64(20) {
			evs := keptAdvStream(seed, 30, 600)
			end := evs[len(evs)-1].At.Add(72 * time.Hour)
			require.Equal(t, keptReplayAll(t, ew, evs, end), keptReplayAll(t, ek, evs, end), "seed %d", seed)
		}
	}
}
