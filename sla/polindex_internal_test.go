package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/stretchr/testify/require"
)

// indexConfig returns the configuration of the engines of the policy
// index tests: three policies chosen by tags and priority (plain, with a
// default priority of its own; vip; std, whose calendar CalendarBy picks
// by a field), in the order given by order (std, which has no When, always
// last); priorities listed in the order prios; ladders whose levels raise
// the priority (set_priority) at half the first response and at a breach.
// The When and CalendarBy declare what they read, so that a change of team
// chooses no policy again and a stale index would stand.
func indexConfig(t testing.TB, prios []string, vipFirst bool, router Router) Config {
	hours := func(zone string, days string, spans ...string) *calendar.Calendar {
		c, err := calendar.New(calendar.Spec{Timezone: zone, Hours: map[string][]string{days: spans}, Holidays: []string{"2026-04-03"}})
		require.NoError(t, err)
		return c
	}
	sp := hours("America/Sao_Paulo", "mon-fri", "08:00-12:00", "13:00-18:00") // Good Friday off
	ny := hours("America/New_York", "mon-fri", "09:00-17:00")
	berlin := hours("Europe/Berlin", "daily", "00:00-24:00")
	raise := func(name string, at escalation.Trigger, to string) escalation.Level {
		return escalation.Level{Name: name, Metric: string(FirstResponse), At: at,
			Actions: []escalation.Action{{Type: escalation.SetPriority, Target: to}}}
	}
	std, err := escalation.New("standard", []escalation.Level{
		raise("half", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, "high"),
		{Name: "breach", At: escalation.Trigger{Kind: escalation.Breach}, During: berlin,
			Actions: []escalation.Action{{Type: escalation.SetPriority, Target: "urgent"}, {Type: escalation.AddTags, Tags: []string{"escalated"}}}},
	})
	require.NoError(t, err)
	plain, err := escalation.New("plain", []escalation.Level{
		raise("lower", escalation.Trigger{Kind: escalation.Percent, BasisPoints: 7500}, "low")})
	require.NoError(t, err)
	targets := map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour},
		"high":   {FirstResponse: 2 * time.Hour, NextResponse: 3 * time.Hour, Resolution: 12 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, NextResponse: 4 * time.Hour, Resolution: 16 * time.Hour},
		"low":    {FirstResponse: 8 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 40 * time.Hour},
	}
	ps := []Policy{
		{Name: "plain", When: func(tk *Ticket) (bool, error) { return tk.HasTag("plain"), nil }, WhenReads: AttrTags,
			Calendar: sp, Targets: targets, Escalation: "plain", DefaultPriority: "low"},
		{Name: "vip", When: func(tk *Ticket) (bool, error) { return tk.HasTag("vip") || tk.Priority == "urgent", nil },
			WhenReads: AttrTags | AttrPriority, Calendar: berlin, Targets: targets, Escalation: "standard"},
	}
	if vipFirst {
		ps[0], ps[1] = ps[1], ps[0]
	}
	ps = append(ps, Policy{Name: "std", Calendar: sp, Targets: targets, Escalation: "standard", PauseOn: []Status{StatusPending},
		OnPriorityChange: Recompute, Calendars: map[string]*calendar.Calendar{"ny": ny}, CalendarByReads: AttrFields,
		CalendarBy: func(tk *Ticket) (string, error) {
			if _, ok := tk.Fields["order"]; ok {
				return "ny", nil
			}
			return "", nil
		}})
	return Config{Priorities: prios, Policies: ps, Rules: router,
		Ladders: map[string]*escalation.Ladder{"standard": std, "plain": plain}}
}

// sneakyRouter is a Router that, on an assignment to the team "desk-<p>",
// sets the priority p without naming a rule (as a host's router may), and
// on one to "rule-<p>" sets it and names the rule.
type sneakyRouter struct{}

func (sneakyRouter) Route(t *Ticket, ev *Event) ([]string, error) {
	if ev.Type != EventAssign {
		return nil, nil
	}
	if p, ok := strings.CutPrefix(ev.Team, "desk-"); ok {
		t.Priority = p
	}
	if p, ok := strings.CutPrefix(ev.Team, "rule-"); ok {
		t.Priority = p
		return []string{"rule " + p}, nil
	}
	return nil, nil
}

