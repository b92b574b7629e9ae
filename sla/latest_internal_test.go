package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// latestCase is one random replay of TestLatestAppliedIsLatestEvent.
type latestCase struct {
	seed       uint64
	closeAfter bool // the engine closes tickets solved 3 hours
	sameHash   bool // every id given one hash: all but the first live id kept apart by id
}

var latestCases = []latestCase{
	{seed: 1}, {seed: 2, closeAfter: true}, {seed: 3, sameHash: true}, {seed: 4, closeAfter: true, sameHash: true},
	{seed: 5}, {seed: 6, closeAfter: true}, {seed: 7, sameHash: true}, {seed: 8, closeAfter: true, sameHash: true},
}

// The replay notes the latest instant of an applied event when a ticket
// leaves the live tickets, and reads those still live at the end
// (latestApplied): it must be the latest instant of the events applied,
// noted event by event, whatever closed the tickets (an event, a close
// by CloseSolvedAfter before an event or by the replay's clock, none),
// for tickets kept by hash or apart by id, with escalation levels firing,
// events refused, out of order and of closed tickets. It is asked after
// every event.
func TestLatestAppliedIsLatestEvent(t *testing.T) {
	for _, c := range latestCases {
		t.Run(fmt.Sprintf("seed=%d/close=%v/same=%v", c.seed, c.closeAfter, c.sameHash), func(t *testing.T) {
			checkLatestApplied(t, c)
		})
	}
}

func FuzzLatestApplied(f *testing.F) {
	for _, c := range latestCases {
		f.Add(c.seed, c.closeAfter, c.sameHash)
	}
	f.Fuzz(func(t *testing.T, seed uint64, closeAfter, sameHash bool) {
		checkLatestApplied(t, latestCase{seed: seed, closeAfter: closeAfter, sameHash: sameHash})
	})
}

func checkLatestApplied(t *testing.T, c latestCase) {
	ladder, err := escalation.New("l", []escalation.Level{{Name: "remind", At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000},
		Actions: []escalation.Action{{Type: escalation.Notify, Target: "assignee"}}}})
	require.NoError(t, err)
	cfg := Config{Policies: []Policy{{Name: "p", Targets: map[string]map[Metric]time.Duration{
		"normal": {FirstResponse: time.Hour, NextResponse: time.Hour, Resolution: 8 * time.Hour}}, Escalation: "l"}},
		Ladders: map[string]*escalation.Ladder{"l": ladder}}
	if c.closeAfter {
		cfg.CloseSolvedAfter = 3 * time.Hour
	}
	e, err := NewEngine(cfg)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(c.seed, 7))
	zones := []*time.Location{time.UTC, mustZone("America/Sao_Paulo"), mustZone("Europe/Berlin")}
	base := time.Date(2026, 10, 24, 9, 0, 0, 0, zones[rng.IntN(len(zones))])

	r := newReplayer(e)
	defer r.release()
	// errs counts the errors of events: apart, in results, and of live
	// tickets still (an event that adds none was applied).
	yielded := 0
	yield := func(res Result, err error) bool {
		if err != nil {
			yielded++
		}
		yielded += len(res.Errors)
		return true
	}
	errs := func() int {
		n := yielded
		for _, errs := range r.errs {
			n += len(errs)
		}
		return n
	}
	var want time.Time
	types := []EventType{EventMessage, EventMessage, EventStatus, EventStatus, EventNote, EventPriority}
	statuses := []Status{StatusOpen, StatusPending, StatusSolved, StatusClosed, StatusSolved}
	for line := 1; line <= 400; line++ {
		jump := rng.IntN(10) == 0
		if jump {
			base = base.Add(6 * time.Hour) // past the close of the tickets solved by now
		}
		ev := Event{TicketID: fmt.Sprintf("T%d", rng.IntN(12)), Type: types[rng.IntN(len(types))],
			At: base.Add(time.Duration(line)*7*time.Minute - time.Duration(rng.IntN(120))*time.Minute)}
		if jump && rng.IntN(2) == 0 {
			ev.TicketID = "U" // never created: refused, but it moves the replay's clock
		}
		switch ev.Type {
		case EventStatus:
			ev.Status = statuses[rng.IntN(len(statuses))]
		case EventMessage:
			ev.Author = []Author{AuthorCustomer, AuthorAgent}[rng.IntN(2)]
		case EventPriority:
			ev.Priority = "nope" // refused: unknown priority
		}
		if rng.IntN(4) == 0 {
			ev.Type = EventCreated
		}
		if rng.IntN(9) == 0 {
			ev.At = ev.At.Add(-30 * time.Hour) // out of order for its ticket, or before a close
		}
		h := idHash(ev.TicketID)
		if c.sameHash {
			h = 42
		}
		before := errs()
		r.ev = ev
		require.True(t, r.event(line, &r.ev, h, nil, yield))
		if errs() == before && ev.At.After(want) { // applied
			want = ev.At
		}
		got := r.latestApplied()
		require.True(t, got.Equal(want), "line %d: latest applied %s, want %s", line, got, want)
	}
	got := r.until(time.Time{})
	require.True(t, got.Equal(want), "latest applied %s, want %s", got, want)
	r.finish(got, yield)
}
