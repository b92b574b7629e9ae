package calendar

import (
	"math"
	"math/bits"
	"sort"
	"time"
)

// This file holds the nominal arithmetic: business time measured on the wall clock of the
// calendar's zone as if every local date had 24 hours. zone.go turns it into real elapsed
// time by correcting for each offset change.

// pos is a wall-clock position: a local date (days since 1970-01-01) and the nanoseconds
// since that date's midnight, 0 <= tod <= dayNanos.
type pos struct {
	day int64
	tod int64
}

func (p pos) less(q pos) bool { return p.day < q.day || (p.day == q.day && p.tod < q.tod) }

// posFromSeconds makes the position of a wall-clock time given as seconds and nanoseconds since
// 1970-01-01T00:00 local time.
func posFromSeconds(sec int64, nsec int64) pos {
	var day int64
	if sec >= 0 {
		// Unsigned division by a constant: fewer instructions than the
		// signed one and its correction below zero.
		day = int64(uint64(sec) / uint64(daySecs))
	} else {
		day = floorDiv(sec, daySecs)
	}
	return pos{day, (sec-day*daySecs)*int64(time.Second) + nsec}
}

// exception is a local date whose hours differ from its weekday's: a holiday or an override.
type exception struct {
	day    int64
	w0, wn int32 // its windows: wins[w0 : w0+wn]
}

// measure sums a quantity over local dates: open nanoseconds, or business days.
type measure struct {
	week  [7]int64  // by time.Weekday
	total int64     // over a regular week, > 0
	cum   [15]int64 // cum[i]: over the i days starting on a Sunday, across two weeks
	exc   []int64   // exc[i]: sum over the first i exceptions of their value minus their weekday's
}

// nominal is the wall-clock model of a calendar: weekly hours plus dated exceptions.
type nominal struct {
	week     [7][]window // by time.Weekday
	open     measure     // open nanoseconds of a date
	days     measure     // 1 for a business day (a date with open hours), else 0
	fullWeek bool        // every weekday is open 00:00-24:00
	wins     []window    // pool of exception windows
	exc      []exception // sorted by day
	excIdx   blockIndex  // the days of exc
}

// excShift sets the length of the blocks of excIdx: 64 days, so that the table of a
// calendar with holidays over 130 years takes 3 KB and a lookup scans at most the
// exceptions of one block.
const excShift = 6

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weekday of a day number; 1970-01-01 was a Thursday.
func weekday(day int64) int {
	// The floored remainder of day+4 by 7, from an unsigned remainder, which costs less
	// than a signed one: for a negative d, uint64(d) is d + 2^64, and 2^64 mod 7 is 2.
	d := day + 4
	r := uint64(d) % 7
	if d < 0 {
		r = (r + 5) % 7
	}
	return int(r)
}

// daysFromCivil returns the day number of a proleptic Gregorian date (H. Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// satAdd adds without overflowing.
func satAdd(a, b int64) int64 {
	s := a + b
	if a > 0 && b > 0 && s < 0 {
		return math.MaxInt64
	}
	if a < 0 && b < 0 && s >= 0 {
		return math.MinInt64
	}
	return s
}

// satMul multiplies non-negative numbers without overflowing.
func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

// excIndex returns the index of the first exception on or after day.
func (n *nominal) excIndex(day int64) int { return n.excIdx.below(day) }

// indexExceptions indexes the days of exc.
func (n *nominal) indexExceptions() {
	days := make([]int64, len(n.exc))
	for i := range n.exc {
		days[i] = n.exc[i].day
	}
	n.excIdx = newBlockIndex(days, excShift)
}

// windows returns the open windows of a local date.
func (n *nominal) windows(day int64) []window { return n.windowsAt(day, n.excIndex(day)) }

// windowsAt is windows for a date whose excIndex is i.
func (n *nominal) windowsAt(day int64, i int) []window {
	if i < len(n.exc) && n.exc[i].day == day {
		return n.excWindows(i)
	}
	return n.week[weekday(day)]
}

