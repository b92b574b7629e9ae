package slatest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// Source is what [Replay] builds its engine from.
type Source interface {
	*sla.Engine | *policy.Set | sla.Config
}

// Recorder holds what a replay produced. Its fields may be read (and
// changed) freely by the test.
type Recorder struct {
	// Engine is the engine the history was replayed with.
	Engine *sla.Engine
	// At is the instant the tickets still open at the end were evaluated
	// at: the argument of [ReplayAt], or else the latest instant among the
	// events (the replay itself takes the latest one it could apply).
	At time.Time
	// Events is the number of events replayed.
	Events int
	// Results lists every result in the order the replay yielded them
	// (closed tickets as they closed, then the others in order of first
	// appearance).
	Results []sla.Result
	// Tickets holds the results by ticket id (for an id reused after a
	// close, the last one).
	Tickets map[string]sla.Result
	// Errors lists the events the engine refused, in replay order.
	Errors []error
}

// Result returns the result of the ticket id, failing the test (and
// returning the zero Result) when the replay has none.
func (r *Recorder) Result(t testing.TB, id string) sla.Result {
	t.Helper()
	res, ok := r.Tickets[id]
	if !ok {
		t.Errorf("slatest: no ticket %q in the replay (tickets: %s)", id, r.ids())
	}
	return res
}

func (r *Recorder) ids() string {
	const most = 10
	ids := make([]string, 0, most+1)
	for _, res := range r.Results {
		if len(ids) == most {
			ids = append(ids, fmt.Sprintf("... %d in all", len(r.Results)))
			break
		}
		ids = append(ids, res.Ticket)
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// JSONLines returns the replay output: one ticket result JSON a line, in
// the order of Results.
func (r *Recorder) JSONLines() []byte { return jsonLines(r.Results) }

func jsonLines(results []sla.Result) []byte {
	var b bytes.Buffer
	for _, res := range results {
		j, err := json.Marshal(res)
		if err != nil { // a Result always marshals
			panic(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// LoadPolicy loads a policy document, stopping the test with every error
// of the document (file:line:col: message) when it does not load.
func LoadPolicy(t testing.TB, path string) *policy.Set {
	t.Helper()
	set, err := policy.LoadFile(path)
	if err != nil {
		if l, ok := err.(policy.ErrorList); ok {
			t.Fatalf("slatest: policy %s does not load:\n%s", path, l.String())
		}
		t.Fatalf("slatest: policy %s does not load: %v", path, err)
	}
	return set
}

// Engine builds the engine of src, stopping the test if it cannot.
func Engine[S Source](t testing.TB, src S) *sla.Engine {
	t.Helper()
	var (
		eng *sla.Engine
		err error
	)
	switch s := any(src).(type) {
	case *sla.Engine:
		eng = s
	case *policy.Set:
		eng, err = s.Engine()
	case sla.Config:
		eng, err = sla.NewEngine(s)
	}
	if err == nil && eng == nil {
		err = fmt.Errorf("nil %T", src)
	}
	if err != nil {
		t.Fatalf("slatest: cannot build the engine: %v", err)
	}
	return eng
}

// Replay replays events (of any number of tickets, each ticket's in time
// order) with the engine of src and records the results; open tickets are
// evaluated at the latest event's instant. Every event the engine refuses
// fails the test.
func Replay[S Source](t testing.TB, src S, events []sla.Event) *Recorder {
	t.Helper()
	return ReplayAt(t, src, events, time.Time{})
}

// ReplayAt is [Replay] with the open tickets evaluated at the instant at
// (zero: the latest event's instant).
func ReplayAt[S Source](t testing.TB, src S, events []sla.Event, at time.Time) *Recorder {
	t.Helper()
	return replay(t, Engine(t, src), slices.Values(events), len(events), at)
}

// ReplayFile loads the policy at policyPath and replays the JSON Lines
// events file at eventsPath with it (see [Replay]).
func ReplayFile(t testing.TB, policyPath, eventsPath string) *Recorder {
	t.Helper()
	set := LoadPolicy(t, policyPath)
	evs := ReadEvents(t, eventsPath)
	return Replay(t, set, evs)
}

func replay(t testing.TB, eng *sla.Engine, events iter.Seq[sla.Event], n int, at time.Time) *Recorder {
	t.Helper()
	rec := &Recorder{Engine: eng, Events: n, Tickets: map[string]sla.Result{}}
	latest := at
	seq := func(yield func(sla.Event, error) bool) {
		for ev := range events {
			if at.IsZero() && ev.At.After(latest) {
				latest = ev.At
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
	for res, err := range eng.Replay(seq, at) {
		if err != nil { // an event of no live ticket
			rec.Errors = append(rec.Errors, err)
			t.Errorf("slatest: replay: %v", err)
			continue
		}
		rec.Results = append(rec.Results, res)
		rec.Tickets[res.Ticket] = res
		for _, err := range res.Errors {
			rec.Errors = append(rec.Errors, err)
			t.Errorf("slatest: replay: %v", err)
		}
	}
	rec.At = latest
	return rec
}

// Events parses events in the JSON form of the events file, as
// [sla.ReadEvents] reads them: keys spelt exactly, none unknown or
// repeated, instants with a UTC offset. Each argument holds one event or
// several, one a line; white space around an argument is dropped (so a
// raw string may start on a line of its own), and the arguments are then
// read as the lines of one file, named "events" in errors. Malformed
// lines, blank lines included, stop the test with their line numbers.
func Events(t testing.TB, jsonLines ...string) []sla.Event {
	t.Helper()
	args := make([]string, len(jsonLines))
	for i, a := range jsonLines {
		args[i] = strings.TrimSpace(a)
	}
	evs, err := parse(strings.NewReader(strings.Join(args, "\n")), "events")
	if err != nil {
		t.Fatalf("slatest: %v", err)
	}
	return evs
}

// ReadEvents reads a JSON Lines events file (see [Events]).
func ReadEvents(t testing.TB, path string) []sla.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("slatest: %v", err)
	}
	defer f.Close()
	evs, err := parse(f, path)
	if err != nil {
		t.Fatalf("slatest: %v", err)
	}
	return evs
}

// parse reads events with sla.ReadEvents; the error lists every malformed
// line (the first ten) as name:line:col: message.
func parse(r io.Reader, name string) ([]sla.Event, error) {
	const most = 10
	var (
		evs  []sla.Event
		msgs []string
		bad  int
	)
	for ev, err := range sla.ReadEvents(r) {
		if err == nil {
			evs = append(evs, ev)
			continue
		}
		bad++
		if bad > most {
			continue
		}
		var re *sla.ReadError
		switch {
		case !errors.As(err, &re):
			msgs = append(msgs, fmt.Sprintf("%s: %v", name, err))
		case re.Col > 0:
			msgs = append(msgs, fmt.Sprintf("%s:%d:%d: %s", name, re.Line, re.Col, re.Msg))
		default:
			msgs = append(msgs, fmt.Sprintf("%s:%d: %s", name, re.Line, re.Msg))
		}
	}
	if bad > most {
		msgs = append(msgs, fmt.Sprintf("and %d more malformed lines", bad-most))
	}
	if bad > 0 {
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return evs, nil
}
