package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A replay of tickets one after another, each closed (so that its record
// is recycled for the next), through one replayer: after every event,
// every record's marks say what its cycles' exts hold, and the exts of
// the free records are empty.
func TestRecycledRecordsMarks(t *testing.T) {
	es := derivedEngines(t)
	types := []EventType{EventMessage, EventMessage, EventMessage, EventNote, EventStatus, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusOpen, StatusPending}
	for ei, e := range es {
		rng := rand.New(rand.NewPCG(uint64(ei), 15))
		r := newReplayer(e)
		yield := func(Result, error) bool { return true }
		line := 0
		send := func(ev Event) {
			line++
			r.ev = ev
			r.event(line, &r.ev, idHash(ev.TicketID), nil, yield)
		}
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		for tk := range 300 {
			id := fmt.Sprintf("T%d", tk)
			evs := []Event{{TicketID: id, At: at, Type: EventCreated, Channel: []string{"email", "whatsapp"}[rng.IntN(2)],
				Priority: []string{"urgent", "normal"}[rng.IntN(2)]}}
			t0 := at
			for range rng.IntN(40) {
				t0 = t0.Add(time.Duration(rng.IntN(4*60)) * time.Minute)
				ev := randomEvent(rng, t0, types, statuses)
				ev.TicketID = id
				evs = append(evs, ev)
			}
			evs = append(evs, Event{TicketID: id, At: t0, Type: EventStatus, Status: StatusClosed})
			for i, ev := range evs {
				send(ev)
				what := fmt.Sprintf("engine %d ticket %d event %d", ei, tk, i)
				r.live.each(func(rt *replayTicket) {
					requireMarks(t, &rt.st, what+" live")
					requireOpened(t, &rt.st, what+" live")
				})
				for _, f := range r.free {
					requireMarks(t, &f.st, what+" free")
					require.Zero(t, f.st.stats.opened, what+" free")
					for c := range f.cycles {
						if x := f.cycles[c].ext; x != nil {
							require.Empty(t, x.pauses, what)
							if x.odd != nil {
								require.Zero(t, *x.odd, what)
							}
						}
					}
				}
			}
			at = t0.Add(time.Minute)
		}
	}
}