// nextExc returns the excIndex of day+1 from i, the excIndex of day.
func (n *nominal) nextExc(day int64, i int) int {
	if i < len(n.exc) && n.exc[i].day == day {
		return i + 1
	}
	return i
}

// openWithin returns the open nanoseconds of ws within [a, b) of its day.
func openWithin(ws []window, a, b int64) int64 {
	var s int64
	for _, w := range ws {
		lo, hi := max(w.open, a), min(w.close, b)
		if hi > lo {
			s += hi - lo
		}
	}
	return s
}

func dayTotal(ws []window) int64 { return openWithin(ws, 0, dayNanos) }

// wide is a signed 128-bit sum: the measure of centuries of days comes to more than an int64
// holds before the exceptions of those days are taken off, so sums whose total fits are
// summed exactly, and saturated once, at the end.
type wide struct{ hi, lo uint64 }

// plus returns w + x.
func (w wide) plus(x int64) wide {
	lo, carry := bits.Add64(w.lo, uint64(x), 0)
	return wide{w.hi + uint64(x>>63) + carry, lo}
}

// sat returns w, saturated to the range of an int64.
func (w wide) sat() int64 {
	switch h := int64(w.hi); {
	case h == 0 && w.lo <= math.MaxInt64, h == -1 && w.lo > math.MaxInt64:
		return int64(w.lo)
	case h < 0:
		return math.MinInt64
	}
	return math.MaxInt64
}

// regular returns the measure of the days [x, y), x <= y, ignoring exceptions, saturated.
func (m *measure) regular(x, y int64) int64 {
	// regularWide's body, saturated: a call less on the path of every sum.
	d := uint64(y - x)
	w := weekday(x)
	r := int(d % 7)
	hi, lo := bits.Mul64(d/7, uint64(m.total))
	return wide{hi, lo}.plus(m.cum[w+r] - m.cum[w]).sat()
}

// regularWide is regular, exactly.
func (m *measure) regularWide(x, y int64) wide {
	d := uint64(y - x)
	w := weekday(x)
	r := int(d % 7)
	hi, lo := bits.Mul64(d/7, uint64(m.total))
	return wide{hi, lo}.plus(m.cum[w+r] - m.cum[w])
}

// reach returns the day on which need > 0, counted from the start of day lo, is reached, and
// how much of that day's measure is still needed then.
func (n *nominal) reach(m *measure, lo, need int64) (int64, int64) {
	return n.reachAt(m, lo, n.excIndex(lo), need)
}

// reachAt is reach for a day lo whose excIndex is j0.
func (n *nominal) reachAt(m *measure, lo int64, j0 int, need int64) (int64, int64) {
	if j0 == len(n.exc) || m.regular(lo, n.exc[j0].day) >= need {
		// The regular days before the next exception hold need: the
		// search below would find no exception to stop at.
		return m.regularReach(lo, need)
	}
	// First exception j whose day closes the deficit: the measure of the days [lo,
	// exc[j].day+1) is at least need.
	closes := func(k int) bool {
		return m.regularWide(lo, n.exc[j0+k].day+1).plus(m.exc[j0+k+1]-m.exc[j0]).sat() >= need
	}
	// Galloping first: most sums end within the next few exceptions, so the
	// search looks at 1, 2, 4, ... of them before it halves the last step.
	count, bound := len(n.exc)-j0, 1
	for bound <= count && !closes(bound-1) {
		bound *= 2
	}
	from0, to0 := bound/2, min(bound, count)
	j := j0 + from0 + sort.Search(to0-from0, func(k int) bool { return closes(from0 + k) })
	from := lo
	if j > j0 {
		prev := n.exc[j-1].day + 1
		need -= m.regularWide(lo, prev).plus(m.exc[j] - m.exc[j0]).sat() // < need: exact
		from = prev
	}
	if j < len(n.exc) {
		if r := m.regular(from, n.exc[j].day); r < need {
			return n.exc[j].day, need - r
		}
	}
	return m.regularReach(from, need)
}

