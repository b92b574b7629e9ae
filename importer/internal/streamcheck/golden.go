package streamcheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/sla"
)

// JSONL writes events as the events file does, one JSON object a line,
// with instants in loc.
func JSONL(t testing.TB, evs []sla.Event, loc *time.Location) string {
	t.Helper()
	var b strings.Builder
	for _, ev := range evs {
		ev.At = ev.At.In(loc)
		line, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("json.Marshal(%+v): %v", ev, err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// Problems writes problems one a line, with the file names reduced to
// their base so that golden files do not depend on the test's directory.
func Problems(probs []*importer.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		q := *p
		q.File = filepath.Base(q.File)
		b.WriteString(q.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// Golden compares got with the golden file at path, or rewrites the file
// when update is set.
func Golden(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s (rewrite with -update):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
