package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/calendar"
)

func TestHolidayFiles(t *testing.T) {
	spec := calendar.Spec{Timezone: "UTC", Hours: map[string][]string{"daily": {"09:00-17:00"}}, Holidays: []string{"Team.ics"}}
	files := func(hs []calendar.FileHoliday, err error) calendar.Option {
		return calendar.WithHolidayFiles(func(name string) ([]calendar.FileHoliday, error) {
			assert.Equal(t, "Team.ics", name, "the name as written")
			return hs, err
		})
	}
	c, err := calendar.New(spec, files([]calendar.FileHoliday{
		{Name: "Offsite", Year: 2026, Month: time.October, Day: 15, Days: 2},
		{Month: time.February, Day: 29, Days: 1},
	}, nil))
	require.NoError(t, err)
	var got []string
	for _, cl := range c.Closures(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)) {
		got = append(got, cl.Date.Format(time.DateOnly)+" "+cl.Name+" "+cl.Source)
	}
	assert.Equal(t, []string{"2026-10-15 Offsite Team.ics", "2026-10-16 Offsite Team.ics", "2028-02-29 holiday Team.ics"}, got)

	for name, tt := range map[string]struct {
		opt  calendar.Option
		want string
	}{
		"read error":     {files(nil, errors.New("open Team.ics: no such file")), "cannot use holiday file: open Team.ics: no such file"},
		"impossible":     {files([]calendar.FileHoliday{{Name: "x", Year: 2026, Month: 2, Day: 30, Days: 1}}, nil), `"x": impossible date 2026-02-30`},
		"no days":        {files([]calendar.FileHoliday{{Year: 2026, Month: 2, Day: 3}}, nil), "impossible date"},
		"too many days":  {files([]calendar.FileHoliday{{Year: 1990, Month: 1, Day: 1, Days: 300}, {Month: 1, Day: 1, Days: 300}}, nil), "closures add up to more than 36600 days"},
		"without reader": {nil, "holiday files are read only from a policy loaded from a file"},
	} {
		t.Run(name, func(t *testing.T) {
			var opts []calendar.Option
			if tt.opt != nil {
				opts = append(opts, tt.opt)
			}
			_, err := calendar.New(spec, opts...)
			require.ErrorIs(t, err, calendar.ErrHolidayFile)
			assert.Contains(t, err.Error(), `calendar: holidays[0]: "Team.ics": `+"cannot use holiday file")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
