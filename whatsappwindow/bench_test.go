package whatsappwindow_test

import (
	"fmt"
	"testing"
	"time"

	ww "github.com/slakit/slakit/whatsappwindow"
)

// benchObs is a stream of distinct user messages a minute apart.
func benchObs(n int) []ww.Observation {
	obs := make([]ww.Observation, n)
	for i := range obs {
		obs[i] = user(fmt.Sprint("wamid.", i), t0.Add(time.Duration(i)*time.Minute))
	}
	return obs
}

// BenchmarkObserve measures a new user message on a window whose
// deduplication list is full (the steady state).
func BenchmarkObserve(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	obs := benchObs(4096)
	var w ww.Window
	for _, o := range obs[:32] {
		_, _ = tr.Observe(&w, o, o.At)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		o := obs[i%len(obs)]
		_, _ = tr.Observe(&w, o, o.At)
		i++
	}
}

// BenchmarkObserveDuplicate measures a retried delivery (ignored).
func BenchmarkObserveDuplicate(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	obs := benchObs(32)
	var w ww.Window
	for _, o := range obs {
		_, _ = tr.Observe(&w, o, o.At)
	}
	dup := obs[len(obs)-1]
	b.ReportAllocs()
	for b.Loop() {
		_, _ = tr.Observe(&w, dup, dup.At)
	}
}

// BenchmarkObserveStatus measures a business message status with pricing.
func BenchmarkObserveStatus(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	var w ww.Window
	_, _ = tr.Observe(&w, referral("m1", t0), t0)
	s := status("b1", t0.Add(time.Hour), ww.Billing{Model: "PMP", Type: "free_entry_point", Category: ww.CategoryReferralConversion})
	b.ReportAllocs()
	for b.Loop() {
		_, _ = tr.Observe(&w, s, s.At)
	}
}

func BenchmarkVerdict(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	w := replay(b, tr, []ww.Observation{referral("m1", t0), business("b1", t0.Add(time.Hour))})
	at := t0.Add(22*time.Hour + 30*time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		_ = tr.Verdict(w, at)
	}
}

// BenchmarkVerdictExpired looks at a window after it closed, as most
// results of a replay do.
func BenchmarkVerdictExpired(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	w := replay(b, tr, []ww.Observation{user("m1", t0)})
	at := t0.Add(3 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		_ = tr.Verdict(w, at)
	}
}

// BenchmarkVerdictParallel shares one Tracker across goroutines.
func BenchmarkVerdictParallel(b *testing.B) {
	tr := mustTracker(b, ww.DefaultConfig())
	w := replay(b, tr, []ww.Observation{user("m1", t0)})
	at := t0.Add(23 * time.Hour)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = tr.Verdict(w, at)
		}
	})
}

func BenchmarkPriceHint(b *testing.B) {
	at := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ww.PriceHint(ww.CategoryUtility, at, true, false)
	}
}
