// Package calendar does exact, DST-correct business-time arithmetic: whether an instant is
// within business hours, how much business time lies between two instants, and which instant
// is a given amount of business time after another.
//
// A [Calendar] is compiled from a [Spec] (the form a policy document uses) by [New]: a time
// zone, open ranges per weekday (several per day, for lunch breaks), holidays from rickar/cal
// sets or explicit dates, and date overrides (half days, special openings, closures).
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
// applied to the years 1970 to 2099, explicit dates to any year.
//
// [Calendar.Add] returns the earliest instant that reaches the duration: a target that runs
// out exactly at closing time is due at closing time, not at the next opening. Add(t, 0) is t.
// [Calendar.Between] counts [a, b) and is negative when b is before a, so that
// Between(t, Add(t, d)) == d for every d. Sub-second precision of the inputs is kept.
//
// # Zone and range
//
// Offset changes come from the Go time zone database (the system's, or time/tzdata when the
// host embeds it) for 1900 to 2099; outside those years the offset in force at the nearer end
// is kept. The arithmetic covers the instants from [Start] to [End] (years 1 to 9999): inputs
// outside are taken as the nearer end, and results that would lie past End are End. Durations
// saturate at the largest [time.Duration] (about 292 years of business time); near that limit
// Between may come out slightly short.
//
// # Speed
//
// Whole weeks are skipped arithmetically, holidays and overrides are counted from a sorted
// table with prefix sums, and offset changes from another, so [Calendar.Add] and
// [Calendar.Between] cost a few binary searches whatever the span, and allocate nothing.
// Every search that walks forward is bounded by the number of table entries.
//
// # Zero value
//
// The zero Calendar, a nil *Calendar and [Always] are open 24x7 in UTC: Between(a, b) is
// b.Sub(a) and Add(t, d) is t.Add(d). [Calendar.NextClose] of a calendar that never closes is
// [End].
//
// # Errors
//
// [New] reports every problem of a Spec at once as [SpecErrors]; each [SpecError] names the
// field and the value, and wraps one of the sentinel errors ([ErrUnknownZone], [ErrBadRange],
// [ErrReversedRange], [ErrOverlap], [ErrDuplicateDay], [ErrUnknownDay],
// [ErrUnknownHolidaySet], [ErrBadDate], [ErrNoOpenTime]) for [errors.Is]. A week with no open
// time is an error, so every search terminates.
package calendar
