package sla

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fireDueCases are states' next firings (known or not, in Unix
// nanoseconds, 0 for none) and instants asked about: equal to the
// firing, a nanosecond either side, in another location, before 1698
// and after 2242 (too far to compare in nanoseconds) and the zero instant.
var fireDueCases = []struct {
	name  string
	known bool
	at    int64
	t     time.Time
}{
	{"unknown", false, 0, time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC)},
	{"unknown, a firing kept", false, 1_772_000_000_000_000_000, time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC)},
	{"none can fire", true, 0, time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC)},
	{"at the instant", true, 1_772_935_200_000_000_000, time.Unix(1_772_935_200, 0)},
	{"a nanosecond after", true, 1_772_935_200_000_000_001, time.Unix(1_772_935_200, 0)},
	{"a nanosecond before", true, 1_772_935_199_999_999_999, time.Unix(1_772_935_200, 0)},
	{"after, in São Paulo", true, 1_772_935_200_000_000_001, time.Unix(1_772_935_200, 0).In(saoPauloLoc)},
	{"the bound short of zero", true, -1, time.Unix(0, 0)},
	{"before 1970", true, -1_000_000_000, time.Date(1969, 12, 31, 23, 59, 58, 0, time.UTC)},
	{"the last instant held", true, memoLast, time.Unix(0, memoLast).UTC()},
	{"after 2242", true, memoLast, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
	{"before 1698", true, math.MinInt64 + 1, time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)},
	{"the zero instant", true, 1_772_935_200_000_000_000, time.Time{}},
}

var saoPauloLoc = func() *time.Location {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	return loc
}()

// dueEngine is the id of the engine the known firings of the tests of
// fireDue were computed by.
const dueEngine = 3

// checkFireDue requires fireDue to say a level may fall due exactly when
// fireUntil's first test lets it search (written out here as it stood),
// and, when it says none, the firing known to be after t.
func checkFireDue(t *testing.T, known bool, at int64, when time.Time) {
	st := State{fireAt: at}
	if known {
		st.fireBy = dueEngine
	}
	search := !(known && (st.fireAt == 0 || st.fireAfter(when)))
	require.Equal(t, search, st.fireDue(dueEngine, when), "known %v, at %d, t %v", known, at, when)
	// Known to another engine is unknown to this one.
	require.True(t, st.fireDue(dueEngine+1, when), "known to another engine")
	if !st.fireDue(dueEngine, when) && at != 0 {
		require.True(t, known)
		require.Greater(t, time.Unix(0, at).Compare(when), 0, "the firing at %d is after %v", at, when)
	}
}

// TestFireDue checks fireDue on the table and on the instants around each
// of its firings.
func TestFireDue(t *testing.T) {
	due := 0
	for _, tc := range fireDueCases {
		t.Run(tc.name, func(t *testing.T) {
			checkFireDue(t, tc.known, tc.at, tc.t)
			for _, d := range []time.Duration{-time.Second, -1, 0, 1, time.Hour} {
				checkFireDue(t, tc.known, tc.at, time.Unix(0, tc.at).Add(d))
			}
		})
		st := State{fireAt: tc.at}
		if tc.known {
			st.fireBy = dueEngine
		}
		if st.fireDue(dueEngine, tc.t) {
			due++
		}
	}
	assert.Equal(t, 9, due, "the table's states that search")
}

// FuzzFireDue is TestFireDue's check on any state and instant.
func FuzzFireDue(f *testing.F) {
	for _, tc := range fireDueCases {
		f.Add(tc.known, tc.at, tc.t.Unix(), int64(tc.t.Nanosecond()))
	}
	f.Fuzz(func(t *testing.T, known bool, at, sec, nsec int64) {
		checkFireDue(t, known, at, time.Unix(sec, nsec))
	})
}
