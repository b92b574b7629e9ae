package whatsappwindow

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// verdictRef is the verdict as the rules state it, written apart from
// Tracker.verdict: the state from the smallest threshold reached among all
// of them, and Next as the first earliest of every instant at which the
// verdict changes, gathered in the rules' order. Tracker.verdict (which
// stops at the first threshold not reached) must match it field for field.
func verdictRef(t *Tracker, w Window, at time.Time) Verdict {
	v := Verdict{State: NeverOpened, TemplateRequired: true}
	var changes []time.Time
	if w.inFreeEntry(at) {
		v.FreeEntryPoint, v.FreeEntryPointUntil = true, w.FreeEntryEnd
		changes = append(changes, w.FreeEntryEnd)
	}
	if !w.LastUserAt.IsZero() {
		v.ClosesAt, v.State = w.ClosesAt(), Expired
	}
	if v.State == Expired && at.Before(v.ClosesAt) {
		v.Remaining = v.ClosesAt.Sub(at)
		changes = append(changes, v.ClosesAt)
		rejected := !w.RejectedAt.IsZero() && w.RejectedAt.Truncate(time.Second).After(w.LastUserAt.Truncate(time.Second))
		v.State = Open
		if rejected {
			v.State = Rejected
		}
		for _, d := range t.cfg.ClosingSoon {
			switch {
			case rejected:
			case v.Remaining > d:
				changes = append(changes, v.ClosesAt.Add(-d))
			case v.Threshold == 0 || d < v.Threshold:
				v.State, v.Threshold = ClosingSoon, d
			}
		}
		if until := v.ClosesAt.Add(-t.cfg.SendMargin); !rejected && at.Before(until) {
			v.FreeForm, v.FreeFormUntil, v.TemplateRequired = true, until, false
			changes = append(changes, until)
		}
	}
	for _, c := range changes {
		if v.Next.IsZero() || c.Before(v.Next) {
			v.Next = c
		}
	}
	return v
}

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(tb, err)
	return loc
}

// verdictTrackers are the configurations the differential tests use:
// none, the default, thresholds given shortest first, and thresholds that
// meet the send margin and the free entry point's end.
func verdictTrackers(tb testing.TB) []*Tracker {
	var ts []*Tracker
	for _, c := range []Config{
		{},
		DefaultConfig(),
		{ClosingSoon: []time.Duration{time.Minute, time.Hour, 23 * time.Hour, Length}, SendMargin: time.Hour},
		{ClosingSoon: []time.Duration{2 * time.Minute, 15 * time.Minute}, SendMargin: 2 * time.Minute},
	} {
		tr, err := New(c)
		require.NoError(tb, err)
		ts = append(ts, tr)
	}
	return ts
}

// verdictWindows are windows whose last user message falls on each side
// of a DST change in São Paulo (2018-11-04, the clocks went forward, and
// 2019-02-17, back) and New York (2026-03-08 and 2026-11-01), in UTC as
// Observe stores them and in the zone itself as a host may build them,
// with rejections, free entry points and a monotonic reading.
func verdictWindows(tb testing.TB) []Window {
	sp, ny := mustLoad(tb, "America/Sao_Paulo"), mustLoad(tb, "America/New_York")
	lasts := []time.Time{
		time.Date(2018, 11, 3, 12, 30, 0, 0, sp),   // the window spans the night the clocks went forward
		time.Date(2019, 2, 16, 23, 59, 59, 5, sp),  // and the night they went back
		time.Date(2026, 3, 7, 8, 0, 0, 0, ny),      // New York, spring forward
		time.Date(2026, 10, 31, 1, 30, 0, 999, ny), // and fall back
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Time{}.Add(-Length + 2*time.Hour), // the default 2h closing-soon edge at the zero instant
	}
	var ws []Window
	for _, last := range lasts {
		for _, l := range []time.Time{last.UTC(), last} {
			w := Window{LastUserAt: l}
			ws = append(ws, w)
			rej := w
			rej.RejectedAt = l.Add(time.Hour) // a rejection after the message
			ws = append(ws, rej)
			old := w
			old.RejectedAt = l.Add(-time.Hour) // one before it does not count
			ws = append(ws, old)
			fe := w
			fe.ReferralAt, fe.FreeEntryStart, fe.FreeEntryEnd = l, l.Add(time.Minute), l.Add(time.Minute+FreeEntryPointLength)
			ws = append(ws, fe)
			meet := w // the free entry point ends as the window closes
			meet.FreeEntryStart, meet.FreeEntryEnd = l.Add(-48*time.Hour), l.Add(Length)
			ws = append(ws, meet)
		}
	}
	// Never opened, with and without a free entry point; a reading of the
	// monotonic clock kept by Add.
	ws = append(ws, Window{}, Window{FreeEntryStart: lasts[0], FreeEntryEnd: lasts[0].Add(FreeEntryPointLength)})
	ws = append(ws, Window{LastUserAt: time.Now()})
	return ws
}

