package kpi_test

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/kpi"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/slatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

// fixtureEngine is the policy of testdata/history.jsonl: business hours
// Monday to Friday 09:00-17:00 UTC; first response 30m (urgent) or 1h
// (normal), resolution 4h (urgent) or 8h (normal); no policy for sms.
func fixtureEngine(t testing.TB) *sla.Engine {
	t.Helper()
	cal, err := calendar.New(calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
	require.NoError(t, err)
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{{
		Name:     "standard",
		When:     func(tk *sla.Ticket) (bool, error) { return tk.Channel != "sms", nil },
		Calendar: cal,
		Targets: map[string]map[sla.Metric]time.Duration{
			"urgent": {sla.FirstResponse: 30 * time.Minute, sla.Resolution: 4 * time.Hour},
			"normal": {sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
		},
	}}})
	require.NoError(t, err)
	return eng
}

// fixtureAt is the report instant: Wednesday 2026-03-04 12:00 UTC.
var fixtureAt = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func readEvents(t testing.TB, path string) []sla.Event {
	t.Helper()
	return slatest.ReadEvents(t, path)
}

func replay(t testing.TB, eng *sla.Engine, evs []sla.Event, at time.Time) []sla.Result {
	t.Helper()
	var out []sla.Result
	in := func(yield func(sla.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
	for r, err := range eng.Replay(in, at) {
		require.NoError(t, err)
		require.Empty(t, r.Errors, "ticket %s", r.Ticket)
		out = append(out, r)
	}
	return out
}

func fixtureConfig() kpi.Config {
	goals, err := kpi.ParseGoals(map[string]string{
		"sla_compliance":      ">= 95%",
		"first_response_p90":  "<= 10m",
		"fcr_rate":            ">= 30%",
		"escalation_rate":     "<= 15%",
		"csat_positive_rate":  ">= 80%",
		"backlog":             "<= 5",
		"next_response_p90":   "<= 1h",
		"resolution_p50":      "< 2h30m",
		"csat_mean":           "== 4",
		"reopen_rate":         "< 10%",
		"first_response_mean": "> 1h",
	})
	if err != nil {
		panic(err)
	}
	return kpi.Config{MaxAgentReplies: 1, Goals: goals, GroupBy: []string{"priority", "channel", "team"}, Bucket: kpi.Day}
}

func fixtureReport(t testing.TB) kpi.Report {
	t.Helper()
	acc, err := kpi.New(fixtureConfig())
	require.NoError(t, err)
	for _, r := range replay(t, fixtureEngine(t), readEvents(t, "testdata/history.jsonl"), fixtureAt) {
		acc.Add(r)
	}
	return acc.Report()
}

func f64(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func i64(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestFixture checks every figure of testdata/history.jsonl, worked out by
// hand. The tickets, evaluated on Wednesday 2026-03-04 at 12:00 (business
// hours 09:00-17:00, Monday to Friday, UTC):
//
//	T1 urgent email billing   Mon 09:00 created, 09:10 reply, 10:00 solved, csat 5.
//	   FR met 10m (600 s); resolution met 1h (3600 s). FCR (1 reply).
//	T2 normal whatsapp -      Mon 09:00 created, 10:30 reply, 11:00 assigned billing, 11:30 reply,
//	   12:00 solved, csat 2. FR breached 1h30m (5400 s, target 1h); resolution met 3h (10800 s):
//	   2h with no team, 1h billing. Not FCR (2 replies).
//	T3 normal email support   Mon 16:00 created, 16:40 reply, 16:45 pending; Tue 10:00 customer
//	   message (open again), 10:30 reply, 11:00 assigned tier2, 12:00 solved, 12:30 closed.
//	   FR met 40m (2400 s); resolution met 45m + 2h = 2h45m (9900 s): support 45m + 1h = 6300 s,
//	   tier2 3600 s (pending Mon 16:45 - Tue 10:00 belongs to nobody). Not FCR (2 replies).
//	T4 urgent whatsapp billing Tue 09:00 created, 09:20 reply, 10:00 solved, 11:00 customer message
//	   (reopened, resolution resumes), 11:30 reply, 12:00 solved, csat 4. FR met 20m (1200 s);
//	   resolution met 1h + 1h = 2h (7200 s), billing. Reopened; not FCR.
//	T5 normal email support   Tue 09:00 created, 09:30 escalated, 09:45 reply, 10:00 solved.
//	   FR met 45m (2700 s); resolution met 1h (3600 s). Escalated: not FCR.
//	T6 urgent email billing   Tue 14:00 created, nothing since. At Wed 12:00 FR and resolution have
//	   run Tue 14:00-17:00 + Wed 09:00-12:00 = 6h (21600 s): both breached (30m, 4h). Backlog.
//	T7 normal chat -          Wed 11:30 created. FR and resolution running 30m, not breached:
//	   not counted in met or breached; resolution time 1800 s with no team. Backlog.
//	T8 normal sms -           no policy (sms). Mon 09:00 created, 09:05 reply, 09:10 solved, csat 5.
//	   No clocks; FCR (1 reply).
//	T9 normal email support   Mon 10:00 created, 10:30 solved without a reply. FR cancelled (not
//	   counted); resolution met 30m (1800 s). Not in the FCR base (no reply).
func TestFixture(t *testing.T) {
	r := fixtureReport(t)

	assert.Equal(t, int64(9), r.Tickets)
	assert.Equal(t, int64(1), r.TicketsWithoutPolicy, "T8")
	assert.Equal(t, int64(0), r.Skipped)
	assert.Equal(t, int64(2), r.Backlog, "T6, T7")

	fr := r.Metrics[sla.FirstResponse]
	assert.Equal(t, int64(4), fr.Met, "T1, T3, T4, T5")
	assert.Equal(t, int64(2), fr.Breached, "T2, T6 (running)")
	assert.Equal(t, 4.0/6, f64(fr.Compliance))
	// 600, 1200, 2400, 2700, 5400, 21600: sum 33900, mean 5650.
	assert.Equal(t, 5650.0, f64(fr.MeanSeconds))
	assert.Equal(t, int64(2400), i64(fr.P50Seconds), "rank ceil(0.5*6) = 3")
	assert.Equal(t, int64(21600), i64(fr.P90Seconds), "rank ceil(0.9*6) = 6")
	assert.Equal(t, int64(21600), i64(fr.P95Seconds), "rank ceil(0.95*6) = 6")

	res := r.Metrics[sla.Resolution]
	assert.Equal(t, int64(6), res.Met, "T1, T2, T3, T4, T5, T9")
	assert.Equal(t, int64(1), res.Breached, "T6 (running)")
	assert.Equal(t, 6.0/7, f64(res.Compliance))
	// 1800, 3600, 3600, 7200, 9900, 10800, 21600: sum 58500, mean 8357.142857...
	assert.Equal(t, 8357.143, f64(res.MeanSeconds))
	assert.Equal(t, int64(7200), i64(res.P50Seconds), "rank ceil(0.5*7) = 4")
	assert.Equal(t, int64(21600), i64(res.P90Seconds), "rank ceil(0.9*7) = 7")
	assert.Equal(t, int64(21600), i64(res.P95Seconds), "rank ceil(0.95*7) = 7")
	assert.Len(t, r.Metrics, 2, "no other metric has a target")

	// Tickets with a decided clock: all but T7 (running) and T8 (no policy);
	// T2 and T6 have a breach.
	assert.Equal(t, 5.0/7, f64(r.SLACompliance))
	// FCR base: solved with a reply: T1, T2, T3, T4, T5, T8; first contact: T1, T8.
	assert.Equal(t, 2.0/6, f64(r.FCRRate))
	assert.Equal(t, 1.0/9, f64(r.EscalationRate), "T5")
	// Ever solved: T1, T2, T3, T4, T5, T8, T9; reopened: T4.
	assert.Equal(t, 1.0/7, f64(r.ReopenRate))
	// Ratings 5 (T1), 2 (T2), 4 (T4), 5 (T8).
	assert.Equal(t, int64(4), r.CSAT.Responses)
	assert.Equal(t, 4.0, f64(r.CSAT.Mean))
	assert.Equal(t, 0.75, f64(r.CSAT.PositiveRate))

	// Resolution time per team (T7's running cycle included up to the report instant):
	assert.Equal(t, map[string]kpi.OLATime{
		"billing": {Seconds: 3600 + 3600 + 7200 + 21600, Cycles: 4}, // T1, T2, T4, T6
		kpi.None:  {Seconds: 7200 + 1800, Cycles: 2},                // T2, T7
		"support": {Seconds: 6300 + 3600 + 1800, Cycles: 3},         // T3, T5, T9
		"tier2":   {Seconds: 3600, Cycles: 1},                       // T3
	}, r.OLA[sla.Resolution])

	urgent := r.By["priority"]["urgent"] // T1, T4, T6
	assert.Equal(t, int64(3), urgent.Tickets)
	assert.Equal(t, int64(1), urgent.Backlog)
	assert.Equal(t, int64(2), urgent.Metrics[sla.FirstResponse].Met)
	assert.Equal(t, int64(1), urgent.Metrics[sla.FirstResponse].Breached)
	assert.Equal(t, int64(1200), i64(urgent.Metrics[sla.FirstResponse].P50Seconds), "600, 1200, 21600")
	assert.Equal(t, 2.0/3, f64(urgent.SLACompliance))
	assert.Equal(t, 1.0/2, f64(urgent.FCRRate), "T1 of T1, T4")
	assert.Equal(t, 4.5, f64(urgent.CSAT.Mean))
	assert.Equal(t, int64(6), r.By["priority"]["normal"].Tickets, "T2, T3, T5, T7, T8, T9")

	ch := r.By["channel"]
	assert.Equal(t, int64(5), ch["email"].Tickets)
	assert.Equal(t, int64(2), ch["whatsapp"].Tickets)
	assert.Equal(t, int64(1), ch["sms"].TicketsWithoutPolicy)
	assert.Nil(t, ch["sms"].SLACompliance, "no clocks: undefined")
	assert.Equal(t, int64(1), ch["chat"].Backlog)
	assert.Nil(t, ch["chat"].FCRRate, "nothing solved: undefined")

	team := r.By["team"] // the team at the report instant
	assert.Equal(t, int64(4), team["billing"].Tickets, "T1, T2, T4, T6")
	assert.Equal(t, int64(2), team[kpi.None].Tickets, "T7, T8")
	assert.Equal(t, int64(1), team["tier2"].Tickets, "T3")

	day := r.By["day"]
	assert.Equal(t, int64(5), day["2026-03-02"].Tickets, "T1, T2, T3, T8, T9")
	assert.Equal(t, int64(3), day["2026-03-03"].Tickets, "T4, T5, T6")
	assert.Equal(t, int64(1), day["2026-03-04"].Tickets, "T7")

	type goal struct {
		kpi    string
		actual any
		met    any
	}
	var got []goal
	for _, g := range r.Goals {
		var met any
		if g.Met != nil {
			met = *g.Met
		}
		got = append(got, goal{g.KPI, f64(g.Actual), met})
	}
	assert.Equal(t, []goal{
		{"backlog", 2.0, true},
		{"csat_mean", 4.0, true},
		{"csat_positive_rate", 0.75, false},
		{"escalation_rate", 1.0 / 9, true},
		{"fcr_rate", 2.0 / 6, true},
		{"first_response_mean", 5650.0, true},
		{"first_response_p90", 21600.0, false},
		{"next_response_p90", nil, nil}, // no next_response clock: undefined
		{"reopen_rate", 1.0 / 7, false},
		{"resolution_p50", 7200.0, true}, // 7200 s < 2h30m (9000 s),
		{"sla_compliance", 5.0 / 7, false},
	}, got)
}

func TestFixtureGolden(t *testing.T) {
	r := fixtureReport(t)
	b, err := json.MarshalIndent(r, "", "  ")
	require.NoError(t, err)
	b = append(b, '\n')
	slatest.GoldenBytes(t, filepath.Join("testdata", "report.golden.json"), b)
}
