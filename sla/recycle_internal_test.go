package sla

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/whatsappwindow"
)

// A replay hands the record of a ticket it forgets, emptied, to the next
// ticket created, with the storage the yielded result does not share, and
// the record's own storage back when the ticket outgrew it.
func TestReplayRecyclesRecords(t *testing.T) {
	ladder, err := escalation.New("l", []escalation.Level{{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000},
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}}})
	require.NoError(t, err)
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 8 * time.Hour}}, Escalation: "l"}},
		Ladders: map[string]*escalation.Ladder{"l": ladder},
		Rules: RouterFunc(func(tk *Ticket, ev *Event) ([]string, error) {
			if ev.Type == EventCreated {
				return []string{"always"}, nil
			}
			return nil, nil
		})})
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r := newReplayer(e)
	r.free = nil // a pooled replayer's records are an earlier replay's
	var got []Result
	yield := func(res Result, err error) bool {
		require.NoError(t, err)
		got = append(got, res)
		return true
	}
	send := sender(t, r, yield)
	// A: a customer and an agent trading ten messages, past the remind
	// level: 21 cycles, more than the record holds.
	send(Event{TicketID: "A", At: at, Type: EventCreated, Tags: []string{"x"}})
	send(Event{TicketID: "A", At: at.Add(10 * time.Minute), Type: EventStatus, Status: StatusPending})
	send(Event{TicketID: "A", At: at.Add(20 * time.Minute), Type: EventStatus, Status: StatusOpen})
	for i := range 10 {
		send(Event{TicketID: "A", At: at.Add(time.Duration(2*i+1) * time.Hour), Type: EventMessage, Author: AuthorAgent})
		send(Event{TicketID: "A", At: at.Add(time.Duration(2*i+2) * time.Hour), Type: EventMessage, Author: AuthorCustomer})
	}
	a := r.live.get("A", idHash("A"))
	require.NotNil(t, a)
	require.Greater(t, len(a.st.cycles), len(a.cycles))
	require.NotEmpty(t, a.st.x().escalations)
	escCap := cap(a.st.more.escalations)
	ext := a.st.cycles[1].ext // the resolution's, paused once
	require.NotNil(t, ext)
	send(Event{TicketID: "A", At: at.Add(30 * time.Hour), Type: EventStatus, Status: StatusClosed})
	require.Len(t, got, 1)
	require.Equal(t, []*replayTicket{a}, r.free, "A's record is kept")
	assert.Equal(t, State{window: a.st.window, more: a.st.more, cycles: a.cycles[:0], open: a.open[:0], nth: &a.counts}, a.st)
	assert.Equal(t, stateMore{rules: a.st.more.rules, escalations: a.st.more.escalations, memos: a.st.more.memos}, *a.st.more, "only the storage of rules, escalations and firing memos is kept")
	require.NotNil(t, a.st.more.memos)
	assert.Equal(t, firingMemos{}, *a.st.more.memos, "the firing memos are emptied")
	assert.Equal(t, 1, cap(a.st.more.rules))
	assert.Equal(t, escCap, cap(a.st.more.escalations))
	for i := range a.cycles {
		assert.Equal(t, cycle{ext: a.cycles[i].ext}, a.cycles[i], "cycle %d is empty", i)
		if x := a.cycles[i].ext; x != nil {
			assert.Equal(t, cycleExt{pauses: x.pauses[:0]}, *x, "cycle %d keeps an empty ext", i)
		}
	}

	bEvents := []Event{{TicketID: "B", At: at.Add(31 * time.Hour), Type: EventCreated},
		{TicketID: "B", At: at.Add(32 * time.Hour), Type: EventMessage, Author: AuthorAgent},
		{TicketID: "B", At: at.Add(33 * time.Hour), Type: EventStatus, Status: StatusOnHold}}
	for _, ev := range bEvents {
		send(ev)
	}
	assert.Same(t, a, r.live.get("B", idHash("B")), "B takes A's record")
	assert.Empty(t, r.free)
	assert.Same(t, ext, a.st.cycles[1].ext, "B's resolution takes the ext of A's")
	fresh, err := applied(t, e, bEvents...).MarshalJSON()
	require.NoError(t, err)
	recycled, err := a.st.MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, string(fresh), string(recycled), "B's state in A's record is B's state alone")
	b := a.st.Ticket()
	assert.Empty(t, b.Tags, "B has none of A's tags")
	assert.Equal(t, []RuleApplied{{Rule: "always", At: at}}, got[0].Rules, "A's result keeps its rules")
	r.finish(time.Time{}, yield)
	require.Len(t, got, 2)
	want := e.Result(applied(t, e, bEvents...), at.Add(33*time.Hour))
	assert.Equal(t, want.Clocks, got[1].Clocks)
	assert.Equal(t, want.Rules, got[1].Rules)
}

