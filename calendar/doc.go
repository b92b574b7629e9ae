// Package calendar does exact, DST-correct business-time arithmetic: whether an instant is
// within business hours, how much business time lies between two instants, and which instant
// is a given amount of business time after another.
//
// A [Calendar] is compiled from a [Spec] (the form a policy document uses) by [New]: a time
// zone, open ranges per weekday (several per day, for lunch breaks), holidays (sets by country
// or region, dates, dates every year, ranges of dates for closures), and date overrides (half
// days, special openings, closures).
//
// # Semantics
//
// An instant is open when its wall-clock time in the calendar's zone falls inside an open range
// of its local date. Ranges are half open, [start, end), and may end at 24:00. Business time is
// real elapsed time while open: on the day clocks spring forward a 01:00-04:00 range holds two
// hours, on the day they fall back it holds four. A range whose start lies in the skipped hour
// opens at the first instant after the gap. Shifts across midnight are written as two ranges on
// two days; a holiday closes the local date it names, so it closes only the part of a shift on
// that date.
//
// Precedence on a date, lowest first: weekly hours, holiday, override. A holiday set closes
// the date each holiday is observed on (a US holiday on a Saturday closes the Friday); rules are
// applied to the years 1970 to 2099, as are dates every year ("12-24"); explicit dates and
// ranges apply to any year.
//
// [Calendar.Add] with a positive duration returns the earliest instant that reaches it: a
// target that runs out exactly at closing time is due at closing time, not at the next
// opening. Add(t, 0) is t. With a negative duration it counts back and returns the latest
// instant with that much business time before t: eight business hours before Friday 17:00 on a
// 09:00-17:00 calendar is Friday 09:00, and Add(Add(t, d), -d) == t whenever t is open.
// [Calendar.Between] counts [a, b) and is negative when b is before a, so that
// Between(t, Add(t, d)) == d for every d whose result is within range (the most negative
// Duration counts as -[math.MaxInt64]). Sub-second precision of
// the inputs is kept.
//
// # Navigation and business days
//
// [Calendar.NextOpen], [Calendar.NextClose], [Calendar.PrevOpen] and [Calendar.PrevClose]
// find the edges of open periods. Periods are maximal: a day open until 24:00 followed by a day
// open from 00:00 is one period. A business day is a local date with open hours:
// [Calendar.AddDays] moves n business days at the same wall-clock time ("3 business days"),
// [Calendar.EndOfDay] finds the close of the business day ("by end of day"), and
// [Calendar.Closures] lists the dates a holiday, a closure or an override closes, each with
// its name and the entry that closes it.
//
// # Holiday sets
//
// Set codes ([HolidaySets]) come from rickar/cal, with a small supplement carried by slakit
// for holidays created by law since rickar/cal's data was written (Brazil's Dia da
// Consciência Negra from 2024, Italy's 4 October from 2026, Berlin's 8 May 2025,
// Mecklenburg-Vorpommern's 8 March from 2023) and a Portuguese set. "br", "ca" and "nl" also
// close widely observed days that are not public holidays by national law (Brazil's Carnaval
// and Corpus Christi, Canada's Easter Monday and Civic Holiday, Good Friday in the
// Netherlands); "br-national", "ca-national" and "nl-national" close the public holidays only.
//
// Holiday entries may also name files ("closures.ics"): [WithHolidayFiles] tells [New] how to
// read them, and package calendar/ics reads iCalendar files.
//
// # Zone and range
//
// Offset changes come from the Go time zone database (the system's, or time/tzdata when the
// host embeds it) for 1900 to 2099; outside those years the offset in force at the nearer end
// is kept. The arithmetic covers the instants from [Start] to [End] (years 1 to 9999): inputs
// outside are taken as the nearer end, and results that would lie past End are End, or Start
// when there is less business time than asked before t. Sums and counts back are exact over
// any span up to the largest [time.Duration] (about 292 years of round-the-clock business time),
// in both directions; Between saturates at the largest Duration.
//
// # Speed
//
// Whole weeks are skipped arithmetically, holidays and overrides are counted from a sorted
// table with prefix sums (of open time and of business days), and offset changes from another,
// so [Calendar.Add], [Calendar.Between] and [Calendar.AddDays] cost a few binary searches
// whatever the span. They allocate nothing once the calendar's table of open periods covers
// the days they reach (see [Calendar]): for the years 1900 to 2099, these three and
// [Calendar.NextOpen] fill that table about six days at a time when a call first needs them,
// keeping at most about 2 MB per calendar (filling it allocates up to about half as much
// again, left to the collector). The other methods allocate nothing,
// except [Calendar.Closures] and [Calendar.Hours], which return new slices.
// Every search that walks forward is bounded by the number of table entries.
//
// # Zero value
//
// The zero Calendar, a nil *Calendar and [Always] are open 24x7 in UTC: Between(a, b) is
// b.Sub(a) and Add(t, d) is t.Add(d). [Calendar.NextClose] of a calendar that never closes is
// [End], its [Calendar.PrevOpen] and [Calendar.PrevClose] are [Start], every UTC date is a
// business day and [Calendar.EndOfDay] is the next UTC midnight.
//
// # Errors
//
// [New] reports every problem of a Spec at once as [SpecErrors]; each [SpecError] names the
// field and the value, and wraps one of the sentinel errors ([ErrUnknownZone], [ErrBadRange],
// [ErrReversedRange], [ErrOverlap], [ErrDuplicateDay], [ErrUnknownDay],
// [ErrUnknownHolidaySet], [ErrBadDate], [ErrNoOpenTime], [ErrHolidayFile]) for [errors.Is]. A week with no open
// time is an error, so every search terminates.
package calendar
