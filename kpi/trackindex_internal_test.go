package kpi

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTrackIndexAgreesWithMap inserts and removes ids at random in a
// trackIndex and a map, and checks after every change that each id is
// found exactly where the map says.
func TestTrackIndexAgreesWithMap(t *testing.T) {
	tests := []struct {
		name   string
		hashes uint32 // the hash keeps this many values (a power of two); 0: the real hash
		flip   uint32 // bits the hash flips
		ids    int
		ops    int
		reason string
	}{
		{name: "real hash", ids: 300, ops: 1500},
		{name: "eight hashes", hashes: 8, ids: 200, ops: 1500,
			reason: "long probe sequences that wrap around the table's end, and removals that shift entries back"},
		{name: "one hash", hashes: 1, ids: 40, ops: 1000, reason: "every id shares one hash"},
		{name: "hashes at the table's end", hashes: 4, flip: ^uint32(0), ids: 100, ops: 2000,
			reason: "probe sequences that start in the last entries and wrap around"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.hashes > 0 {
				defer func() { hashBits, hashFlip = ^uint32(0), 0 }()
				hashBits, hashFlip = tt.hashes-1, tt.flip
			}
			rng := rand.New(rand.NewPCG(uint64(tt.ids), uint64(tt.ops)))
			s := &statusTracks{}
			model := map[string]bool{}
			for op := range tt.ops {
				id := fmt.Sprintf("T%d", rng.IntN(tt.ids))
				r := refOf(id)
				found := s.find(id, &r) >= 0
				require.Equal(t, model[id], found, "op %d: %s tracked", op, id)
				if found {
					require.NotNil(t, s.take(id), "op %d: take(%s)", op, id)
					delete(model, id)
				} else {
					s.start(id, &r, statusSpan{})
					model[id] = true
				}
				require.Equal(t, len(model), s.index.n, "op %d: entries in use", op)
				for k := range tt.ids {
					id := fmt.Sprintf("T%d", k)
					r := refOf(id)
					i := s.find(id, &r)
					require.Equal(t, model[id], i >= 0, "op %d: find(%s)", op, id)
					if i >= 0 {
						require.Equal(t, r.k, s.tracks[i].id, "op %d: the track found for %s", op, id)
					}
				}
			}
		})
	}
}
