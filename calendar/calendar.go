package calendar

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Calendar is a compiled business calendar: open hours per weekday, holidays and dated
// overrides in one time zone. It is immutable and safe for concurrent use.
//
// For the years 1900 to 2099, [Calendar.Between], [Calendar.Add] and [Calendar.NextOpen] read a
// table of the open periods that the calendar fills about six days at a time, when a call first
// needs them: for office hours, about a microsecond and under 1 KB each (about 1 KB with a lunch break),
// more for a calendar of many windows a day. The table holds at most about 2 MB (some fifty years of office hours);
// past that, sums needing a part not yet built take the general arithmetic. The table changes
// no answer.
//
// The zero Calendar, and a nil *Calendar, are open 24x7 in UTC, like [Always].
type Calendar struct {
	loc    *time.Location // nil: open 24x7
	nom    nominal
	zone   zone
	closed []closure  // dates closed by a holiday entry or an empty override, sorted by day
	spans  *spanTable // the open periods as real time, by block, filled as sums need them
}

// Always is a calendar open 24x7: business time is elapsed time.
var Always = &Calendar{}

// Domain of the arithmetic: instants before Start are taken as Start, instants after End as End.
var (
	Start = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

var (
	startSec = Start.Unix()
	endSec   = End.Unix()
	endNsec  = int64(End.Nanosecond())
	endDay   = endSec / daySecs
)

// New compiles a [Spec]. The error, if any, is a [SpecErrors] listing every problem.
func New(s Spec, opts ...Option) (*Calendar, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var errs SpecErrors
	c := &Calendar{}

	switch tz := strings.TrimSpace(s.Timezone); {
	case tz == "":
		errs = append(errs, &SpecError{Field: "timezone", Err: fmt.Errorf("%w: a zone name is required", ErrUnknownZone)})
	case strings.EqualFold(tz, "local"):
		errs = append(errs, &SpecError{Field: "timezone", Value: s.Timezone,
			Err: fmt.Errorf("%w: name the zone (the machine's local zone is not allowed)", ErrUnknownZone)})
	default:
		loc, err := time.LoadLocation(tz)
		if err != nil {
			errs = append(errs, &SpecError{Field: "timezone", Value: s.Timezone, Err: ErrUnknownZone})
		}
		c.loc = loc
	}

	// Weekly hours.
	var named [7]string
	for _, key := range sortedKeys(s.Hours) {
		days, ok := parseDays(key)
		if !ok {
			errs = append(errs, &SpecError{Field: "hours", Value: key, Err: ErrUnknownDay})
			continue
		}
		ws := parseRanges("hours."+key, s.Hours[key], &errs)
		for _, d := range days {
			if named[d] != "" {
				errs = append(errs, &SpecError{Field: "hours", Value: key,
					Err: fmt.Errorf("%w: %s is also in %q", ErrDuplicateDay, dayNames[d].short, named[d])})
				continue
			}
			named[d] = key
			c.nom.week[d] = ws
		}
	}

	// Holidays: dates closed whole, with the name and entry that close them.
	var closed []closure
	seen := map[string]bool{}
	rangeDays := int64(0)
	for i, h := range s.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		text := strings.ToLower(strings.TrimSpace(h))
		if seen[text] {
			continue
		}
		seen[text] = true
		e, err := parseHolidayEntry(text)
		if err != nil {
			errs = append(errs, &SpecError{Field: field, Value: h, Err: err})
			continue
		}
		src := strings.TrimSpace(h)
		switch e.kind {
		case entrySet:
			closed = appendSet(closed, e.set, src)
		case entryDate:
			closed = append(closed, closure{day: e.from, name: "holiday", source: src})
		case entryYearly:
			for y := holidayFrom; y < holidayTo; y++ {
				if validDate(y, e.month, e.mday) {
					closed = append(closed, closure{day: daysFromCivil(int64(y), e.month, e.mday), name: "holiday", source: src})
				}
			}
		case entryRange:
			if rangeDays += e.to - e.from + 1; rangeDays > maxClosureDays {
				errs = append(errs, &SpecError{Field: field, Value: h,
					Err: fmt.Errorf("%w: closures add up to more than %d days", ErrBadDate, maxClosureDays)})
				continue
			}
			for d := e.from; d <= e.to; d++ {
				closed = append(closed, closure{day: d, name: "closure", source: src})
			}
		case entryFile:
			var err error
			if closed, err = o.appendFile(closed, src, &rangeDays); err != nil {
				errs = append(errs, &SpecError{Field: field, Value: h, Err: err})
			}
		}
	}

	// Overrides: dates with their own hours.
	overrides := map[int64][]window{}
	for _, key := range sortedKeys(s.Overrides) {
		day, ok := parseDate(key)
		if !ok {
			errs = append(errs, &SpecError{Field: "overrides", Value: key, Err: ErrBadDate})
			continue
		}
		ws := parseRanges("overrides."+key, s.Overrides[key], &errs)
		overrides[day] = ws
		if len(ws) == 0 {
			closed = append(closed, closure{day: day, name: "override", source: "overrides." + strings.TrimSpace(key)})
		}
	}

	var weekTotal int64
	for d := range 7 {
		weekTotal += dayTotal(c.nom.week[d])
	}
	if weekTotal == 0 && len(errs) == 0 {
		errs = append(errs, &SpecError{Field: "hours", Err: ErrNoOpenTime})
	}
	if len(errs) > 0 {
		return nil, errs
	}

	// One entry per date: the first holiday entry that closes it, else the override.
	slices.SortStableFunc(closed, func(a, b closure) int { return cmp.Compare(a.day, b.day) })
	c.closed = slices.CompactFunc(closed, func(a, b closure) bool { return a.day == b.day })
	c.nom.build(c.closed, overrides)
	c.zone.base, c.zone.trans = transitions(c.loc)
	c.zone.build(&c.nom)
	c.spans = newSpanTable(&c.nom)
	return c, nil
}

