package servicenow

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/sla"
)

// auditLog generates an incident audit log of n rows: incidents of eight
// rows each (New, Active with a hand-off, Awaiting User Info, Active,
// Resolved, Active again, Resolved, Closed), 50 incidents open at once.
func auditLog(n int) []byte {
	var b bytes.Buffer
	b.WriteString("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_at,sys_updated_at,contact_type,priority,assignment_group,assigned_to,resolved_at,closed_at\n")
	states := [...]string{"New", "Active", "Awaiting User Info", "Active", "Resolved", "Active", "Resolved", "Closed"}
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	const layout = "02-01-2006 15:04"
	for i := 0; i < n; i++ {
		block, k := i/400, i%400 // 50 incidents of 8 rows, interleaved
		inc := block*50 + k%50
		step := k / 50
		opened := start.Add(time.Duration(inc) * time.Minute)
		at := opened.Add(time.Duration(step) * 37 * time.Minute)
		group := fmt.Sprintf("Group %d", inc%40)
		if step == 1 {
			group = fmt.Sprintf("Group %d", (inc+1)%40)
		}
		fmt.Fprintf(&b, "INC%07d,%s,TRUE,%d,0,%d,TRUE,Caller %d,%s,%s,Phone,%d - Moderate,%s,Resolver %d,%s,%s\n",
			inc, states[step], step/2, step, inc%977, opened.Format(layout), at.Format(layout), 1+inc%4, group, inc%90,
			opened.Add(6*37*time.Minute).Format(layout), opened.Add(7*37*time.Minute).Format(layout))
	}
	return b.Bytes()
}

// BenchmarkEvents converts 100,000 rows.
func BenchmarkEvents(b *testing.B) {
	data := auditLog(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := &Reader{Zone: time.UTC}
		n := 0
		for _, err := range r.Events(importer.Input{Name: "bench.csv", R: bytes.NewReader(data)}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if r.Records() != 100_000 || n < 100_000 {
			b.Fatalf("%d records, %d events", r.Records(), n)
		}
	}
}

// TestMemoryBounded: the reader holds the incidents open at once, not the
// log: the generated log never has more than 50 open.
func TestMemoryBounded(t *testing.T) {
	data := auditLog(20_000)
	most, events := 0, 0
	var c *conv
	c = newConv(&Reader{}, func(ev sla.Event, err error) bool {
		if err != nil {
			t.Fatal(err)
		}
		events++
		most = max(most, len(c.open))
		return true
	})
	c.file(importer.Input{Name: "gen.csv", R: bytes.NewReader(data)})
	if most > 50 || len(c.open) != 0 || events < 20_000 {
		t.Fatalf("at most %d incidents open (want <= 50), %d at the end (want 0), %d events", most, len(c.open), events)
	}
}
