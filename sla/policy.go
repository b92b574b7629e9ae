package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/whatsappwindow"
)

// Metric names what a clock measures.
type Metric string

// Built-in metrics.
const (
	FirstResponse  Metric = "first_response"  // created (by the customer) -> first public agent reply
	NextResponse   Metric = "next_response"   // oldest unanswered customer message -> next public agent reply
	PeriodicUpdate Metric = "periodic_update" // public agent reply -> next public agent reply
	Resolution     Metric = "resolution"      // created -> solved or closed; pauses on the policy's PauseOn
)

var builtins = [...]Metric{FirstResponse, NextResponse, PeriodicUpdate, Resolution}

// The built-in metrics' indices in builtins (builtinIndex's answers), for
// the engine's steps that start a cycle of a metric they name.
const (
	iFirstResponse = iota
	iNextResponse
	iPeriodicUpdate
	iResolution
)

// BuiltinMetrics returns the built-in metrics: first_response,
// next_response, periodic_update, resolution.
func BuiltinMetrics() []Metric { return slices.Clone(builtins[:]) }

// Builtin reports whether m is a built-in metric.
func (m Metric) Builtin() bool { return builtinIndex(m) >= 0 }

func builtinIndex(m Metric) int {
	switch m {
	case FirstResponse:
		return iFirstResponse
	case NextResponse:
		return iNextResponse
	case PeriodicUpdate:
		return iPeriodicUpdate
	case Resolution:
		return iResolution
	}
	return -1
}

// PriorityChange says what a change of a ticket's priority does to its
// clocks.
type PriorityChange string

// Priority change modes.
const (
	// KeepBreach (the default) gives the open cycles the new priority's
	// target from the change on; a breach already recorded stays, so a
	// temporary bump to a higher priority can leave a breach.
	KeepBreach PriorityChange = "keep_breach"
	// Recompute measures every cycle, open or stopped, against the new
	// priority's target from its real start, forgetting the breaches
	// recorded under the former priority (ServiceNow's behaviour).
	Recompute PriorityChange = "recompute"
)

// Reopen says what a reopened ticket does to its resolution clock.
type Reopen string

// Reopen modes.
const (
	ReopenResume  Reopen = "resume"  // the last resolution cycle goes on (the default)
	ReopenRestart Reopen = "restart" // a new resolution cycle starts at the reopening
)

// CustomMetric is a metric defined by conditions, in the style of Jira
// Service Management's "start / pause / stop counting" lists.
//
// After every event the engine first stops a running cycle whose Stop
// holds, then starts a new cycle when none is running and Start holds,
// then pauses a running cycle while Pause holds (and resumes it when Pause
// no longer holds). Start and Stop see the ticket after the event and the
// event itself. A condition that returns an error is taken as false, and
// the failure is recorded on the ticket (see [CondFailure]). The
// conditions are those of the policy in force when it
// defines the metric, else those of the first policy that defines it: a
// custom metric is tracked on every ticket from its real start, and is
// reported while the policy in force has a target for it.
type CustomMetric struct {
	Name  Metric                              // required; not a built-in name
	Start func(*Ticket, *Event) (bool, error) // required
	Stop  func(*Ticket, *Event) (bool, error) // required
	Pause func(*Ticket) (bool, error)         // optional: nil never pauses
	// StartOn and StopOn, when not empty, list the event types on which
	// Start and Stop may hold: the engine then does not ask them after an
	// event of another type, and takes their answer as false, with no
	// failure recorded. So a type may be left out only when the condition
	// can neither hold nor fail on it (Start is event.type == "created"
	// && ..., and the rest is never looked at on other types). Empty means
	// any type, and every type listed must be known. Package policy sets
	// them from the expressions.
	StartOn, StopOn []EventType
}

