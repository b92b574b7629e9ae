package calendar

import (
	"math"
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
	day := floorDiv(sec, daySecs)
	return pos{day, (sec-day*daySecs)*int64(time.Second) + nsec}
}

// exception is a local date whose hours differ from its weekday's: a holiday or an override.
type exception struct {
	day    int64
	delta  int64 // open nanoseconds of the date minus those of its weekday
	w0, wn int32 // its windows: wins[w0 : w0+wn]
}

// nominal is the wall-clock model of a calendar: weekly hours plus dated exceptions.
type nominal struct {
	week      [7][]window // by time.Weekday
	weekTotal int64       // open nanoseconds in a regular week, > 0
	weekCum   [15]int64   // weekCum[i]: open nanoseconds of the i days starting on a Sunday, over two weeks
	fullWeek  bool        // every weekday is open 00:00-24:00
	wins      []window    // pool of exception windows
	exc       []exception // sorted by day
	excCum    []int64     // excCum[i]: sum of exc[:i].delta
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// weekday of a day number; 1970-01-01 was a Thursday.
func weekday(day int64) int { return int(floorMod(day+4, 7)) }

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
func (n *nominal) excIndex(day int64) int {
	exc := n.exc
	lo, hi := 0, len(exc)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if exc[m].day < day {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// windows returns the open windows of a local date.
func (n *nominal) windows(day int64) []window {
	if i := n.excIndex(day); i < len(n.exc) && n.exc[i].day == day {
		return n.excWindows(i)
	}
	return n.week[weekday(day)]
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

// regular returns the open nanoseconds of the days [x, y), x <= y, ignoring exceptions.
func (n *nominal) regular(x, y int64) int64 {
	d := y - x
	w := weekday(x)
	r := int(d % 7)
	return satAdd(satMul(d/7, n.weekTotal), n.weekCum[w+r]-n.weekCum[w])
}

// fullDays returns the open nanoseconds of the whole days [x, y), x <= y.
func (n *nominal) fullDays(x, y int64) int64 {
	return satAdd(n.regular(x, y), n.excCum[n.excIndex(y)]-n.excCum[n.excIndex(x)])
}

// between returns the signed nominal open time from p to q.
func (n *nominal) between(p, q pos) int64 {
	if q.less(p) {
		return -n.between(q, p)
	}
	if p.day == q.day {
		return openWithin(n.windows(p.day), p.tod, q.tod)
	}
	s := openWithin(n.windows(p.day), p.tod, dayNanos)
	s = satAdd(s, n.fullDays(p.day+1, q.day))
	return satAdd(s, openWithin(n.windows(q.day), 0, q.tod))
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

// regularEnd returns the day on which need > 0 nanoseconds of regular open time, counted from
// the start of day x, are reached, and the open time still needed on that day.
func (n *nominal) regularEnd(x, need int64) (int64, int64) {
	q := (need - 1) / n.weekTotal
	need -= q * n.weekTotal
	day := x + q*7
	for i := 0; i < 7; i++ {
		t := dayTotal(n.week[weekday(day)])
		if t >= need {
			return day, need
		}
		need -= t
		day++
	}
	return day, need // unreachable: a week holds weekTotal >= need
}

// add returns the earliest position q >= p with between(p, q) == d, for d > 0.
func (n *nominal) add(p pos, d int64) pos {
	ws := n.windows(p.day)
	if r := openWithin(ws, p.tod, dayNanos); r >= d {
		return locate(ws, p.day, p.tod, d)
	} else {
		d -= r
	}
	lo := p.day + 1
	j0 := n.excIndex(lo)
	// First exception j whose day closes the deficit: fullDays(lo, exc[j].day+1) >= d.
	j := j0 + sort.Search(len(n.exc)-j0, func(k int) bool {
		e := n.exc[j0+k]
		return satAdd(n.regular(lo, e.day+1), n.excCum[j0+k+1]-n.excCum[j0]) >= d
	})
	from := lo
	if j > j0 {
		prev := n.exc[j-1].day + 1
		d -= satAdd(n.regular(lo, prev), n.excCum[j]-n.excCum[j0])
		from = prev
	}
	if j < len(n.exc) {
		e := n.exc[j]
		if r := n.regular(from, e.day); r < d {
			return locate(n.excWindows(j), e.day, 0, d-r)
		}
	}
	day, need := n.regularEnd(from, d)
	return locate(n.week[weekday(day)], day, 0, need)
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

// walkLimit bounds day-by-day walks: a run of alike days (all closed, or all open all day) is at
// most six regular days between exceptions.
func (n *nominal) walkLimit() int { return 7 * (len(n.exc) + 2) }

func (n *nominal) excWindows(i int) []window {
	e := n.exc[i]
	return n.wins[e.w0 : e.w0+e.wn]
}

func isFull(ws []window) bool { return len(ws) == 1 && ws[0].open == 0 && ws[0].close == dayNanos }
