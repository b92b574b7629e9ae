package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestClosedTicketSettled pins what evaluate takes for granted of a
// closed ticket, where it asks neither settled nor peekFiring: no level
// fires on it by any instant (settled gives st itself) and none will
// (peekFiring finds none), whether the state comes from Apply, from
// Advance or from its JSON form.
func TestClosedTicketSettled(t *testing.T) {
	e := memoEngine(t)
	r := rand.New(rand.NewPCG(7, 11))
	types := []EventType{EventMessage, EventMessage, EventStatus, EventPriority, EventAssign, EventUpdate}
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusClosed}
	closed := 0
	for h := range 80 {
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(7*24)) * time.Hour)
		ev := Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email",
			Priority: []string{"urgent", "normal", "low"}[r.IntN(3)]}
		if r.IntN(3) == 0 {
			ev.Tags = []string{[]string{"vip", "plain"}[r.IntN(2)]}
		}
		st, err := e.Apply(State{}, ev)
		require.NoError(t, err)
		for n := 0; n < 30 && !st.Closed(); n++ {
			at = at.Add(time.Duration(r.IntN(6*60)) * time.Minute)
			if r.IntN(4) == 0 {
				st, _ = e.Advance(st, at)
				continue
			}
			ev := Event{TicketID: "T", At: at, Type: types[r.IntN(len(types))]}
			switch ev.Type {
			case EventMessage:
				ev.Author = []Author{AuthorAgent, AuthorCustomer}[r.IntN(2)]
			case EventStatus:
				ev.Status = statuses[r.IntN(len(statuses))]
			case EventPriority:
				ev.Priority = []string{"urgent", "normal", "low"}[r.IntN(3)]
			case EventAssign:
				ev.Team = []string{"billing", "support", ""}[r.IntN(2)]
			case EventUpdate:
				ev.Fields = map[string]any{"order": 1.0}
			}
			st, _ = e.Apply(st, ev)
		}
		if !st.Closed() {
			st, err = e.Apply(st, Event{TicketID: "T", At: at.Add(time.Minute), Type: EventStatus, Status: StatusClosed})
			require.NoError(t, err)
		}
		b, err := json.Marshal(&st)
		require.NoError(t, err)
		var back State
		require.NoError(t, json.Unmarshal(b, &back))
		for k, s := range []*State{&st, &back} {
			for _, d := range []time.Duration{0, time.Hour, 400 * time.Hour} {
				what := fmt.Sprintf("history %d, state %d, %v after", h, k, d)
				view := s.lastAt.Add(d)
				require.Same(t, s, e.settled(s, view), what)
				next, ok := e.peekFiring(s)
				require.False(t, ok, what)
				require.True(t, next.IsZero(), what)
			}
		}
		closed++
	}
	require.Equal(t, 80, closed)
}
