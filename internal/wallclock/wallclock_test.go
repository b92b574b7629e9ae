package wallclock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIn(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	sp, berlin, ny, lordHowe := zone("America/Sao_Paulo"), zone("Europe/Berlin"), zone("America/New_York"), zone("Australia/Lord_Howe")
	troll, moscow := zone("Antarctica/Troll"), zone("Europe/Moscow")
	for _, tt := range []struct {
		name, wall string
		loc        *time.Location
		want       string
	}{
		{"plain", "2026-03-06T17:30:00", sp, "2026-03-06T17:30:00-03:00"},
		{"Berlin gap moves forward", "2026-03-29T02:30:00", berlin, "2026-03-29T03:30:00+02:00"},
		{"Berlin overlap, the first", "2026-10-25T02:30:00", berlin, "2026-10-25T02:30:00+02:00"},
		{"Berlin after the overlap", "2026-10-25T03:00:00", berlin, "2026-10-25T03:00:00+01:00"},
		{"New York gap moves forward", "2026-03-08T02:30:00", ny, "2026-03-08T03:30:00-04:00"},
		{"New York overlap, the first", "2026-11-01T01:30:00", ny, "2026-11-01T01:30:00-04:00"},
		{"Sao Paulo gap at midnight", "2018-11-04T00:30:00", sp, "2018-11-04T01:30:00-02:00"},
		{"Sao Paulo overlap before midnight, the first", "2019-02-16T23:30:00", sp, "2019-02-16T23:30:00-02:00"},
		{"Lord Howe half-hour gap", "2026-10-04T02:15:00", lordHowe, "2026-10-04T02:45:00+11:00"},
		{"Lord Howe half-hour overlap, the first", "2026-04-05T01:45:00", lordHowe, "2026-04-05T01:45:00+11:00"},
		{"Troll two-hour gap", "2026-03-29T01:30:00", troll, "2026-03-29T03:30:00+02:00"},
		{"Troll two-hour overlap, the first", "2026-10-25T02:30:00", troll, "2026-10-25T02:30:00+02:00"},
		{"Moscow standard time moved back, the first", "2014-10-26T01:30:00", moscow, "2014-10-26T01:30:00+04:00"},
		{"UTC", "2026-03-06T17:30:00", time.UTC, "2026-03-06T17:30:00Z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := time.Parse("2006-01-02T15:04:05", tt.wall)
			require.NoError(t, err)
			assert.Equal(t, tt.want, In(w, tt.loc).Format(time.RFC3339))
		})
	}
}