// build fills the derived tables of n from its weekly hours and the dated exceptions: the
// dates closed whole (sorted) and the overrides, which take precedence.
func (n *nominal) build(closed []closure, overrides map[int64][]window) {
	n.fullWeek = true
	for d, ws := range n.week {
		n.open.week[d] = dayTotal(ws)
		n.days.week[d] = min(int64(len(ws)), 1)
		n.fullWeek = n.fullWeek && isFull(ws)
	}
	for _, m := range []*measure{&n.open, &n.days} {
		for i := range 14 {
			m.cum[i+1] = m.cum[i] + m.week[i%7]
		}
		m.total = m.cum[7]
		m.exc = append(m.exc[:0], 0)
	}
	days := make([]int64, 0, len(closed)+len(overrides))
	for _, cl := range closed {
		if _, ok := overrides[cl.day]; !ok {
			days = append(days, cl.day)
		}
	}
	for d := range overrides {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		ws := overrides[d] // nil for a holiday
		regular := n.week[weekday(d)]
		if slices.Equal(ws, regular) {
			continue // no different from its weekday
		}
		n.exc = append(n.exc, exception{day: d, w0: int32(len(n.wins)), wn: int32(len(ws))})
		n.wins = append(n.wins, ws...)
		n.open.addException(d, dayTotal(ws))
		n.days.addException(d, min(int64(len(ws)), 1))
	}
	n.indexExceptions()
}

// addException records an exception on day whose measure is v.
func (m *measure) addException(day, v int64) {
	m.exc = append(m.exc, m.exc[len(m.exc)-1]+v-m.week[weekday(day)])
}

