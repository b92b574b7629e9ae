package whatsappwindow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	ww "github.com/slakit/slakit/whatsappwindow"
)

func TestFreeEntryPoint(t *testing.T) {
	fepStatus := func(id string, at, exp time.Time) ww.Observation {
		return status(id, at, ww.Billing{Model: "PMP", Type: "free_entry_point", Category: ww.CategoryReferralConversion,
			ConversationID: "conv-1", ConversationOrigin: "referral_conversion", ConversationExpires: exp})
	}
	regular := func(id string, at time.Time) ww.Observation {
		return status(id, at, ww.Billing{Model: "PMP", Type: "regular", Category: ww.CategoryMarketing})
	}
	statusOf := func(id string, at time.Time, st string, b ww.Billing) ww.Observation {
		o := status(id, at, b)
		o.Status = st
		return o
	}
	tests := []struct {
		name      string
		reason    string
		obs       []ww.Observation
		at        time.Time
		free      bool      // Verdict.FreeEntryPoint
		until     time.Time // Verdict.FreeEntryPointUntil
		confirmed bool
		freeForm  bool // permission never follows the free entry point
	}{
		{name: "answered at 23h opens 72h from the reply",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(23*time.Hour))},
			at:  t0.Add(23 * time.Hour), free: true, until: t0.Add(95 * time.Hour), freeForm: true},
		{name: "answered at 23h, after the service window closed", reason: "price only, never permission",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(23*time.Hour))},
			at:  t0.Add(30 * time.Hour), free: true, until: t0.Add(95 * time.Hour)},
		{name: "free entry point ends after 72h",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(23*time.Hour))},
			at:  t0.Add(95 * time.Hour)},
		{name: "answered at 25h opens nothing",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(25*time.Hour))},
			at:  t0.Add(26 * time.Hour)},
		{name: "answered at exactly 24h opens nothing", reason: "within 24h means before the 24h instant",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(24*time.Hour))},
			at:  t0.Add(25 * time.Hour)},
		{name: "no referral, no free entry point",
			obs: []ww.Observation{user("m1", t0), business("b1", t0.Add(time.Hour))},
			at:  t0.Add(2 * time.Hour), freeForm: true},
		{name: "a referral not yet answered is only a candidate",
			obs: []ww.Observation{referral("m1", t0)},
			at:  t0.Add(time.Hour), freeForm: true},
		{name: "only the first reply opens it",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)), business("b2", t0.Add(20*time.Hour))},
			at:  t0.Add(72 * time.Hour), free: true, until: t0.Add(73 * time.Hour)},
		{name: "an earlier reply delivered late moves the start back",
			obs: []ww.Observation{referral("m1", t0), business("b2", t0.Add(5*time.Hour)), business("b1", t0.Add(2*time.Hour))},
			at:  t0.Add(76 * time.Hour), free: false},
		{name: "a second ad click inside the window does not extend it",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)),
				referral("m2", t0.Add(50*time.Hour)), business("b2", t0.Add(51*time.Hour))},
			at: t0.Add(73 * time.Hour), freeForm: true},
		{name: "a new ad click after it ended opens a new one",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)),
				referral("m2", t0.Add(80*time.Hour)), business("b2", t0.Add(81*time.Hour))},
			at: t0.Add(100 * time.Hour), free: true, until: t0.Add(153 * time.Hour), freeForm: true},
		{name: "confirmed by a status, expiration wins",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)),
				fepStatus("b1", t0.Add(time.Hour+time.Second), t0.Add(73*time.Hour+time.Second))},
			at: t0.Add(73 * time.Hour), free: true, until: t0.Add(73*time.Hour + time.Second), confirmed: true},
		{name: "confirmed without having seen the referral",
			obs: []ww.Observation{user("m1", t0), fepStatus("b1", t0.Add(time.Hour), time.Time{})},
			at:  t0.Add(2 * time.Hour), free: true, until: t0.Add(73 * time.Hour), confirmed: true, freeForm: true},
		{name: "corrected by a status that charges the reply", reason: "the user was on desktop, say",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)), regular("b1", t0.Add(time.Hour))},
			at:  t0.Add(2 * time.Hour), freeForm: true},
		{name: "corrected by a sent status stamped before the host's send", reason: "the host's clock has a fraction of a second, Meta's whole seconds",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour+400*time.Millisecond)),
				statusOf("b1", t0.Add(time.Hour), "sent", ww.Billing{Model: "PMP", Type: "regular", Category: ww.CategoryMarketing})},
			at: t0.Add(2 * time.Hour), freeForm: true},
		{name: "a corrected candidate is not reopened by the next reply",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)), regular("b1", t0.Add(time.Hour)),
				business("b2", t0.Add(2*time.Hour))},
			at: t0.Add(3 * time.Hour), freeForm: true},
		{name: "a confirmed window ignores a contradicting status",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)),
				fepStatus("b1", t0.Add(time.Hour), t0.Add(73*time.Hour)), regular("b2", t0.Add(2*time.Hour))},
			at: t0.Add(3 * time.Hour), free: true, until: t0.Add(73 * time.Hour), confirmed: true, freeForm: true},
		{name: "a reordered confirmation before the reply",
			obs: []ww.Observation{referral("m1", t0), fepStatus("b1", t0.Add(time.Hour+time.Second), t0.Add(73*time.Hour)),
				business("b1", t0.Add(time.Hour))},
			at: t0.Add(72 * time.Hour), free: true, until: t0.Add(73 * time.Hour), confirmed: true},
		{name: "a late referral keeps the confirmation", reason: "the ad click is delivered after the confirming status",
			obs: []ww.Observation{user("m1", t0), fepStatus("b1", t0.Add(time.Hour), t0.Add(73*time.Hour)),
				referral("m0", t0.Add(-time.Minute)), regular("b2", t0.Add(2*time.Hour))},
			at: t0.Add(3 * time.Hour), free: true, until: t0.Add(73 * time.Hour), confirmed: true, freeForm: true},
		{name: "a charged first reply opens nothing", reason: "the status is the first business message seen",
			obs: []ww.Observation{referral("m1", t0), regular("b1", t0.Add(time.Hour))},
			at:  t0.Add(2 * time.Hour), freeForm: true},
		{name: "a free customer service first reply opens nothing",
			obs: []ww.Observation{referral("m1", t0), status("b1", t0.Add(time.Hour),
				ww.Billing{Model: "PMP", Type: "free_customer_service", Category: ww.CategoryService})},
			at: t0.Add(2 * time.Hour), freeForm: true},
		{name: "a charged first reply, its send observed after", reason: "the candidate is answered",
			obs: []ww.Observation{referral("m1", t0), regular("b1", t0.Add(time.Hour)), business("b1", t0.Add(time.Hour-time.Second))},
			at:  t0.Add(2 * time.Hour), freeForm: true},
		{name: "a charged first reply, then a confirming status", reason: "Meta's word on a later message wins",
			obs: []ww.Observation{referral("m1", t0), regular("b1", t0.Add(time.Hour)),
				fepStatus("b2", t0.Add(2*time.Hour), t0.Add(74*time.Hour))},
			at: t0.Add(3 * time.Hour), free: true, until: t0.Add(74 * time.Hour), confirmed: true, freeForm: true},
		{name: "a sent status opens it",
			obs: []ww.Observation{referral("m1", t0), statusOf("b1", t0.Add(time.Hour), "sent", ww.Billing{})},
			at:  t0.Add(2 * time.Hour), free: true, until: t0.Add(73 * time.Hour), freeForm: true},
		{name: "a read status opens nothing", reason: "it may be of a template sent before the ad click",
			obs: []ww.Observation{referral("m1", t0), statusOf("old", t0.Add(5*time.Second), "read", ww.Billing{})},
			at:  t0.Add(time.Minute), freeForm: true},
		{name: "a priced delivered status does not answer the candidate", reason: "the reply after it opens the window",
			obs: []ww.Observation{referral("m1", t0),
				statusOf("old", t0.Add(5*time.Second), "delivered", ww.Billing{Model: "PMP", Type: "regular", Category: ww.CategoryMarketing}),
				business("b1", t0.Add(time.Hour))},
			at: t0.Add(2 * time.Hour), free: true, until: t0.Add(73 * time.Hour), freeForm: true},
		{name: "a delivered status still confirms it",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)),
				statusOf("b1", t0.Add(time.Hour+time.Second), "delivered", ww.Billing{Model: "PMP", Type: "free_entry_point",
					Category: ww.CategoryReferralConversion, ConversationExpires: t0.Add(73*time.Hour + time.Second)})},
			at: t0.Add(2 * time.Hour), free: true, until: t0.Add(73*time.Hour + time.Second), confirmed: true, freeForm: true},
		{name: "a status priced before the window does not cancel it",
			obs: []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour)), regular("b0", t0.Add(-time.Hour))},
			at:  t0.Add(2 * time.Hour), free: true, until: t0.Add(73 * time.Hour), freeForm: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustTracker(t, ww.DefaultConfig())
			w := replay(t, tr, tc.obs)
			v := tr.Verdict(w, tc.at)
			assert.Equal(t, tc.free, v.FreeEntryPoint, "Verdict(%v).FreeEntryPoint = %v, want %v", tc.at, v.FreeEntryPoint, tc.free)
			assert.Equal(t, rfc(tc.until), rfc(v.FreeEntryPointUntil),
				"Verdict(%v).FreeEntryPointUntil = %v, want %v", tc.at, v.FreeEntryPointUntil, tc.until)
			assert.Equal(t, tc.confirmed, w.FreeEntryConfirmed, "FreeEntryConfirmed = %v, want %v", w.FreeEntryConfirmed, tc.confirmed)
			assert.Equal(t, tc.freeForm, v.FreeForm, "Verdict(%v).FreeForm = %v, want %v", tc.at, v.FreeForm, tc.freeForm)
		})
	}
}

func TestFreeEntryPointNext(t *testing.T) {
	tr := mustTracker(t, ww.DefaultConfig())
	w := replay(t, tr, []ww.Observation{referral("m1", t0), business("b1", t0.Add(23*time.Hour))})
	v := tr.Verdict(w, t0.Add(30*time.Hour))
	assert.Equal(t, ww.Expired, v.State)
	assert.Equal(t, rfc(t0.Add(95*time.Hour)), rfc(v.Next), "Verdict(+30h).Next = %v, want the free entry point's end", v.Next)
}
