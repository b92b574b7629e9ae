package servicenow_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/servicenow"
)

func Example() {
	const log = `number,incident_state,priority,assignment_group,assigned_to,opened_at,sys_updated_at,closed_at
INC0000045,New,3 - Moderate,Group 56,?,29-02-2016 01:16,29-02-2016 01:23,05-03-2016 12:00
INC0000045,Resolved,3 - Moderate,?,Resolver 7,29-02-2016 01:16,29-02-2016 08:53,05-03-2016 12:00
INC0000045,Closed,3 - Moderate,?,Resolver 7,29-02-2016 01:16,05-03-2016 12:00,05-03-2016 12:00
INC0000045,Closed,3 - Moderate,?,Resolver 7,29-02-2016 01:16,06-03-2016 09:00,05-03-2016 12:00
`
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	r := &servicenow.Reader{Zone: loc}
	for ev, err := range r.Events(importer.Input{Name: "incidents.csv", R: strings.NewReader(log)}) {
		if err != nil {
			fmt.Println("problem:", err)
			continue
		}
		line, _ := json.Marshal(ev)
		fmt.Println(string(line))
	}
	// Output:
	// {"ticket":"INC0000045","at":"2016-02-29T01:16:00-03:00","type":"created","priority":"moderate","status":"new","team":"Group 56"}
	// {"ticket":"INC0000045","at":"2016-02-29T08:53:00-03:00","type":"assign","agent":"Resolver 7","team":""}
	// {"ticket":"INC0000045","at":"2016-02-29T08:53:00-03:00","type":"status","status":"solved"}
	// {"ticket":"INC0000045","at":"2016-03-05T12:00:00-03:00","type":"status","status":"closed"}
	// problem: incidents.csv:5: ticket "INC0000045": after_closed: row after the incident's Closed row (state Closed at 06-03-2016 09:00); skipped
}
