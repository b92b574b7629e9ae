package sla

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/whatsappwindow"
)

// resultCase is the input of one differential case: text that goes into
// every string of a result, instants and the flags of optional parts.
type resultCase struct {
	name  string
	text  string
	unix  int64 // an instant, seconds since 1970
	nanos int64
	zone  int   // index into diffZones
	flags uint8 // which optional parts the result has
}

var diffZones = []string{"UTC", "America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Asia/Kolkata"}

// build makes a result that uses every field of the JSON form.
func (c resultCase) build(t testing.TB) Result {
	loc, err := time.LoadLocation(diffZones[c.zone%len(diffZones)])
	require.NoError(t, err)
	at := time.Unix(c.unix, c.nanos%1e9)
	later := at.Add(90*time.Minute + 1500*time.Millisecond)
	f := c.flags
	r := Result{View: View{Ticket: c.text, Priority: c.text + "p", Status: Status(c.text), At: at}, loc: loc}
	if f&1 != 0 {
		r.Policy = c.text
		r.NextWake = later
	}
	if f&2 != 0 {
		r.Clocks = []Clock{
			{Metric: FirstResponse, Cycle: 1, State: ClockMet, Start: at, Stop: later, Deadline: later,
				Target: time.Hour, Elapsed: 59*time.Minute + 999*time.Millisecond, PausedTime: time.Second},
			{Metric: Metric(c.text), Cycle: 2, State: ClockBreached, Start: at.In(loc), Deadline: later,
				BreachedAt: later.UTC(), Target: -time.Second, Elapsed: time.Duration(c.unix), AfterWindow: true},
		}
	}
	if f&4 != 0 {
		r.Escalations = []Escalation{
			{Ladder: c.text, Level: "l1", Metric: Resolution, Cycle: 3, At: later},
			{Ladder: "l", Level: c.text, Cycle: 1, At: at, Actions: []escalation.Action{
				{Type: escalation.Notify, Target: c.text},
				{Type: escalation.AddTags, Tags: []string{c.text, "b"}},
				{Type: escalation.Custom, Target: "x", Params: map[string]string{"z": c.text, c.text: "1", "a": ""}},
			}},
			{Ladder: "l", Level: "empty", At: at, Actions: []escalation.Action{}},
		}
		r.Rules = []RuleApplied{{Rule: c.text, At: at}, {Rule: "r2", At: later}}
	}
	if f&8 != 0 {
		r.Stats = Stats{AgentReplies: 3, CustomerMessages: -1, Reopens: 2, Escalations: 1, EscalationTier: c.text,
			CSAT: 5, FirstReplyAt: at, LastCustomerAt: later, WindowRejectedAt: at, WindowExpiredBeforeFirstResponse: true,
			SolvedAt: later, ClosedAt: later, WaitingSince: at, PolicyChanges: 1, PriorityChanges: 7}
	} else {
		r.Stats = Stats{SolvedAt: at}
	}
	if f&16 != 0 {
		r.WhatsApp = &WhatsApp{Verdict: whatsappwindow.Verdict{State: whatsappwindow.State(f >> 5 % 5),
			ClosesAt: later, FreeForm: true, FreeEntryPointUntil: at}, LastCustomerMessageAt: at,
			ExpiredBeforeFirstResponse: f&32 != 0}
	}
	if f&64 != 0 {
		r.Errors = []error{errors.New(c.text), &EventError{Ticket: c.text, Seq: 2, Line: 9, Err: ErrClosed}}
	}
	if f&128 != 0 {
		r.Failures = []CondFailure{{Cond: "rules[0].when", Name: c.text, Error: c.text + " (1:5)", Count: 3, At: later},
			{Cond: c.text, Name: "", Error: "x", Count: 1, At: at.In(loc)}}
		r.FailuresOmitted = int(c.unix % 3)
	}
	return r
}

