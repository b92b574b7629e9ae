package calendar_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/calendar"
)

// The holiday sets checked against the law, 2024-2030. The expected dates are computed here
// from each country's rules, not from rickar/cal; Easter Sundays are taken from the published
// tables.

var easterSundays = map[int]time.Time{
	2023: date(2023, 4, 9), 2024: date(2024, 3, 31), 2025: date(2025, 4, 20), 2026: date(2026, 4, 5),
	2027: date(2027, 3, 28), 2028: date(2028, 4, 16), 2029: date(2029, 4, 1), 2030: date(2030, 4, 21),
	2031: date(2031, 4, 13),
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A rule gives the dates a holiday closes in year y.
type rule func(y int) []time.Time

func fixed(m time.Month, d int) rule {
	return func(y int) []time.Time { return []time.Time{date(y, m, d)} }
}

func easterOffset(n int) rule {
	return func(y int) []time.Time { return []time.Time{easterSundays[y].AddDate(0, 0, n)} }
}

// nth is the n-th weekday wd of month m (n < 0: counted from the month's end).
func nth(m time.Month, wd time.Weekday, n int) rule {
	return func(y int) []time.Time {
		if n > 0 {
			d := date(y, m, 1)
			d = d.AddDate(0, 0, (int(wd)-int(d.Weekday())+7)%7)
			return []time.Time{d.AddDate(0, 0, 7*(n-1))}
		}
		d := date(y, m+1, 0)
		return []time.Time{d.AddDate(0, 0, -((int(d.Weekday()) - int(wd) + 7) % 7))}
	}
}

func only(years []int, r rule) rule {
	return func(y int) []time.Time {
		if slices.Contains(years, y) {
			return r(y)
		}
		return nil
	}
}

func from(first int, r rule) rule {
	return func(y int) []time.Time {
		if y >= first {
			return r(y)
		}
		return nil
	}
}

// nearestWeekday moves Saturday to Friday and Sunday to Monday (US federal holidays,
// 5 U.S.C. 6103).
func nearestWeekday(r rule) rule {
	return func(y int) []time.Time {
		var out []time.Time
		for _, d := range r(y) {
			switch d.Weekday() {
			case time.Saturday:
				d = d.AddDate(0, 0, -1)
			case time.Sunday:
				d = d.AddDate(0, 0, 1)
			}
			out = append(out, d)
		}
		return out
	}
}

// mondayIfWeekend moves a holiday on Saturday or Sunday to the next Monday.
func mondayIfWeekend(r rule) rule {
	return func(y int) []time.Time {
		var out []time.Time
		for _, d := range r(y) {
			switch d.Weekday() {
			case time.Saturday:
				d = d.AddDate(0, 0, 2)
			case time.Sunday:
				d = d.AddDate(0, 0, 1)
			}
			out = append(out, d)
		}
		return out
	}
}

// christmasSubstitutes gives 25 and 26 December, each on a weekend replaced by the next
// weekday not already a holiday (UK bank holidays, Canada).
func christmasSubstitutes(y int) []time.Time {
	var out []time.Time
	taken := map[time.Time]bool{}
	for _, d := range []time.Time{date(y, 12, 25), date(y, 12, 26)} {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			taken[d] = true
		}
	}
	for _, d := range []time.Time{date(y, 12, 25), date(y, 12, 26)} {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || (taken[d] && d.Day() > 26) {
			d = d.AddDate(0, 0, 1)
		}
		for taken[d] && (d.Day() > 26 || d.Weekday() == time.Monday && d.Day() == 26 && len(out) > 0) {
			d = d.AddDate(0, 0, 1)
		}
		taken[d] = true
		out = append(out, d)
	}
	return out
}

var (
	brNational = []rule{fixed(1, 1), easterOffset(-2), fixed(4, 21), fixed(5, 1), fixed(9, 7), fixed(10, 12),
		fixed(11, 2), fixed(11, 15), fixed(11, 20), fixed(12, 25)}
	deNational = []rule{fixed(1, 1), easterOffset(-2), easterOffset(1), fixed(5, 1), easterOffset(39), easterOffset(50),
		fixed(10, 3), fixed(12, 25), fixed(12, 26)}
	nlNational = []rule{fixed(1, 1), easterOffset(1), koningsdag, fixed(5, 5), easterOffset(39), easterOffset(50),
		fixed(12, 25), fixed(12, 26)}
	caNational = []rule{mondayIfWeekend(fixed(1, 1)), easterOffset(-2), victoriaDay, mondayIfWeekend(fixed(7, 1)),
		nth(9, time.Monday, 1), mondayIfWeekend(fixed(9, 30)), nth(10, time.Monday, 2), mondayIfWeekend(fixed(11, 11)),
		christmasSubstitutes}
)

// koningsdag is 27 April, or 26 April when the 27th is a Sunday.
func koningsdag(y int) []time.Time {
	if d := date(y, 4, 27); d.Weekday() != time.Sunday {
		return []time.Time{d}
	}
	return []time.Time{date(y, 4, 26)}
}

