package calendar

import (
	"fmt"
	"time"
)

// Option configures [New].
type Option func(*options)

type options struct {
	read func(name string) ([]FileHoliday, error)
}

// FileHoliday is a date, or a run of consecutive dates, that a holiday file closes.
type FileHoliday struct {
	Name  string     // the holiday's name; "holiday" when empty
	Year  int        // 0: the date every year, 1970 to 2099
	Month time.Month // 1 to 12
	Day   int        // 1 to 31
	Days  int        // dates closed from that one on, at least 1
}

// WithHolidayFiles lets [Spec.Holidays] name holiday files: an entry ending in ".ics" is
// passed, as written, to read, which returns the dates the file closes (package
// calendar/ics reads iCalendar files from a directory). Without this option such an entry is
// an error.
func WithHolidayFiles(read func(name string) ([]FileHoliday, error)) Option {
	return func(o *options) { o.read = read }
}

// appendFile appends the dates that the holiday file closes, counting them against the budget
// of closure days.
func (o *options) appendFile(dst []closure, file string, budget *int64) ([]closure, error) {
	if o.read == nil {
		return dst, fmt.Errorf("%w: holiday files are read only from a policy loaded from a file", ErrHolidayFile)
	}
	hs, err := o.read(file)
	if err != nil {
		return dst, fmt.Errorf("%w: %v", ErrHolidayFile, err)
	}
	for _, h := range hs {
		if h.Days < 1 || !validDate(max(h.Year, 2000), int(h.Month), h.Day) || h.Year < 0 || h.Year > 9999 {
			return dst, fmt.Errorf("%w: %q: impossible date %d-%02d-%02d (%d days)", ErrHolidayFile, h.Name, h.Year, h.Month, h.Day, h.Days)
		}
		name := h.Name
		if name == "" {
			name = "holiday"
		}
		years := []int{h.Year}
		if h.Year == 0 {
			years = years[:0]
			for y := holidayFrom; y < holidayTo; y++ {
				if validDate(y, int(h.Month), h.Day) {
					years = append(years, y)
				}
			}
		}
		for _, y := range years {
			if *budget += int64(h.Days); *budget > maxClosureDays {
				return dst, fmt.Errorf("%w: closures add up to more than %d days", ErrHolidayFile, maxClosureDays)
			}
			first := daysFromCivil(int64(y), int(h.Month), h.Day)
			for d := first; d < first+int64(h.Days); d++ {
				dst = append(dst, closure{day: d, name: name, source: file})
			}
		}
	}
	return dst, nil
}
