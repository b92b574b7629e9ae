package servicenow_test

import (
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/streamcheck"
	"github.com/slakit/slakit/importer/servicenow"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

const dir = "../../testdata/import/servicenow"

func saoPaulo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	return loc
}

// convert imports inputs with the stream rules checked.
func convert(t testing.TB, loc *time.Location, inputs ...importer.Input) ([]sla.Event, []*importer.Problem, int) {
	t.Helper()
	r := &servicenow.Reader{Zone: loc}
	evs, probs, err := streamcheck.Collect(r.Events(inputs...))
	require.NoError(t, err)
	return evs, probs, r.Records()
}

func TestEdgeCases(t *testing.T) {
	loc := saoPaulo(t)
	f, err := os.Open(filepath.Join(dir, "edge.csv"))
	require.NoError(t, err)
	defer f.Close()
	evs, probs, records := convert(t, loc, importer.Input{Name: "edge.csv", R: f})
	assert.Equal(t, 19, records)
	slatest.GoldenBytes(t, filepath.Join(dir, "edge.golden.jsonl"), []byte(streamcheck.JSONL(t, evs, loc)))
	slatest.GoldenBytes(t, filepath.Join(dir, "edge.problems.golden"), []byte(streamcheck.Problems(probs)))

	// Spot checks of the decisions the golden file records.
	kinds := map[importer.Kind][]string{}
	for _, p := range probs {
		kinds[p.Kind] = append(kinds[p.Kind], fmt.Sprintf("%s:%d", p.Ticket, p.Line))
	}
	assert.Equal(t, map[importer.Kind][]string{
		importer.KindAfterClosed:   {"INC1001:9"},
		importer.KindBeforeOpening: {"INC1002:10"},
		importer.KindOutOfOrder:    {"INC1002:12"},
		importer.KindBadValue:      {"INC1002:13", "INC1002:14"},
		importer.KindMalformed:     {"INC1004:16", ":18"},
		importer.KindCut:           {"INC1003:15", "INC1005:20"},
	}, kinds)
	byTicket := map[string][]sla.Event{}
	for _, ev := range evs {
		byTicket[ev.TicketID] = append(byTicket[ev.TicketID], ev)
	}
	var statuses []sla.Status
	for _, ev := range byTicket["INC1001"] {
		if ev.Type == sla.EventStatus {
			statuses = append(statuses, ev.Status)
		}
	}
	assert.Equal(t, []sla.Status{"open", "solved", "open", "pending", "solved", "closed"}, statuses,
		"same-minute rows keep file order: Resolved then Active at 10:15 is a reopen")
	clear := byTicket["INC1002"][2]
	assert.True(t, clear.Type == sla.EventAssign && clear.ClearTeam, "? as the group clears the team: %+v", clear)
	assert.Equal(t, "Group 5, Night", byTicket["INC1003"][0].Team, "quoted cells")
	assert.Equal(t, "2026-03-03T08:05:00-03:00", byTicket["INC1002"][0].At.Format(time.RFC3339), "D/M/YYYY H:MM dates")
}