// indexEngines returns the engines of the policy index tests: A (default
// priorities, plain first, no router), B (priorities lowest first, vip
// first, sneakyRouter) and C (A's configuration built again).
func indexEngines(t testing.TB) map[string]*Engine {
	build := func(cfg Config) *Engine {
		e, err := NewEngine(cfg)
		require.NoError(t, err)
		return e
	}
	return map[string]*Engine{
		"A": build(indexConfig(t, nil, false, nil)),
		"B": build(indexConfig(t, []string{"low", "normal", "high", "urgent"}, true, sneakyRouter{})),
		"C": build(indexConfig(t, nil, false, nil)),
	}
}

// checkIndex fails unless what e finds through st's policy index, kept or
// not, is what the names find: the policy of the state's name and the
// ticket's effective priority under it.
func checkIndex(t testing.TB, e *Engine, st *State, what string) {
	t.Helper()
	pol := e.policyOf(st)
	prio := e.priority(&st.ticket, pol)
	gotPol, gotPrio := e.policyPrio(st)
	if gotPol != pol || gotPrio != prio {
		t.Fatalf("%s: index (by %d, engine %d) gives policy %v priority %d; the names give %v %d",
			what, st.ixBy, e.ixID, polName(gotPol), gotPrio, polName(pol), prio)
	}
	c := *st // indexed keeps what it finds: on a copy
	gotPol, gotPrio = e.indexed(&c)
	if gotPol != pol || gotPrio != prio {
		t.Fatalf("%s: indexed gives policy %v priority %d; the names give %v %d", what, polName(gotPol), gotPrio, polName(pol), prio)
	}
}

func polName(p *compiled) string {
	if p == nil {
		return "none"
	}
	return p.Name
}

// indexStart is the instant of a history's first event: a Friday
// afternoon before New York's switch to daylight saving time.
var indexStart = time.Date(2026, 3, 6, 18, 30, 0, 0, time.UTC)

// runIndexHistory runs the history h, steps separated by commas, and
// checks the policy index with every engine after each step:
//
//	c[:prio[+tag]]  created         p:prio  priority       s:status  status
//	a:team          assign          t:tag   add a tag      r:tag     remove a tag
//	f:key / f:-key  set / delete a field    m:c / m:a      customer / agent message
//	e:X             apply the next steps with engine X (A, B or C)
//	j               JSON round trip         k              clone
//	w:duration      Advance by duration
//
// Each event comes 37 minutes after the one before. A step the engine
// refuses is skipped (the fuzz target writes any); strict says the
// history is a table's, none of whose steps may be refused. It returns
// how many steps found the index kept by the engine that ran them.
func runIndexHistory(t testing.TB, es map[string]*Engine, h string, strict bool) int {
	t.Helper()
	e, at := es["A"], indexStart
	var st State
	kept := 0
	for n, step := range strings.Split(h, ",") {
		op, arg, _ := strings.Cut(strings.TrimSpace(step), ":")
		what := fmt.Sprintf("%q step %d (%s)", h, n+1, step)
		ev := Event{TicketID: "T", At: at}
		switch op {
		case "c":
			prio, tag, _ := strings.Cut(arg, "+")
			ev.Type, ev.Priority, ev.Channel, ev.Author = EventCreated, prio, "email", AuthorCustomer
			if tag != "" {
				ev.Tags = []string{tag}
			}
		case "p":
			ev.Type, ev.Priority = EventPriority, arg
		case "s":
			ev.Type, ev.Status = EventStatus, Status(arg)
		case "a":
			ev.Type, ev.Team = EventAssign, arg
		case "t":
			ev.Type, ev.Tags = EventUpdate, []string{arg}
		case "r":
			ev.Type, ev.RemoveTags = EventUpdate, []string{arg}
		case "f":
			key, del := strings.CutPrefix(arg, "-")
			ev.Type, ev.Fields = EventUpdate, map[string]any{key: 1}
			if del {
				ev.Fields[key] = nil
			}
		case "m":
			ev.Type, ev.Author = EventMessage, AuthorCustomer
			if arg == "a" {
				ev.Author = AuthorAgent
			}
		case "e":
			if x := es[arg]; x != nil {
				e = x
			} else if strict {
				t.Fatalf("%s: no engine %q", what, arg)
			}
			continue
		case "j":
			b, err := json.Marshal(st)
			require.NoError(t, err, what)
			var back State
			require.NoError(t, json.Unmarshal(b, &back), what)
			require.Zero(t, back.ixBy, "%s: a decoded state trusts no index", what)
			st = back
		case "k":
			st = st.Clone()
		case "w":
			d, err := time.ParseDuration(arg)
			if err != nil || d <= 0 || d > 30*24*time.Hour {
				if strict {
					t.Fatalf("%s: bad duration", what)
				}
				continue
			}
			at = at.Add(d)
			st, _ = e.Advance(st, at)
		default:
			if strict {
				t.Fatalf("%s: unknown step", what)
			}
			continue
		}
		if ev.Type != "" {
			next, err := e.Apply(st, ev)
			if err != nil {
				if strict {
					t.Fatalf("%s: %v", what, err)
				}
				continue
			}
			st = next
			at = at.Add(37 * time.Minute)
		}
		if st.Created() && st.ixBy == e.ixID {
			kept++
		}
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for k := range es {
				if !yield(k) {
					return
				}
			}
		}) {
			checkIndex(t, es[name], &st, what+" with engine "+name)
		}
	}
	return kept
}

