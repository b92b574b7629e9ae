package kpi

import (
	"slices"

	"github.com/slakit/slakit/sla"
)

// WorstTicket is one of the tickets whose clocks overran their targets
// the most: OverrunSeconds is the largest elapsed-minus-target of its
// breached clocks, in business seconds.
type WorstTicket struct {
	Ticket         string        `json:"ticket"`
	Policy         string        `json:"policy"`
	Priority       string        `json:"priority"`
	Status         sla.Status    `json:"status"`
	Channel        string        `json:"channel"`
	Team           string        `json:"team"`
	OverrunSeconds int64         `json:"overrun_seconds"`
	Clocks         []ClockFigure `json:"clocks"`
}

// ClockFigure is one clock of a [WorstTicket].
type ClockFigure struct {
	Metric         sla.Metric     `json:"metric"`
	Cycle          int            `json:"cycle"`
	State          sla.ClockState `json:"state"`
	ElapsedSeconds int64          `json:"elapsed_seconds"`
	TargetSeconds  int64          `json:"target_seconds"`
}

// worstList keeps the n worst tickets, worst first.
type worstList struct{ list []WorstTicket }

// worseThan orders tickets worst first: larger overrun, then ticket in
// natural order.
func worseThan(a, b *WorstTicket) int {
	if a.OverrunSeconds != b.OverrunSeconds {
		if a.OverrunSeconds > b.OverrunSeconds {
			return -1
		}
		return 1
	}
	return NaturalCompare(a.Ticket, b.Ticket)
}

func (w *worstList) add(r *sla.Result, n int) {
	over, breached := int64(0), false
	for i := range r.Clocks {
		c := &r.Clocks[i]
		if c.State == sla.StateBreached {
			o := secs(c.Elapsed - c.Target)
			if !breached || o > over {
				over = o
			}
			breached = true
		}
	}
	if !breached {
		return
	}
	wt := WorstTicket{Ticket: r.Ticket, Policy: r.Policy, Priority: r.Priority, Status: r.Status,
		Channel: r.Attributes.Channel, Team: r.Attributes.Team, OverrunSeconds: over}
	if len(w.list) == n && worseThan(&wt, &w.list[n-1]) >= 0 {
		return
	}
	for i := range r.Clocks {
		c := &r.Clocks[i]
		wt.Clocks = append(wt.Clocks, ClockFigure{Metric: c.Metric, Cycle: c.Cycle, State: c.State,
			ElapsedSeconds: secs(c.Elapsed), TargetSeconds: secs(c.Target)})
	}
	w.insert(wt, n)
}

func (w *worstList) insert(wt WorstTicket, n int) {
	k, _ := slices.BinarySearchFunc(w.list, &wt, func(a WorstTicket, b *WorstTicket) int { return worseThan(&a, b) })
	w.list = slices.Insert(w.list, k, wt)
	if len(w.list) > n {
		w.list = w.list[:n]
	}
}

func (w *worstList) merge(o *worstList, n int) {
	for _, wt := range o.list {
		if len(w.list) == n && worseThan(&wt, &w.list[n-1]) >= 0 {
			continue
		}
		wt.Clocks = slices.Clone(wt.Clocks)
		w.insert(wt, n)
	}
}

func (w *worstList) clone() worstList {
	c := worstList{list: slices.Clone(w.list)}
	for i := range c.list {
		c.list[i].Clocks = slices.Clone(c.list[i].Clocks)
	}
	return c
}

func (w *worstList) report() []WorstTicket {
	if len(w.list) == 0 {
		return nil
	}
	return w.clone().list
}
