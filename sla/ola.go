package sla

import (
	"slices"
	"sort"
	"time"

	"github.com/slakit/slakit/calendar"
)

// TeamTime is the business time of one resolution cycle during which one
// team held the ticket, so that a lead sees which team used the time. It
// is accounting only: it is not the operational level agreements of
// [Config.OLAs], whose clocks are [OLAClock] values. Time is counted in the calendar of the
// policy in force, over the cycle's unpaused spans (paused spans belong to
// nobody), split at the instants the ticket changed teams, so the entries of a
// cycle add up to the cycle's elapsed time (unless the policy changed
// after the cycle stopped: a stopped cycle keeps the elapsed time measured
// with its own policy's calendar).
type TeamTime struct {
	Metric  Metric        // Resolution
	Cycle   int           // the cycle's number
	Team    string        // "" while the ticket had no team
	Elapsed time.Duration // business time of the policy's calendar; positive
}

// Handoff is a change of the team holding a ticket: from the instant At
// the ticket is held by To. An empty team means no team. Changes made by
// routing rules and escalation actions count like assign events.
type Handoff struct {
	At   time.Time
	From string
	To   string
}

// handoffsOf copies the hand-offs of st, instants in loc, into dst's
// storage (nil when there are none).
func handoffsOf(dst []Handoff, st *State, loc *time.Location) []Handoff {
	hs := st.x().handoffs
	if len(hs) == 0 {
		return nil
	}
	dst = slices.Grow(dst[:0], len(hs))
	for _, h := range hs {
		dst = append(dst, Handoff{At: h.At.In(loc), From: h.From, To: h.To})
	}
	return dst
}

// teamTimes appends to dst the time of every reported resolution cycle of
// st, up to at, split by the team holding the ticket (see handoff). built
// is as for [cycle.clock]; reported is the mask of st's reported cycles
// (see [State.reported]).
func teamTimes(dst []TeamTime, st *State, cal *calendar.Calendar, at time.Time, built bool, reported uint64) []TeamTime {
	cycles, handedOff := st.cycles, len(st.x().handoffs) > 0
	for i := nextIn(reported, 0); i < len(cycles); i = nextIn(reported, i+1) {
		c := &cycles[i]
		if c.Target <= 0 || c.Metric != Resolution {
			continue
		}
		first := len(dst)
		if built && c.counted {
			// One team held the cycle when none took it over after its
			// start (most tickets are never handed off), or only after its
			// end: its time is the cycle's, the sum of the spans counted
			// below (its end is only needed to tell).
			team, next := st.ticket.Team, time.Time{}
			if handedOff {
				team, next = st.teamAt(c.Start)
			}
			end := at
			if !next.IsZero() && !c.open() {
				end = c.stopAt()
			}
			if next.IsZero() || !next.Before(end) {
				d := c.Base // a cycle that does not run: all of its time
				if c.running() {
					d = c.elapsed(cal, end)
				}
				if d > 0 {
					dst = append(dst, TeamTime{Metric: c.Metric, Cycle: int(c.N), Team: team, Elapsed: d})
				}
				continue
			}
			if !c.open() && len(c.spans()) == 0 {
				dst = splitUnpaused(dst, st, c, cal, end)
				continue
			}
		}
		add := func(a, b time.Time) {
			for a.Before(b) {
				team, next := st.teamAt(a)
				if next.IsZero() || next.After(b) {
					next = b
				}
				if d := cal.Between(a, next); d > 0 {
					dst = addTeamTime(dst, first, TeamTime{Metric: c.Metric, Cycle: int(c.N), Team: team, Elapsed: d})
				}
				a = next
			}
		}
		from, paused := c.Start, false
		for _, p := range c.spans() {
			add(from, p.From)
			if p.To.IsZero() {
				paused = true
				break
			}
			from = p.To
		}
		if !paused {
			end := at
			if !c.open() {
				end = c.stopAt()
			}
			add(from, end)
		}
	}
	return dst
}

// clockTeamTimes is teamTimes, from the clocks of a view, for a ticket
// never handed off whose reported cycles all count their Base in the
// view's calendar (see [cycle.counted]; a replay's state): team held each
// resolution cycle all along, for the elapsed time of its clock.
func clockTeamTimes(dst []TeamTime, clocks []Clock, team string) []TeamTime {
	for k := range clocks {
		if ck := &clocks[k]; ck.Metric == Resolution && ck.Elapsed > 0 {
			dst = append(dst, TeamTime{Metric: ck.Metric, Cycle: ck.Cycle, Team: team, Elapsed: ck.Elapsed})
		}
	}
	return dst
}

// splitUnpaused appends the time of c, a stopped cycle that never paused
// and counted Base in cal from its start to its stop end, split by team:
// the time of the last team to hold it is what the teams before it left
// of Base, which spares one calendar sum (business time adds up over
// adjacent stretches).
func splitUnpaused(dst []TeamTime, st *State, c *cycle, cal *calendar.Calendar, end time.Time) []TeamTime {
	first, left := len(dst), c.Base
	for a := c.Start; a.Before(end); {
		team, next := st.teamAt(a)
		last := next.IsZero() || !next.Before(end)
		d := left
		if !last {
			d = cal.Between(a, next)
			left -= d
		}
		if d > 0 {
			dst = addTeamTime(dst, first, TeamTime{Metric: c.Metric, Cycle: int(c.N), Team: team, Elapsed: d})
		}
		if last {
			break
		}
		a = next
	}
	return dst
}

// addTeamTime adds tt to the entry of its team among dst[first:].
func addTeamTime(dst []TeamTime, first int, tt TeamTime) []TeamTime {
	for k := first; k < len(dst); k++ {
		if dst[k].Team == tt.Team {
			dst[k].Elapsed += tt.Elapsed
			return dst
		}
	}
	return append(dst, tt)
}

// teamAt returns the team holding the ticket at t and the instant of the
// next handoff after t (zero for none). Handoffs are in time order.
func (s *State) teamAt(t time.Time) (string, time.Time) {
	hs := s.x().handoffs
	if len(hs) == 0 {
		return s.ticket.Team, time.Time{}
	}
	// k is the number of handoffs at or before t (they are in time order):
	// counted one by one for a few, by halves for more.
	k := 0
	if len(hs) <= 8 {
		ts, tn := t.Unix(), t.Nanosecond()
		for ; k < len(hs); k++ {
			if hsec, hn := hs[k].At.Unix(), hs[k].At.Nanosecond(); hsec > ts || hsec == ts && hn > tn {
				break // after t
			}
		}
	} else {
		k = sort.Search(len(hs), func(i int) bool { return hs[i].At.After(t) })
	}
	var team string
	switch {
	case k > 0:
		team = hs[k-1].To
	case len(hs) > 0:
		team = hs[0].From
	default:
		team = s.ticket.Team
	}
	if k < len(hs) {
		return team, hs[k].At
	}
	return team, time.Time{}
}
