package calendar_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/slakit/slakit/calendar"
)

// The side-by-side comparison uses the same calendar in both libraries: Mon-Fri 09:00-17:00 in
// New York with US holidays.

func benchCalendars(b *testing.B) (*calendar.Calendar, *cal.BusinessCalendar, time.Time) {
	b.Helper()
	c := calendar.MustNew(nyDesk)
	rc := cal.NewBusinessCalendar()
	rc.AddHoliday(us.Holidays...)
	return c, rc, time.Date(2026, 3, 2, 9, 30, 0, 0, c.Location())
}

var sinkTime time.Time
var sinkDur time.Duration
var sinkBool bool

func BenchmarkAdd(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	// 20 minutes: a sum ending in the open range of its instant.
	for _, d := range []time.Duration{20 * time.Minute, 8 * time.Hour, 40 * time.Hour, 2000 * time.Hour} {
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = c.Add(t0, d)
			}
		})
	}
}

func BenchmarkBetween(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	// 20 minutes: a sum within one open range (a reply minutes after a message).
	for _, d := range []time.Duration{20 * time.Minute, 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour} {
		end := t0.Add(d)
		if d >= 24*time.Hour {
			end = t0.AddDate(0, 0, int(d/(24*time.Hour))) // whole local days
		}
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDur = c.Between(t0, end)
			}
		})
	}
}

func BenchmarkIsOpen(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = c.IsOpen(t0)
	}
}

func BenchmarkNextOpen(b *testing.B) {
	c, _, _ := benchCalendars(b)
	fri := time.Date(2026, 3, 6, 18, 0, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.NextOpen(fri)
	}
}

func BenchmarkAddBackward(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	for _, d := range []time.Duration{8 * time.Hour, 40 * time.Hour, 2000 * time.Hour} {
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = c.Add(t0, -d)
			}
		})
	}
}

func BenchmarkPrevOpen(b *testing.B) {
	c, _, _ := benchCalendars(b)
	mon := time.Date(2026, 3, 9, 7, 0, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.PrevOpen(mon)
	}
}

func BenchmarkPrevClose(b *testing.B) {
	c, _, _ := benchCalendars(b)
	mon := time.Date(2026, 3, 9, 7, 0, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.PrevClose(mon)
	}
}

func BenchmarkAddDays(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	for _, n := range []int{1, 10, 250, 2500} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = c.AddDays(t0, n)
			}
		})
	}
}

// BenchmarkAddDaysSpread is BenchmarkAddDays from a new date at every call (the days of a
// year in turn), so that the memo of counts of business days never holds the answer:
// BenchmarkAddDays, from one instant, measures the memo's hits.
func BenchmarkAddDaysSpread(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	var ts [365]time.Time
	for i := range ts {
		ts[i] = t0.AddDate(0, 0, i)
	}
	for _, n := range []int{1, 10, 250} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkTime = c.AddDays(ts[i], n)
				if i++; i == len(ts) {
					i = 0
				}
			}
		})
	}
}

func BenchmarkEndOfDay(b *testing.B) {
	c, _, _ := benchCalendars(b)
	fri := time.Date(2026, 3, 6, 18, 0, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.EndOfDay(fri)
	}
}

func BenchmarkClosures(b *testing.B) {
	c, _, _ := benchCalendars(b)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, c.Location()), time.Date(2027, 1, 1, 0, 0, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sinkClosures = c.Closures(from, to)
	}
}

var sinkClosures []calendar.Closure

// BenchmarkAddParallel shares one compiled calendar between goroutines.
func BenchmarkAddParallel(b *testing.B) {
	c, _, t0 := benchCalendars(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			sinkTime = c.Add(t0, 40*time.Hour)
		}
	})
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = calendar.MustNew(spDesk)
	}
}

// BenchmarkVsRickar measures slakit and rickar/cal side by side in one run.
func BenchmarkVsRickar(b *testing.B) {
	c, rc, t0 := benchCalendars(b)
	end := t0.AddDate(0, 0, 30)
	b.Run("Add40h/slakit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkTime = c.Add(t0, 40*time.Hour)
		}
	})
	b.Run("Add40h/rickar", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkTime = rc.AddWorkHours(t0, 40*time.Hour)
		}
	})
	b.Run("Between30d/slakit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkDur = c.Between(t0, end)
		}
	})
	b.Run("Between30d/rickar", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkDur = rc.WorkHoursInRange(t0, end)
		}
	})
}

// The two libraries agree on this calendar away from DST days, so the comparison measures
// the same work.
func TestRickarAgrees(t *testing.T) {
	c := calendar.MustNew(nyDesk)
	rc := cal.NewBusinessCalendar()
	rc.AddHoliday(us.Holidays...)
	cal.DefaultLoc = time.UTC
	t0 := time.Date(2026, 4, 1, 9, 30, 0, 0, c.Location())
	if got, want := c.Add(t0, 40*time.Hour), rc.AddWorkHours(t0, 40*time.Hour); !got.Equal(want) {
		t.Errorf("Add(%s, 40h) = %s, rickar/cal says %s", t0, got, want)
	}
	end := t0.AddDate(0, 0, 30)
	if got, want := c.Between(t0, end), rc.WorkHoursInRange(t0, end); got != want {
		t.Errorf("Between(%s, %s) = %v, rickar/cal says %v", t0, end, got, want)
	}
}
