package sla

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// The engine keeps the answers of a ladder's conditions on the ticket
// (escalation.Ladder.RuledOut) in the ticket's memos, for the levels that
// declare what they read (escalation.Level.WhenReads), until an attribute
// they read changes. These tests replay the same histories on an engine
// whose levels declare what they read and on one whose levels declare
// nothing (asked at every walk, as before the answers were kept): the
// states, next firings and levels fired must be the same at every step,
// and every answer kept must be the answer of the ticket as it stands.

// readsDecl says what the levels of readsEngine's ladder declare.
type readsDecl int

const (
	declNone  readsDecl = iota // no level declares: every condition asked at every walk
	declRight                  // each level declares what it reads (one declares nothing)
	declWrong                  // each level declares the status alone: a wrong declaration
)

// readsEngine is an engine whose ladder has a level for each attribute a
// condition may read, and actions that change them: after 10 minutes a
// ticket tagged move is assigned to billing; after 30 a billing ticket's
// resolution notifies; an urgent ticket is tagged hot at half its first
// response target; a hot ticket is set to normal priority at its first
// breach; a next response of a ticket of agent ana (a level that declares
// nothing) notifies after 20 minutes; a ticket with the field vip notifies
// after two hours. A routing rule assigns the ticket to billing on a
// message "billing please". The ticket's status picks the policy (pending
// tickets count in São Paulo hours), and a tag "plain" another ladder.
func readsEngine(t testing.TB, decl readsDecl) *Engine {
	cal := func(s calendar.Spec) *calendar.Calendar { return specCal(t, s) }
	sp := cal(calendar.Spec{Timezone: "America/Sao_Paulo", Hours: map[string][]string{"mon-fri": {"08:00-18:00"}}})
	berlin := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"daily": {"00:00-24:00"}}})
	trig := func(s string) escalation.Trigger {
		tr, err := escalation.ParseTrigger(s)
		require.NoError(t, err)
		return tr
	}
	notify := []escalation.Action{{Type: escalation.Notify, Target: "lead"}}
	level := func(name, metric, at string, reads Attrs, when func(*Ticket) bool, actions []escalation.Action) escalation.Level {
		ticket := func(x any) bool { tk, _ := x.(*Ticket); return tk != nil && when(tk) }
		lv := escalation.Level{Name: name, Metric: metric, At: trig(at), Actions: actions,
			When:           func(c *escalation.Context) (bool, error) { return ticket(c.Ticket), nil },
			WhenTicketOnly: true, WhenTicket: ticket}
		switch decl {
		case declRight:
			lv.WhenReads = uint64(reads)
		case declWrong:
			lv.WhenReads = uint64(AttrStatus)
		}
		return lv
	}
	std, err := escalation.New("standard", []escalation.Level{
		level("to-billing", "resolution", "10m", AttrTags, func(tk *Ticket) bool { return tk.HasTag("move") },
			[]escalation.Action{{Type: escalation.Assign, Target: "billing"}}),
		level("billing", "resolution", "30m", AttrTeam, func(tk *Ticket) bool { return tk.Team == "billing" }, notify),
		level("urgent", "first_response", "50%", AttrPriority, func(tk *Ticket) bool { return tk.Priority == "urgent" },
			[]escalation.Action{{Type: escalation.AddTags, Tags: []string{"hot"}}}),
		level("hot", "", "breach", AttrTags, func(tk *Ticket) bool { return tk.HasTag("hot") },
			[]escalation.Action{{Type: escalation.SetPriority, Target: "low"}}),
		level("ana", "next_response", "20m", 0, func(tk *Ticket) bool { return tk.Agent == "ana" }, notify),
		level("calm", "resolution", "3h", AttrPriority, func(tk *Ticket) bool { return tk.Priority == "low" }, notify),
		level("vip", "resolution", "2h", AttrFields, func(tk *Ticket) bool { return tk.Fields["vip"] == true }, notify),
	})
	require.NoError(t, err)
	plain, err := escalation.New("plain", []escalation.Level{
		level("plain-billing", "resolution", "20m", AttrTeam, func(tk *Ticket) bool { return tk.Team == "billing" }, notify),
	})
	require.NoError(t, err)
	targets := map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 4 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, NextResponse: 4 * time.Hour, Resolution: 16 * time.Hour},
		"low":    {FirstResponse: 8 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 40 * time.Hour},
	}
	router := RouterFunc(func(tk *Ticket, ev *Event) ([]string, error) {
		if ev.Type == EventMessage && ev.Text == "billing please" && tk.Team != "billing" {
			tk.Team = "billing"
			return []string{"to-billing"}, nil
		}
		return nil, nil
	})
	e, err := NewEngine(Config{Policies: []Policy{
		{Name: "plain", When: func(tk *Ticket) (bool, error) { return tk.HasTag("plain"), nil }, WhenReads: AttrTags,
			Calendar: berlin, Targets: targets, Escalation: "plain"},
		{Name: "pending", When: func(tk *Ticket) (bool, error) { return tk.Status == StatusPending, nil }, WhenReads: AttrStatus,
			Calendar: sp, Targets: targets, Escalation: "standard", PauseOn: []Status{}},
		{Name: "std", Calendar: berlin, Targets: targets, Escalation: "standard"},
	}, Ladders: map[string]*escalation.Ladder{"standard": std, "plain": plain}, Rules: router})
	require.NoError(t, err)
	return e
}

