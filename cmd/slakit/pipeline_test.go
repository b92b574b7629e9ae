package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// pairs is n events of distinct tickets, every seventh one with an error.
func pairs(n int) ([]sla.Event, []error) {
	evs := make([]sla.Event, n)
	errs := make([]error, n)
	for i := range evs {
		evs[i] = sla.Event{TicketID: fmt.Sprint("T", i), At: time.Date(2026, 3, 2, 9, 0, i, 0, time.UTC), Type: sla.EventCreated}
		if i%7 == 3 {
			errs[i] = fmt.Errorf("line %d: bad", i+1)
		}
	}
	return evs, errs
}

func TestReadAhead(t *testing.T) {
	tests := []struct {
		name   string
		n      int // events in the input
		stopAt int // the consumer stops after this many (0: never)
	}{
		{"empty", 0, 0},
		{"less than a batch", 5, 0},
		{"exactly one batch", readAheadBatch, 0},
		{"many batches and a part", readAheadBatch*(readAheadDepth+3) + 17, 0},
		{"stop in the first batch", 1000, 3},
		{"stop at a batch boundary", 5000, readAheadBatch},
		{"stop after the reader is blocked", readAheadBatch * 20, readAheadBatch*(readAheadDepth+2) + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, errs := pairs(tt.n)
			before := runtime.NumGoroutine()
			src := func(yield func(sla.Event, error) bool) {
				for i := range evs {
					if !yield(evs[i], errs[i]) {
						return
					}
				}
			}
			var got []string
			for ev, err := range readAhead(src) {
				got = append(got, fmt.Sprint(ev.TicketID, ev.At.Second(), err))
				if len(got) == tt.stopAt {
					break
				}
			}
			want := len(evs)
			if tt.stopAt > 0 {
				want = tt.stopAt
			}
			require.Len(t, got, want)
			for i, g := range got {
				assert.Equal(t, fmt.Sprint(evs[i].TicketID, evs[i].At.Second(), errs[i]), g, "pair %d", i)
			}
			// readAhead returns once the reader closed done; the goroutine
			// may take a moment more to leave the scheduler's count.
			// (a plain loop: assert.Eventually runs its condition in a goroutine
			// of its own, which the count would see).
			for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			assert.LessOrEqual(t, runtime.NumGoroutine(), before, "the reader has stopped")
		})
	}
}

// TestReadAheadReplay: the replay command gives the same bytes through the
// read-ahead as the engine does on the events read in place.
func TestReadAheadReplay(t *testing.T) {
	var out, errOut strings.Builder
	st := run([]string{"replay", "--policy", "../../testdata/policies/multidesk.yaml", "--events", "../../testdata/history/sample.jsonl"},
		nil, &out, &errOut)
	require.Equal(t, exitOK, st, errOut.String())
	require.NotEmpty(t, out.String())
	var direct strings.Builder
	set, ok := loadPolicy(&env{stderr: &errOut}, "../../testdata/policies/multidesk.yaml")
	require.True(t, ok)
	eng, err := set.Engine()
	require.NoError(t, err)
	in, err := os.Open("../../testdata/history/sample.jsonl")
	require.NoError(t, err)
	defer in.Close()
	var buf []byte
	for r, err := range eng.Replay(sla.ReadEvents(in), time.Time{}) {
		require.NoError(t, err)
		buf, err = r.AppendJSON(buf[:0])
		require.NoError(t, err)
		direct.Write(append(buf, '\n'))
	}
	assert.Equal(t, direct.String(), out.String())
}

// TestWithHeld: what the engine's goroutine writes on stderr travels with
// the results and comes out before the result that followed it, through
// the read-ahead of results as without it.
func TestWithHeld(t *testing.T) {
	tests := []struct {
		name   string
		script []string // "note:X" writes X on the held stderr, "result:ID" yields a result
		want   []string
	}{
		{"no notes", []string{"result:A", "result:B"}, []string{"A", "B"}},
		{"note first", []string{"note:x", "result:A"}, []string{"note x", "A"}},
		{"notes joined between results", []string{"result:A", "note:x", "note:y", "result:B"}, []string{"A", "note xy", "B"}},
		{"note at the end", []string{"result:A", "note:z"}, []string{"A", "note z"}},
		{"only a note", []string{"note:z"}, []string{"note z"}},
	}
	for _, tt := range tests {
		for _, ahead := range []bool{false, true} {
			t.Run(fmt.Sprint(tt.name, " ahead=", ahead), func(t *testing.T) {
				var direct strings.Builder
				h := &heldWriter{w: &direct}
				src := func(yield func(sla.Result, error) bool) {
					for _, s := range tt.script {
						kind, v, _ := strings.Cut(s, ":")
						if kind == "note" {
							fmt.Fprint(h, v)
							continue
						}
						if !yield(sla.Result{View: sla.View{Ticket: v}}, nil) {
							return
						}
					}
				}
				rs := withHeld(src, h)
				if ahead {
					rs = readAhead(rs)
				}
				var got []string
				for r, err := range rs {
					if n, ok := err.(heldNotes); ok {
						got = append(got, "note "+string(n))
						continue
					}
					require.NoError(t, err)
					got = append(got, r.Ticket)
				}
				assert.Equal(t, tt.want, got)
				assert.Empty(t, direct.String(), "nothing written through while held")
			})
		}
	}
	var direct strings.Builder
	fmt.Fprint(&heldWriter{w: &direct}, "through")
	assert.Equal(t, "through", direct.String(), "a writer not held writes through")
}
