package calendar_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/slakit/slakit/calendar"
)

// A São Paulo support desk: weekdays with a lunch break, Saturday mornings, Brazilian holidays
// and a half day on New Year's Eve.
func Example() {
	desk, err := calendar.New(calendar.Spec{
		Timezone: "America/Sao_Paulo",
		Hours: map[string][]string{
			"mon-fri": {"08:00-12:00", "13:00-18:00"},
			"sat":     {"09:00-13:00"},
		},
		Holidays:  []string{"br", "2026-12-24"},
		Overrides: map[string][]string{"2026-12-31": {"08:00-12:00"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sp := desk.Location()

	// A WhatsApp message at 11:30 on a Friday, first response due in 2 business hours: half an
	// hour before lunch, then an hour and a half after it.
	msg := time.Date(2026, 3, 6, 11, 30, 0, 0, sp)
	fmt.Println("due:", desk.Add(msg, 2*time.Hour).Format(time.RFC3339))

	// Friday 17:00 plus 5 business hours: one hour on Friday and Saturday morning's four; the
	// target falls due at Saturday's closing time, not on Monday morning.
	fri := time.Date(2026, 3, 6, 17, 0, 0, 0, sp)
	fmt.Println("due:", desk.Add(fri, 5*time.Hour).Format(time.RFC3339))

	// Christmas Eve (explicit) and Christmas (from the "br" set) are closed.
	eve := time.Date(2026, 12, 23, 17, 0, 0, 0, sp)
	fmt.Println("due:", desk.Add(eve, 2*time.Hour).Format(time.RFC3339))

	// Business time between a message and its answer.
	fmt.Println("took:", desk.Between(msg, time.Date(2026, 3, 6, 14, 0, 0, 0, sp)))
	fmt.Println("open at lunch:", desk.IsOpen(time.Date(2026, 3, 6, 12, 30, 0, 0, sp)))
	fmt.Println("reopens:", desk.NextOpen(time.Date(2026, 3, 6, 12, 30, 0, 0, sp)).Format(time.Kitchen))
	// Output:
	// due: 2026-03-06T14:30:00-03:00
	// due: 2026-03-07T13:00:00-03:00
	// due: 2026-12-26T10:00:00-03:00
	// took: 1h30m0s
	// open at lunch: false
	// reopens: 1:00PM
}

// An always-open desk: business time is elapsed time, also across a DST switch.
func Example_alwaysOpen() {
	ny, _ := time.LoadLocation("America/New_York")
	before := time.Date(2026, 3, 7, 12, 0, 0, 0, ny) // Saturday; clocks spring forward on Sunday
	fmt.Println(calendar.Always.Add(before, 24*time.Hour).In(ny).Format(time.RFC3339))

	// The same with a calendar that names every hour of every day in New York.
	desk := calendar.MustNew(calendar.Spec{
		Timezone: "America/New_York",
		Hours:    map[string][]string{"daily": {"00:00-24:00"}},
	})
	fmt.Println(desk.Add(before, 24*time.Hour).Format(time.RFC3339))
	fmt.Println(desk.Between(before, time.Date(2026, 3, 8, 12, 0, 0, 0, ny)))
	// Output:
	// 2026-03-08T13:00:00-04:00
	// 2026-03-08T13:00:00-04:00
	// 23h0m0s
}

// New reports every problem of a spec at once, each naming its field.
func ExampleNew_errors() {
	_, err := calendar.New(calendar.Spec{
		Timezone: "America/Sao_Paul",
		Hours:    map[string][]string{"mon-fri": {"09:00-12:00", "11:00-18:00"}, "fri": {"09:00-13:00"}},
		Holidays: []string{"br", "2026-02-30"},
	})
	var list calendar.SpecErrors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Println(e)
		}
	}
	fmt.Println(errors.Is(err, calendar.ErrUnknownZone))
	// Output:
	// calendar: timezone: "America/Sao_Paul": unknown time zone
	// calendar: hours.mon-fri[1]: "11:00-18:00": ranges overlap with "09:00-12:00"
	// calendar: hours: "mon-fri": day named twice: fri is also in "fri"
	// calendar: holidays[1]: "2026-02-30": impossible date
	// true
}

// Counting back, navigating open periods, business days and the end of the business day.
func ExampleCalendar_AddDays() {
	desk := calendar.MustNew(calendar.Spec{
		Timezone: "America/New_York",
		Hours:    map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}},
		Holidays: []string{"us", "2026-12-24..2026-12-31"},
	})
	ny := desk.Location()
	fri := time.Date(2026, 11, 20, 17, 0, 0, 0, ny)

	// A warning 7 business hours before a Friday 17:00 deadline: Friday 09:00, not Thursday.
	fmt.Println("warn:", desk.Add(fri, -7*time.Hour).Format(time.RFC3339))
	fmt.Println("opened:", desk.PrevOpen(time.Date(2026, 11, 20, 15, 0, 0, 0, ny)).Format(time.Kitchen))
	fmt.Println("closed:", desk.PrevClose(time.Date(2026, 11, 20, 15, 0, 0, 0, ny)).Format(time.Kitchen))

	// Three business days from Tuesday 10:30, over Thanksgiving (26 November).
	tue := time.Date(2026, 11, 24, 10, 30, 0, 0, ny)
	fmt.Println("3bd:", desk.AddDays(tue, 3).Format("Mon Jan 2 15:04"))
	fmt.Println("eod:", desk.EndOfDay(tue).Format("Mon Jan 2 15:04"))

	// Closed dates with the entry that closes them; the first entry names a date.
	for _, c := range desk.Closures(time.Date(2026, 12, 20, 0, 0, 0, 0, ny), time.Date(2027, 1, 2, 0, 0, 0, 0, ny)) {
		fmt.Println(c.Date.Format("Mon Jan 2"), c.Name, "("+c.Source+")")
	}
	// Output:
	// warn: 2026-11-20T09:00:00-05:00
	// opened: 1:00PM
	// closed: 12:00PM
	// 3bd: Mon Nov 30 10:30
	// eod: Tue Nov 24 17:00
	// Thu Dec 24 closure (2026-12-24..2026-12-31)
	// Fri Dec 25 Christmas Day (us)
	// Sat Dec 26 closure (2026-12-24..2026-12-31)
	// Sun Dec 27 closure (2026-12-24..2026-12-31)
	// Mon Dec 28 closure (2026-12-24..2026-12-31)
	// Tue Dec 29 closure (2026-12-24..2026-12-31)
	// Wed Dec 30 closure (2026-12-24..2026-12-31)
	// Thu Dec 31 closure (2026-12-24..2026-12-31)
	// Fri Jan 1 New Year's Day (us)
}
