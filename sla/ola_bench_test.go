package sla_test

import (
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
)

// BenchmarkReplayOLA is BenchmarkReplay with an OLA for the billing team:
// routing gives a third of the tickets to billing at creation (their
// holdings run OLA clocks, paused while pending), the others to support,
// which no OLA measures.
func BenchmarkReplayOLA(b *testing.B) {
	router := sla.RouterFunc(func(tk *sla.Ticket, ev *sla.Event) ([]string, error) {
		if ev.Type == sla.EventCreated {
			tk.Team = "support"
			if tk.ID[len(tk.ID)-1]%3 == 0 {
				tk.Team = "billing"
			}
		}
		return nil, nil
	})
	e := mustEngine(b, sla.Config{Policies: []sla.Policy{{Name: "sp", Calendar: spCal(b),
		Targets: targets{
			"urgent": {fr: time.Hour, nr: 2 * time.Hour, res: 8 * time.Hour},
			"normal": {fr: 4 * time.Hour, nr: 4 * time.Hour, res: 16 * time.Hour},
		}}}, Rules: router,
		OLAs: []sla.OLA{{Name: "billing-ola", Team: "billing", Calendar: spCal(b), Targets: targets{
			"urgent": {sla.OLATimeToOwn: 15 * time.Minute, sla.OLATimeToResolve: 4 * time.Hour},
			"normal": {sla.OLATimeToOwn: time.Hour, sla.OLATimeToResolve: 8 * time.Hour}}}}})
	olas := 0
	for r := range e.Replay(interleaved(30, 20*time.Minute), time.Time{}) {
		olas += len(r.OLAs)
	}
	if olas < 10*2 {
		b.Fatalf("%d OLA clocks in 30 results, want 2 for each billing ticket", olas)
	}
	benchReplay(b, e)
}
