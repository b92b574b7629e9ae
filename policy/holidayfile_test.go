package policy_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
)

// A calendar's holiday file is read next to the policy file; a missing one is an error at
// its entry.
func TestHolidayFileNextToPolicy(t *testing.T) {
	dir := t.TempDir()
	doc := "version: 1\ncalendars:\n  desk:\n    timezone: Europe/Berlin\n    hours: {mon-fri: [\"09:00-17:00\"]}\n    holidays: [de-be, closures.ics]\npriorities: [normal]\n"
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n" +
		"DTSTART;VALUE=DATE:20260803\r\nDTEND;VALUE=DATE:20260808\r\nSUMMARY:Summer shutdown\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(doc), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "closures.ics"), []byte(ics), 0o644))

	set, err := policy.LoadFile(filepath.Join(dir, "policy.yaml"))
	require.NoError(t, err)
	cal := set.Calendar("desk")
	berlin := cal.Location()
	got := cal.Closures(time.Date(2026, 8, 1, 0, 0, 0, 0, berlin), time.Date(2026, 8, 10, 0, 0, 0, 0, berlin))
	require.Len(t, got, 5)
	assert.Equal(t, "Summer shutdown", got[0].Name)
	assert.Equal(t, "closures.ics", got[0].Source)

	require.NoError(t, os.Remove(filepath.Join(dir, "closures.ics")))
	_, err = policy.LoadFile(filepath.Join(dir, "policy.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `policy.yaml:6:23: calendars.desk.holidays[1]: "closures.ics": cannot use holiday file: open closures.ics:`)

	// A document read from a stream has no directory to read files from.
	_, err = policy.Load("doc.yaml", []byte(doc))
	assert.ErrorContains(t, err, "holiday files are read only from a policy loaded from a file")
}
