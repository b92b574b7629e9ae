package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	for _, want := range []string{
		"during lunch         Wed 04 Mar 12:20   Wed 04 Mar 13:15   Wed 04 Mar 14:00   Thu 05 Mar 11:00",
		"before Christmas     Wed 23 Dec 17:00   Wed 23 Dec 17:15   Wed 23 Dec 18:00   Mon 28 Dec 11:00",
		"business hours in December 2026: 200h0m0s",
	} {
		assert.Contains(t, out.String(), want)
	}
}
