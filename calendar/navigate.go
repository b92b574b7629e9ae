package calendar

import "time"

// NextOpen returns the earliest open instant at or after t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.always() {
		return t
	}
	sec, ns := t.Unix(), int64(t.Nanosecond())
	if x := uint64(sec - fastFrom); x < fastLimit {
		// In the span table (spans.go): t if a span holds it, else the start of
		// the next span in its block.
		b := c.spans.built(x >> blockShift)
		if b == nil {
			b = c.buildBlock(x >> blockShift)
		}
		if b == nil {
			return c.nextOpenSlow(t) // the table is full
		}
		rel := relOf(x, ns)
		_, n := b.at(rel)
		switch {
		case rel < b.spans[n-1].to:
			return t
		case n < len(b.spans):
			return time.Unix(unixIn(x>>blockShift, b.spans[n].from)).In(c.loc) // from > rel >= 0
		}
	}
	return c.nextOpenSlow(t)
}

// nextOpenSlow is NextOpen by the general arithmetic.
func (c *Calendar) nextOpenSlow(t time.Time) time.Time {
	for range len(c.zone.trans) + 2 {
		p, i := c.wall(t)
		if c.nom.isOpen(p) {
			return t
		}
		u := c.instant(c.nom.nextOpen(p), c.zone.offset(i))
		if i < len(c.zone.trans) && u.Unix() >= c.zone.trans[i].at {
			// The wall-clock time lies past the next offset change: look again from there.
			t = time.Unix(c.zone.trans[i].at, 0).In(c.loc)
			continue
		}
		return u
	}
	return End.In(c.loc) // unreachable: every step passes an offset change
}

// NextClose returns the earliest closed instant at or after t; [End] when the calendar never
// closes after t.
func (c *Calendar) NextClose(t time.Time) time.Time {
	if c.always() {
		return End
	}
	for range len(c.zone.trans) + 2 {
		p, i := c.wall(t)
		if !c.nom.isOpen(p) {
			return t
		}
		q, ok := c.nom.nextClose(p)
		var u time.Time
		if ok {
			u = c.instant(q, c.zone.offset(i))
		}
		if i < len(c.zone.trans) && (!ok || u.Unix() >= c.zone.trans[i].at) {
			t = time.Unix(c.zone.trans[i].at, 0).In(c.loc)
			continue
		}
		if !ok {
			return End.In(c.loc)
		}
		return u
	}
	return End.In(c.loc)
}

// PrevOpen returns the latest instant at or before t at which an open period starts: t itself
// when an open period starts at t, the start of the current period when t is open, and the
// start of the last period before t when it is closed. Open periods are maximal: a day open
// until 24:00 and the next open from 00:00 make one period. It returns [Start] when no period
// starts between Start and t.
func (c *Calendar) PrevOpen(t time.Time) time.Time {
	if c.always() {
		return Start
	}
	return c.prevEdge(t, true)
}

// PrevClose returns the latest instant at or before t at which an open period ends (the first
// closed instant after it), and [Start] when none ends between Start and t.
func (c *Calendar) PrevClose(t time.Time) time.Time {
	if c.always() {
		return Start
	}
	return c.prevEdge(t, false)
}

// prevEdge returns the latest start (open) or end (!open) of an open period at or before t.
func (c *Calendar) prevEdge(t time.Time, open bool) time.Time {
	if t.Before(Start) {
		return Start.In(c.loc)
	}
	for range len(c.zone.trans) + 2 {
		p, i := c.wall(t)
		var q pos
		var ok bool
		if open {
			q, ok = c.nom.prevOpen(p)
		} else {
			q, ok = c.nom.prevClose(p)
		}
		var at time.Time // the offset change that began t's offset, if any
		if i > 0 {
			at = time.Unix(c.zone.trans[i-1].at, 0)
		}
		if ok {
			u := c.instant(q, c.zone.offset(i))
			if i == 0 || u.After(at) {
				if u.Before(Start) {
					return Start.In(c.loc)
				}
				return u
			}
		}
		if i == 0 {
			return Start.In(c.loc)
		}
		// Nothing in the wall-clock stretch since the offset change: is the change itself an
		// edge? If not, look before it.
		before := at.Add(-time.Nanosecond)
		if c.IsOpen(at) == open && c.IsOpen(before) != open {
			return at.In(c.loc)
		}
		t = before
	}
	return Start.In(c.loc) // unreachable: every step passes an offset change
}

// firstAt returns the earliest instant whose wall-clock position is at or after q: the instant
// of a wall-clock time, the end of the gap where clocks skip it, its first occurrence where
// they repeat it.
func (c *Calendar) firstAt(q pos) time.Time {
	z := &c.zone
	if q.day > endDay+2 {
		return End.In(c.loc)
	}
	w := q.day*daySecs + q.tod/int64(time.Second)
	ns := q.tod % int64(time.Second)
	// The answer lies within a day of w minus any offset: start two days earlier.
	for i := z.index(w - 2*daySecs); i <= len(z.trans); i++ {
		sec := w - z.offset(i)
		if i > 0 && sec < z.trans[i-1].at {
			sec, ns = z.trans[i-1].at, 0 // the whole stretch lies past q
		}
		if i == len(z.trans) || sec < z.trans[i].at {
			if sec > endSec {
				return End.In(c.loc)
			}
			if sec < startSec {
				return Start.In(c.loc)
			}
			return time.Unix(sec, ns).In(c.loc)
		}
	}
	return End.In(c.loc) // unreachable: the last stretch has no end
}

// maxDays bounds AddDays: more business days than the domain holds.
const maxDays = 4_000_000

// AddDays returns the instant n business days after t at the same wall-clock time. A business
// day is a local date with open hours. When t is closed the count starts from NextOpen(t);
// when the resulting instant is closed (a shorter day, or a time in a lunch break) the result
// is the next open instant after it. AddDays(t, 0) is NextOpen(t), and so is AddDays(t, n)
// for n < 0. Results past [End] are End.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	if c.always() {
		if n <= 0 {
			return t
		}
		if n > maxDays {
			return End
		}
		if u := t.UTC().AddDate(0, 0, n); u.Before(End) {
			return u.In(t.Location())
		}
		return End
	}
	s := c.NextOpen(t)
	if n <= 0 {
		return s
	}
	if n > maxDays {
		return End.In(c.loc)
	}
	p, _ := c.wall(s)
	day := c.addDays(p.day, int64(n))
	return c.NextOpen(c.firstAt(pos{day, p.tod}))
}

// EndOfDay returns the close of the last open range of t's business day: of t's local date if
// it has open hours that end after t, else of the next date that has. "By the end of the
// business day" is due then. A range that ends at 24:00 ends at the next midnight, even if the
// next day opens at 00:00.
func (c *Calendar) EndOfDay(t time.Time) time.Time {
	if c.always() {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	}
	if t.After(End) {
		return End.In(c.loc)
	}
	p, _ := c.wall(t)
	day := p.day
	if len(c.nom.windows(day)) == 0 {
		day = c.nom.addDays(day, 1)
	}
	for range len(c.zone.trans) + 3 {
		end := c.firstAt(pos{day + 1, 0})
		if !c.nom.endsOpen(day) {
			end = c.PrevClose(end)
		}
		if end.After(t) && end.After(c.firstAt(pos{day, 0})) {
			return end
		}
		// Past that end already, or the day's hours fell into a skipped hour.
		day = c.nom.addDays(day, 1)
	}
	return End.In(c.loc)
}
