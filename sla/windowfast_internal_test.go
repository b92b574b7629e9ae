package sla

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/whatsappwindow"
)

// businessWindows are windows as the engine keeps them, around DST changes
// in São Paulo and New York: keyed or not, with or without a free entry
// point candidate, a free entry point open or denied, rejections.
func businessWindows() []whatsappwindow.Window {
	sp, ny := mustZone("America/Sao_Paulo"), mustZone("America/New_York")
	key := whatsappwindow.Key{Business: "sla", User: "5511987654321"}
	var ws []whatsappwindow.Window
	for _, last := range []time.Time{
		time.Date(2018, 11, 3, 23, 30, 0, 0, sp), // the night São Paulo's clocks went forward
		time.Date(2019, 2, 16, 23, 30, 0, 7, sp), // and back
		time.Date(2026, 3, 8, 1, 59, 59, 0, ny),  // New York, spring forward
		time.Date(2026, 11, 1, 1, 30, 0, 0, ny),  // and fall back
	} {
		last = last.UTC() // as Observe stores it
		plain := whatsappwindow.Window{Key: key, LastUserAt: last, LastUserMessageID: "m1", Seen: []string{"m1"}}
		ws = append(ws, plain, whatsappwindow.Window{}, whatsappwindow.Window{LastUserAt: last})
		rej := plain
		rej.RejectedAt = last.Add(time.Hour)
		ws = append(ws, rej)
		ref := plain
		ref.ReferralAt = last
		ws = append(ws, ref)
		open := ref
		open.FreeEntryStart, open.FreeEntryEnd = last.Add(time.Minute), last.Add(time.Minute+whatsappwindow.FreeEntryPointLength)
		ws = append(ws, open)
		denied := ref
		denied.FreeEntryStart, denied.FreeEntryEnd = last.Add(time.Minute), last.Add(time.Minute)
		ws = append(ws, denied)
		noRef := plain // a free entry point whose candidate is not kept
		noRef.FreeEntryStart, noRef.FreeEntryEnd = last, last.Add(whatsappwindow.FreeEntryPointLength)
		ws = append(ws, noRef)
	}
	return ws
}

func cloneWindow(w whatsappwindow.Window) whatsappwindow.Window {
	w.Seen = slices.Clone(w.Seen)
	return w
}

// checkBusinessKeeps observes a business message as observeWindow builds
// it on a copy of w at at, and fails if businessKeeps(w) said it would
// change nothing and it changed something. It reports whether the message
// changed the window.
func checkBusinessKeeps(t *testing.T, tr *whatsappwindow.Tracker, w whatsappwindow.Window, at time.Time) bool {
	t.Helper()
	key := w.Key
	if key == (whatsappwindow.Key{}) {
		key = whatsappwindow.Key{Business: "sla", User: "T1"}
	}
	got := cloneWindow(w)
	changed, _ := tr.Observe(&got, whatsappwindow.Observation{Key: key, Kind: whatsappwindow.BusinessMessage,
		MessageID: "b1", At: at}, time.Time{})
	if businessKeeps(&w) {
		require.False(t, changed, "window %+v at %v: Observe changed it", w, at)
		require.True(t, reflect.DeepEqual(w, got), "window %+v at %v: became %+v", w, at, got)
	}
	return changed
}

// TestBusinessKeepsMatchesObserve: wherever observeWindow skips Observe for
// a business message, Observe would have left the window as it was; and
// the windows it does not skip are changed by some message, so the test
// fails if the skip were taken for them.
func TestBusinessKeepsMatchesObserve(t *testing.T) {
	tr, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(t, err)
	kept, changedOnce := 0, 0
	for _, w := range businessWindows() {
		base := w.LastUserAt
		if base.IsZero() {
			base = time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
		}
		changed := false
		for _, d := range []time.Duration{-time.Hour, 0, time.Nanosecond, time.Minute, 23 * time.Hour, whatsappwindow.Length,
			whatsappwindow.Length + time.Hour, whatsappwindow.FreeEntryPointLength} {
			changed = checkBusinessKeeps(t, tr, w, base.Add(d)) || changed
		}
		if businessKeeps(&w) {
			kept++
		} else if changed {
			changedOnce++
		}
	}
	require.Positive(t, kept)
	require.Positive(t, changedOnce, "no window that the skip leaves out is changed by a business message")
}

