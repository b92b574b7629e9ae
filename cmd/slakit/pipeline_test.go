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

// The collector's target falls from gcMaxPct to gcMinPct as the live heap
// grows, so that the heap stays near gcHeapGoal, or twice the live data.
func TestGCTarget(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, gcMaxPct},
		{4 << 20, gcMaxPct},
		{40 << 20, gcMaxPct},
		{50 << 20, 300},
		{64 << 20, 212},
		{80 << 20, 150},
		{99 << 20, 102},
		{100 << 20, gcMinPct},
		{1 << 30, gcMinPct},
		{1 << 40, gcMinPct},
	} {
		got := gcTarget(c.live)
		assert.Equal(t, c.want, got, "%d MB live", c.live>>20)
		if c.live > 0 {
			assert.LessOrEqual(t, c.live*uint64(100+got)/100, max(uint64(gcHeapGoal), 2*c.live), "%d MB live", c.live>>20)
		}
	}
}
