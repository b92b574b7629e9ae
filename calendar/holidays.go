package calendar

// This file is the only one that knows rickar/cal: it maps set codes to holiday lists and turns
// their rules into local dates. rickar/cal computes a rule's date as midnight in its DefaultLoc
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

// holidaySet is one set a [Spec] may name: a code and the holidays it closes.
type holidaySet struct {
	code     string
	holidays []*cal.Holiday
}

// holidaySets is every set, sorted by code.
var holidaySets = sortedSets([]holidaySet{
	{"ar", ar.Holidays},
	{"at", at.Holidays},
	{"au-act", au.HolidaysACT},
	{"au-nsw", au.HolidaysNSW},
	{"au-nt", au.HolidaysNT},
	{"au-qld", au.HolidaysQLD},
	{"au-sa", au.HolidaysSA},
	{"au-tas", au.HolidaysTAS},
	{"au-vic", au.HolidaysVIC},
	{"au-wa", au.HolidaysWA},
	{"be", be.Holidays},
	{"bg", bg.Holidays},
	{"br", br.Holidays},
	{"ca", ca.Holidays},
	{"ch", ch.Holidays},
	{"ch-ag", ch.HolidaysAG},
	{"ch-ai", ch.HolidaysAI},
	{"ch-ar", ch.HolidaysAR},
	{"ch-be", ch.HolidaysBE},
	{"ch-bl", ch.HolidaysBL},
	{"ch-bs", ch.HolidaysBS},
	{"ch-fr", ch.HolidaysFR},
	{"ch-ge", ch.HolidaysGE},
	{"ch-gl", ch.HolidaysGL},
	{"ch-gr", ch.HolidaysGR},
	{"ch-ju", ch.HolidaysJU},
	{"ch-lu", ch.HolidaysLU},
	{"ch-ne", ch.HolidaysNE},
	{"ch-nw", ch.HolidaysNW},
	{"ch-ow", ch.HolidaysOW},
	{"ch-sg", ch.HolidaysSG},
	{"ch-sh", ch.HolidaysSH},
	{"ch-so", ch.HolidaysSO},
	{"ch-sz", ch.HolidaysSZ},
	{"ch-tg", ch.HolidaysTG},
	{"ch-ti", ch.HolidaysTI},
	{"ch-ur", ch.HolidaysUR},
	{"ch-vd", ch.HolidaysVD},
	{"ch-vs", ch.HolidaysVS},
	{"ch-zg", ch.HolidaysZG},
	{"ch-zh", ch.HolidaysZH},
	{"cz", cz.Holidays},
	{"de", de.Holidays},
	{"de-bb", de.HolidaysBB},
	{"de-be", de.HolidaysBE},
	{"de-bw", de.HolidaysBW},
	{"de-by", de.HolidaysBY},
	{"de-hb", de.HolidaysHB},
	{"de-he", de.HolidaysHE},
	{"de-hh", de.HolidaysHH},
	{"de-mv", de.HolidaysMV},
	{"de-ni", de.HolidaysNI},
	{"de-nw", de.HolidaysNW},
	{"de-rp", de.HolidaysRP},
	{"de-sh", de.HolidaysSH},
	{"de-sl", de.HolidaysSL},
	{"de-sn", de.HolidaysSN},
	{"de-st", de.HolidaysST},
	{"de-th", de.HolidaysTH},
	{"dk", dk.Holidays},
	{"ecb", ecb.Holidays},
	{"es", es.Holidays},
	{"fr", fr.Holidays},
	{"gb", gb.Holidays},
	{"gr", gr.Holidays},
	{"hr", hr.Holidays},
	{"ie", ie.Holidays},
	{"it", it.Holidays},
	{"jp", jp.Holidays},
	{"lt", lt.Holidays},
	{"lv", lv.Holidays},
	{"mw", mw.Holidays},
	{"nc", nc.Holidays},
	{"nl", nl.Holidays},
	{"no", no.Holidays},
	{"nz", nz.Holidays},
	{"pl", pl.Holidays},
	{"ro", ro.Holidays},
	{"ru", ru.Holidays},
	{"se", se.Holidays},
	{"si", si.Holidays},
	{"sk", sk.Holidays},
	{"ua", ua.Holidays},
	{"us", us.Holidays},
	{"za", za.Holidays},
})

// sortedSets sorts a table by code.
func sortedSets(out []holidaySet) []holidaySet {
	slices.SortFunc(out, func(x, y holidaySet) int { return strings.Compare(x.code, y.code) })
	return out
}

// lookupSet returns the holidays of a set code.
func lookupSet(code string) ([]*cal.Holiday, bool) {
	i, ok := slices.BinarySearchFunc(holidaySets, code, func(s holidaySet, c string) int { return strings.Compare(s.code, c) })
	if !ok {
		return nil, false
	}
	return holidaySets[i].holidays, true
}

// HolidaySets returns the holiday set codes a [Spec] may name, sorted: ISO 3166 country codes,
// the subdivisions rickar/cal defines ("au-nsw", "ch-zh", "de-by", ...), and "ecb" (TARGET2
// closing days).
func HolidaySets() []string {
	out := make([]string, len(holidaySets))
	for i, s := range holidaySets {
		out[i] = s.code
	}
	return out
}

// observedDays appends the day numbers of the observed dates of hs in [from, to) (years).
func observedDays(dst []int64, hs []*cal.Holiday, from, to int) []int64 {
	lo := daysFromCivil(int64(from), 1, 1)
	hi := daysFromCivil(int64(to), 1, 1)
	for _, h := range hs {
		// Observed dates may cross a year boundary, so look one year further on each side.
		for y := from - 1; y <= to; y++ {
			if d, ok := observed(h, y); ok && d >= lo && d < hi {
				dst = append(dst, d)
			}
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
