package sla

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackExact checks that a packed instant comes back as the very same
// time.Time, location included, and that what cannot be packed says so.
func TestPackExact(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	parsed := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return v
	}
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		base, t time.Time
		ok      bool
	}{
		{"UTC", utc, utc.Add(90 * time.Minute), true},
		{"the base itself", utc, utc, true},
		{"before the base", utc, utc.Add(-time.Nanosecond), true},
		{"nanoseconds on both", utc.Add(999_999_999), utc.Add(time.Hour + 1), true},
		{"DST day in Berlin", time.Date(2026, 3, 29, 1, 59, 59, 999_999_999, berlin), time.Date(2026, 3, 29, 3, 0, 0, 1, berlin), true},
		{"DST day in São Paulo", time.Date(2026, 2, 21, 23, 30, 0, 0, sp), time.Date(2026, 11, 2, 9, 0, 0, 0, sp), true},
		{"parsed whole-hour offsets share a location", parsed("2026-03-02T00:22:13-03:00"), parsed("2026-03-02T05:22:13.5-03:00"), true},
		{"the accepted years' limits", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2099, 12, 31, 23, 59, 59, 999_999_999, time.UTC), true},
		{"1970", time.Unix(0, 0).UTC(), time.Unix(0, 1).UTC(), true},
		{"zero", utc, time.Time{}, true},
		{"another location", utc, utc.In(sp), false},
		{"272 years away", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"272 years before", time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"overflowing seconds", time.Unix(1<<62, 0).UTC(), time.Unix(-1<<62, 0).UTC(), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := pack(tc.base, tc.t)
			require.Equal(t, tc.ok, ok)
			if !ok {
				return
			}
			assert.Equal(t, tc.t.IsZero(), p == noInstant)
			assert.NotEqual(t, farInstant, p)
			got := p.unpack(tc.base)
			assert.True(t, got == tc.t, "got %v, want %v", got, tc.t)
			assert.Same(t, tc.t.Location(), got.Location())
		})
	}
	// A zero instant comes back as the zero time.Time, whatever its location.
	p, ok := pack(utc, time.Time{}.In(sp))
	require.True(t, ok)
	assert.True(t, p.unpack(utc) == time.Time{})
	// A monotonic clock reading is dropped, the instant kept.
	now := time.Now()
	p, ok = pack(now.Add(-time.Hour), now)
	require.True(t, ok)
	assert.True(t, p.unpack(now.Add(-time.Hour)) == now.Round(0))
}

// TestCycleOddInstants checks a cycle's stop that cannot be packed and a
// breach that is not the deadline, and that a clone does not share them.
func TestCycleOddInstants(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var s State
	s.cycles = []cycle{{Start: utc, State: phRunning}}
	c := &s.cycles[0]
	c.setDue(utc.Add(time.Hour))
	c.breachAtDue()
	require.True(t, c.breachAt() == utc.Add(time.Hour))
	require.Nil(t, c.ext, "a breach at the deadline needs no ext")
	// A new deadline keeps the breach where it was.
	c.setDue(utc.Add(2 * time.Hour))
	assert.True(t, c.breachAt() == utc.Add(time.Hour))
	assert.True(t, c.hasBreach())
	c.setStop(utc.Add(3 * time.Hour).In(ny))
	assert.Equal(t, farInstant, c.stopped)
	assert.False(t, c.open())
	cp := s.Clone()
	c.setStop(utc.Add(4 * time.Hour))
	c.setBreach(time.Time{})
	assert.NotEqual(t, farInstant, c.stopped)
	assert.True(t, c.stopAt() == utc.Add(4*time.Hour))
	assert.False(t, c.hasBreach())
	o := &cp.cycles[0]
	assert.True(t, o.stopAt() == utc.Add(3*time.Hour).In(ny))
	assert.True(t, o.breachAt() == utc.Add(time.Hour))
	// Reopened: no stop, and nothing left to keep whole.
	c.setStop(time.Time{})
	assert.True(t, c.open())
	assert.True(t, c.stopAt().IsZero())
}

