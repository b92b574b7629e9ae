package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
)

// memoEngine is an engine whose ladders are memoized: a São Paulo policy
// whose tickets with an order field count in New York hours, a 24x7
// Berlin policy for tickets tagged vip with the same ladder, and a policy
// for tickets tagged plain with a ladder of its own. The standard ladder
// reminds at 80 % of the first response, hands a billing ticket's
// resolution to specialists after 20 minutes (a condition on the ticket
// alone), and raises the priority 2 hours past any breach during Berlin
// office hours.
func memoEngine(t testing.TB) *Engine { return memoEngineReads(t, 0) }

// memoEngineReads is memoEngine with the billing level's condition
// declaring that it reads reads ([escalation.Level.WhenReads]; none when
// zero).
func memoEngineReads(t testing.TB, reads Attrs) *Engine {
	cal := func(s calendar.Spec) *calendar.Calendar { return specCal(t, s) }
	sp := cal(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}}, Holidays: []string{"2026-11-02"}})
	ny := cal(calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	berlin := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	always := cal(calendar.Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"daily": {"00:00-24:00"}}})
	billing := func(x any) bool { tk, _ := x.(*Ticket); return tk != nil && tk.Team == "billing" }
	notify := []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}
	std, err := escalation.New("standard", []escalation.Level{
		{Name: "remind", Metric: string(FirstResponse), At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify},
		{Name: "billing", Metric: string(Resolution), At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute},
			When:           func(c *escalation.Context) (bool, error) { return billing(c.Ticket), nil },
			WhenTicketOnly: true, WhenTicket: billing, WhenReads: uint64(reads),
			Actions: []escalation.Action{{Type: escalation.Assign, Target: "billing-specialists"}}},
		{Name: "leadership", At: escalation.Trigger{Kind: escalation.Breach, Offset: 2 * time.Hour}, During: berlin,
			Actions: []escalation.Action{{Type: escalation.SetPriority, Target: "urgent"}}},
	})
	require.NoError(t, err)
	plain, err := escalation.New("plain", []escalation.Level{
		{Name: "half", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}, Actions: notify}})
	require.NoError(t, err)
	require.True(t, std.TicketWhenOnly() && plain.TicketWhenOnly())
	targets := memoTargets()
	e, err := NewEngine(Config{Policies: []Policy{
		{Name: "plain", When: hasTag("plain"), Calendar: sp, Targets: targets, Escalation: "plain"},
		{Name: "vip", When: hasTag("vip"), Calendar: always, Targets: targets, Escalation: "standard"},
		{Name: "std", Calendar: sp, Targets: targets, Escalation: "standard", PauseOn: []Status{StatusPending},
			OnPriorityChange: Recompute, Calendars: map[string]*calendar.Calendar{"ny": ny},
			CalendarBy: func(tk *Ticket) (string, error) {
				if _, ok := tk.Fields["order"]; ok {
					return "ny", nil
				}
				return "", nil
			}},
	}, Ladders: map[string]*escalation.Ladder{"standard": std, "plain": plain}})
	require.NoError(t, err)
	return e
}

// memoClock is what the memos hold for the running clock of the open
// cycle of metric m: its key now, the memo kept for it, and whether there
// is one (found) and whether the ladder watches the clock at all (ok).
type memoClock struct {
	key          firingKey
	memo         firingMemo
	found, ok    bool
	id           int32
	memosPresent bool
}

func memoFor(e *Engine, st *State, m Metric) memoClock {
	var out memoClock
	pol := e.policy(st.policy)
	var buf [4]ladderClock
	clocks, cal, _ := e.ladderClocks(st, pol, &st.ticket, buf[:], nil, nil)
	for _, lc := range clocks {
		c, ccal := e.source(st, &lc, cal)
		if c == nil || lc.k < 0 || c.Metric != m {
			continue
		}
		key, keyed := memoKey(c, ccal, lc.fired)
		if !keyed {
			continue
		}
		out.key, out.id, out.ok = key, lc.id, true
	}
	ms := st.x().memos
	out.memosPresent = ms != nil
	if ms != nil && out.ok {
		if x := ms.memoSlot(out.id); x.holds(out.id) {
			out.memo, out.found = *x, true
		}
	}
	return out
}

// stateText is the JSON of st with the instant of its next firing, as far
// as it is known.
func stateText(t testing.TB, e *Engine, st *State) string {
	b, err := json.Marshal(st)
	require.NoError(t, err)
	at, ok := e.peekFiring(st)
	return fmt.Sprintf("%s\nnext %v %s", b, ok, at.UTC().Format(time.RFC3339Nano))
}

