package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/examples/internal/repo"
)

func TestReplaySummary(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, filepath.Join("..", "..")))
	for _, line := range []string{
		"20131 events, 3000 tickets, 2060 escalation levels fired, 0 events refused",
		"sla compliance 69.5%, fcr 32.2%, escalation rate 37.8%, reopen rate 8.0%, backlog 344",
		"goal sla_compliance       >= 95%   actual 69.5%    missed",
		"channel whatsapp tickets 1802  sla compliance 69.6%  first response p90 35m38s",
	} {
		assert.Contains(t, out.String(), line+"\n")
	}
}

func TestReplayMissingFiles(t *testing.T) {
	require.Error(t, run(&bytes.Buffer{}, t.TempDir()))
}

// TestReplayStrictEvents: a misspelt key is refused, not ignored.
func TestReplayStrictEvents(t *testing.T) {
	root := t.TempDir()
	pol, err := os.ReadFile(filepath.Join("..", "..", repo.Policy))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(repo.Policy)), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, repo.Policy), pol, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "testdata", "history"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "testdata", "history", "sample.jsonl"), []byte(
		`{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp"}`+"\n"+
			`{"ticket":"T1","at":"2026-03-02T09:06:00-03:00","type":"message","Author":"agent"}`+"\n"), 0o644))
	var out bytes.Buffer
	require.NoError(t, run(&out, root))
	assert.Contains(t, out.String(), "2 events, 1 tickets, 0 escalation levels fired, 1 events refused\n")
}
