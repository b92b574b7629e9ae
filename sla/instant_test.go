package sla

import (
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCycleInstantsExact checks that every instant a cycle stores comes
// back as the very same time.Time, location included, whether it is kept
// compact or whole.
func TestCycleInstantsExact(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	parsed := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return v
	}
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		at    [nInstants]time.Time
		whole uint8 // instants expected kept whole
	}{
		{"all UTC", [nInstants]time.Time{utc, utc.Add(time.Hour), utc.Add(2 * time.Hour), utc.Add(3 * time.Hour)}, 0},
		{"open: zero stop and breach", [nInstants]time.Time{utc, {}, utc.Add(time.Hour), {}}, 0},
		{"events UTC, deadline in the calendar's zone", [nInstants]time.Time{utc, utc.Add(time.Hour), utc.Add(4 * time.Hour).In(sp), utc.Add(4 * time.Hour).In(sp)}, 0},
		{"DST day in Berlin, nanoseconds", [nInstants]time.Time{
			time.Date(2026, 3, 29, 1, 59, 59, 999999999, berlin), time.Date(2026, 3, 29, 3, 0, 0, 1, berlin),
			time.Date(2026, 3, 29, 3, 30, 0, 0, berlin), {}}, 0},
		{"parsed offsets", [nInstants]time.Time{parsed("2026-03-02T00:22:13-03:00"), parsed("2026-03-02T05:22:13.5-03:00"),
			parsed("2026-03-02T09:00:00+01:00"), {}}, 0},
		{"a third zone is kept whole", [nInstants]time.Time{utc, utc.In(sp), utc.In(ny), utc.In(berlin)}, 1<<iDue | 1<<iBreach},
		{"zero instant in a zone is kept whole", [nInstants]time.Time{utc, time.Time{}.In(sp), {}, {}}, 1 << iStop},
		{"monotonic reading is kept whole", [nInstants]time.Time{utc, {}, time.Now(), {}}, 1 << iDue},
		{"limits of the accepted years", [nInstants]time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2999, 12, 31, 23, 59, 59, 999999999, time.UTC), {}, {}}, 0},
		{"1970", [nInstants]time.Time{time.Unix(0, 0).UTC(), time.Unix(0, 1).UTC(), {}, {}}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c cycle
			for i, v := range tc.at {
				c.setInstant(i, v)
			}
			for i, v := range tc.at {
				got := c.instant(i)
				assert.True(t, got == v, "instant %d: got %v, want %v", i, got, v)
				assert.Same(t, v.Location(), got.Location(), "instant %d", i)
			}
			assert.Equal(t, tc.whole, c.whole)
			assert.Equal(t, tc.at[iStop].IsZero(), c.open())
			// Setting again in another order gives the same instants.
			for i := nInstants - 1; i >= 0; i-- {
				c.setInstant(i, tc.at[i])
			}
			for i, v := range tc.at {
				assert.True(t, c.instant(i) == v, "instant %d again", i)
			}
			// A State's instants, the same way, after a clone too.
			var p stateInstants
			for i, v := range tc.at {
				p.set(tLast-i, v)
			}
			q := p
			q.clone()
			for i, v := range tc.at {
				assert.True(t, p.get(tLast-i) == v, "state instant %d", tLast-i)
				assert.True(t, q.get(tLast-i) == v, "cloned state instant %d", tLast-i)
			}
			assert.Equal(t, tc.whole != 0, p.whole != nil)
		})
	}
}

// TestCycleCloneExt checks that a cloned State's cycle does not share its
// pauses or whole instants with the original.
func TestCycleCloneExt(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var s State
	s.cycles = []cycle{{}}
	c := &s.cycles[0]
	c.setInstant(iStart, utc)
	c.setInstant(iStop, utc.In(ny))
	c.setInstant(iDue, utc.In(time.FixedZone("X", 3600)))
	c.addSpan(span{From: utc})
	require.NotZero(t, c.whole)
	cp := s.Clone()
	c.spans()[0].From = utc.Add(time.Hour)
	c.setInstant(iDue, utc.Add(time.Hour).In(time.FixedZone("Y", 7200)))
	assert.Equal(t, utc, cp.cycles[0].spans()[0].From)
	assert.True(t, cp.cycles[0].dueAt() == utc.In(cp.cycles[0].ext.whole[iDue].Location()))
	assert.Equal(t, "X", cp.cycles[0].dueAt().Location().String())
}

// TestOpenTicketSizes keeps a cycle at 120 B (four fill a 480 B block)
// and a replay's record of a ticket within a 512 B block.
func TestOpenTicketSizes(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	assert.Equal(t, uintptr(120), unsafe.Sizeof(cycle{}))
	assert.LessOrEqual(t, unsafe.Sizeof(replayTicket{}), uintptr(512))
}

// TestStateInstantsClone checks that a cloned State does not share the
// instants it keeps whole.
func TestStateInstantsClone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var s State
	s.times.set(tLast, utc)
	s.times.set(tSolved, utc.In(ny))
	s.times.set(tClosed, utc.In(time.FixedZone("X", 3600)))
	require.NotNil(t, s.times.whole)
	cp := s.Clone()
	s.times.set(tClosed, utc.Add(time.Hour).In(time.FixedZone("Y", 7200)))
	assert.True(t, cp.times.get(tClosed) == utc.In(cp.times.whole[tClosed].Location()))
	assert.Equal(t, "X", cp.times.get(tClosed).Location().String())
	assert.Equal(t, "Y", s.times.get(tClosed).Location().String())
}
