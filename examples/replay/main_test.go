package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
