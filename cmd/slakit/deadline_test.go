package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseInstantWallClock checks how a wall-clock time is placed in the
// calendar's zone on the nights clocks change: one they skip moves forward
// by the gap's length, one they repeat is the first of the two instants.
func TestParseInstantWallClock(t *testing.T) {
	tests := []struct {
		zone, in, want, reason string
	}{
		{"America/Sao_Paulo", "2026-03-06T17:30", "2026-03-06T17:30:00-03:00", "an ordinary day"},
		{"America/Sao_Paulo", "2018-11-04T00:30", "2018-11-04T01:30:00-02:00", "in the gap (00:00-00:59 skipped): time.Date went back to Sat 23:30"},
		{"America/Sao_Paulo", "2018-11-04T00:00", "2018-11-04T01:00:00-02:00", "the gap's first instant"},
		{"America/Sao_Paulo", "2018-11-04", "2018-11-04T01:00:00-02:00", "a date: its midnight does not exist"},
		{"America/Sao_Paulo", "2018-11-04T01:00", "2018-11-04T01:00:00-02:00", "just after the gap"},
		{"America/Sao_Paulo", "2019-02-16T23:30", "2019-02-16T23:30:00-02:00", "repeated (23:00-23:59 twice): the first, in summer time"},
		{"America/Sao_Paulo", "2019-02-17T00:00", "2019-02-17T00:00:00-03:00", "just after the repeated hour"},
		{"Europe/Berlin", "2026-03-29T02:30", "2026-03-29T03:30:00+02:00", "in the gap (02:00-02:59 skipped)"},
		{"Europe/Berlin", "2026-03-29T02:59:59", "2026-03-29T03:59:59+02:00", "the gap's last second"},
		{"Europe/Berlin", "2026-10-25T02:30", "2026-10-25T02:30:00+02:00", "repeated: the first, in summer time; time.Date took the second"},
		{"Europe/Berlin", "2026-10-25T02:00", "2026-10-25T02:00:00+02:00", "the repeated hour's start"},
		{"Europe/Berlin", "2026-10-25T03:00", "2026-10-25T03:00:00+01:00", "just after the repeated hour"},
		{"America/New_York", "2026-03-08T02:30", "2026-03-08T03:30:00-04:00", "in the gap"},
		{"America/New_York", "2026-11-01T01:30", "2026-11-01T01:30:00-04:00", "repeated: the first, in daylight time"},
		{"Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-04T02:45:00+11:00", "a gap of half an hour"},
		{"Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-05T01:45:00+11:00", "half an hour repeated: the first"},
		{"America/Sao_Paulo", "2026-03-06T17:30:00-03:00", "2026-03-06T17:30:00-03:00", "RFC 3339 is read as it is"},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.in, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			require.NoError(t, err)
			got, err := parseInstant(tt.in, loc)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.In(loc).Format(time.RFC3339), tt.reason)
		})
	}
}

func TestDeadlineWallClockInGap(t *testing.T) {
	tests := []struct {
		name string
		args []string
		out  string
	}{
		{name: "from in the gap", args: []string{"--from", "2018-11-04T00:30", "--add", "1h", "--format", "json"},
			out: `{"add_seconds":3600,"calendar":"sp-support","due":"2018-11-05T09:00:00-02:00","from":"2018-11-04T01:30:00-02:00"}` + "\n"},
		{name: "between into the gap", args: []string{"--between", "2018-11-03T12:30", "2018-11-04T00:30"},
			out: "30m of business time (1800 seconds) from Sat 03 Nov 12:30 to Sun 04 Nov 01:30 in sp-support\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"deadline", "--policy", multidesk, "--calendar", "sp-support"}, tt.args...)...)
			assert.Equal(t, exitOK, code, errOut)
			assert.Equal(t, tt.out, out)
		})
	}
}