// readsStart is the Monday 09:00 UTC at which the histories of readsOps
// start.
var readsStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The kinds of step of a history (see readsStep).
const (
	opAgent    = iota // an agent's public reply
	opCustomer        // a customer's message; value 0: "billing please"
	opStatus          // open, pending, solved, on hold
	opPriority        // urgent, normal, low, urgent
	opAssign          // team billing; team support and agent bo; no team; agent ana
	opUpdate          // tag move; untag move and hot; field vip; no field vip
	opAdvance         // Advance, by the delay times 1, 4, 16 or 64 (the value)
	opOther           // tag plain; untag plain; a note; a new subject
)

// op is the byte of a step: the kind, a value 0-3 and a delay 0-7 in
// tens of minutes after the step before.
func op(kind, value, delay int) byte { return byte(kind | value<<3 | delay<<5) }

// readsStep decodes one byte of a history (see op) at the instant of the
// step before: it returns the event, or a zero event for an advance, and
// its instant.
func readsStep(b byte, at time.Time) (Event, time.Time) {
	v, d := int(b>>3&3), time.Duration(b>>5)*10*time.Minute
	ev := Event{TicketID: "T", Type: EventNote}
	switch b & 7 {
	case opAgent:
		ev.Type, ev.Author = EventMessage, AuthorAgent
	case opCustomer:
		ev.Type, ev.Author = EventMessage, AuthorCustomer
		if v == 0 {
			ev.Text = "billing please" // the routing rule assigns billing
		}
	case opStatus:
		ev.Type, ev.Status = EventStatus, []Status{StatusOpen, StatusPending, StatusSolved, StatusOnHold}[v]
	case opPriority:
		ev.Type, ev.Priority = EventPriority, []string{"urgent", "normal", "low", "urgent"}[v]
	case opAssign:
		ev.Type = EventAssign
		switch v {
		case 0:
			ev.Team = "billing"
		case 1:
			ev.Team, ev.Agent = "support", "bo"
		case 2:
			ev.ClearTeam = true
		default:
			ev.Agent = "ana"
		}
	case opUpdate:
		ev.Type = EventUpdate
		switch v {
		case 0:
			ev.Tags = []string{"move"}
		case 1:
			ev.RemoveTags = []string{"move", "hot"}
		case 2:
			ev.Fields = map[string]any{"vip": true}
		default:
			ev.Fields = map[string]any{"vip": nil}
		}
	case opAdvance:
		return Event{}, at.Add(d << (2 * v))
	default:
		switch v {
		case 0:
			ev.Type, ev.Tags = EventUpdate, []string{"plain"}
		case 1:
			ev.Type, ev.RemoveTags = EventUpdate, []string{"plain"}
		case 3:
			ev.Type, ev.Subject = EventUpdate, "new subject"
		}
	}
	ev.At = at.Add(d)
	return ev, ev.At
}

