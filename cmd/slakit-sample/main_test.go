package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/internal/sample"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"small history", []string{"-seed", "3", "-tickets", "20", "-weeks", "1", "-start", "2026-05-04"}, 0, ""},
		{"rfc3339 start", []string{"-tickets", "5", "-start", "2026-05-04T00:00:00Z"}, 0, ""},
		{"bad start", []string{"-start", "May 4"}, 2, "want YYYY-MM-DD"},
		{"zero tickets", []string{"-tickets", "0"}, 2, "must be positive"},
		{"extra argument", []string{"x"}, 2, "unexpected argument"},
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.Equal(t, tt.status, run(tt.args, &out, &errb), errb.String())
			assert.Contains(t, errb.String(), tt.stderr)
			if tt.status == 0 {
				assert.True(t, strings.HasPrefix(out.String(), `{"ticket":"T1",`), out.String())
			}
		})
	}
}

// TestDefaultFile checks that the defaults written to a file give the
// committed sample.
func TestDefaultFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.jsonl")
	var errb bytes.Buffer
	require.Equal(t, 0, run([]string{"-o", path}, &bytes.Buffer{}, &errb), errb.String())
	assert.Contains(t, errb.String(), "events of 3000 tickets written")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	var want bytes.Buffer
	_, err = sample.Write(&want, sample.Default())
	require.NoError(t, err)
	require.True(t, bytes.Equal(want.Bytes(), got))
}
