package kpi

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/slakit/slakit/sla"
)

// Verdict is what became of one metric of one ticket: breached when any
// of its cycles was breached, met when at least one was met and none
// breached, undecided otherwise (running within target, paused,
// cancelled, or no clock).
type Verdict string

// Verdicts.
const (
	Undecided Verdict = ""
	Met       Verdict = "met"
	Breached  Verdict = "breached"
)

// Verdicts returns the verdict of each metric that has a clock in r, in
// order of first appearance.
func Verdicts(r *sla.Result) []MetricVerdict {
	var out []MetricVerdict
	for i := range r.Clocks {
		c := &r.Clocks[i]
		k := 0
		for k < len(out) && out[k].Metric != c.Metric {
			k++
		}
		if k == len(out) {
			out = append(out, MetricVerdict{Metric: c.Metric})
		}
		switch {
		case c.State == sla.ClockBreached:
			out[k].Verdict = Breached
		case c.State == sla.ClockMet && out[k].Verdict == Undecided:
			out[k].Verdict = Met
		}
	}
	return out
}

// MetricVerdict is the verdict of one metric of a ticket.
type MetricVerdict struct {
	Metric  sla.Metric
	Verdict Verdict
}

// Side is one of the two policies [Compare] replays a history against.
type Side struct {
	// Name labels the side in the output (typically the policy file).
	Name string
	// Engine replays the events.
	Engine *sla.Engine
	// Config sums the results up; use the same grouping on both sides.
	Config Config
}

// Comparison is what two policies make of one history: both reports, the
// difference of every figure, and the tickets whose verdict changes.
type Comparison struct {
	// A and B name the sides.
	A string `json:"a"`
	B string `json:"b"`
	// ReportA and ReportB are the reports of the two sides.
	ReportA Report `json:"report_a"`
	ReportB Report `json:"report_b"`
	// Figures lists every figure defined on at least one side, in the
	// order of [GoalNames] (tickets and the fixed KPIs, then each metric).
	Figures []FigureDiff `json:"figures"`
	// Flips counts, per metric, the tickets whose verdict changes.
	Flips map[sla.Metric]Flips `json:"flips"`
	// Changes lists the verdicts that change, met to breached or breached
	// to met, by ticket (natural order), then metric.
	Changes []Change `json:"changes"`
	// Problems are the input problems of no live ticket that the replays
	// yielded apart (malformed lines, events of unknown or closed tickets,
	// created events refused; each an *sla.EventError with its line): side
	// A's in input order, then those of side B that side A did not have
	// (a policy that does not define a ticket's priority refuses its
	// created event, making its later events of an unknown ticket too).
	Problems []error `json:"-"`
	// TicketsWithErrors counts the tickets whose result lists events that
	// could not be applied ([sla.Result].Errors) on either side: an event
	// can be refused under one policy only (a priority the other does not
	// define).
	TicketsWithErrors int `json:"-"`
}

// FigureDiff is one figure on both sides, in the KPI's unit ([KPIUnit]);
// nil where undefined. Delta is B - A when both are defined.
type FigureDiff struct {
	KPI   string   `json:"kpi"`
	A     *float64 `json:"a"`
	B     *float64 `json:"b"`
	Delta *float64 `json:"delta"`
}

// Flips counts the verdict changes of one metric.
type Flips struct {
	MetToBreached int64 `json:"met_to_breached"`
	BreachedToMet int64 `json:"breached_to_met"`
}

// Change is a ticket whose verdict for one metric differs between the
// two sides: From under A, To under B.
type Change struct {
	Ticket string     `json:"ticket"`
	Metric sla.Metric `json:"metric"`
	From   Verdict    `json:"from"`
	To     Verdict    `json:"to"`
}

