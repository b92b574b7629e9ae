package sla

import (
	"encoding/json"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
)

// This file keeps the reflection-based encoder the replay output had
// before [Result.AppendJSON]: the oracle of the differential tests. A new
// field of the ticket result goes into both.

type refTime time.Time

func (t refTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).Format(time.RFC3339Nano))
}

type refClock struct {
	Metric      Metric     `json:"metric"`
	Cycle       int        `json:"cycle"`
	State       ClockState `json:"state"`
	StartedAt   refTime    `json:"started_at"`
	StoppedAt   refTime    `json:"stopped_at"`
	Deadline    refTime    `json:"deadline"`
	Target      int64      `json:"target_seconds"`
	Elapsed     int64      `json:"elapsed_seconds"`
	Paused      int64      `json:"paused_seconds"`
	BreachedAt  refTime    `json:"breached_at"`
	AfterWindow bool       `json:"after_window,omitempty"`
}

type refWhatsApp struct {
	LastCustomerMessageAt      refTime              `json:"last_customer_message_at"`
	WindowClosesAt             refTime              `json:"window_closes_at"`
	Open                       bool                 `json:"open"`
	State                      whatsappwindow.State `json:"state"`
	FreeForm                   bool                 `json:"free_form"`
	TemplateRequired           bool                 `json:"template_required"`
	ExpiredBeforeFirstResponse bool                 `json:"expired_before_first_response"`
	FreeEntryPointUntil        refTime              `json:"free_entry_point_until"`
}

type refOLA struct {
	Team     string     `json:"team"`
	OLA      string     `json:"ola"`
	Metric   Metric     `json:"metric"`
	Cycle    int        `json:"cycle"`
	State    ClockState `json:"state"`
	Target   int64      `json:"target_seconds"`
	Elapsed  int64      `json:"elapsed_seconds"`
	Deadline refTime    `json:"deadline"`
}

type refResult struct {
	Ticket      string        `json:"ticket"`
	Policy      *string       `json:"policy"`
	Calendar    *string       `json:"calendar"`
	Priority    string        `json:"priority"`
	Status      Status        `json:"status"`
	Agreement   Agreement     `json:"agreement"`
	Clocks      []refClock    `json:"clocks"`
	Escalations []Escalation  `json:"escalations"`
	OLAs        []refOLA      `json:"olas"`
	Rules       []RuleApplied `json:"rules"`
	Stats       Stats         `json:"stats"`
	WhatsApp    *refWhatsApp  `json:"whatsapp"`
	NextWake    refTime       `json:"next_wake"`
	Errors      []string      `json:"errors"`
	Failures    []refFailure  `json:"condition_failures,omitempty"`
	Omitted     int           `json:"condition_failures_omitted,omitempty"`
}

type refFailure struct {
	Cond    string  `json:"condition"`
	Name    string  `json:"name"`
	Error   string  `json:"error"`
	Count   int     `json:"count"`
	FirstAt refTime `json:"first_at"`
}

// refMarshal is the former Result.MarshalJSON.
func refMarshal(r Result) ([]byte, error) {
	loc := r.loc
	if loc == nil {
		loc = time.UTC
	}
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	j := refResult{Ticket: r.Ticket, Priority: r.Priority, Status: r.Status, Agreement: r.Agreement, Clocks: []refClock{},
		OLAs:        make([]refOLA, len(r.OLAs)),
		Escalations: make([]Escalation, len(r.Escalations)), Rules: make([]RuleApplied, len(r.Rules)),
		Stats: r.Stats, NextWake: refTime(in(r.NextWake)), Errors: make([]string, len(r.Errors))}
	if r.Policy != "" {
		j.Policy = &r.Policy
	}
	if r.Calendar != "" {
		j.Calendar = &r.Calendar
	}
	for i, o := range r.OLAs {
		j.OLAs[i] = refOLA{Team: o.Team, OLA: o.OLA, Metric: o.Metric, Cycle: o.Cycle, State: o.State,
			Target: seconds(o.Target), Elapsed: seconds(o.Elapsed), Deadline: refTime(o.Deadline)}
	}
	for _, c := range r.Clocks {
		j.Clocks = append(j.Clocks, refClock{Metric: c.Metric, Cycle: c.Cycle, State: c.State, StartedAt: refTime(c.Start),
			StoppedAt: refTime(c.Stop), Deadline: refTime(c.Deadline), Target: seconds(c.Target),
			Elapsed: seconds(c.Elapsed), Paused: seconds(c.PausedTime), BreachedAt: refTime(c.BreachedAt),
			AfterWindow: c.AfterWindow})
	}
	for i, x := range r.Escalations {
		x.At = in(x.At)
		j.Escalations[i] = x
	}
	for i, x := range r.Rules {
		x.At = in(x.At)
		j.Rules[i] = x
	}
	s := &j.Stats
	for _, p := range []*time.Time{&s.FirstReplyAt, &s.LastCustomerAt, &s.WindowRejectedAt, &s.SolvedAt, &s.ClosedAt, &s.WaitingSince} {
		*p = in(*p)
	}
	for i, err := range r.Errors {
		j.Errors[i] = err.Error()
	}
	for _, f := range r.Failures {
		j.Failures = append(j.Failures, refFailure{Cond: f.Cond, Name: f.Name, Error: f.Error, Count: f.Count, FirstAt: refTime(in(f.At))})
	}
	if len(r.Failures) == 0 && r.FailuresOmitted != 0 {
		j.Failures = []refFailure{}
	}
	j.Omitted = r.FailuresOmitted
	if w := r.WhatsApp; w != nil {
		v := &w.Verdict
		j.WhatsApp = &refWhatsApp{LastCustomerMessageAt: refTime(in(w.LastCustomerMessageAt)),
			WindowClosesAt: refTime(in(v.ClosesAt)), Open: !v.ClosesAt.IsZero() && v.State != whatsappwindow.Expired,
			State: v.State, FreeForm: v.FreeForm, TemplateRequired: v.TemplateRequired,
			ExpiredBeforeFirstResponse: w.ExpiredBeforeFirstResponse, FreeEntryPointUntil: refTime(in(v.FreeEntryPointUntil))}
	}
	return json.Marshal(j)
}
