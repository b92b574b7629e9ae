package escalation

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/slakit/slakit/calendar"
)

// Sentinel errors; test for them with [errors.Is]. [New] reports each
// problem as a [*LevelError] wrapping one of them.
var (
	// ErrBadTrigger reports a level without a valid trigger (its At is the
	// zero Trigger or of no known kind). [ParseTrigger] returns it, wrapped
	// in a [*TriggerError], for a text it cannot read.
	ErrBadTrigger = errors.New("escalation: bad trigger")
	// ErrBadLevel reports a level without a name, or with both a Metric
	// and a window trigger. [ErrDuplicateLevel] wraps it.
	ErrBadLevel = errors.New("escalation: bad level")
	// ErrNoActions reports a level without actions.
	ErrNoActions = errors.New("escalation: level has no actions")
	// ErrBadAction reports an action of an unknown type, or without the
	// target (or, for add_tags, the tags) it needs; [Action.Validate]
	// returns it wrapped.
	ErrBadAction = errors.New("escalation: bad action")
	// ErrTooManyLevel reports a ladder of more than [MaxLevels] levels.
	ErrTooManyLevel = errors.New("escalation: more than 64 levels")
	// ErrDuplicateLevel reports a level name used twice in a ladder; it
	// wraps ErrBadLevel.
	ErrDuplicateLevel = fmt.Errorf("%w: name used twice", ErrBadLevel)
)

// LevelError describes one problem of the levels given to [New]. Field is
// a path into them in the YAML spelling of a policy file: "levels" for the
// ladder as a whole, "levels[2].name", "levels[2].at", "levels[2].metric",
// "levels[2].actions", "levels[2].actions[0]". Msg says what is wrong and
// Err is one of the package's sentinel errors.
type LevelError struct {
	Ladder string
	Field  string
	Msg    string
	Err    error
}

// Error prints "escalation: ladder "name": field: message".
func (e *LevelError) Error() string {
	return fmt.Sprintf("escalation: ladder %q: %s: %s", e.Ladder, e.Field, e.Msg)
}

// Unwrap returns the sentinel error.
func (e *LevelError) Unwrap() error { return e.Err }

// ActionType names what an action asks the host to do.
type ActionType string

// The action types. Actions are data: slakit never sends, assigns or pages anything itself.
// In a replay the engine applies set_priority, assign and add_tags to the ticket at the firing
// instant.
const (
	Notify          ActionType = "notify"           // tell someone (Target: "assignee", "leadership", a team...)
	Assign          ActionType = "assign"           // hand the ticket to a team (Target)
	Escalate        ActionType = "escalate"         // raise the support tier (Target: "tier2", ...)
	SetPriority     ActionType = "set_priority"     // change the ticket's priority (Target)
	AddTags         ActionType = "add_tags"         // add Tags to the ticket
	MessageCustomer ActionType = "message_customer" // send the customer a message or template (Target)
	Custom          ActionType = "custom"           // anything else: Target names it, Params carry data
)

var actionTypes = []ActionType{Notify, Assign, Escalate, SetPriority, AddTags, MessageCustomer, Custom}

// Action is one thing a level asks the host to do when it fires.
type Action struct {
	Type   ActionType        `json:"type"`
	Target string            `json:"target,omitempty"`
	Tags   []string          `json:"tags,omitempty"`   // add_tags
	Params map[string]string `json:"params,omitempty"` // custom
}

// Validate reports a missing target or tags, or an unknown type: the
// error wraps [ErrBadAction] and says what is wrong. It returns nil for a
// valid action.
func (a Action) Validate() error {
	if msg := a.problem(); msg != "" {
		return fmt.Errorf("%w: %s", ErrBadAction, msg)
	}
	return nil
}

// problem says what is wrong with the action; "" if nothing.
func (a Action) problem() string {
	switch {
	case !slices.Contains(actionTypes, a.Type):
		return fmt.Sprintf("unknown type %q (want one of notify, assign, escalate, set_priority, add_tags, message_customer, custom)", a.Type)
	case a.Type == AddTags && len(a.Tags) == 0:
		return "add_tags needs at least one tag"
	case a.Type == Custom && strings.TrimSpace(a.Target) == "":
		return "custom action needs a name"
	case a.Type != AddTags && strings.TrimSpace(a.Target) == "":
		return fmt.Sprintf("%s needs a target", a.Type)
	}
	return ""
}

