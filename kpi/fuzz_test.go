package kpi_test

import (
	"math"
	"strings"
	"testing"

	"github.com/slakit/slakit/kpi"
)

// FuzzParseGoal checks that ParseGoal never panics, that a parsed goal
// has a finite value of its unit, and that its normalised target parses
// to the same goal.
func FuzzParseGoal(f *testing.F) {
	for _, s := range [][2]string{
		{"sla_compliance", ">= 95%"}, {"fcr_rate", ">=70%"}, {"first_response_p90", "<= 10m"},
		{"resolution_mean", "< 1h30m"}, {"csat_mean", ">= 4.2"}, {"backlog", "<= 50"}, {"reopen_rate", "== 0%"},
		{"resolution_p90", "<= 2d"}, {"happiness", ">= 1"}, {"sla_compliance", "95%"}, {"csat_mean", ">= NaN"},
		{"time_to_assign_p50", "> 1e3s"}, {"backlog", "<= 0x10"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		g, err := kpi.ParseGoal(name, text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "kpi: ") {
				t.Fatalf("ParseGoal(%q, %q) error %q lacks the package prefix", name, text, err)
			}
			return
		}
		if math.IsNaN(g.Value) || math.IsInf(g.Value, 0) {
			t.Fatalf("ParseGoal(%q, %q) = value %v", name, text, g.Value)
		}
		if g.Unit == kpi.Ratio && (g.Value < 0 || g.Value > 1) {
			t.Fatalf("ParseGoal(%q, %q) = ratio %v outside [0, 1]", name, text, g.Value)
		}
		if g.Unit == kpi.Seconds && g.Value < 0 {
			t.Fatalf("ParseGoal(%q, %q) = negative duration %v", name, text, g.Value)
		}
		again, err := kpi.ParseGoal(name, g.Target)
		if err != nil || again != g {
			t.Fatalf("ParseGoal(%q, %q) = %+v; its target parses to %+v, %v", name, text, g, again, err)
		}
	})
}

// FuzzNaturalCompare checks that NaturalCompare is a total order: zero
// only for equal strings, antisymmetric, and transitive on the triples
// tried.
func FuzzNaturalCompare(f *testing.F) {
	for _, s := range [][3]string{
		{"Group 2", "Group 10", "Group 1"}, {"P010", "P10", "P9"}, {"a", "a1", "ab"}, {kpi.None, "b", ""},
		{"2026-W09", "2026-W10", "2025-W52"}, {"x99999999999999999999", "x100000000000000000000", "x0"}, {"0", "00", "000"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := kpi.NaturalCompare(a, b), kpi.NaturalCompare(b, a)
		if (ab == 0) != (a == b) || ab != -ba {
			t.Fatalf("NaturalCompare(%q, %q) = %d, reversed %d", a, b, ab, ba)
		}
		if ab <= 0 && kpi.NaturalCompare(b, c) <= 0 && kpi.NaturalCompare(a, c) > 0 {
			t.Fatalf("NaturalCompare is not transitive on %q <= %q <= %q", a, b, c)
		}
	})
}
