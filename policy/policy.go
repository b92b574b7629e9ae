package policy

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/calendar/ics"
	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/internal/eventbit"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
)

// Set is a compiled policy document: calendars, priorities, routing
// rules, SLA policies, escalation ladders, WhatsApp and KPI settings.
// It is built by [Load] (or [LoadReader], [LoadFile], [MustLoad]) and is
// safe for concurrent use by multiple goroutines. It is immutable apart
// from its counts of the conditions that failed at run time
// ([Set.EvalErrors]), which grow as the engine and [Set.Route] use it.
// Every method returns copies or immutable values (calendars, ladders,
// the WhatsApp tracker). A nil *Set is not usable: its methods panic,
// except [Set.Router], whose router runs no rule.
type Set struct {
	file       string
	priorities []string
	calendars  map[string]*calendar.Calendar
	rules      []*rule
	ruleNames  []string
	ruleTypes  uint16 // the event types some rule runs on (bits of eventTypes)
	// ruleFirsts has the bit b&31 of the first byte b of each event type
	// some rule runs on: an event type without its bit is none of them.
	ruleFirsts uint32
	// typeRules holds, for each event type (in the order of eventTypes),
	// the rules that run on it, in order.
	typeRules [len(eventTypes)][]*rule
	steps     [len(eventTypes)][]ruleStep // typeRules as route reads them
	// needs is what an event must have for some rule on its type to
	// apply (see need).
	needs    eventbit.Needs
	scans    *scanPlan // the keyword scans the rules share; nil: none
	policies []sla.Policy
	olas     []sla.OLA
	ladders  map[string]*escalation.Ladder
	whatsapp whatsappwindow.Config
	tracker  *whatsappwindow.Tracker
	kpi      KPI
	warnings ErrorList
	// closeSolvedAfter is close_solved_after: solved tickets close by
	// themselves after it (wall-clock); 0 never.
	closeSolvedAfter time.Duration
	// atRisk is at_risk: the percent of a target at which a running clock
	// puts the agreement at risk; 0 for the default.
	atRisk float64
	// defaultPriority is default_priority: the priority of a ticket that
	// has none ("" for the engine's default).
	defaultPriority string
	sites           []*evalSite // the conditions, where run-time failures are counted
}

// Position is a place in a policy document; Line and Col are 1-based.
type Position struct {
	File      string
	Line, Col int
}

// String returns "file:line:col".
func (p Position) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// KPI holds the kpis section: the first-contact-resolution setting and
// the goals, in document order. Goal texts are checked for their shape
// (a known name, an operator and a value); the kpi package parses them.
type KPI struct {
	// MaxAgentReplies is the most public agent replies a ticket may have
	// to count as resolved at first contact (kpis.fcr.max_agent_replies;
	// default 1).
	MaxAgentReplies int
	Goals           []Goal
	// GoalsBy holds the goals of kpis.goals_by: per dimension (channel,
	// priority, team, fields.NAME, ...), then group value, in document
	// order.
	GoalsBy map[string]map[string][]Goal
}

// Goal is one KPI goal as written: name "first_response_p90", target
// "<= 10m".
type Goal struct {
	Name   string
	Target string
	Pos    Position // of the target text
	Goal   kpi.Goal // the goal parsed
}

// Load compiles a policy document. name is the file name used in error
// positions. The error, if any, is an [ErrorList] of every problem found,
// sorted by position; each wraps one of the sentinel errors.
func Load(name string, src []byte) (*Set, error) {
	return compileDoc(name, src)
}

// LoadReader is [Load] reading the document from r (a document over 4 MiB
// is an [ErrorList] wrapping [ErrTooLarge]). An error reading r is not an
// ErrorList: it is returned wrapped ("policy: read NAME: ..."), so that
// [errors.Is] matches the reader's error.
func LoadReader(name string, r io.Reader) (*Set, error) {
	return loadReader(name, r)
}

// loadReader reads a document from r, at most one byte over the limit, and compiles it.
func loadReader(name string, r io.Reader, calOpts ...calendar.Option) (*Set, error) {
	src, err := io.ReadAll(io.LimitReader(r, maxDocBytes+1))
	if err != nil {
		return nil, fmt.Errorf("policy: read %s: %w", name, err)
	}
	return compileDoc(name, src, calOpts...)
}