// Policy is one SLA policy: which tickets it applies to, the calendar its
// clocks count in, and the targets per priority and metric.
//
// A metric without a target at the ticket's priority does not run for
// that ticket (its cycles are not reported).
type Policy struct {
	// Name identifies the policy in states and results; required and unique.
	Name string
	// When selects the tickets the policy applies to; nil matches every
	// ticket. An error is taken as false and recorded on the ticket (see
	// [CondFailure]).
	When func(*Ticket) (bool, error)
	// Calendar is the business-hours calendar; nil counts 24x7.
	Calendar *calendar.Calendar
	// CalendarName names Calendar in views and results ("" for none).
	CalendarName string
	// CalendarBy, when not nil, picks each ticket's calendar: it returns a
	// name in Calendars, or "" (or a name not there) for Calendar. It is
	// asked whenever the policy is chosen again (the ticket's attributes
	// changed; see WhenReads); a new choice recounts the open clocks in the new calendar
	// from their real start, as a change of policy does. An error chooses
	// Calendar and is recorded on the ticket (see [CondFailure]).
	CalendarBy func(*Ticket) (string, error)
	// Calendars holds the calendars CalendarBy may name.
	Calendars map[string]*calendar.Calendar
	// Targets holds, per priority, the target of each metric (positive).
	Targets map[string]map[Metric]time.Duration
	// DayTargets holds, per priority, targets in business days (see
	// [DayTarget]); a metric may have a target in Targets or here, not
	// both.
	DayTargets map[string]map[Metric]DayTarget
	// PauseOn lists the statuses during which the resolution clock is
	// paused. nil means [StatusPending, StatusOnHold]; an empty non-nil
	// slice never pauses.
	PauseOn []Status
	// PauseFor lists, per built-in metric, the statuses during which its
	// clock is paused: first_response, next_response and periodic_update
	// never pause without an entry; an entry for resolution replaces
	// PauseOn. Custom metrics have their own Pause condition.
	PauseFor map[Metric][]Status
	// Reopen is what reopening does to resolution; "" means ReopenResume.
	Reopen Reopen
	// CountBotReplies makes public bot messages count as agent replies.
	CountBotReplies bool
	// OnPriorityChange is what a change of priority does while this policy
	// is in force; "" means KeepBreach.
	OnPriorityChange PriorityChange
	// DefaultPriority is the priority of a ticket that has none while this
	// policy is in force; "" means [Config.DefaultPriority]. The policy's
	// When sees the ticket's own (empty) priority.
	DefaultPriority string
	// ValidFrom and ValidUntil, when not zero, restrict the policy to the
	// tickets created at or after ValidFrom and before ValidUntil (a
	// contract that starts or ends on a date).
	ValidFrom, ValidUntil time.Time
	// Escalation names the policy's escalation ladder in [Config.Ladders]
	// ("" for none).
	Escalation string
	// Metrics are the policy's custom metrics.
	Metrics []CustomMetric
	// WhenReads and CalendarByReads, when not zero, name the ticket
	// attributes When and CalendarBy read: the engine then does not ask
	// them again after an event that changed none of those (their answer,
	// and any failure, would be the same). Zero means any attribute.
	// Package policy sets them from the expressions.
	WhenReads, CalendarByReads Attrs
}

// Attrs is a set of a ticket's attributes, by what events, routing rules
// and escalation actions may change after creation; [AttrFixed] stands for
// those they never change (id, channel, customer, created_at).
type Attrs uint16

// The attributes of a ticket, one bit each.
const (
	AttrStatus Attrs = 1 << iota
	AttrPriority
	AttrTeam
	AttrAgent
	AttrTags
	AttrSubject
	AttrFields
	AttrFixed
	// AttrAll is every attribute.
	AttrAll = AttrStatus | AttrPriority | AttrTeam | AttrAgent | AttrTags | AttrSubject | AttrFields | AttrFixed
)

// Router is the seam for routing rules (package policy implements it from
// YAML rules). Route runs once per applied event, after the event's own
// attribute changes and before the policy is chosen: it may change the
// ticket's attributes (priority, team, agent, tags, fields, ...), not its
// id (a change of id is undone and recorded as a failure), and
// returns the names of the rules it applied, in order, which the engine
// keeps in the ticket's trace ([State.Rules]), and the failures of rules
// that could not be decided (taken as not holding), one error or several
// joined with [errors.Join], which the engine records on the ticket (see
// [CondFailure]). It must not keep t or ev.
type Router interface {
	Route(t *Ticket, ev *Event) ([]string, error)
}