// victoriaDay is the last Monday before 25 May.
func victoriaDay(y int) []time.Time {
	d := date(y, 5, 24)
	return []time.Time{d.AddDate(0, 0, -((int(d.Weekday()) - int(time.Monday) + 7) % 7))}
}

var lawSets = []struct {
	code   string
	rules  []rule
	reason string
}{
	{"br", append(slices.Clone(brNational), easterOffset(-48), easterOffset(-47), easterOffset(60)),
		"Leis 662/1949, 6.802/1980, 14.759/2023, Good Friday; Carnaval and Corpus Christi as optional days"},
	{"br-national", brNational, "national holidays only"},
	{"it", []rule{fixed(1, 1), fixed(1, 6), easterOffset(1), fixed(4, 25), fixed(5, 1), fixed(6, 2), fixed(8, 15),
		from(2026, fixed(10, 4)), fixed(11, 1), fixed(12, 8), fixed(12, 25), fixed(12, 26)}, "Legge 260/1949 as amended by Legge 151/2025"},
	{"es", []rule{fixed(1, 1), fixed(1, 6), easterOffset(-2), fixed(5, 1), fixed(8, 15), fixed(10, 12), fixed(11, 1),
		fixed(12, 6), fixed(12, 8), fixed(12, 25)}, "national days of the yearly BOE resolution"},
	{"de", deNational, "Einigungsvertrag and the Länder laws: the nine nationwide days"},
	{"de-be", append(slices.Clone(deNational), fixed(3, 8), only([]int{2025}, fixed(5, 8))), "Berlin: Frauentag, 8 May 2025"},
	{"de-by", append(slices.Clone(deNational), fixed(1, 6), easterOffset(60), fixed(11, 1)), "Bavaria without the local 15 August"},
	{"de-mv", append(slices.Clone(deNational), fixed(3, 8), fixed(10, 31)), "Mecklenburg-Vorpommern: Frauentag from 2023"},
	{"lv", []rule{fixed(1, 1), easterOffset(-2), easterOffset(0), easterOffset(1), fixed(5, 1), mondayIfWeekend(fixed(5, 4)),
		fixed(6, 23), fixed(6, 24), mondayIfWeekend(fixed(11, 18)), fixed(12, 24), fixed(12, 25), fixed(12, 26), fixed(12, 31)},
		"Likums Par svētku, atceres un atzīmējamām dienām"},
	{"pt", []rule{fixed(1, 1), easterOffset(-2), easterOffset(0), fixed(4, 25), fixed(5, 1), easterOffset(60), fixed(6, 10),
		fixed(8, 15), fixed(10, 5), fixed(11, 1), fixed(12, 1), fixed(12, 8), fixed(12, 25)}, "Código do Trabalho art. 234, Lei 8/2016"},
	{"us", []rule{nearestWeekday(fixed(1, 1)), nth(1, time.Monday, 3), nth(2, time.Monday, 3), nth(5, time.Monday, -1),
		nearestWeekday(fixed(6, 19)), nearestWeekday(fixed(7, 4)), nth(9, time.Monday, 1), nth(10, time.Monday, 2),
		nearestWeekday(fixed(11, 11)), nth(11, time.Thursday, 4), nearestWeekday(fixed(12, 25))}, "5 U.S.C. 6103"},
	{"gb", []rule{mondayIfWeekend(fixed(1, 1)), easterOffset(-2), easterOffset(1), nth(5, time.Monday, 1), nth(5, time.Monday, -1),
		nth(8, time.Monday, -1), christmasSubstitutes}, "England and Wales bank holidays"},
	{"fr", []rule{fixed(1, 1), easterOffset(1), fixed(5, 1), fixed(5, 8), easterOffset(39), easterOffset(50), fixed(7, 14),
		fixed(8, 15), fixed(11, 1), fixed(11, 11), fixed(12, 25)}, "Code du travail L3133-1"},
	{"nl", append(slices.Clone(nlNational), easterOffset(-2)), "Algemene termijnenwet plus Good Friday"},
	{"nl-national", nlNational, "Algemene termijnenwet"},
	{"ca", append(slices.Clone(caNational), easterOffset(1), nth(8, time.Monday, 1)), "federal holidays plus Easter Monday and the Civic Holiday"},
	{"ca-national", caNational, "Canada Labour Code general holidays"},
}

func TestHolidaySetsMatchTheLaw(t *testing.T) {
	lo, hi := date(2024, 1, 1), date(2031, 1, 1)
	for _, tt := range lawSets {
		t.Run(tt.code, func(t *testing.T) {
			var want []string
			for y := 2023; y <= 2031; y++ {
				for _, r := range tt.rules {
					for _, d := range r(y) {
						if !d.Before(lo) && d.Before(hi) {
							want = append(want, d.Format(time.DateOnly))
						}
					}
				}
			}
			slices.Sort(want)
			want = slices.Compact(want)
			c := calendar.MustNew(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"daily": {"09:00-17:00"}}, Holidays: []string{tt.code}})
			var got []string
			for _, cl := range c.Closures(lo, hi) {
				got = append(got, cl.Date.Format(time.DateOnly))
			}
			assert.Equal(t, want, got, "%s 2024-2030 (%s)", tt.code, tt.reason)
		})
	}
}
