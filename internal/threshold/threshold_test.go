package threshold_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/internal/threshold"
)

func TestOf(t *testing.T) {
	huge := time.Duration(math.MaxInt64)
	tests := []struct {
		name   string
		kind   uint8
		bp     int64
		offset time.Duration
		target time.Duration
		want   time.Duration
		ok     bool
	}{
		{"80% of 4h", threshold.Percent, 8000, 0, 4 * time.Hour, 192 * time.Minute, true},
		{"12.5% of 1h", threshold.Percent, 1250, 0, time.Hour, 450 * time.Second, true},
		{"150% of half the largest target, exact", threshold.Percent, 15000, 0, huge / 2, 6917529027641081854, true},
		{"150% of the largest target wraps below zero: zero", threshold.Percent, 15000, 0, huge, 0, true},
		{"breach", threshold.Breach, 0, 0, 8 * time.Hour, 8 * time.Hour, true},
		{"breach-30m", threshold.Breach, 0, -30 * time.Minute, 8 * time.Hour, 450 * time.Minute, true},
		{"breach-2h of 1h: never below zero", threshold.Breach, 0, -2 * time.Hour, time.Hour, 0, true},
		{"breach+2h saturates past the largest duration", threshold.Breach, 0, 2 * time.Hour, huge - time.Hour, huge, true},
		{"elapsed 20m, whatever the target", threshold.Elapsed, 0, 20 * time.Minute, 0, 20 * time.Minute, true},
		{"a window trigger has none", threshold.Elapsed + 1, 0, time.Hour, time.Hour, 0, false},
		{"the zero kind has none", 0, 8000, 0, time.Hour, 0, false},
	}
	for _, tt := range tests {
		got, ok := threshold.Of(tt.kind, tt.bp, tt.offset, tt.target)
		assert.Equal(t, tt.ok, ok, "%s: ok", tt.name)
		assert.Equal(t, tt.want, got, "%s: Of(%d, %d, %v, %v) = %v, want %v", tt.name, tt.kind, tt.bp, tt.offset, tt.target, got, tt.want)
	}
}

func TestAt(t *testing.T) {
	const from, due = int64(1_000_000_000_000), int64(1_000_000_000_000 + 70*int64(time.Hour)) // the deadline after a weekend
	tests := []struct {
		name            string
		from, due       int64
		hasDue          bool
		x, base, target time.Duration
		want            int64
		fromDue, ok     bool
	}{
		{"the time still missing", from, due, true, 2 * time.Hour, 30 * time.Minute, 4 * time.Hour, from + int64(90*time.Minute), false, true},
		{"reached already: from", from, due, true, time.Hour, 2 * time.Hour, 4 * time.Hour, from, false, true},
		{"past the target: the deadline plus the excess", from, due, true, 5 * time.Hour, 0, 4 * time.Hour, due + int64(time.Hour), true, true},
		{"past the target, no deadline", from, 0, false, 5 * time.Hour, 0, 4 * time.Hour, from + int64(5*time.Hour), false, true},
		{"past the target, the deadline earlier than from plus d", from, from, true, 5 * time.Hour, 0, 4 * time.Hour, from + int64(5*time.Hour), false, true},
		{"no target", from, due, true, 5 * time.Hour, 0, 0, from + int64(5*time.Hour), false, true},
		{"from plus d past the int64 range", math.MaxInt64 - 10, due, false, time.Hour, 0, 0, 0, false, false},
		{"the deadline plus the excess past it", from, math.MaxInt64 - 10, true, 5 * time.Hour, 0, 4 * time.Hour, 0, false, false},
	}
	for _, tt := range tests {
		got, fromDue, ok := threshold.At(tt.from, tt.due, tt.hasDue, tt.x, tt.base, tt.target)
		assert.Equal(t, tt.ok, ok, "%s: ok", tt.name)
		assert.Equal(t, tt.fromDue, fromDue, "%s: fromDue", tt.name)
		assert.Equal(t, tt.want, got, "%s", tt.name)
	}
}
