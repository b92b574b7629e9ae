package policy_test

import (
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

// FuzzLoad feeds arbitrary bytes to the loader: it never panics or hangs,
// every error is positioned, and every document it accepts builds an
// engine.
func FuzzLoad(f *testing.F) {
	for _, tc := range slices.Concat(errorTests, depthErrors) {
		f.Add([]byte(tc.doc))
	}
	for _, name := range []string{"../testdata/policies/multidesk.yaml", "../testdata/policies/broken.yaml"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := policy.Load("f.yaml", src)
		if err != nil {
			var list policy.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Load error %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.File != "f.yaml" || e.Line < 1 || e.Col < 1 || e.Msg == "" || e.Err == nil {
					t.Fatalf("Load error %#v is not positioned", e)
				}
			}
			return
		}
		if _, err := sla.NewEngine(s.Config()); err != nil {
			t.Fatalf("Load(%q) accepted a document the engine refuses: %v", src, err)
		}
	})
}
