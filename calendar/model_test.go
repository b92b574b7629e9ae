package calendar_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/us"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

// The brute-force model: a calendar as plain data, asked minute by minute. It shares no code
// with the package; holiday sets are asked of rickar/cal's own IsHoliday.

type span struct{ open, close int } // minutes of the day, [open, close)

type model struct {
	name      string
	loc       *time.Location
	week      [7][]span
	holidays  map[string]bool   // "2006-01-02"
	yearly    map[string]bool   // "01-02"
	byDate    map[string][]span // cache of spans
	overrides map[string][]span
	sets      *cal.Calendar // nil: none
	spec      calendar.Spec
}

// spans returns the open spans of the local date of l.
func (m *model) spans(l time.Time) []span {
	date := l.Format(time.DateOnly)
	if spans, ok := m.byDate[date]; ok {
		return spans
	}
	spans := m.dateSpans(l, date)
	if m.byDate == nil {
		m.byDate = map[string][]span{}
	}
	m.byDate[date] = spans
	return spans
}

func (m *model) dateSpans(l time.Time, date string) []span {
	if spans, ok := m.overrides[date]; ok {
		return spans
	}
	closed := m.holidays[date] || (l.Year() >= 1970 && l.Year() < 2100 && m.yearly[l.Format("01-02")])
	if !closed && m.sets != nil && l.Year() >= 1970 && l.Year() < 2100 {
		_, observed, _ := m.sets.IsHoliday(time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, time.UTC))
		closed = observed
	}
	if closed {
		return nil
	}
	return m.week[l.Weekday()]
}

func (m *model) isOpen(t time.Time) bool {
	l := t.In(m.loc)
	min := l.Hour()*60 + l.Minute()
	for _, s := range m.spans(l) {
		if min >= s.open && min < s.close {
			return true
		}
	}
	return false
}

var dayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func spansText(ss []span) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, hhmm(s.open)+"-"+hhmm(s.close))
	}
	return out
}

// randomSpans makes up to three disjoint spans; boundaries favour the DST hours and midnight.
func randomSpans(r *rand.Rand) []span {
	cuts := map[int]bool{}
	n := r.IntN(4) * 2
	picks := []int{0, 60, 90, 120, 150, 180, 240, 480, 720, 780, 1080, 1410, 1440}
	for len(cuts) < n {
		var c int
		if r.IntN(2) == 0 {
			c = picks[r.IntN(len(picks))]
		} else {
			c = r.IntN(1441)
		}
		cuts[c] = true
	}
	var cs []int
	for c := range cuts {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	var out []span
	for i := 0; i+1 < len(cs); i += 2 {
		out = append(out, span{cs[i], cs[i+1]})
	}
	return out
}

var modelZones = []string{
	"America/New_York", "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe",
	"Asia/Kolkata", "America/St_Johns", "UTC",
}

// interesting instants: DST switches, year ends, Sao Paulo's historic midnight switches.
var modelStarts = []string{
	"2024-03-09T00:00:00Z", "2024-11-02T00:00:00Z", "2026-03-28T00:00:00Z", "2026-10-24T00:00:00Z",
	"2017-10-14T00:00:00Z", "2018-02-16T00:00:00Z", "2018-11-03T00:00:00Z", "2019-02-15T00:00:00Z",
	"2024-04-06T00:00:00Z", "2024-10-05T00:00:00Z", "2025-12-30T00:00:00Z", "2026-12-23T00:00:00Z",
	"2024-02-28T00:00:00Z", "2026-11-25T00:00:00Z", "2026-07-01T00:00:00Z", "2027-12-22T00:00:00Z",
	"2027-12-29T00:00:00Z", "2022-12-23T00:00:00Z",
}

func randomModel(r *rand.Rand, i int) *model {
	loc, err := time.LoadLocation(modelZones[r.IntN(len(modelZones))])
	if err != nil {
		panic(err)
	}
	m := &model{loc: loc, holidays: map[string]bool{}, yearly: map[string]bool{}, overrides: map[string][]span{}}
	m.spec = calendar.Spec{Timezone: loc.String(), Hours: map[string][]string{}, Overrides: map[string][]string{}}
	for {
		for d := range 7 {
			m.week[d] = randomSpans(r)
		}
		total := 0
		for d := range 7 {
			for _, s := range m.week[d] {
				total += s.close - s.open
			}
		}
		if total > 0 {
			break
		}
	}
	for d := range 7 {
		m.spec.Hours[dayKeys[d]] = spansText(m.week[d])
	}
	start, _ := time.Parse(time.RFC3339, modelStarts[r.IntN(len(modelStarts))])
	for range r.IntN(4) {
		date := start.AddDate(0, 0, r.IntN(6)).Format(time.DateOnly)
		m.holidays[date] = true
		m.spec.Holidays = append(m.spec.Holidays, date)
	}
	if r.IntN(3) == 0 { // a date every year
		date := start.AddDate(0, 0, r.IntN(6))
		m.yearly[date.Format("01-02")] = true
		m.spec.Holidays = append(m.spec.Holidays, date.Format("01-02"))
	}
	if r.IntN(3) == 0 { // a closure
		from := start.AddDate(0, 0, r.IntN(6))
		to := from.AddDate(0, 0, r.IntN(4))
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			m.holidays[d.Format(time.DateOnly)] = true
		}
		m.spec.Holidays = append(m.spec.Holidays, from.Format(time.DateOnly)+".."+to.Format(time.DateOnly))
	}
	for range r.IntN(3) {
		date := start.AddDate(0, 0, r.IntN(6)).Format(time.DateOnly)
		m.overrides[date] = randomSpans(r)
		m.spec.Overrides[date] = spansText(m.overrides[date])
	}
	switch r.IntN(4) {
	case 0:
		m.sets = &cal.Calendar{}
		m.sets.AddHoliday(us.Holidays...)
		m.spec.Holidays = append(m.spec.Holidays, "us")
	case 1:
		m.sets = &cal.Calendar{}
		m.sets.AddHoliday(br.Holidays...)
		m.spec.Holidays = append(m.spec.Holidays, "br")
	case 2:
		m.sets = &cal.Calendar{}
		m.sets.AddHoliday(de.HolidaysBY...)
		m.spec.Holidays = append(m.spec.Holidays, "de-by")
	}
	r.Shuffle(len(m.spec.Holidays), func(a, b int) {
		m.spec.Holidays[a], m.spec.Holidays[b] = m.spec.Holidays[b], m.spec.Holidays[a]
	})
	m.name = fmt.Sprintf("#%d %s from %s", i, loc, start.Format(time.DateOnly))
	return m
}

