package sla

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// slotEngine returns an engine whose policy "p" counts custom metrics that
// share the slots of the masks table with built-in metrics and with one
// another (see slotOf), under a ladder whose levels watch some of them
// only, so that a metric found in another metric's slot gets a wrong mask.
func slotEngine(t testing.TB) *Engine {
	// "reassigned" shares resolution's slot, "first_touch_ok" first_response's,
	// "nr" and "nq" each other's (len + first byte, modulo the slots).
	customs := []Metric{"reassigned", "first_touch_ok", "nr", "nq", "time_to_assign"}
	notify := []escalation.Action{{Type: escalation.Notify, Target: "lead"}}
	half := escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}
	lad, err := escalation.New("l", []escalation.Level{
		{Name: "res", Metric: string(Resolution), At: half, Actions: notify},
		{Name: "touch", Metric: "first_touch_ok", At: escalation.Trigger{Kind: escalation.Elapsed, Offset: 20 * time.Minute}, Actions: notify},
		{Name: "nq", Metric: "nq", At: half, Actions: notify},
		{Name: "fr", Metric: string(FirstResponse), At: escalation.Trigger{Kind: escalation.Percent, BasisPoints: 8000}, Actions: notify},
	})
	require.NoError(t, err)
	created := func(_ *Ticket, ev *Event) (bool, error) { return ev.Type == EventCreated, nil }
	agent := func(_ *Ticket, ev *Event) (bool, error) {
		return ev.Type == EventMessage && ev.Author == AuthorAgent, nil
	}
	var ms []CustomMetric
	targets := map[Metric]time.Duration{FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour}
	for i, m := range customs {
		ms = append(ms, CustomMetric{Name: m, Start: created, Stop: agent})
		targets[m] = time.Duration(i+1) * 30 * time.Minute
	}
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Escalation: "l", Metrics: ms,
		Targets: map[string]map[Metric]time.Duration{"normal": targets}}},
		Ladders: map[string]*escalation.Ladder{"l": lad}})
	require.NoError(t, err)
	return e
}

// TestLadderMaskSlots checks the slots that open a policy's masks table:
// each holds the first metric of the table past the slots whose slot it
// is, or "", and ladderMask gives the ladder's mask for every metric: the
// table's own strings, equal strings that are not them, names the engine
// does not know that fall in a held slot, and "".
func TestLadderMaskSlots(t *testing.T) {
	e := slotEngine(t)
	p := e.policy("p")
	lad := p.ladder
	require.Greater(t, len(p.masks), maskSlots)
	list := p.masks[maskSlots:]
	for h, x := range p.masks[:maskSlots] {
		first := Metric("")
		for _, y := range list {
			if slotOf(y.metric) == h {
				first = y.metric
				break
			}
		}
		assert.Equal(t, first, x.metric, "slot %d", h)
		if first != "" {
			assert.True(t, x.is(first), "slot %d holds the table's string", h)
		}
	}
	require.Equal(t, slotOf(Resolution), slotOf("reassigned"))
	require.Equal(t, slotOf(FirstResponse), slotOf("first_touch_ok"))
	require.Equal(t, slotOf("nr"), slotOf("nq"))
	names := []Metric{"", "rrrrrrrrrr", "unknown", "nq", "ola.time_to_own"}
	for _, x := range p.masks {
		names = append(names, x.metric, Metric(strings.Clone(string(x.metric))))
	}
	distinct := map[uint64]bool{}
	for _, m := range names {
		assert.Equal(t, lad.Mask(string(m)), p.ladderMask(m), "ladderMask(%q)", m)
		assert.Equal(t, lad.Mask(string(m)), p.scanMask(m), "scanMask(%q)", m)
		distinct[lad.Mask(string(m))] = true
	}
	require.GreaterOrEqual(t, len(distinct), 4, "metrics sharing a slot have different masks")
}

// FuzzLadderMask compares ladderMask with the ladder's Mask for any name,
// and for the table's own string equal to it; seeded from the table.
func FuzzLadderMask(f *testing.F) {
	e := slotEngine(f)
	p := e.policy("p")
	for _, x := range p.masks {
		f.Add(string(x.metric))
	}
	f.Add("rrrrrrrrrr")
	f.Fuzz(func(t *testing.T, name string) {
		want := p.ladder.Mask(name)
		require.Equal(t, want, p.ladderMask(Metric(name)))
		for _, x := range p.masks {
			if string(x.metric) == name {
				require.Equal(t, want, p.ladderMask(x.metric))
			}
		}
	})
}

// TestLadderWalkSlots replays random histories of slotEngine's policy and
// compares, after every step, the clocks the walk gives (ladderClocks,
// which looks a cycle's slot up in line) with those it gives for the same
// policy whose table has no slots, where every metric's mask comes from the
// ladder; and requires every watched metric to be walked.
func TestLadderWalkSlots(t *testing.T) {
	e := slotEngine(t)
	p := e.policy("p")
	general := *p
	general.masks = p.masks[maskSlots:]
	r := rand.New(rand.NewPCG(5, 19))
	walked := map[Metric]int{}
	for h := range 40 {
		at := time.Date(2026, 3, 27, 20, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(72)) * time.Hour)
		st, err := e.Apply(State{}, Event{TicketID: "T", At: at, Type: EventCreated, Channel: "email", Priority: "normal"})
		require.NoError(t, err)
		for n := range 12 {
			what := fmt.Sprintf("history %d, step %d", h, n)
			var b1, b2 [4]ladderClock
			got, _, _ := e.ladderClocks(&st, p, &st.ticket, b1[:], nil, nil)
			want, _, _ := e.ladderClocks(&st, &general, &st.ticket, b2[:], nil, nil)
			require.Equal(t, want, got, what)
			for _, lc := range got {
				if lc.k >= 0 {
					walked[st.cycles[lc.id].Metric]++
				}
			}
			at = at.Add(time.Duration(r.IntN(90)) * time.Minute)
			ev := Event{TicketID: "T", At: at, Type: EventMessage, Author: []Author{AuthorAgent, AuthorCustomer}[r.IntN(2)]}
			if r.IntN(8) == 0 {
				st, _ = e.Advance(st, at)
				continue
			}
			st, err = e.Apply(st, ev)
			require.NoError(t, err, what)
		}
	}
	// The metrics no level watches ("reassigned", "nr", "time_to_assign")
	// are not walked: a mask from another metric's slot would walk them.
	for _, m := range []Metric{Resolution, FirstResponse, "first_touch_ok", "nq"} {
		assert.Positive(t, walked[m], "clocks of %s walked", m)
	}
}

// TestPolicyOfSharedBytes checks policyOf on names that share the bytes
// of a policy's own name without being it (a prefix, the empty string at
// its start) and on a name one longer: each is the policy Engine.policy
// finds for it (none here), never the policy whose bytes it shares.
func TestPolicyOfSharedBytes(t *testing.T) {
	e := memoEngine(t)
	for _, p := range e.policies {
		long := p.Name + "x"
		for _, name := range []string{p.Name[:len(p.Name)-1], p.Name[:0], p.Name[:1], long, long[:len(p.Name)]} {
			st := State{policy: name}
			assert.Same(t, e.policy(name), e.policyOf(&st), "policyOf(%q) of %s", name, p.Name)
		}
		st := State{policy: long[:len(p.Name)]}
		assert.Same(t, p, e.policyOf(&st), "a copy of %s", p.Name)
		st = State{policy: p.Name[:len(p.Name)-1]}
		assert.Nil(t, e.policyOf(&st), "a prefix of %s", p.Name)
	}
}
