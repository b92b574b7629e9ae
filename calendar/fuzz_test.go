package calendar_test

import (
	"math"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
)

// FuzzNew feeds arbitrary text to every field of a Spec: New never panics, and a calendar it
// accepts answers every method.
func FuzzNew(f *testing.F) {
	f.Add("America/Sao_Paulo", "mon-fri", "08:00-12:00", "13:00-18:00", "br", "2026-12-31", "08:00-12:00")
	f.Add("Europe/Berlin", "daily", "00:00-04:00", "22:00-24:00", "de-by", "2026-12-24", "")
	f.Add("UTC", "fri-mon", "09:00-09:00", "24:00-24:00", "xx", "2026-02-30", "9-17")
	f.Add("Local", "sunday", "00:00-24:00", "12:00-13:00", "2026-13-01", "0000-01-01", "23:59-24:00")
	f.Add("", "", "", "", "", "", "")
	f.Add("Europe/Rome", "mon-fri", "09:00-13:00", "14:00-18:00", "12-24", "2026-08-03..2026-08-14", "")
	f.Add("Europe/Lisbon", "mon-fri", "09:00-18:00", "", "pt", "02-29", "09:00-12:00")
	f.Add("UTC", "daily", "00:00-24:00", "", "2026-08-14..2026-08-03", "0001-01-01..9999-12-31", "")
	f.Fuzz(func(t *testing.T, zone, day, r1, r2, holiday, date, r3 string) {
		spec := calendar.Spec{
			Timezone:  zone,
			Hours:     map[string][]string{day: {r1, r2}, "sat": {r3}},
			Holidays:  []string{holiday, date},
			Overrides: map[string][]string{date: {r3}},
		}
		c, err := calendar.New(spec)
		if err != nil {
			if c != nil {
				t.Fatalf("New returned a calendar and an error %v", err)
			}
			return
		}
		at := time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)
		u := c.Add(at, 10*time.Hour)
		if got := c.Between(at, u); got != 10*time.Hour {
			t.Fatalf("Between(t, Add(t, 10h)) = %v", got)
		}
		_ = c.IsOpen(at)
		_ = c.NextOpen(at)
		_ = c.NextClose(at)
		_ = c.PrevOpen(at)
		_ = c.PrevClose(at)
		_ = c.AddDays(at, 3)
		_ = c.EndOfDay(at)
		if b := c.Add(u, -10*time.Hour); b.After(u) {
			t.Fatalf("Add(%s, -10h) = %s", u, b)
		}
		_ = c.Closures(at, at.AddDate(1, 0, 0))
	})
}

// fuzzCalendars are the calendars the arithmetic fuzz target works on.
var fuzzCalendars = []calendar.Spec{spDesk, nyDesk, berlinNight, nyAllDay, spMidnight,
	{Timezone: "Australia/Lord_Howe", Hours: map[string][]string{"daily": {"01:00-03:00", "09:00-17:00"}}, Holidays: []string{"au-nsw"}},
	{Timezone: "America/St_Johns", Hours: map[string][]string{"mon-fri": {"08:30-16:30"}}, Holidays: []string{"ca", "2026-12-24"}},
	{Timezone: "Asia/Kolkata", Hours: map[string][]string{"mon-sat": {"10:00-19:00"}}},
	{Timezone: "UTC", Hours: map[string][]string{"wed": {"23:59-24:00"}}, Holidays: []string{"2026-03-04", "2026-03-11", "2026-03-18"}},
	utcOffice,
}

// The fuzz targets take an instant as seconds from 2000-01-01 (within two centuries) and
// durations modulo maxFuzzD, more than a century of round-the-clock time and more than the
// 700,000 h of the audit's case.
const (
	fuzzEpoch = 946684800
	maxFuzzD  = int64(1_000_000 * time.Hour)
)

