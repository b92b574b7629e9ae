package sla

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
)

// Engine applies events to ticket states and evaluates their clocks.
// It is built once by [NewEngine], is immutable, and is safe for
// concurrent use by multiple goroutines.
type Engine struct {
	policies []*compiled
	byName   map[string]int
	prios    []string
	prioIdx  map[string]int
	defPrio  int
	router   Router
	// customs lists every custom metric some policy defines, once, in
	// order of first definition: they are tracked on every ticket, as the
	// built-in metrics are (see customMetric).
	customs []Metric
	// customDef is the definition of each custom metric by the first
	// policy that defines it.
	customDef map[Metric]*CustomMetric
	ladders   bool // some policy has an escalation ladder
	whatsapp  *whatsappwindow.Tracker
	// sendMargin is the tracker's send margin (free-form must go out that
	// long before the window closes).
	sendMargin time.Duration
	closeAfter time.Duration // Config.CloseSolvedAfter
	atRisk     float64       // Config.AtRisk, defaulted
	olas       []*compiledOLA
}

// NewEngine checks cfg and builds an engine. Every problem is reported at
// once; each wraps [ErrConfig].
func NewEngine(cfg Config) (*Engine, error) {
	var errs []error
	e := &Engine{byName: map[string]int{}, prioIdx: map[string]int{}, router: cfg.Rules, whatsapp: cfg.WhatsApp}
	if cfg.WhatsApp != nil {
		e.sendMargin = cfg.WhatsApp.Config().SendMargin
	}
	e.closeAfter = cfg.CloseSolvedAfter
	if cfg.CloseSolvedAfter < 0 || cfg.CloseSolvedAfter > maxSpan {
		errs = append(errs, fmt.Errorf("%w: close_solved_after %v: want a positive duration (0: never)", ErrConfig, cfg.CloseSolvedAfter))
	}
	e.atRisk = cfg.AtRisk
	if e.atRisk == 0 {
		e.atRisk = DefaultAtRisk
	}
	if !(e.atRisk > 0 && e.atRisk < 100) {
		errs = append(errs, fmt.Errorf("%w: at_risk %v%%: want a percent above 0 and below 100", ErrConfig, cfg.AtRisk))
	}
	e.prios = slices.Clone(cfg.Priorities)
	if e.prios == nil {
		e.prios = slices.Clone(defaultPriorities)
	}
	if len(e.prios) == 0 {
		return nil, fmt.Errorf("%w: priorities: empty list", ErrConfig)
	}
	for i, p := range e.prios {
		if p == "" {
			errs = append(errs, fmt.Errorf("%w: priorities: empty name at %d", ErrConfig, i+1))
		}
		if _, dup := e.prioIdx[p]; dup {
			errs = append(errs, fmt.Errorf("%w: priorities: %q listed twice", ErrConfig, p))
		}
		e.prioIdx[p] = i
	}
	def := cfg.DefaultPriority
	if def == "" {
		def = "normal"
		if _, ok := e.prioIdx[def]; !ok {
			def = e.prios[len(e.prios)/2]
		}
	}
	if i, ok := e.prioIdx[def]; ok {
		e.defPrio = i
	} else {
		errs = append(errs, fmt.Errorf("%w: default priority %q is not one of %v", ErrConfig, def, e.prios))
	}
	for i, p := range cfg.Policies {
		if p.Name == "" {
			errs = append(errs, fmt.Errorf("%w: policy %d: no name", ErrConfig, i+1))
		} else if _, dup := e.byName[p.Name]; dup {
			errs = append(errs, fmt.Errorf("%w: policy %q defined twice", ErrConfig, p.Name))
		}
		c, cerrs := compile(p, e.prios, e.prioIdx)
		errs = append(errs, cerrs...)
		if p.Escalation != "" {
			c.ladder = cfg.Ladders[p.Escalation]
			e.ladders = e.ladders || c.ladder != nil
			if c.ladder == nil {
				errs = append(errs, fmt.Errorf("%w: policy %q: escalation ladder %q is not in Config.Ladders", ErrConfig, p.Name, p.Escalation))
			}
		}
		e.byName[p.Name] = i
		e.policies = append(e.policies, c)
	}
	e.customDef = map[Metric]*CustomMetric{}
	for _, p := range e.policies {
		for j := range p.Metrics {
			if m := &p.Metrics[j]; m.Name != "" && e.customDef[m.Name] == nil {
				e.customs = append(e.customs, m.Name)
				e.customDef[m.Name] = m
			}
		}
	}
	olas, oerrs := compileOLAs(cfg.OLAs, e.prios, e.prioIdx)
	e.olas = olas
	errs = append(errs, oerrs...)
	errs = append(errs, e.checkLadders(cfg.Ladders)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// Priorities returns the engine's priorities, highest first.
func (e *Engine) Priorities() []string { return slices.Clone(e.prios) }

// priority returns the index of the ticket's effective priority under the
// policy pol (nil for none): its own, else the policy's default, else the
// engine's.
func (e *Engine) priority(t *Ticket, pol *compiled) int {
	if i, ok := e.prioIdx[t.Priority]; ok {
		return i
	}
	if pol != nil && pol.defPrio >= 0 {
		return pol.defPrio
	}
	return e.defPrio
}

// selectPolicy returns the index of the first policy matching t, or -1.
func (e *Engine) selectPolicy(t *Ticket) int {
	for i, p := range e.policies {
		if !p.valid(t.CreatedAt) {
			continue
		}
		if p.When == nil || p.When(t) {
			return i
		}
	}
	return -1
}

func (e *Engine) policy(name string) *compiled {
	if name == "" {
		return nil
	}
	if i, ok := e.byName[name]; ok {
		return e.policies[i]
	}
	return nil
}

// customMetric returns the conditions that rule the custom metric m: the
// definition of the policy in force when it defines m, else that of the
// first policy that does. So a custom metric is measured from its real
// start even when the policy that targets it applies later (a tag added
// after creation), as built-in metrics are; while the policy in force
// does not define it, its cycles have no target and are not reported.
func (e *Engine) customMetric(pol *compiled, m Metric) *CustomMetric {
	if pol != nil {
		if j, ok := pol.customAt[m]; ok {
			return &pol.Metrics[j]
		}
	}
	return e.customDef[m]
}