// readsTracks replays the history ops (see readsStep) of one ticket
// created with the priority prio on e, keeping the state from step to
// step, and on ref, and requires the same states, next firings and levels
// fired at every step; and that every answer e's memos keep is the answer
// of the ticket as it stands.
func readsTracks(t testing.TB, e, ref *Engine, prio string, ops []byte) {
	t.Helper()
	created := Event{TicketID: "T", At: readsStart, Type: EventCreated, Channel: "email", Priority: prio}
	st, err := e.Apply(State{}, created)
	require.NoError(t, err)
	want, err := ref.Apply(State{}, created)
	require.NoError(t, err)
	at := readsStart
	for n, b := range ops {
		what := fmt.Sprintf("step %d (byte %d)", n, b)
		var ev Event
		ev, at = readsStep(b, at)
		if ev.Type == "" {
			var got, exp []Escalation
			st, got = e.Advance(st, at)
			want, exp = ref.Advance(want, at)
			require.Equal(t, exp, got, "%s: advanced to %s", what, at)
		} else {
			var err1, err2 error
			st, err1 = e.Apply(st, ev)
			want, err2 = ref.Apply(want, ev)
			require.Equal(t, err2, err1, what)
		}
		require.Equal(t, stateText(t, ref, &want), stateText(t, e, &st), what)
		checkKeptAnswers(t, e, &st, what)
		if st.Closed() {
			return
		}
	}
	// The levels due over the next days fire alike.
	for _, d := range []time.Duration{time.Hour, 8 * time.Hour, 3 * 24 * time.Hour} {
		var got, exp []Escalation
		st, got = e.Advance(st, at.Add(d))
		want, exp = ref.Advance(want, at.Add(d))
		require.Equal(t, exp, got, "advanced %s past the history", d)
	}
}

// checkKeptAnswers requires every answer st's memos keep for the ladder
// in force to be RuledOut's for the ticket as it stands, and no answer
// kept for a level that declares nothing.
func checkKeptAnswers(t testing.TB, e *Engine, st *State, what string) int {
	t.Helper()
	ms, pol := st.x().memos, e.policy(st.policy)
	if ms == nil || pol == nil || ms.lad != pol.ladder {
		return 0 // no answers kept for this ladder: the next walk starts afresh
	}
	n := 0
	for i := range pol.ladder.Len() {
		bit := uint64(1) << uint(i)
		if ms.known&bit == 0 {
			continue
		}
		n++
		lv := pol.ladder.Level(i)
		require.NotZero(t, lv.WhenReads, "%s: an answer kept for level %s, which declares nothing", what, lv.Name)
		require.Equal(t, pol.ladder.RuledOut(&st.ticket, bit), ms.ruled&bit,
			"%s: the answer kept for level %s (team %q, priority %q, tags %v, fields %v)", what, lv.Name,
			st.ticket.Team, st.ticket.Priority, st.ticket.Tags, st.ticket.Fields)
	}
	return n
}

