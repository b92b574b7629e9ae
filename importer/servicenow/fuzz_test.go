package servicenow_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/streamcheck"
	"github.com/slakit/slakit/importer/servicenow"
)

// FuzzEvents: no input makes the reader panic, hang or break the stream
// rules (see streamcheck.Collect); no more records are counted than the
// input has lines, and every problem names the file.
func FuzzEvents(f *testing.F) {
	edge, err := os.ReadFile(filepath.Join(dir, "edge.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(edge))
	header := "number,incident_state,sys_updated_at,opened_at,priority,assignment_group,assigned_to,closed_at\n"
	for _, s := range []string{
		"INC1,New,01-03-2026 10:00,01-03-2026 10:00,3 - Moderate,G,?,?\nINC1,Closed,01-03-2026 11:00,01-03-2026 10:00,1,?,A,?\n",
		"INC1,Active,1/3/2026 9:00,01-03-2026 10:00,,\"G,1\",A,01-03-2026 12:00\nINC1,Resolved,1/3/2026 8:00,x,9,G,?,?\n",
		"\"INC1,New\n",
		"INC1,,,,,,,\n,,,,,,,\n",
	} {
		f.Add(header + s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := &servicenow.Reader{Zone: time.UTC}
		_, probs, err := streamcheck.Collect(r.Events(importer.Input{Name: "f.csv", R: strings.NewReader(in)}))
		if err != nil {
			t.Fatal(err)
		}
		if r.Records() > strings.Count(in, "\n")+1 {
			t.Fatalf("%d records from %d lines", r.Records(), strings.Count(in, "\n")+1)
		}
		for _, p := range probs {
			if p.File != "f.csv" {
				t.Fatalf("problem without the file: %v", p)
			}
		}
	})
}
