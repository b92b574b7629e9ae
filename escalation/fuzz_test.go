package escalation_test

import (
	"testing"
	"time"

	"github.com/slakit/slakit/escalation"
)

// FuzzParseTrigger: any text either parses to a trigger that prints back to itself, or fails
// with ErrBadTrigger; never a panic.
func FuzzParseTrigger(f *testing.F) {
	for _, s := range []string{"80%", "12.5%", "breach", "breach-30m", "breach+2h", "20m", "window-2h", "3d", "", "%", "breach+", "window-", "1e9%", "99999999999999999999%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := escalation.ParseTrigger(s)
		if err != nil {
			return
		}
		again, err := escalation.ParseTrigger(tr.String())
		if err != nil || again != tr {
			t.Fatalf("ParseTrigger(%q) = %v; its String %q parses to %v, %v", s, tr, tr.String(), again, err)
		}
	})
}

// FuzzNext: a firing is never before the clock's instant, never on a stopped clock, and Due
// over a split interval equals Due over the whole.
func FuzzNext(f *testing.F) {
	f.Add("80%", int64(time.Hour), int64(0), int64(0), true, int64(36*time.Hour))
	f.Add("breach+2h", int64(15*time.Minute), int64(time.Hour), int64(3*time.Hour), true, int64(5*time.Hour))
	f.Add("window-2h", int64(time.Hour), int64(0), int64(0), false, int64(20*time.Hour))
	f.Fuzz(func(t *testing.T, trigger string, target, elapsed, offset int64, running bool, split int64) {
		tr, err := escalation.ParseTrigger(trigger)
		if err != nil {
			return
		}
		l, err := escalation.New("l", []escalation.Level{{Name: "x", At: tr, During: nyOffice,
			Actions: []escalation.Action{{Type: escalation.Notify, Target: "a"}}}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 3, 6, 9, 0, 0, 0, sp)
		at := start.Add(time.Duration(offset % int64(100*time.Hour)))
		c := escalation.Clock{Metric: "m", Cycle: 1, Start: start, At: at, Target: time.Duration(target % int64(1000*time.Hour)),
			Elapsed: time.Duration(elapsed % int64(1000*time.Hour)), Running: running, Calendar: spDesk,
			WindowClosesAt: start.Add(24 * time.Hour)}
		fr, ok := l.Next(&c, nil)
		if ok && (fr.At.Before(at) || !running) {
			t.Fatalf("Next = %s for a clock at %s running %v", fr.At, at, running)
		}
		end := at.Add(30 * 24 * time.Hour)
		mid := at.Add(time.Duration(split % int64(30*24*time.Hour)))
		if mid.Before(at) {
			mid = at
		}
		whole := l.Due(nil, c, nil, at, end)
		parts := l.Due(l.Due(nil, c, nil, at, mid), c, nil, mid, end)
		if len(whole) != len(parts) {
			t.Fatalf("Due over (%s, %s] = %d firings, split at %s = %d", at, end, len(whole), mid, len(parts))
		}
	})
}
