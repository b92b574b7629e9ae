package whatsappwindow_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ww "github.com/slakit/slakit/whatsappwindow"
)

var (
	key = ww.Key{Business: "106540352242922", User: "5511987654321"}
	t0  = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
)

func user(id string, at time.Time) ww.Observation {
	return ww.Observation{Key: key, Kind: ww.UserMessage, MessageID: id, At: at}
}

func referral(id string, at time.Time) ww.Observation {
	o := user(id, at)
	o.Referral = true
	return o
}

func business(id string, at time.Time) ww.Observation {
	return ww.Observation{Key: key, Kind: ww.BusinessMessage, MessageID: id, At: at}
}

func status(id string, at time.Time, b ww.Billing) ww.Observation {
	o := business(id, at)
	o.Billing = b
	return o
}

func rejection(id string, at time.Time) ww.Observation {
	return ww.Observation{Key: key, Kind: ww.Rejection, MessageID: id, At: at}
}

func of(kind ww.Kind, id string, at time.Time) ww.Observation {
	return ww.Observation{Key: key, Kind: kind, MessageID: id, At: at}
}

func mustTracker(t testing.TB, c ww.Config) *ww.Tracker {
	t.Helper()
	tr, err := ww.New(c)
	require.NoError(t, err, "New(%+v)", c)
	return tr
}