// MustNew is like [New] but panics on an error. It is meant for tests and examples with
// literal specs.
func MustNew(s Spec, opts ...Option) *Calendar {
	c, err := New(s, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// Location returns the calendar's time zone; UTC for an always-open calendar.
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

func (c *Calendar) always() bool { return c == nil || c.loc == nil }

// clampSec returns the Unix seconds and nanoseconds of t, clamped to [Start, End].
func clampSec(t time.Time) (int64, int64) { return clampUnix(t.Unix(), int64(t.Nanosecond())) }

// clampUnix clamps the instant of Unix seconds sec and nanoseconds ns to [Start, End].
func clampUnix(sec, ns int64) (int64, int64) {
	switch {
	case sec < startSec:
		return startSec, 0
	case sec > endSec:
		return endSec, endNsec
	}
	return sec, ns
}

// wall returns the wall-clock position of t and the number of offset changes at or before it.
func (c *Calendar) wall(t time.Time) (pos, int) {
	sec, ns := clampSec(t)
	return c.wallAt(sec, ns)
}

// wallAt is wall for the clamped Unix seconds and nanoseconds of an instant.
func (c *Calendar) wallAt(sec, ns int64) (pos, int) {
	i := c.zone.index(sec)
	return posFromSeconds(sec+c.zone.offset(i), ns), i
}

// wallFrom is wallAt(sec, ns) for sec at or after an instant whose transition count is i: when
// no offset change lies between them, the count is i, and the index is not searched again.
func (c *Calendar) wallFrom(sec, ns int64, i int) (pos, int) {
	if z := &c.zone; i == len(z.trans) || sec < z.trans[i].at {
		return posFromSeconds(sec+z.offset(i), ns), i
	}
	return c.wallAt(sec, ns)
}

// instant returns the instant of wall-clock position p under offset off (seconds), in the
// calendar's zone, clamped to End.
func (c *Calendar) instant(p pos, off int64) time.Time { return c.instantUnix(unixOf(p, off)) }

// unixOf returns the Unix seconds and nanoseconds of wall-clock position p under offset off
// (seconds), clamped to End.
func unixOf(p pos, off int64) (int64, int64) {
	if p.day > endDay+2 {
		return endSec, endNsec
	}
	tod := uint64(p.tod) // 0 <= tod <= dayNanos: unsigned division by a constant
	sec := p.day*daySecs + int64(tod/uint64(time.Second)) - off
	ns := int64(tod % uint64(time.Second))
	if sec > endSec {
		return endSec, endNsec
	}
	return sec, ns
}

// instantUnix returns the instant of Unix seconds and nanoseconds in the calendar's zone.
func (c *Calendar) instantUnix(sec, ns int64) time.Time { return time.Unix(sec, ns).In(c.loc) }

// IsOpen reports whether t is within business hours: whether its wall-clock time in the
// calendar's zone falls inside an open range of its local date.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.always() {
		return true
	}
	p, _ := c.wall(t)
	return c.nom.isOpen(p)
}

// Between returns the business time in [a, b): the real elapsed time during which the calendar
// is open. It is negative when b is before a. It is exact when it fits a Duration, and
// saturates otherwise: more than 292 years of business time is [math.MaxInt64], and as much
// backwards (b before a) is -[math.MaxInt64], never [math.MinInt64].
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if c.always() {
		return b.Sub(a)
	}
	sa, na, sb, nb := a.Unix(), int64(a.Nanosecond()), b.Unix(), int64(b.Nanosecond())
	if xa, xb := uint64(sa-fastFrom), uint64(sb-fastFrom); xa < fastLimit {
		// In the span table (spans.go), their blocks built: a difference of two lookups.
		if ba := c.spans.built(xa >> blockShift); ba != nil {
			ra := relOf(xa, na)
			n := ba.find(ra)
			s := &ba.spans[n-1] // holds a, or the gap after it holds a
			if (xa^xb)>>blockShift == 0 {
				// Both in one block (most sums), so b in the table too.
				rb := relOf(xb, nb)
				if s.from <= rb && (n == len(ba.spans) || rb < ba.spans[n].from) {
					// b in the same span or gap (a reply minutes after a message):
					// the lookup of b would end on s too.
					return time.Duration(min(rb, s.to) - min(ra, s.to))
				}
				fb, _ := ba.at(rb)
				return time.Duration(fb - (s.cum + min(ra, s.to) - s.from))
			}
			if xb < fastLimit {
				if bb := c.spans.built(xb >> blockShift); bb != nil {
					fb, _ := bb.at(relOf(xb, nb))
					return time.Duration(fb - (s.cum + min(ra, s.to) - s.from))
				}
			}
		}
	}
	return time.Duration(c.betweenUnix(sa, na, sb, nb))
}

