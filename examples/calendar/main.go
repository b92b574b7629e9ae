// Command calendar shows slakit's business-time arithmetic on a São Paulo WhatsApp desk: when
// first responses fall due for messages that arrive at awkward moments (lunch, Friday evening,
// before Carnival, across a holiday).
//
//	go run ./examples/calendar
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slakit/slakit/calendar"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run prints the table of due instants and December's business hours.
func run(w io.Writer) error {
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
		return err
	}
	sp := desk.Location()
	arrivals := []struct {
		what string
		at   time.Time
	}{
		{"during lunch", time.Date(2026, 3, 4, 12, 20, 0, 0, sp)},
		{"Friday evening", time.Date(2026, 3, 6, 17, 40, 0, 0, sp)},
		{"Saturday afternoon", time.Date(2026, 3, 7, 15, 0, 0, 0, sp)},
		{"eve of Tiradentes", time.Date(2026, 4, 20, 17, 30, 0, 0, sp)},
		{"before Christmas", time.Date(2026, 12, 23, 17, 0, 0, 0, sp)},
		{"New Year's Eve", time.Date(2026, 12, 31, 11, 0, 0, 0, sp)},
	}
	targets := []time.Duration{15 * time.Minute, time.Hour, 8 * time.Hour}

	fmt.Fprintf(w, "%-20s %-17s", "message", "arrived")
	for _, d := range targets {
		fmt.Fprintf(w, "  due in %-10v", d)
	}
	fmt.Fprintln(w)
	for _, a := range arrivals {
		fmt.Fprintf(w, "%-20s %-17s", a.what, a.at.Format("Mon 02 Jan 15:04"))
		for _, d := range targets {
			fmt.Fprintf(w, "  %-17s", desk.Add(a.at, d).Format("Mon 02 Jan 15:04"))
		}
		fmt.Fprintln(w)
	}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, sp)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, sp)
	fmt.Fprintf(w, "\nbusiness hours in December 2026: %v\n", desk.Between(from, to))
	return nil
}
