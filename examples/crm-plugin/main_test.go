package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCRMPlugin(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, filepath.Join("..", "..")))
	for _, line := range []string{
		"Mon 2 Mar 09:05 -03  T1  created: policy whatsapp, priority urgent, team billing; first_response due Mon 2 Mar 09:10; resolution due Mon 2 Mar 14:05; timer Mon 2 Mar 09:09",
		"Mon 2 Mar 09:09 -03  T1  escalation remind (first_response): type:notify,target:assignee; timer Mon 2 Mar 09:10",
		"Mon 2 Mar 09:10 -03  T1  timer: first_response breached; timer Mon 2 Mar 09:25",
		"Mon 2 Mar 11:10 -03  T1  escalation leadership (first_response): type:escalate,target:tier3, type:notify,target:leadership, type:set_priority,target:urgent; timer Mon 2 Mar 14:05",
		"Mon 2 Mar 11:30 -03  T1  agent message: policy whatsapp, priority urgent, team billing-specialists; first_response breached",
		"Tue 3 Mar 10:30 +01  T2  agent message: policy email, priority normal, team email-desk; first_response met",
		"Tue 3 Mar 09:05 -03  T1  timer: whatsapp window expired (closes Tue 3 Mar 09:05, free-form false); no timer",
		"Tue 3 Mar 17:00 -03  T3  timer: resolution breached",
		"end: 3 tickets in the database (5433 bytes of JSON), 1 timers set",
	} {
		assert.Contains(t, out.String(), line)
	}
	var again bytes.Buffer
	require.NoError(t, run(&again, filepath.Join("..", "..")))
	assert.Equal(t, out.String(), again.String(), "deterministic")
}

func TestCRMPluginMissingPolicy(t *testing.T) {
	require.Error(t, run(&bytes.Buffer{}, t.TempDir()))
}
