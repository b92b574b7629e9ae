package sla_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// A ServiceNow export updates incidents after Closed: each late event is
// a problem apart with its line and the ticket's event number, never a
// second result, however many tickets closed in between (no horizon).
func TestReplayOneResultPerTicket(t *testing.T) {
	e := mustEngine(t, sla.Config{Policies: []sla.Policy{{Name: "p", Targets: targets{"normal": {res: 8 * time.Hour}}}}})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const n = 5000 // more than any ring of recently closed ids
	var evs []sla.Event
	for i := range n {
		id := fmt.Sprintf("INC%05d", i)
		at := t0.Add(time.Duration(i) * time.Second)
		evs = append(evs,
			sla.Event{TicketID: id, At: at, Type: sla.EventCreated},
			sla.Event{TicketID: id, At: at.Add(time.Minute), Type: sla.EventStatus, Status: sla.StatusSolved},
			sla.Event{TicketID: id, At: at.Add(2 * time.Minute), Type: sla.EventStatus, Status: sla.StatusClosed})
	}
	late := t0.Add(48 * time.Hour)
	evs = append(evs,
		sla.Event{TicketID: "INC00000", At: late, Type: sla.EventAssign, Team: "network"},
		sla.Event{TicketID: "INC00000", At: late, Type: sla.EventCreated},
		sla.Event{TicketID: "GHOST", At: late, Type: sla.EventNote},
		sla.Event{TicketID: "GHOST", At: late, Type: sla.EventNote})
	results := map[string]int{}
	var apart []string
	for r, err := range e.Replay(seq2(evs), time.Time{}) {
		if err != nil {
			apart = append(apart, err.Error())
			continue
		}
		results[r.Ticket]++
		require.Equal(t, 1, results[r.Ticket], "ticket %s: a second result", r.Ticket)
	}
	assert.Len(t, results, n)
	assert.Equal(t, []string{
		`sla: ticket "INC00000": event 4 (line 15001) assign at 2026-03-04T09:00:00Z: event after closed`,
		`sla: ticket "INC00000": event 5 (line 15002) created at 2026-03-04T09:00:00Z: event after closed`,
		`sla: ticket "GHOST": event 1 (line 15003) note at 2026-03-04T09:00:00Z: unknown ticket`,
		`sla: ticket "GHOST": event 2 (line 15004) note at 2026-03-04T09:00:00Z: unknown ticket`,
	}, apart)
}

// The errors of a live ticket count its events in the input, failed ones
// included: the 4th event is "event 4".
func TestReplayErrorNamesTheEvent(t *testing.T) {
	e := mustEngine(t, spStd()(t))
	evs := events(t,
		ev("2026-03-02T09:00:00-03:00", "created"),
		ev("2026-03-02T09:10:00-03:00", "csat", `"score":9`),
		ev("2026-03-02T09:20:00-03:00", "message", `"author":"agent"`),
		ev("2026-03-02T09:05:00-03:00", "note"),
	)
	var got []sla.Result
	for r, err := range e.Replay(seq2(evs), time.Time{}) {
		require.NoError(t, err)
		got = append(got, r)
	}
	require.Len(t, got, 1)
	require.Len(t, got[0].Errors, 2)
	assert.Equal(t, `sla: ticket "T1": event 2 (line 2) csat at 2026-03-02T09:10:00-03:00: invalid event: csat score 9 outside 1-5`, got[0].Errors[0].Error())
	assert.Equal(t, `sla: ticket "T1": event 4 (line 4) note at 2026-03-02T09:05:00-03:00: event out of order`, got[0].Errors[1].Error())
}