// betweenUnix is Between, in nanoseconds, for instants given as Unix seconds and nanoseconds
// (0 <= ns < 1e9), on a calendar that is not always open.
func (c *Calendar) betweenUnix(sa, na, sb, nb int64) int64 {
	if d, ok := c.fastBetween(sa, na, sb, nb); ok {
		return d
	}
	return c.betweenSlow(sa, na, sb, nb)
}

// betweenSlow is betweenUnix by the general arithmetic, which the span table is built from.
func (c *Calendar) betweenSlow(sa, na, sb, nb int64) int64 {
	// The order of the clamped instants decides as the instants' would:
	// instants clamped to one end are a span of no business time.
	sa, na = clampUnix(sa, na)
	sb, nb = clampUnix(sb, nb)
	if sb < sa || (sb == sa && nb < na) {
		return -c.betweenSlow(sb, nb, sa, na)
	}
	pa, ia := c.wallAt(sa, na)
	pb, ib := c.wallFrom(sb, nb, ia)
	if ib == ia && pa.day == pb.day {
		// One local date under one offset (most sums): its open time in
		// [pa, pb), pa <= pb, with no correction.
		return openWithin(c.nom.windows(pa.day), pa.tod, pb.tod)
	}
	return c.nom.betweenPlus(pa, pb, -(c.zone.corr[ib] - c.zone.corr[ia]))
}

// Add returns t plus d of business time.
//
// For d >= 0 it is the earliest instant u with Between(t, u) == d: a target that is reached
// exactly at a closing time is due at that closing time, not at the next opening, and Add(t, 0)
// is t. For d < 0 it is the latest instant u with Between(u, t) == -d: eight business hours
// before Friday 17:00 on a 09:00-17:00 calendar is Friday 09:00, not Thursday 17:00, so that
// Add(Add(t, d), -d) == t whenever t is open. Both hold for every d, however far before 1900 or
// after 2099 the result lies (the most negative Duration is taken as -[math.MaxInt64]), as
// long as the result is within range; out of range, it saturates: results past [End] are End,
// and when there is less than -d of business time between [Start] and t, the result is Start.
// Add never returns an instant before t for d >= 0, nor after t for d < 0.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	switch {
	case d == 0:
		return t
	case c.always():
		return t.Add(d)
	case d < 0:
		if !t.After(Start) {
			return t
		}
		return c.sub(t, magnitude(d))
	}
	sec, ns := t.Unix(), int64(t.Nanosecond())
	if sec >= endSec && (sec > endSec || ns > endNsec) {
		return t // after End (its Unix seconds and nanoseconds, without t.After's call)
	}
	if x := uint64(sec - fastFrom); x < fastLimit && int64(d) <= c.spans.maxNeed {
		// In the span table (spans.go), its block built: a scan of the spans ahead.
		if b := c.spans.built(x >> blockShift); b != nil {
			rel := relOf(x, ns)
			n := b.find(rel)
			s := &b.spans[n-1] // holds t, or the gap after it holds t
			if rel+int64(d) <= s.to {
				// t open and the sum ends in its span (a reply due minutes after
				// a message): business time is real time up to s.to.
				return time.Unix(unixIn(x>>blockShift, rel+int64(d))).In(c.loc)
			}
			if target := s.cum + min(rel, s.to) - s.from + int64(d); target <= b.end {
				// Most other sums end in the instant's block: its spans after s
				// (which ends before the target) hold the target.
				for j := n; j < len(b.spans); j++ {
					if s := &b.spans[j]; s.fin >= target {
						return time.Unix(unixIn(x>>blockShift, s.from+target-s.cum)).In(c.loc) // >= 0
					}
				}
			} else if s, n, ok := c.ahead(b, x>>blockShift, len(b.spans), target); ok {
				return time.Unix(s, n).In(c.loc)
			}
		}
	}
	return c.instantUnix(c.addUnix(sec, ns, int64(d)))
}

