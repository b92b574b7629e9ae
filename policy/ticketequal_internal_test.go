package policy

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// ticketEqualSources are conditions on the ticket alone: each field of
// the short path compared either way round, with == and !=, and others
// that take the general path (fast says which).
var ticketEqualSources = []struct {
	src  string
	fast bool
}{
	{`ticket.channel == "whatsapp"`, true},
	{`"email" == ticket.channel`, true},
	{`ticket.channel != "email"`, true},
	{`ticket.team == ""`, true},
	{`ticket.team != "billing"`, true},
	{`ticket.agent == "` + strings.Repeat("b", 256) + `"`, true},
	{`ticket.agent == "` + strings.Repeat("b", 257) + `"`, true},
	{`ticket.priority == "urgent"`, true},
	{`"normal" != ticket.priority`, true},
	{`ticket.subject == "Login"`, false},
	{`ticket.customer.tier == "vip"`, false},
	{`ticket.channel + "x" == "emailx"`, false},
	{`ticket.channel == ticket.team`, false},
	{`ticket.channel == "email" && ticket.team == ""`, false},
	{`!(ticket.channel == "email")`, false},
	{`ticket.channel in ["email", "chat"]`, false},
	{`len(ticket.tags) > 1`, false},
}

// TestTicketEqual checks the short path of ticketCond against the
// general one (ticketCondAny) and the VM, on random tickets (long fields
// cut at maxStringBytes) and no ticket, and that it is taken exactly for
// the conditions it is meant for.
func TestTicketEqual(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 29))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	long := strings.Repeat("b", 300)
	tickets := []*sla.Ticket{nil}
	for range 400 {
		tickets = append(tickets, &sla.Ticket{Channel: pick("", "whatsapp", "email", "Email", long),
			Team: pick("", "billing", long), Agent: pick("", "ana", strings.Repeat("b", 256), strings.Repeat("b", 257), long),
			Priority: pick("", "urgent", "normal", "low"), Subject: pick("", "Login"), Customer: sla.Customer{Tier: pick("", "vip")}})
	}
	for _, tc := range ticketEqualSources {
		prog, e := compileExpr(tc.src, envTicket, nil, nil)
		require.Nil(t, e, tc.src)
		c := newCond(prog)
		require.Equal(t, tc.fast, c.native != nil && ticketEqual(prog.Node()) != nil, "short path for %s", tc.src)
		short, general := ticketCond(c), ticketCondAny(c)
		for _, tk := range tickets {
			want, werr := general(tk)
			got, gerr := short(tk)
			require.Equal(t, werr, gerr, tc.src)
			require.Equal(t, want, got, "%s on %+v", tc.src, tk)
			if tk != nil {
				env := newTicketExprEnv()
				env.t.bind(tk)
				vm, err := runErr(c.prog, env)
				require.NoError(t, err, tc.src)
				require.Equal(t, vm, got, "%s on %+v: the VM", tc.src, tk)
			}
		}
	}
}

// FuzzTicketEqual is TestTicketEqual on tickets of any channel, team,
// agent and priority.
func FuzzTicketEqual(f *testing.F) {
	f.Add("whatsapp", "", "ana", "urgent")
	f.Add("email", "billing", strings.Repeat("b", 257), "normal")
	f.Add("", "", "", "")
	var conds []*cond
	for _, tc := range ticketEqualSources {
		prog, e := compileExpr(tc.src, envTicket, nil, nil)
		require.Nil(f, e, tc.src)
		conds = append(conds, newCond(prog))
	}
	f.Fuzz(func(t *testing.T, channel, team, agent, prio string) {
		tk := &sla.Ticket{Channel: channel, Team: team, Agent: agent, Priority: prio}
		for i, c := range conds {
			want, _ := ticketCondAny(c)(tk)
			got, _ := ticketCond(c)(tk)
			require.Equal(t, want, got, "%s on %+v", ticketEqualSources[i].src, tk)
		}
	})
}
