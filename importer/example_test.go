package importer_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/servicenow"
)

// An import counted with a Summary: events go on to a file or a replay,
// problems to the person running it.
func ExampleSummary() {
	const log = `number,incident_state,sys_updated_at
INC1,New,02-03-2026 09:00
INC1,Resolved,02-03-2026 10:30
INC1,Closed,05-03-2026 10:30
INC1,Active,06-03-2026 08:00
INC2,New,31-02-2026 09:00
`
	r := &servicenow.Reader{Zone: time.UTC}
	var sum importer.Summary
	for ev, err := range r.Events(importer.Input{Name: "log.csv", R: strings.NewReader(log)}) {
		sum.Add(ev, err)
		if err != nil {
			fmt.Println(err)
		}
	}
	sum.Records = r.Records()
	fmt.Println(sum.String())
	// Output:
	// log.csv:5: ticket "INC1": after_closed: row after the incident's Closed row (state Active at 06-03-2026 08:00); skipped
	// log.csv:6: ticket "INC2": bad_value: sys_updated_at "31-02-2026 09:00": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; row skipped
	// 5 records, 1 ticket, 3 events, 2 problems (after_closed 1, bad_value 1)
}

func ExampleProblem() {
	p := &importer.Problem{File: "audits-2.json", Line: 57, Record: "audits[5]", Ticket: "101",
		Kind: importer.KindMalformed, Msg: `instant "yesterday": want RFC 3339 such as 2026-03-02T09:05:00Z; skipped`}
	fmt.Println(p)
	// Output:
	// audits-2.json:57: audits[5]: ticket "101": malformed: instant "yesterday": want RFC 3339 such as 2026-03-02T09:05:00Z; skipped
}
