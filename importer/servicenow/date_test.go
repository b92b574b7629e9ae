package servicenow

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		name, in string
		loc      *time.Location
		want     string // RFC 3339; "" for an error
	}{
		{"dashes", "29-02-2016 01:16", sp, "2016-02-29T01:16:00-03:00"},
		{"slashes short", "3/3/2026 8:05", sp, "2026-03-03T08:05:00-03:00"},
		{"seconds", "03-03-2026 08:05:09", time.UTC, "2026-03-03T08:05:09Z"},
		{"summer time in Sao Paulo 2016", "01-02-2016 10:00", sp, "2016-02-01T10:00:00-02:00"},
		{"New York DST gap moves on", "08-03-2026 02:30", ny, "2026-03-08T03:30:00-04:00"},
		{"New York DST overlap is the first", "01-11-2026 01:30", ny, "2026-11-01T01:30:00-04:00"},
		{"Berlin summer", "29-03-2026 03:00", berlin, "2026-03-29T03:00:00+02:00"},
		{"Berlin DST overlap is the first", "25-10-2026 02:30", berlin, "2026-10-25T02:30:00+02:00"},
		{"Sao Paulo DST gap at midnight moves on", "04-11-2018 00:30", sp, "2018-11-04T01:30:00-02:00"},
		{"Sao Paulo DST overlap is the first", "16-02-2019 23:30", sp, "2019-02-16T23:30:00-02:00"},
		{"leap day", "29-02-2024 00:00", time.UTC, "2024-02-29T00:00:00Z"},
		{"no leap day", "29-02-2026 00:00", time.UTC, ""},
		{"mixed separators", "29-02/2016 01:16", time.UTC, ""},
		{"iso", "2016-02-29 01:16", time.UTC, ""},
		{"no time", "29-02-2016", time.UTC, ""},
		{"hour 24", "01-03-2016 24:00", time.UTC, ""},
		{"trailing colon", "01-03-2016 10:00:", time.UTC, ""},
		{"too many digits", "001-03-2016 10:00", time.UTC, "2016-03-01T10:00:00Z"},
		{"five digit year", "01-03-20160 10:00", time.UTC, ""},
		{"empty", "", time.UTC, ""},
		{"question mark", "?", time.UTC, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTime(tt.in, tt.loc)
			if tt.want == "" {
				assert.Error(t, err, "parseTime(%q) = %v", tt.in, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Format(time.RFC3339), "parseTime(%q)", tt.in)
		})
	}
}
