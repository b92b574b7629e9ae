package sla_test

import (
	"errors"
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type scenario struct {
	name   string
	reason string
	cfg    func(t testing.TB) sla.Config
	events []string
	at     string   // evaluation instant
	want   []string // clockLine of every clock
	policy string   // want policy ("" not checked)
	status sla.Status
	wake   string // want NextWake ("" not checked, "-" zero)
	errs   []error
}

// spStd is the São Paulo business-hours policy with the standard targets.
func spStd(mod ...func(*sla.Policy)) func(t testing.TB) sla.Config {
	return func(t testing.TB) sla.Config {
		p := sla.Policy{Name: "sp", Calendar: spCal(t), Targets: stdTargets()}
		for _, m := range mod {
			m(&p)
		}
		return sla.Config{Policies: []sla.Policy{p}}
	}
}

var scenarios = []scenario{
	{
		name:   "sp/first-response-across-weekend-and-holiday",
		reason: "Fri 17:00 + 4h: 1h on Friday, Saturday and Sunday closed, Monday Nov 2 a holiday, 3h on Tuesday",
		cfg:    spStd(),
		events: []string{
			ev("2026-10-30T17:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-11-03T10:30:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-11-03T10:30:00-03:00",
		want: []string{
			"first_response#1 met start=2026-10-30T17:00:00-03:00 stop=2026-11-03T10:30:00-03:00 deadline=2026-11-03T11:00:00-03:00 elapsed=3h30m0s",
			"resolution#1 running start=2026-10-30T17:00:00-03:00 deadline=2026-11-04T15:00:00-03:00 elapsed=3h30m0s",
			"periodic_update#1 running start=2026-11-03T10:30:00-03:00 deadline=2026-11-04T09:30:00-03:00 elapsed=0s",
		},
		wake: "2026-11-04T09:30:00-03:00",
	},
	{
		name:   "sp/lunch-break",
		reason: "11:30 + 1h skips the 12:00-13:00 lunch break: deadline 13:30; a reply at 13:45 is late",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T11:30:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T13:45:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-03-02T14:00:00-03:00",
		want: []string{
			"first_response#1 breached start=2026-03-02T11:30:00-03:00 stop=2026-03-02T13:45:00-03:00 deadline=2026-03-02T13:30:00-03:00 elapsed=1h15m0s breached=2026-03-02T13:30:00-03:00",
			"resolution#1 running start=2026-03-02T11:30:00-03:00 deadline=2026-03-03T10:30:00-03:00 elapsed=1h30m0s",
			"periodic_update#1 running start=2026-03-02T13:45:00-03:00 deadline=2026-03-02T17:45:00-03:00 elapsed=15m0s",
		},
	},
	{
		name:   "sp/pending-pauses-resolution",
		reason: "pending from Mon 10:00 to the customer's reply Tue 09:00 pauses resolution (8h of business time); the reply opens the ticket and starts next_response; the first reply at the deadline itself is late",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T09:00:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T10:00:00-03:00", "status", `"status":"pending"`),
			ev("2026-03-03T09:00:00-03:00", "message", `"author":"customer"`),
		},
		at:     "2026-03-03T12:00:00-03:00",
		status: sla.StatusOpen,
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:00:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=1h0m0s breached=2026-03-02T09:00:00-03:00",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=5h0m0s paused=8h0m0s",
			"periodic_update#1 breached start=2026-03-02T09:00:00-03:00 deadline=2026-03-02T14:00:00-03:00 elapsed=12h0m0s breached=2026-03-02T14:00:00-03:00",
			"next_response#1 breached start=2026-03-03T09:00:00-03:00 deadline=2026-03-03T11:00:00-03:00 elapsed=3h0m0s breached=2026-03-03T11:00:00-03:00",
		},
		wake: "2026-03-03T16:00:00-03:00",
	},
	{
		name:   "sp/pending-paused-deadline-moves",
		reason: "while paused, the deadline shown is the one the clock would have if it resumed at the evaluation instant; a paused clock never wakes the host",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`, `"author":"agent"`),
			ev("2026-03-02T10:00:00-03:00", "status", `"status":"on_hold"`),
		},
		at:     "2026-03-04T08:00:00-03:00",
		status: sla.StatusOnHold,
		want: []string{
			"periodic_update#1 breached start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=18h0m0s breached=2026-03-02T12:00:00-03:00",
			"resolution#1 paused start=2026-03-02T08:00:00-03:00 deadline=2026-03-04T15:00:00-03:00 elapsed=2h0m0s paused=16h0m0s",
		},
	},
	{
		name:   "sp/reopen-resume",
		reason: "solved after 4h, reopened by a customer message on Tuesday 09:00: the same resolution cycle goes on with 12h left",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-03-02T08:30:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T12:00:00-03:00", "status", `"status":"solved"`),
			ev("2026-03-03T09:00:00-03:00", "message", `"author":"customer"`),
		},
		at:     "2026-03-03T10:00:00-03:00",
		status: sla.StatusOpen,
		want: []string{
			"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=30m0s",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-04T12:00:00-03:00 elapsed=5h0m0s paused=6h0m0s",
			"periodic_update#1 cancelled start=2026-03-02T08:30:00-03:00 stop=2026-03-02T12:00:00-03:00 deadline=2026-03-02T17:30:00-03:00 elapsed=3h30m0s",
			"next_response#1 running start=2026-03-03T09:00:00-03:00 deadline=2026-03-03T14:00:00-03:00 elapsed=1h0m0s",
		},
		wake: "2026-03-03T14:00:00-03:00",
	},
	{
		name:   "sp/reopen-restart",
		reason: "with reopen: restart, the reopening opens resolution cycle 2 with the full 16h",
		cfg:    spStd(func(p *sla.Policy) { p.Reopen = sla.ReopenRestart }),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-03-02T08:30:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T12:00:00-03:00", "status", `"status":"solved"`),
			ev("2026-03-03T09:00:00-03:00", "status", `"status":"open"`),
		},
		at: "2026-03-03T10:00:00-03:00",
		want: []string{
			"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=30m0s",
			"resolution#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T12:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=4h0m0s",
			"periodic_update#1 cancelled start=2026-03-02T08:30:00-03:00 stop=2026-03-02T12:00:00-03:00 deadline=2026-03-02T17:30:00-03:00 elapsed=3h30m0s",
			"resolution#2 running start=2026-03-03T09:00:00-03:00 deadline=2026-03-04T17:00:00-03:00 elapsed=1h0m0s",
		},
	},
	{
		name:   "sp/priority-raised-after-new-deadline-passed",
		reason: "low (8h) becomes urgent (1h) at 15:00, when the urgent deadline 09:00 is long past: breached at the change",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"low"`),
			ev("2026-03-02T15:00:00-03:00", "priority", `"priority":"urgent"`),
			ev("2026-03-02T15:30:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-03-02T15:30:00-03:00",
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T15:30:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=6h30m0s breached=2026-03-02T15:00:00-03:00",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=6h30m0s",
			"periodic_update#1 running start=2026-03-02T15:30:00-03:00 deadline=2026-03-03T09:30:00-03:00 elapsed=0s",
		},
	},
	{
		name:   "sp/priority-lowered-after-breach",
		reason: "urgent breached at 09:00; lowering to low at 10:00 moves the deadline to 17:00 but the breach is sticky",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T10:00:00-03:00", "priority", `"priority":"low"`),
			ev("2026-03-02T11:00:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-03-02T11:00:00-03:00",
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T11:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=3h0m0s breached=2026-03-02T09:00:00-03:00",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-06T12:00:00-03:00 elapsed=3h0m0s",
		},
	},
	{
		name:   "sp/policy-switch-on-tag",
		reason: "adding the vip tag at 08:10 switches to the 24x7 vip policy: first response counted from creation, 30m target",
		cfg: func(t testing.TB) sla.Config {
			vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
				Calendar: allDay(t, "America/Sao_Paulo"),
				Targets:  targets{"normal": {fr: 30 * time.Minute, res: 4 * time.Hour}}}
			return sla.Config{Policies: []sla.Policy{vip, {Name: "sp", Calendar: spCal(t), Targets: stdTargets()}}}
		},
		events: []string{
			ev("2026-03-01T07:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-03-01T07:10:00-03:00", "update", `"tags":["vip"]`),
		},
		at:     "2026-03-01T07:20:00-03:00",
		policy: "vip",
		want: []string{
			"first_response#1 running start=2026-03-01T07:00:00-03:00 deadline=2026-03-01T07:30:00-03:00 elapsed=20m0s",
			"resolution#1 running start=2026-03-01T07:00:00-03:00 deadline=2026-03-01T11:00:00-03:00 elapsed=20m0s",
		},
		wake: "2026-03-01T07:30:00-03:00",
	},
	{
		name:   "sp/policy-switch-deadline-past",
		reason: "a policy that starts to apply after its deadline passed breaches at the switch; removing the tag again keeps the breach",
		cfg: func(t testing.TB) sla.Config {
			vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
				Calendar: allDay(t, "America/Sao_Paulo"),
				Targets:  targets{"normal": {fr: 30 * time.Minute}}}
			return sla.Config{Policies: []sla.Policy{vip, {Name: "sp", Calendar: spCal(t), Targets: stdTargets()}}}
		},
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created"),
			ev("2026-03-02T09:00:00-03:00", "update", `"tags":["vip"]`),
			ev("2026-03-02T09:05:00-03:00", "update", `"remove_tags":["vip"]`),
		},
		at:     "2026-03-02T09:10:00-03:00",
		policy: "sp",
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=1h10m0s breached=2026-03-02T09:00:00-03:00",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=1h10m0s",
		},
	},
	{
		name:   "sp/no-policy-then-policy",
		reason: "no policy matches at creation (no clocks reported); the tag makes one apply, measured from creation",
		cfg: func(t testing.TB) sla.Config {
			vip := sla.Policy{Name: "vip", When: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("vip"), nil },
				Targets: targets{"normal": {fr: 30 * time.Minute}}}
			return sla.Config{Policies: []sla.Policy{vip}}
		},
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created"),
			ev("2026-03-02T08:20:00-03:00", "update", `"tags":["vip"]`),
		},
		at:     "2026-03-02T08:25:00-03:00",
		policy: "vip",
		want: []string{
			"first_response#1 running start=2026-03-02T11:00:00Z deadline=2026-03-02T11:30:00Z elapsed=25m0s",
		},
	},
	{
		name:   "sp/bot-replies-do-not-count",
		reason: "a public bot message is not a response unless the policy counts bot replies",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T08:01:00-03:00", "message", `"author":"bot"`),
			ev("2026-03-02T09:30:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-03-02T09:30:00-03:00",
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:30:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=1h30m0s breached=2026-03-02T09:00:00-03:00",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=1h30m0s",
			"periodic_update#1 running start=2026-03-02T09:30:00-03:00 deadline=2026-03-02T14:30:00-03:00 elapsed=0s",
		},
	},
	{
		name:   "sp/bot-replies-counted",
		reason: "count_bot_replies: the bot answer at 08:01 meets the first response; a private agent message never does",
		cfg:    spStd(func(p *sla.Policy) { p.CountBotReplies = true }),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T08:00:30-03:00", "message", `"author":"agent"`, `"public":false`),
			ev("2026-03-02T08:01:00-03:00", "message", `"author":"bot"`),
		},
		at: "2026-03-02T08:01:00-03:00",
		want: []string{
			"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:01:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=1m0s",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=1m0s",
			"periodic_update#1 running start=2026-03-02T08:01:00-03:00 deadline=2026-03-02T13:01:00-03:00 elapsed=0s",
		},
	},
	{
		name:   "sp/solved-without-reply",
		reason: "solving before any reply cancels the first response (not counted); resolution is met",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-03-02T08:30:00-03:00", "status", `"status":"solved"`),
		},
		at:     "2026-03-02T09:00:00-03:00",
		status: sla.StatusSolved,
		wake:   "-",
		want: []string{
			"first_response#1 cancelled start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:30:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=30m0s",
			"resolution#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:30:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=30m0s",
		},
	},
	{
		name:   "sp/solved-after-breach",
		reason: "a response clock already breached when the ticket is solved stays breached",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T10:00:00-03:00", "status", `"status":"solved"`),
			ev("2026-03-02T11:00:00-03:00", "status", `"status":"closed"`),
		},
		at:     "2026-03-02T12:00:00-03:00",
		status: sla.StatusClosed,
		want: []string{
			"first_response#1 breached start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:00:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=2h0m0s breached=2026-03-02T09:00:00-03:00",
			"resolution#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T10:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=2h0m0s",
		},
	},
	{
		name:   "sp/several-next-response-cycles",
		reason: "each customer turn after a reply starts a next_response cycle at its oldest unanswered message (the second message does not move it); periodic_update runs between agent replies; a reply at the deadline is late",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"normal"`),
			ev("2026-03-02T08:10:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T09:00:00-03:00", "message", `"author":"customer"`),
			ev("2026-03-02T09:30:00-03:00", "message", `"author":"customer"`),
			ev("2026-03-02T09:40:00-03:00", "note", `"author":"agent"`),
			ev("2026-03-02T14:00:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T15:00:00-03:00", "message", `"author":"customer"`),
			ev("2026-03-02T15:20:00-03:00", "message", `"author":"agent"`),
		},
		at: "2026-03-02T16:00:00-03:00",
		want: []string{
			"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:10:00-03:00 deadline=2026-03-02T12:00:00-03:00 elapsed=10m0s",
			"resolution#1 running start=2026-03-02T08:00:00-03:00 deadline=2026-03-03T16:00:00-03:00 elapsed=7h0m0s",
			"periodic_update#1 met start=2026-03-02T08:10:00-03:00 stop=2026-03-02T14:00:00-03:00 deadline=2026-03-02T17:10:00-03:00 elapsed=4h50m0s",
			"next_response#1 breached start=2026-03-02T09:00:00-03:00 stop=2026-03-02T14:00:00-03:00 deadline=2026-03-02T14:00:00-03:00 elapsed=4h0m0s breached=2026-03-02T14:00:00-03:00",
			"periodic_update#2 met start=2026-03-02T14:00:00-03:00 stop=2026-03-02T15:20:00-03:00 deadline=2026-03-03T12:00:00-03:00 elapsed=1h20m0s",
			"next_response#2 met start=2026-03-02T15:00:00-03:00 stop=2026-03-02T15:20:00-03:00 deadline=2026-03-03T09:00:00-03:00 elapsed=20m0s",
			"periodic_update#3 running start=2026-03-02T15:20:00-03:00 deadline=2026-03-03T14:20:00-03:00 elapsed=40m0s",
		},
	},
	{
		name:   "ny/dst-spring-forward-24x7",
		reason: "a 12h resolution clock from Sat 20:00 EST runs across the 2026-03-08 switch: 12 real hours end at 09:00 EDT",
		cfg: func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "ny", Calendar: allDay(t, "America/New_York"),
				Targets: targets{"normal": {res: 12 * time.Hour}}}}}
		},
		events: []string{ev("2026-03-07T20:00:00-05:00", "created")},
		at:     "2026-03-08T08:00:00-04:00",
		want: []string{
			"resolution#1 running start=2026-03-07T20:00:00-05:00 deadline=2026-03-08T09:00:00-04:00 elapsed=11h0m0s",
		},
		wake: "2026-03-08T09:00:00-04:00",
	},
	{
		name:   "ny/dst-business-hours",
		reason: "Fri 16:00 EST + 2h business time: 1h on Friday, then Mon 09:00-10:00 EDT",
		cfg: func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "ny", Calendar: nyCal(t), Targets: stdTargets()}}}
		},
		events: []string{ev("2026-03-06T16:00:00-05:00", "created", `"priority":"high"`)},
		at:     "2026-03-09T09:30:00-04:00",
		want: []string{
			"first_response#1 running start=2026-03-06T16:00:00-05:00 deadline=2026-03-09T10:00:00-04:00 elapsed=1h30m0s",
			"resolution#1 running start=2026-03-06T16:00:00-05:00 deadline=2026-03-10T12:00:00-04:00 elapsed=1h30m0s",
		},
		wake: "2026-03-09T10:00:00-04:00",
	},
	{
		name:   "berlin/dst-fall-back-24x7",
		reason: "Sat 22:00 CEST + 8h across the 2026-10-25 switch ends at 05:00 CET (8 real hours)",
		cfg: func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "de", Calendar: allDay(t, "Europe/Berlin"),
				Targets: targets{"urgent": {fr: 8 * time.Hour}}}}}
		},
		events: []string{
			ev("2026-10-24T22:00:00+02:00", "created", `"priority":"urgent"`),
			ev("2026-10-25T05:30:00+01:00", "message", `"author":"agent"`),
		},
		at: "2026-10-25T06:00:00+01:00",
		want: []string{
			"first_response#1 breached start=2026-10-24T22:00:00+02:00 stop=2026-10-25T05:30:00+01:00 deadline=2026-10-25T05:00:00+01:00 elapsed=8h30m0s breached=2026-10-25T05:00:00+01:00",
		},
	},
	{
		name:   "berlin/holidays-and-pending",
		reason: "Dec 23 16:00 + 2h: 1h on the 23rd, the 24th and 25th are holidays, the weekend is closed, 1h on Mon Dec 28",
		cfg: func(t testing.TB) sla.Config {
			return sla.Config{Policies: []sla.Policy{{Name: "de", Calendar: berlinCal(t), Targets: stdTargets()}}}
		},
		events: []string{
			ev("2026-12-23T16:00:00+01:00", "created", `"priority":"high"`),
			ev("2026-12-28T09:30:00+01:00", "message", `"author":"agent"`),
			ev("2026-12-28T10:00:00+01:00", "status", `"status":"pending"`),
		},
		at: "2026-12-29T10:00:00+01:00",
		want: []string{
			"first_response#1 met start=2026-12-23T16:00:00+01:00 stop=2026-12-28T09:30:00+01:00 deadline=2026-12-28T10:00:00+01:00 elapsed=1h30m0s",
			"resolution#1 paused start=2026-12-23T16:00:00+01:00 deadline=2026-12-30T12:00:00+01:00 elapsed=2h0m0s paused=8h0m0s",
		},
		wake: "-",
	},
	{
		name:   "custom-metric",
		reason: "time_to_assign starts at creation, pauses while the ticket is tagged waiting, stops at the assign event",
		cfg: spStd(func(p *sla.Policy) {
			p.Metrics = []sla.CustomMetric{{Name: "time_to_assign",
				Start: func(_ *sla.Ticket, e *sla.Event) (bool, error) { return e.Type == sla.EventCreated, nil },
				Stop:  func(_ *sla.Ticket, e *sla.Event) (bool, error) { return e.Type == sla.EventAssign, nil },
				Pause: func(tk *sla.Ticket) (bool, error) { return tk.HasTag("waiting"), nil }}}
			p.Targets = targets{"normal": {"time_to_assign": 30 * time.Minute}}
		}),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "created"),
			ev("2026-03-02T08:10:00-03:00", "update", `"tags":["waiting"]`),
			ev("2026-03-02T09:10:00-03:00", "update", `"remove_tags":["waiting"]`),
			ev("2026-03-02T09:20:00-03:00", "assign", `"team":"billing"`),
		},
		at: "2026-03-02T10:00:00-03:00",
		want: []string{
			"time_to_assign#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:20:00-03:00 deadline=2026-03-02T09:30:00-03:00 elapsed=20m0s paused=1h0m0s",
		},
	},
	{
		name:   "errors",
		reason: "bad events are reported and skipped; the ticket goes on",
		cfg:    spStd(),
		events: []string{
			ev("2026-03-02T08:00:00-03:00", "message"),
			ev("2026-03-02T08:00:00-03:00", "created", `"priority":"urgent"`),
			ev("2026-03-02T08:05:00-03:00", "created"),
			ev("2026-03-02T08:10:00-03:00", "teleport"),
			ev("2026-03-02T08:20:00-03:00", "priority", `"priority":"p1"`),
			ev("2026-03-02T08:30:00-03:00", "message", `"author":"agent"`),
			ev("2026-03-02T08:29:00-03:00", "message", `"author":"customer"`),
			ev("2026-03-02T08:40:00-03:00", "csat", `"score":7`),
			ev("2026-03-02T09:00:00-03:00", "status", `"status":"closed"`),
			ev("2026-03-02T09:10:00-03:00", "message", `"author":"customer"`),
		},
		at:     "2026-03-02T10:00:00-03:00",
		status: sla.StatusClosed,
		want: []string{
			"first_response#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T08:30:00-03:00 deadline=2026-03-02T09:00:00-03:00 elapsed=30m0s",
			"resolution#1 met start=2026-03-02T08:00:00-03:00 stop=2026-03-02T09:00:00-03:00 deadline=2026-03-02T17:00:00-03:00 elapsed=1h0m0s",
			"periodic_update#1 cancelled start=2026-03-02T08:30:00-03:00 stop=2026-03-02T09:00:00-03:00 deadline=2026-03-02T13:30:00-03:00 elapsed=30m0s",
		},
		errs: []error{sla.ErrUnknownTicket, sla.ErrAlreadyCreated, sla.ErrUnknownEventType, sla.ErrInvalidEvent,
			sla.ErrOutOfOrder, sla.ErrInvalidEvent, sla.ErrClosed},
	},
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			require.NotEmpty(t, sc.reason)
			e := mustEngine(t, sc.cfg(t))
			st, errs := applyAll(t, e, events(t, sc.events...))
			require.Len(t, errs, len(sc.errs), "errors: %v", errs)
			for i, want := range sc.errs {
				assert.ErrorIs(t, errs[i], want, "error %d", i)
				var ee *sla.EventError
				assert.True(t, errors.As(errs[i], &ee))
			}
			v := e.Evaluate(st, mustTime(t, sc.at))
			assert.Equal(t, joinLines(sc.want), joinLines(clockLines(v)), sc.reason)
			if sc.policy != "" {
				assert.Equal(t, sc.policy, v.Policy)
			}
			if sc.status != "" {
				assert.Equal(t, sc.status, v.Status)
			}
			switch sc.wake {
			case "":
			case "-":
				assert.True(t, v.NextWake.IsZero(), "NextWake = %v, want none", v.NextWake)
			default:
				assert.Equal(t, sc.wake, rfc(v.NextWake))
			}
		})
	}
}
