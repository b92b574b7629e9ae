package kpi

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// Bucket is the time bucket of a trend: tickets grouped by the day, the
// week or the month of their creation.
type Bucket string

// Buckets.
const (
	NoBucket Bucket = ""      // no trend
	Day      Bucket = "day"   // key "2026-03-02": the local date of creation
	Week     Bucket = "week"  // key "2026-W10": the ISO 8601 week of the local date of creation
	Month    Bucket = "month" // key "2026-03": the month of the local date of creation
)

// None is the group key of tickets that have no value for a dimension
// (no team, no channel, a missing field) and the team of the time a
// ticket was held by no team.
const None = "(none)"

// Config says how to sum results up. The zero Config is usable: FCR with
// at most one agent reply, no grouping, no trend, no goals.
type Config struct {
	// MaxAgentReplies is the most public agent replies a first contact
	// resolution may have; 0 means 1.
	MaxAgentReplies int
	// Goals are evaluated into [Report.Goals].
	Goals []Goal
	// GroupBy names the dimensions of [Report.By]: priority, channel,
	// team, agent, policy, calendar, status, customer.tier,
	// customer.country, customer.language, or fields.NAME for any ticket
	// field.
	GroupBy []string
	// Bucket adds a trend dimension ("day", "week" or "month") by creation date.
	Bucket Bucket
	// Location is the zone whose dates the buckets and the hours of
	// [Report.BreachesByHour] follow, typically the Location of a named
	// calendar; nil means UTC.
	Location *time.Location
	// GoalsBy holds goals per group: dimension (as in GroupBy), then group
	// key, then the goals evaluated into that group's [Report.Goals]
	// (kpis.goals_by of a policy). A dimension named here and not in
	// GroupBy is grouped by too, after those of GroupBy.
	GoalsBy map[string]map[string][]Goal
	// Worst is how many tickets [Report.Worst] lists (those whose clocks
	// overran their targets the most); 0 lists none.
	Worst int
	// Calendar returns the calendar in whose business time the time in
	// status of a ticket is measured: the one its clocks count in, given
	// the ticket's policy and the calendar's name in its result
	// ([sla.View.Calendar]: the calendar the policy chose for the ticket,
	// else the policy's own; "" when it has no name). Nil, or a nil
	// result, counts 24x7. Its answers are remembered: it is asked once
	// for each of the first pairs of policy and name seen, so it must give
	// the same answer each time. See [Accumulator.Observe].
	Calendar func(policy, name string) *calendar.Calendar
	// At is the instant up to which the time in the current status of a
	// ticket still open is counted; zero means the latest instant of an
	// observed event (through [Accumulator.Sink], of any shard's).
	At time.Time
}

type dimKind int

const (
	dimPriority dimKind = iota
	dimChannel
	dimTeam
	dimAgent
	dimPolicy
	dimCalendar
	dimStatus
	dimTier
	dimCountry
	dimLanguage
	dimField
	dimDay
	dimWeek
	dimMonth
)

var dimNames = map[string]dimKind{
	"priority": dimPriority, "channel": dimChannel, "team": dimTeam, "agent": dimAgent, "policy": dimPolicy,
	"calendar": dimCalendar, "status": dimStatus, "customer.tier": dimTier, "customer.country": dimCountry,
	"customer.language": dimLanguage,
}

type dim struct {
	name  string // as in Report.By
	kind  dimKind
	field string // for dimField
}

// Accumulator sums ticket results up. Feed it with [Accumulator.Add] (one
// result at a time, as [sla.Engine.Replay] yields them), combine shards
// with [Accumulator.Merge], and read the figures with
// [Accumulator.Report]. Memory grows with the number of decided clocks (4
// bytes each, kept for exact percentiles), not with the results.
//
// The zero Accumulator is ready to use, like one from New(Config{}). An
// Accumulator is not safe for concurrent use; give each goroutine its own
// and merge them.
type Accumulator struct {
	cfg       Config
	max       int
	dims      []dim
	all       tally
	by        []map[string]*tally // one per dim
	skipped   int64
	buf       []byte
	worst     worstList
	status    statusTracks
	calendars calendarCache
}