// AnyMetric as a level's Metric watches every metric, each cycle apart.
const AnyMetric = "any"

// Scope says how often a level may fire; its Metric and its trigger decide
// it (see [Level.Scope]).
type Scope uint8

// The scopes of a level.
const (
	// PerCycle is the scope of a level whose Metric names a metric (or is
	// AnyMetric): it fires once per cycle of that metric (of every metric
	// for AnyMetric).
	PerCycle Scope = iota + 1
	// PerTicket is the scope of a level with no Metric: it fires once per
	// ticket, at the first instant any running clock reaches its trigger.
	// A reopening re-arms it.
	PerTicket
	// PerWindow is the scope of a level with a window trigger: it fires
	// once per WhatsApp customer service window. A customer message that
	// moves the window's close re-arms it.
	PerWindow
)

// Level is one rung of a ladder.
type Level struct {
	Name string
	// Metric is the metric whose cycles the level watches: a metric name,
	// AnyMetric for every metric, or "" for the ticket as a whole (see
	// [Scope]). A level with a window trigger has no Metric.
	Metric string
	At     Trigger // when it falls due
	// When, if set, must hold at the instant the level would fire; if it does not, the level
	// waits and is checked again after the ticket's next event. An error means it could not
	// be decided: the level waits as if it did not hold, and the error goes to
	// [Clock.WhenErrors]. The *Context is valid only during the call: When must not keep it.
	When func(*Context) (bool, error)
	// WhenTicketOnly reports that When reads Context.Ticket alone and cannot fail (it never
	// returns an error, and has no effect beyond its answer): the ladder may then ask it
	// first, with a Context holding the ticket only, and spare computing the instant for a
	// ticket it rules out.
	WhenTicketOnly bool
	// WhenTicket, if set, is When for a When that reads the ticket alone (WhenTicketOnly),
	// taking the ticket itself: the ladder calls it instead of When and spares building a
	// Context. It must answer as When does.
	WhenTicket func(ticket any) bool
	// WhenReads, if not zero, names the ticket's attributes When (and WhenTicket) reads, as
	// bits the host defines (package sla's are its Attrs; package policy sets them from the
	// expression): a host that tracks which attributes change may keep a level's
	// [Ladder.RuledOut] answer until one of these changes (see [Ladder.Rereads]). Zero means
	// it may read anything: it is asked every time.
	WhenReads uint64
	// During, if set, is the level's quiet-hours calendar: a level due while During is closed
	// fires at During's next open instant.
	During  *calendar.Calendar
	Actions []Action
}

// Scope returns how often the level may fire.
func (l Level) Scope() Scope {
	switch {
	case l.At.Kind == Window:
		return PerWindow
	case l.Metric == "":
		return PerTicket
	}
	return PerCycle
}

// watches reports whether a clock of the metric can make the level fire.
// A window level watches no clock but the window's (see [Ladder.Next]).
func (l *Level) watches(metric string) bool {
	return l.Metric == "" || l.Metric == AnyMetric || l.Metric == metric
}

// Ladder is a named, ordered list of levels. It is immutable and safe for concurrent use. A
// nil *Ladder has no levels and never fires.
type Ladder struct {
	name   string
	levels []Level

	// The masks, computed by New.
	anyMask, ticketMask, windowMask, elapsedMask, clockWhenMask uint64
	whenMask, ticketWhenMask                                    uint64       // levels with a When; those with a WhenTicket
	undeclaredMask                                              uint64       // levels with a WhenTicket and no WhenReads
	metricMasks                                                 []metricMask // levels naming one metric, by metric
}

type metricMask struct {
	metric string
	mask   uint64
}

// MaxLevels is the most levels a ladder may have.
const MaxLevels = 64

