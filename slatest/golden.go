package slatest

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/slakit/slakit/sla"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files (slatest.Golden)")
	}
}

// Updating reports whether the test binary runs with -update.
func Updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// Golden compares the replay output of results (one ticket result JSON a
// line) with the file at path. With -update it writes the file instead
// (creating its directory). On a difference it reports the first line
// that differs and how to update the file.
func Golden(t testing.TB, path string, results []sla.Result) bool {
	t.Helper()
	return GoldenBytes(t, path, jsonLines(results))
}

// GoldenBytes is [Golden] for any output.
func GoldenBytes(t testing.TB, path string, got []byte) bool {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("slatest: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("slatest: %v", err)
		}
		return true
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Errorf("slatest: golden file %s does not exist; create it with go test -run '%s' -update", path, t.Name())
		return false
	}
	if err != nil {
		t.Fatalf("slatest: %v", err)
	}
	if bytes.Equal(got, want) {
		return true
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range max(len(gl), len(wl)) {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Errorf("slatest: output differs from golden file %s at line %d:\n\tgot:  %s\n\twant: %s\n"+
				"(%d lines, want %d; if the change is right, run go test -run '%s' -update)",
				path, i+1, g, w, len(gl)-1, len(wl)-1, t.Name())
			break
		}
	}
	return false
}