// indexHistories are histories that change the policy and the priority in
// every way an index must follow: priority events, tags that choose
// another policy, a priority that does (vip reads it), a field that makes
// CalendarBy choose another calendar, ladders whose levels set the
// priority, a router that sets it with and without naming a rule, engines
// with other orders of policies and priorities swapped mid-ticket, JSON
// round trips and clones. keep is the number of steps that find the
// index kept by the engine that ran them.
var indexHistories = []struct {
	name, h string
	keep    int
}{
	{"priority events", "c:normal, m:a, p:high, p:low, m:c, p:urgent, p:normal, m:a", 8},
	{"tags choose the policy", "c:normal+plain, t:vip, r:plain, m:a, r:vip, t:plain, p:high, r:plain", 8},
	{"no priority: the policy's default", "c, m:c, t:plain, m:a, r:plain, t:vip, m:c", 7},
	{"priority chooses the policy", "c:normal, p:urgent, m:a, p:low, a:billing, p:urgent, a:support", 7},
	{"calendar.by", "c:normal, f:order, m:a, p:high, f:-order, m:c, f:order, s:pending, s:open", 9},
	{"set_priority at half and breach", "c:low, w:3h, w:2h, m:c, w:30h, m:a, w:72h, m:c", 8},
	{"plain's level lowers", "c:high+plain, w:100m, m:c, w:5h, r:plain, w:9h", 6},
	{"firing before an event", "c:urgent, m:c, s:open, m:c, m:c, m:c, m:a, m:c, m:c, m:c", 10},
	{"engines swapped", "c:normal, m:a, e:B, p:high, m:c, e:C, t:vip, e:A, m:a, e:B, r:vip, p:low, e:A, m:c", 9},
	{"swapped after a firing", "c:normal+plain, w:7h, e:B, m:c, w:3h, e:C, m:a, e:A, p:urgent", 6},
	{"router sets the priority", "e:B, c:normal, a:desk-urgent, m:a, a:desk-low, m:c, a:rule-high, m:c, a:support, p:normal", 7},
	{"json round trips", "c:normal, j, m:a, p:urgent, j, m:c, t:plain, j, w:6h, j, m:a", 7},
	{"clones", "c:high, k, p:low, k, t:vip, e:B, k, m:c, e:A, k, m:a", 7},
	{"solved and reopened", "c:normal, m:a, s:solved, m:c, p:urgent, s:solved, w:3h, m:c, s:closed", 9},
}

// TestPolicyIndexDifferential compares, after every step of
// indexHistories and of random histories, what the policy index gives
// with what the names give, for every engine (see checkIndex); and checks
// that the engine that ran a step keeps its index (a State whose index
// were always dropped would pass the comparison, and cost a lookup per
// event).
func TestPolicyIndexDifferential(t *testing.T) {
	es := indexEngines(t)
	for _, tc := range indexHistories {
		t.Run(tc.name, func(t *testing.T) {
			kept := runIndexHistory(t, es, tc.h, true)
			require.Equal(t, tc.keep, kept, "steps that found the index kept")
		})
	}
	r := rand.New(rand.NewPCG(19, 2026))
	for range 60 {
		runIndexHistory(t, es, randomIndexHistory(r), false)
	}
}

// randomIndexHistory returns a random history in runIndexHistory's steps.
func randomIndexHistory(r *rand.Rand) string {
	prios := []string{"urgent", "high", "normal", "low", ""}
	steps := []string{"c:" + prios[r.IntN(5)] + []string{"", "+plain", "+vip"}[r.IntN(3)]}
	for range 4 + r.IntN(20) {
		var s string
		switch r.IntN(13) {
		case 0:
			s = "p:" + prios[r.IntN(4)]
		case 1:
			s = "s:" + []string{"open", "pending", "solved", "closed"}[r.IntN(4)]
		case 2:
			s = "a:" + []string{"support", "desk-urgent", "desk-low", "rule-high", "rule-normal"}[r.IntN(5)]
		case 3:
			s = "t:" + []string{"plain", "vip"}[r.IntN(2)]
		case 4:
			s = "r:" + []string{"plain", "vip"}[r.IntN(2)]
		case 5:
			s = []string{"f:order", "f:-order"}[r.IntN(2)]
		case 6, 7:
			s = []string{"m:c", "m:a"}[r.IntN(2)]
		case 8:
			s = "e:" + []string{"A", "B", "C"}[r.IntN(3)]
		case 9:
			s = "j"
		case 10:
			s = "k"
		default:
			s = "w:" + (time.Duration(1+r.IntN(600)) * time.Minute).String()
		}
		steps = append(steps, s)
	}
	return strings.Join(steps, ",")
}