// bitRouter is a [Router] the engine may also ask with the event's type as
// a bit (package policy's rules), found once by NewEngine: the router
// need not find the bit from the type's name at every event, and the
// engine does not call it for a type none of its rules runs on. The bit's
// type lies in an internal package, so that no router outside this module
// takes the path by chance.
type bitRouter interface {
	// RouteBit is Route for an event of the type bit (one bit of
	// RouteTypes). It returns the rules applied as a set of their
	// positions in RuleNames (bit i for the i-th), and the names of
	// those past the 64th, in order. It changes the ticket only by
	// applying rules, and never its id.
	RouteBit(t *Ticket, ev *Event, bit eventbit.Set) (uint64, []string, error)
	// RouteTypes returns the event types some rule runs on: Route returns
	// nothing (no rule, no failure) for an event of any other type.
	RouteTypes() eventbit.Set
	// RuleNames returns the names of the rules, in order; the engine
	// keeps the slice and does not change it.
	RuleNames() []string
	// RouteNeeds returns what an event must have for some rule to
	// apply: the engine does not ask about an event that has none of it
	// (RouteBit would apply no rule and report no failure). The engine
	// keeps it and does not change it.
	RouteNeeds() *eventbit.Needs
}

// RouterFunc adapts a function to a [Router].
type RouterFunc func(t *Ticket, ev *Event) ([]string, error)

// Route calls f.
func (f RouterFunc) Route(t *Ticket, ev *Event) ([]string, error) { return f(t, ev) }

// Config is what an [Engine] is built from.
//
// The functions it holds other than [Router] (a policy's When and
// CalendarBy, a custom metric's Start, Stop and Pause, an OLA's When, an
// escalation level's When) are conditions: they read the ticket they are
// given and must not change it, nor keep it. Only the Router (and a
// level's actions) change a ticket's attributes; the engine may ask a
// condition once and keep its answer while what it reads is unchanged.
type Config struct {
	// Policies in order: the first whose When holds applies.
	Policies []Policy
	// Priorities from highest to lowest; nil means urgent, high, normal, low.
	Priorities []string
	// DefaultPriority is the priority of a ticket that has none; "" means
	// "normal" (or the middle of Priorities when "normal" is not one of them).
	DefaultPriority string
	// Rules, when not nil, routes every event (see [Router]).
	Rules Router
	// Ladders are the escalation ladders by name; a policy's Escalation
	// must name one of them.
	Ladders map[string]*escalation.Ladder
	// WhatsApp, when not nil, tracks the 24-hour customer service window of
	// every ticket whose Channel is [WhatsAppChannel].
	WhatsApp *whatsappwindow.Tracker
	// CloseSolvedAfter, when positive, closes a ticket that stayed solved
	// that long (wall-clock), at that instant, as helpdesks auto-close
	// solved tickets; 0 never closes one by itself.
	CloseSolvedAfter time.Duration
	// OLAs are the operational level agreements measured beside the
	// policies (see [OLA]).
	OLAs []OLA
	// AtRisk is the percent of its target (above 0, below 100) at which a
	// running clock puts the ticket's [Agreement] at risk; 0 means
	// [DefaultAtRisk].
	AtRisk float64
}

// defaultPriorities is the priority order used when Config.Priorities is nil.
var defaultPriorities = []string{"urgent", "high", "normal", "low"}

// DefaultPriorities returns the priorities used when Config.Priorities is
// nil, highest first: urgent, high, normal, low.
func DefaultPriorities() []string { return slices.Clone(defaultPriorities) }