// TestStatsOddInstants checks statistics whose instants are not in the
// creation's location: kept whole, cloned apart, and the same in JSON.
func TestStatsOddInstants(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	utc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var s State
	s.ticket.CreatedAt = utc
	s.setStatAt(atLastCustomer, utc.Add(time.Minute))
	s.setStatAt(atFirstReply, utc.Add(time.Hour).In(sp))
	assert.Equal(t, [3]packed{}, [3]packed(s.stats.at[atSolved:]))
	assert.Equal(t, farInstant, s.stats.at[atFirstReply])
	require.NotNil(t, s.more)
	cp := s.Clone()
	s.setStatAt(atFirstReply, utc.Add(2*time.Hour).In(sp))
	s.setStatAt(atLastCustomer, utc.Add(time.Hour).In(sp))
	st, ct := s.fullStats(), cp.fullStats()
	assert.True(t, st.FirstReplyAt == utc.Add(2*time.Hour).In(sp))
	assert.True(t, st.LastCustomerAt == utc.Add(time.Hour).In(sp))
	assert.True(t, ct.FirstReplyAt == utc.Add(time.Hour).In(sp))
	assert.True(t, ct.LastCustomerAt == utc.Add(time.Minute))
	assert.True(t, st.SolvedAt.IsZero() && st.ClosedAt.IsZero() && st.WaitingSince.IsZero())
	// Copies, whole and packed, stay when their source changes.
	s.copyStatAt(atWaiting, atLastCustomer)
	s.setStatAt(atLastCustomer, utc)
	s.copyStatAt(atSolved, atLastCustomer)
	s.setStatAt(atLastCustomer, utc.Add(time.Second))
	st = s.fullStats()
	assert.True(t, st.WaitingSince == utc.Add(time.Hour).In(sp))
	assert.True(t, st.SolvedAt == utc)
	assert.True(t, st.LastCustomerAt == utc.Add(time.Second))
}

// TestStateSizes keeps the sizes that put an open ticket's record and its
// first cycles in the smaller size classes (64-bit platforms).
func TestStateSizes(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	assert.LessOrEqual(t, unsafe.Sizeof(cycle{}), uintptr(112), "four cycles in a 448 B block")
	assert.LessOrEqual(t, unsafe.Sizeof(replayTicket{}), uintptr(2688), "a replay's record with its first 13 cycles, open-cycle indices, counts, rarely used part and window in a 2688 B block")
}

// TestStateJSONMixedZones decodes a State whose packed instants are in
// other zones than their bases (kept whole) and checks that it encodes to
// the same bytes.
func TestStateJSONMixedZones(t *testing.T) {
	golden, err := os.ReadFile("testdata/state/e1.golden.json")
	require.NoError(t, err)
	for _, r := range []struct{ from, to string }{
		{"", ""},
		{`"first_reply_at": "2026-03-02T15:00:00.123456789-03:00"`, `"first_reply_at": "2026-03-02T23:30:00.123456789+05:30"`},
		{`"waiting_since": "2026-03-03T09:00:00.123456789-03:00"`, `"waiting_since": "2026-03-03T12:00:00.123456789Z"`},
		{`"stop": "2026-03-02T15:00:00.123456789-03:00"`, `"stop": "2026-03-02T18:00:00.123456789Z"`},
		{`"breached": "2026-03-02T14:06:00.123456789-03:00"`, `"breached": "2026-03-02T17:06:00.123456789Z"`},
	} {
		t.Run(r.to, func(t *testing.T) {
			doc := []byte(strings.Replace(string(golden), r.from, r.to, 1))
			require.True(t, r.from == "" || !bytes.Equal(doc, golden), "replacement %q not found", r.from)
			var want bytes.Buffer
			require.NoError(t, json.Compact(&want, doc))
			var st State
			require.NoError(t, json.Unmarshal(doc, &st))
			got, err := json.Marshal(st)
			require.NoError(t, err)
			assert.Equal(t, want.String(), string(got))
			again, err := json.Marshal(st.Clone())
			require.NoError(t, err)
			assert.Equal(t, want.String(), string(again))
		})
	}
}

// TestInstantLimitsBySeconds checks the checks of an event's instant made
// on Unix seconds against the same checks on time.Time, at and around
// the limits, in zones other than UTC.
func TestInstantLimitsBySeconds(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	created := time.Date(2026, 3, 29, 1, 30, 0, 500, berlin)
	span := created.Add(maxSpan)
	for _, d := range []time.Duration{-time.Second - 1, -time.Second, -1, 0, 1, time.Second - 1, time.Second, time.Second + 1} {
		for _, loc := range []*time.Location{time.UTC, sp, berlin} {
			for _, at := range []time.Time{minInstant.Add(d).In(loc), maxInstant.Add(d).In(loc)} {
				want := !at.Before(minInstant) && at.Before(maxInstant)
				assert.Equal(t, want, inInstants(at), "inInstants(%s)", at.Format(time.RFC3339Nano))
			}
			at := span.Add(d).In(loc)
			assert.Equal(t, at.Sub(created) > maxSpan, beyondSpan(created, at), "beyondSpan(%s, %s)",
				created.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano))
		}
	}
	far := time.Date(2999, 12, 31, 23, 59, 59, 999_999_999, sp)
	assert.True(t, beyondSpan(minInstant, far), "a span longer than a Duration holds")
	assert.False(t, beyondSpan(far, minInstant), "a negative span")
}