// checkFresh compares st, which kept its memos from event to event, with
// fresh, which was cloned (and so lost its memos) before each event: the
// same state, the same next firing, and a bound no later than that firing;
// then both are advanced by the same steps, and must fire the same levels.
func checkFresh(t *testing.T, e *Engine, st, fresh State, what string) {
	t.Helper()
	require.Equal(t, stateText(t, e, &fresh), stateText(t, e, &st), "%s: state", what)
	cl := fresh.Clone()
	exact, ok := e.peekFiring(&cl)
	if st.fireBy == e.id && st.fireBound && ok {
		require.False(t, exact.Before(memoTime(st.fireAt)), "%s: the bound %s is after the next firing %s", what, memoTime(st.fireAt), exact)
	}
	at := st.lastAt
	for _, step := range []time.Duration{time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour, 10 * 24 * time.Hour} {
		at = at.Add(step)
		var got, want []Escalation
		st, got = e.Advance(st, at)
		fresh, want = e.Advance(fresh.Clone(), at)
		require.Equal(t, want, got, "%s: advanced to %s", what, at)
		require.Equal(t, stateText(t, e, &fresh), stateText(t, e, &st), "%s: advanced to %s", what, at)
	}
}

// TestFiringMemosInvalidated runs, for each kind of change, a history that
// leaves a memo for a running clock, then the change: the memo must not
// be found for the clock as it is after the change (its key changed, or
// the ladder no longer watches the clock), unless nothing it was computed
// from changed; and the state, its next firing and the levels it fires
// later must be those of the same history without memos.
func TestFiringMemosInvalidated(t *testing.T) {
	e := memoEngine(t)
	mon := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // 06:00 in São Paulo: before opening
	at := func(d time.Duration) time.Time { return mon.Add(d) }
	created := Event{TicketID: "T", At: at(0), Type: EventCreated, Channel: "email", Priority: "normal"}
	agent := func(d time.Duration) Event {
		return Event{TicketID: "T", At: at(d), Type: EventMessage, Author: AuthorAgent}
	}
	customer := func(d time.Duration) Event {
		return Event{TicketID: "T", At: at(d), Type: EventMessage, Author: AuthorCustomer}
	}
	status := func(d time.Duration, s Status) Event {
		return Event{TicketID: "T", At: at(d), Type: EventStatus, Status: s}
	}
	cases := []struct {
		name   string
		before []Event // the history before the change, after created
		// between follows the memo taken before the change (a pause
		// before a resumption)
		between []Event
		change  Event // the change; zero: an Advance to advance
		adv     time.Duration
		metric  Metric
		// want: "new" (no memo before: the cycle starts), "gone" (the
		// ladder no longer watches the clock), "kept" (the same key), or
		// the key's fields that must differ.
		want string
	}{
		{name: "a cycle started", before: []Event{agent(3 * time.Hour)}, change: customer(4 * time.Hour), metric: NextResponse, want: "new"},
		{name: "a cycle stopped", change: agent(3 * time.Hour), metric: FirstResponse, want: "gone"},
		{name: "a cycle paused", change: status(3*time.Hour, StatusPending), metric: Resolution, want: "gone"},
		{name: "a cycle resumed", between: []Event{status(3*time.Hour, StatusPending)}, change: status(5*time.Hour, StatusOpen), metric: Resolution, want: "from base"},
		{name: "a cycle resumed in closed hours", between: []Event{status(20*time.Minute, StatusPending)}, change: status(time.Hour, StatusOpen), metric: Resolution, want: "from"},
		{name: "a cycle re-targeted", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventPriority, Priority: "urgent"}, metric: Resolution, want: "target due"},
		{name: "the calendar changed", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventUpdate, Fields: map[string]any{"order": 7.0}}, metric: Resolution, want: "cal"},
		{name: "the policy changed, same ladder", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventUpdate, Tags: []string{"vip"}}, metric: Resolution, want: "cal"},
		{name: "the policy changed, another ladder", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventUpdate, Tags: []string{"plain"}}, metric: Resolution, want: "ladder"},
		{name: "a level fired", adv: 9 * time.Hour, metric: FirstResponse, want: "fired"},
		{name: "a level's condition on the ticket holds", change: Event{TicketID: "T", At: at(2 * time.Hour), Type: EventAssign, Team: "billing"}, metric: Resolution, want: "fired"},
		{name: "a level's condition on the ticket fails", before: []Event{{TicketID: "T", At: at(2 * time.Hour), Type: EventAssign, Team: "billing"}},
			change: Event{TicketID: "T", At: at(2*time.Hour + 10*time.Minute), Type: EventAssign, Team: "support"}, metric: Resolution, want: "fired"},
		{name: "an attribute no level reads", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventAssign, Agent: "ana"}, metric: Resolution, want: "kept"},
		{name: "a tag no policy reads", change: Event{TicketID: "T", At: at(3 * time.Hour), Type: EventUpdate, Tags: []string{"x"}}, metric: FirstResponse, want: "kept"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var st, fresh State
			var err error
			for _, ev := range append([]Event{created}, tc.before...) {
				st, err = e.Apply(st, ev)
				require.NoError(t, err)
				fresh, err = e.Apply(fresh.Clone(), ev)
				require.NoError(t, err)
			}
			// An advance to just before the change searches the clocks,
			// so that what is kept for them is their next firing.
			next := at(3 * time.Hour)
			switch {
			case len(tc.between) > 0:
				next = tc.between[0].At.Add(-time.Second)
			case !tc.change.At.IsZero():
				next = tc.change.At.Add(-time.Second)
			}
			st, _ = e.Advance(st, next)
			fresh, _ = e.Advance(fresh.Clone(), next)
			was := memoFor(e, &st, tc.metric)
			if tc.want == "new" {
				require.False(t, was.ok, "no %s clock before", tc.metric)
			} else {
				require.True(t, was.ok && was.found, "a memo for the %s clock before the change", tc.metric)
				require.Equal(t, was.key, was.memo.key, "the memo is the clock's before the change")
			}
			for _, ev := range tc.between {
				st, err = e.Apply(st, ev)
				require.NoError(t, err)
				fresh, err = e.Apply(fresh.Clone(), ev)
				require.NoError(t, err)
			}
			if tc.change.At.IsZero() {
				st, _ = e.Advance(st, at(tc.adv))
				fresh, _ = e.Advance(fresh.Clone(), at(tc.adv))
			} else {
				st, err = e.Apply(st, tc.change)
				require.NoError(t, err)
				fresh, err = e.Apply(fresh.Clone(), tc.change)
				require.NoError(t, err)
			}
			now := memoFor(e, &st, tc.metric)
			switch tc.want {
			case "new":
				require.True(t, now.ok && now.found, "a memo for the new %s clock", tc.metric)
			case "gone":
				require.False(t, now.ok, "the ladder no longer watches the %s clock", tc.metric)
			case "kept":
				require.True(t, now.ok)
				require.Equal(t, was.key, now.key, "nothing the memo was computed from changed")
				require.Equal(t, was.memo, now.memo, "the memo is kept")
			case "ladder":
				require.True(t, now.ok)
				require.Equal(t, e.policy("plain").ladder, st.x().memos.lad, "the memos are the new ladder's")
			default:
				require.True(t, now.ok)
				require.NotEqual(t, was.key, now.key, "the key changed")
				diff := keyDiff(was.key, now.key)
				for _, f := range strings.Fields(tc.want) {
					require.Contains(t, diff, f, "the key's %s changed", f)
				}
			}
			checkFresh(t, e, st, fresh, tc.name)
		})
	}
}

