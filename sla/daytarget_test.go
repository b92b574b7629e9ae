package sla_test

import (
	"testing"
	"time"

	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var dayTargetTests = []struct {
	in   string
	want sla.DayTarget
	err  string // the DayTargetError's Msg; "" for none
}{
	{"eod", sla.DayTarget{EndOfDay: true}, ""},
	{"3bd", sla.DayTarget{Days: 3}, ""},
	{"2bd@16:00", sla.DayTarget{Days: 2, At: 16 * time.Hour}, ""},
	{"1bd@0:05", sla.DayTarget{Days: 1, At: 5 * time.Minute}, ""},
	{"10000bd", sla.DayTarget{Days: 10000}, ""},
	{"0bd", sla.DayTarget{}, "want 1 to 10000 business days (eod for the same day)"},
	{"10001bd", sla.DayTarget{}, "want 1 to 10000 business days (eod for the same day)"},
	{"99999999999999999999bd", sla.DayTarget{}, "want 1 to 10000 business days (eod for the same day)"},
	{"2bd@24:00", sla.DayTarget{}, "time of day 24:00: want 00:00 to 23:59"},
	{"2bd@12:60", sla.DayTarget{}, "time of day 12:60: want 00:00 to 23:59"},
	{"3 bd", sla.DayTarget{}, "want business days such as 3bd or 2bd@16:00, or eod"},
	{"bd", sla.DayTarget{}, "want business days such as 3bd or 2bd@16:00, or eod"},
	{"EOD", sla.DayTarget{}, "want business days such as 3bd or 2bd@16:00, or eod"},
}

func TestParseDayTarget(t *testing.T) {
	for _, tc := range dayTargetTests {
		got, err := sla.ParseDayTarget(tc.in)
		if tc.err == "" {
			require.NoError(t, err, "ParseDayTarget(%q)", tc.in)
			assert.Equal(t, tc.want, got, "ParseDayTarget(%q)", tc.in)
			continue
		}
		var de *sla.DayTargetError
		require.ErrorAs(t, err, &de, "ParseDayTarget(%q)", tc.in)
		assert.Equal(t, tc.in, de.Text)
		assert.Equal(t, tc.err, de.Msg, "ParseDayTarget(%q)", tc.in)
		assert.ErrorIs(t, err, sla.ErrConfig)
	}
}

// A target ParseDayTarget accepts prints back as its own text and is a
// valid target of an engine.
func FuzzParseDayTarget(f *testing.F) {
	for _, tc := range dayTargetTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := sla.ParseDayTarget(s)
		if err != nil {
			assert.Empty(t, d, "ParseDayTarget(%q) = %v with an error", s, d)
			return
		}
		again, err := sla.ParseDayTarget(d.String())
		require.NoError(t, err, "ParseDayTarget(%q).String() = %q", s, d)
		assert.Equal(t, d, again)
		_, err = sla.NewEngine(sla.Config{Policies: []sla.Policy{{Name: "p",
			DayTargets: map[string]map[sla.Metric]sla.DayTarget{"normal": {sla.Resolution: d}}}}})
		assert.NoError(t, err, "ParseDayTarget(%q) = %v", s, d)
	})
}