// replay observes each observation in order, received at its own instant
// (zero received means: received when it happened).
func replay(t testing.TB, tr *ww.Tracker, obs []ww.Observation) ww.Window {
	t.Helper()
	var w ww.Window
	for i, o := range obs {
		_, err := tr.Observe(&w, o, o.At)
		require.NoError(t, err, "step %d: Observe(%v %q at %v)", i, o.Kind, o.MessageID, o.At)
	}
	return w
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func TestVerdict(t *testing.T) {
	def := ww.DefaultConfig()
	noMargin := ww.Config{}
	reactions := ww.DefaultConfig()
	reactions.ReactionsCount = true
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)

	tests := []struct {
		name      string
		reason    string
		cfg       ww.Config
		obs       []ww.Observation
		at        time.Time
		state     ww.State
		freeForm  bool
		closesAt  time.Time
		remaining time.Duration
		threshold time.Duration
	}{
		{name: "never opened", cfg: def, at: t0, state: ww.NeverOpened},
		{name: "open after a user message", cfg: def, obs: []ww.Observation{user("m1", t0)}, at: t0.Add(time.Hour),
			state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 23 * time.Hour},
		{name: "one second before 24h without margin", cfg: noMargin, obs: []ww.Observation{user("m1", t0)},
			at: t0.Add(24*time.Hour - time.Second), state: ww.Open, freeForm: true,
			closesAt: t0.Add(24 * time.Hour), remaining: time.Second},
		{name: "exactly 24h is expired", reason: "open iff at < closesAt", cfg: noMargin,
			obs: []ww.Observation{user("m1", t0)}, at: t0.Add(24 * time.Hour), state: ww.Expired,
			closesAt: t0.Add(24 * time.Hour)},
		{name: "after 24h is expired", cfg: def, obs: []ww.Observation{user("m1", t0)}, at: t0.Add(30 * time.Hour),
			state: ww.Expired, closesAt: t0.Add(24 * time.Hour)},
		{name: "margin boundary refuses free-form", reason: "at+margin == closesAt is not before closesAt", cfg: def,
			obs: []ww.Observation{user("m1", t0)}, at: t0.Add(24*time.Hour - 2*time.Minute), state: ww.ClosingSoon,
			closesAt: t0.Add(24 * time.Hour), remaining: 2 * time.Minute, threshold: 15 * time.Minute},
		{name: "one second before the margin allows free-form", cfg: def, obs: []ww.Observation{user("m1", t0)},
			at: t0.Add(24*time.Hour - 2*time.Minute - time.Second), state: ww.ClosingSoon, freeForm: true,
			closesAt: t0.Add(24 * time.Hour), remaining: 2*time.Minute + time.Second, threshold: 15 * time.Minute},
		{name: "remaining exactly 2h is closing soon", cfg: def, obs: []ww.Observation{user("m1", t0)},
			at: t0.Add(22 * time.Hour), state: ww.ClosingSoon, freeForm: true, closesAt: t0.Add(24 * time.Hour),
			remaining: 2 * time.Hour, threshold: 2 * time.Hour},
		{name: "remaining 2h plus a second is open", cfg: def, obs: []ww.Observation{user("m1", t0)},
			at: t0.Add(22*time.Hour - time.Second), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour),
			remaining: 2*time.Hour + time.Second},
		{name: "remaining 15m names the smaller threshold", cfg: def, obs: []ww.Observation{user("m1", t0)},
			at: t0.Add(23*time.Hour + 45*time.Minute), state: ww.ClosingSoon, freeForm: true,
			closesAt: t0.Add(24 * time.Hour), remaining: 15 * time.Minute, threshold: 15 * time.Minute},
		{name: "a refresh resets to 24h", cfg: def, obs: []ww.Observation{user("m1", t0), user("m2", t0.Add(20*time.Hour))},
			at: t0.Add(30 * time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(44 * time.Hour),
			remaining: 14 * time.Hour},
		{name: "business messages never extend", cfg: def,
			obs: []ww.Observation{user("m1", t0), business("b1", t0.Add(23*time.Hour)), business("b2", t0.Add(23*time.Hour+59*time.Minute))},
			at:  t0.Add(24 * time.Hour), state: ww.Expired, closesAt: t0.Add(24 * time.Hour)},
		{name: "business messages alone never open", cfg: def, obs: []ww.Observation{business("b1", t0)},
			at: t0.Add(time.Minute), state: ww.NeverOpened},
		{name: "a user call opens", cfg: def, obs: []ww.Observation{of(ww.UserCall, "wacid.1", t0)},
			at: t0.Add(time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 23 * time.Hour},
		{name: "reactions do not count by default", cfg: def, obs: []ww.Observation{of(ww.UserReaction, "r1", t0)},
			at: t0.Add(time.Hour), state: ww.NeverOpened},
		{name: "reactions count when configured", cfg: reactions, obs: []ww.Observation{of(ww.UserReaction, "r1", t0)},
			at: t0.Add(time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 23 * time.Hour},
		{name: "system notices do not count", cfg: def, obs: []ww.Observation{of(ww.UserOther, "s1", t0)},
			at: t0.Add(time.Hour), state: ww.NeverOpened},
		{name: "reordered deliveries never shrink", reason: "the later message arrives first", cfg: def,
			obs: []ww.Observation{user("m2", t0.Add(10*time.Hour)), user("m1", t0)},
			at:  t0.Add(30 * time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(34 * time.Hour), remaining: 4 * time.Hour},
		{name: "a duplicate with another timestamp is ignored", reason: "same message id", cfg: def,
			obs: []ww.Observation{user("m1", t0), user("m1", t0.Add(10*time.Hour))},
			at:  t0.Add(25 * time.Hour), state: ww.Expired, closesAt: t0.Add(24 * time.Hour)},
		{name: "a rejection inside a locally open window", cfg: def,
			obs: []ww.Observation{user("m1", t0), rejection("b1", t0.Add(time.Hour))},
			at:  t0.Add(2 * time.Hour), state: ww.Rejected, closesAt: t0.Add(24 * time.Hour), remaining: 22 * time.Hour},
		{name: "a newer user message lifts a rejection", cfg: def,
			obs: []ww.Observation{user("m1", t0), rejection("b1", t0.Add(time.Hour)), user("m2", t0.Add(3*time.Hour))},
			at:  t0.Add(4 * time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(27 * time.Hour), remaining: 23 * time.Hour},
		{name: "a message older than the rejection, delivered late, keeps it",
			reason: "it extends the local window, but Meta refused after it", cfg: def,
			obs: []ww.Observation{user("m1", t0), rejection("b1", t0.Add(time.Hour)), user("m0", t0.Add(30*time.Minute))},
			at:  t0.Add(2 * time.Hour), state: ww.Rejected, closesAt: t0.Add(24*time.Hour + 30*time.Minute),
			remaining: 22*time.Hour + 30*time.Minute},
		{name: "a user message in the rejection's second lifts it",
			reason: "Meta stamps user messages in whole seconds; the host's rejection has nanoseconds", cfg: def,
			obs: []ww.Observation{user("m1", t0), rejection("", t0.Add(10*time.Second+500*time.Millisecond)), user("m2", t0.Add(10*time.Second))},
			at:  t0.Add(time.Minute), state: ww.Open, freeForm: true, closesAt: t0.Add(24*time.Hour + 10*time.Second),
			remaining: 23*time.Hour + 59*time.Minute + 10*time.Second},
		{name: "a rejection at the user message's instant is lifted", reason: "same second",
			cfg: def, obs: []ww.Observation{user("m1", t0), rejection("b1", t0)},
			at: t0.Add(time.Minute), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 24*time.Hour - time.Minute},
		{name: "a rejection in the next second keeps refusing", reason: "whole seconds compare, the later one wins",
			cfg: def, obs: []ww.Observation{user("m1", t0.In(sp)), rejection("b1", t0.Add(time.Second).In(sp))},
			at: t0.Add(time.Minute), state: ww.Rejected, closesAt: t0.Add(24 * time.Hour), remaining: 24*time.Hour - time.Minute},
		{name: "a rejection before the last user message is stale", cfg: def,
			obs: []ww.Observation{rejection("b1", t0.Add(-time.Hour)), user("m1", t0)},
			at:  t0.Add(time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 23 * time.Hour},
		{name: "a rejected window that closes is expired", cfg: def,
			obs: []ww.Observation{user("m1", t0), rejection("b1", t0.Add(time.Hour))},
			at:  t0.Add(24 * time.Hour), state: ww.Expired, closesAt: t0.Add(24 * time.Hour)},
		{name: "24 hours across a DST change are elapsed time", reason: "New York springs forward on 2026-03-08",
			cfg: noMargin, obs: []ww.Observation{user("m1", time.Date(2026, 3, 7, 12, 0, 0, 0, ny))},
			at: time.Date(2026, 3, 8, 12, 30, 0, 0, ny), state: ww.Open, freeForm: true,
			closesAt: time.Date(2026, 3, 8, 13, 0, 0, 0, ny), remaining: 30 * time.Minute},
		{name: "instants in any zone compare as instants", cfg: def,
			obs: []ww.Observation{user("m1", time.Date(2026, 3, 2, 6, 0, 0, 0, sp))},
			at:  t0.Add(time.Hour), state: ww.Open, freeForm: true, closesAt: t0.Add(24 * time.Hour), remaining: 23 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustTracker(t, tc.cfg)
			w := replay(t, tr, tc.obs)
			v := tr.Verdict(w, tc.at)
			assert.Equal(t, tc.state, v.State, "Verdict(%v).State = %v, want %v", tc.at, v.State, tc.state)
			assert.Equal(t, tc.freeForm, v.FreeForm, "Verdict(%v).FreeForm = %v, want %v", tc.at, v.FreeForm, tc.freeForm)
			assert.Equal(t, !tc.freeForm, v.TemplateRequired, "Verdict(%v).TemplateRequired = %v, want %v", tc.at, v.TemplateRequired, !tc.freeForm)
			assert.Equal(t, rfc(tc.closesAt), rfc(v.ClosesAt), "Verdict(%v).ClosesAt = %v, want %v", tc.at, v.ClosesAt, tc.closesAt)
			assert.Equal(t, tc.remaining, v.Remaining, "Verdict(%v).Remaining = %v, want %v", tc.at, v.Remaining, tc.remaining)
			assert.Equal(t, tc.threshold, v.Threshold, "Verdict(%v).Threshold = %v, want %v", tc.at, v.Threshold, tc.threshold)
		})
	}
}

func TestVerdictNext(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	w := replay(t, tr, []ww.Observation{user("m1", t0)})
	closes := t0.Add(24 * time.Hour)
	tests := []struct {
		name string
		at   time.Time
		next time.Time
	}{
		{"open: the 2h threshold", t0.Add(time.Hour), closes.Add(-2 * time.Hour)},
		{"at the 2h threshold: the 15m one", closes.Add(-2 * time.Hour), closes.Add(-15 * time.Minute)},
		{"at 15m: free-form stopping", closes.Add(-15 * time.Minute), closes.Add(-2 * time.Minute)},
		{"inside the margin: the close", closes.Add(-time.Minute), closes},
		{"expired: nothing", closes, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tr.Verdict(w, tc.at)
			assert.Equal(t, rfc(tc.next), rfc(v.Next), "Verdict(%v).Next = %v, want %v", tc.at, v.Next, tc.next)
		})
	}
	never := tr.Verdict(ww.Window{}, t0)
	assert.True(t, never.Next.IsZero(), "Verdict(zero window).Next = %v, want zero", never.Next)
}

func TestVerdictClosesBefore(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	w := replay(t, tr, []ww.Observation{user("m1", t0)})
	v := tr.Verdict(w, t0.Add(time.Hour))
	closes := t0.Add(24 * time.Hour)
	tests := []struct {
		deadline time.Time
		want     bool
	}{
		{t0.Add(4 * time.Hour), false},
		{closes.Add(-2*time.Minute - time.Second), false},
		{closes.Add(-2 * time.Minute), true},
		{closes.Add(time.Hour), true},
	}
	for _, tc := range tests {
		got := v.ClosesBefore(tc.deadline)
		assert.Equal(t, tc.want, got, "ClosesBefore(%v) = %v, want %v", tc.deadline, got, tc.want)
	}
	rejected := replay(t, tr, []ww.Observation{user("m1", t0), rejection("b1", t0.Add(time.Minute))})
	rv := tr.Verdict(rejected, t0.Add(time.Hour))
	assert.True(t, rv.ClosesBefore(t0.Add(2*time.Hour)), "rejected: ClosesBefore(+2h) = false, want true")
}

func TestObserveSkew(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	recv := t0
	tests := []struct {
		name string
		at   time.Time // the message's own timestamp
		want time.Time // LastUserAt
	}{
		{"past timestamp kept", recv.Add(-3 * time.Hour), recv.Add(-3 * time.Hour)},
		{"future within skew kept", recv.Add(5 * time.Minute), recv.Add(5 * time.Minute)},
		{"future beyond skew clamped to receipt", recv.Add(5*time.Minute + time.Second), recv},
		{"far future clamped", recv.Add(365 * 24 * time.Hour), recv},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w ww.Window
			_, err := tr.Observe(&w, user("m1", tc.at), recv)
			require.NoError(t, err)
			assert.Equal(t, rfc(tc.want), rfc(w.LastUserAt), "Observe(at %v, received %v).LastUserAt = %v, want %v",
				tc.at, recv, w.LastUserAt, tc.want)
		})
	}
	t.Run("zero receipt instant disables the clamp", func(t *testing.T) {
		var w ww.Window
		_, err := tr.Observe(&w, user("m1", t0.Add(time.Hour)), time.Time{})
		require.NoError(t, err)
		assert.Equal(t, rfc(t0.Add(time.Hour)), rfc(w.LastUserAt))
	})
	t.Run("clamped rejections and business messages too", func(t *testing.T) {
		var w ww.Window
		_, err := tr.Observe(&w, rejection("b1", t0.Add(48*time.Hour)), t0)
		require.NoError(t, err)
		assert.Equal(t, rfc(t0), rfc(w.RejectedAt))
	})
}

func TestObserveDuplicatesAndChanged(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	var w ww.Window
	steps := []struct {
		name    string
		o       ww.Observation
		changed bool
	}{
		{"first message", user("m1", t0), true},
		{"same delivery again", user("m1", t0), false},
		{"same id, another timestamp", user("m1", t0.Add(time.Hour)), false},
		{"older message delivered late", user("m0", t0.Add(-time.Hour)), true}, // its id is remembered
		{"older message again", user("m0", t0.Add(-time.Hour)), false},
		{"business message without referral", business("b1", t0.Add(time.Minute)), false},
		{"its status", status("b1", t0.Add(2*time.Minute), ww.Billing{Model: "PMP", Type: "free_customer_service", Category: ww.CategoryService}), false},
		{"a rejection", rejection("b2", t0.Add(3*time.Minute)), true},
		{"the same rejection again", rejection("b2", t0.Add(3*time.Minute)), false},
		{"a message without id", user("", t0.Add(time.Hour)), true},
		{"a system notice", of(ww.UserOther, "s1", t0.Add(2*time.Hour)), false},
	}
	for i, s := range steps {
		got, err := tr.Observe(&w, s.o, s.o.At)
		require.NoError(t, err, "step %d %s", i, s.name)
		assert.Equal(t, s.changed, got, "step %d %s: Observe(%v %q at %v) changed = %v, want %v",
			i, s.name, s.o.Kind, s.o.MessageID, s.o.At, got, s.changed)
	}
	assert.Equal(t, rfc(t0.Add(time.Hour)), rfc(w.LastUserAt))
	assert.Equal(t, "", w.LastUserMessageID)
}

func TestObserveSeenIsBounded(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	var w ww.Window
	for i := range 40 {
		_, err := tr.Observe(&w, user(fmt.Sprintf("m%d", i), t0.Add(time.Duration(i)*time.Minute)), time.Time{})
		require.NoError(t, err)
	}
	assert.Len(t, w.Seen, 16, "len(Seen) after 40 messages")
	assert.Equal(t, "m24", w.Seen[0], "oldest id kept")
	assert.Equal(t, "m39", w.Seen[15], "newest id kept")
	assert.Equal(t, "m39", w.LastUserMessageID)

	// A stored window with a longer list (hand-edited, or from another
	// version) is trimmed on the next message.
	long := ww.Window{Key: key}
	for i := range 40 {
		long.Seen = append(long.Seen, fmt.Sprint("x", i))
	}
	_, err := tr.Observe(&long, user("new", t0), time.Time{})
	require.NoError(t, err)
	assert.Len(t, long.Seen, 16)
	assert.Equal(t, "x25", long.Seen[0])
	assert.Equal(t, "new", long.Seen[15])
}

func TestObserveErrors(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	other := ww.Key{Business: key.Business, User: "5491122223333"}
	tests := []struct {
		name string
		o    ww.Observation
		want error
	}{
		{"zero kind", ww.Observation{Key: key, At: t0}, ww.ErrUnknownKind},
		{"kind out of range", ww.Observation{Key: key, Kind: 99, At: t0}, ww.ErrUnknownKind},
		{"no business", ww.Observation{Key: ww.Key{User: "1"}, Kind: ww.UserMessage, At: t0}, ww.ErrNoKey},
		{"no user", ww.Observation{Key: ww.Key{Business: "1"}, Kind: ww.UserMessage, At: t0}, ww.ErrNoKey},
		{"no timestamp", ww.Observation{Key: key, Kind: ww.UserMessage}, ww.ErrNoTimestamp},
		{"another key", ww.Observation{Key: other, Kind: ww.UserMessage, At: t0}, ww.ErrKeyMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := replay(t, tr, []ww.Observation{user("m1", t0.Add(-time.Hour))})
			before, err := json.Marshal(w)
			require.NoError(t, err)
			changed, err := tr.Observe(&w, tc.o, t0)
			assert.ErrorIs(t, err, tc.want, "Observe(%+v) error = %v, want %v", tc.o, err, tc.want)
			assert.False(t, changed)
			assert.Contains(t, err.Error(), "whatsappwindow: ")
			after, err := json.Marshal(w)
			require.NoError(t, err)
			assert.JSONEq(t, string(before), string(after), "a refused observation must leave the window untouched")
		})
	}
}