// readsCases are histories in which an attribute a level reads changes in
// each way the engine knows (an event, a routing rule, a level's actions),
// with the levels each fires (as level@minutes after creation) over three
// days.
var readsCases = []struct {
	name  string
	prio  string
	ops   []byte
	fires string
}{
	{name: "assign event", prio: "normal", fires: "billing@30",
		ops: []byte{op(opOther, 2, 1), op(opAssign, 0, 1), op(opOther, 2, 1), op(opAdvance, 0, 3), op(opAssign, 1, 1), op(opAdvance, 1, 7)}},
	{name: "assign event clears the team", prio: "normal", fires: "",
		ops: []byte{op(opAssign, 0, 1), op(opOther, 2, 0), op(opAssign, 2, 1), op(opAdvance, 1, 7)}},
	{name: "routing rule", prio: "normal", fires: "billing@30",
		ops: []byte{op(opOther, 2, 1), op(opCustomer, 0, 1), op(opOther, 2, 0), op(opAdvance, 1, 7)}},
	{name: "level action assigns", prio: "normal", fires: "to-billing@10 billing@30",
		ops: []byte{op(opOther, 2, 0), op(opUpdate, 0, 0), op(opOther, 2, 0), op(opAdvance, 1, 7)}},
	{name: "level action tags", prio: "urgent", fires: "urgent@30 hot@60 calm@180",
		ops: []byte{op(opOther, 2, 1), op(opAdvance, 0, 2), op(opAdvance, 1, 7)}},
	{name: "level action sets the priority", prio: "urgent", fires: "urgent@30 hot@60 calm@180",
		ops: []byte{op(opOther, 2, 1), op(opAdvance, 0, 5), op(opOther, 2, 1), op(opAdvance, 2, 7)}},
	{name: "priority event", prio: "normal", fires: "calm@180",
		ops: []byte{op(opOther, 2, 1), op(opPriority, 2, 0), op(opAdvance, 0, 4), op(opAdvance, 2, 7)}},
	{name: "fields", prio: "normal", fires: "vip@120",
		ops: []byte{op(opOther, 2, 1), op(opUpdate, 2, 1), op(opAdvance, 1, 3), op(opUpdate, 3, 1), op(opAdvance, 1, 7)}},
	{name: "tags removed", prio: "normal", fires: "",
		ops: []byte{op(opUpdate, 0, 0), op(opUpdate, 1, 0), op(opAdvance, 0, 2), op(opAdvance, 1, 7)}},
	{name: "undeclared level", prio: "normal", fires: "ana@50",
		ops: []byte{op(opAgent, 0, 1), op(opAssign, 3, 1), op(opCustomer, 1, 1), op(opAdvance, 1, 7)}},
	{name: "another ladder", prio: "normal", fires: "plain-billing@20 billing@40",
		ops: []byte{op(opOther, 2, 0), op(opAssign, 0, 0), op(opOther, 0, 1), op(opAdvance, 0, 2), op(opOther, 1, 1), op(opAdvance, 1, 7)}},
	{name: "another policy", prio: "normal", fires: "billing@30",
		ops: []byte{op(opOther, 2, 0), op(opStatus, 1, 1), op(opAssign, 0, 1), op(opStatus, 0, 0), op(opAdvance, 1, 7)}},
	{name: "solved and reopened", prio: "urgent", fires: "urgent@30 hot@60 calm@190 hot@560",
		ops: []byte{op(opAdvance, 0, 6), op(opStatus, 2, 1), op(opCustomer, 1, 1), op(opAdvance, 2, 7)}},
}

// TestRuledOutKeptMatchesAsked replays the table's histories, and random
// ones, on the engine whose levels declare what they read and on the one
// whose levels declare nothing: the same states, firings and levels fired.
func TestRuledOutKeptMatchesAsked(t *testing.T) {
	kept, asked := readsEngine(t, declRight), readsEngine(t, declNone)
	for _, tc := range readsCases {
		t.Run(tc.name, func(t *testing.T) { readsTracks(t, kept, asked, tc.prio, tc.ops) })
	}
	r := rand.New(rand.NewPCG(23, 11))
	histories := 300
	if testing.Short() {
		histories = 60
	}
	for h := range histories {
		ops := make([]byte, 10+r.IntN(40))
		for i := range ops {
			ops[i] = byte(r.IntN(256))
		}
		t.Run(fmt.Sprintf("random %d", h), func(t *testing.T) {
			readsTracks(t, kept, asked, []string{"urgent", "normal", "low"}[h%3], ops)
		})
	}
}

