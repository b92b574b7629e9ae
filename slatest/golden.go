package slatest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/slakit/slakit/sla"
)

// UpdateEnv is the environment variable that, set to 1, makes [Golden]
// rewrite golden files, for test packages that define no -update flag.
const UpdateEnv = "SLATEST_UPDATE"

// Updating reports whether golden files are to be rewritten: the test
// binary runs with -update (a boolean flag the test package defines, as
// most do: slatest defines no flag of its own, so that it never collides
// with one), or the environment variable SLATEST_UPDATE is 1.
func Updating() bool {
	if os.Getenv(UpdateEnv) == "1" {
		return true
	}
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
		t.Errorf("slatest: golden file %s does not exist; create it with %s", path, updateHint(t))
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
				"(%d lines, want %d; if the change is right, rewrite the file with %s)",
				path, i+1, g, w, len(gl)-1, len(wl)-1, updateHint(t))
			break
		}
	}
	return false
}

// updateHint says how to rewrite the golden files of the test t: with
// SLATEST_UPDATE=1, which always works, or -update where the test package
// defines that flag.
func updateHint(t testing.TB) string {
	run := fmt.Sprintf("go test -run '^%s$'", regexp.QuoteMeta(topName(t)))
	hint := fmt.Sprintf("%s=1 %s", UpdateEnv, run)
	if flag.Lookup("update") != nil {
		hint += fmt.Sprintf(" (or %s -update)", run)
	}
	return hint
}

// topName is the name of the top-level test of t (a -run pattern with a
// slash would need every level quoted).
func topName(t testing.TB) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}