var resultCases = []resultCase{
	{name: "empty", zone: 0},
	{name: "plain", text: "T1", unix: 1772420111, flags: 0xff},
	{name: "every part, Sao Paulo", text: "T-42", unix: 1772420111, nanos: 120000000, zone: 1, flags: 0x7f},
	{name: "Berlin on the DST day", text: "Frage zu meinem Vertrag", unix: 1774746000, zone: 2, flags: 0x5f},
	{name: "New York, nanoseconds", text: "x", unix: 1772420111, nanos: 123456789, zone: 3, flags: 0x1f},
	{name: "HTML and quotes", text: `<b>"a" & 'b'\c</b>`, unix: 0, zone: 4, flags: 0xff},
	{name: "control characters", text: "a\x00\x01\b\f\n\r\t\x1f\x7f", unix: 1, flags: 0xff},
	{name: "invalid UTF-8", text: "\xff\xfe ok \xe2\x82 é ✓ \U0001F600", unix: 2, flags: 0xff},
	{name: "line separators", text: "a\u2028b\u2029c", unix: 3, flags: 0xff},
	{name: "before 1970", text: "old", unix: -86400 * 365 * 60, zone: 1, flags: 0xff},
}

// TestAppendJSONMatchesReflection compares the append encoder with the
// reflection-based encoder it replaced, byte for byte.
func TestAppendJSONMatchesReflection(t *testing.T) {
	for _, c := range resultCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.build(t)
			want, err := refMarshal(r)
			require.NoError(t, err)
			got, err := r.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			prefix := []byte("prefix ")
			got2, err := r.AppendJSON(prefix)
			require.NoError(t, err)
			assert.Equal(t, "prefix "+string(want), string(got2), "AppendJSON appends")
			viaJSON, err := json.Marshal(r)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(viaJSON), "json.Marshal(result)")
		})
	}
}

// TestAppendJSONErrors: an instant with no RFC 3339 form fails as
// time.Time's MarshalJSON does, and the buffer is left as it was.
func TestAppendJSONErrors(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		r    Result
	}{
		{"rule past year 9999", Result{Rules: []RuleApplied{{Rule: "r", At: far}}}},
		{"escalation past year 9999", Result{View: View{Escalations: []Escalation{{At: far}}}}},
		{"solved past year 9999", Result{Stats: Stats{SolvedAt: far}}},
		{"offset of 25 hours", Result{Stats: Stats{SolvedAt: far.AddDate(-8000, 0, 0)}, loc: time.FixedZone("odd", 25*3600)}},
		{"invalid window state", Result{View: View{WhatsApp: &WhatsApp{Verdict: whatsappwindow.Verdict{State: 99}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, refErr := refMarshal(tt.r)
			require.Error(t, refErr, "the reference fails too")
			b, err := tt.r.AppendJSON([]byte("x"))
			require.Error(t, err)
			assert.Equal(t, "x", string(b))
		})
	}
}

// FuzzAppendJSON compares the append encoder with the reflection-based
// one on arbitrary text, instants and zones.
func FuzzAppendJSON(f *testing.F) {
	for _, c := range resultCases {
		f.Add(c.text, c.unix, c.nanos, c.zone, c.flags)
	}
	f.Fuzz(func(t *testing.T, text string, unix, nanos int64, zone int, flags uint8) {
		if zone < 0 {
			zone = -zone
		}
		unix %= 200 * 365 * 86400 // years 1770-2170: every instant has a JSON form
		r := resultCase{text: text, unix: unix, nanos: nanos, zone: zone, flags: flags}.build(t)
		want, werr := refMarshal(r)
		got, gerr := r.MarshalJSON()
		if werr != nil || gerr != nil {
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("reference error %v, append error %v", werr, gerr)
			}
			return
		}
		if string(want) != string(got) {
			t.Fatalf("AppendJSON:\n%s\nreference:\n%s", got, want)
		}
	})
}

// TestClockMarshalJSON: a clock alone keeps its own zone.
func TestClockMarshalJSON(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	c := Clock{Metric: Resolution, Cycle: 1, State: ClockRunning, Start: time.Date(2026, 3, 2, 9, 0, 0, 0, sp),
		Target: 8 * time.Hour, Elapsed: 90 * time.Minute}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, `{"metric":"resolution","cycle":1,"state":"running","started_at":"2026-03-02T09:00:00-03:00",`+
		`"stopped_at":null,"deadline":null,"target_seconds":28800,"elapsed_seconds":5400,"paused_seconds":0,"breached_at":null}`, string(b))
}

