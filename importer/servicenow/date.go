package servicenow

import (
	"errors"
	"time"

	"github.com/slakit/slakit/internal/wallclock"
)

var errDate = errors.New("want DD-MM-YYYY HH:MM or D/M/YYYY H:MM")

// parseTime reads a naive ServiceNow date, DD-MM-YYYY HH:MM or
// D/M/YYYY H:MM with optional seconds, as wall-clock time in loc. A wall
// time that does not exist in loc (a DST gap) is read with the offset in
// force before the gap (02:30 on New York's spring-forward night is 03:30
// EDT); an ambiguous one (a DST overlap) is the first of the two.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	var n [6]int
	seps := [...]byte{0, 0, ' ', ':', ':'} // 0: '-' or '/', the same for both
	k, digits := 0, 0
	var dateSep byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			if digits == 4 {
				return time.Time{}, errDate
			}
			n[k] = n[k]*10 + int(ch-'0')
			digits++
			continue
		case digits == 0 || k == len(n)-1:
			return time.Time{}, errDate
		case k < 2 && (ch == '-' || ch == '/'):
			if dateSep == 0 {
				dateSep = ch
			} else if ch != dateSep {
				return time.Time{}, errDate
			}
		case k >= 2 && ch == seps[k]:
		default:
			return time.Time{}, errDate
		}
		k++
		digits = 0
	}
	if digits == 0 || k < 4 {
		return time.Time{}, errDate
	}
	d, m, y, hh, mm, ss := n[0], n[1], n[2], n[3], n[4], n[5]
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, errDate
	}
	// A wall time in a DST gap is read with the offset in force before the
	// gap, as a clock not yet set forward would show it; one that happens
	// twice is the first.
	return wallclock.In(time.Date(y, time.Month(m), d, hh, mm, ss, 0, time.UTC), loc), nil
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