// TestPolicyIndexDroppedOnWrite checks each place that writes a ticket's
// priority without choosing the policy again at once: the index must not
// stand for the old priority in between (reselect sets it again after).
func TestPolicyIndexDroppedOnWrite(t *testing.T) {
	es := indexEngines(t)
	base, err := es["A"].Apply(State{}, Event{TicketID: "T", At: indexStart, Type: EventCreated, Priority: "normal"})
	require.NoError(t, err)
	for _, tc := range []struct {
		name  string
		write func(e *Engine, st *State)
	}{
		{"an edit (set_priority)", func(_ *Engine, st *State) { st.write(&edit{priority: "urgent"}) }},
		{"a priority event", func(e *Engine, st *State) {
			e.setAttributes(&step{st: st, ev: &Event{Type: EventPriority, Priority: "low"}, kind: kPriority})
		}},
		{"a created event", func(e *Engine, st *State) {
			*st = State{}
			e.indexed(st) // as apply does first: no policy, the default priority
			ev := &Event{TicketID: "T", At: indexStart, Type: EventCreated, Priority: "urgent"}
			e.setAttributes(&step{st: st, ev: ev, kind: kCreated, t: indexStart, first: true})
			st.events = 1
		}},
		{"a router", func(_ *Engine, st *State) {
			e := es["B"]
			st.ixBy, st.ixPol, st.ixPrio = e.ixID, 0, 0 // as if B had kept it
			e.route(&step{st: st, ev: &Event{Type: EventAssign, Team: "desk-high"}, kind: kAssign})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range []string{"A", "B"} {
				e := es[name]
				st := base.Clone()
				e.indexed(&st)
				require.Equal(t, e.ixID, st.ixBy)
				tc.write(e, &st)
				checkIndex(t, e, &st, tc.name)
			}
		})
	}
}

// TestPolicyIndexStamp checks the stamps: an engine whose id does not fit
// keeps no index, and no state trusts one for it.
func TestPolicyIndexStamp(t *testing.T) {
	require.Equal(t, uint32(7), stampOf(7))
	require.Equal(t, uint32(noStamp), stampOf(noStamp))
	require.Equal(t, uint32(noStamp), stampOf(1<<40))
	e := indexEngines(t)["A"]
	big := *e
	big.ixID = noStamp
	st, err := big.Apply(State{}, Event{TicketID: "T", At: indexStart, Type: EventCreated, Priority: "high"})
	require.NoError(t, err)
	require.Zero(t, st.ixBy)
	checkIndex(t, &big, &st, "engine without stamp")
	var reused State
	reused.ixBy = e.ixID
	reused.reuse()
	require.Zero(t, reused.ixBy, "a recycled record trusts no index")
}

// FuzzPolicyIndex runs histories in runIndexHistory's steps, seeded from
// indexHistories: what the index gives must be what the names give.
func FuzzPolicyIndex(f *testing.F) {
	for _, tc := range indexHistories {
		f.Add(tc.h)
	}
	es := indexEngines(f)
	f.Fuzz(func(t *testing.T, h string) {
		if len(h) > 400 {
			return
		}
		runIndexHistory(t, es, h, false)
	})
}

// BenchmarkPolicyIndex compares finding the policy in force and the
// effective priority of a ticket through the index kept in its State
// with looking them up by their names.
func BenchmarkPolicyIndex(b *testing.B) {
	e := indexEngines(b)["A"]
	st, err := e.Apply(State{}, Event{TicketID: "T", At: indexStart, Type: EventCreated, Priority: "high", Tags: []string{"vip"}})
	require.NoError(b, err)
	require.Equal(b, e.ixID, st.ixBy)
	var sink int
	b.Run("index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pol, prio := e.indexed(&st)
			sink += prio + len(pol.Name)
		}
	})
	b.Run("names", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pol := e.policyOf(&st)
			sink += e.priority(&st.ticket, pol) + len(pol.Name)
		}
	})
	_ = sink
}
