package sla

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSetCreationStatIsPack compares setCreationStat, which packs the
// creation's instant without pack, with setStatAt of that instant, on
// the bases of packPairs (three zones, DST days, both ends of time.Time,
// a monotonic reading, random instants to the nanosecond).
func TestSetCreationStatIsPack(t *testing.T) {
	for _, p := range packPairs(t) {
		created := p[0]
		if created.IsZero() {
			continue // an event always has an instant
		}
		var fast, ref State
		fast.ticket.CreatedAt, ref.ticket.CreatedAt = created, created
		for i := range nStatAt {
			fast.setCreationStat(i)
			ref.setStatAt(i, created)
		}
		require.Equal(t, ref.stats, fast.stats, "%v", created)
		require.Nil(t, ref.more, "%v: the creation is always packed", created)
		assert.True(t, fast.statAt(atLastCustomer).Equal(created), "%v", created)
	}
}

// creationEngines returns engines whose created events start built-in
// and custom cycles: a custom metric started by created (with and
// without its own pause), one started by any event, two custom metrics,
// a ladder, OLAs and a CalendarBy (memoEngine).
func creationEngines(t *testing.T) []*Engine {
	es := pauseEngines(t)
	twice := es[0].policies[0].Policy
	any := CustomMetric{Name: "touched",
		Start: func(*Ticket, *Event) (bool, error) { return true, nil },
		Stop:  func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventStatus, nil }}
	twice.Metrics = append(append([]CustomMetric(nil), twice.Metrics...), any)
	twice.Targets = map[string]map[Metric]time.Duration{
		"urgent": {FirstResponse: time.Hour, PeriodicUpdate: 2 * time.Hour, Resolution: 8 * time.Hour, "touched": time.Hour},
		"normal": {FirstResponse: 4 * time.Hour, Resolution: 40 * time.Hour}}
	e2, err := NewEngine(Config{Policies: []Policy{twice}})
	require.NoError(t, err)
	return append(es, e2, memoEngine(t))
}

// createdEvent returns a random created event of ticket "T" at at.
func createdEvent(r *rand.Rand, at time.Time) Event {
	ev := Event{TicketID: "T", At: at, Type: EventCreated,
		Channel:  []string{"email", "whatsapp", "chat", ""}[r.IntN(4)],
		Priority: []string{"urgent", "normal", ""}[r.IntN(3)],
		Author:   []Author{"", AuthorCustomer, AuthorAgent, AuthorBot}[r.IntN(4)],
		Team:     []string{"", "billing", "email-desk"}[r.IntN(3)],
		Status:   []Status{"", StatusOpen, StatusPending, StatusSolved}[r.IntN(4)]}
	if r.IntN(3) == 0 {
		public := r.IntN(2) == 0
		ev.Public = &public
	}
	if r.IntN(2) == 0 {
		ev.Customer = &Customer{ID: "C1", Phone: "+5511999990000"}
	}
	return ev
}

// checkCreation applies ev, a created event, with e and checks what the
// creation's short cuts rest on: every cycle it started is numbered as
// nextN numbers it over the cycles before it (the first of its metric:
// 1), the instant of the customer's message is the creation, and the
// policy chosen before any cycle started left breachFrom unknown, as
// retarget does.
func checkCreation(t *testing.T, e *Engine, ev Event, what string) {
	st, err := e.Apply(State{}, ev)
	if err != nil {
		return // refused: nothing was started
	}
	var ref State
	for i := range st.cycles {
		c := &st.cycles[i]
		require.Equal(t, ref.nextN(c.Metric), c.N, "%s: cycle %d (%s)", what, i, c.Metric)
		ref.cycles = append(ref.cycles, cycle{Metric: c.Metric, N: c.N})
	}
	if st.waiting {
		var at State
		at.ticket.CreatedAt = ev.At
		at.setStatAt(atLastCustomer, ev.At)
		require.Equal(t, at.stats.at[atLastCustomer], st.stats.at[atLastCustomer], what)
		require.Equal(t, at.stats.at[atLastCustomer], st.stats.at[atWaiting], what)
	}
	// A second event walks the cycles as every later event does: the
	// state the creation left must read as one built the general way
	// (the JSON trip drops nothing Apply needs and derives the rest).
	next := Event{TicketID: "T", At: ev.At.Add(90 * time.Minute), Type: EventMessage, Author: AuthorAgent}
	a, errA := e.Apply(st.Clone(), next)
	dec := viaJSON(t, &st)
	b, errB := e.Apply(dec, next)
	require.Equal(t, errA == nil, errB == nil, what)
	require.Equal(t, stateText(t, e, &b), stateText(t, e, &a), what)
}