// New returns an empty accumulator for cfg. Errors wrap [ErrConfig].
func New(cfg Config) (*Accumulator, error) {
	a := &Accumulator{cfg: cfg, max: cfg.MaxAgentReplies, calendars: calendarCache{calOf: cfg.Calendar}}
	if a.max == 0 {
		a.max = 1
	}
	if a.max < 0 {
		return nil, fmt.Errorf("%w: max_agent_replies %d is negative", ErrConfig, cfg.MaxAgentReplies)
	}
	if a.cfg.Location == nil {
		a.cfg.Location = time.UTC
	}
	if cfg.Worst < 0 {
		return nil, fmt.Errorf("%w: worst %d is negative", ErrConfig, cfg.Worst)
	}
	a.cfg.Goals = slices.Clone(cfg.Goals)
	a.cfg.GroupBy = slices.Clone(cfg.GroupBy)
	seen := map[string]bool{}
	for _, name := range cfg.GroupBy {
		d, err := parseDim(name)
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: group %q named twice", ErrConfig, name)
		}
		seen[name] = true
		a.dims = append(a.dims, d)
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.GoalsBy)) {
		d, err := parseDim(name)
		if err != nil {
			return nil, fmt.Errorf("goals by: %w", err)
		}
		if !seen[name] {
			seen[name] = true
			a.dims = append(a.dims, d)
			a.cfg.GroupBy = append(a.cfg.GroupBy, name)
		}
	}
	switch cfg.Bucket {
	case NoBucket:
	case Day:
		a.dims = append(a.dims, dim{name: string(Day), kind: dimDay})
	case Week:
		a.dims = append(a.dims, dim{name: string(Week), kind: dimWeek})
	case Month:
		a.dims = append(a.dims, dim{name: string(Month), kind: dimMonth})
	default:
		return nil, fmt.Errorf("%w: unknown bucket %q (want day, week or month)", ErrConfig, cfg.Bucket)
	}
	if cfg.Bucket != NoBucket && seen[string(cfg.Bucket)] {
		return nil, fmt.Errorf("%w: group %q named twice", ErrConfig, cfg.Bucket)
	}
	a.by = make([]map[string]*tally, len(a.dims))
	for i := range a.by {
		a.by[i] = map[string]*tally{}
	}
	return a, nil
}

// CheckDimension returns a [*DimensionError] unless name is a grouping
// dimension of [Config.GroupBy].
func CheckDimension(name string) error {
	_, err := parseDim(name)
	return err
}

// DimensionError is a grouping dimension (of [Config.GroupBy] or
// [Config.GoalsBy]) the package does not know. Name is as given; Msg says
// what is wanted, so that a policy loader can word its own message. It
// wraps [ErrConfig].
type DimensionError struct {
	Name string
	Msg  string
}

// Error prints `kpi: invalid config: unknown group "NAME" (MSG)`.
func (e *DimensionError) Error() string {
	return fmt.Sprintf("%v: unknown group %q (%s)", ErrConfig, e.Name, e.Msg)
}

// Unwrap returns [ErrConfig].
func (e *DimensionError) Unwrap() error { return ErrConfig }

func parseDim(name string) (dim, error) {
	d := dim{name: name}
	if k, ok := dimNames[name]; ok {
		d.kind = k
	} else if f, ok := strings.CutPrefix(name, "fields."); ok && f != "" {
		d.kind, d.field = dimField, f
	} else {
		return d, &DimensionError{Name: name, Msg: "want priority, channel, team, agent, policy, calendar, status, " +
			"customer.tier, customer.country, customer.language or fields.NAME"}
	}
	return d, nil
}

// Config returns the accumulator's configuration (with MaxAgentReplies
// and Location defaulted).
func (a *Accumulator) Config() Config {
	c := a.cfg
	c.MaxAgentReplies = a.maxReplies()
	if c.Location == nil {
		c.Location = time.UTC
	}
	c.Goals = slices.Clone(c.Goals)
	c.GroupBy = slices.Clone(c.GroupBy)
	return c
}