// rfc3339Zones are the zones the instant writer is compared in: real
// ones with DST and local mean time, and fixed offsets with seconds,
// below a minute and beyond a day.
func rfc3339Zones(t testing.TB) []*time.Location {
	var locs []*time.Location
	for _, name := range diffZones {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		locs = append(locs, loc)
	}
	return append(locs, time.FixedZone("lmt", -(3*3600+6*60+28)), time.FixedZone("", -28), time.FixedZone("", 59),
		time.FixedZone("", -90), time.FixedZone("", 86399), time.FixedZone("", -86399), time.FixedZone("", 25*3600), time.FixedZone("", 5*3600+30*60))
}

// TestRFC3339MatchesAppendFormat compares the instant writer with
// time.Time.AppendFormat(RFC3339Nano): around DST changes, the ends of
// years 0 and 9999, local mean time, and random instants written one
// after another (so that a zone kept from the last instant is reused or
// replaced).
func TestRFC3339MatchesAppendFormat(t *testing.T) {
	locs := rfc3339Zones(t)
	var at []time.Time
	for _, u := range []int64{
		1774746000, 1774749600, 1773558000, 1793700000, // Berlin and New York around their 2026 changes
		-62167219200, -62162035200, -62162035201, // 0000-01-01, 0000-03-01 and the second before
		253402300799, 253402300800, 253402214400, // 9999-12-31T23:59:59, 10000-01-01, a day before
		-2524521600, -1767225600, 0, -1, 951782400, 951868800, // local mean time, the epoch, 2000-02-29
	} {
		for _, d := range []int64{-86400, -3600, -1, 0, 1, 3600, 86400} {
			for _, ns := range []int{0, 1, 500000000, 123456789, 999999999, 120000000} {
				at = append(at, time.Unix(u+d, int64(ns)))
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		u := rng.Int64N(10200*365*86400) - 62167219200 - 100*365*86400 // years -100 to 10100
		if rng.IntN(2) == 0 {
			u = 1767225600 + rng.Int64N(2*365*86400) // 2026 and 2027
		}
		ns := 0
		if rng.IntN(2) == 0 {
			ns = rng.IntN(1e9)
		}
		at = append(at, time.Unix(u, int64(ns)))
	}
	var w jsonWriter
	n := 0
	for i, a := range at {
		for j := range 3 {
			tt := a.In(locs[(i+j*5)%len(locs)])
			w.b = w.b[:0]
			w.rfc3339(tt)
			want := tt.AppendFormat(nil, time.RFC3339Nano)
			require.Equal(t, string(want), string(w.b), "%d: %v", i, tt)
			n++
		}
	}
	t.Logf("%d instants", n)
}

// FuzzRFC3339 compares the instant writer with AppendFormat on arbitrary
// instants, zones and pairs of instants (the second may reuse the zone
// of the first).
func FuzzRFC3339(f *testing.F) {
	f.Add(int64(1774746000), int64(0), uint8(2), int64(-3600))
	f.Add(int64(253402300799), int64(999999999), uint8(7), int64(1))
	f.Add(int64(-62162035200), int64(1), uint8(5), int64(86400*400))
	locs := rfc3339Zones(f)
	f.Fuzz(func(t *testing.T, unix, nanos int64, zone uint8, step int64) {
		var w jsonWriter
		a := time.Unix(unix, nanos%1e9).In(locs[int(zone)%len(locs)])
		for _, tt := range []time.Time{a, a.Add(time.Duration(step % (1 << 62)))} {
			w.b = w.b[:0]
			w.rfc3339(tt)
			if want := tt.AppendFormat(nil, time.RFC3339Nano); string(want) != string(w.b) {
				t.Fatalf("%v: got %s, want %s", tt, w.b, want)
			}
		}
	})
}
