package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkBoundWalk compares, for the state st under its policy, the bound
// after an event as firingBound finds it (one walk of the running cycles
// for a ladder that watches no OLA cycle and no window) with
// the bound of the general path that gathers every clock first and asks
// each (clockBounds without the walk's answers): the same bound, and the
// same memos left behind, from the memos st kept and from none. It
// returns whether the walk of the running cycles served.
func checkBoundWalk(t testing.TB, e *Engine, st State, what string) bool {
	t.Helper()
	pol := e.policyOf(&st)
	if pol == nil || pol.ladder == nil || !pol.ladder.TicketWhenOnly() {
		return false
	}
	kept := firingMemos{lad: pol.ladder, reads: pol.reads}
	if ms := st.x().memos; ms != nil && ms.lad == pol.ladder {
		kept = *ms
	}
	walked := false
	for _, start := range []firingMemos{kept, {lad: pol.ladder, reads: pol.reads}} {
		fast, ref := st.Clone(), st.Clone()
		m1, m2 := start, start
		fast.xw().memos, ref.xw().memos = &m1, &m2
		b1, _, ok1 := e.firingBound(&fast, pol, &m1)
		b2, ok2 := e.clockBounds(&ref, pol, &m2, nil)
		require.Equal(t, ok2, ok1, "%s: whether a level can fire", what)
		require.Equal(t, b2, b1, "%s: the bound (%s against %s)", what, memoTime(b1), memoTime(b2))
		require.Equal(t, m2, m1, "%s: the memos left behind", what)
		walked = pol.ladder.WindowMask() == 0 && (len(st.x().olas) == 0 || !pol.watchesOLAs())
	}
	return walked
}

// boundWalkCase is a random history for TestBoundWalkMatchesGathered:
// its events drawn from types and statuses, its ticket created with tag
// (none when empty: each policy of memoEngine by turns then).
type boundWalkCase struct {
	name     string
	types    []EventType
	statuses []Status
	tag      string
}

var (
	allTypes    = []EventType{EventMessage, EventMessage, EventStatus, EventPriority, EventAssign, EventUpdate}
	allStatuses = []Status{StatusOpen, StatusPending, StatusSolved, StatusOnHold, StatusOpen, StatusClosed}
)

var boundWalkCases = []boundWalkCase{
	{"replies only", []EventType{EventMessage}, nil, ""},
	{"paused and resumed", []EventType{EventStatus, EventMessage}, []Status{StatusPending, StatusOpen, StatusOnHold}, ""},
	{"solved and reopened", []EventType{EventStatus, EventMessage}, []Status{StatusSolved, StatusOpen}, ""},
	{"teams assigned (billing among them)", []EventType{EventAssign, EventMessage}, nil, ""},
	{"priorities changed", []EventType{EventPriority, EventMessage}, nil, ""},
	{"fields set and deleted (New York hours)", []EventType{EventUpdate, EventMessage}, nil, ""},
	{"vip on a 24x7 calendar", allTypes, allStatuses, "vip"},
	{"plain, a ladder of its own", allTypes, allStatuses, "plain"},
	{"everything", allTypes, allStatuses, ""},
}

// boundWalkHistory replays on memoEngine the history of seed drawn as tc
// says and checks the bound after every step; it returns how many steps
// the walk of the running cycles served.
func boundWalkHistory(t testing.TB, e *Engine, tc boundWalkCase, seed uint64, steps int) int {
	return checkHistory(t, e, tc, seed, steps, func(st *State, what string) bool {
		return checkBoundWalk(t, e, *st, what)
	})
}

// checkHistory replays on memoEngine the history of seed drawn as tc says,
// events and advances (drawHistory), and calls check after every step; it
// returns how many steps check reported true for.
func checkHistory(t testing.TB, e *Engine, tc boundWalkCase, seed uint64, steps int, check func(st *State, what string) bool) int {
	first, hist := drawHistory(tc, seed, steps)
	st, err := e.Apply(State{}, first)
	require.NoError(t, err)
	walked := 0
	for n, h := range hist {
		if st.Closed() {
			break
		}
		st, _ = h.on(e, st) // an invalid event leaves it as it was
		if check(&st, fmt.Sprintf("%s, seed %d, step %d", tc.name, seed, n)) {
			walked++
		}
	}
	return walked
}

// historyStep is a step of a drawn history: the event ev, or with
// advance an Advance to its instant.
type historyStep struct {
	ev      Event
	advance bool
}

// on takes the step on e from st: Apply's state and error, or Advance's
// state.
func (h *historyStep) on(e *Engine, st State) (State, error) {
	if h.advance {
		st, _ = e.Advance(st, h.ev.At)
		return st, nil
	}
	return e.Apply(st, h.ev)
}

// drawHistory draws the history of seed as tc says: the event that
// creates the ticket, then steps events and advances (one in four), each
// up to six hours after the one before.
func drawHistory(tc boundWalkCase, seed uint64, steps int) (Event, []historyStep) {
	r := rand.New(rand.NewPCG(seed, 11))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
	ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
		Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]}
	switch {
	case tc.tag != "":
		ev.Tags = []string{tc.tag}
	case r.IntN(3) == 0:
		ev.Tags = []string{[]string{"vip", "plain"}[r.IntN(2)]}
	}
	statuses := tc.statuses
	if len(statuses) == 0 {
		statuses = allStatuses
	}
	hist := make([]historyStep, steps)
	for n := range hist {
		at = at.Add(time.Duration(r.IntN(6*60)) * time.Minute)
		if r.IntN(4) == 0 {
			hist[n] = historyStep{ev: Event{At: at}, advance: true}
		} else {
			hist[n].ev = randomEvent(r, at, tc.types, statuses)
		}
	}
	return ev, hist
}

// TestBoundWalkMatchesGathered requires the bound after an event that the
// walk of the running cycles finds, and the memos it leaves, to be those
// of the general path, on the table's histories (ten seeds each).
func TestBoundWalkMatchesGathered(t *testing.T) {
	e := memoEngine(t)
	walked := 0
	for _, tc := range boundWalkCases {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for seed := range uint64(10) {
				n += boundWalkHistory(t, e, tc, seed, 40)
			}
			require.Greater(t, n, 50, "steps the walk of the running cycles served")
			walked += n
		})
	}
	t.Logf("%d steps checked", walked)
}

// FuzzBoundWalk is TestBoundWalkMatchesGathered on the history of any
// seed drawn as a case of its table says, seeded from the table.
func FuzzBoundWalk(f *testing.F) {
	fuzzHistories(f, func(t testing.TB, e *Engine, st *State, what string) bool {
		return checkBoundWalk(t, e, *st, what)
	})
}

// fuzzHistories fuzzes check on every step of the history of any seed
// drawn as a case of the bound walk's table says (checkHistory, up to 63
// steps), seeded from the table.
func fuzzHistories(f *testing.F, check func(t testing.TB, e *Engine, st *State, what string) bool) {
	for i := range boundWalkCases {
		f.Add(uint8(i), uint64(i), uint8(40))
	}
	e := memoEngine(f)
	f.Fuzz(func(t *testing.T, c uint8, seed uint64, steps uint8) {
		tc := boundWalkCases[int(c)%len(boundWalkCases)]
		checkHistory(t, e, tc, seed, int(steps%64), func(st *State, what string) bool {
			return check(t, e, st, what)
		})
	})
}

// emailTicket returns the state of a normal email ticket created on e at
// at (the memo engine's std policy).
func emailTicket(tb testing.TB, e *Engine, at time.Time) State {
	tb.Helper()
	st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email", Priority: "normal"})
	require.NoError(tb, err)
	return st
}