// TestCreationShortCuts runs checkCreation over random created events in
// three zones, on a DST day and a holiday, through every engine of
// creationEngines.
func TestCreationShortCuts(t *testing.T) {
	es := creationEngines(t)
	var locs []*time.Location
	for _, z := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York"} {
		loc, err := time.LoadLocation(z)
		require.NoError(t, err)
		locs = append(locs, loc)
	}
	days := []time.Time{
		time.Date(2026, 3, 8, 1, 59, 59, 999999999, locs[2]), // New York's DST start
		time.Date(2026, 10, 25, 2, 30, 0, 1, locs[1]),        // Berlin's DST end
		time.Date(2026, 12, 25, 10, 0, 0, 0, locs[0]),        // a holiday in Brazil
		time.Date(2026, 3, 2, 9, 0, 0, 123, time.UTC),
	}
	r := rand.New(rand.NewPCG(19, 21))
	for n := range 600 {
		at := days[r.IntN(len(days))].Add(time.Duration(r.IntN(72*60)) * time.Minute)
		at = at.In(locs[r.IntN(len(locs))])
		for i, e := range es {
			checkCreation(t, e, createdEvent(r, at), "event "+string(rune('0'+n%10))+", engine "+string(rune('0'+i)))
		}
	}
}

func FuzzCreationShortCuts(f *testing.F) {
	for _, seed := range []uint64{0, 1, 19, 21, 1 << 40} {
		f.Add(seed, int64(1772442000))
	}
	f.Fuzz(func(t *testing.T, seed uint64, unix int64) {
		at := time.Unix(unix, 0).UTC()
		if !inInstants(at) || !inInstants(at.Add(time.Hour)) {
			return
		}
		es := creationEngines(t)
		r := rand.New(rand.NewPCG(seed, 7))
		checkCreation(t, es[r.IntN(len(es))], createdEvent(r, at), "fuzz")
	})
}

// reselectRef is reselect as it was before its short cut for a ticket
// without cycles: switchPolicy and retarget called whatever the cycles
// (with its later fix: a ticket's first priority is no change).
func (e *Engine) reselectRef(st *State, pol *compiled, prio int, t time.Time, first bool) (*compiled, int) {
	var next *compiled
	if i := e.selectPolicy(st, t); i >= 0 {
		next = e.policies[i]
	}
	newPrio := e.priority(&st.ticket, next)
	newCal := next.calendarFor(st, t)
	calChanged := newCal != st.x().calendar
	if calChanged {
		st.xw().calendar = newCal
	}
	if next != pol || calChanged {
		switch {
		case next == pol && newPrio != prio && !first: // a first priority is no change
			st.xw().stats.PriorityChanges++
		case next != pol && !first:
			st.xw().stats.PolicyChanges++
		}
		e.switchPolicy(st, next)
		pol = next
		st.policy = ""
		if pol != nil {
			st.policy = pol.Name
		}
		prio = newPrio
		e.retarget(st, pol, prio, t)
		return pol, prio
	}
	return e.reselect(st, pol, prio, t, first) // the branches not changed
}

