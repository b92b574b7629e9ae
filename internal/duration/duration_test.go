package duration_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/internal/duration"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  error
	}{
		{"90s", 90 * time.Second, nil},
		{" 1h30m ", 90 * time.Minute, nil},
		{"-2h", -2 * time.Hour, nil},
		{"3d", 0, duration.ErrDays},
		{"1D", 0, duration.ErrDays},
		{"soon", 0, duration.ErrSyntax},
		{"", 0, duration.ErrSyntax},
		{"15", 0, duration.ErrSyntax},
	}
	for _, tt := range tests {
		got, err := duration.Parse(tt.in)
		assert.Equal(t, tt.want, got, "Parse(%q)", tt.in)
		assert.ErrorIs(t, err, tt.err, "Parse(%q)", tt.in)
		if tt.err == nil {
			assert.NoError(t, err, "Parse(%q)", tt.in)
		}
	}
}
