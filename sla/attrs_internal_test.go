package sla

import (
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setAttributesRef is setAttributes as it was before its short cuts:
// every kind that changes an attribute builds an edit and writes it, and
// the created ticket is built apart and copied over. The differential
// tests below hold the short cuts to it.
func setAttributesRef(e *Engine, s *step) {
	st, ev, t := s.st, s.ev, s.t
	tk := &st.ticket
	var ed edit
	switch s.kind {
	case kCreated:
		*tk = Ticket{ID: ev.TicketID, Channel: ev.Channel, Priority: e.intern(ev.Priority), Status: ev.Status,
			Team: ev.Team, Agent: ev.Agent, Tags: slices.Clone(ev.Tags), Subject: ev.Subject,
			Fields: maps.Clone(ev.Fields), CreatedAt: t}
		if tk.Status == "" {
			tk.Status = StatusNew
		}
		if ev.Customer != nil {
			tk.Customer = *ev.Customer
		}
		s.oldStatus = ""
		if st.cycles == nil {
			st.cycles = make([]cycle, 0, 4)
		}
		if st.open == nil {
			st.open = make([]int, 0, 4)
		}
		return
	case kStatus:
		ed.status = ev.Status
	case kPriority:
		ed.priority = e.intern(ev.Priority)
	case kAssign:
		ed.team, ed.clearTeam, ed.agent = ev.Team, ev.ClearTeam, ev.Agent
	case kUpdate:
		ed.tags, ed.removeTags, ed.subject, ed.fields = ev.Tags, ev.RemoveTags, ev.Subject, ev.Fields
	case kMessage:
		if ev.author() != AuthorCustomer || (tk.Status != StatusSolved && tk.Status != StatusPending) {
			return
		}
		ed.status = StatusOpen
	case kEscalated:
		m := st.xw()
		m.stats.Escalations++
		m.stats.EscalationTier = ev.Tier
		return
	case kCSAT:
		st.xw().stats.CSAT = ev.Score
		return
	case kWindowRejected:
		st.xw().stats.WindowRejectedAt = t
		return
	default:
		return
	}
	s.changed |= writeRef(st, &ed)
}

// writeRef is State.write as it was before setAttr, one closure per
// attribute; the tags and fields, which it wrote as write does, go
// through write.
func writeRef(st *State, ed *edit) Attrs {
	tk := &st.ticket
	var changed Attrs
	set := func(p *string, v string, a Attrs) {
		if v != "" && *p != v {
			*p = v
			changed |= a
		}
	}
	if ed.status != "" && tk.Status != ed.status {
		tk.Status = ed.status
		changed |= AttrStatus
	}
	set(&tk.Priority, ed.priority, AttrPriority)
	set(&tk.Team, ed.team, AttrTeam)
	if ed.team == "" && ed.clearTeam && tk.Team != "" {
		tk.Team = ""
		changed |= AttrTeam
	}
	set(&tk.Agent, ed.agent, AttrAgent)
	set(&tk.Subject, ed.subject, AttrSubject)
	return changed | st.write(&edit{tags: ed.tags, removeTags: ed.removeTags, fields: ed.fields})
}

// attrCase is one event applied to one ticket by setAttributes.
type attrCase struct {
	kind                                      evKind
	status, evStatus                          Status
	priority, evPriority, team, evTeam, agent string
	author                                    Author
	clearTeam, created, tags, fields          bool
	zone                                      string
}

// attrCases returns n random cases, every kind, in São Paulo, Berlin and
// New York (DST days among them), plus the corner cases by hand: a
// customer's message on a solved and a pending ticket, an agent's on a
// solved one, a status or priority that is the ticket's already, a team
// cleared, a ticket never created whose attributes are not zero.
func attrCases(r *rand.Rand, n int) []attrCase {
	cs := []attrCase{
		{kind: kMessage, status: StatusSolved, author: AuthorCustomer},
		{kind: kMessage, status: StatusPending, author: ""},
		{kind: kMessage, status: StatusSolved, author: AuthorAgent},
		{kind: kMessage, status: StatusOnHold, author: AuthorCustomer},
		{kind: kStatus, status: StatusOpen, evStatus: StatusOpen},
		{kind: kStatus, status: StatusOpen, evStatus: StatusSolved},
		{kind: kPriority, priority: "urgent", evPriority: "urgent"},
		{kind: kPriority, priority: "", evPriority: "normal"},
		{kind: kAssign, team: "billing", clearTeam: true},
		{kind: kAssign, team: "billing", evTeam: "billing", agent: "ana"},
		{kind: kCreated, status: StatusOpen, priority: "urgent", team: "x", tags: true, fields: true},
		{kind: kCreated, evStatus: StatusPending, evPriority: "normal", evTeam: "billing", tags: true, fields: true},
	}
	statuses := []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved}
	prios := []string{"", "urgent", "normal"}
	teams := []string{"", "billing", "email-desk"}
	for range n {
		cs = append(cs, attrCase{kind: evKind(1 + r.IntN(int(kWindowRejected))),
			status: statuses[r.IntN(len(statuses))], evStatus: append(statuses, "")[r.IntN(len(statuses)+1)],
			priority: prios[r.IntN(3)], evPriority: prios[r.IntN(3)], team: teams[r.IntN(3)], evTeam: teams[r.IntN(3)],
			agent: []string{"", "ana", "bo"}[r.IntN(3)], author: []Author{"", AuthorCustomer, AuthorAgent, AuthorBot}[r.IntN(4)],
			clearTeam: r.IntN(4) == 0, created: r.IntN(2) == 0, tags: r.IntN(2) == 0, fields: r.IntN(2) == 0})
	}
	zones := []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"}
	for i := range cs {
		cs[i].zone = zones[i%len(zones)]
	}
	return cs
}

