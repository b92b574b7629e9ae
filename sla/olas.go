package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
)

// OLA metrics: the clocks of an operational level agreement.
const (
	// OLATimeToOwn runs from the hand-off of a ticket to a team to the
	// first assignment of an agent (or the first public agent reply)
	// while the team holds it.
	OLATimeToOwn Metric = "ola.time_to_own"
	// OLATimeToResolve runs from the hand-off to the team to the hand-off
	// away from it, or to the solve.
	OLATimeToResolve Metric = "ola.time_to_resolve"
)

// OLA is an operational level agreement: internal targets for a team
// while it holds a ticket, beside the customer's SLA. Each holding of the
// ticket by a matching team (from the hand-off to it, or the creation, to
// the hand-off away) is one cycle of each OLA metric that has a target at
// the ticket's priority at the hand-off. OLA clocks have states of their
// own: they do not change the SLA's clocks or the [Agreement].
type OLA struct {
	// Name identifies the OLA in results; required and unique.
	Name string
	// Team is the team whose holdings the OLA measures; when it is "",
	// When picks the holdings instead (one of them is required).
	Team string
	// When, with no Team, selects the holdings by the ticket as it is at
	// the hand-off (its Team is the new holder). An error is taken as false
	// and recorded on the ticket (see [CondFailure]).
	When func(*Ticket) (bool, error)
	// Calendar is the calendar the OLA counts in; nil counts 24x7.
	Calendar *calendar.Calendar
	// Targets holds, per priority, the targets of OLATimeToOwn and
	// OLATimeToResolve (positive).
	Targets map[string]map[Metric]time.Duration
	// PauseOn lists the statuses that pause the OLA's clocks; nil means
	// [StatusPending, StatusOnHold], an empty non-nil slice never pauses.
	PauseOn []Status
}

// OLAClock is the view of one cycle of an OLA metric.
type OLAClock struct {
	OLA  string // the OLA's name
	Team string // the team holding the ticket in the cycle
	Clock
}

type compiledOLA struct {
	OLA
	cal     *calendar.Calendar
	pauseOn [8]bool
	targets [][2]time.Duration // [priority]{own, resolve}
}

// OLAMetrics returns the metrics of an OLA: [OLATimeToOwn] and
// [OLATimeToResolve].
func OLAMetrics() []Metric { return []Metric{OLATimeToOwn, OLATimeToResolve} }

// compileOLAs checks the OLAs and builds their compiled forms; the
// problems go to errs, at field paths "olas[i]...".
func compileOLAs(olas []OLA, prios []string, prioIdx map[string]int, errs *configErrors) []*compiledOLA {
	names := map[string]bool{}
	out := make([]*compiledOLA, 0, len(olas))
	for i, o := range olas {
		at := fmt.Sprintf("olas[%d]", i)
		switch {
		case o.Name == "":
			errs.add(at+".name", "name is required")
		case names[o.Name]:
			errs.addErr(ErrDuplicate, at+".name", "OLA %s defined twice", quoteName(o.Name))
		}
		names[o.Name] = true
		if o.Team == "" && o.When == nil {
			errs.add(at+".team", "a team or a when condition is required")
		}
		c := &compiledOLA{OLA: o, cal: o.Calendar, targets: make([][2]time.Duration, len(prios))}
		if c.cal == nil {
			c.cal = calendar.Always
		}
		pause := o.PauseOn
		if pause == nil {
			pause = []Status{StatusPending, StatusOnHold}
		}
		c.pauseOn = pauseSet(pause, "OLA", at+".pause_on", errs)
		n := 0
		eachTarget(o.Targets, at+".targets", prioIdx, prios, errs, func(field string, pi int, m Metric, d time.Duration) {
			k := slices.Index(OLAMetrics(), m)
			switch {
			case k < 0:
				errs.addErr(ErrUndefined, field, "undefined OLA metric %s (want %s or %s)", quoteName(m), OLATimeToOwn, OLATimeToResolve)
			case d <= 0:
				errs.add(field, "target %v is not positive", d)
			default:
				c.targets[pi][k] = d
				n++
			}
		})
		if n == 0 {
			errs.add(at+".targets", "an OLA needs at least one target (time_to_own or time_to_resolve)")
		}
		out = append(out, c)
	}
	return out
}

// olaCycle is one cycle of an OLA metric: a holding of the ticket by Team.
type olaCycle struct {
	OLA  string
	Team string
	cycle
}

// olaCycleJSON is the JSON form of an olaCycle.
type olaCycleJSON struct {
	OLA  string `json:"ola"`
	Team string `json:"team"`
	cycleJSON
}

