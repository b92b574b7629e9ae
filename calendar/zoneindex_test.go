package calendar

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZoneIndex compares the block index of a zone's offset changes with a binary search,
// around every change and at random instants, in zones with summer time, without it, and
// with changes closer together than a block (Lord Howe's half-hour summer time, Casablanca's
// Ramadan suspensions).
func TestZoneIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, name := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York", "UTC",
		"Asia/Tokyo", "Australia/Lord_Howe", "Africa/Casablanca"} {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(name)
			require.NoError(t, err)
			var z zone
			z.base, z.trans = transitions(loc)
			z.indexTransitions()
			probe := []int64{-1 << 40, 1 << 40, zoneFrom.Unix(), zoneTo.Unix()}
			for _, tr := range z.trans {
				probe = append(probe, tr.at-1, tr.at, tr.at+1, tr.at+1<<zoneShift, tr.at-1<<zoneShift)
			}
			for range 2000 {
				probe = append(probe, zoneFrom.Unix()+r.Int64N(zoneTo.Unix()-zoneFrom.Unix()))
			}
			for _, sec := range probe {
				want := sort.Search(len(z.trans), func(i int) bool { return z.trans[i].at > sec })
				assert.Equal(t, want, z.index(sec), "index(%d) in %s", sec, name)
			}
		})
	}
}

// TestTransitionsMatchZone checks the offset the calendar keeps for every
// instant of 1900 to 2099 against the time package's, every six hours and
// around every change, in zones with summer time past the end of the zone
// database's table of changes (where its rule for later years takes over:
// Berlin, New York, Lord Howe from 2041; Go's ZoneBounds stops there), without
// it (Tokyo, São Paulo since 2019) and with changes closer together than a
// block (Casablanca).
func TestTransitionsMatchZone(t *testing.T) {
	for _, name := range []string{"America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Asia/Tokyo",
		"Australia/Lord_Howe", "Africa/Casablanca"} {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(name)
			require.NoError(t, err)
			var z zone
			z.base, z.trans = transitions(loc)
			z.indexTransitions()
			probe := []int64{}
			for _, tr := range z.trans {
				probe = append(probe, tr.at-1, tr.at)
			}
			for sec := zoneFrom.Unix(); sec < zoneTo.Unix(); sec += 6 * 3600 {
				probe = append(probe, sec)
			}
			bad := 0
			for _, sec := range probe {
				_, want := time.Unix(sec, 0).In(loc).Zone()
				if got := z.offset(z.index(sec)); got != int64(want) {
					if bad++; bad <= 3 {
						t.Errorf("offset at %s: %d, the time package's %d", time.Unix(sec, 0).UTC(), got, want)
					}
				}
			}
			assert.Zero(t, bad, "instants whose offset differs")
		})
	}
	// A calendar counts summer time after 2040: 08:00-10:00 CEST on a
	// summer Monday of 2041 and of 2099 holds one hour of 09:00-17:00.
	c, err := New(Spec{Timezone: "Europe/Berlin", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	require.NoError(t, err)
	for _, day := range []time.Time{time.Date(2041, 7, 1, 0, 0, 0, 0, c.loc), time.Date(2099, 7, 6, 0, 0, 0, 0, c.loc)} {
		from := day.Add(8 * time.Hour)
		_, off := from.Zone()
		require.Equal(t, 7200, off, "summer time on %s", day)
		assert.Equal(t, time.Hour, c.Between(from, from.Add(2*time.Hour)), "from %s", from)
	}
}
