package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/eventbit"
)

// TestKindBits checks that each event type's kind has the bit eventbit
// gives its name (the bit the engine hands a router), and that every kind
// has one.
func TestKindBits(t *testing.T) {
	var all eventbit.Set
	for i, name := range eventbit.Names {
		k := kindOf(EventType(name))
		require.NotZero(t, k, name)
		assert.Equal(t, eventbit.Set(1)<<i, k.bit(), name)
		all |= k.bit()
	}
	assert.Equal(t, eventbit.Set(1)<<len(eventbit.Names)-1, all)
	assert.Equal(t, kWindowRejected, evKind(len(eventbit.Names)), "the last kind")
}

// TestFirstIsCreated checks what apply takes for a ticket's first event:
// check lets an event through to a state not created exactly when it is
// of kind created, for every type, on a state not created and on one
// created.
func TestFirstIsCreated(t *testing.T) {
	e := memoEngine(t)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, saoPauloLoc) // a holiday in São Paulo
	created, err := e.Apply(State{}, Event{TicketID: "T1", Type: EventCreated, At: at, Channel: "email"})
	require.NoError(t, err)
	for _, typ := range []EventType{EventCreated, EventMessage, EventNote, EventStatus, EventPriority,
		EventAssign, EventUpdate, EventEscalated, EventCSAT, EventWindowRejected} {
		ev := Event{TicketID: "T1", Type: typ, At: at.Add(time.Minute), Status: StatusOpen,
			Priority: "normal", Team: "billing", Score: 3, Author: AuthorAgent}
		for _, st := range []State{{}, created} {
			k, err := e.check(&st, &ev, false)
			if err == nil {
				assert.Equal(t, !st.Created(), k == kCreated, "%s, created %v", typ, st.Created())
			}
		}
	}
}

// TestCreatedFiresNothing checks that apply may skip fireUntil at a
// ticket's first event: for a state not yet created, whatever firing it
// keeps (a hand-built or recycled one), fireUntil fires nothing and
// changes nothing but fireBy, which apply clears anyway; so Apply gives
// the same state with the call as without.
func TestCreatedFiresNothing(t *testing.T) {
	e := memoEngine(t)
	for _, tc := range fireDueCases {
		for _, by := range []uint64{0, e.id, e.id + 1} {
			for _, tags := range [][]string{nil, {"vip"}, {"plain"}} {
				at := time.Date(2026, 10, 30, 17, 59, 0, 0, saoPauloLoc)
				if !tc.t.IsZero() && inInstants(tc.t) {
					at = tc.t
				}
				ev := Event{TicketID: "T", Type: EventCreated, At: at, Channel: "email", Tags: tags}
				st := State{fireAt: tc.at, fireBy: by, fireBound: tc.known}
				called := st
				require.Zero(t, e.fireUntil(&called, at, false, false), tc.name)
				want := st
				want.fireBy = called.fireBy // cleared, or left when it knew there was nothing
				require.Equal(t, want, called, "%s: fireUntil changed more than fireBy", tc.name)
				got, err := e.Apply(st, ev)
				require.NoError(t, err, tc.name)
				ref, err := e.Apply(called, ev)
				require.NoError(t, err, tc.name)
				require.Equal(t, ref, got, tc.name)
			}
		}
	}
}

// TestValidWindow checks valid, which passes over the window of a policy
// without one, against the window written out, for policies with a start,
// an end, both and neither, at instants around them (in three zones).
func TestValidWindow(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	from := time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC) // Berlin's change of the clocks
	until := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC) // New York's
	e, err := NewEngine(Config{Policies: []Policy{
		{Name: "none"}, {Name: "from", ValidFrom: from}, {Name: "until", ValidUntil: until},
		{Name: "both", ValidFrom: from.In(berlin), ValidUntil: until.In(ny)},
	}})
	require.NoError(t, err)
	for i, windowed := range []bool{false, true, true, true} {
		p := e.policies[i]
		require.Equal(t, windowed, p.windowed, p.Name)
		for _, base := range []time.Time{from, until, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)} {
			for _, d := range []time.Duration{-time.Hour, -1, 0, 1, time.Hour} {
				for _, loc := range []*time.Location{time.UTC, berlin, saoPauloLoc} {
					at := base.Add(d).In(loc)
					want := (p.ValidFrom.IsZero() || !at.Before(p.ValidFrom)) && (p.ValidUntil.IsZero() || at.Before(p.ValidUntil))
					assert.Equal(t, want, p.valid(at), "%s at %v", p.Name, at)
				}
			}
		}
	}
}