type compiled struct {
	Policy
	cal     *calendar.Calendar
	reopen  Reopen
	pauseOn [len(builtins)][8]bool // per built-in metric, indexed by statusIndex
	// targets is a row per priority of width metrics (the built-ins, then
	// Metrics by position), one after the other: the target of metric
	// index i at priority prio is targets[prio*width+i]; inDays for one
	// in days. One slice, not a row's own: a lookup reads no row header.
	targets  []time.Duration
	width    int
	days     [][]DayTarget      // [priority][metric index]; nil when the policy has none
	customAt map[Metric]int     // custom metric -> index into Metrics
	ladder   *escalation.Ladder // nil: no escalations
	masks    []ladderMask       // ladder's masks by metric (see ladderMask)
	reads    Attrs              // what the ladder's conditions on the ticket read (see readsOf)
	bounds   ladderBounds       // what the escalation bounds read of the ladder (see boundsOf)
	defPrio  int                // index of DefaultPriority; -1 for none
	// prioOr is the priority of a ticket whose own the engine does not
	// know: defPrio, else the engine's default (set by NewEngine).
	prioOr int
	// customs is the rule of each of the engine's custom metrics under
	// this policy, in the order of Engine.customs (see Engine.customMetric).
	customs []customRule
	// customOn is the event types some condition of customs is asked on.
	customOn eventbit.Set
	// pauses says, by statusIndex, whether a cycle may pause at the status
	// (see pausesAt).
	pauses [8]bool
	// windowed says the policy has a window of validity: ValidFrom or
	// ValidUntil is set.
	windowed bool
}

func statusIndex(s Status) int {
	switch s {
	case StatusNew:
		return 1
	case StatusOpen:
		return 2
	case StatusPending:
		return 3
	case StatusOnHold:
		return 4
	case StatusSolved:
		return 5
	case StatusClosed:
		return 6
	}
	return 0
}

// valid reports whether the policy applies to a ticket created at t:
// always, unless it has a window of validity (most policies have none).
func (p *compiled) valid(t time.Time) bool {
	return !p.windowed || p.validIn(t)
}

// validIn is valid for a policy with a window of validity.
func (p *compiled) validIn(t time.Time) bool {
	return (p.ValidFrom.IsZero() || !t.Before(p.ValidFrom)) && (p.ValidUntil.IsZero() || t.Before(p.ValidUntil))
}

func (p *compiled) metricIndex(m Metric) int {
	if i := builtinIndex(m); i >= 0 {
		return i
	}
	if i, ok := p.customIndex(m); ok {
		return len(builtins) + i
	}
	return -1
}

// customIndex returns the index in p.Metrics of the custom metric m.
func (p *compiled) customIndex(m Metric) (int, bool) {
	if len(p.Metrics) <= fewNames {
		for i := range p.Metrics {
			if p.Metrics[i].Name == m && m != "" {
				return i, true
			}
		}
		return 0, false
	}
	i, ok := p.customAt[m]
	return i, ok
}

// target is the target of m at the priority for a cycle started at start
// (a target in business days depends on it); 0 for none (and for no
// policy).
func (p *compiled) target(prio int, m Metric, start time.Time, cal *calendar.Calendar) time.Duration {
	if p == nil {
		return 0
	}
	return p.targetAt(prio, p.metricIndex(m), start, cal)
}

// targetAt is target for the metric of index i (metricIndex's answer; -1
// for none); p is not nil. It is inlined. Its tests do not depend on the
// policy: the target of a metric in business days is marked inDays in
// p.targets, in every policy's one table.
func (p *compiled) targetAt(prio, i int, start time.Time, cal *calendar.Calendar) time.Duration {
	if i < 0 {
		return 0
	}
	if d := p.targets[prio*p.width+i]; d != inDays {
		return d
	}
	return p.daysAt(prio, i, start, cal)
}

// inDays marks in compiled.targets a target in business days (in
// compiled.days).
const inDays time.Duration = -1

// daysAt is targetAt for a target in business days.
func (p *compiled) daysAt(prio, i int, start time.Time, cal *calendar.Calendar) time.Duration {
	return p.days[prio][i].duration(cal, start)
}