// TestReselectWithoutCycles compares reselect with reselectRef on states
// without cycles (a ticket being created, or a decoded one never
// created) from every policy of creationEngines (and none), at first
// and later, with and without a calendar chosen: the states and answers
// must be identical, breachFrom included.
func TestReselectWithoutCycles(t *testing.T) {
	es := creationEngines(t)
	r := rand.New(rand.NewPCG(19, 22))
	for n := range 300 {
		e := es[r.IntN(len(es))]
		var st State
		st.ticket = Ticket{ID: "T", Priority: []string{"urgent", "normal", ""}[r.IntN(3)],
			Channel: []string{"email", "whatsapp", "chat"}[r.IntN(3)], Team: []string{"", "billing"}[r.IntN(2)],
			CreatedAt: time.Unix(1772442000+r.Int64N(1e7), 0)}
		st.breachFrom = r.Int64N(3) * int64(noBreach) / 2
		if r.IntN(2) == 0 {
			st.xw().calendar = []string{"", "sp", "berlin"}[r.IntN(3)]
		}
		if r.IntN(2) == 0 {
			st.cycles, st.open = []cycle{}, []int{}
		}
		first := r.IntN(2) == 0
		for _, pol := range append([]*compiled{nil}, e.policies...) {
			ref, fast := st.Clone(), st.Clone()
			prio := r.IntN(3)
			p1, n1 := e.reselectRef(&ref, pol, prio, ref.ticket.CreatedAt, first)
			p2, n2 := e.reselect(&fast, pol, prio, fast.ticket.CreatedAt, first)
			require.Equal(t, p1, p2, "state %d", n)
			require.Equal(t, n1, n2, "state %d", n)
			// The policy index is derived from what the states hold, which
			// here need not be pol (see TestPolicyIndexDifferential).
			ref.ixBy, ref.ixPol, ref.ixPrio = 0, 0, 0
			fast.ixBy, fast.ixPol, fast.ixPrio = 0, 0, 0
			require.True(t, reflect.DeepEqual(ref, fast), "state %d:\n%+v\n%+v", n, ref, fast)
		}
	}
}

// checkMayBeGone fails unless every hash in r.gone has its bit set in
// r.mayBeGone, the only fact newTicket's short cut rests on.
func checkMayBeGone(t *testing.T, r *replayer, what string) {
	for _, s := range append(r.gone.pend[:r.gone.np:r.gone.np], r.gone.slots...) {
		if !s.used {
			continue
		}
		h := s.h
		require.NotZero(t, r.mayBeGone[h>>goneShift/64]&(1<<(h>>goneShift%64)), "%s: %#x", what, h)
	}
}

// TestMayBeGoneCoversGone replays histories whose ids are created,
// closed, created again (refused), and never created, with ids many of
// which share the top 16 bits of their hash, through one replayer at a
// time (pooled, so the bits of an emptied replayer are cleared too). The
// results must be those of Apply and Result ticket by ticket: a bit
// missing would let a closed id be created again.
func TestMayBeGoneCoversGone(t *testing.T) {
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, Resolution: 8 * time.Hour}}}}})
	require.NoError(t, err)
	// ids sharing the top 16 bits of their hash, and others.
	var ids []string
	byTop := map[uint64][]string{}
	for i := 0; len(ids) < 200; i++ {
		id := "T" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
		top := idHash(id) >> goneShift
		byTop[top] = append(byTop[top], id)
		if len(byTop[top]) == 2 || i%7 == 0 {
			ids = append(ids, id)
		}
	}
	r := rand.New(rand.NewPCG(19, 23))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for round := range 20 {
		var evs []Event
		for range 300 {
			at = at.Add(time.Minute)
			id := ids[r.IntN(len(ids))]
			typ := []EventType{EventCreated, EventCreated, EventMessage, EventStatus}[r.IntN(4)]
			ev := Event{TicketID: id, At: at, Type: typ, Author: AuthorAgent}
			if typ == EventStatus {
				ev.Status = []Status{StatusOpen, StatusClosed, StatusClosed}[r.IntN(3)]
			}
			evs = append(evs, ev)
		}
		// The reference: Apply per ticket, the first Apply that closes a
		// ticket ends it, an id closed or never created refuses events.
		states := map[string]*State{}
		closed := map[string]bool{}
		wantErrs := 0
		for _, ev := range evs {
			st := states[ev.TicketID]
			switch {
			case closed[ev.TicketID]:
				wantErrs++
			case st == nil && ev.Type != EventCreated:
				wantErrs++
			case st == nil:
				s, err := e.Apply(State{}, ev)
				require.NoError(t, err)
				states[ev.TicketID] = &s
			default:
				s, err := e.Apply(*st, ev)
				if err == nil {
					*st = s
				}
				if st.Closed() {
					closed[ev.TicketID] = true
				}
			}
		}
		gotErrs, got := 0, map[string]bool{}
		for res, err := range e.Replay(func(yield func(Event, error) bool) {
			for _, ev := range evs {
				if !yield(ev, nil) {
					return
				}
			}
		}, time.Time{}) {
			if err != nil {
				gotErrs++
				continue
			}
			id := res.Attributes.ID
			require.False(t, got[id], "round %d: %s yielded twice", round, id)
			got[id] = true
			require.Equal(t, states[id].Ticket().Status, res.Attributes.Status, "round %d: %s", round, id)
		}
		require.Equal(t, wantErrs, gotErrs, "round %d", round)
		require.Len(t, got, len(states), "round %d", round)
	}
	// The bits themselves, through a replayer driven by hand.
	rp := newReplayer(e)
	for i, id := range ids {
		h := idHash(id)
		rp.setGone(h, goneTicket{seen: int32(i), closed: i%2 == 0})
		checkMayBeGone(t, rp, id)
	}
	require.True(t, rp.empty())
	require.Equal(t, [goneWords]uint64{}, rp.mayBeGone, "an emptied replayer has no bit set")
}