// sender returns a function that gives r one event at a time, at the next
// input line, as Replay does.
func sender(t *testing.T, r *replayer, yield func(Result, error) bool) func(Event) {
	line := 0
	return func(ev Event) {
		line++
		r.ev = ev
		require.True(t, r.event(line, &r.ev, idHash(ev.TicketID), nil, yield))
	}
}

// applied is the state of the events evs applied in turn.
func applied(t *testing.T, e *Engine, evs ...Event) State {
	var st State
	for _, ev := range evs {
		var err error
		st, err = e.Apply(st, ev)
		require.NoError(t, err)
	}
	return st
}

// A block hands out pieces that never overlap, each of the capacity asked
// for, from blocks that grow from minBlock to maxBlock bytes; a large
// request gets storage of its own.
func TestBlockTake(t *testing.T) {
	var b block[TeamTime] // 48 B
	assert.Nil(t, b.take(0))
	var pieces [][]TeamTime
	for i := range 400 {
		n := 1 + i%5
		p := b.take(n)
		require.Len(t, p, 0)
		require.Equal(t, n, cap(p), "take(%d)", n)
		pieces = append(pieces, p[:n])
		for j := range p[:n] {
			p[:n][j] = TeamTime{Team: "t", Cycle: i}
		}
		assert.GreaterOrEqual(t, b.bytes, minBlock)
		assert.LessOrEqual(t, b.bytes, maxBlock)
	}
	assert.Equal(t, maxBlock, b.bytes, "blocks grow to maxBlock")
	for i, p := range pieces {
		for _, tt := range p {
			require.Equal(t, i, tt.Cycle, "piece %d was overwritten", i)
		}
	}
	// Appending to a piece never writes into the next one.
	x, y := b.take(2), b.take(2)
	y = append(y, TeamTime{Cycle: 7}, TeamTime{Cycle: 7})
	x = append(x, TeamTime{Cycle: 1}, TeamTime{Cycle: 1}, TeamTime{Cycle: 1})
	assert.Equal(t, []TeamTime{{Cycle: 7}, {Cycle: 7}}, y)
	assert.Len(t, x, 3)
	before := b.rest()
	big := b.take(maxBlock/4/48 + 1)
	assert.Equal(t, maxBlock/4/48+1, cap(big))
	assert.Equal(t, len(before), len(b.rest()), "a large request leaves the block alone")
}

// A replayer kept for the next replay keeps its storage, emptied, and no
// engine; a replayer that saw too many ids is not kept.
func TestReplayerEmptied(t *testing.T) {
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, Resolution: 8 * time.Hour}}}}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r := &replayer{e: e, live: newLiveTickets(), errs: map[*replayTicket][]error{}}
	var results []Result
	yield := func(res Result, err error) bool {
		results = append(results, res)
		return true
	}
	send := sender(t, r, yield)
	for _, ev := range []Event{
		{TicketID: "A", At: at, Type: EventCreated},
		{TicketID: "B", At: at, Type: EventCreated},
		{TicketID: "A", At: at.Add(time.Hour), Type: EventStatus, Status: StatusClosed},
		{TicketID: "A", At: at.Add(2 * time.Hour), Type: EventNote},           // after closed
		{TicketID: "B", At: at.Add(3 * time.Hour), Type: EventCSAT, Score: 9}, // refused: an error of B
	} {
		send(ev)
	}
	require.Equal(t, 1, r.live.len())
	require.Len(t, r.errs, 1)
	require.Equal(t, 2, r.created, "A and B")
	rest := r.rest()
	for _, tk := range rest {
		require.True(t, r.emit(tk, time.Time{}, yield))
		r.recycle(tk)
	}
	require.Len(t, results, 3) // A, the event after A closed, B
	require.Len(t, r.free, 2)
	require.True(t, r.empty())
	assert.Nil(t, r.e)
	assert.Equal(t, Event{}, r.ev)
	assert.True(t, r.latest.IsZero())
	assert.True(t, r.clock.IsZero())
	assert.Zero(t, r.live.len())
	assert.Zero(t, r.gone.len())
	for _, s := range r.gone.slots {
		assert.Equal(t, goneSlot{}, s, "an emptied table is zero")
	}
	assert.Empty(t, r.errs)
	assert.Empty(t, r.closings)
	assert.Zero(t, r.created)
	assert.Len(t, r.free, 2, "the free records are kept")
	for _, tk := range r.free {
		assert.False(t, tk.st.Created(), "a kept record is empty")
	}

	for i := range maxPooledIDs + 1 {
		r.gone.set(uint64(i), goneTicket{})
	}
	assert.False(t, r.empty(), "a replayer that saw too many ids is let go")

	// Tickets still open at the end are never among the ids gone, but
	// grew the maps as much.
	r.gone.clear()
	r.created = maxPooledIDs + 1
	assert.False(t, r.empty(), "a replayer that created too many tickets is let go")
}