// kinds names the event types by evKind.
var kinds = []EventType{kCreated: EventCreated, kMessage: EventMessage, kNote: EventNote, kStatus: EventStatus,
	kPriority: EventPriority, kAssign: EventAssign, kUpdate: EventUpdate, kEscalated: EventEscalated, kCSAT: EventCSAT,
	kWindowRejected: EventWindowRejected}

// states returns the state the case's event meets, twice (independent
// copies), and the event. The ticket of a created event is not created
// but has attributes, which the creation must all overwrite.
func (c attrCase) states(t testing.TB) (State, State, Event) {
	loc, err := time.LoadLocation(c.zone)
	require.NoError(t, err)
	// 8 March 2026 02:30 in New York, the hour DST skips; 29 March in
	// Berlin, the night DST starts; a Brazilian holiday (Carnival).
	at := map[string]time.Time{"America/New_York": time.Date(2026, 3, 8, 3, 30, 0, 0, loc),
		"Europe/Berlin": time.Date(2026, 3, 29, 2, 30, 0, 0, loc), "America/Sao_Paulo": time.Date(2026, 2, 17, 9, 0, 0, 0, loc)}[c.zone]
	var st State
	st.ticket = Ticket{ID: "T1", Channel: "chat", Priority: c.priority, Status: c.status, Team: c.team, Agent: "old",
		Tags: []string{"a", "b"}, Subject: "s", Customer: Customer{ID: "C0", Tier: "gold"},
		Fields: map[string]any{"k": "v"}, CreatedAt: at.Add(-time.Hour)}
	if c.kind != kCreated {
		st.events = 3
	}
	ev := Event{TicketID: "T1", At: at, Type: kinds[c.kind], Status: c.evStatus, Priority: c.evPriority,
		Team: c.evTeam, Agent: c.agent, ClearTeam: c.clearTeam, Author: c.author, Subject: "new", Tier: "2", Score: 4}
	if c.tags {
		ev.Tags, ev.RemoveTags = []string{"b", "c"}, []string{"a"}
	}
	if c.fields {
		ev.Fields = map[string]any{"k": nil, "n": 1.0}
	}
	if c.created {
		ev.Customer = &Customer{ID: "C1", Phone: "+5511999990000"}
	}
	return st.Clone(), st.Clone(), ev
}

// checkAttrCase runs setAttributes and setAttributesRef on one case and
// requires the same ticket, changes, status before and counters.
func checkAttrCase(t *testing.T, e *Engine, c attrCase) {
	fast, ref, ev := c.states(t)
	evRef := ev
	sf := &step{st: &fast, ev: &ev, kind: c.kind, t: ev.At, oldStatus: fast.ticket.Status}
	sr := &step{st: &ref, ev: &evRef, kind: c.kind, t: evRef.At, oldStatus: ref.ticket.Status}
	e.setAttributes(sf)
	setAttributesRef(e, sr)
	require.True(t, reflect.DeepEqual(ref.ticket, fast.ticket), "%+v\nref  %+v\nfast %+v", c, ref.ticket, fast.ticket)
	require.Equal(t, sr.changed, sf.changed, "%+v", c)
	require.Equal(t, sr.oldStatus, sf.oldStatus, "%+v", c)
	require.Equal(t, *ref.x(), *fast.x(), "%+v", c)
	require.Equal(t, len(ref.cycles), len(fast.cycles), "%+v", c)
	require.Equal(t, ref.cycles == nil, fast.cycles == nil, "%+v", c)
	require.Equal(t, ref.open == nil, fast.open == nil, "%+v", c)
	if c.kind == kCreated && ev.Priority != "" {
		// The priority is the engine's own string (see intern).
		assert.Equal(t, e.intern(ev.Priority), fast.ticket.Priority)
	}
}