// TestNoPriorityIsDefault pins apply's short cut for a ticket without
// priority nor policy (one being created): priority answers the engine's
// default without a lookup, for the default list, lists whose names share
// a hash (the map), a default named apart, and NewEngine's engines.
func TestNoPriorityIsDefault(t *testing.T) {
	lists := [][]string{nil, {"p1", "p2", "p3"}, {"ab", "ba", "x"}, {"urgent", "high", "normal", "low"}}
	for _, prios := range lists {
		for _, def := range append([]string{""}, prios...) {
			e := &Engine{}
			var errs configErrors
			require.True(t, e.checkPriorities(Config{Priorities: prios, DefaultPriority: def}, &errs))
			require.Empty(t, errs)
			_, ok := e.prioIndex("")
			require.False(t, ok, "%v", prios)
			require.Equal(t, e.defPrio, e.priority(&Ticket{}, nil), "%v, default %q", prios, def)
		}
	}
	for _, e := range creationEngines(t) {
		require.Equal(t, e.defPrio, e.priority(&Ticket{}, nil))
	}
}

// TestCreatedWithoutPolicyPriority checks that a ticket's first priority
// is no change of priority, whether a policy applies to it or not, and
// that a later change of priority counts once.
func TestCreatedWithoutPolicyPriority(t *testing.T) {
	never := Policy{Name: "never", When: func(*Ticket) (bool, error) { return false, nil },
		Targets: map[string]map[Metric]time.Duration{"normal": {Resolution: time.Hour}}}
	always := never
	always.Name, always.When = "always", nil
	at := time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)
	for _, pol := range []Policy{never, always} {
		e, err := NewEngine(Config{Policies: []Policy{pol}})
		require.NoError(t, err)
		for _, prio := range []string{"", "normal", "urgent", "low"} {
			st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Priority: prio})
			require.NoError(t, err)
			assert.Zero(t, st.x().stats.PriorityChanges, "%s: priority %q", pol.Name, prio)
			assert.Equal(t, pol.When == nil, st.Policy() != "", pol.Name)
			st, err = e.Apply(st, Event{TicketID: "T", At: at.Add(time.Minute), Type: EventPriority, Priority: "high"})
			require.NoError(t, err)
			assert.Equal(t, 1, st.x().stats.PriorityChanges, "%s: from %q to high", pol.Name, prio)
		}
	}
}