// LoadFile is [Load] reading the named file. Holiday files that its calendars name
// ("holidays: [de-be, closures.ics]") are read from the file's directory; one that
// cannot be read is a problem of the document, in the [ErrorList] (wrapping
// [ErrCalendar]). A file that cannot be opened or read is not an ErrorList: the
// I/O error is returned wrapped ("policy: open FILE: ..." or "policy: read
// FILE: ..."), so that [errors.Is]
// matches it (fs.ErrNotExist for a missing file).
func LoadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	defer f.Close()
	return loadReader(path, f, calendar.WithHolidayFiles(ics.Dir(os.DirFS(filepath.Dir(path)))))
}

// MustLoad is like [Load] but panics if the document has errors. It
// simplifies tests, examples and package-level variables.
func MustLoad(name string, src []byte) *Set {
	s, err := Load(name, src)
	if err != nil {
		panic(err)
	}
	return s
}

// Config returns the engine configuration: the priorities, the SLA
// policies in order, the routing rules (as the [sla.Router] of
// [Set.Router]), the escalation ladders and a WhatsApp window tracker with
// the document's settings (tickets on the whatsapp channel get a window).
func (s *Set) Config() sla.Config {
	pols := make([]sla.Policy, len(s.policies))
	for i, p := range s.policies {
		p.Targets = make(map[string]map[sla.Metric]time.Duration, len(s.policies[i].Targets))
		for prio, ts := range s.policies[i].Targets {
			p.Targets[prio] = maps.Clone(ts)
		}
		if p.DayTargets != nil {
			p.DayTargets = make(map[string]map[sla.Metric]sla.DayTarget, len(s.policies[i].DayTargets))
			for prio, ts := range s.policies[i].DayTargets {
				p.DayTargets[prio] = maps.Clone(ts)
			}
		}
		p.Calendars = maps.Clone(p.Calendars)
		p.PauseOn = slices.Clone(p.PauseOn)
		if p.PauseFor != nil {
			p.PauseFor = make(map[sla.Metric][]sla.Status, len(s.policies[i].PauseFor))
			for m, st := range s.policies[i].PauseFor {
				p.PauseFor[m] = slices.Clone(st)
			}
		}
		p.Metrics = slices.Clone(p.Metrics)
		for j := range p.Metrics {
			p.Metrics[j].StartOn = slices.Clone(p.Metrics[j].StartOn)
			p.Metrics[j].StopOn = slices.Clone(p.Metrics[j].StopOn)
		}
		pols[i] = p
	}
	return sla.Config{
		Policies:   pols,
		Priorities: slices.Clone(s.priorities),
		Rules:      s.Router(),
		Ladders:    s.Ladders(),
		WhatsApp:   s.tracker,

		CloseSolvedAfter: s.closeSolvedAfter,
		AtRisk:           s.atRisk,
		OLAs:             s.OLAs(),
		DefaultPriority:  s.defaultPriority,
	}
}

// OLAs returns the operational level agreements of the olas section, in
// document order (copies).
func (s *Set) OLAs() []sla.OLA {
	if len(s.olas) == 0 {
		return nil
	}
	out := make([]sla.OLA, len(s.olas))
	for i, o := range s.olas {
		o.PauseOn = slices.Clone(o.PauseOn)
		o.Targets = make(map[string]map[sla.Metric]time.Duration, len(s.olas[i].Targets))
		for prio, ts := range s.olas[i].Targets {
			o.Targets[prio] = maps.Clone(ts)
		}
		out[i] = o
	}
	return out
}

// Engine returns a new engine built from [Set.Config].
func (s *Set) Engine() (*sla.Engine, error) { return sla.NewEngine(s.Config()) }

// KPIConfig returns the kpi settings of the document: the first contact
// resolution bound and the goals, parsed.
func (s *Set) KPIConfig() kpi.Config {
	cfg := kpi.Config{MaxAgentReplies: s.kpi.MaxAgentReplies}
	for _, g := range s.kpi.Goals {
		cfg.Goals = append(cfg.Goals, g.Goal)
	}
	for dim, groups := range s.kpi.GoalsBy {
		if cfg.GoalsBy == nil {
			cfg.GoalsBy = map[string]map[string][]kpi.Goal{}
		}
		cfg.GoalsBy[dim] = map[string][]kpi.Goal{}
		for k, goals := range groups {
			for _, g := range goals {
				cfg.GoalsBy[dim][k] = append(cfg.GoalsBy[dim][k], g.Goal)
			}
		}
	}
	return cfg
}

