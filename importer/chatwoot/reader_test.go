package chatwoot_test

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/chatwoot"
	"github.com/slakit/slakit/importer/internal/streamcheck"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

const dir = "../../testdata/import/chatwoot"

// fixtures are the export pages, messages before their conversations.
var fixtures = []string{"messages-45-page1.json", "messages-45-page2.json", "messages-46.json", "messages-99.json",
	"conversations.json", "conversation-47.json", "inboxes.json"}

func inputs(t testing.TB, names ...string) []importer.Input {
	t.Helper()
	return streamcheck.Files(t, dir, names...)
}

func TestFixtures(t *testing.T) {
	r := &chatwoot.Reader{}
	evs, probs, err := streamcheck.Collect(r.Events(inputs(t, fixtures...)...))
	require.NoError(t, err)
	assert.Equal(t, 35, r.Records())
	loc, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	slatest.GoldenBytes(t, filepath.Join(dir, "golden.jsonl"), []byte(streamcheck.JSONL(t, evs, loc)))
	slatest.GoldenBytes(t, filepath.Join(dir, "problems.golden"), []byte(streamcheck.Problems(probs)))

	kinds := map[importer.Kind]int{}
	for _, p := range probs {
		kinds[p.Kind]++
	}
	assert.Equal(t, map[importer.Kind]int{importer.KindMalformed: 3, importer.KindDuplicate: 1, importer.KindMismatch: 1,
		importer.KindUnknownTicket: 1}, kinds)

	byType := map[string][]sla.Event{}
	for _, ev := range evs {
		byType[ev.TicketID+" "+string(ev.Type)] = append(byType[ev.TicketID+" "+string(ev.Type)], ev)
	}
	created := byType["45 created"][0]
	assert.Equal(t, "whatsapp", created.Channel)
	assert.Equal(t, "Oi, fui cobrado duas vezes no cartão", created.Text, "the first incoming message is the created text")
	assert.NotEmpty(t, created.MessageID)
	assert.Equal(t, []string{"Billing", "", "Carla Dias"}, []string{byType["45 assign"][0].Team, byType["45 assign"][1].Team, byType["45 assign"][2].Agent},
		"a known team name is a team; self-assigned and via are agents")
	assert.Equal(t, []sla.Status{sla.StatusPending, sla.StatusSolved, sla.StatusSolved}, streamcheck.Statuses(byType["45 status"]),
		"snoozed is pending; the incoming message reopens without an event of its own")
	assert.Equal(t, sla.AuthorBot, byType["45 message"][4].Author, "an AgentBot message")
	assert.Len(t, byType["45 note"], 1)
	assert.Equal(t, "web_widget", byType["46 created"][0].Channel, "channel from the inbox list")
	assert.Equal(t, "urgent", byType["46 priority"][0].Priority)
	assert.Equal(t, sla.AuthorAgent, byType["47 created"][0].Author, "the business wrote first")

	got := streamcheck.Replay(t, "../../testdata/policies/chatwoot.yaml", evs, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	assert.Equal(t, map[string]sla.Status{"45": sla.StatusSolved, "46": sla.StatusOpen, "47": sla.StatusPending, "48": sla.StatusOpen}, got)
}

func TestFileProblems(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string
	}{
		{"empty", "", "x.json:1: malformed: unexpected end of the document"},
		{"truncated", "{\"payload\": [\n{\"id\": 1,\n", "x.json:3: malformed: unexpected end of the document"},
		{"not chatwoot", `{"tickets": []}`, "x.json: malformed: no conversations, messages or inboxes: not a Chatwoot export page"},
		{"unknown record", `{"payload": [{"id": 1}]}`, "x.json:1: payload[0]: malformed: neither a conversation, a message nor an inbox; skipped"},
		{"not an object", `[1]`, "x.json:1: [0]: malformed: want an object: record: want an object, got number; skipped"},
		{"message without conversation", `{"payload": [{"id": 1, "message_type": 0, "created_at": 1772452800}]}`,
			"x.json:1: payload[0]: malformed: a message without a conversation_id; skipped"},
		{"conversation far future", `{"id": 5, "inbox_id": 1, "created_at": "3026-01-01T00:00:00Z"}`,
			"x.json:1: conversation: ticket \"5\": malformed: created_at outside the years 1900 to 2999; skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &chatwoot.Reader{}
			_, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "x.json", R: strings.NewReader(tt.doc)}))
			require.NoError(t, err)
			require.Len(t, probs, 1)
			assert.Equal(t, tt.want, probs[0].Error())
		})
	}
}

func TestActivityTexts(t *testing.T) {
	// One conversation per activity text, each after an agent reply.
	tests := []struct {
		text string
		want string // the event it yields, as "type value"; "" for none
	}{
		{"Conversation was marked resolved by Ana", "status solved"},
		{"Conversation was resolved by Rafael Costa", "status solved"},
		{"Conversation was marked resolved by system due to 3 days of inactivity", "status solved"},
		{"Conversation was marked as pending by Ana", "status pending"},
		{"Conversation was snoozed by Ana", "status pending"},
		{"Ana self-assigned this conversation", "assign agent Ana"},
		{"Assigned to Bruno Lima by Ana", "assign agent Bruno Lima"},
		{"Assigned to Sales by Ana", "assign team Sales"},
		{"Assigned to Bruno via Sales by Ana", "assign agent Bruno team Sales"},
		{"Unassigned from Sales by Ana", ""}, // no team yet: nothing to clear
		{"Conversation unassigned by Ana", ""},
		{"Ana set the priority to Medium", "priority normal"},
		{"Ana changed the priority from low to urgent", "priority urgent"},
		{"Ana removed the priority", ""},
		{"Ana added billing, vip", ""},
		{"Conversation was reopened by Ana", ""}, // already open
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			doc := `{"data": {"payload": [{"id": 1, "inbox_id": 1, "status": "", "created_at": 1772452800,
			  "meta": {"channel": "Channel::Whatsapp", "team": {"name": "Sales"}}}]}}`
			msgs := `{"payload": [{"id": 2, "conversation_id": 1, "message_type": "activity", "created_at": 1772452900, "content": ` +
				strings.ReplaceAll(`"`+tt.text+`"`, "\n", "") + `}]}`
			r := &chatwoot.Reader{}
			evs, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "c.json", R: strings.NewReader(doc)},
				importer.Input{Name: "m.json", R: strings.NewReader(msgs)}))
			require.NoError(t, err)
			require.Empty(t, probs)
			got := ""
			if len(evs) > 1 {
				ev := evs[1]
				switch ev.Type {
				case sla.EventStatus:
					got = "status " + string(ev.Status)
				case sla.EventPriority:
					got = "priority " + ev.Priority
				case sla.EventAssign:
					got = "assign"
					if ev.Agent != "" {
						got += " agent " + ev.Agent
					}
					if ev.Team != "" || ev.ClearTeam {
						got += " team " + ev.Team
					}
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStop(t *testing.T) {
	for n := 1; n < 40; n++ {
		got := 0
		for range (&chatwoot.Reader{}).Events(inputs(t, fixtures...)...) {
			got++
			if got == n {
				break
			}
		}
		assert.LessOrEqual(t, got, n)
	}
}