// FuzzArithmetic checks the invariants on arbitrary instants and durations: Add(t, d) >= t,
// Add is monotone in d, Between(t, Add(t, d)) == d, Add(Add(t, d), -d) == t for an open t,
// PrevOpen and PrevClose are at or before t and agree with IsOpen, AddDays is monotone in n,
// EndOfDay is after t, and IsOpen agrees with NextOpen and NextClose.
func FuzzArithmetic(f *testing.F) {
	for i := range fuzzCalendars {
		f.Add(uint8(i), int64(1772712000-fuzzEpoch), int64(0), int64(2*time.Hour), int64(time.Hour))
		f.Add(uint8(i), int64(1773000000-fuzzEpoch), int64(999999999), int64(40*time.Hour), int64(2000*time.Hour))
		f.Add(uint8(i), int64(1540699200-fuzzEpoch), int64(1), int64(time.Minute), int64(-time.Hour))
	}
	// The audit's cases: 700,000 business hours before and after Friday 2026-03-06 12:00 UTC on
	// UTC office hours, 400,000 before and after Friday 17:30 in São Paulo (spDesk is the
	// reference policy's sp-support with two more overrides). Counting back came out centuries
	// too early.
	f.Add(uint8(len(fuzzCalendars)-1), int64(1772798400-fuzzEpoch), int64(0), int64(700000*time.Hour), int64(700000*time.Hour))
	f.Add(uint8(0), int64(1772829000-fuzzEpoch), int64(0), int64(400000*time.Hour), int64(400000*time.Hour))
	cals := make([]*calendar.Calendar, len(fuzzCalendars))
	for i, s := range fuzzCalendars {
		cals[i] = calendar.MustNew(s)
	}
	const span = int64(200 * 365 * 24 * 3600) // keep instants within two centuries of 2000
	f.Fuzz(func(t *testing.T, which uint8, sec, nsec, d1, d2 int64) {
		c := cals[int(which)%len(cals)]
		sec = fuzzEpoch + sec%span
		at := time.Unix(sec, nsec%int64(time.Second)).In(c.Location())
		d1, d2 = d1%maxFuzzD, d2%maxFuzzD
		if d1 < 0 {
			d1 = -d1
		}
		if d2 < 0 {
			d2 = -d2
		}
		if d1 > d2 {
			d1, d2 = d2, d1
		}
		u1, u2 := c.Add(at, time.Duration(d1)), c.Add(at, time.Duration(d2))
		if u1.Before(at) {
			t.Fatalf("Add(%s, %v) = %s, before its input", at, time.Duration(d1), u1)
		}
		if u2.Before(u1) {
			t.Fatalf("Add(%s, %v) = %s before Add(.., %v) = %s", at, time.Duration(d2), u2, time.Duration(d1), u1)
		}
		// A sum that would end past End is End (a calendar open a minute a week reaches it).
		if got := c.Between(at, u1); got != time.Duration(d1) && !(u1.Equal(calendar.End) && got < time.Duration(d1)) {
			t.Fatalf("Between(%s, Add(.., %v) = %s) = %v", at, time.Duration(d1), u1, got)
		}
		if got := c.Between(u2, at); got != -time.Duration(d2) && !(u2.Equal(calendar.End) && got > -time.Duration(d2)) {
			t.Fatalf("Between(Add(.., %v) = %s, %s) = %v", time.Duration(d2), u2, at, got)
		}
		// Counting back, Start when there is less than that before t.
		if back := c.Add(at, -time.Duration(d1)); back.After(at) ||
			c.Between(back, at) != time.Duration(d1) && !(back.Equal(calendar.Start) && c.Between(back, at) < time.Duration(d1)) {
			t.Fatalf("Add(%s, -%v) = %s", at, time.Duration(d1), back)
		} else if d1 > 0 && !back.Equal(calendar.Start) && !c.IsOpen(back) {
			t.Fatalf("Add(%s, -%v) = %s, closed: not the latest such instant", at, time.Duration(d1), back)
		}
		open := c.IsOpen(at)
		if no := c.NextOpen(at); open != no.Equal(at) || !c.IsOpen(no) {
			t.Fatalf("IsOpen(%s) = %v, NextOpen = %s", at, open, no)
		}
		if nc := c.NextClose(at); open == nc.Equal(at) || (c.IsOpen(nc) && !nc.Equal(calendar.End)) {
			t.Fatalf("IsOpen(%s) = %v, NextClose = %s", at, open, nc)
		}
		if d1 > 0 && u1.Before(calendar.End) && !c.IsOpen(u1.Add(-time.Nanosecond)) {
			t.Fatalf("Add(%s, %v) = %s, not the end of open time", at, time.Duration(d1), u1)
		}
		if open && u1.Before(calendar.End) {
			if back := c.Add(u1, -time.Duration(d1)); !back.Equal(at) {
				t.Fatalf("Add(Add(%s, %v) = %s, -%v) = %s", at, time.Duration(d1), u1, time.Duration(d1), back)
			}
		}
		if got := c.Add(at, math.MinInt64); got.After(at) {
			t.Fatalf("Add(%s, MinInt64) = %s, after its input", at, got)
		}
		po, pc := c.PrevOpen(at), c.PrevClose(at)
		if po.After(at) || pc.After(at) {
			t.Fatalf("PrevOpen(%s) = %s, PrevClose = %s", at, po, pc)
		}
		if !po.Equal(calendar.Start) && (!c.IsOpen(po) || c.IsOpen(po.Add(-time.Nanosecond))) {
			t.Fatalf("PrevOpen(%s) = %s, not the start of an open period", at, po)
		}
		if !pc.Equal(calendar.Start) && (c.IsOpen(pc) || !c.IsOpen(pc.Add(-time.Nanosecond))) {
			t.Fatalf("PrevClose(%s) = %s, not the end of an open period", at, pc)
		}
		if open != po.After(pc) && !po.Equal(calendar.Start) && !pc.Equal(calendar.Start) {
			t.Fatalf("IsOpen(%s) = %v, PrevOpen = %s, PrevClose = %s", at, open, po, pc)
		}
		n1, n2 := int(d1%1000), int(d2%1000)
		if n1 > n2 {
			n1, n2 = n2, n1
		}
		if a, b := c.AddDays(at, n1), c.AddDays(at, n2); a.Before(at) || b.Before(a) || !c.IsOpen(a) && !a.Equal(calendar.End) {
			t.Fatalf("AddDays(%s, %d) = %s, AddDays(.., %d) = %s", at, n1, a, n2, b)
		}
		if e := c.EndOfDay(at); !e.After(at) || !e.Equal(calendar.End) && !c.IsOpen(e.Add(-time.Nanosecond)) {
			t.Fatalf("EndOfDay(%s) = %s", at, e)
		}
	})
}
