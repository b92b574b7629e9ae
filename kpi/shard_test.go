package kpi_test

import (
	"encoding/json"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// line is one line of a history: an event, or the error of reading it.
type line struct {
	ev  sla.Event
	err error
}

func lines(ls []line) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		for _, l := range ls {
			if !yield(l.ev, l.err) {
				return
			}
		}
	}
}

// sampleLines reads testdata/history/sample.jsonl.
func sampleLines(t testing.TB) []line {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "history", "sample.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	var out []line
	for ev, err := range sla.ReadEvents(f) {
		out = append(out, line{ev, err})
	}
	require.Greater(t, len(out), 20000)
	return out
}

// generated returns the generator's history for o.
func generated(t testing.TB, o sample.Options) []line {
	t.Helper()
	var out []line
	for ev, err := range sample.Events(o) {
		require.NoError(t, err)
		out = append(out, line{ev: ev})
	}
	return out
}

// damaged returns ls with problems every step lines: a malformed line,
// an event of a ticket never created, a created event dropped (its
// ticket's other events are then unknown), an event naming no ticket
// later than any other.
func damaged(ls []line, step int) []line {
	out := make([]line, 0, len(ls)+len(ls)/step+1)
	for i, l := range ls {
		switch i % step {
		case step / 2:
			out = append(out, line{ev: sla.Event{TicketID: l.ev.TicketID}, err: errors.New("damaged line")})
		case step / 3:
			l.ev.TicketID = "X" + l.ev.TicketID
		case step / 4:
			if l.ev.Type == sla.EventCreated {
				continue
			}
		}
		out = append(out, l)
	}
	last := ls[len(ls)-1].ev.At
	return append(out, line{ev: sla.Event{At: last.Add(72 * time.Hour), Type: sla.EventNote}})
}

// multidesk loads testdata/policies/multidesk.yaml.
func multidesk(t testing.TB) *policy.Set {
	t.Helper()
	set, err := policy.LoadFile(filepath.Join("..", "testdata", "policies", "multidesk.yaml"))
	require.NoError(t, err)
	return set
}

// reportConfig is the configuration slakit report builds: the policy's
// goals, the calendar each ticket's clocks count in, and the options.
func reportConfig(set *policy.Set, at time.Time, by []string, bucket kpi.Bucket, worst int) kpi.Config {
	cfg := set.KPIConfig()
	cfg.GroupBy, cfg.Bucket, cfg.Worst, cfg.At = by, bucket, worst, at
	cals := map[string]*calendar.Calendar{}
	for _, p := range set.Config().Policies {
		cals[p.Name] = p.Calendar
	}
	cfg.Calendar = func(pol, name string) *calendar.Calendar {
		if c := set.Calendar(name); c != nil {
			return c
		}
		return cals[pol]
	}
	if bucket != kpi.NoBucket {
		cfg.Location, _ = time.LoadLocation("America/Sao_Paulo")
	}
	return cfg
}

// sequentialReport sums in up beside Replay, as one accumulator does,
// and returns the report's JSON and the problems apart.
func sequentialReport(t testing.TB, eng *sla.Engine, cfg kpi.Config, in iter.Seq2[sla.Event, error], at time.Time) (string, []string) {
	t.Helper()
	acc, err := kpi.New(cfg)
	require.NoError(t, err)
	var problems []string
	for r, err := range eng.Replay(acc.Observing(in), at) {
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		acc.Add(r)
	}
	return reportJSON(t, acc), problems
}

// shardedReport sums in up on workers shards (sla.Engine.ReplayShards),
// each into its own accumulator's sink (wrapped by wrap, if not nil), and
// merges them.
func shardedReport(t testing.TB, eng *sla.Engine, cfg kpi.Config, in iter.Seq2[sla.Event, error], at time.Time,
	workers int, wrap func(sla.ShardSink) sla.ShardSink) (string, []string) {
	t.Helper()
	accs := make([]*kpi.Accumulator, workers)
	sinks := make([]sla.ShardSink, workers)
	for i := range accs {
		var err error
		accs[i], err = kpi.New(cfg)
		require.NoError(t, err)
		sinks[i] = accs[i].Sink()
		if wrap != nil {
			sinks[i] = wrap(sinks[i])
		}
	}
	var problems []string
	for err := range eng.ReplayShards(in, at, sinks) {
		problems = append(problems, err.Error())
	}
	for _, o := range accs[1:] {
		require.NoError(t, accs[0].Merge(o))
	}
	return reportJSON(t, accs[0]), problems
}

