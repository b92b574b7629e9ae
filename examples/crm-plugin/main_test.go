package main

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "../.."

func TestCRMPlugin(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, root, filepath.Join(t.TempDir(), "a.db")))
	for _, line := range []string{
		"Mon 2 Mar 09:05 -03  T1  created: policy whatsapp, priority urgent, team billing; first_response due Mon 2 Mar 09:10; resolution due Mon 2 Mar 14:05; timer Mon 2 Mar 09:09",
		"Mon 2 Mar 09:09 -03  T1  escalation remind (first_response): type:notify,target:assignee; timer Mon 2 Mar 09:10",
		"Mon 2 Mar 09:10 -03  T1  timer: first_response breached; timer Mon 2 Mar 09:25",
		"Mon 2 Mar 11:10 -03  T1  escalation leadership (first_response): type:escalate,target:tier3, type:notify,target:leadership, type:set_priority,target:urgent; timer Mon 2 Mar 14:05",
		"Mon 2 Mar 11:30 -03  T1  agent message: policy whatsapp, priority urgent, team billing-specialists; first_response breached",
		"Tue 3 Mar 10:30 +01  T2  agent message: policy email, priority normal, team email-desk; first_response met",
		"Tue 3 Mar 09:05 -03  T1  timer: whatsapp window expired (closes Tue 3 Mar 09:05, free-form false); no timer",
		"Tue 3 Mar 17:00 -03  T3  timer: resolution breached",
		"end: 3 tickets in the database (6065 bytes of JSON), 10 events applied, 1 timers set",
	} {
		assert.Contains(t, out.String(), line)
	}
	var again bytes.Buffer
	require.NoError(t, run(&again, root, filepath.Join(t.TempDir(), "b.db")))
	assert.Equal(t, out.String(), again.String(), "deterministic")
	require.NoError(t, runMain(&again, root, ""), "a temporary database")
}

func TestCRMPluginMissingPolicy(t *testing.T) {
	require.Error(t, run(&bytes.Buffer{}, t.TempDir(), filepath.Join(t.TempDir(), "a.db")))
}

// dump returns every row of the database, for comparing two runs.
func dump(t *testing.T, p *plugin) string {
	t.Helper()
	var b strings.Builder
	rows, err := p.db.Query(`SELECT id, state, coalesce(next_wake, -1) FROM tickets ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var id, state string
		var wake int64
		require.NoError(t, rows.Scan(&id, &state, &wake))
		fmt.Fprintf(&b, "%s %d %s\n", id, wake, state)
	}
	require.NoError(t, rows.Err())
	var applied int
	require.NoError(t, p.db.QueryRow(`SELECT count(*) FROM applied`).Scan(&applied))
	fmt.Fprintf(&b, "applied %d\n", applied)
	return b.String()
}

// reference runs the whole simulation once, without interruption.
func reference(t *testing.T) (out, db string) {
	t.Helper()
	set, eng, err := loadEngine(root)
	require.NoError(t, err)
	var w bytes.Buffer
	p, err := openPlugin(set, eng, filepath.Join(t.TempDir(), "ref.db"), &w)
	require.NoError(t, err)
	defer p.Close()
	events, end := history(set)
	require.NoError(t, p.simulate(events, end))
	return w.String(), dump(t, p)
}

// restart runs first on a new database, closes it, opens it again and
// redelivers every event, as a CRM does after a restart; the output and
// the database must then be those of a run without interruption.
func restart(t *testing.T, first func(p *plugin, events []crmEvent, end time.Time)) {
	t.Helper()
	wantOut, wantDB := reference(t)
	set, eng, err := loadEngine(root)
	require.NoError(t, err)
	events, end := history(set)
	path := filepath.Join(t.TempDir(), "crm.db")
	var out bytes.Buffer
	p, err := openPlugin(set, eng, path, &out)
	require.NoError(t, err)
	first(p, events, end)
	require.NoError(t, p.Close())

	p, err = openPlugin(set, eng, path, &out)
	require.NoError(t, err)
	defer p.Close()
	require.NoError(t, p.simulate(events, end))
	assert.Equal(t, wantOut, out.String())
	assert.Equal(t, wantDB, dump(t, p))
}

// TestRestart stops the plugin in the middle: nothing is lost and nothing
// is applied twice.
func TestRestart(t *testing.T) {
	for _, k := range []int{1, 4, 9} {
		t.Run(fmt.Sprintf("after %d events", k), func(t *testing.T) {
			restart(t, func(p *plugin, events []crmEvent, _ time.Time) {
				require.NoError(t, p.simulate(events[:k], events[k].At.Add(-1)))
			})
		})
	}
}

// TestCrash fails a transaction just before its commit (a crash between
// reading the state and writing it back), then restarts: the event or the
// timer is done exactly once.
func TestCrash(t *testing.T) {
	crash := errors.New("power cut")
	for _, at := range []string{"event crm-01", "event crm-05", "wake T1", "wake T3"} {
		t.Run(at, func(t *testing.T) {
			restart(t, func(p *plugin, events []crmEvent, end time.Time) {
				p.beforeCommit = func(what string) error {
					if what == at {
						return crash
					}
					return nil
				}
				require.ErrorIs(t, p.simulate(events, end), crash)
			})
		})
	}
}

func TestRedelivery(t *testing.T) {
	set, eng, err := loadEngine(root)
	require.NoError(t, err)
	p, err := openPlugin(set, eng, filepath.Join(t.TempDir(), "crm.db"), &bytes.Buffer{})
	require.NoError(t, err)
	defer p.Close()
	events, _ := history(set)
	ok, err := p.event(events[0])
	require.NoError(t, err)
	assert.True(t, ok)
	before := dump(t, p)
	ok, err = p.event(events[0])
	require.NoError(t, err)
	assert.False(t, ok, "a redelivered event is not applied again")
	assert.Equal(t, before, dump(t, p))

	// An event the engine refuses rolls its transaction back: it is not
	// marked applied, so a corrected redelivery can still be applied.
	bad := events[1]
	bad.Priority, bad.Type = "someday", "priority"
	_, err = p.event(bad)
	require.Error(t, err)
	assert.Equal(t, before, dump(t, p))
}