// Priorities returns the priorities, highest first.
func (s *Set) Priorities() []string { return slices.Clone(s.priorities) }

// Calendar returns the named calendar, or nil.
func (s *Set) Calendar(name string) *calendar.Calendar { return s.calendars[name] }

// Calendars returns the names of the calendars, sorted.
func (s *Set) Calendars() []string { return slices.Sorted(maps.Keys(s.calendars)) }

// Rules returns the names of the routing rules, in order.
func (s *Set) Rules() []string { return slices.Clone(s.ruleNames) }

// Ladder returns the named escalation ladder, or nil (a nil ladder never
// fires).
func (s *Set) Ladder(name string) *escalation.Ladder { return s.ladders[name] }

// Ladders returns the escalation ladders by name.
func (s *Set) Ladders() map[string]*escalation.Ladder { return maps.Clone(s.ladders) }

// WhatsApp returns the WhatsApp window settings: the document's, over
// [whatsappwindow.DefaultConfig] for what it does not say.
func (s *Set) WhatsApp() whatsappwindow.Config {
	c := s.whatsapp
	c.ClosingSoon = slices.Clone(c.ClosingSoon)
	return c
}

// KPI returns the kpis section.
func (s *Set) KPI() KPI {
	k := s.kpi
	k.Goals = slices.Clone(k.Goals)
	if k.GoalsBy != nil {
		k.GoalsBy = make(map[string]map[string][]Goal, len(s.kpi.GoalsBy))
		for dim, groups := range s.kpi.GoalsBy {
			k.GoalsBy[dim] = make(map[string][]Goal, len(groups))
			for g, goals := range groups {
				k.GoalsBy[dim][g] = slices.Clone(goals)
			}
		}
	}
	return k
}

// Warnings returns what is legal but probably wrong in the document: a
// policy after a catch-all (it can never apply), a priority a policy has
// no targets for, a next_response target longer than the resolution
// target, a ladder or a level that can never fire. Warnings print like
// errors; their Err is nil.
func (s *Set) Warnings() ErrorList {
	out := make(ErrorList, len(s.warnings))
	for i, w := range s.warnings {
		c := *w
		out[i] = &c
	}
	return out
}

// EvalError is what went wrong when a condition ran: a field of a ticket
// or event missing or of another type than the expression expects, or
// fields over the limits expressions see. Such a condition is false.
type EvalError struct {
	Field string   // the condition: "rules[2].when", "escalations.standard[1].when"
	Name  string   // its rule, SLA policy, custom metric or level
	Pos   Position // where it is written
	Count int64    // failures since the Set was loaded
	// Ticket and Err are of the last failure: the one at the latest
	// instant (the event's or level's; the ticket's creation for a
	// condition on the ticket alone), at one instant of the ticket id
	// that sorts last byte by byte (T9 after T10), so that they do not
	// depend on how many goroutines share the Set.
	Ticket string
	Err    error
}

// Error prints "file:line:col: field (name): N failures, last on ticket T: error".
func (e EvalError) Error() string {
	plural := "s"
	if e.Count == 1 {
		plural = ""
	}
	return fmt.Sprintf("%s: %s (%s): %d failure%s, last on ticket %s: %v", e.Pos, e.Field, e.Name, e.Count, plural, e.Ticket, e.Err)
}

// EvalErrors returns, for every condition that has failed at run time
// since the Set was loaded, how often and the last failure, in document
// order. It is safe to call while the Set is in use.
func (s *Set) EvalErrors() []EvalError {
	var out []EvalError
	for _, site := range s.sites {
		n := site.count.Load()
		if n == 0 {
			continue
		}
		e := EvalError{Field: site.field, Name: site.name, Pos: site.pos, Count: n}
		if last := site.last.Load(); last != nil {
			e.Ticket, e.Err = last.ticket, last.err
		}
		out = append(out, e)
	}
	return out
}