// compile checks the policy p, the i-th of the Config, and builds its
// compiled form; the problems go to errs, at field paths "policies[i]...".
func compile(p Policy, i int, prios []string, prioIdx map[string]int, errs *configErrors) *compiled {
	at := fmt.Sprintf("policies[%d]", i)
	c := &compiled{Policy: p, cal: p.Calendar, reopen: p.Reopen, customAt: map[Metric]int{}, defPrio: -1,
		windowed: !p.ValidFrom.IsZero() || !p.ValidUntil.IsZero()}
	if !p.ValidFrom.IsZero() && !p.ValidUntil.IsZero() && !p.ValidFrom.Before(p.ValidUntil) {
		errs.add(at+".valid", "from %s is not before until %s", p.ValidFrom.Format(time.RFC3339), p.ValidUntil.Format(time.RFC3339))
	}
	if p.DefaultPriority != "" {
		if k, ok := prioIdx[p.DefaultPriority]; ok {
			c.defPrio = k
		} else {
			errs.addErr(ErrUndefined, at+".default_priority", "undefined priority %s (priorities: %s)", quoteName(p.DefaultPriority), nameList(prios))
		}
	}
	if c.cal == nil {
		c.cal = calendar.Always
	}
	for _, name := range sortedKeys(p.Calendars) {
		if name == "" || p.Calendars[name] == nil {
			errs.add(at+".calendars."+name, "a name and a calendar are required")
		}
	}
	switch p.OnPriorityChange {
	case "", KeepBreach, Recompute:
	default:
		errs.add(at+".on_priority_change", "on_priority_change %s: want keep_breach or recompute", quoteName(p.OnPriorityChange))
	}
	switch p.Reopen {
	case "":
		c.reopen = ReopenResume
	case ReopenResume, ReopenRestart:
	default:
		errs.add(at+".reopen", "reopen %s: want resume or restart", quoteName(p.Reopen))
	}
	c.compilePauses(at, errs)
	c.compileMetrics(at, errs)
	c.compileTargets(at, prios, prioIdx, errs)
	return c
}

// compilePauses checks and records the statuses that pause each built-in
// metric.
func (c *compiled) compilePauses(at string, errs *configErrors) {
	if r, ok := c.PauseFor[Resolution]; ok {
		c.pauseOn[builtinIndex(Resolution)] = pauseSet(r, Resolution, at+".pause_on.resolution", errs)
	} else if c.PauseOn == nil {
		c.pauseOn[builtinIndex(Resolution)] = pauseSet([]Status{StatusPending, StatusOnHold}, Resolution, at+".pause_on", errs)
	} else {
		c.pauseOn[builtinIndex(Resolution)] = pauseSet(c.PauseOn, Resolution, at+".pause_on", errs)
	}
	for _, m := range sortedKeys(c.PauseFor) {
		switch {
		case builtinIndex(m) < 0:
			errs.add(at+".pause_on."+string(m), "%s is not a built-in metric (want %s; a custom metric has its own pause condition)", quoteName(m), builtinList("or"))
		case m != Resolution:
			c.pauseOn[builtinIndex(m)] = pauseSet(c.PauseFor[m], m, at+".pause_on."+string(m), errs)
		}
	}
}

// compileMetrics checks the custom metrics and indexes them by name.
func (c *compiled) compileMetrics(at string, errs *configErrors) {
	for i, m := range c.Metrics {
		mf := fmt.Sprintf("%s.metrics[%d]", at, i)
		switch {
		case strings.TrimSpace(string(m.Name)) == "":
			errs.add(mf+".name", "a metric needs a name")
			continue
		case builtinIndex(m.Name) >= 0:
			errs.addErr(ErrDuplicate, mf+".name", "%s is a built-in metric", quoteName(m.Name))
			continue
		case m.Start == nil:
			errs.add(mf+".start", "start is required")
		case m.Stop == nil:
			errs.add(mf+".stop", "stop is required")
		}
		for _, on := range [...]struct {
			field string
			types []EventType
		}{{".start_on", m.StartOn}, {".stop_on", m.StopOn}} {
			for k, t := range on.types {
				if kindOf(t) == 0 {
					errs.add(fmt.Sprintf("%s%s[%d]", mf, on.field, k), "unknown event type %s", quoteName(t))
				}
			}
		}
		if _, dup := c.customAt[m.Name]; dup {
			errs.addErr(ErrDuplicate, mf+".name", "metric %s defined twice", quoteName(m.Name))
			continue
		}
		c.customAt[m.Name] = i
	}
}