// Compare replays the same history against two policies and compares the
// outcomes. events is called once per side and must yield the same events
// each time (a slice, or a file opened anew); each side observes them for
// the time in status. at is the instant open tickets are evaluated at (see
// [sla.Engine.Replay]). Only met and breached verdicts can change: a
// metric decided on one side and undecided on the other is no change.
// Memory grows with the tickets (one verdict per ticket and metric of
// side A). Errors wrap [ErrConfig].
func Compare(a, b Side, events func() iter.Seq2[sla.Event, error], at time.Time) (Comparison, error) {
	if a.Engine == nil || b.Engine == nil {
		return Comparison{}, fmt.Errorf("%w: compare needs two engines", ErrConfig)
	}
	accA, err := New(a.Config)
	if err != nil {
		return Comparison{}, err
	}
	accB, err := New(b.Config)
	if err != nil {
		return Comparison{}, err
	}
	verdicts := map[string][]MetricVerdict{}
	// Input problems of no live ticket (malformed lines, events of unknown
	// or closed tickets) have no result to compare; they are kept for the
	// caller to report.
	var problems []error
	withErrors := map[string]bool{}
	for r, err := range a.Engine.Replay(accA.Observing(events()), at) {
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if len(r.Errors) > 0 {
			withErrors[r.Ticket] = true
		}
		accA.Add(r)
		if r.Ticket != "" {
			verdicts[r.Ticket] = Verdicts(&r)
		}
	}
	seen := make(map[string]bool, len(problems))
	for _, p := range problems {
		seen[p.Error()] = true
	}
	c := Comparison{A: a.Name, B: b.Name, Flips: map[sla.Metric]Flips{}}
	for r, err := range b.Engine.Replay(accB.Observing(events()), at) {
		if err != nil {
			if !seen[err.Error()] {
				problems = append(problems, err)
			}
			continue
		}
		if len(r.Errors) > 0 {
			withErrors[r.Ticket] = true
		}
		accB.Add(r)
		if r.Ticket == "" {
			continue
		}
		before := verdicts[r.Ticket]
		for _, v := range Verdicts(&r) {
			from := Undecided
			for _, w := range before {
				if w.Metric == v.Metric {
					from = w.Verdict
				}
			}
			if from == Undecided || v.Verdict == Undecided || from == v.Verdict {
				continue
			}
			c.Changes = append(c.Changes, Change{Ticket: r.Ticket, Metric: v.Metric, From: from, To: v.Verdict})
			f := c.Flips[v.Metric]
			if v.Verdict == Breached {
				f.MetToBreached++
			} else {
				f.BreachedToMet++
			}
			c.Flips[v.Metric] = f
		}
	}
	slices.SortStableFunc(c.Changes, func(x, y Change) int {
		if d := NaturalCompare(x.Ticket, y.Ticket); d != 0 {
			return d
		}
		return NaturalCompare(string(x.Metric), string(y.Metric))
	})
	c.Problems, c.TicketsWithErrors = problems, len(withErrors)
	c.ReportA, c.ReportB = accA.Report(), accB.Report()
	c.Figures = diffFigures(&c.ReportA, &c.ReportB)
	return c, nil
}

// diffFigures lists the figures of a and b side by side.
func diffFigures(a, b *Report) []FigureDiff {
	metrics := slices.Sorted(maps.Keys(a.Metrics))
	for m := range b.Metrics {
		if _, ok := a.Metrics[m]; !ok {
			metrics = append(metrics, m)
		}
	}
	slices.Sort(metrics)
	ta, tb := float64(a.Tickets), float64(b.Tickets)
	out := []FigureDiff{{KPI: "tickets", A: &ta, B: &tb, Delta: ptr(tb - ta)}}
	for _, name := range GoalNames(metrics...) {
		fa, okA := a.Figure(name)
		fb, okB := b.Figure(name)
		if !okA && !okB {
			continue
		}
		d := FigureDiff{KPI: name}
		if okA {
			d.A = ptr(fa)
		}
		if okB {
			d.B = ptr(fb)
		}
		if okA && okB {
			d.Delta = ptr(fb - fa)
		}
		out = append(out, d)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
