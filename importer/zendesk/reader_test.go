package zendesk_test

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/streamcheck"
	"github.com/slakit/slakit/importer/zendesk"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

const dir = "../../testdata/import/zendesk"

// fixtures are the export pages, in an order that is not the tickets'.
var fixtures = []string{"audits-101-page2.json", "ticket-audits-cursor.json", "audits-101-page1.json",
	"ticket-events.json", "ticket-audits-cursor-overlap.json"}

func inputs(t testing.TB, names ...string) []importer.Input {
	t.Helper()
	return streamcheck.Files(t, dir, names...)
}

func TestFixtures(t *testing.T) {
	r := &zendesk.Reader{}
	evs, probs, err := streamcheck.Collect(r.Events(inputs(t, fixtures...)...))
	require.NoError(t, err)
	assert.Equal(t, 22, r.Records(), "17 audits and 5 ticket events")
	loc, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	slatest.GoldenBytes(t, filepath.Join(dir, "golden.jsonl"), []byte(streamcheck.JSONL(t, evs, loc)))
	slatest.GoldenBytes(t, filepath.Join(dir, "problems.golden"), []byte(streamcheck.Problems(probs)))

	kinds := map[importer.Kind]int{}
	for _, p := range probs {
		kinds[p.Kind]++
	}
	assert.Equal(t, map[importer.Kind]int{importer.KindMalformed: 3, importer.KindDuplicate: 1, importer.KindNoCreate: 1,
		importer.KindAfterClosed: 1, importer.KindBadValue: 1}, kinds)

	// Spot checks of the mapping.
	byType := map[string][]sla.Event{}
	for _, ev := range evs {
		byType[ev.TicketID+" "+string(ev.Type)] = append(byType[ev.TicketID+" "+string(ev.Type)], ev)
	}
	created := byType["101 created"][0]
	assert.Equal(t, "whatsapp", created.Channel)
	assert.Equal(t, "Olá, meu pagamento falhou e fui cobrada duas vezes", created.Text)
	assert.Equal(t, sla.Author(""), created.Author, "an end user opened it")
	assert.Equal(t, "Billing", byType["101 assign"][0].Team, "side-loaded group name")
	assert.Equal(t, "Bruno Lima", byType["101 assign"][1].Agent, "side-loaded user name")
	assert.Len(t, byType["101 note"], 1, "a private comment is a note")
	assert.Equal(t, []string{"refund"}, byType["101 update"][0].Tags)
	assert.Equal(t, sla.AuthorAgent, byType["102 created"][0].Author, "an agent opened it for the customer")
	assert.Equal(t, "email", byType["102 created"][0].Channel)
	assert.Contains(t, streamcheck.Statuses(byType["102 status"]), sla.StatusOnHold, "hold is on_hold")
	assert.True(t, byType["102 assign"][0].ClearTeam, "a null group clears the team")
	assert.Equal(t, "whatsapp", byType["104 created"][0].Channel, "the export's via")
	assert.Equal(t, 5, byType["104 csat"][0].Score)
	assert.Equal(t, []sla.Status{sla.StatusOpen, sla.StatusSolved}, streamcheck.Statuses(byType["104 status"]), "field as a member of the child event")

	// Replay through the reference policy: every created ticket has one
	// result, without errors.
	got := streamcheck.Replay(t, "../../testdata/policies/multidesk.yaml", evs, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	assert.Equal(t, map[string]sla.Status{"101": sla.StatusClosed, "102": sla.StatusSolved, "104": sla.StatusSolved}, got)
}

func TestFileProblems(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string
	}{
		{"empty", "", "x.json:1: malformed: unexpected end of the document"},
		{"truncated page", "{\"audits\": [\n  {\"id\": 1, \"ticket_id\": 5,\n", "x.json:3: malformed: unexpected end of the document"},
		{"not zendesk", `{"tickets": []}`, "x.json: malformed: no audits, ticket_events, users or groups: not a Zendesk export page"},
		{"wrong shape", `{"audits": [{"ticket_id": {"id": 5}}]}`, "x.json:1: audits[0]: malformed: id: want a string or a number, got {\"id\": 5}; skipped"},
		{"no ticket id", `{"audits": [{"id": 1, "created_at": "2026-03-01T10:00:00Z"}]}`, "x.json:1: audits[0]: malformed: no ticket_id; skipped"},
		{"user without id", `{"users": [{"name": "x"}]}`, "x.json:1: users[0]: malformed: a user without an id; skipped"},
		{"bad priority", `{"audits": [{"id": 1, "ticket_id": 5, "created_at": "2026-03-01T10:00:00Z", "events": [{"type": "Create", "field_name": "priority", "value": "p1"}]}]}`,
			"x.json:1: audits[0]: ticket \"5\": bad_value: priority \"p1\" unknown (want low, normal, high or urgent); ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &zendesk.Reader{}
			_, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "x.json", R: strings.NewReader(tt.doc)}))
			require.NoError(t, err)
			require.Len(t, probs, 1)
			assert.Equal(t, tt.want, probs[0].Error())
		})
	}
}

func TestCreatedClosed(t *testing.T) {
	doc := `{"audits": [{"id": 1, "ticket_id": 5, "created_at": "2026-03-01T10:00:00Z", "author_id": 3,
	  "events": [{"type": "Create", "field_name": "status", "value": "closed"}]}]}`
	r := &zendesk.Reader{}
	evs, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "x.json", R: strings.NewReader(doc)}))
	require.NoError(t, err)
	assert.Empty(t, probs)
	require.Len(t, evs, 2)
	assert.Equal(t, sla.StatusSolved, evs[0].Status, "a ticket cannot be created closed")
	assert.Equal(t, sla.StatusClosed, evs[1].Status)
}

func TestStop(t *testing.T) {
	for n := 1; n < 40; n++ {
		got := 0
		for range (&zendesk.Reader{}).Events(inputs(t, fixtures...)...) {
			got++
			if got == n {
				break
			}
		}
		assert.LessOrEqual(t, got, n)
	}
}
