package policy

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A condition's last failure is the one at the latest instant, of the
// greater ticket id at one instant, whatever the order the failures come
// in; one ticket's failures at one instant replace each other in order.
func TestEvalSiteLastFailure(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, sp)
	type failure struct {
		ticket string
		at     time.Time
		err    string
	}
	tests := []struct {
		name     string
		failures []failure
		ticket   string
		err      string
	}{
		{name: "later instant wins", ticket: "T1", err: "b",
			failures: []failure{{"T2", at, "a"}, {"T1", at.Add(time.Minute), "b"}}},
		{name: "earlier instant after a later one is not kept", ticket: "T1", err: "b",
			failures: []failure{{"T1", at.Add(time.Minute), "b"}, {"T2", at, "a"}}},
		{name: "same instant, greater id", ticket: "T2", err: "a",
			failures: []failure{{"T2", at, "a"}, {"T10", at, "b"}}},
		{name: "same instant in another zone is the same instant", ticket: "T2", err: "a",
			failures: []failure{{"T2", at.UTC(), "a"}, {"T10", at, "b"}}},
		{name: "one ticket at one instant: the later failure", ticket: "T1", err: "second",
			failures: []failure{{"T1", at, "first"}, {"T1", at, "second"}}},
		{name: "a ticket condition with no instant", ticket: "T9", err: "z",
			failures: []failure{{"T10", time.Time{}, "y"}, {"T9", time.Time{}, "z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s evalSite
			for _, f := range tt.failures {
				s.fail(errors.New(f.err), f.ticket, f.at)
			}
			last := s.last.Load()
			require.NotNil(t, last)
			assert.Equal(t, tt.ticket, last.ticket)
			assert.EqualError(t, last.err, tt.err)
			assert.Equal(t, int64(len(tt.failures)), s.count.Load())
		})
	}
}

// Goroutines failing one condition on their own tickets, in whatever
// order they run, leave the same last failure.
func TestEvalSiteLastFailureConcurrent(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for round := range 20 {
		var s evalSite
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					// Instants repeat across goroutines; ticket ids do not.
					s.fail(errors.New("e"), fmt.Sprintf("T%d-%02d", g, i), at.Add(time.Duration(i%7)*time.Minute))
				}
			}()
		}
		wg.Wait()
		last := s.last.Load()
		require.NotNil(t, last, "round %d", round)
		assert.Equal(t, "T7-48", last.ticket, "round %d", round) // i%7 == 6 last at i = 48, the greatest id
		assert.Equal(t, int64(400), s.count.Load())
	}
}