// The storage a recycled record keeps is zero to its capacity: a replayed
// state's slices only grow until they are emptied, so emptying them
// clears their length alone (see emptied). Tickets of every size take the
// records of larger and smaller ones in turn.
func TestRecycledStorageZeroToCapacity(t *testing.T) {
	ladder, err := escalation.New("l", []escalation.Level{{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000},
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}}})
	require.NoError(t, err)
	tracker, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	hours := map[string]map[Metric]time.Duration{"normal": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 8 * time.Hour}}
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: hours, Escalation: "l"}},
		Ladders:  map[string]*escalation.Ladder{"l": ladder},
		WhatsApp: tracker,
		OLAs:     []OLA{{Name: "o", Team: "t1", Targets: map[string]map[Metric]time.Duration{"normal": {OLATimeToOwn: time.Hour, OLATimeToResolve: 4 * time.Hour}}}},
		Rules: RouterFunc(func(tk *Ticket, ev *Event) ([]string, error) {
			if ev.Type == EventMessage {
				return []string{"on-message"}, nil
			}
			return nil, nil
		})})
	require.NoError(t, err)
	r, send := strictSender(t, e)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, n := range []int{12, 0, 3, 9, 1, 6, 0, 12, 2} {
		id := fmt.Sprintf("T%d", i)
		at = at.Add(100 * time.Hour)
		send(Event{TicketID: id, At: at, Type: EventCreated, Channel: "whatsapp"})
		for k := range n {
			at = at.Add(40 * time.Minute)
			send(Event{TicketID: id, At: at, Type: EventAssign, Team: fmt.Sprintf("t%d", k%3)})
			send(Event{TicketID: id, At: at, Type: EventStatus, Status: StatusPending})
			send(Event{TicketID: id, At: at.Add(time.Minute), Type: EventStatus, Status: StatusOpen})
			send(Event{TicketID: id, At: at.Add(2 * time.Minute), Type: EventMessage, Author: AuthorCustomer, MessageID: fmt.Sprintf("m%d", k)})
		}
		send(Event{TicketID: id, At: at.Add(time.Hour), Type: EventStatus, Status: StatusClosed})
		require.Len(t, r.free, 1)
		rec := r.free[0]
		m := rec.st.more
		require.NotNil(t, m)
		assertZeroToCap(t, m.rules, "rules", i)
		assertZeroToCap(t, m.escalations, "escalations", i)
		assertZeroToCap(t, m.olas, "OLA cycles", i)
		assertZeroToCap(t, m.handoffs, "handoffs", i)
		assertZeroToCap(t, rec.st.window.Seen, "message ids", i)
		for c := range rec.cycles {
			if x := rec.cycles[c].ext; x != nil {
				assertZeroToCap(t, x.pauses, fmt.Sprintf("cycle %d's pauses", c), i)
				if x.odd != nil {
					assert.Zero(t, *x.odd, "ticket %d: cycle %d's odd instants", i, c)
				}
			}
		}
		if n == 12 {
			assert.NotZero(t, cap(m.escalations)+cap(m.olas)+cap(m.handoffs), "ticket %d: some storage kept", i)
		}
	}
}

func assertZeroToCap[T any](t *testing.T, s []T, what string, ticket int) {
	t.Helper()
	assert.Empty(t, s, "ticket %d: %s emptied", ticket, what)
	full := s[:cap(s)]
	for i := range full {
		assert.True(t, reflect.ValueOf(&full[i]).Elem().IsZero(), "ticket %d: %s: element %d of %d is not zero", ticket, what, i, cap(s))
	}
}

