package kpi_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/require"
)

var (
	genStatuses = []sla.Status{sla.StatusNew, sla.StatusOpen, sla.StatusPending, sla.StatusSolved, sla.StatusClosed}
	genStates   = []sla.ClockState{sla.ClockMet, sla.ClockBreached, sla.ClockRunning, sla.ClockPaused, sla.ClockCancelled}
	genMetrics  = []sla.Metric{sla.FirstResponse, sla.NextResponse, sla.Resolution, "time_to_assign"}
	genTeams    = []string{"", "billing", "tier2"}
	genActions  = []escalation.ActionType{escalation.Notify, escalation.Assign, escalation.Escalate}
)

// genResult makes a random ticket result (or, now and then, a result that
// is not a ticket).
func genResult(rng *rand.Rand, i int) sla.Result {
	if rng.IntN(40) == 0 {
		return sla.Result{}
	}
	id := string(rune('A'+i%26)) + string(rune('a'+i/26%26))
	st := genStatuses[rng.IntN(len(genStatuses))]
	r := sla.Result{View: sla.View{Ticket: id, Policy: []string{"", "std", "vip"}[rng.IntN(3)],
		Priority: []string{"urgent", "normal"}[rng.IntN(2)], Status: st},
		Attributes: sla.Ticket{ID: id, Status: st, Channel: []string{"email", "whatsapp", ""}[rng.IntN(3)],
			Team:      genTeams[rng.IntN(len(genTeams))],
			CreatedAt: time.Date(2026, 3, 1+rng.IntN(14), rng.IntN(24), 0, 0, 0, time.UTC)}}
	r.Stats.AgentReplies = rng.IntN(4)
	r.Stats.Reopens = rng.IntN(3) / 2
	r.Stats.Escalations = rng.IntN(5) / 4
	r.Stats.CSAT = rng.IntN(7) - 1
	if rng.IntN(2) == 0 {
		r.Stats.SolvedAt = r.Attributes.CreatedAt.Add(time.Hour)
	}
	if r.Policy == "" {
		return r
	}
	for _, m := range genMetrics {
		for c := range rng.IntN(3) {
			r.Clocks = append(r.Clocks, sla.Clock{Metric: m, Cycle: c + 1, State: genStates[rng.IntN(len(genStates))],
				Elapsed: time.Duration(rng.IntN(50000)) * time.Second})
			if m == sla.Resolution {
				for _, team := range genTeams[:1+rng.IntN(3)] {
					r.Teams = append(r.Teams, sla.TeamTime{Metric: m, Cycle: c + 1, Team: team,
						Elapsed: time.Duration(1+rng.IntN(9000)) * time.Second})
				}
			}
		}
	}
	if rng.IntN(4) == 0 {
		r.Escalations = []sla.Escalation{{Metric: sla.FirstResponse, Cycle: 1,
			Actions: []escalation.Action{{Type: genActions[rng.IntN(3)], Target: "x"}}}}
	}
	return r
}

var propConfig = kpi.Config{GroupBy: []string{"priority", "channel", "team", "policy"}, Bucket: kpi.Day,
	Goals: []kpi.Goal{kpi.MustParseGoal("sla_compliance", ">= 95%"), kpi.MustParseGoal("resolution_p90", "<= 8h")}}

func accOf(t testing.TB, rs []sla.Result) *kpi.Accumulator {
	t.Helper()
	a := mustNew(t, propConfig)
	for _, r := range rs {
		a.Add(r)
	}
	return a
}

// merged merges the accumulators of the parts, left to right.
func merged(t testing.TB, parts ...[]sla.Result) *kpi.Accumulator {
	t.Helper()
	a := mustNew(t, propConfig)
	for _, p := range parts {
		require.NoError(t, a.Merge(accOf(t, p)))
	}
	return a
}

func TestPropertyMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 60 {
		n := rng.IntN(120)
		rs := make([]sla.Result, n)
		for i := range rs {
			rs[i] = genResult(rng, i)
		}
		whole := mustJSON(t, accOf(t, rs).Report())

		// Random shards, merged in a random order, sum to the whole.
		k := 1 + rng.IntN(6)
		shards := make([][]sla.Result, k)
		for _, r := range rs {
			j := rng.IntN(k)
			shards[j] = append(shards[j], r)
		}
		rng.Shuffle(k, func(i, j int) { shards[i], shards[j] = shards[j], shards[i] })
		require.Equal(t, whole, mustJSON(t, merged(t, shards...).Report()), "round %d: shards", round)

		// Associative and commutative, on three random parts.
		c1, c2 := rng.IntN(n+1), rng.IntN(n+1)
		c1, c2 = min(c1, c2), max(c1, c2)
		a, b, c := rs[:c1], rs[c1:c2], rs[c2:]
		ab := merged(t, a, b)
		require.NoError(t, ab.Merge(accOf(t, c)))
		bc := merged(t, b, c)
		abc := accOf(t, a)
		require.NoError(t, abc.Merge(bc))
		require.Equal(t, mustJSON(t, ab.Report()), mustJSON(t, abc.Report()), "round %d: (a+b)+c = a+(b+c)", round)
		require.Equal(t, whole, mustJSON(t, ab.Report()), "round %d: (a+b)+c = whole", round)
		require.Equal(t, mustJSON(t, merged(t, a, b).Report()), mustJSON(t, merged(t, b, a).Report()), "round %d: a+b = b+a", round)

		// Adding goes on after a merge: a, merged with b, then c added.
		grown := accOf(t, a)
		require.NoError(t, grown.Merge(accOf(t, b)))
		for _, r := range c {
			grown.Add(r)
		}
		require.Equal(t, whole, mustJSON(t, grown.Report()), "round %d: a+b, then c added", round)

		// Merging leaves its argument unchanged.
		bAcc := accOf(t, b)
		before := mustJSON(t, bAcc.Report())
		require.NoError(t, accOf(t, a).Merge(bAcc))
		require.Equal(t, before, mustJSON(t, bAcc.Report()), "round %d: argument changed", round)
	}
}

// TestPropertyFixtureShards replays the fixture, splits its results into
// random shards and checks that they merge into the golden report.
func TestPropertyFixtureShards(t *testing.T) {
	rs := replay(t, fixtureEngine(t), readEvents(t, "testdata/history.jsonl"), fixtureAt)
	acc := mustNew(t, fixtureConfig())
	for _, r := range rs {
		acc.Add(r)
	}
	want := mustJSON(t, acc.Report())
	rng := rand.New(rand.NewPCG(4, 4))
	for range 30 {
		k := 1 + rng.IntN(len(rs))
		shards := make([]*kpi.Accumulator, k)
		for i := range shards {
			shards[i] = mustNew(t, fixtureConfig())
		}
		for _, r := range rs {
			shards[rng.IntN(k)].Add(r)
		}
		rng.Shuffle(k, func(i, j int) { shards[i], shards[j] = shards[j], shards[i] })
		for _, s := range shards[1:] {
			require.NoError(t, shards[0].Merge(s))
		}
		require.Equal(t, want, mustJSON(t, shards[0].Report()))
	}
}

// TestPropertyPercentiles checks the percentiles of large random sets
// (sorted by radix sort inside) against a sort of their own.
func TestPropertyPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for round := range 20 {
		n := 1 + rng.IntN(3000)
		a := mustNew(t, kpi.Config{})
		vals := make([]int64, n)
		for i := range vals {
			switch rng.IntN(3) {
			case 0:
				vals[i] = rng.Int64N(100)
			case 1:
				vals[i] = rng.Int64N(1 << 20)
			default:
				vals[i] = rng.Int64N(1 << 32)
			}
			a.Add(result("T", sla.StatusSolved, clock(sla.Resolution, sla.ClockMet, time.Duration(vals[i])*time.Second)))
		}
		slices.Sort(vals)
		rank := func(p int) int64 { return vals[max((p*n+99)/100, 1)-1] }
		m := a.Report().Metrics[sla.Resolution]
		require.Equal(t, rank(50), *m.P50Seconds, "round %d n %d", round, n)
		require.Equal(t, rank(90), *m.P90Seconds, "round %d n %d", round, n)
		require.Equal(t, rank(95), *m.P95Seconds, "round %d n %d", round, n)
	}
}