func reportJSON(t testing.TB, acc *kpi.Accumulator) string {
	t.Helper()
	b, err := json.MarshalIndent(acc.Report(), "", " ")
	require.NoError(t, err)
	return string(b)
}

// Accumulators fed on the shards of a replay (Sink) and merged give the
// report of one accumulator beside the sequential replay, to the byte,
// whatever the number of shards: on the sample history and on generated
// ones, with malformed lines, unknown tickets, tickets still open at the
// end or at the report instant, groups, buckets and the worst tickets.
func TestSinkIsSequential(t *testing.T) {
	set := multidesk(t)
	eng, err := set.Engine()
	require.NoError(t, err)
	whole := sampleLines(t)
	half := whole[:len(whole)/2] // many tickets still open at its end
	middle := half[len(half)/2].ev.At
	small := generated(t, sample.Options{Seed: 7, Tickets: 300, Weeks: 1})
	cases := []struct {
		name    string
		history []line
		at      time.Time
		by      []string
		bucket  kpi.Bucket
		worst   int
	}{
		{name: "sample by team and plan, weekly", history: whole, by: []string{"team", "fields.plan"}, bucket: kpi.Week},
		{name: "half the sample", history: half, by: []string{"channel", "priority"}, bucket: kpi.Day, worst: 20},
		{name: "half the sample at its middle", history: half, at: middle, by: []string{"status"}, worst: 5},
		{name: "half the sample damaged", history: damaged(half, 97), by: []string{"customer.tier"}, bucket: kpi.Month},
		{name: "generated", history: small, by: []string{"calendar"}, worst: 3},
		{name: "generated damaged, at its middle", history: damaged(small, 13), at: small[len(small)/2].ev.At,
			by: []string{"agent"}, bucket: kpi.Week},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := reportConfig(set, c.at, c.by, c.bucket, c.worst)
			want, wantProblems := sequentialReport(t, eng, cfg, lines(c.history), c.at)
			require.Contains(t, want, `"time_in_status"`)
			require.Equal(t, strings.Contains(c.name, "damaged"), len(wantProblems) > 0, "problems: %q", wantProblems)
			for _, workers := range []int{1, 2, 3, 8} {
				got, problems := shardedReport(t, eng, cfg, lines(c.history), c.at, workers, nil)
				require.Equal(t, wantProblems, problems, "%d workers: problems", workers)
				require.Equal(t, want, got, "%d workers", workers)
			}
		})
	}
}

// A shard's accumulator needs the latest instant of the whole history for
// the tickets still open: without it, their time in status is counted up
// to the latest event of its own tickets, and the merged report differs.
func TestSinkNeedsLatest(t *testing.T) {
	set := multidesk(t)
	eng, err := set.Engine()
	require.NoError(t, err)
	history := generated(t, sample.Options{Seed: 3, Tickets: 200, Weeks: 1})
	cfg := reportConfig(set, time.Time{}, nil, kpi.NoBucket, 0)
	want, _ := sequentialReport(t, eng, cfg, lines(history), time.Time{})
	blind := func(s sla.ShardSink) sla.ShardSink { return ownLatest{s} }
	got, _ := shardedReport(t, eng, cfg, lines(history), time.Time{}, 8, blind)
	assert.NotEqual(t, want, got)
	got, _ = shardedReport(t, eng, cfg, lines(history), time.Time{}, 8, nil)
	assert.Equal(t, want, got)
}

// ownLatest hides the replay's latest instant from a sink.
type ownLatest struct{ sla.ShardSink }

func (s ownLatest) Result(r sla.Result, _ time.Time) { s.ShardSink.Result(r, time.Time{}) }
