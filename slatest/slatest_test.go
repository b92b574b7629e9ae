package slatest_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/sample"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// update is the test package's -update flag, which slatest.Golden honours.
var update = flag.Bool("update", false, "rewrite the golden files")

const multidesk = "../testdata/policies/multidesk.yaml"

// fakeTB records what the helpers report; Fatalf ends its goroutine like
// testing.T.FailNow.
type fakeTB struct {
	testing.TB
	errors  []string
	fatal   string
	helpers int
}

func (f *fakeTB) Helper()      { f.helpers++ }
func (f *fakeTB) Name() string { return "TestFake" }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fake runs fn with a fakeTB in its own goroutine and returns the record.
func fake(fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fn(f)
	}()
	wg.Wait()
	return f
}

func sp(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	return loc
}

// history: T1, a VIP billing WhatsApp ticket answered after 7 minutes
// (urgent: 5m); T2, an email answered in half an hour and solved.
func history(t testing.TB) []sla.Event {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	return slatest.NewHistory("T1", time.Date(2026, 3, 2, 9, 5, 0, 0, sp(t))).
		Created("whatsapp", "normal", "Problema de pagamento").
		WithCustomer(sla.Customer{ID: "c1", Tier: "vip"}).WithMessageID("wamid.1").
		After(7*time.Minute).Agent("Olá! Vou verificar.").
		Ticket("T2").At(time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)).
		Created("email", "", "Question about my order").
		After(30 * time.Minute).Agent("Here it is").
		After(10 * time.Minute).Status(sla.StatusSolved).
		Events()
}

func TestReplayAndAssertions(t *testing.T) {
	rec := slatest.Replay(t, slatest.LoadPolicy(t, multidesk), history(t))
	require.Len(t, rec.Results, 2)
	assert.Equal(t, 5, rec.Events)
	assert.Empty(t, rec.Errors)
	assert.Equal(t, "urgent", rec.Tickets["T1"].Priority)
	assert.Equal(t, time.Date(2026, 3, 2, 9, 12, 0, 0, sp(t)).Unix(), rec.At.Unix(), "at: the latest event")

	slatest.AssertNoErrors(t, rec)
	evs := history(t)
	i := slices.IndexFunc(evs, func(ev sla.Event) bool { return ev.TicketID == "T1" && ev.Type == sla.EventCreated })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, &sla.Customer{ID: "c1", Tier: "vip"}, evs[i].Customer, "WithCustomer")
	assert.Equal(t, "wamid.1", evs[i].MessageID, "WithMessageID")
	assert.Empty(t, evs[i+1].MessageID, "WithMessageID sets the last event only")
	slatest.AssertClock(t, rec, "T1", sla.FirstResponse, 1, sla.ClockBreached)
	// urgent (the VIP rule): 5 minutes of business time from 09:05 São Paulo
	slatest.AssertDeadline(t, rec, "T1", sla.FirstResponse, 1, time.Date(2026, 3, 2, 12, 10, 0, 0, time.UTC))
	slatest.AssertBreached(t, rec, "T1", sla.FirstResponse)
	slatest.AssertFired(t, rec, "T1", "remind")
	slatest.AssertNotFired(t, rec, "T1", "leadership")
	slatest.AssertClock(t, rec, "T2", sla.FirstResponse, 1, sla.ClockMet)
	slatest.AssertClock(t, rec, "T2", sla.Resolution, 1, sla.ClockMet)
	slatest.AssertNotFired(t, rec, "T2", "remind")
	assert.Equal(t, "T2", rec.Result(t, "T2").Ticket)
}

func TestReplayAt(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 40, 0, 0, sp(t))
	set := slatest.LoadPolicy(t, multidesk)
	for name, rec := range map[string]*slatest.Recorder{
		"set":    slatest.ReplayAt(t, set, history(t), at),
		"engine": slatest.ReplayAt(t, slatest.Engine(t, set), history(t), at),
		"config": slatest.ReplayAt(t, set.Config(), history(t), at),
	} {
		t.Run(name, func(t *testing.T) {
			assert.True(t, rec.At.Equal(at))
			slatest.AssertFired(t, rec, "T1", "billing-specialist") // 20 minutes of resolution on the billing team
		})
	}
}

