// Package slatest provides utilities for testing code that embeds slakit,
// as net/http/httptest does for HTTP handlers: replay a ticket history
// against a policy inside a Go test in a few lines, and check what came
// out with helpers that fail the test for the caller.
//
//	func TestVIPBilling(t *testing.T) {
//		evs := slatest.Events(t,
//			`{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","customer":{"id":"c1","tier":"vip"},"text":"Problema de pagamento"}`,
//			`{"ticket":"T1","at":"2026-03-02T09:12:00-03:00","type":"message","author":"agent"}`,
//		)
//		rec := slatest.Replay(t, slatest.LoadPolicy(t, "testdata/policies/multidesk.yaml"), evs)
//		slatest.AssertClock(t, rec, "T1", sla.FirstResponse, 1, sla.StateBreached) // urgent: 5m
//		slatest.AssertFired(t, rec, "T1", "remind")
//	}
//
// # Replaying
//
// [Replay] takes an engine source (an [*sla.Engine], a [*policy.Set] or an
// [sla.Config]) and the events, runs [sla.Engine.Replay] and returns a
// [*Recorder] whose exported fields hold every result, in replay order and
// by ticket. [ReplayAt] evaluates the open tickets at a given instant
// instead of the latest event's. [ReplayFile] does the same from a policy
// file and a JSON Lines events file. Events the engine refuses fail the
// test (with [testing.TB.Errorf], naming the ticket, the event and the
// reason) and are kept in [Recorder.Errors].
//
// # Building events
//
// [Events] parses events in the JSON form of the events file (see
// docs/events.md), one per argument or one per line, and [ReadEvents]
// reads a file; both read with [sla.ReadEvents], as the slakit command
// does, and fail the test with the line (and column) of every malformed
// event. [NewHistory] is a small builder for the common cases: a ticket
// created at an instant (with [History.WithCustomer] and
// [History.WithMessageID] for its requester and message id), then customer
// and agent messages, status changes, assignments and ratings at offsets.
//
// # Assertions
//
// [AssertClock], [AssertDeadline], [AssertBreached], [AssertFired],
// [AssertNotFired] and [AssertNoErrors] report a failure with [testing.TB.Errorf] and return
// whether the check held, so a test goes on and reports every failure;
// messages say what was expected and what the ticket has (its clocks or
// fired levels). They call [testing.TB.Helper], so failures point at the
// caller's line. Setup failures (a policy that does not load, a file that
// does not parse) stop the test with [testing.TB.Fatalf].
//
// # Conformance
//
// [CheckIncremental] runs a history the way a host embedding the engine
// does (Apply event by event, the State stored as JSON in between,
// Advance at every View.NextWake) and fails the test when the results
// differ from the replay's, as testing/fstest.TestFS checks a file
// system.
//
// # Golden files
//
// [Golden] compares the replay output (one ticket result JSON a line, as
// the replay command prints it) with a file, and rewrites the file when
// the test binary runs with -update:
//
//	slatest.Golden(t, "testdata/replay.golden.jsonl", rec.Results)
//	// rewrite: SLATEST_UPDATE=1 go test -run TestReplay
//
// slatest defines no flag of its own, so it never collides with the
// test package's: -update works when the test package defines a boolean
// update flag (var update = flag.Bool("update", false, "...")), and
// SLATEST_UPDATE=1 go test ... works everywhere. A failing comparison
// names the command that rewrites the file.
//
// slatest never reads the system clock: every instant comes from the
// events.
//
// [events file]: https://github.com/slakit/slakit/blob/main/docs/events.md
package slatest