func TestObserveMap(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	ws := map[ww.Key]ww.Window{}
	other := ww.Key{Business: key.Business, User: "5491122223333"}
	o2 := user("x1", t0.Add(time.Hour))
	o2.Key = other
	for _, o := range []ww.Observation{user("m1", t0), o2, user("m1", t0)} {
		_, err := tr.ObserveMap(ws, o, o.At)
		require.NoError(t, err)
	}
	require.Len(t, ws, 2)
	assert.Equal(t, rfc(t0), rfc(ws[key].LastUserAt))
	assert.Equal(t, rfc(t0.Add(time.Hour)), rfc(ws[other].LastUserAt))
	_, err := tr.ObserveMap(ws, ww.Observation{Key: key, At: t0}, t0)
	assert.ErrorIs(t, err, ww.ErrUnknownKind)
}

func TestWindowJSON(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	w := replay(t, tr, []ww.Observation{
		referral("m1", time.Date(2026, 3, 2, 6, 0, 0, 0, sp)),
		business("b1", t0.Add(time.Hour)),
		rejection("b2", t0.Add(2*time.Hour)),
	})
	b, err := json.Marshal(w)
	require.NoError(t, err)
	const want = `{"key":{"business":"106540352242922","user":"5511987654321"},` +
		`"last_user_at":"2026-03-02T09:00:00Z","last_user_message_id":"m1","rejected_at":"2026-03-02T11:00:00Z",` +
		`"referral_at":"2026-03-02T09:00:00Z","free_entry_start":"2026-03-02T10:00:00Z",` +
		`"free_entry_end":"2026-03-05T10:00:00Z","seen":["m1"]}`
	assert.JSONEq(t, want, string(b), "json.Marshal(window)")

	var back ww.Window
	require.NoError(t, json.Unmarshal(b, &back))
	for _, at := range []time.Time{t0, t0.Add(3 * time.Hour), t0.Add(30 * time.Hour), t0.Add(80 * time.Hour)} {
		assert.Equal(t, tr.Verdict(w, at), tr.Verdict(back, at), "Verdict after a JSON round trip at %v", at)
	}
	empty, err := json.Marshal(ww.Window{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"key":{"business":"","user":""}}`, string(empty))
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  ww.Config
		want string // error text, empty for none
	}{
		{"zero", ww.Config{}, ""},
		{"default", ww.DefaultConfig(), ""},
		{"negative margin", ww.Config{SendMargin: -time.Second}, "whatsappwindow: invalid config: send_margin: -1s is negative"},
		{"negative skew", ww.Config{MaxSkew: -time.Minute}, "whatsappwindow: invalid config: max_skew: -1m0s is negative"},
		{"zero threshold", ww.Config{ClosingSoon: []time.Duration{time.Hour, 0}},
			"whatsappwindow: invalid config: closing_soon[1]: 0s is not positive"},
		{"threshold beyond the window", ww.Config{ClosingSoon: []time.Duration{25 * time.Hour}},
			"whatsappwindow: invalid config: closing_soon[0]: 25h0m0s is longer than the 24h window"},
		{"every problem at once", ww.Config{SendMargin: -time.Second, ClosingSoon: []time.Duration{time.Hour, time.Hour, 25 * time.Hour}},
			"whatsappwindow: invalid config: send_margin: -1s is negative\n" +
				"whatsappwindow: invalid config: closing_soon[1]: 1h0m0s listed twice\n" +
				"whatsappwindow: invalid config: closing_soon[2]: 25h0m0s is longer than the 24h window"},
		{"duplicate threshold", ww.Config{ClosingSoon: []time.Duration{time.Hour, 15 * time.Minute, time.Hour}},
			"whatsappwindow: invalid config: closing_soon[2]: 1h0m0s listed twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := ww.New(tc.cfg)
			if tc.want == "" {
				require.NoError(t, err)
				require.NotNil(t, tr)
				return
			}
			require.Error(t, err, "New(%+v) error = nil, want %q", tc.cfg, tc.want)
			assert.ErrorIs(t, err, ww.ErrInvalidConfig)
			assert.EqualError(t, err, tc.want)
			assert.Nil(t, tr)
		})
	}

	in := []time.Duration{15 * time.Minute, 2 * time.Hour}
	tr := mustTracker(t, ww.Config{ClosingSoon: in})
	got := tr.Config().ClosingSoon
	assert.Equal(t, []time.Duration{2 * time.Hour, 15 * time.Minute}, got, "Config().ClosingSoon, longest first")
	got[0] = time.Minute
	in[0] = time.Minute
	assert.Equal(t, []time.Duration{2 * time.Hour, 15 * time.Minute}, tr.Config().ClosingSoon, "the tracker owns its thresholds")
}

func TestZeroTracker(t *testing.T) {
	var tr ww.Tracker
	var w ww.Window
	_, err := tr.Observe(&w, user("m1", t0), t0)
	require.NoError(t, err)
	v := tr.Verdict(w, t0.Add(24*time.Hour-time.Nanosecond))
	assert.Equal(t, ww.Open, v.State)
	assert.True(t, v.FreeForm, "zero tracker: no margin")
}

func TestStateText(t *testing.T) {
	for s, name := range map[ww.State]string{ww.NeverOpened: "never_opened", ww.Open: "open",
		ww.ClosingSoon: "closing_soon", ww.Expired: "expired", ww.Rejected: "rejected"} {
		assert.Equal(t, name, s.String())
		b, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(b))
		var back ww.State
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	assert.Equal(t, "state(9)", ww.State(9).String())
	_, err := ww.State(9).MarshalText()
	assert.EqualError(t, err, "whatsappwindow: invalid state 9")
	var s ww.State
	assert.EqualError(t, s.UnmarshalText([]byte("closed")), `whatsappwindow: unknown state "closed"`)
	assert.Equal(t, "user_call", ww.UserCall.String())
	assert.Equal(t, "kind(0)", ww.Kind(0).String())
	assert.Equal(t, "106540352242922/5511987654321", key.String())
}

// TestTrackerConcurrent shares one Tracker across goroutines; run with -race.
func TestTrackerConcurrent(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := ww.Key{Business: key.Business, User: fmt.Sprint(g)}
			var w ww.Window
			for i := range 100 {
				at := t0.Add(time.Duration(i) * time.Minute)
				if _, err := tr.Observe(&w, ww.Observation{Key: k, Kind: ww.UserMessage, MessageID: fmt.Sprint(i), At: at}, at); err != nil {
					t.Error(err)
					return
				}
				_ = tr.Verdict(w, at)
			}
		}()
	}
	wg.Wait()
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ww.ErrInvalidConfig, ww.ErrNoTimestamp, ww.ErrUnknownKind, ww.ErrNoKey, ww.ErrKeyMismatch,
		ww.ErrTemplateRequired, ww.ErrUnknownCategory, ww.ErrNoPricing}
	for i, a := range all {
		assert.Contains(t, a.Error(), "whatsappwindow: ")
		for j, b := range all {
			if i != j {
				assert.False(t, errors.Is(a, b), "errors.Is(%v, %v) = true, want false", a, b)
			}
		}
	}
}

func TestClosesAt(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tr, err := ww.New(ww.DefaultConfig())
	require.NoError(t, err)
	tests := []struct {
		name string
		user []time.Time // user messages, in order
		want string      // RFC 3339 in UTC; "" for zero
	}{
		{name: "never opened", want: ""},
		{name: "one message", user: []time.Time{t0}, want: "2026-03-03T09:00:00Z"},
		{name: "a newer message moves it", user: []time.Time{t0, t0.Add(5 * time.Hour)}, want: "2026-03-03T14:00:00Z"},
		{name: "a late older message does not", user: []time.Time{t0.Add(5 * time.Hour), t0}, want: "2026-03-03T14:00:00Z"},
		// Berlin leaves summer time on 25 October: 24 hours after 12:00 CEST is 11:00 CET.
		{name: "24 hours, not a calendar day", user: []time.Time{time.Date(2026, 10, 24, 12, 0, 0, 0, berlin)}, want: "2026-10-25T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w ww.Window
			for i, at := range tt.user {
				_, err := tr.Observe(&w, ww.Observation{Key: key, Kind: ww.UserMessage, MessageID: fmt.Sprint("m", i), At: at}, time.Time{})
				require.NoError(t, err)
			}
			got := w.ClosesAt()
			if tt.want == "" {
				assert.True(t, got.IsZero(), "ClosesAt() = %v, want zero", got)
				return
			}
			assert.Equal(t, tt.want, got.UTC().Format(time.RFC3339))
			assert.WithinDuration(t, tr.Verdict(w, t0).ClosesAt, got, 0, "Verdict agrees")
		})
	}
}

func TestUserID(t *testing.T) {
	assert.Equal(t, "5511987654321", ww.UserID("5511987654321", "BR.42"), "the phone number first")
	assert.Equal(t, "BR.42", ww.UserID("", "BR.42"), "the BSUID without a phone number")
	assert.Equal(t, "", ww.UserID("", ""))
}
