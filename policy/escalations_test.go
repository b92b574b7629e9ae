package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// TestLadderErrors: the rules of a ladder are escalation.New's; each of its
// errors is placed at the node its field path names, and a problem the
// document already showed is not reported a second time from the Go side.
func TestLadderErrors(t *testing.T) {
	const head = "version: 1\nescalations:\n  l:\n"
	tooMany := strings.Repeat("    - {name: a, at: breach, actions: [{notify: x}]}\n", 65)
	tests := []struct {
		name   string
		levels string
		want   string
		is     error
		reason string
	}{
		{name: "no name", levels: "    - {at: breach, actions: [{notify: x}]}\n",
			want: "t.yaml:4:7: escalations.l[0].name: name is required\n", is: policy.ErrField},
		{name: "empty name", levels: "    - {name: ' ', at: breach, actions: [{notify: x}]}\n",
			want: "t.yaml:4:14: escalations.l[0].name: a level name is empty\n", is: policy.ErrValue,
			reason: "the document's check; New's name is required is the same problem"},
		{name: "no at", levels: "    - {name: a, actions: [{notify: x}]}\n",
			want: "t.yaml:4:7: escalations.l[0].at: at is required (80%, breach-30m, breach, breach+2h, 20m or window-2h)\n", is: policy.ErrField},
		{name: "at not a string", levels: "    - {name: a, at: 80, actions: [{notify: x}]}\n",
			want: "t.yaml:4:21: escalations.l[0].at: want a trigger such as 80%, breach+2h or 20m (a string), got an integer (quote it to make it a string)\n", is: policy.ErrField,
			reason: "no second error that at is required"},
		{name: "no actions", levels: "    - {name: a, at: breach}\n",
			want: "t.yaml:4:7: escalations.l[0].actions: a level needs at least one action\n", is: policy.ErrField},
		{name: "empty actions", levels: "    - {name: a, at: breach, actions: []}\n",
			want: "t.yaml:4:38: escalations.l[0].actions: a level needs at least one action\n", is: policy.ErrValue},
		{name: "only action unknown", levels: "    - {name: a, at: breach, actions: [{page: x}]}\n",
			want: "t.yaml:4:40: escalations.l[0].actions[0].page: unknown action \"page\" (want notify, assign, escalate, set_priority, add_tags, message_customer, custom)\n", is: policy.ErrField,
			reason: "no second error that the level has no action"},
		{name: "add_tags empty", levels: "    - {name: a, at: breach, actions: [{notify: x}, {add_tags: []}]}\n",
			want: "t.yaml:4:63: escalations.l[0].actions[1].add_tags: add_tags needs at least one tag\n", is: policy.ErrValue},
		{name: "custom without name", levels: "    - {name: a, at: breach, actions: [{custom: {channel: ops}}]}\n",
			want: "t.yaml:4:40: escalations.l[0].actions[0].custom.name: custom action needs a name\n", is: policy.ErrField},
		{name: "level not a mapping", levels: "    - remind\n",
			want: "t.yaml:4:7: escalations.l[0]: want an escalation level (a mapping), got a string\n", is: policy.ErrField,
			reason: "no name, at or actions errors for it"},
		{name: "duplicate after a broken level", levels: "    - {name: a, at: 2d, actions: [{notify: x}]}\n    - {name: b, at: breach, actions: [{notify: x}]}\n    - {name: a, at: breach, actions: [{notify: x}]}\n",
			want: "t.yaml:4:21: escalations.l[0].at: bad trigger \"2d\": days are not a unit: business days are not 24 hours; write hours, e.g. 8h or 72h; want 80%, breach, breach-30m, breach+2h, 20m or window-2h\n" +
				"t.yaml:6:14: escalations.l[2].name: level \"a\" defined twice in the ladder (first at line 4)\n", is: policy.ErrDuplicate},
		{name: "too many levels", levels: tooMany,
			want: "t.yaml:3:3: escalations.l: 65 levels: a ladder has at most 64\n", is: policy.ErrValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := head + tc.levels
			_, err := policy.Load("t.yaml", []byte(doc))
			require.Error(t, err, "Load(%q) = nil error", doc)
			var list policy.ErrorList
			require.True(t, errors.As(err, &list), "Load error %T is not an ErrorList", err)
			assert.ErrorIs(t, err, tc.is)
			got := list.String()
			if tc.name == "too many levels" {
				// Every level after the first is a duplicate of it too.
				got, _, _ = strings.Cut(got, "\n")
				got += "\n"
			}
			assert.Equal(t, tc.want, got, "Load(%q) errors; %s", doc, tc.reason)
		})
	}
}

// TestLevelWhenTicketOnly: a level condition on the fast path reads the
// ticket alone, so the ladder may ask it first; one reading the clock or
// now runs on the virtual machine and is asked at the firing instant.
func TestLevelWhenTicketOnly(t *testing.T) {
	tests := []struct {
		name, when string
		want       bool
		direct     bool // WhenTicket is set: the condition needs no environment
	}{
		{"team", `ticket.team == "billing"`, true, true},
		{"tags and team", `"vip" in ticket.tags && ticket.team != "billing"`, true, true},
		{"tags and keyword", `"vip" in ticket.tags && has_keyword(ticket.subject, ["refund"])`, true, true},
		{"clock", `clock.percent > 50`, false, false},
		{"ticket and now", `ticket.team == "billing" && now.Hour() > 9`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nescalations:\n  l:\n    - name: a\n      at: breach\n      when: '" +
				strings.ReplaceAll(tt.when, "'", "''") + "'\n      actions: [{notify: x}]\n"
			set, err := policy.Load("t.yaml", []byte(src))
			require.NoError(t, err)
			lv := set.Ladder("l").Level(0)
			require.NotNil(t, lv.When)
			assert.Equal(t, tt.want, lv.WhenTicketOnly, "WhenTicketOnly of when: %s", tt.when)
			if !tt.direct {
				assert.Nil(t, lv.WhenTicket, "WhenTicket of when: %s", tt.when)
				return
			}
			require.NotNil(t, lv.WhenTicket, "WhenTicket of when: %s", tt.when)
			// WhenTicket answers as When given the ticket alone.
			for _, tk := range []*sla.Ticket{
				nil,
				{Team: "billing"},
				{Team: "billing", Tags: []string{"vip"}, Subject: "Refund, please"},
				{Team: "support", Tags: []string{"vip"}, Subject: "refund"},
			} {
				var ticket any = tk
				if tk == nil {
					ticket = nil
				}
				want, err := lv.When(&escalation.Context{Ticket: ticket})
				require.NoError(t, err)
				assert.Equal(t, want, lv.WhenTicket(ticket), "WhenTicket(%+v) of when: %s", tk, tt.when)
			}
		})
	}
}
