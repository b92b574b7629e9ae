package sla

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
)

// TestLadderMasksTable checks the masks NewEngine keeps per policy: every
// metric's mask is the ladder's, whatever its place, the table ends with
// the OLA metrics, and a policy's ladder watches OLA cycles exactly when
// a level watches an OLA metric (named, or any).
func TestLadderMasksTable(t *testing.T) {
	notify := []escalation.Action{{Type: escalation.Notify, Target: "lead"}}
	at := escalation.Trigger{Kind: escalation.Percent, BasisPoints: 5000}
	for _, tc := range []struct {
		name    string
		metrics []string // the levels' metrics
		olas    bool     // a level watches OLA cycles
	}{
		{"time to own", []string{string(OLATimeToOwn)}, true},
		{"time to resolve", []string{string(FirstResponse), string(OLATimeToResolve)}, true},
		{"any metric", []string{escalation.AnyMetric}, true},
		{"built-in and custom metrics", []string{string(Resolution), "time_to_assign"}, false},
		{"the ticket as a whole", []string{""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var levels []escalation.Level
			for i, m := range tc.metrics {
				levels = append(levels, escalation.Level{Name: string(rune('a' + i)), Metric: m, At: at, Actions: notify})
			}
			lad, err := escalation.New("l", levels)
			require.NoError(t, err)
			never := func(*Ticket, *Event) (bool, error) { return false, nil }
			e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Escalation: "l",
				Targets: map[string]map[Metric]time.Duration{"normal": {Resolution: time.Hour}},
				Metrics: []CustomMetric{{Name: "time_to_assign", Start: never, Stop: never}},
			}}, Ladders: map[string]*escalation.Ladder{"l": lad}})
			require.NoError(t, err)
			p := e.policy("p")
			n := len(p.masks)
			require.GreaterOrEqual(t, n, 2)
			assert.Equal(t, OLATimeToOwn, p.masks[n-2].metric)
			assert.Equal(t, OLATimeToResolve, p.masks[n-1].metric)
			for _, m := range p.masks {
				assert.Equal(t, lad.Mask(string(m.metric)), m.mask, "mask of %s", m.metric)
				assert.Equal(t, lad.Mask(string(m.metric)), p.ladderMask(m.metric), "ladderMask(%s)", m.metric)
			}
			assert.Equal(t, tc.olas, p.watchesOLAs(), "watchesOLAs")
			assert.Equal(t, tc.olas, lad.Mask(string(OLATimeToOwn))|lad.Mask(string(OLATimeToResolve)) != 0)
		})
	}
}

// TestPolicyOf checks that policyOf finds what policy finds, for a name
// that is the policy's own string, a copy of it, an unknown name and none.
func TestPolicyOf(t *testing.T) {
	e := memoEngine(t)
	for _, p := range e.policies {
		for _, tc := range []struct{ what, name string }{
			{"the policy's own name", p.Name},
			{"a copy of the name", strings.Clone(p.Name)},
		} {
			st := State{policy: tc.name}
			assert.Same(t, e.policy(tc.name), e.policyOf(&st), "%s: %s", p.Name, tc.what)
			assert.Same(t, p, e.policyOf(&st), "%s: %s", p.Name, tc.what)
		}
	}
	for _, name := range []string{"", "unknown"} {
		st := State{policy: name}
		assert.Nil(t, e.policyOf(&st), "policyOf(%q)", name)
	}
}