// TestRuledOutKeptSeesEveryChange: answers are kept (a walk finds them) and
// dropped at each kind of change. A wrong declaration (every level reading
// the status alone) makes the same histories differ from the engine that
// asks every time, so the comparison above can fail; and answers kept by
// the right engine are those asked afresh after every kind of change.
func TestRuledOutKeptSeesEveryChange(t *testing.T) {
	kept, wrong, asked := readsEngine(t, declRight), readsEngine(t, declWrong), readsEngine(t, declNone)
	for _, tc := range readsCases {
		t.Run(tc.name, func(t *testing.T) {
			// Count the answers kept at each step.
			st, err := kept.Apply(State{}, Event{TicketID: "T", At: readsStart, Type: EventCreated, Channel: "email", Priority: tc.prio})
			require.NoError(t, err)
			at, seen := readsStart, 0
			for _, b := range tc.ops {
				var ev Event
				ev, at = readsStep(b, at)
				if ev.Type == "" {
					st, _ = kept.Advance(st, at)
				} else {
					st, _ = kept.Apply(st, ev)
				}
				seen += checkKeptAnswers(t, kept, &st, tc.name)
			}
			require.Positive(t, seen, "answers kept")
			st, _ = kept.Advance(st, at.Add(3*24*time.Hour))
			var fired []string
			for _, x := range st.x().escalations {
				fired = append(fired, fmt.Sprintf("%s@%d", x.Level, int(x.At.Sub(readsStart).Minutes())))
			}
			require.Equal(t, tc.fires, strings.Join(fired, " "), "levels fired")
		})
	}
	differ := 0
	for _, tc := range readsCases {
		ok := t.Run("wrong "+tc.name, func(t *testing.T) {
			ft := &failing{TB: t}
			func() {
				defer func() { _ = recover() }()
				readsTracks(ft, wrong, asked, tc.prio, tc.ops)
			}()
			if ft.failed {
				differ++
			}
		})
		require.True(t, ok)
	}
	// The status-only declaration misses the team, tags, priority and fields
	// changes of most cases.
	require.GreaterOrEqual(t, differ, 6, "histories a wrong declaration changes")
}

// failing is a testing.TB that records a failure and stops the check that
// fails (through a panic its caller recovers) without failing the test.
type failing struct {
	testing.TB
	failed bool
}

func (f *failing) Errorf(string, ...any) { f.failed = true }
func (f *failing) FailNow()              { f.failed = true; panic(f) }
func (f *failing) Fatalf(string, ...any) { f.FailNow() }
func (f *failing) Helper()               {}

// FuzzRuledOutKept compares the engine that keeps the answers with the one
// that asks at every walk on any history; seeded from the table.
func FuzzRuledOutKept(f *testing.F) {
	for i, tc := range readsCases {
		f.Add(uint8(i), tc.ops)
	}
	kept, asked := readsEngine(f, declRight), readsEngine(f, declNone)
	f.Fuzz(func(t *testing.T, prio uint8, ops []byte) {
		if len(ops) > 200 {
			ops = ops[:200]
		}
		readsTracks(t, kept, asked, []string{"urgent", "normal", "low"}[prio%3], ops)
	})
}

// BenchmarkLadderWalkKept is the bound after an event (firingBound) on a
// ticket with three running clocks, with the levels' answers kept and
// asked every time.
func BenchmarkLadderWalkKept(b *testing.B) {
	for _, bc := range []struct {
		name string
		decl readsDecl
	}{{"kept", declRight}, {"asked", declNone}} {
		b.Run(bc.name, func(b *testing.B) {
			e := readsEngine(b, bc.decl)
			st, err := e.Apply(State{}, Event{TicketID: "T", At: readsStart, Type: EventCreated, Channel: "email", Priority: "normal"})
			require.NoError(b, err)
			for _, o := range []byte{op(opAgent, 0, 1), op(opCustomer, 1, 1), op(opUpdate, 0, 0)} {
				ev, _ := readsStep(o, st.lastAt)
				st, err = e.Apply(st, ev)
				require.NoError(b, err)
			}
			pol := e.policyOf(&st)
			ms := e.memos(&st, pol, true)
			b.ReportAllocs()
			for b.Loop() {
				e.firingBound(&st, pol, ms)
			}
		})
	}
}