// matches reports whether the OLA measures the holding of st's ticket by
// its team; a failure of When at t is recorded on st.
func (o *compiledOLA) matches(st *State, t time.Time) bool {
	tk := &st.ticket
	if tk.Team == "" {
		return false
	}
	if o.Team != "" {
		return o.Team == tk.Team
	}
	ok, err := o.When(tk)
	if err != nil {
		st.condFailed(err, "OLA.When", o.Name, t)
		return false
	}
	return ok
}

func (e *Engine) olaByName(name string) *compiledOLA {
	for _, o := range e.olas {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// olaNext counts a new cycle of the OLA metric and returns its number.
func (s *State) olaNext(ola string, m Metric) int32 {
	var n int32
	for i := range s.x().olas {
		if c := &s.x().olas[i]; c.OLA == ola && c.Metric == m {
			n = max(n, c.N)
		}
	}
	return min(n, maxCycleN-1) + 1
}

// olaEvent runs the OLA clocks after an event (ev nil for the actions of
// an escalation level) applied at t: a hand-off away or a solve stops
// the holding's clocks, an agent assignment or a public agent reply stops
// time to own, a hand-off to a team (or a reopening) starts a holding,
// and the statuses pause and resume the clocks.
func (e *Engine) olaEvent(st *State, ev *Event, t time.Time, oldTeam string, oldStatus Status) {
	if !e.olaWatch(st) {
		return
	}
	tk := &st.ticket
	active := tk.Status != StatusSolved && tk.Status != StatusClosed
	reopened := (oldStatus == StatusSolved || oldStatus == StatusClosed) && active
	holds := active && tk.Team != "" && (tk.Team != oldTeam || oldStatus == "" || reopened)
	si := statusIndex(tk.Status)
	// The open cycles stop, or pause and resume with the status; the
	// cycles a new holding starts below are paused as they start.
	olas := st.x().olas
	shut := true // no cycle left open
	for i := range olas {
		c := &olas[i]
		if !c.open() {
			continue
		}
		o := e.olaByName(c.OLA)
		cal := calendar.Always
		if o != nil {
			cal = o.cal
		}
		switch {
		case tk.Team != c.Team || !active:
			c.stop(cal, t.In(c.Start.Location()), c.Metric == OLATimeToOwn, false)
		case c.Metric == OLATimeToOwn && ownsTicket(ev):
			c.stop(cal, t.In(c.Start.Location()), false, false)
		case o != nil:
			c.syncPause(o, si, t)
		}
		shut = shut && !c.open()
	}
	if !holds {
		st.olaShut = shut
		return
	}
	_, prio := e.policyPrio(st)
	owned := ownsTicket(ev)
	for _, o := range e.olas {
		if !o.matches(st, t) {
			continue
		}
		if n := countPositive(o.targets[prio][:]); n > 0 {
			more := st.xw()
			more.olas = slices.Grow(more.olas, n)
		}
		for k, m := range []Metric{OLATimeToOwn, OLATimeToResolve} {
			if d := o.targets[prio][k]; d > 0 {
				// The cycle is written in its place (the room grown above),
				// field by field, not as a composite literal built on the
				// stack and copied: begin writes every field but the ext.
				// The room may hold an earlier ticket's cycle.
				n := st.olaNext(o.Name, m)
				more := st.xw()
				more.olas = more.olas[:len(more.olas)+1]
				c := &more.olas[len(more.olas)-1]
				c.OLA, c.Team, c.ext = o.Name, tk.Team, nil
				c.begin(m, n, t, d, o.cal.Add(t, d))
				if m == OLATimeToOwn && owned {
					c.stop(o.cal, t, false, false)
				} else {
					c.syncPause(o, si, t)
					shut = false
				}
			}
		}
	}
	st.olaShut = shut
}

// ownsTicket reports whether ev (nil for the actions of an escalation
// level) gives the ticket an owner within the team holding it: an agent
// assigned (or named as the ticket is created) or a public reply of an
// agent, which stops time to own. olaEvent asks it only where a cycle of
// time to own is open or starts.
func ownsTicket(ev *Event) bool {
	return ev != nil && ((ev.Type == EventAssign || ev.Type == EventCreated) && ev.Agent != "" ||
		ev.Type == EventMessage && ev.author() == AuthorAgent && ev.public())
}

// olaWatch reports whether olaEvent has anything to do for st: an OLA
// cycle to stop, pause or resume (one may be open unless State.olaShut
// says none is), or a team some OLA may measure (a new holding may start
// one). It is inlined: apply asks it before calling
// olaEvent, so that most events do not pay the call.
func (e *Engine) olaWatch(st *State) bool {
	return len(e.olas) > 0 && (!st.olaShut && st.more != nil && len(st.more.olas) > 0 || e.mayHold(st.ticket.Team))
}

// mayHold reports whether a holding of the ticket by team can start an
// OLA cycle: team is not "" and some OLA measures it or picks holdings by
// its When condition. It is inlined (into olaWatch, asked at every event):
// the length of the name rules out most teams no OLA names without a
// search of the OLAs' teams.
func (e *Engine) mayHold(team string) bool {
	return team != "" && (e.olaAnyTeam || e.olaLens&teamLenBit(team) != 0 && e.namesTeam(team))
}

// namesTeam reports whether some OLA names team.
func (e *Engine) namesTeam(team string) bool {
	for _, t := range e.olaTeams {
		if t == team {
			return true
		}
	}
	return false
}

// teamLenBit returns the bit of olaLens for the length of a team's name:
// bit n for a name of n < 63 bytes, bit 63 for longer ones.
func teamLenBit(team string) uint64 { return 1 << min(len(team), 63) }

// syncPause pauses the open cycle c of the OLA o, or resumes it, at t as
// the status of index si asks.
func (c *olaCycle) syncPause(o *compiledOLA, si int, t time.Time) {
	want := o.pauseOn[si]
	switch {
	case want && c.State == phRunning:
		c.pause(o.cal, t)
	case !want && c.State == phPaused:
		c.resume(o.cal, t)
	}
}

// countPositive counts the positive durations of ds.
func countPositive(ds []time.Duration) int {
	n := 0
	for _, d := range ds {
		if d > 0 {
			n++
		}
	}
	return n
}

// olaClocks appends the views of the OLA cycles of st at the instant at,
// instants in loc, and returns the earliest deadline still ahead (zero for none).
func (e *Engine) olaClocks(dst []OLAClock, st *State, at time.Time, loc *time.Location, built bool) ([]OLAClock, time.Time) {
	var wake time.Time
	olas := st.x().olas
	dst = slices.Grow(dst, len(olas))
	for i := range olas {
		c := &olas[i]
		cal := calendar.Always
		if o := e.olaByName(c.OLA); o != nil {
			cal = o.cal
		}
		n := len(dst)
		dst = dst[:n+1] // grown above
		oc := &dst[n]
		oc.OLA, oc.Team = c.OLA, c.Team
		ck := &oc.Clock // clock writes every field
		if c.clock(ck, cal, loc, at, built) == phRunning && ck.Deadline.After(at) {
			wake = earliest(wake, ck.Deadline)
		}
	}
	return dst, wake
}

// checkOLAs refuses OLA cycles Apply could not have produced (see
// [State.UnmarshalJSON]).
func (s *State) checkOLAs() error {
	for i := range s.x().olas {
		c := &s.x().olas[i]
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%w: ola cycle %d (%s %s#%d): "+format, append([]any{ErrState, i + 1, c.OLA, c.Metric, c.N}, args...)...)
		}
		switch {
		case c.OLA == "" || c.Team == "":
			return bad("no OLA or team")
		case c.Metric != OLATimeToOwn && c.Metric != OLATimeToResolve:
			return bad("not an OLA metric")
		case c.N < 1:
			return bad("cycle number below 1")
		case c.Target <= 0 || c.Target > maxSpan || c.Base < 0 || c.Base > maxSpan:
			return bad("target %v or elapsed time %v outside 0 to 200 years", c.Target, c.Base)
		case c.Start.Before(s.ticket.CreatedAt) || c.Start.After(s.lastAt):
			return bad("start %s outside the ticket's life", c.Start.Format(time.RFC3339))
		case c.Base > s.lastAt.Sub(c.Start):
			return bad("elapsed time %v longer than the time since its start", c.Base)
		case !inRange(c.due) || !inRange(c.breachAt()):
			return bad("deadline or breach outside the years 1900 to 2999")
		}
		from, paused := c.Start, false
		for k, p := range c.spans() {
			if paused || p.From.Before(from) || (!p.To.IsZero() && p.To.Before(p.From)) || p.From.After(s.lastAt) || p.To.After(s.lastAt) {
				return bad("pause %d out of order", k+1)
			}
			paused, from = p.To.IsZero(), p.To
		}
		switch c.State {
		case phRunning, phPaused:
			if !c.open() || paused != (c.State == phPaused) {
				return bad("state %s does not match its stop and pauses", c.State)
			}
		case phMet, phBreached, phCancelled:
			if c.open() || paused || c.stopAt().Before(from) || c.stopAt().After(s.lastAt) {
				return bad("state %s does not match its stop and pauses", c.State)
			}
		default:
			return bad("unknown state %q", c.State)
		}
	}
	return nil
}