// verdictInstants are the instants a window is looked at: around each
// edge of its verdict (thresholds, the send margin, closing), by a
// nanosecond either side.
func verdictInstants(w Window) []time.Time {
	base := w.LastUserAt
	if base.IsZero() {
		base = w.FreeEntryStart
	}
	if base.IsZero() {
		base = time.Date(2026, 3, 8, 6, 59, 59, 0, time.UTC)
	}
	var ats []time.Time
	for _, d := range []time.Duration{0, time.Hour, 21 * time.Hour, 22 * time.Hour, 23 * time.Hour, 23*time.Hour + 45*time.Minute,
		Length - 2*time.Minute, Length - time.Minute, Length, 25 * time.Hour, FreeEntryPointLength} {
		for _, e := range []time.Duration{-1, 0, 1} {
			ats = append(ats, base.Add(d+e))
		}
	}
	return ats
}

func TestVerdictMatchesReference(t *testing.T) {
	states := map[State]int{}
	for _, tr := range verdictTrackers(t) {
		for wi, w := range verdictWindows(t) {
			for _, at := range verdictInstants(w) {
				got, want := tr.Verdict(w, at), verdictRef(tr, w, at)
				// == compares wall clock, monotonic reading and location.
				require.True(t, got == want, "config %+v, window %d %+v at %v:\n got %+v\nwant %+v", tr.cfg, wi, w, at, got, want)
				states[got.State]++
			}
		}
	}
	// Every state and a threshold met: a table that misses one cannot
	// show the loop's early stop wrong.
	for s := NeverOpened; s <= Rejected; s++ {
		require.Positive(t, states[s], "state %v never seen", s)
	}
}

// FuzzVerdictMatchesReference compares Tracker.Verdict with verdictRef on
// windows built from the fuzz input around the table's instants.
func FuzzVerdictMatchesReference(f *testing.F) {
	ws := verdictWindows(f)
	for i := range ws {
		f.Add(uint8(i), uint8(i%4), int64(0), int64(0), int64(0), int64(Length-1))
	}
	f.Add(uint8(0), uint8(1), int64(time.Hour), int64(-time.Minute), int64(time.Minute), int64(Length-15*time.Minute))
	trackers := verdictTrackers(f)
	f.Fuzz(func(t *testing.T, wi, ti uint8, rej, ref, fe, at int64) {
		w := ws[int(wi)%len(ws)]
		tr := trackers[int(ti)%len(trackers)]
		base := w.LastUserAt
		if base.IsZero() {
			base = time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
		}
		if rej != 0 {
			w.RejectedAt = base.Add(time.Duration(rej))
		}
		if ref != 0 {
			w.ReferralAt = base.Add(time.Duration(ref))
		}
		if fe != 0 {
			w.FreeEntryStart = base.Add(time.Duration(fe))
			w.FreeEntryEnd = w.FreeEntryStart.Add(FreeEntryPointLength)
		}
		when := base.Add(time.Duration(at))
		got, want := tr.Verdict(w, when), verdictRef(tr, w, when)
		if got != want {
			t.Fatalf("window %+v at %v:\n got %+v\nwant %+v", w, when, got, want)
		}
	})
}
