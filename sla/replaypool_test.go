package sla_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/sla"
)

// Replays run one after another and at once, of two engines, on one
// goroutine or several, take over
// the storage the replays before them left (records, maps, result
// blocks): each gives the results of Apply and Result alone (the first
// engine; the second closes solved tickets by themselves, which those do
// not model: the results of its first replay), and a result kept from one
// replay never changes while the next ones run.
func TestReplaysShareStorage(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 9))
	engines := []*sla.Engine{mustEngine(t, genConfig(t)), mustEngine(t, autoCloseConfig(t))}
	// The second history leaves many tickets open at its end, the first
	// closes most before the next ones are created.
	hists := [][]sla.Event{closingEach(manyTickets(rng, 30, 600)), manyTickets(rng, 30, 600)}
	var want [2][2][]string
	for j, h := range hists {
		want[0][j], _ = reference(t, engines[0], h)
		want[1][j], _ = replayJSON(t, engines[1], h)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var kept []sla.Result
			var at []string
			for round := range 3 {
				i, j := (g+round)%2, (g/2+round)%2
				name := fmt.Sprintf("goroutine %d, round %d, engine %d, history %d", g, round, i, j)
				var got []string
				rs := engines[i].Replay(seq2(hists[j]), time.Time{})
				if (g+round)%3 == 2 { // on several goroutines, whose shards take and leave storage too
					rs = engines[i].ReplayParallel(seq2(hists[j]), time.Time{}, sla.ReplayOptions{Workers: 2 + g%2})
					name += fmt.Sprintf(", %d workers", 2+g%2)
				}
				for r, err := range rs {
					if err != nil {
						continue
					}
					got = append(got, resultText(t, r))
					kept = append(kept, r)
					at = append(at, snapshot(t, r))
				}
				assert.Equal(t, want[i][j], got, name)
			}
			for k, r := range kept {
				assert.Equal(t, at[k], snapshot(t, r), "goroutine %d: result %d (%s) changed after it was yielded", g, k, r.Ticket)
			}
		})
	}
	wg.Wait()
}
