package calendar

// This file is the only one that knows rickar/cal: it maps set codes to holiday lists (rickar/cal's
// rules and slakit's own from supplement.go) and turns their rules into local dates. rickar/cal computes a rule's date as midnight in its DefaultLoc
// (the host's time.Local); we take the civil date that midnight stands for, even where it does
// not exist, and apply the offset and observed-day rules ourselves on civil dates, so neither
// time.Local nor rickar/cal's caches change a result. Holiday values are only read, never changed.

import (
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ecb"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// Rule-based holiday sets are applied to the years [holidayFrom, holidayTo); dates listed
// explicitly apply whatever their year.
const (
	holidayFrom = 1970
	holidayTo   = 2100
)

// holidaySet is one set a [Spec] may name: a code and the holidays it closes, rickar/cal's
// rules and slakit's own (supplement.go).
type holidaySet struct {
	code  string
	rules []*cal.Holiday
	own   []*lawHoliday
}

// holidaySets is every set, sorted by code.
var holidaySets = sortedSets([]holidaySet{
	{code: "ar", rules: ar.Holidays},
	{code: "at", rules: at.Holidays},
	{code: "au-act", rules: au.HolidaysACT},
	{code: "au-nsw", rules: au.HolidaysNSW},
	{code: "au-nt", rules: au.HolidaysNT},
	{code: "au-qld", rules: au.HolidaysQLD},
	{code: "au-sa", rules: au.HolidaysSA},
	{code: "au-tas", rules: au.HolidaysTAS},
	{code: "au-vic", rules: au.HolidaysVIC},
	{code: "au-wa", rules: au.HolidaysWA},
	{code: "be", rules: be.Holidays},
	{code: "bg", rules: bg.Holidays},
	{code: "br", rules: br.Holidays, own: []*lawHoliday{brCarnavalMonday, brConscienciaNegra}},
	{code: "br-national", rules: without(br.Holidays, br.Carnaval, br.CorpusChristi), own: []*lawHoliday{brConscienciaNegra}},
	{code: "ca", rules: ca.Holidays},
	{code: "ca-national", rules: without(ca.Holidays, ca.EasterMonday, ca.CivicDay)},
	{code: "ch", rules: ch.Holidays},
	{code: "ch-ag", rules: ch.HolidaysAG},
	{code: "ch-ai", rules: ch.HolidaysAI},
	{code: "ch-ar", rules: ch.HolidaysAR},
	{code: "ch-be", rules: ch.HolidaysBE},
	{code: "ch-bl", rules: ch.HolidaysBL},
	{code: "ch-bs", rules: ch.HolidaysBS},
	{code: "ch-fr", rules: ch.HolidaysFR},
	{code: "ch-ge", rules: ch.HolidaysGE},
	{code: "ch-gl", rules: ch.HolidaysGL},
	{code: "ch-gr", rules: ch.HolidaysGR},
	{code: "ch-ju", rules: ch.HolidaysJU},
	{code: "ch-lu", rules: ch.HolidaysLU},
	{code: "ch-ne", rules: ch.HolidaysNE},
	{code: "ch-nw", rules: ch.HolidaysNW},
	{code: "ch-ow", rules: ch.HolidaysOW},
	{code: "ch-sg", rules: ch.HolidaysSG},
	{code: "ch-sh", rules: ch.HolidaysSH},
	{code: "ch-so", rules: ch.HolidaysSO},
	{code: "ch-sz", rules: ch.HolidaysSZ},
	{code: "ch-tg", rules: ch.HolidaysTG},
	{code: "ch-ti", rules: ch.HolidaysTI},
	{code: "ch-ur", rules: ch.HolidaysUR},
	{code: "ch-vd", rules: ch.HolidaysVD},
	{code: "ch-vs", rules: ch.HolidaysVS},
	{code: "ch-zg", rules: ch.HolidaysZG},
	{code: "ch-zh", rules: ch.HolidaysZH},
	{code: "cz", rules: cz.Holidays},
	{code: "de", rules: de.Holidays},
	{code: "de-bb", rules: de.HolidaysBB},
	{code: "de-be", rules: de.HolidaysBE, own: []*lawHoliday{deBerlinBefreiung2020, deBerlinBefreiung2025}},
	{code: "de-bw", rules: de.HolidaysBW},
	{code: "de-by", rules: de.HolidaysBY},
	{code: "de-hb", rules: de.HolidaysHB},
	{code: "de-he", rules: de.HolidaysHE},
	{code: "de-hh", rules: de.HolidaysHH},
	{code: "de-mv", rules: de.HolidaysMV, own: []*lawHoliday{deMVFrauentag}},
	{code: "de-ni", rules: de.HolidaysNI},
	{code: "de-nw", rules: de.HolidaysNW},
	{code: "de-rp", rules: de.HolidaysRP},
	{code: "de-sh", rules: de.HolidaysSH},
	{code: "de-sl", rules: de.HolidaysSL},
	{code: "de-sn", rules: de.HolidaysSN},
	{code: "de-st", rules: de.HolidaysST},
	{code: "de-th", rules: de.HolidaysTH},
	{code: "dk", rules: dk.Holidays},
	{code: "ecb", rules: ecb.Holidays},
	{code: "es", rules: es.Holidays},
	{code: "fr", rules: fr.Holidays},
	{code: "gb", rules: gb.Holidays},
	{code: "gr", rules: gr.Holidays},
	{code: "hr", rules: hr.Holidays},
	{code: "ie", rules: ie.Holidays},
	{code: "it", rules: it.Holidays, own: []*lawHoliday{itSanFrancesco}},
	{code: "jp", rules: jp.Holidays},
	{code: "lt", rules: lt.Holidays},
	{code: "lv", rules: lv.Holidays},
	{code: "mw", rules: mw.Holidays},
	{code: "nc", rules: nc.Holidays},
	{code: "nl", rules: nl.Holidays},
	{code: "nl-national", rules: without(nl.Holidays, nl.GoedeVrijdag)},
	{code: "no", rules: no.Holidays},
	{code: "nz", rules: nz.Holidays},
	{code: "pl", rules: pl.Holidays},
	{code: "pt", own: ptHolidays},
	{code: "ro", rules: ro.Holidays},
	{code: "ru", rules: ru.Holidays},
	{code: "se", rules: se.Holidays},
	{code: "si", rules: si.Holidays},
	{code: "sk", rules: sk.Holidays},
	{code: "ua", rules: ua.Holidays},
	{code: "us", rules: us.Holidays},
	{code: "za", rules: za.Holidays},
})

// without returns the holidays of list other than drop.
func without(list []*cal.Holiday, drop ...*cal.Holiday) []*cal.Holiday {
	return slices.DeleteFunc(slices.Clone(list), func(h *cal.Holiday) bool { return slices.Contains(drop, h) })
}

// sortedSets sorts a table by code.
func sortedSets(out []holidaySet) []holidaySet {
	slices.SortFunc(out, func(x, y holidaySet) int { return strings.Compare(x.code, y.code) })
	return out
}

// lookupSet returns the set of a code.
func lookupSet(code string) (*holidaySet, bool) {
	i, ok := slices.BinarySearchFunc(holidaySets, code, func(s holidaySet, c string) int { return strings.Compare(s.code, c) })
	if !ok {
		return nil, false
	}
	return &holidaySets[i], true
}

// HolidaySets returns the holiday set codes a [Spec] may name, sorted: ISO 3166 country codes,
// the subdivisions rickar/cal defines ("au-nsw", "ch-zh", "de-by", ...), the national-only
// variants of sets that also close optional days ("br-national", "ca-national",
// "nl-national"), and "ecb" (TARGET2 closing days).
func HolidaySets() []string {
	out := make([]string, len(holidaySets))
	for i, s := range holidaySets {
		out[i] = s.code
	}
	return out
}

// appendSet appends the dates on which the holidays of s are observed in the years
// [holidayFrom, holidayTo), each named after its holiday, with source as their entry.
func appendSet(dst []closure, s *holidaySet, source string) []closure {
	lo := daysFromCivil(holidayFrom, 1, 1)
	hi := daysFromCivil(holidayTo, 1, 1)
	for _, h := range s.rules {
		// Observed dates may cross a year boundary, so look one year further on each side.
		for y := holidayFrom - 1; y <= holidayTo; y++ {
			if d, ok := observed(h, y); ok && d >= lo && d < hi {
				dst = append(dst, closure{day: d, name: h.Name, source: source})
			}
		}
	}
	for _, h := range s.own {
		for y := max(holidayFrom, h.from); y < holidayTo && (h.until == 0 || y <= h.until); y++ {
			dst = append(dst, closure{day: h.date(y), name: h.name, source: source})
		}
	}
	return dst
}

// observed returns the day number of the date on which h is observed in year y.
func observed(h *cal.Holiday, y int) (int64, bool) {
	if h.Func == nil || (h.StartYear > 0 && y < h.StartYear) || (h.EndYear > 0 && y > h.EndYear) ||
		slices.Contains(h.Except, y) {
		return 0, false
	}
	t := h.Func(h, y)
	if t.IsZero() {
		return 0, false
	}
	// The rule's date is midnight in rickar/cal's DefaultLoc; where that midnight does not exist
	// the time lands late on the previous day. Take the civil date it stands for.
	yy, mm, dd := t.Date()
	day := daysFromCivil(int64(yy), int(mm), dd)
	if t.Hour() >= 12 {
		day++
	}
	day += int64(h.CalcOffset)
	wd := time.Weekday(weekday(day))
	for _, o := range h.Observed {
		if o.Day == wd {
			day += int64(o.Offset)
			break
		}
	}
	return day, true
}