// keyDiff names the fields in which a and b differ.
func keyDiff(a, b firingKey) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("cal", a.cal != b.cal)
	add("from", a.from != b.from)
	add("due", a.due != b.due)
	add("base", a.base != b.base)
	add("target", a.target != b.target)
	add("fired", a.fired != b.fired)
	return out
}

// randomEvent returns an event of ticket T at at, of one of types, with
// random attributes: an author, a status among statuses, a priority, a
// team and agent, tags or fields added or removed.
func randomEvent(r *rand.Rand, at time.Time, types []EventType, statuses []Status) Event {
	ev := Event{TicketID: "T", At: at, Type: types[r.IntN(len(types))]}
	switch ev.Type {
	case EventMessage:
		ev.Author = []Author{AuthorAgent, AuthorCustomer}[r.IntN(2)]
	case EventStatus:
		ev.Status = statuses[r.IntN(len(statuses))]
	case EventPriority:
		ev.Priority = []string{"urgent", "normal", "low"}[r.IntN(3)]
	case EventAssign:
		ev.Team = []string{"billing", "support", ""}[r.IntN(3)]
		ev.Agent = []string{"ana", ""}[r.IntN(2)]
	case EventUpdate:
		switch r.IntN(4) {
		case 0:
			ev.Tags = []string{"vip"}
		case 1:
			ev.RemoveTags = []string{"vip"}
		case 2:
			ev.Fields = map[string]any{"order": 1.0}
		default:
			ev.Fields = map[string]any{"order": nil}
		}
	}
	return ev
}

