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