// New returns a ladder after checking every level: a unique, non-empty name, a valid trigger,
// no metric with a window trigger, and at least one valid action; and at most [MaxLevels]
// levels. The error joins a [*LevelError] for every problem found.
func New(name string, levels []Level) (*Ladder, error) {
	var errs []error
	bad := func(field string, sentinel error, format string, args ...any) {
		errs = append(errs, &LevelError{Ladder: name, Field: field, Msg: fmt.Sprintf(format, args...), Err: sentinel})
	}
	if len(levels) > MaxLevels {
		bad("levels", ErrTooManyLevel, "%d levels: a ladder has at most %d", len(levels), MaxLevels)
	}
	seen := map[string]bool{}
	for i, lv := range levels {
		at := fmt.Sprintf("levels[%d]", i)
		switch {
		case strings.TrimSpace(lv.Name) == "":
			bad(at+".name", ErrBadLevel, "name is required")
		case seen[lv.Name]:
			bad(at+".name", ErrDuplicateLevel, "level %q defined twice in the ladder", lv.Name)
		}
		seen[lv.Name] = true
		if lv.At.Kind < Percent || lv.At.Kind > Window {
			bad(at+".at", ErrBadTrigger, "at is required (80%%, breach-30m, breach, breach+2h, 20m or window-2h)")
		}
		if lv.At.Kind == Window && lv.Metric != "" {
			bad(at+".metric", ErrBadLevel, "a window trigger fires once per window: remove metric")
		}
		if len(lv.Actions) == 0 {
			bad(at+".actions", ErrNoActions, "a level needs at least one action")
		}
		for j, a := range lv.Actions {
			if msg := a.problem(); msg != "" {
				bad(fmt.Sprintf("%s.actions[%d]", at, j), ErrBadAction, "%s", msg)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	l := &Ladder{name: name, levels: make([]Level, len(levels))}
	for i, lv := range levels {
		lv.Actions = cloneActions(lv.Actions)
		l.levels[i] = lv
	}
	l.anyMask = l.mask(func(lv *Level) bool { return lv.Scope() == PerCycle && lv.Metric == AnyMetric })
	l.ticketMask = l.mask(func(lv *Level) bool { return lv.Scope() == PerTicket })
	l.windowMask = l.mask(func(lv *Level) bool { return lv.Scope() == PerWindow })
	l.elapsedMask = l.mask(func(lv *Level) bool { return lv.At.Kind == Elapsed })
	l.clockWhenMask = l.mask(func(lv *Level) bool { return lv.When != nil && !lv.WhenTicketOnly })
	l.whenMask = l.mask(func(lv *Level) bool { return lv.When != nil })
	l.ticketWhenMask = l.mask(func(lv *Level) bool { return lv.When != nil && lv.WhenTicketOnly && lv.WhenTicket != nil })
	l.undeclaredMask = l.ticketWhenMask & l.mask(func(lv *Level) bool { return lv.WhenReads == 0 })
	for i := range l.levels {
		lv := &l.levels[i]
		if lv.Scope() != PerCycle || lv.Metric == AnyMetric {
			continue
		}
		j := slices.IndexFunc(l.metricMasks, func(m metricMask) bool { return m.metric == lv.Metric })
		if j < 0 {
			j = len(l.metricMasks)
			l.metricMasks = append(l.metricMasks, metricMask{metric: lv.Metric})
		}
		l.metricMasks[j].mask |= 1 << uint(i)
	}
	return l, nil
}

func cloneActions(as []Action) []Action {
	out := slices.Clone(as)
	for i := range out {
		out[i].Tags = slices.Clone(out[i].Tags)
		if out[i].Params != nil {
			p := make(map[string]string, len(out[i].Params))
			for k, v := range out[i].Params {
				p[k] = v
			}
			out[i].Params = p
		}
	}
	return out
}

// Name returns the ladder's name.
func (l *Ladder) Name() string {
	if l == nil {
		return ""
	}
	return l.name
}

// Len returns the number of levels.
func (l *Ladder) Len() int {
	if l == nil {
		return 0
	}
	return len(l.levels)
}

// Level returns level i; its Actions must not be modified. i must be in
// [0, l.Len()): like indexing a slice, Level panics when i is out of range
// (for every i on a nil Ladder, whose Len is 0).
func (l *Ladder) Level(i int) Level { return l.levels[i] }

// Index returns the index of the level with the given name, or -1.
func (l *Ladder) Index(name string) int {
	if l == nil {
		return -1
	}
	return slices.IndexFunc(l.levels, func(lv Level) bool { return lv.Name == name })
}

// Mask returns the levels that fire once per cycle of the metric (those
// naming it and those with AnyMetric), as bits (bit i for level i), in the
// form of [Clock.Fired]: a cycle whose fired levels cover its mask has
// nothing left to fire of its own.
func (l *Ladder) Mask(metric string) uint64 {
	if l == nil {
		return 0
	}
	m := l.anyMask
	for i := range l.metricMasks {
		if l.metricMasks[i].metric == metric {
			m |= l.metricMasks[i].mask
		}
	}
	return m
}

// TicketMask returns the levels that fire once per ticket ([PerTicket]).
func (l *Ladder) TicketMask() uint64 {
	if l == nil {
		return 0
	}
	return l.ticketMask
}

// WindowMask returns the levels that fire once per window ([PerWindow]).
func (l *Ladder) WindowMask() uint64 {
	if l == nil {
		return 0
	}
	return l.windowMask
}

// ElapsedMask returns the levels whose trigger is a business time elapsed
// ([Elapsed]): on a clock without a target, the only ones that may fire.
func (l *Ladder) ElapsedMask() uint64 {
	if l == nil {
		return 0
	}
	return l.elapsedMask
}

// ClockWhenMask returns the levels whose When is not [Level.WhenTicketOnly]:
// it may read the clock or the instant, or fail, so it is asked at the
// instant the level would fire, at every check. [Ladder.NotBefore] asks
// none of them.
func (l *Ladder) ClockWhenMask() uint64 {
	if l == nil {
		return 0
	}
	return l.clockWhenMask
}

// TicketWhenOnly reports that every level's When, if any, is asked of the
// ticket alone through [Level.WhenTicket]. With the levels [Ladder.RuledOut]
// returns set in [Clock.Fired], Next and NotBefore are then functions of
// the clock alone that record no error: a host may keep their answers for
// as long as the clock and the levels ruled out stay the same.
func (l *Ladder) TicketWhenOnly() bool {
	return l != nil && l.whenMask == l.ticketWhenMask
}

// RuledOut returns the levels among mask whose When, asked of the ticket
// through [Level.WhenTicket], does not hold: none of them fires on any
// clock while the ticket stays as it is. Setting them in [Clock.Fired]
// changes no answer of Next, NextBefore or NotBefore, which would ask the
// same; levels with a When of another kind are not asked.
func (l *Ladder) RuledOut(ticket any, mask uint64) uint64 {
	if l == nil {
		return 0
	}
	var out uint64
	for left := mask & l.ticketWhenMask; left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		if !l.levels[i].WhenTicket(ticket) {
			out |= 1 << uint(i)
		}
	}
	return out
}

// Rereads returns the levels whose [Ladder.RuledOut] answer a change of the
// ticket's attributes changed (in the bits of [Level.WhenReads]) may
// change: those asked through WhenTicket whose WhenReads shares a bit with
// changed, and those with no WhenReads, whatever changed (even nothing).
// A host may keep RuledOut's answer for any other level. Levels RuledOut
// does not ask are never returned: their answer is always that they are
// not ruled out.
func (l *Ladder) Rereads(changed uint64) uint64 {
	if l == nil {
		return 0
	}
	out := l.undeclaredMask
	if changed == 0 {
		return out
	}
	for left := l.ticketWhenMask &^ out; left != 0; left &= left - 1 {
		i := bits.TrailingZeros64(left)
		if l.levels[i].WhenReads&changed != 0 {
			out |= 1 << uint(i)
		}
	}
	return out
}

func (l *Ladder) mask(in func(*Level) bool) uint64 {
	if l == nil {
		return 0
	}
	var m uint64
	for i := range l.levels {
		if in(&l.levels[i]) {
			m |= 1 << uint(i)
		}
	}
	return m
}