// TestAgainstModel compares every operation with the minute-stepping model on random calendars
// in DST zones, around DST switches and year ends, with holidays and overrides.
func TestAgainstModel(t *testing.T) {
	cal.DefaultLoc = time.UTC // the model asks rickar/cal; the package must not care
	calendars, minutes := 3000, 4*24*60
	if raceEnabled || testing.Short() {
		calendars = 240 // each calendar checks eleven operations; keep the race run near 20 s
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range calendars {
		m := randomModel(r, i)
		c, err := calendar.New(m.spec)
		require.NoError(t, err, m.name)
		start, _ := time.Parse(time.RFC3339, modelStarts[r.IntN(len(modelStarts))])
		start = start.Add(time.Duration(r.IntN(48*60)) * time.Minute)
		if !checkModel(t, m, c, start, minutes) {
			return
		}
	}
}

// checkModel walks minutes from start and checks every operation; it stops at the first
// mismatch. Answers that depend on time outside the walk are not checked.
func checkModel(t *testing.T, m *model, c *calendar.Calendar, start time.Time, minutes int) bool {
	t.Helper()
	at := func(k int) time.Time { return start.Add(time.Duration(k) * time.Minute) }
	fail := func(format string, args ...any) bool {
		t.Errorf("%s: "+format, append([]any{m.name}, args...)...)
		return false
	}
	open := make([]bool, minutes+1)
	dates := make([]string, minutes+1) // local date of each minute
	for k := range open {
		open[k] = m.isOpen(at(k))
		dates[k] = at(k).In(m.loc).Format(time.DateOnly)
	}
	// nextOpen[k], nextClosed[k]: first minute index >= k that is open / closed (or -1).
	nextOpen, nextClosed := make([]int, minutes+1), make([]int, minutes+1)
	no, nc := -1, -1
	for k := minutes; k >= 0; k-- {
		if open[k] {
			no = k
		} else {
			nc = k
		}
		nextOpen[k], nextClosed[k] = no, nc
	}
	// eod[k]: minute index of the end of the business day of minute k by the model: the end of
	// the last open minute of k's date if that is after k, else of the next date with open
	// minutes; -1 when the walk does not hold the whole date.
	lastOpen := map[string]int{}
	for k := range open {
		if open[k] {
			lastOpen[dates[k]] = k
		}
	}
	eod := make([]int, minutes+1)
	nextDate := -1 // index of the first minute of the date after dates[k]
	for k := minutes; k >= 0; k-- {
		if k < minutes && dates[k+1] != dates[k] {
			nextDate = k + 1
		}
		switch j, ok := lastOpen[dates[k]]; {
		case dates[minutes] == dates[k]:
			eod[k] = -1 // the date may go on past the walk
		case ok && j >= k:
			eod[k] = j + 1
		case nextDate >= 0:
			eod[k] = eod[nextDate]
		default:
			eod[k] = -1
		}
	}
	tods := make([]int, minutes+1)
	for k := range tods {
		l := at(k).In(m.loc)
		tods[k] = l.Hour()*60 + l.Minute()
	}

	cum := time.Duration(0) // business time in [start, start+k min)
	first, last := map[time.Duration]int{}, map[time.Duration]int{}
	prevStart, prevEnd := -1, -1 // latest minute index <= k where a period starts / ends
	for k := 0; k <= minutes; k++ {
		if k > 0 && open[k] && !open[k-1] {
			prevStart = k
		}
		if k > 0 && !open[k] && open[k-1] {
			prevEnd = k
		}
		if got := c.IsOpen(at(k)); got != open[k] {
			return fail("IsOpen(%s) = %v, want %v", at(k).In(m.loc), got, open[k])
		}
		if got := c.Between(start, at(k)); got != cum {
			return fail("Between(%s, %s) = %v, want %v", start.In(m.loc), at(k).In(m.loc), got, cum)
		}
		if _, ok := first[cum]; !ok {
			first[cum] = k
		}
		last[cum] = k
		if j := nextOpen[k]; j >= 0 {
			if got := c.NextOpen(at(k)); !got.Equal(at(j)) {
				return fail("NextOpen(%s) = %s, want %s", at(k).In(m.loc), got.In(m.loc), at(j).In(m.loc))
			}
		}
		if j := nextClosed[k]; j >= 0 {
			if got := c.NextClose(at(k)); !got.Equal(at(j)) {
				return fail("NextClose(%s) = %s, want %s", at(k).In(m.loc), got.In(m.loc), at(j).In(m.loc))
			}
		}
		if prevStart >= 0 {
			if got := c.PrevOpen(at(k)); !got.Equal(at(prevStart)) {
				return fail("PrevOpen(%s) = %s, want %s", at(k).In(m.loc), got.In(m.loc), at(prevStart).In(m.loc))
			}
		}
		if prevEnd >= 0 {
			if got := c.PrevClose(at(k)); !got.Equal(at(prevEnd)) {
				return fail("PrevClose(%s) = %s, want %s", at(k).In(m.loc), got.In(m.loc), at(prevEnd).In(m.loc))
			}
		}
		if want := eod[k]; want >= 0 {
			if got := c.EndOfDay(at(k)); !got.Equal(at(want)) {
				return fail("EndOfDay(%s) = %s, want %s", at(k).In(m.loc), got.In(m.loc), at(want).In(m.loc))
			}
		}
		if k%29 == 0 {
			for _, n := range []int{1, 2} {
				if want, ok := m.addDays(at, dates, tods, nextOpen, k, n); ok {
					if got := c.AddDays(at(k), n); !got.Equal(at(want)) {
						return fail("AddDays(%s, %d) = %s, want %s", at(k).In(m.loc), n, got.In(m.loc), at(want).In(m.loc))
					}
				}
			}
		}
		if k < minutes && open[k] {
			cum += time.Minute
		}
	}
	end := at(minutes)
	for d, k := range first {
		if got := c.Add(start, d); !got.Equal(at(k)) {
			return fail("Add(%s, %v) = %s, want %s", start.In(m.loc), d, got.In(m.loc), at(k).In(m.loc))
		}
		if d < cum {
			// Counting back from the end: the latest instant with cum-d of business time
			// before the end is the last that had d after the start.
			want := at(last[d])
			if got := c.Add(end, -(cum - d)); !got.Equal(want) {
				return fail("Add(%s, %v) = %s, want %s", end.In(m.loc), -(cum - d), got.In(m.loc), want.In(m.loc))
			}
		}
	}
	return true
}

// addDays returns the minute index of AddDays(at(k), n) by the model: from the next open
// minute, the same wall-clock time n dates with open hours later (the first minute at or after
// it), then the next open minute. False when the walk does not hold the answer.
func (m *model) addDays(at func(int) time.Time, dates []string, tods, nextOpen []int, k, n int) (int, bool) {
	s := nextOpen[k]
	if s < 0 {
		return 0, false
	}
	l := at(s).In(m.loc)
	y, mo, d := l.Date()
	day := time.Date(y, mo, d, 12, 0, 0, 0, time.UTC)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if len(m.spans(time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, m.loc))) > 0 {
			n--
		}
	}
	target := day.Format(time.DateOnly)
	if target > dates[len(dates)-1] {
		return 0, false
	}
	// Dates are in order in the walk: find the target's first minute by bisection.
	i0, _ := slices.BinarySearch(dates, target)
	for i := max(s, i0); i < len(dates); i++ {
		if dates[i] > target || (dates[i] == target && tods[i] >= tods[s]) {
			if j := nextOpen[i]; j >= 0 {
				return j, true
			}
			return 0, false
		}
	}
	return 0, false
}