// TestFiringMemosMatchFreshSearch replays random histories of several
// tickets through Apply and Advance twice: once keeping the memos from
// event to event, once cloning the state (which drops them) before each
// step. States, next firings and levels fired must be the same at every
// step, and every memo found for a clock must be a bound on the clock's
// next firing as a fresh search finds it.
func TestFiringMemosMatchFreshSearch(t *testing.T) {
	e := memoEngine(t)
	r := rand.New(rand.NewPCG(19, 3))
	histories, steps, hits := 60, 0, 0
	if testing.Short() {
		histories = 20
	}
	types := []EventType{EventMessage, EventMessage, EventMessage, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusOpen}
	for h := range histories {
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
		ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
			Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]}
		if r.IntN(4) == 0 {
			ev.Tags = []string{"vip"}
		}
		st, err := e.Apply(State{}, ev)
		require.NoError(t, err)
		fresh := st.Clone()
		for n := range 40 {
			at = at.Add(time.Duration(r.IntN(12*60)) * time.Minute)
			what := fmt.Sprintf("history %d, step %d", h, n)
			if r.IntN(3) == 0 {
				st, _ = e.Advance(st, at)
				fresh, _ = e.Advance(fresh.Clone(), at)
			} else {
				ev := randomEvent(r, at, types, statuses)
				var err1, err2 error
				st, err1 = e.Apply(st, ev)
				fresh, err2 = e.Apply(fresh.Clone(), ev)
				require.Equal(t, err1 == nil, err2 == nil, what)
			}
			steps++
			require.Equal(t, stateText(t, e, &fresh), stateText(t, e, &st), what)
			hits += checkMemoBounds(t, e, &st, what)
			if st.Closed() {
				break
			}
		}
	}
	require.Greater(t, hits, 500, "memos found for clocks as they stand")
	t.Logf("%d histories, %d steps, %d memos checked", histories, steps, hits)
}

// checkMemoBounds checks that each memo of st found for one of its clocks
// is no later than the clock's next firing, as Next finds it for the clock
// at st's instant without memos; it returns how many it checked.
func checkMemoBounds(t *testing.T, e *Engine, st *State, what string) int {
	t.Helper()
	ms := st.x().memos
	if ms == nil {
		return 0
	}
	pol := e.policy(st.policy)
	n := 0
	keyedClocks(e, st, pol, func(lc *ladderClock, c *cycle, ccal *calendar.Calendar, key firingKey) {
		at, hit := ms.find(lc.id, &key)
		if lc.k >= 0 {
			// The walk's own lookup answers as find with the key.
			lat, lhit := ms.lookup(lc.id, c, ccal, lc.fired)
			require.Equal(t, hit, lhit, "%s: lookup and find disagree on the %s clock", what, c.Metric)
			if hit {
				require.Equal(t, at, lat, "%s: lookup and find disagree on the %s clock", what, c.Metric)
			}
		}
		if !hit {
			return
		}
		n++
		var clk escalation.Clock
		e.clock(&clk, st, lc, c, ccal)
		atNow(&clk, st.lastAt)
		f, ok := pol.ladder.Next(&clk, &st.ticket)
		if at == noFiring {
			require.False(t, ok, "%s: the memo says no level fires on the %s clock, Next fires %s at %s", what, clk.Metric, f.Level, f.At)
			return
		}
		if ok {
			require.LessOrEqual(t, at, f.At.UnixNano(), "%s: the memo %s of the %s clock is after its next firing %s", what, memoTime(at), clk.Metric, f.At)
		}
	})
	return n
}

// hasTag returns a policy condition: the ticket has tag.
func hasTag(tag string) func(*Ticket) (bool, error) {
	return func(tk *Ticket) (bool, error) { return tk.HasTag(tag), nil }
}

// memoTargets returns the targets by priority of the policies of the
// escalation memo tests (memoEngine, exactEngine).
func memoTargets() map[string]map[Metric]time.Duration {
	return map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, NextResponse: 4 * time.Hour, Resolution: 16 * time.Hour},
		"low":    {FirstResponse: 8 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 40 * time.Hour},
	}
}
