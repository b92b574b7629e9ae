package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, filepath.Join("..", "..")))
	for _, line := range []string{
		"T1 at Mon 11:55: policy whatsapp, priority normal, team billing, status new",
		"  first_response  running  due Mon 13:05  elapsed 5m0s of 15m0s",
		"  whatsapp window open, closes Tue 11:50, free-form allowed: true",
		"  look again at Mon 13:02",
		"  first_response  met      due Mon 13:05  elapsed 12m0s of 15m0s",
	} {
		assert.Contains(t, out.String(), line+"\n")
	}
	var again bytes.Buffer
	require.NoError(t, run(&again, filepath.Join("..", "..")))
	assert.Equal(t, out.String(), again.String(), "deterministic")
}

func TestQuickstartMissingPolicy(t *testing.T) {
	require.Error(t, run(&bytes.Buffer{}, t.TempDir()))
}