// regularReach is reach over regular days only, from the start of day
// from.
func (m *measure) regularReach(from, need int64) (int64, int64) {
	q := (need - 1) / m.total
	need -= q * m.total
	day := from + q*7
	w := weekday(day) // kept along the days, without a remainder each
	for range 7 {
		if v := m.week[w]; v < need {
			need -= v
			day++
			if w++; w == 7 {
				w = 0
			}
			continue
		}
		break
	}
	return day, need
}

// between returns the signed nominal open time from p to q.
func (n *nominal) between(p, q pos) int64 { return n.betweenPlus(p, q, 0) }

// betweenPlus returns between(p, q) + delta, saturated only when the exact sum does not fit
// an int64.
func (n *nominal) betweenPlus(p, q pos, delta int64) int64 {
	if q.less(p) {
		return -n.betweenPlus(q, p, -delta)
	}
	i := n.excIndex(p.day)
	if p.day == q.day {
		return satAdd(openWithin(n.windowsAt(p.day, i), p.tod, q.tod), delta)
	}
	// The exceptions are looked up once per end: the measure of the whole
	// days between takes its indices from them.
	j := i // the first exception on or after q.day, when it is also the first after p.day
	if i < len(n.exc) && n.exc[i].day < q.day {
		j = n.excIndex(q.day)
	}
	return n.open.regularWide(p.day+1, q.day).
		plus(n.open.exc[j] - n.open.exc[n.nextExc(p.day, i)]).
		plus(openWithin(n.windowsAt(p.day, i), p.tod, dayNanos)).
		plus(openWithin(n.windowsAt(q.day, j), 0, q.tod)).
		plus(delta).sat()
}

// locate returns the position in day at which need nanoseconds of open time counted from tod
// are reached; the caller guarantees the day holds them.
func locate(ws []window, day, tod, need int64) pos {
	for _, w := range ws {
		if w.close <= tod {
			continue
		}
		s := max(w.open, tod)
		if avail := w.close - s; avail >= need {
			return pos{day, s + need}
		} else {
			need -= avail
		}
	}
	// Unreachable when the caller's guarantee holds; stay total anyway.
	return pos{day + 1, 0}
}

// add returns the earliest position q >= p with between(p, q) == d, for d > 0.
func (n *nominal) add(p pos, d int64) pos {
	i := n.excIndex(p.day)
	ws := n.windowsAt(p.day, i)
	if r := openWithin(ws, p.tod, dayNanos); r >= d {
		return locate(ws, p.day, p.tod, d)
	} else {
		d -= r
	}
	day, need := n.reachAt(&n.open, p.day+1, n.nextExc(p.day, i), d)
	return locate(n.windows(day), day, 0, need)
}

// addDays returns the k-th business day after day, k > 0.
func (n *nominal) addDays(day, k int64) int64 {
	d, _ := n.reach(&n.days, day+1, k)
	return d
}

// isOpen reports whether the wall-clock position p is open.
func (n *nominal) isOpen(p pos) bool {
	for _, w := range n.windows(p.day) {
		if p.tod >= w.open && p.tod < w.close {
			return true
		}
	}
	return false
}

// nextOpen returns the earliest open position >= p.
func (n *nominal) nextOpen(p pos) pos {
	day, tod := p.day, p.tod
	for limit := n.walkLimit(); limit >= 0; limit-- {
		for _, w := range n.windows(day) {
			if tod < w.close {
				return pos{day, max(tod, w.open)}
			}
		}
		day, tod = day+1, 0
	}
	return pos{day, 0} // unreachable: weekTotal > 0
}

