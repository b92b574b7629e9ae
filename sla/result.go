package sla

import (
	"encoding/json"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
)

// Result is the summary of one ticket: what [Engine.Replay] yields and
// what [Engine.Result] builds from a State. It marshals to the ticket
// result JSON of the replay output:
//
//	{"ticket":"T1","policy":"whatsapp","calendar":"sp-support","priority":"urgent","status":"solved","agreement":"fulfilled",
//	 "clocks":[{"metric":"first_response","cycle":1,"state":"met","started_at":"...","stopped_at":"...",
//	            "deadline":"...","target_seconds":300,"elapsed_seconds":240,"paused_seconds":0,"breached_at":null}],
//	 "escalations":[],"rules":[{"rule":"vip","at":"..."}],"stats":{...},"errors":[]}
//
// Instants are RFC 3339 in the zone of the policy's calendar (UTC when
// there is none); durations are whole seconds of business time.
type Result struct {
	// View is the ticket as [Engine.Evaluate] sees it at the result's
	// instant (View.At is not part of the JSON form).
	View
	Rules []RuleApplied
	Stats Stats
	// Attributes is a copy of the ticket's attributes (channel, team,
	// fields, created at, ...) as the events left them. Not part of the
	// JSON form.
	Attributes Ticket
	// Teams splits the elapsed time of every reported resolution cycle by
	// the team that held the ticket (see [TeamTime]), in cycle order and,
	// within a cycle, in order of first holding. Not part of the JSON form.
	Teams []TeamTime
	// Handoffs lists every change of team after creation, in order; the
	// team set at creation is Handoffs[0].From (Attributes.Team when there
	// is none). Not part of the JSON form.
	Handoffs []Handoff
	Errors   []error // the ticket's events that could not be applied, each an [*EventError]

	loc *time.Location
}

// Result summarises st at the instant at (see [Engine.Evaluate]).
func (e *Engine) Result(st State, at time.Time) Result {
	var r Result
	s := e.evaluate(&r.View, &st, at) // the state the view saw, with its firings
	cal := calOf(e.policy(s.policy), s)
	r.Rules, r.Stats, r.Attributes = s.rules, s.stats, s.ticket.clone()
	r.Teams, r.loc = teamTimes(nil, s, cal, r.At), cal.Location()
	r.Handoffs = handoffsOf(s, r.loc)
	return r
}

type jsonTime time.Time

func (t jsonTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).Format(time.RFC3339Nano))
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

type clockJSON struct {
	Metric     Metric     `json:"metric"`
	Cycle      int        `json:"cycle"`
	State      ClockState `json:"state"`
	StartedAt  jsonTime   `json:"started_at"`
	StoppedAt  jsonTime   `json:"stopped_at"`
	Deadline   jsonTime   `json:"deadline"`
	Target     int64      `json:"target_seconds"`
	Elapsed    int64      `json:"elapsed_seconds"`
	Paused     int64      `json:"paused_seconds"`
	BreachedAt jsonTime   `json:"breached_at"`
	// AfterWindow is set only on WhatsApp response clocks due after
	// free-form messages stop.
	AfterWindow bool `json:"after_window,omitempty"`
}

// MarshalJSON encodes the clock in the shape of the replay output.
func (c Clock) MarshalJSON() ([]byte, error) {
	return json.Marshal(clockJSON{Metric: c.Metric, Cycle: c.Cycle, State: c.State, StartedAt: jsonTime(c.Start),
		StoppedAt: jsonTime(c.Stop), Deadline: jsonTime(c.Deadline), Target: seconds(c.Target),
		Elapsed: seconds(c.Elapsed), Paused: seconds(c.PausedTime), BreachedAt: jsonTime(c.BreachedAt),
		AfterWindow: c.AfterWindow})
}

type resultJSON struct {
	Ticket      string        `json:"ticket"`
	Policy      *string       `json:"policy"`
	Calendar    *string       `json:"calendar"`
	Priority    string        `json:"priority"`
	Status      Status        `json:"status"`
	Agreement   Agreement     `json:"agreement"`
	Clocks      []Clock       `json:"clocks"`
	Escalations []Escalation  `json:"escalations"`
	OLAs        []olaJSON     `json:"olas"`
	Rules       []RuleApplied `json:"rules"`
	Stats       Stats         `json:"stats"`
	WhatsApp    *whatsAppJSON `json:"whatsapp"`
	NextWake    jsonTime      `json:"next_wake"`
	Errors      []string      `json:"errors"`
}

// MarshalJSON encodes the result in the shape of the replay output.
func (r Result) MarshalJSON() ([]byte, error) {
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
	j := resultJSON{Ticket: r.Ticket, Priority: r.Priority, Status: r.Status, Agreement: r.Agreement, Clocks: r.Clocks,
		Escalations: make([]Escalation, len(r.Escalations)), Rules: make([]RuleApplied, len(r.Rules)),
		Stats: r.Stats, NextWake: jsonTime(in(r.NextWake)), Errors: make([]string, len(r.Errors))}
	if r.Policy != "" {
		j.Policy = &r.Policy
	}
	if r.Calendar != "" {
		j.Calendar = &r.Calendar
	}
	if j.Clocks == nil {
		j.Clocks = []Clock{}
	}
	j.OLAs = make([]olaJSON, len(r.OLAs))
	for i, o := range r.OLAs {
		j.OLAs[i] = olaJSON{Team: o.Team, OLA: o.OLA, Metric: o.Metric, Cycle: o.Cycle, State: o.State,
			Target: seconds(o.Target), Elapsed: seconds(o.Elapsed), Deadline: jsonTime(o.Deadline)}
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
	if w := r.WhatsApp; w != nil {
		v := &w.Verdict
		j.WhatsApp = &whatsAppJSON{LastCustomerMessageAt: jsonTime(in(w.LastCustomerMessageAt)),
			WindowClosesAt: jsonTime(in(v.ClosesAt)), Open: !v.ClosesAt.IsZero() && v.State != whatsappwindow.Expired,
			State: v.State, FreeForm: v.FreeForm, TemplateRequired: v.TemplateRequired,
			ExpiredBeforeFirstResponse: w.ExpiredBeforeFirstResponse, FreeEntryPointUntil: jsonTime(in(v.FreeEntryPointUntil))}
	}
	return json.Marshal(j)
}

// olaJSON is an entry of the "olas" list of a ticket result.
type olaJSON struct {
	Team     string     `json:"team"`
	OLA      string     `json:"ola"`
	Metric   Metric     `json:"metric"`
	Cycle    int        `json:"cycle"`
	State    ClockState `json:"state"`
	Target   int64      `json:"target_seconds"`
	Elapsed  int64      `json:"elapsed_seconds"`
	Deadline jsonTime   `json:"deadline"`
}

// whatsAppJSON is the "whatsapp" object of a ticket result.
type whatsAppJSON struct {
	LastCustomerMessageAt      jsonTime             `json:"last_customer_message_at"`
	WindowClosesAt             jsonTime             `json:"window_closes_at"`
	Open                       bool                 `json:"open"`
	State                      whatsappwindow.State `json:"state"`
	FreeForm                   bool                 `json:"free_form"`
	TemplateRequired           bool                 `json:"template_required"`
	ExpiredBeforeFirstResponse bool                 `json:"expired_before_first_response"`
	FreeEntryPointUntil        jsonTime             `json:"free_entry_point_until"`
}
