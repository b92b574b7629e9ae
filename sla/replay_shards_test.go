package sla_test

import (
	"encoding/json"
	"iter"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// ticketLog is what a consumer of a replay had of each ticket, in order:
// its well-formed events, and its result with the latest instant.
type ticketLog map[string][]string

func (l ticketLog) event(ev *sla.Event) {
	l[ev.TicketID] = append(l[ev.TicketID], "event "+string(ev.Type)+" "+ev.At.Format(time.RFC3339Nano))
}

func (l ticketLog) result(r sla.Result, latest time.Time) {
	b, err := json.Marshal(r)
	if err != nil {
		b = []byte(err.Error())
	}
	l[r.Ticket] = append(l[r.Ticket], "result "+string(b)+" latest "+latest.Format(time.RFC3339Nano))
}

// logSink is a ShardSink that logs by ticket.
type logSink struct{ log ticketLog }

func (s *logSink) Event(ev *sla.Event)                   { s.log.event(ev) }
func (s *logSink) Result(r sla.Result, latest time.Time) { s.log.result(r, latest) }

// sequentialLog replays in with Replay, logging what a single consumer
// beside it sees, and returns the log and the problems apart.
func sequentialLog(e *sla.Engine, in iter.Seq2[sla.Event, error], at time.Time) (ticketLog, []string) {
	log := ticketLog{}
	var latest time.Time // of the events naming a ticket
	logged := func(yield func(sla.Event, error) bool) {
		for ev, err := range in {
			if err == nil {
				if ev.TicketID != "" && ev.At.After(latest) {
					latest = ev.At
				}
				log.event(&ev)
			}
			if !yield(ev, err) {
				return
			}
		}
	}
	var problems []string
	for r, err := range e.Replay(logged, at) {
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		log.result(r, latest)
	}
	return log, problems
}

// shardedLog replays in with ReplayShards into workers sinks and returns
// their logs, joined, and the problems; every ticket must be in one sink.
func shardedLog(t testing.TB, e *sla.Engine, in iter.Seq2[sla.Event, error], at time.Time, workers int) (ticketLog, []string) {
	t.Helper()
	sinks := make([]sla.ShardSink, workers)
	logs := make([]*logSink, workers)
	for i := range sinks {
		logs[i] = &logSink{log: ticketLog{}}
		sinks[i] = logs[i]
	}
	var problems []string
	for err := range e.ReplayShards(in, at, sinks) {
		require.Error(t, err)
		problems = append(problems, err.Error())
	}
	all := ticketLog{}
	for i, s := range logs {
		for id, l := range s.log {
			_, dup := all[id]
			require.False(t, dup, "ticket %q in sink %d and another", id, i)
			all[id] = l
		}
	}
	return all, problems
}

// shardCase is a history for ReplayShards: generated from seed, with
// malformed lines, a report instant in the middle, or events at the end
// that name no ticket or an unknown one.
type shardCase struct {
	name            string
	autoClose       bool // close_solved_after: 96h
	seed            uint64
	tickets, events int
	malformed       bool
	atMiddle        bool
	lateNoTicket    bool
}

var shardCases = []shardCase{
	{name: "small", seed: 1, tickets: 3, events: 40},
	{name: "several chunks", seed: 2, tickets: 20, events: 2500},
	{name: "malformed lines", seed: 3, tickets: 20, events: 1500, malformed: true},
	{name: "open tickets at a middle instant", seed: 4, tickets: 30, events: 1800, atMiddle: true},
	{name: "close solved after", autoClose: true, seed: 5, tickets: 20, events: 2200, malformed: true},
	{name: "latest event names no ticket", seed: 6, tickets: 10, events: 900, lateNoTicket: true},
	{name: "all of it", autoClose: true, seed: 7, tickets: 25, events: 2000, malformed: true, atMiddle: true, lateNoTicket: true},
}

// input returns the history of c and the report instant.
func (c shardCase) input(t testing.TB) (iter.Seq2[sla.Event, error], time.Time) {
	t.Helper()
	evs := manyTickets(rand.New(rand.NewPCG(c.seed, 19)), max(c.tickets, 1), max(c.events, 1))
	var at time.Time
	if c.atMiddle {
		at = evs[len(evs)/2].At
	}
	if c.lateNoTicket {
		last := evs[len(evs)-1].At
		evs = append(evs,
			events(t, `{"ticket":"late","at":"`+last.Add(time.Hour).Format(time.RFC3339)+`","type":"created"}`)[0],
			sla.Event{At: last.Add(5 * time.Hour), Type: sla.EventNote}, // no ticket id: a problem apart
			sla.Event{TicketID: "nobody", At: last.Add(2 * time.Hour), Type: sla.EventNote},
			sla.Event{TicketID: "late", At: last.Add(3 * time.Hour), Type: sla.EventStatus, Status: sla.StatusClosed})
	}
	if c.malformed {
		return withMalformed(evs), at
	}
	return seq2(evs), at
}

func (c shardCase) engine(t testing.TB) *sla.Engine {
	if c.autoClose {
		return mustEngine(t, autoCloseConfig(t))
	}
	return mustEngine(t, genConfig(t))
}

// ReplayShards gives each sink the events and results of its tickets, in
// the order and with the latest instant a consumer beside Replay sees,
// and yields Replay's problems in Replay's order, whatever the number of
// sinks.
func TestReplayShardsIsReplay(t *testing.T) {
	for _, c := range shardCases {
		t.Run(c.name, func(t *testing.T) {
			e := c.engine(t)
			in, at := c.input(t)
			want, wantProblems := sequentialLog(e, in, at)
			require.NotEmpty(t, want)
			if c.malformed || c.lateNoTicket {
				require.NotEmpty(t, wantProblems)
			}
			for _, workers := range []int{1, 2, 3, 8} {
				got, problems := shardedLog(t, e, in, at, workers)
				require.Equal(t, wantProblems, problems, "%d workers: problems", workers)
				require.Equal(t, want, got, "%d workers: what the sinks had", workers)
			}
			// Without sinks, only the problems.
			_, problems := shardedLog(t, e, in, at, 0)
			require.Equal(t, wantProblems, problems, "no sinks")
		})
	}
}

// The latest instant a sink is handed is that of the events naming a
// ticket, every shard's, read so far: not the later event that names
// none, read before T2 closes.
func TestReplayShardsLatest(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	evs := events(t,
		ev("2026-03-02T09:00:00-03:00", "created"),
		`{"ticket":"T2","at":"2026-03-02T10:00:00-03:00","type":"created"}`,
		`{"ticket":"T9","at":"2026-03-02T12:00:00-03:00","type":"note"}`)
	evs = append(evs, sla.Event{At: mustTime(t, "2026-03-02T15:00:00-03:00"), Type: sla.EventNote},
		events(t, `{"ticket":"T2","at":"2026-03-02T13:00:00-03:00","type":"status","status":"closed"}`)[0])
	for _, workers := range []int{1, 2, 3} {
		sinks := make([]sla.ShardSink, workers)
		logs := make([]*latestSink, workers)
		for i := range sinks {
			logs[i] = &latestSink{}
			sinks[i] = logs[i]
		}
		n := 0
		for range e.ReplayShards(seq2(evs), time.Time{}, sinks) {
			n++
		}
		assert.Equal(t, 2, n, "%d workers: problems apart", workers)
		got := map[string]string{}
		for _, s := range logs {
			for id, l := range s.latest {
				got[id] = l
			}
		}
		assert.Equal(t, map[string]string{
			"T1": "2026-03-02T16:00:00Z", "T2": "2026-03-02T16:00:00Z",
		}, got, "%d workers", workers)
	}
}

type latestSink struct{ latest map[string]string }

func (s *latestSink) Event(*sla.Event) {}
func (s *latestSink) Result(r sla.Result, latest time.Time) {
	if s.latest == nil {
		s.latest = map[string]string{}
	}
	s.latest[r.Ticket] = latest.UTC().Format(time.RFC3339)
}

// Stopping early stops every goroutine; the sinks had a part of the
// results, each whole.
func TestReplayShardsStop(t *testing.T) {
	c := shardCases[2] // malformed lines
	e := c.engine(t)
	in, at := c.input(t)
	_, wantProblems := sequentialLog(e, in, at)
	require.Greater(t, len(wantProblems), 3)
	for _, workers := range []int{1, 3} {
		sinks := []sla.ShardSink{}
		for range workers {
			sinks = append(sinks, &logSink{log: ticketLog{}})
		}
		var got []string
		for err := range e.ReplayShards(in, at, sinks) {
			got = append(got, err.Error())
			if len(got) == 3 {
				break
			}
		}
		assert.Equal(t, wantProblems[:3], got, "%d workers", workers)
	}
}

// FuzzReplayShards checks ReplayShards against Replay on generated
// histories; its seed corpus is the table of TestReplayShardsIsReplay.
func FuzzReplayShards(f *testing.F) {
	for i, c := range shardCases {
		f.Add(c.seed, uint8(c.tickets), uint16(c.events), c.flags(), uint8(2+i%7))
	}
	f.Fuzz(func(t *testing.T, seed uint64, tickets uint8, n uint16, flags, workers uint8) {
		c := shardCase{seed: seed, tickets: 1 + int(tickets)%40, events: 1 + int(n)%3000, autoClose: flags&1 != 0,
			malformed: flags&2 != 0, atMiddle: flags&4 != 0, lateNoTicket: flags&8 != 0}
		e := c.engine(t)
		in, at := c.input(t)
		want, wantProblems := sequentialLog(e, in, at)
		got, problems := shardedLog(t, e, in, at, 1+int(workers)%8)
		require.Equal(t, wantProblems, problems)
		require.Equal(t, want, got)
	})
}

// flags packs the switches of c for FuzzReplayShards.
func (c shardCase) flags() uint8 {
	var f uint8
	for i, b := range []bool{c.autoClose, c.malformed, c.atMiddle, c.lateNoTicket} {
		if b {
			f |= 1 << i
		}
	}
	return f
}

// A nil sink drops the results of its tickets, as no sink does: the
// replay still yields only the problems apart, and the other sinks get
// their own tickets as always.
func TestReplayShardsNilSink(t *testing.T) {
	c := shardCases[2] // malformed lines
	e := c.engine(t)
	in, at := c.input(t)
	want, wantProblems := sequentialLog(e, in, at)
	for _, workers := range []int{0, 1, 2, 3} { // no sink: every result dropped
		logs := make([]*logSink, max(workers, 1))
		sinks := make([]sla.ShardSink, workers)
		for i := 1; i < workers; i++ { // sinks[0] stays nil
			logs[i] = &logSink{log: ticketLog{}}
			sinks[i] = logs[i]
		}
		var problems []string
		for err := range e.ReplayShards(in, at, sinks) {
			require.Error(t, err, "%d workers", workers)
			problems = append(problems, err.Error())
		}
		assert.Equal(t, wantProblems, problems, "%d workers", workers)
		got := 0
		for _, l := range logs[1:] {
			for id, entries := range l.log {
				assert.Equal(t, want[id], entries, "%d workers, ticket %s", workers, id)
				got++
			}
		}
		if workers > 1 {
			assert.Positive(t, got, "%d workers: the other sinks had tickets", workers)
			assert.Less(t, got, len(want), "%d workers: the nil sink's tickets were dropped", workers)
		}
	}
}

// keptSink is a ShardSink that keeps a deep copy of each result (a sink
// must keep nothing of the result itself), by ticket.
type keptSink struct{ results map[string]sla.Result }

func (s *keptSink) Event(*sla.Event) {}

func (s *keptSink) Result(r sla.Result, _ time.Time) { s.results[r.Ticket] = deepResult(r) }

// deepResult returns a copy of r that shares no storage with it.
func deepResult(r sla.Result) sla.Result {
	r.Clocks, r.Escalations, r.OLAs = slices.Clone(r.Clocks), slices.Clone(r.Escalations), slices.Clone(r.OLAs)
	if r.WhatsApp != nil {
		w := *r.WhatsApp
		r.WhatsApp = &w
	}
	r.Rules, r.Teams, r.Handoffs = slices.Clone(r.Rules), slices.Clone(r.Teams), slices.Clone(r.Handoffs)
	r.Errors, r.Failures = slices.Clone(r.Errors), slices.Clone(r.Failures)
	r.Attributes.Tags, r.Attributes.Fields = slices.Clone(r.Attributes.Tags), maps.Clone(r.Attributes.Fields)
	return r
}

// The results a sink is given, made in storage the replay reuses, are
// Replay's whole, the parts the JSON form leaves out included (the time by
// team, the hand-offs, the attributes): storage handed out again never
// shows what an earlier result left in it. The histories hand tickets
// off between teams, some many times, some never, in turn.
func TestReplayShardsWholeResults(t *testing.T) {
	handedOff, split := 0, 0
	for _, c := range shardCases {
		t.Run(c.name, func(t *testing.T) {
			h, s := checkWholeResults(t, c, 1, 3)
			handedOff += h
			split += s
		})
	}
	assert.NotZero(t, handedOff, "results with hand-offs")
	assert.NotZero(t, split, "results with time split by team")
}

// checkWholeResults requires the results the sinks of ReplayShards on
// each of workers goroutines are given, deep-copied as they come, to be
// Replay's for c, field by field; it returns how many of them have
// hand-offs and how many time split by team.
func checkWholeResults(t testing.TB, c shardCase, workers ...int) (handedOff, split int) {
	e := c.engine(t)
	in, at := c.input(t)
	want := map[string]sla.Result{}
	for r, err := range e.Replay(in, at) {
		if err == nil {
			want[r.Ticket] = r
			handedOff += min(len(r.Handoffs), 1)
			split += min(len(r.Teams)/2, 1)
		}
	}
	for _, n := range workers {
		sinks := make([]sla.ShardSink, n)
		kept := make([]*keptSink, n)
		for i := range sinks {
			kept[i] = &keptSink{results: map[string]sla.Result{}}
			sinks[i] = kept[i]
		}
		for range e.ReplayShards(in, at, sinks) {
		}
		got := map[string]sla.Result{}
		for _, k := range kept {
			maps.Copy(got, k.results)
		}
		require.Equal(t, len(want), len(got), "%d workers: results", n)
		for id, w := range want {
			require.Equal(t, w, got[id], "%d workers: ticket %s", n, id)
		}
	}
	return handedOff, split
}

// FuzzReplayShardsWholeResults is TestReplayShardsWholeResults on
// generated histories, seeded from its table, with one sink (the replay
// that reuses its result storage in place) and with two.
func FuzzReplayShardsWholeResults(f *testing.F) {
	for _, c := range shardCases {
		f.Add(c.seed, uint8(c.tickets), uint16(c.events), c.flags())
	}
	f.Fuzz(func(t *testing.T, seed uint64, tickets uint8, n uint16, flags uint8) {
		c := shardCase{seed: seed, tickets: 1 + int(tickets)%40, events: 1 + int(n)%3000, autoClose: flags&1 != 0,
			malformed: flags&2 != 0, atMiddle: flags&4 != 0, lateNoTicket: flags&8 != 0}
		checkWholeResults(t, c, 1, 2)
	})
}
