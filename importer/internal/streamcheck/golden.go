package streamcheck

import (
	"encoding/json"
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