// FuzzBusinessKeepsMatchesObserve is TestBusinessKeepsMatchesObserve on the
// table's windows with a candidate, a free entry point and an instant from
// the input.
func FuzzBusinessKeepsMatchesObserve(f *testing.F) {
	ws := businessWindows()
	for i := range ws {
		f.Add(uint8(i), int64(0), int64(0), int64(time.Minute))
	}
	tr, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, wi uint8, ref, fe, at int64) {
		w := ws[int(wi)%len(ws)]
		base := time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
		if ref != 0 {
			w.ReferralAt = base.Add(time.Duration(ref))
		}
		if fe != 0 {
			w.FreeEntryStart = base.Add(time.Duration(fe))
			w.FreeEntryEnd = w.FreeEntryStart.Add(whatsappwindow.FreeEntryPointLength)
		}
		checkBusinessKeeps(t, tr, w, base.Add(time.Duration(at)))
	})
}

// closedByCases are pairs (the last user message, an instant) around the
// window's close, across DST changes in São Paulo and New York, to the
// nanosecond, and far instants that take the general path.
func closedByCases() [][2]time.Time {
	sp, ny := mustZone("America/Sao_Paulo"), mustZone("America/New_York")
	var cs [][2]time.Time
	for _, last := range []time.Time{
		time.Date(2018, 11, 3, 12, 0, 0, 0, sp),
		time.Date(2019, 2, 16, 23, 30, 0, 999_999_999, sp),
		time.Date(2026, 3, 7, 2, 30, 0, 1, ny),
		time.Date(2026, 10, 31, 1, 30, 0, 0, ny),
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		for _, l := range []time.Time{last, last.UTC()} {
			for _, d := range []time.Duration{-whatsappwindow.Length, 0, time.Hour, whatsappwindow.Length - time.Second,
				whatsappwindow.Length, whatsappwindow.Length + time.Second, 25 * time.Hour} {
				for _, e := range []time.Duration{-1, 0, 1} {
					cs = append(cs, [2]time.Time{l, l.Add(d + e).In(sp)})
				}
			}
		}
	}
	far := time.Unix(1<<62, 0)
	cs = append(cs, [2]time.Time{far, far.Add(whatsappwindow.Length)}, [2]time.Time{time.Unix(-1<<62, 0), far},
		[2]time.Time{time.Unix(1<<62-1, 5), time.Unix(1<<62-1+86400, 5)})
	return cs
}

// TestClosedByMatchesTime: closedBy, in Unix seconds, says what
// !t.Before(last.Add(Length)) says; both sides of the edge are in the table.
func TestClosedByMatchesTime(t *testing.T) {
	seen := map[bool]int{}
	for _, c := range closedByCases() {
		want := !c[1].Before(c[0].Add(whatsappwindow.Length))
		require.Equal(t, want, closedBy(c[0], c[1]), "last %v, at %v", c[0], c[1])
		seen[want]++
	}
	require.Positive(t, seen[true])
	require.Positive(t, seen[false])
}

func FuzzClosedByMatchesTime(f *testing.F) {
	for _, c := range closedByCases() {
		f.Add(c[0].Unix(), int64(c[0].Nanosecond()), c[1].Unix(), int64(c[1].Nanosecond()))
	}
	f.Fuzz(func(t *testing.T, ls, ln, ts, tn int64) {
		last, at := time.Unix(ls, ln).UTC(), time.Unix(ts, tn)
		if want := !at.Before(last.Add(whatsappwindow.Length)); closedBy(last, at) != want {
			t.Fatalf("closedBy(%v, %v) = %v, want %v", last, at, !want, want)
		}
	})
}
