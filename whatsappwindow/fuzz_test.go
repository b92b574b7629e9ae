package whatsappwindow_test

import (
	"fmt"
	"testing"
	"time"

	ww "github.com/slakit/slakit/whatsappwindow"
)

// opsFrom turns fuzz bytes into observations: 4 bytes each (kind, minutes
// after t0 in two bytes, flags), at most 64, every id distinct.
func opsFrom(data []byte) []ww.Observation {
	var obs []ww.Observation
	for i := 0; i+4 <= len(data) && len(obs) < 64; i += 4 {
		o := ww.Observation{
			Key:       key,
			Kind:      ww.Kind(data[i]%6 + 1),
			MessageID: fmt.Sprint("op", len(obs)),
			At:        t0.Add(time.Duration(int(data[i+1])<<8|int(data[i+2])) * time.Minute),
			Referral:  data[i+3]&1 != 0,
		}
		switch {
		case data[i+3]&2 != 0:
			o.Billing = ww.Billing{Model: "PMP", Type: "free_entry_point", Category: ww.CategoryReferralConversion}
		case data[i+3]&4 != 0:
			o.Billing = ww.Billing{Model: "PMP", Type: "regular", Category: ww.CategoryMarketing}
		}
		obs = append(obs, o)
	}
	return obs
}

// FuzzObserve checks that any sequence of observations leaves a window
// whose verdicts are consistent, and that delivery order never changes the
// service window.
func FuzzObserve(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0})                            // a user message
	f.Add([]byte{0, 0, 0, 1, 4, 0, 60, 0})               // referral, business reply after 1h
	f.Add([]byte{0, 0, 0, 0, 5, 0, 60, 0, 0, 0, 180, 0}) // message, rejection, message
	f.Add([]byte{0, 5, 160, 0, 0, 0, 0, 0})              // reordered: +24h first, then t0
	f.Add([]byte{2, 0, 0, 0, 1, 0, 1, 0, 3, 0, 2, 0})    // call, reaction, other
	f.Add([]byte{0, 0, 0, 1, 4, 0, 60, 2, 4, 0, 61, 4})
	tr := mustTracker(f, ww.DefaultConfig())
	f.Fuzz(func(t *testing.T, data []byte) {
		obs := opsFrom(data)
		var fwd, bwd ww.Window
		for _, o := range obs {
			if _, err := tr.Observe(&fwd, o, time.Time{}); err != nil {
				t.Fatalf("Observe(%+v) = %v", o, err)
			}
		}
		for i := len(obs) - 1; i >= 0; i-- {
			if _, err := tr.Observe(&bwd, obs[i], time.Time{}); err != nil {
				t.Fatalf("Observe(%+v) = %v", obs[i], err)
			}
		}
		if !fwd.LastUserAt.Equal(bwd.LastUserAt) || !fwd.RejectedAt.Equal(bwd.RejectedAt) {
			t.Fatalf("order changed the window: forward %v/%v, backward %v/%v",
				fwd.LastUserAt, fwd.RejectedAt, bwd.LastUserAt, bwd.RejectedAt)
		}
		if len(fwd.Seen) > 16 {
			t.Fatalf("len(Seen) = %d, want <= 16", len(fwd.Seen))
		}
		for _, d := range []time.Duration{0, time.Hour, 23 * time.Hour, 24 * time.Hour, 25 * time.Hour, 800 * time.Hour, 2000 * time.Hour} {
			at := t0.Add(d)
			v, b := tr.Verdict(fwd, at), tr.Verdict(bwd, at)
			if v.State != b.State || v.FreeForm != b.FreeForm || !v.ClosesAt.Equal(b.ClosesAt) {
				t.Fatalf("Verdict(%v) depends on order: %+v vs %+v", at, v, b)
			}
			if v.TemplateRequired == v.FreeForm {
				t.Fatalf("Verdict(%v): TemplateRequired = FreeForm = %v", at, v.FreeForm)
			}
			if v.FreeForm && v.State != ww.Open && v.State != ww.ClosingSoon {
				t.Fatalf("Verdict(%v): free-form allowed in state %v", at, v.State)
			}
			if v.FreeForm && !at.Before(v.ClosesAt.Add(-2*time.Minute)) {
				t.Fatalf("Verdict(%v): free-form allowed within the margin of %v", at, v.ClosesAt)
			}
			if v.Remaining < 0 || (!v.Next.IsZero() && !v.Next.After(at)) {
				t.Fatalf("Verdict(%v): remaining %v, next %v", at, v.Remaining, v.Next)
			}
			if v.FreeEntryPoint && !v.FreeEntryPointUntil.After(at) {
				t.Fatalf("Verdict(%v): free entry point until %v", at, v.FreeEntryPointUntil)
			}
		}
	})
}