// compileTargets checks the targets and lays them out by priority and
// metric index.
func (c *compiled) compileTargets(at string, prios []string, prioIdx map[string]int, errs *configErrors) {
	c.width = len(builtins) + len(c.Metrics)
	c.targets = make([]time.Duration, len(prios)*c.width)
	undefined := func(field string, m Metric) {
		errs.addErr(ErrUndefined, field, "undefined metric %s (want %s or a metric of this policy)", quoteName(m), builtinList(""))
	}
	eachTarget(c.Targets, at+".targets", prioIdx, prios, errs, func(field string, pi int, m Metric, d time.Duration) {
		mi := c.metricIndex(m)
		switch {
		case mi < 0:
			undefined(field, m)
		case d <= 0:
			errs.add(field, "target %v is not positive", d)
		default:
			c.targets[pi*c.width+mi] = d
		}
	})
	if len(c.DayTargets) > 0 {
		c.days = rows[DayTarget](len(prios), len(builtins)+len(c.Metrics))
	}
	eachTarget(c.DayTargets, at+".targets", prioIdx, prios, errs, func(field string, pi int, m Metric, d DayTarget) {
		mi := c.metricIndex(m)
		switch err := d.check(); {
		case mi < 0:
			undefined(field, m)
		case err != nil:
			errs.add(field, "%v", err)
		case c.targets[pi*c.width+mi] > 0:
			errs.add(field, "a target in business time and one in business days")
		default:
			c.days[pi][mi] = d
			c.targets[pi*c.width+mi] = inDays
		}
	})
}

// rows returns n rows of width zero values, sharing one array.
func rows[V any](n, width int) [][]V {
	flat := make([]V, n*width)
	out := make([][]V, n)
	for i := range out {
		out[i] = flat[i*width : (i+1)*width : (i+1)*width]
	}
	return out
}

// builtinList names the built-in metrics for a message: "first_response,
// next_response, periodic_update, resolution", with conj ("or") before the
// last when given.
func builtinList(conj string) string {
	var b strings.Builder
	for i, m := range builtins {
		switch {
		case i == len(builtins)-1 && conj != "":
			b.WriteString(" " + conj + " ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(m))
	}
	return b.String()
}

// eachTarget calls fn for every target of m (priority, then metric, in
// sorted order) whose priority is one of the engine's, with its field
// path under at, reporting the other priorities.
func eachTarget[V any](m map[string]map[Metric]V, at string, prioIdx map[string]int, prios []string, errs *configErrors, fn func(field string, pi int, m Metric, v V)) {
	for _, prio := range sortedKeys(m) {
		pf := at + "." + prio
		pi, ok := prioIdx[prio]
		if !ok {
			errs.addErr(ErrUndefined, pf, "undefined priority %s (priorities: %s)", quoteName(prio), nameList(prios))
			continue
		}
		for _, metric := range sortedKeys(m[prio]) {
			fn(pf+"."+string(metric), pi, metric, m[prio][metric])
		}
	}
}

// lifeCycle lists the statuses in life-cycle order; all but the last
// two are active.
var lifeCycle = [...]Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusClosed}

// Statuses returns the ticket statuses in life-cycle order: new, open,
// pending, on_hold, solved, closed.
func Statuses() []Status { return slices.Clone(lifeCycle[:]) }

// ActiveStatuses returns the statuses of a ticket that is neither solved
// nor closed: new, open, pending and on_hold. They are the statuses that
// may pause a clock ([Policy.PauseOn]).
func ActiveStatuses() []Status { return slices.Clone(lifeCycle[:len(lifeCycle)-2]) }

// pauseSet is the set of statuses, indexed by statusIndex, that pause the
// clocks of m (for messages); at is the list's field path.
func pauseSet[M ~string](statuses []Status, m M, at string, errs *configErrors) [8]bool {
	var set [8]bool
	for i, s := range statuses {
		if !slices.Contains(lifeCycle[:len(lifeCycle)-2], s) {
			errs.add(fmt.Sprintf("%s[%d]", at, i), "status %s cannot pause the %s clock (want new, open, pending or on_hold)", quoteName(s), m)
			continue
		}
		set[statusIndex(s)] = true
	}
	return set
}

// sortedKeys returns the keys of m in order, nil when m is empty.
func sortedKeys[K ~string, V any](m map[K]V) []K {
	if len(m) == 0 {
		return nil // most edits set no field: no work
	}
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// metricIndexOf is metricIndex for a policy that may be nil (then -1).
func (p *compiled) metricIndexOf(m Metric) int {
	if p == nil {
		return -1
	}
	return p.metricIndex(m)
}