// maxReplies is MaxAgentReplies, defaulted (for the zero Accumulator too).
func (a *Accumulator) maxReplies() int { return max(a.max, 1) }

// facts is what one result contributes to a tally, besides its clocks.
type facts struct {
	noPolicy, backlog, decided, compliant bool
	fcrBase, fcr, escalated               bool
	resolved, reopened                    bool
	csat                                  int
	teamed                                bool // held by a team at some point
	handoffs                              int
	status                                []statusTime
}

func (a *Accumulator) facts(r *sla.Result) facts {
	f := facts{noPolicy: r.Policy == ""}
	solved := r.Status == sla.StatusSolved || r.Status == sla.StatusClosed
	f.backlog = !solved
	breached := false
	for i := range r.Clocks {
		switch r.Clocks[i].State {
		case sla.ClockMet:
			f.decided = true
		case sla.ClockBreached:
			f.decided, breached = true, true
		}
	}
	f.compliant = f.decided && !breached
	f.escalated = r.Stats.Escalations > 0
	for i := 0; i < len(r.Escalations) && !f.escalated; i++ {
		for _, x := range r.Escalations[i].Actions {
			if x.Type == escalation.Assign || x.Type == escalation.Escalate {
				f.escalated = true
				break
			}
		}
	}
	replies := r.Stats.AgentReplies
	f.fcrBase = solved && replies >= 1
	f.fcr = f.fcrBase && replies <= a.maxReplies() && r.Stats.Reopens == 0 && !f.escalated
	f.resolved = solved || !r.Stats.SolvedAt.IsZero()
	f.reopened = r.Stats.Reopens > 0
	if r.Stats.CSAT >= 1 && r.Stats.CSAT <= 5 {
		f.csat = r.Stats.CSAT
	}
	f.teamed, f.handoffs = handoffs(r)
	return f
}

// handoffs reports whether a team held the ticket and counts its
// hand-offs from one team to another ([sla.Result.Handoffs]); time with no
// team in between does not end a holding, so desk -> none -> billing is one
// hand-off and desk -> none -> desk is none.
func handoffs(r *sla.Result) (bool, int) {
	prev := r.Attributes.Team
	if len(r.Handoffs) > 0 {
		prev = r.Handoffs[0].From
	}
	n := 0
	for _, h := range r.Handoffs {
		switch {
		case h.To == "":
		case prev != "" && h.To != prev:
			n++
			prev = h.To
		default:
			prev = h.To
		}
	}
	return prev != "", n
}

// Add counts one ticket result. A result without a created ticket (an
// input error that names no ticket, or events of a ticket whose created
// event is missing) is not a ticket: it is counted in [Report.Skipped]
// only. Add keeps nothing of r.
func (a *Accumulator) Add(r sla.Result) {
	if r.Ticket == "" || r.Status == "" {
		a.skipped++
		if tr := a.status.take(r.Ticket); tr != nil {
			tr.more = nil // its events are not followed further
		}
		return
	}
	f := a.facts(&r)
	f.status = a.status.finish(&r, &a.calendars, a.cfg.At)
	a.all.add(&r, &f)
	a.all.addBreachHours(&r, a.cfg.Location)
	if a.cfg.Worst > 0 {
		a.worst.add(&r, a.cfg.Worst)
	}
	for i, d := range a.dims {
		key := a.key(d, &r)
		t := a.by[i][string(key)]
		if t == nil {
			t = &tally{}
			a.by[i][string(key)] = t
		}
		t.add(&r, &f)
	}
}

