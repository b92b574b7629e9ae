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
	holidays  map[string]bool // "2006-01-02"
	overrides map[string][]span
	sets      *cal.Calendar // nil: none
	spec      calendar.Spec
}

func (m *model) isOpen(t time.Time) bool {
	l := t.In(m.loc)
	date := l.Format(time.DateOnly)
	spans, ok := m.overrides[date]
	if !ok {
		closed := m.holidays[date]
		if !closed && m.sets != nil && l.Year() >= 1970 && l.Year() < 2100 {
			_, observed, _ := m.sets.IsHoliday(time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, time.UTC))
			closed = observed
		}
		if closed {
			return false
		}
		spans = m.week[l.Weekday()]
	}
	min := l.Hour()*60 + l.Minute()
	for _, s := range spans {
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
	m := &model{loc: loc, holidays: map[string]bool{}, overrides: map[string][]span{}}
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
		calendars = 300
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
// mismatch.
func checkModel(t *testing.T, m *model, c *calendar.Calendar, start time.Time, minutes int) bool {
	t.Helper()
	open := make([]bool, minutes+1)
	for k := range open {
		open[k] = m.isOpen(start.Add(time.Duration(k) * time.Minute))
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
	cum := time.Duration(0) // business time in [start, start+k min)
	reached := map[time.Duration]time.Time{}
	for k := 0; k <= minutes; k++ {
		at := start.Add(time.Duration(k) * time.Minute)
		if got := c.IsOpen(at); got != open[k] {
			t.Errorf("%s: IsOpen(%s) = %v, want %v", m.name, at.In(m.loc), got, open[k])
			return false
		}
		if got := c.Between(start, at); got != cum {
			t.Errorf("%s: Between(%s, %s) = %v, want %v", m.name, start.In(m.loc), at.In(m.loc), got, cum)
			return false
		}
		if _, ok := reached[cum]; !ok {
			reached[cum] = at
		}
		if j := nextOpen[k]; j >= 0 {
			want := start.Add(time.Duration(j) * time.Minute)
			if got := c.NextOpen(at); !got.Equal(want) {
				t.Errorf("%s: NextOpen(%s) = %s, want %s", m.name, at.In(m.loc), got.In(m.loc), want.In(m.loc))
				return false
			}
		}
		if j := nextClosed[k]; j >= 0 {
			want := start.Add(time.Duration(j) * time.Minute)
			if got := c.NextClose(at); !got.Equal(want) {
				t.Errorf("%s: NextClose(%s) = %s, want %s", m.name, at.In(m.loc), got.In(m.loc), want.In(m.loc))
				return false
			}
		}
		if k < minutes && open[k] {
			cum += time.Minute
		}
	}
	for d, want := range reached {
		if got := c.Add(start, d); !got.Equal(want) {
			t.Errorf("%s: Add(%s, %v) = %s, want %s", m.name, start.In(m.loc), d, got.In(m.loc), want.In(m.loc))
			return false
		}
		if d > 0 && d < cum {
			// Counting back from the end: the earliest instant with cum-d of business time
			// before the end is the earliest that had d after the start.
			end := start.Add(time.Duration(minutes) * time.Minute)
			if got := c.Add(end, -(cum - d)); !got.Equal(want) {
				t.Errorf("%s: Add(%s, %v) = %s, want %s", m.name, end.In(m.loc), -(cum - d), got.In(m.loc), want.In(m.loc))
				return false
			}
		}
	}
	return true
}