// TestFireNanos checks how a state holds its next firing in Unix
// nanoseconds: an instant it can hold as it is, and in place of one it
// cannot (zero, which says none, and instants before 1698 or after 2242)
// a bound short of it.
func TestFireNanos(t *testing.T) {
	for _, tc := range []struct {
		name string
		at   time.Time
		held bool
	}{
		{"an instant of 2026", time.Date(2026, 3, 8, 1, 59, 59, 999999999, time.UTC), true},
		{"before 1970", time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{"Unix zero", time.Unix(0, 0), false},
		{"the last instant held", memoTime(memoLast), true},
		{"just past it", memoTime(memoLast).Add(time.Nanosecond), false},
		{"2900", time.Date(2900, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"1650", time.Date(1650, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"the zero instant", time.Time{}, false},
	} {
		ns, held := fireNanos(tc.at)
		assert.Equal(t, tc.held, held, "%s: held", tc.name)
		assert.NotZero(t, ns, "%s: zero says none", tc.name)
		if held {
			assert.True(t, memoTime(ns).Equal(tc.at), "%s: %s", tc.name, memoTime(ns))
		}
		var st State
		st.setFire(1, tc.at, true, false)
		assert.Equal(t, !tc.held, st.fireBound, "%s: a firing not held is a bound", tc.name)
		// Held as it is or not, the firing is after an instant only when
		// it truly is.
		after := 0
		for _, u := range []time.Time{tc.at.Add(-time.Nanosecond), tc.at, tc.at.Add(time.Nanosecond),
			memoTime(memoLast), memoTime(-memoLast), time.Unix(0, 0), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), {}} {
			if st.fireAfter(u) {
				after++
				assert.True(t, tc.at.After(u), "%s: fireAfter(%s)", tc.name, u)
			}
		}
		if held {
			assert.Positive(t, after, "%s: after no instant", tc.name)
		}
		st.setFire(1, tc.at, false, false)
		assert.Zero(t, st.fireAt, "%s: none", tc.name)
	}
}

// TestFireAtEdges replays tickets whose levels fall due at Unix zero and
// past the instants a state holds in Unix nanoseconds, and compares each
// view and each step with those of the same state made to search its next
// firing again.
func TestFireAtEdges(t *testing.T) {
	e := memoEngine(t)
	for _, tc := range []struct {
		name    string
		created time.Time
	}{
		{"a reminder at Unix zero", time.Date(1969, 12, 31, 23, 12, 0, 0, time.UTC)},
		{"across the last instant held", time.Date(2242, 3, 16, 12, 0, 0, 0, time.UTC)},
		{"past it", time.Date(2260, 5, 3, 9, 0, 0, 0, time.UTC)},
		{"2026", time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A billing ticket: its resolution's level falls due 20 minutes
			// in, before the first response's reminder at 80 %, so that the
			// search that fires it finds the reminder's instant too.
			st, err := e.Apply(State{}, Event{TicketID: "T", At: tc.created, Type: EventCreated, Channel: "email",
				Priority: "urgent", Tags: []string{"vip"}, Team: "billing"})
			require.NoError(t, err)
			again := func(st State) State {
				c := st.Clone()
				c.fireBy = 0
				return c
			}
			fired := 0
			at := tc.created
			for n := range 30 {
				at = at.Add(12 * time.Minute)
				what := fmt.Sprintf("step %d at %s", n, at.Format(time.RFC3339))
				require.Equal(t, e.Evaluate(again(st), at), e.Evaluate(st, at), what)
				if n == 1 || n == 12 {
					// A tag no condition reads, then a customer's message.
					ev := Event{TicketID: "T", At: at, Type: EventUpdate, Tags: []string{"seen"}}
					if n == 12 {
						ev = Event{TicketID: "T", At: at, Type: EventMessage, Author: AuthorCustomer}
					}
					var err1, err2 error
					other := again(st)
					st, err1 = e.Apply(st, ev)
					other, err2 = e.Apply(other, ev)
					require.NoError(t, err1)
					require.NoError(t, err2)
					require.Equal(t, stateText(t, e, &other), stateText(t, e, &st), what)
					continue
				}
				other := again(st)
				var got, want []Escalation
				st, got = e.Advance(st, at)
				other, want = e.Advance(other, at)
				require.Equal(t, want, got, what)
				require.Equal(t, stateText(t, e, &other), stateText(t, e, &st), what)
				fired += len(got)
				for _, x := range got {
					if tc.created.Year() == 1969 && x.At.Equal(time.Unix(0, 0)) {
						fired += 100
					}
				}
			}
			require.Positive(t, fired, "no level fired")
			if tc.created.Year() == 1969 {
				require.Greater(t, fired, 100, "the reminder fires at Unix zero")
			}
		})
	}
}