// TestSample imports the real incident log and replays it through a
// ServiceNow-like policy: every incident gets a verdict, and the log's own
// problems are reported by the import, not by the replay.
func TestSample(t *testing.T) {
	loc := saoPaulo(t)
	f, err := os.Open(filepath.Join(dir, "incidents-2016.csv.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	evs, probs, records := convert(t, loc, importer.Input{Name: "incidents-2016.csv", R: zr})
	assert.Equal(t, 5998, records)
	slatest.GoldenBytes(t, filepath.Join(dir, "incidents-2016.problems.golden"), []byte(streamcheck.Problems(probs)))

	set, err := policy.LoadFile("../../testdata/policies/servicenow.yaml")
	require.NoError(t, err)
	eng, err := set.Engine()
	require.NoError(t, err)
	var verdicts strings.Builder
	tickets := map[string]bool{}
	states := map[sla.ClockState]int{}
	for r, err := range eng.Replay(events(evs), time.Time{}) {
		require.NoError(t, err, "an event of no live ticket")
		require.Empty(t, r.Errors, "ticket %s", r.Ticket)
		require.False(t, tickets[r.Ticket], "ticket %s reported twice", r.Ticket)
		tickets[r.Ticket] = true
		require.Len(t, r.Clocks, 1, "ticket %s", r.Ticket)
		c := r.Clocks[0]
		require.Contains(t, []sla.ClockState{sla.ClockMet, sla.ClockBreached}, c.State, "ticket %s", r.Ticket)
		states[c.State]++
		fmt.Fprintf(&verdicts, "%s %s %s %s %v/%v\n", r.Ticket, r.Priority, r.Status, c.State, c.Elapsed, c.Target)
	}
	assert.Len(t, tickets, 890, "one result per incident")
	assert.Equal(t, map[sla.ClockState]int{sla.ClockMet: 623, sla.ClockBreached: 267}, states)
	slatest.GoldenBytes(t, filepath.Join(dir, "incidents-2016.verdicts.golden"), []byte(verdicts.String()))
}

func events(evs []sla.Event) func(func(sla.Event, error) bool) {
	return func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
}

func TestInputProblems(t *testing.T) {
	const header = "number,incident_state,sys_updated_at\n"
	tests := []struct {
		name   string
		input  string
		events int
		want   []string // problems, formatted
	}{
		{name: "empty file", input: "", want: []string{"x.csv:1: malformed: empty file: want a header row"}},
		{name: "missing columns", input: "number,state\nINC1,New\n",
			want: []string{"x.csv:1: malformed: header: no column incident_state, sys_updated_at"}},
		{name: "header only", input: header},
		{name: "bare quote then good rows", input: header + "INC1,New,01-03-2026 10:00\nIN\"C2,New,01-03-2026 10:00\nINC1,Closed,01-03-2026 11:00\n",
			events: 2, want: []string{`x.csv:3: malformed: bare " in non-quoted-field`}},
		{name: "unterminated quote", input: header + "INC1,New,01-03-2026 10:00\n\"INC2,New,01-03-2026 10:00\n",
			events: 1, want: []string{`x.csv:3: malformed: extraneous or missing " in quoted-field`}},
		{name: "bom and other column case", input: "\ufeffNumber,Incident_State,Sys_Updated_At\r\nINC1,New,01-03-2026 10:00\r\n", events: 1},
		{name: "bad dates", input: header + "INC1,New,31-02-2026 10:00\nINC1,New,2026-03-01 10:00\nINC1,New,01-03-2026\nINC1,New,01-03/2026 10:00\n",
			want: []string{
				`x.csv:2: ticket "INC1": bad_value: sys_updated_at "31-02-2026 10:00": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; row skipped`,
				`x.csv:3: ticket "INC1": bad_value: sys_updated_at "2026-03-01 10:00": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; row skipped`,
				`x.csv:4: ticket "INC1": bad_value: sys_updated_at "01-03-2026": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; row skipped`,
				`x.csv:5: ticket "INC1": bad_value: sys_updated_at "01-03/2026 10:00": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; row skipped`,
			}},
		{name: "priority numbers and unknown state", input: "number,incident_state,sys_updated_at,priority\nINC1,New,01-03-2026 10:00,2\nINC1,Limbo,01-03-2026 10:05,5\n",
			events: 2, want: []string{`x.csv:3: ticket "INC1": bad_value: incident_state "Limbo" unknown; ignored`}},
		{name: "opened_at unknown or unreadable", input: "number,incident_state,sys_updated_at,opened_at\nINC1,New,01-03-2026 10:00,?\nINC2,New,01-03-2026 10:00,yesterday\n",
			events: 2, want: []string{`x.csv:3: ticket "INC2": bad_value: opened_at "yesterday": want DD-MM-YYYY HH:MM or D/M/YYYY H:MM; opened at the row's sys_updated_at`}},
		{name: "canceled closes", input: header + "INC1,New,01-03-2026 10:00\nINC1,Canceled,01-03-2026 10:05\nINC1,Active,01-03-2026 10:06\n",
			events: 2, want: []string{`x.csv:4: ticket "INC1": after_closed: row after the incident's Closed row (state Active at 01-03-2026 10:06); skipped`}},
		{name: "first row closed", input: header + "INC1,Closed,01-03-2026 10:00\nINC1,Closed,01-03-2026 10:00\n",
			events: 2, want: []string{`x.csv:3: ticket "INC1": after_closed: row after the incident's Closed row (state Closed at 01-03-2026 10:00); skipped`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, probs, _ := convert(t, time.UTC, importer.Input{Name: "x.csv", R: strings.NewReader(tt.input)})
			assert.Len(t, evs, tt.events)
			var got []string
			for _, p := range probs {
				got = append(got, p.Error())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestParts reads two files as one log: an incident cut at the end of the
// first file goes on in the second.
func TestParts(t *testing.T) {
	const header = "number,incident_state,sys_updated_at,closed_at\n"
	a := header + "INC1,New,01-03-2026 10:00,01-03-2026 12:00\n"
	b := header + "INC1,Resolved,01-03-2026 11:00,01-03-2026 12:00\nINC1,Closed,01-03-2026 12:00,01-03-2026 12:00\n"
	evs, probs, records := convert(t, time.UTC, importer.Input{Name: "a.csv", R: strings.NewReader(a)},
		importer.Input{Name: "b.csv", R: strings.NewReader(b)})
	assert.Empty(t, probs)
	assert.Len(t, evs, 3)
	assert.Equal(t, 3, records)
}

// TestStop: a consumer that stops early stops the reader.
func TestStop(t *testing.T) {
	f, err := os.Open(filepath.Join(dir, "edge.csv"))
	require.NoError(t, err)
	defer f.Close()
	r := &servicenow.Reader{}
	for n := 1; n < 40; n++ {
		_, err := f.Seek(0, 0)
		require.NoError(t, err)
		got := 0
		for range r.Events(importer.Input{Name: "edge.csv", R: f}) {
			got++
			if got == n {
				break
			}
		}
		assert.LessOrEqual(t, got, n)
	}
}