// TestFailures checks that failing assertions fail the test, with
// messages that say what was expected and what there is.
func TestFailures(t *testing.T) {
	rec := slatest.Replay(t, slatest.LoadPolicy(t, multidesk), history(t))
	tests := []struct {
		name string
		run  func(tb testing.TB) bool
		want []string
	}{
		{"clock state", func(tb testing.TB) bool {
			return slatest.AssertClock(tb, rec, "T1", sla.FirstResponse, 1, sla.ClockMet)
		}, []string{"ticket T1: first_response cycle 1 is breached, want met", "first_response #1 breached: target 5m0s"}},
		{"no such cycle", func(tb testing.TB) bool {
			return slatest.AssertClock(tb, rec, "T1", sla.FirstResponse, 2, sla.ClockMet)
		}, []string{"ticket T1 has no first_response cycle 2"}},
		{"deadline", func(tb testing.TB) bool {
			return slatest.AssertDeadline(tb, rec, "T1", sla.FirstResponse, 1, time.Date(2026, 3, 2, 9, 15, 0, 0, sp(t)))
		}, []string{"ticket T1: first_response cycle 1 is due 2026-03-02T09:10:00-03:00, want 2026-03-02T09:15:00-03:00 (-5m0s)", "clocks of T1"}},
		{"no such cycle for a deadline", func(tb testing.TB) bool {
			return slatest.AssertDeadline(tb, rec, "T1", sla.FirstResponse, 2, time.Date(2026, 3, 2, 9, 15, 0, 0, sp(t)))
		}, []string{"ticket T1 has no first_response cycle 2 (want deadline 2026-03-02T09:15:00-03:00)"}},
		{"not breached", func(tb testing.TB) bool {
			return slatest.AssertBreached(tb, rec, "T2", sla.Resolution)
		}, []string{"ticket T2: no resolution cycle is breached", "policy email"}},
		{"not fired", func(tb testing.TB) bool {
			return slatest.AssertFired(tb, rec, "T2", "remind")
		}, []string{`ticket T2: level "remind" did not fire; no level fired`}},
		{"fired", func(tb testing.TB) bool {
			return slatest.AssertNotFired(tb, rec, "T1", "remind")
		}, []string{`ticket T1: level "remind" fired at 2026-03-02T09:09:00-03:00 for first_response cycle 1`}},
		{"unknown ticket", func(tb testing.TB) bool {
			return slatest.AssertFired(tb, rec, "T9", "remind")
		}, []string{`no ticket "T9" in the replay (tickets: T2, T1)`}},
		{"errors", func(tb testing.TB) bool {
			bad := slatest.Replay(tb, slatest.LoadPolicy(tb, multidesk), slatest.Events(tb,
				`{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp"}`,
				`{"ticket":"T1","at":"2026-03-02T09:06:00-03:00","type":"priority","priority":"someday"}`))
			return slatest.AssertNoErrors(tb, bad)
		}, []string{"slatest: replay:", "1 events refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			f := fake(func(tb testing.TB) { ok = tt.run(tb) })
			assert.False(t, ok)
			assert.Empty(t, f.fatal)
			require.NotEmpty(t, f.errors)
			all := strings.Join(f.errors, "\n")
			for _, w := range tt.want {
				assert.Contains(t, all, w)
			}
			assert.Positive(t, f.helpers, "t.Helper called")
		})
	}
}

func TestFatal(t *testing.T) {
	dir := t.TempDir()
	badPolicy := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(badPolicy, []byte("version: 1\nslas:\n  - name: x\n    targets: {normal: {first_response: 3d}}\n"), 0o644))
	tests := []struct {
		name string
		run  func(tb testing.TB)
		want string
	}{
		{"malformed event", func(tb testing.TB) {
			slatest.Events(tb, `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created"}`+"\n"+`{"ticket":"T1","at":"yesterday"}`)
		}, "events:2:"},
		{"unknown key", func(tb testing.TB) { slatest.Events(tb, `{"ticket":"T1","when":"now"}`) }, `events:1:16: unknown key "when"`},
		{"key case", func(tb testing.TB) { slatest.Events(tb, `{"ticket":"T1","Type":"note"}`) }, `events:1:16: unknown key "Type" (did you mean "type"? keys are exact)`},
		{"duplicate key", func(tb testing.TB) { slatest.Events(tb, `{"ticket":"T1","ticket":"T2"}`) }, `events:1:16: duplicate key "ticket"`},
		{"blank line", func(tb testing.TB) { slatest.Events(tb, "\n"+`{"ticket":"T1"}`+"\n\n"+`{"ticket":"T2"}`+"\n") }, `events:2: blank line`},
		{"every malformed line", func(tb testing.TB) { slatest.Events(tb, strings.Repeat("x\n", 12)+"x") },
			"events:1:1: want a JSON object, got 'x'\nevents:2:1: want a JSON object, got 'x'\n"},
		{"missing file", func(tb testing.TB) { slatest.ReadEvents(tb, filepath.Join(dir, "none.jsonl")) }, "no such file"},
		{"bad policy", func(tb testing.TB) { slatest.LoadPolicy(tb, badPolicy) }, "bad.yaml:4:"},
		{"nil engine", func(tb testing.TB) { slatest.Engine[*sla.Engine](tb, nil) }, "cannot build the engine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake(tt.run)
			assert.Contains(t, f.fatal, tt.want)
		})
	}
}

func TestEventsParsing(t *testing.T) {
	evs := slatest.Events(t,
		`
		{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","priority":"normal","customer":{"id":"c1","tier":"vip"},"text":"Problema de pagamento"}
		{"ticket":"T1","at":"2026-03-02T09:12:00-03:00","type":"message","author":"agent"}
		`,
		`{"ticket":"T1","at":"2026-03-02T09:20:00-03:00","type":"status","status":"solved"}`)
	require.Len(t, evs, 3)
	assert.Equal(t, "vip", evs[0].Customer.Tier)
	assert.Equal(t, sla.AuthorAgent, evs[1].Author)
	assert.Equal(t, sla.StatusSolved, evs[2].Status)
}

func TestReplayFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(
		`{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","text":"O app está fora do ar"}`+"\n"+
			`{"ticket":"T1","at":"2026-03-02T09:10:00-03:00","type":"message","author":"agent"}`+"\n"), 0o644))
	rec := slatest.ReplayFile(t, multidesk, path)
	assert.Equal(t, "high", rec.Tickets["T1"].Priority, "outage rule")
	slatest.AssertClock(t, rec, "T1", sla.FirstResponse, 1, sla.ClockMet)
}

func TestGolden(t *testing.T) {
	rec := slatest.Replay(t, slatest.LoadPolicy(t, multidesk), history(t))
	slatest.Golden(t, filepath.Join("testdata", "history.golden.jsonl"), rec.Results)

	// a difference reports the first line that differs
	path := filepath.Join(t.TempDir(), "g.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(rec.JSONLines()), `"T2"`, `"T3"`, 1)), 0o644))
	f := fake(func(tb testing.TB) { slatest.Golden(tb, path, rec.Results) })
	require.Len(t, f.errors, 1)
	assert.Contains(t, f.errors[0], "at line 1:")
	assert.Contains(t, f.errors[0], "rewrite the file with SLATEST_UPDATE=1 go test -run '^TestFake$' (or go test -run '^TestFake$' -update)")

	// a missing file says how to create it
	f = fake(func(tb testing.TB) { slatest.Golden(tb, filepath.Join(t.TempDir(), "none.jsonl"), rec.Results) })
	require.Len(t, f.errors, 1)
	assert.Contains(t, f.errors[0], "does not exist; create it with SLATEST_UPDATE=1 go test -run '^TestFake$'")

	// -update writes the file
	if !slatest.Updating() {
		require.NoError(t, flag.Set("update", "true"))
		defer func() { require.NoError(t, flag.Set("update", "false")) }()
		out := filepath.Join(t.TempDir(), "sub", "new.jsonl")
		require.True(t, slatest.Golden(t, out, rec.Results))
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, rec.JSONLines(), b)
	}
}

func TestCheckIncremental(t *testing.T) {
	set := slatest.LoadPolicy(t, multidesk)
	require.True(t, slatest.CheckIncremental(t, set, history(t)))

	var evs []sla.Event
	o := sample.Default()
	o.Tickets, o.Weeks = 400, 2
	for ev, err := range sample.Events(o) {
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	require.True(t, slatest.CheckIncremental(t, set, evs))
}

// TestCheckIncrementalClosesWhileTicking checks a ticket that closes by
// itself (close_solved_after) while the host's timer runs up to a later
// event of another ticket: the replay yields it at its close, when its
// WhatsApp window is still open, and so must the check (at the other
// ticket's instant, a day later, the window has expired).
func TestCheckIncrementalClosesWhileTicking(t *testing.T) {
	cfg := slatest.LoadPolicy(t, multidesk).Config()
	cfg.CloseSolvedAfter = 3 * time.Hour
	evs := slatest.Events(t,
		`{"ticket":"T1","at":"2026-03-02T10:00:00-03:00","type":"created","channel":"whatsapp","priority":"normal","text":"Oi"}`,
		`{"ticket":"T1","at":"2026-03-02T10:05:00-03:00","type":"message","author":"agent","text":"Olá"}`,
		`{"ticket":"T1","at":"2026-03-02T10:10:00-03:00","type":"status","status":"solved"}`,
		`{"ticket":"T2","at":"2026-03-03T12:00:00-03:00","type":"created","channel":"email","priority":"normal","text":"Hi"}`,
	)
	require.True(t, slatest.CheckIncremental(t, cfg, evs))
}

// TestCheckIncrementalFails feeds the check a router that behaves
// differently the second time round (a condition with hidden state), so the
// incremental path cannot agree with the replay.
func TestCheckIncrementalFails(t *testing.T) {
	calls := 0
	cfg := slatest.LoadPolicy(t, multidesk).Config()
	cfg.Rules = sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		calls++
		if calls <= 5 {
			return []string{"stateful"}, nil
		}
		return nil, nil
	})
	var ok bool
	f := fake(func(tb testing.TB) { ok = slatest.CheckIncremental(tb, cfg, history(t)) })
	assert.False(t, ok)
	require.NotEmpty(t, f.errors)
	assert.Contains(t, f.errors[0], "differs from Replay")
}

// SLATEST_UPDATE=1 asks for rewriting too, for packages without an -update
// flag.
func TestUpdatingFromEnvironment(t *testing.T) {
	t.Setenv(slatest.UpdateEnv, "1")
	assert.True(t, slatest.Updating())
	t.Setenv(slatest.UpdateEnv, "")
	assert.Equal(t, *update, slatest.Updating())
}