// key renders the group key of r for d into a.buf.
func (a *Accumulator) key(d dim, r *sla.Result) []byte {
	b := a.buf[:0]
	tk := &r.Attributes
	switch d.kind {
	case dimPriority:
		b = append(b, r.Priority...)
	case dimChannel:
		b = append(b, tk.Channel...)
	case dimTeam:
		b = append(b, tk.Team...)
	case dimAgent:
		b = append(b, tk.Agent...)
	case dimPolicy:
		b = append(b, r.Policy...)
	case dimCalendar:
		b = append(b, r.Calendar...)
	case dimStatus:
		b = append(b, r.Status...)
	case dimTier:
		b = append(b, tk.Customer.Tier...)
	case dimCountry:
		b = append(b, tk.Customer.Country...)
	case dimLanguage:
		b = append(b, tk.Customer.Language...)
	case dimField:
		b = appendField(b, tk.Fields[d.field])
	case dimDay:
		if !tk.CreatedAt.IsZero() {
			y, m, d := tk.CreatedAt.In(a.cfg.Location).Date()
			b = appendPadded(strconv.AppendInt(b, int64(y), 10), int(m))
			b = appendPadded(b, d)
		}
	case dimWeek:
		if !tk.CreatedAt.IsZero() {
			y, w := tk.CreatedAt.In(a.cfg.Location).ISOWeek()
			b = strconv.AppendInt(b, int64(y), 10)
			b = append(b, '-', 'W', byte('0'+w/10), byte('0'+w%10))
		}
	case dimMonth:
		if !tk.CreatedAt.IsZero() {
			y, m, _ := tk.CreatedAt.In(a.cfg.Location).Date()
			b = appendPadded(strconv.AppendInt(b, int64(y), 10), int(m))
		}
	}
	if len(b) == 0 {
		b = append(b, None...)
	}
	a.buf = b
	return b
}

// appendPadded appends "-" and n (1-99) in two digits.
func appendPadded(b []byte, n int) []byte {
	return append(b, '-', byte('0'+n/10), byte('0'+n%10))
}

// appendField renders a field value: strings as they are, numbers in the
// shortest form, booleans as true or false, other JSON values as JSON.
func appendField(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return b
	case string:
		return append(b, x...)
	case float64:
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case bool:
		return strconv.AppendBool(b, x)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, fmt.Sprint(v)...)
	}
	return append(b, j...)
}

// Merge adds the counts of o to a, so that accumulators fed with shards
// of a history, merged in any order and grouping, give the report of the
// whole history. (For time in status with a zero [Config.At], an
// accumulator that observes only its shard's events must also learn the
// whole history's latest instant: [Accumulator.Sink] does.) o is not
// changed. Both must have been built with the same
// MaxAgentReplies, GroupBy, Bucket and Location (goals may differ: a's
// are kept); otherwise Merge returns an error wrapping [ErrMismatch] and
// changes nothing. A nil o adds nothing: Merge returns nil.
func (a *Accumulator) Merge(o *Accumulator) error {
	if o == nil {
		return nil
	}
	if a.maxReplies() != o.maxReplies() || !slices.Equal(a.cfg.GroupBy, o.cfg.GroupBy) || a.cfg.Bucket != o.cfg.Bucket ||
		a.cfg.Location.String() != o.cfg.Location.String() {
		return fmt.Errorf("%w: max_agent_replies %d/%d, group by %v/%v, bucket %q/%q, zone %s/%s", ErrMismatch,
			a.maxReplies(), o.maxReplies(), a.cfg.GroupBy, o.cfg.GroupBy, a.cfg.Bucket, o.cfg.Bucket, a.cfg.Location, o.cfg.Location)
	}
	if a == o {
		c := &Accumulator{}
		*c = *o
		c.all = o.all.clone()
		c.worst = o.worst.clone()
		c.by = make([]map[string]*tally, len(o.by))
		for i, m := range o.by {
			c.by[i] = make(map[string]*tally, len(m))
			for k, t := range m {
				ct := t.clone()
				c.by[i][k] = &ct
			}
		}
		o = c
	}
	a.skipped += o.skipped
	a.all.merge(&o.all)
	if a.cfg.Worst > 0 {
		a.worst.merge(&o.worst, a.cfg.Worst)
	}
	for i, m := range o.by {
		for k, t := range m {
			mine := a.by[i][k]
			if mine == nil {
				mine = &tally{}
				a.by[i][k] = mine
			}
			mine.merge(t)
		}
	}
	return nil
}

// maxValue caps a kept elapsed time (about 136 years).
const maxValue = math.MaxUint32
