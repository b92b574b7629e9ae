package streamcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// Files opens the named files of dir as inputs named by their base name.
func Files(t testing.TB, dir string, names ...string) []importer.Input {
	t.Helper()
	var in []importer.Input
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, importer.Input{Name: name, R: bytes.NewReader(b)})
	}
	return in
}

// Seeds adds the named files of dir to a fuzz target's corpus.
func Seeds(f *testing.F, dir string, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// Replay replays evs through the policy document at path, evaluated at
// the instant at, and returns each ticket's status. It fails the test for
// a result with errors, without clocks (no verdict), or reported twice.
func Replay(t testing.TB, path string, evs []sla.Event, at time.Time) map[string]sla.Status {
	t.Helper()
	set, err := policy.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := set.Engine()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]sla.Status{}
	for res, err := range eng.Replay(Seq(evs), at) {
		if err != nil {
			t.Errorf("replay: %v", err)
			continue
		}
		if len(res.Errors) > 0 {
			t.Errorf("ticket %s: %v", res.Ticket, res.Errors)
		}
		if len(res.Clocks) == 0 {
			t.Errorf("ticket %s: no clocks, no verdict", res.Ticket)
		}
		if _, twice := got[res.Ticket]; twice {
			t.Errorf("ticket %s reported twice", res.Ticket)
		}
		got[res.Ticket] = res.Status
	}
	return got
}

// Statuses lists the statuses of events.
func Statuses(evs []sla.Event) []sla.Status {
	var out []sla.Status
	for _, ev := range evs {
		out = append(out, ev.Status)
	}
	return out
}
