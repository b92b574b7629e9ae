package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo runs end to end: handshake, a refused unsigned delivery, a
// ticket opened from a signed message, the window closing, and a 131047
// failure.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, demo(&out, "../.."))
	for _, want := range []string{
		"handshake: 200 1158201444",
		"unsigned delivery: 401",
		"signed delivery: 200",
		"window open: free-form replies until Tue 05:58",
		"first_response: running, due Mon 08:15",
		"fired remind (first_response #1) at Mon 08:12: notify assignee",
		"window closing_soon",
		"window expired: only approved templates may be sent",
		"the window closed before the first reply",
	} {
		assert.Contains(t, out.String(), want)
	}
}