// A recycled record's window is zero (but for the storage of its message
// ids) after tickets of every channel, with and without messages: the
// replay empties only a window the engine observed, which has its key.
func TestRecycledWindowIsZero(t *testing.T) {
	tracker, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, Resolution: 8 * time.Hour}}}}, WhatsApp: tracker})
	require.NoError(t, err)
	r, send := strictSender(t, e)
	rng := rand.New(rand.NewPCG(5, 6))
	at := time.Date(2026, 10, 24, 22, 0, 0, 0, mustZone("America/Sao_Paulo"))
	for i := range 60 {
		id := fmt.Sprintf("W%d", i)
		ch := []string{"whatsapp", "email", "WhatsApp", "chat"}[rng.IntN(4)]
		at = at.Add(time.Hour)
		cust := &Customer{ID: "c1"}
		if rng.IntN(2) == 0 {
			cust = &Customer{Phone: "+55 11 9999-0000"}
		}
		send(Event{TicketID: id, At: at, Type: EventCreated, Channel: ch, Customer: cust, MessageID: fmt.Sprintf("m%d", i)})
		for k := range rng.IntN(4) {
			at = at.Add(10 * time.Minute)
			send(Event{TicketID: id, At: at, Type: EventMessage, Author: []Author{AuthorCustomer, AuthorAgent}[k%2], MessageID: fmt.Sprintf("m%d-%d", i, k)})
		}
		if rng.IntN(3) == 0 {
			send(Event{TicketID: id, At: at, Type: EventWindowRejected})
		}
		send(Event{TicketID: id, At: at.Add(time.Hour), Type: EventStatus, Status: StatusClosed})
		require.Len(t, r.free, 1)
		w := r.free[0].st.window
		require.Same(t, &r.free[0].window, w)
		assert.Equal(t, whatsappwindow.Window{Seen: w.Seen}, *w, "ticket %d (%s): window emptied", i, ch)
		assertZeroToCap(t, w.Seen, "message ids", i)
	}
}

// strictSender returns a replayer of e and its sender (see sender), which
// fails the test on any error.
func strictSender(t *testing.T, e *Engine) (*replayer, func(Event)) {
	r := newReplayer(e)
	r.free = nil // a pooled replayer's records are an earlier replay's
	return r, sender(t, r, func(_ Result, err error) bool {
		require.NoError(t, err)
		return true
	})
}

// A ticket that outgrew its record works on a copy of the record's
// cycles, sharing their exts: a pause it adds then is in an ext whose
// cycle in the record says none. The record's next ticket still gets the
// ext emptied.
func TestRecycledOutgrownExtEmptied(t *testing.T) {
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 8 * time.Hour}}}}})
	require.NoError(t, err)
	r, send := strictSender(t, e)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	pause := func(id string, at time.Time) {
		send(Event{TicketID: id, At: at, Type: EventStatus, Status: StatusPending})
		send(Event{TicketID: id, At: at.Add(time.Minute), Type: EventStatus, Status: StatusOpen})
	}
	// A pauses its resolution (cycle 1): the cycle gets an ext.
	send(Event{TicketID: "A", At: at, Type: EventCreated})
	pause("A", at.Add(10*time.Minute))
	send(Event{TicketID: "A", At: at.Add(time.Hour), Type: EventStatus, Status: StatusClosed})
	require.Len(t, r.free, 1)
	rec := r.free[0]
	require.NotNil(t, rec.cycles[1].ext, "A's resolution keeps an ext")
	// B takes A's record, outgrows it, then pauses its resolution.
	at = at.Add(48 * time.Hour)
	send(Event{TicketID: "B", At: at, Type: EventCreated})
	for i := range 10 {
		send(Event{TicketID: "B", At: at.Add(time.Duration(2*i+1) * time.Hour), Type: EventMessage, Author: AuthorAgent})
		send(Event{TicketID: "B", At: at.Add(time.Duration(2*i+2) * time.Hour), Type: EventMessage, Author: AuthorCustomer})
	}
	b := r.live.get("B", idHash("B"))
	require.Same(t, rec, b)
	require.Greater(t, len(b.st.cycles), len(b.cycles), "B outgrew the record")
	pause("B", at.Add(30*time.Hour))
	require.Len(t, b.st.cycles[1].spans(), 1)
	require.Same(t, b.st.cycles[1].ext, rec.cycles[1].ext, "the copy shares the record's ext")
	require.Zero(t, rec.cycles[1].marks&hasPauses, "the record's cycle says no pauses")
	send(Event{TicketID: "B", At: at.Add(31 * time.Hour), Type: EventStatus, Status: StatusClosed})
	require.Equal(t, []*replayTicket{rec}, r.free)
	for c := range rec.cycles {
		if x := rec.cycles[c].ext; x != nil {
			assertZeroToCap(t, x.pauses, fmt.Sprintf("cycle %d's pauses", c), 1)
		}
	}
	// C stops its cycles at an instant of another location, which the
	// cycles keep whole in their exts.
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	at = at.Add(48 * time.Hour)
	send(Event{TicketID: "C", At: at, Type: EventCreated})
	send(Event{TicketID: "C", At: at.Add(time.Hour).In(berlin), Type: EventStatus, Status: StatusClosed})
	require.Equal(t, []*replayTicket{rec}, r.free)
	far := 0
	for c := range rec.cycles {
		if x := rec.cycles[c].ext; x != nil && x.odd != nil {
			far++
			assert.Zero(t, *x.odd, "cycle %d's odd instants", c)
		}
	}
	require.NotZero(t, far, "C's stops were kept whole")
}