// nextClose returns the earliest closed position >= p, and false if the calendar never closes
// after p.
func (n *nominal) nextClose(p pos) (pos, bool) {
	day, tod := p.day, p.tod
	for limit := n.walkLimit(); limit >= 0; limit-- {
		ws := n.windows(day)
		if n.fullWeek && isFull(ws) {
			// Every regular day is open all day: only an exception can close. Go to the next one
			// that does.
			i := n.excIndex(day + 1)
			for i < len(n.exc) && isFull(n.excWindows(i)) {
				i++
			}
			if i == len(n.exc) {
				return pos{}, false
			}
			day, tod, ws = n.exc[i].day, 0, n.excWindows(i)
		}
		inside := false
		for _, w := range ws {
			if tod < w.open {
				break
			}
			if tod < w.close {
				inside, tod = true, w.close
				break
			}
		}
		if !inside || tod < dayNanos {
			return pos{day, tod}, true
		}
		day, tod = day+1, 0
	}
	return pos{}, false
}

// prevFull returns the last exception before day that is not open all day, for a week in
// which every regular day is: the run of all-day days before day reaches back to it. False
// when there is none.
func (n *nominal) prevFull(day int64) (int, bool) {
	i := n.excIndex(day) - 1
	for i >= 0 && isFull(n.excWindows(i)) {
		i--
	}
	return i, i >= 0
}

// endsOpen reports whether the open time of day reaches 24:00.
func (n *nominal) endsOpen(day int64) bool {
	ws := n.windows(day)
	return len(ws) > 0 && ws[len(ws)-1].close == dayNanos
}

// startsOpen reports whether day is open from 00:00.
func (n *nominal) startsOpen(day int64) bool {
	ws := n.windows(day)
	return len(ws) > 0 && ws[0].open == 0
}

// prevOpen returns the latest position <= p at which an open stretch starts (open at it,
// closed just before it; days open across midnight are one stretch), and false if open time
// reaches back without a start.
func (n *nominal) prevOpen(p pos) (pos, bool) {
	day, tod := p.day, p.tod
	for limit := n.walkLimit(); limit >= 0; limit-- {
		ws := n.windows(day)
		for k := len(ws) - 1; k >= 0; k-- {
			if w := ws[k]; w.open <= tod {
				if w.open > 0 || !n.endsOpen(day-1) {
					return pos{day, w.open}, true
				}
				break // the stretch began on an earlier day
			}
		}
		if n.fullWeek && isFull(ws) {
			// Every regular day is open all day: the stretch reaches back to the last
			// exception that is not.
			i, ok := n.prevFull(day)
			if !ok {
				return pos{}, false
			}
			if !n.endsOpen(n.exc[i].day) {
				return pos{n.exc[i].day + 1, 0}, true
			}
			day = n.exc[i].day + 1
		}
		day, tod = day-1, dayNanos
	}
	return pos{}, false
}

// prevClose returns the latest position <= p at which an open stretch ends (closed at it, open
// just before it), and false if there is none.
func (n *nominal) prevClose(p pos) (pos, bool) {
	day, tod := p.day, p.tod
	for limit := n.walkLimit(); limit >= 0; limit-- {
		ws := n.windows(day)
		for k := len(ws) - 1; k >= 0; k-- {
			if w := ws[k]; w.close <= tod && (w.close < dayNanos || !n.startsOpen(day+1)) {
				return pos{day, w.close}, true
			}
		}
		if n.fullWeek && isFull(ws) {
			// Only an exception that is not open all day can end a stretch.
			i, ok := n.prevFull(day)
			if !ok {
				return pos{}, false
			}
			day = n.exc[i].day + 1
		}
		day, tod = day-1, dayNanos
	}
	return pos{}, false
}

// walkLimit bounds day-by-day walks: a run of alike days (all closed, or all open all day) is at
// most six regular days between exceptions.
func (n *nominal) walkLimit() int { return 7 * (len(n.exc) + 2) }

func (n *nominal) excWindows(i int) []window {
	e := n.exc[i]
	return n.wins[e.w0 : e.w0+e.wn]
}

func isFull(ws []window) bool { return len(ws) == 1 && ws[0].open == 0 && ws[0].close == dayNanos }