// TestSetAttributesShortCuts holds setAttributes (a status, a priority and
// a reopening message written without an edit, the created ticket written
// in place) to the former code, over 3,000 random cases and the corner
// cases by hand, with the default priorities and those of a policy.
func TestSetAttributesShortCuts(t *testing.T) {
	engines := append([]*Engine{newEngine(t, Config{})}, pauseEngines(t)...)
	for _, c := range attrCases(rand.New(rand.NewPCG(19, 11)), 3000) {
		for _, e := range engines {
			checkAttrCase(t, e, c)
		}
	}
}

// TestTicketFields pins the fields of Ticket that setCreated writes one by
// one: a new field must be written there too (a created ticket's every
// attribute comes from its event), and then added here.
func TestTicketFields(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[Ticket]().Fields() {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"ID", "Channel", "Priority", "Status", "Team", "Agent", "Tags", "Subject", "Customer",
		"Fields", "CreatedAt"}, names)
}

// FuzzSetAttributes is TestSetAttributesShortCuts on fuzzed cases, seeded
// from its table.
func FuzzSetAttributes(f *testing.F) {
	for _, c := range attrCases(rand.New(rand.NewPCG(19, 11)), 30) {
		f.Add(uint8(c.kind), string(c.status), string(c.evStatus), c.priority, c.evPriority, c.team, c.evTeam, c.agent,
			string(c.author), c.clearTeam, c.created, c.tags, c.fields, uint8(len(c.zone)))
	}
	f.Fuzz(func(t *testing.T, kind uint8, status, evStatus, prio, evPrio, team, evTeam, agent, author string,
		clearTeam, created, tags, fields bool, zone uint8) {
		c := attrCase{kind: evKind(kind%uint8(kWindowRejected) + 1), status: Status(status), evStatus: Status(evStatus),
			priority: prio, evPriority: evPrio, team: team, evTeam: evTeam, agent: agent, author: Author(author),
			clearTeam: clearTeam, created: created, tags: tags, fields: fields,
			zone: []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"}[zone%3]}
		checkAttrCase(t, newEngine(t, Config{}), c)
	})
}

// TestCheckFound holds check told that the state is the event's ticket's
// (a replay's live ticket, found by its id) to check comparing the ids:
// the same kind and the same error, for every case of attrCases on
// tickets created, closed and not created, at instants before, at and
// after the last event, and out of range.
func TestCheckFound(t *testing.T) {
	e := newEngine(t, Config{})
	for _, c := range attrCases(rand.New(rand.NewPCG(7, 3)), 500) {
		st, _, ev := c.states(t)
		st.lastAt = ev.At.Add(time.Duration(len(c.agent)-1) * time.Minute)
		if c.clearTeam {
			st.ticket.Status = StatusClosed
		}
		if c.fields {
			ev.At = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		k1, err1 := e.check(&st, &ev, true)
		k2, err2 := e.check(&st, &ev, false)
		require.Equal(t, k2, k1, "%+v", c)
		require.Equal(t, err2, err1, "%+v", c)
	}
	// Told nothing, check compares the ids.
	st, _, ev := attrCase{kind: kStatus, evStatus: StatusOpen, zone: "Europe/Berlin"}.states(t)
	ev.TicketID = "T2"
	_, err := e.check(&st, &ev, false)
	require.ErrorIs(t, err, ErrInvalidEvent)
}

// newEngine returns NewEngine(cfg), failing t on an error.
func newEngine(t testing.TB, cfg Config) *Engine {
	e, err := NewEngine(cfg)
	require.NoError(t, err)
	return e
}

// TestAppliedIsAfter holds replayer.applied, which compares seconds and
// nanoseconds, to time.Time.After on instants events may have (check
// refuses those outside the years 1900 to 2999): the pairs of packPairs
// in that range and 3,000 random pairs in São Paulo, Berlin and New York
// (DST days, equal seconds with other nanoseconds, the zero instant the
// replay starts from), their monotonic readings stripped as applyFound
// strips them, each pair both ways, against itself and a nanosecond
// apart: the latest moves exactly when After says so.
func TestAppliedIsAfter(t *testing.T) {
	var pairs [][2]time.Time
	for _, p := range packPairs(t) {
		if inInstants(p[0]) && (inInstants(p[1]) || p[1].IsZero()) {
			pairs = append(pairs, p)
		}
	}
	r := rand.New(rand.NewPCG(5, 8))
	var zones []*time.Location
	for _, z := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(z)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	for range 3000 {
		a := time.Unix(minUnix+r.Int64N(maxUnix-minUnix-3600), r.Int64N(1e9)).In(zones[r.IntN(3)])
		b := a.Add(time.Duration(r.Int64N(int64(time.Hour))) - 30*time.Minute).In(zones[r.IntN(3)])
		if r.IntN(4) == 0 {
			b = time.Unix(a.Unix(), int64(r.IntN(1e9))) // the same second
		}
		pairs = append(pairs, [2]time.Time{a, b}, [2]time.Time{a, {}})
	}
	pairs = append(pairs, [2]time.Time{time.Date(2026, 3, 8, 2, 30, 0, 0, zones[2]), time.Date(2026, 3, 8, 3, 30, 0, 0, zones[2])})
	for _, p := range pairs {
		a, b := p[0].Round(0), p[1].Round(0)
		for _, q := range [][2]time.Time{{a, b}, {b, a}, {a, a}, {a, a.Add(1)}, {a.Add(1), a}, {a, a.Add(-1)}} {
			if q[1].IsZero() {
				continue // an applied event has an instant
			}
			r := replayer{latest: q[0]}
			r.applied(q[1])
			if q[1].After(q[0]) {
				require.Equal(t, q[1], r.latest, "%v then %v", q[0], q[1])
			} else {
				require.Equal(t, q[0], r.latest, "%v then %v", q[0], q[1])
			}
		}
	}
}

// TestStateMoreReuse holds stateMore.reuse, which writes the fields one
// by one, to the stateMore built whole that it replaces, on a part with
// every field set: the same part, and the same storage kept. The list of
// fields is pinned: a new one must be emptied by reuse too.
func TestStateMoreReuse(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[stateMore]().Fields() {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"rules", "escalations", "handoffs", "farAt", "winFired", "winFor", "stats",
		"calendar", "olas", "fails", "memos", "fired"}, names)
	at := time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC)
	full := func() *stateMore {
		return &stateMore{calendar: "ny", fails: &condFailures{omitted: 1}, memos: &firingMemos{reads: 2, known: 3},
			olas: []olaCycle{{OLA: "o"}}, fired: 1, stats: rareStats{Escalations: 1, CSAT: 2, EscalationTier: "2", WindowRejectedAt: at},
			rules: []RuleApplied{{Rule: "r", At: at}}, escalations: []Escalation{{Ladder: "l"}}, farAt: &[nStatAt]time.Time{},
			handoffs: []handoff{{At: at, To: "x"}}, winFired: 2, winFor: at}
	}
	fast, ref := full(), full()
	rules, memos := fast.rules, fast.memos
	fast.reuse()
	*ref = stateMore{rules: emptied(ref.rules), escalations: emptied(ref.escalations), olas: emptied(ref.olas),
		handoffs: emptied(ref.handoffs), memos: ref.memos.emptied()}
	require.True(t, reflect.DeepEqual(ref, fast), "ref  %+v\nfast %+v", ref, fast)
	assert.Same(t, &rules[:1][0], &fast.rules[:1][0], "the rules' storage is kept")
	assert.Same(t, memos, fast.memos, "the memos are kept")
}

// TestResetClearsRecord checks that reset lets go of what the record's
// own storage held (the counts, the rule, the message ids): nothing of
// a forgotten ticket stays reachable from a free record.
func TestResetClearsRecord(t *testing.T) {
	r := newReplayTicket()
	r.order, r.seen = 3, 4
	r.count = [2]metricCount{{"a", 2}, {"b", 3}}
	r.rule = [1]RuleApplied{{Rule: "r", At: time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC)}}
	r.ids = [2]string{"m1", "m2"}
	r.st.more.rules, r.st.window.Seen = nil, nil // outgrown: the record's storage is no longer the state's
	r.reset()
	assert.Zero(t, r.order)
	assert.Zero(t, r.seen)
	assert.Zero(t, r.count)
	assert.Zero(t, r.rule)
	assert.Zero(t, r.ids)
	assert.Equal(t, &r.more, r.st.more)
	assert.Equal(t, &r.window, r.st.window)
}
