package ics_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/calendar/ics"
)

// An HR calendar's export closes a summer shutdown and Christmas Eve every year; a timed event
// is refused.
func Example() {
	const export = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//HR//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260803\r\nDTEND;VALUE=DATE:20260808\r\nSUMMARY:Summer shutdown\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20201224\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Christmas Eve\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	read := func(name string) ([]calendar.FileHoliday, error) { return ics.Parse(strings.NewReader(export)) }
	desk := calendar.MustNew(calendar.Spec{
		Timezone: "Europe/Berlin",
		Hours:    map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"hr.ics"},
	}, calendar.WithHolidayFiles(read))
	berlin := desk.Location()
	for _, c := range desk.Closures(time.Date(2026, 8, 1, 0, 0, 0, 0, berlin), time.Date(2026, 8, 5, 0, 0, 0, 0, berlin)) {
		fmt.Println(c.Date.Format("Mon Jan 2"), c.Name, "("+c.Source+")")
	}
	fmt.Println(desk.IsOpen(time.Date(2031, 12, 24, 10, 0, 0, 0, berlin)))

	_, err := ics.Parse(strings.NewReader("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//HR//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:3\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261016T090000Z\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	fmt.Println(err)
	// Output:
	// Mon Aug 3 Summer shutdown (hr.ics)
	// Tue Aug 4 Summer shutdown (hr.ics)
	// false
	// event 1 ("Offsite", DTSTART 20261016T090000Z): not an all-day event (want DTSTART;VALUE=DATE:YYYYMMDD)
}