// addUnix is Add for an instant given as Unix seconds and nanoseconds (0 <= ns < 1e9), not
// after End, and d > 0, on a calendar that is not always open. It returns the Unix seconds
// and nanoseconds of the result, at most End's.
func (c *Calendar) addUnix(sec, ns, need int64) (int64, int64) {
	if s, n, ok := c.fastAdd(sec, ns, need); ok {
		return s, n
	}
	return c.addSlow(sec, ns, need)
}

// addSlow is addUnix by the general arithmetic.
func (c *Calendar) addSlow(sec, ns, need int64) (int64, int64) {
	if sec < startSec {
		sec, ns = startSec, 0 // as clampUnix
	}
	p, i := c.wallAt(sec, ns)
	z := &c.zone
	if i < len(z.trans) {
		// Most sums land before the zone's next transition: then the open
		// time up to it is at least need, and the sum stands.
		w := z.wallBefore(i)
		if r := c.nom.add(p, need); !w.less(r) {
			return unixOf(r, z.offset(i))
		}
		avail := c.nom.between(p, w)
		if avail < need {
			// Find the last transition j before which the target is not yet reached; rest is
			// what remains after transition i (cum differences cannot overflow).
			rest := need - avail
			j := i
			lo, hi := i+1, len(z.trans)
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if z.cum[m]-z.cum[i] < rest {
					j, lo = m, m+1
				} else {
					hi = m
				}
			}
			return unixOf(c.nom.add(z.wallAfter(j), rest-(z.cum[j]-z.cum[i])), z.trans[j].after)
		}
	}
	return unixOf(c.nom.add(p, need), z.offset(i))
}

// magnitude returns |d| in nanoseconds. It is the one place where an extreme duration is
// capped: the magnitude of the most negative Duration is taken as the largest.
func magnitude(d time.Duration) int64 {
	switch {
	case d >= 0:
		return int64(d)
	case d == math.MinInt64:
		return math.MaxInt64
	}
	return -int64(d)
}

// subStepSecs bounds the real time one step of sub counts over: 2^32 s, some 136 years, so
// that the business time of a step, at most its real time, is far from overflowing an int64.
const subStepSecs = int64(1) << 32

// sub returns the latest u <= t with Between(u, t) == d, d > 0, and Start when there is not that
// much business time before t.
//
// It steps back from t, each step over at most subStepSecs of real time: a step that holds the
// rest of d counts forward to the earliest instant with that rest before the step's end, and
// moves on to the opening that follows it, the latest instant with the same business time to
// t; a step that does not takes its business time off d and the next step starts where it
// began. Business time is never summed over more than a step, so it never saturates, whatever
// the span and however far before 1900 the result lies.
func (c *Calendar) sub(t time.Time, d int64) time.Time {
	sec, ns := clampSec(t)
	weeks := d/c.nom.open.total + 2 // enough for regular weeks
	for {
		span := min(satMul(weeks, 7*daySecs), subStepSecs)
		from := startSec
		if sec-startSec > span {
			from = sec - span
		}
		have := c.betweenUnix(from, 0, sec, ns)
		if have >= d {
			return c.NextOpen(c.Add(time.Unix(from, 0).In(c.loc), time.Duration(have-d)))
		}
		if from == startSec {
			return Start.In(c.loc)
		}
		// The step held less than d (it reached its bound, or holidays and skipped hours
		// took more than the two spare weeks): the rest lies before it, and the next step,
		// twice as long at least, looks there.
		d -= have
		sec, ns = from, 0
		weeks = max(d/c.nom.open.total+2, satMul(weeks, 2))
	}
}
