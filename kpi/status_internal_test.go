package kpi

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// modelStay is one stay of the model: a status entered at an instant.
type modelStay struct {
	status sla.Status
	at     time.Time
}

// statusModel is time in status written plainly: every ticket's stays in
// a map of slices, an instant as a time.Time. The accumulator's compact
// tracks must agree with it on every history.
type statusModel struct {
	stays  map[string][]modelStay
	latest time.Time
}

// closedAt returns the instant the stays end with a close at, zero if
// they do not (a close at the zero instant is no close).
func closedAt(stays []modelStay) time.Time {
	if last := stays[len(stays)-1]; last.status == sla.StatusClosed {
		return last.at
	}
	return time.Time{}
}

func (m *statusModel) observe(ev sla.Event) {
	if ev.TicketID == "" {
		return
	}
	if ev.At.After(m.latest) {
		m.latest = ev.At
	}
	stays, known := m.stays[ev.TicketID]
	switch ev.Type {
	case sla.EventCreated:
		st := ev.Status
		if st == "" {
			st = sla.StatusNew
		}
		if !known && slices.Contains(sla.Statuses(), st) {
			m.stays[ev.TicketID] = []modelStay{{st, ev.At}}
		}
		return
	case sla.EventStatus, sla.EventMessage:
	default:
		return
	}
	if !known || !closedAt(stays).IsZero() {
		return
	}
	cur := stays[len(stays)-1]
	if ev.At.Before(cur.at) {
		return
	}
	next := cur.status
	if ev.Type == sla.EventStatus && slices.Contains(sla.Statuses(), ev.Status) {
		next = ev.Status
	}
	if ev.Type == sla.EventMessage && (ev.Author == "" || ev.Author == sla.AuthorCustomer) &&
		(cur.status == sla.StatusSolved || cur.status == sla.StatusPending) {
		next = sla.StatusOpen
	}
	if next != cur.status {
		m.stays[ev.TicketID] = append(stays, modelStay{next, ev.At})
	}
}

// finish returns the time of id in each measured status, in order of
// first stay, and forgets the ticket.
func (m *statusModel) finish(id string, cal *calendar.Calendar, at time.Time) []statusTime {
	stays := m.stays[id]
	delete(m.stays, id)
	if len(stays) == 0 {
		return nil
	}
	end := closedAt(stays)
	if end.IsZero() {
		end = at
	}
	if end.IsZero() {
		end = m.latest
	}
	var out []statusTime
	for i, s := range stays {
		to := end
		if i+1 < len(stays) {
			to = stays[i+1].at
		}
		if !slices.Contains(sla.ActiveStatuses(), s.status) || !to.After(s.at) {
			continue
		}
		k := slices.IndexFunc(out, func(x statusTime) bool { return x.status == s.status })
		if k < 0 {
			k = len(out)
			out = append(out, statusTime{status: s.status})
		}
		out[k].wall += int64(to.Sub(s.at) / time.Second)
		out[k].business += max(int64(cal.Between(s.at, to)/time.Second), 0)
	}
	return out
}

// randomStatusHistory feeds an accumulator and the model the same random
// history of a few tickets, finishing (or skipping) tickets as it goes,
// and fails t where they disagree. The history has what the tracks must
// get right: ids of 15 and 16 bytes and ids that differ by a zero byte,
// histories longer than the spans held in place, events out of order, at
// the zero instant and in other zones, unknown statuses, events after a
// close, tickets created twice or created again once added. It observes
// through Observe and Observer alike.
func randomStatusHistory(t *testing.T, seed uint64, events int, at time.Time) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	berlin, err := calendar.New(calendar.Spec{Timezone: "Europe/Berlin",
		Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2026-04-06"}})
	require.NoError(t, err)
	calOf := func(policy, _ string) *calendar.Calendar {
		if policy == "berlin" {
			return berlin
		}
		return nil
	}
	a, err := New(Config{Calendar: calOf, At: at})
	require.NoError(t, err)
	observe := a.Observer()
	m := &statusModel{stays: map[string][]modelStay{}}
	ids := []string{"T1", "T2", "T1\x00", "T", "", "0123456789abcde", "0123456789abcdef", "INC0012345-long-id-of-a-ticket"}
	statuses := append(sla.Statuses(), "", "escalated")
	authors := []sla.Author{"", sla.AuthorCustomer, sla.AuthorAgent, sla.AuthorBot}
	types := []sla.EventType{sla.EventCreated, sla.EventStatus, sla.EventStatus, sla.EventMessage, sla.EventMessage, sla.EventAssign}
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	// Sunday 29 March 2026, the day Berlin moves to summer time.
	now := time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)
	var prev sla.Event
	for range events {
		if rng.IntN(3) > 0 {
			now = now.Add(time.Duration(rng.IntN(9*3600)) * time.Second)
		}
		now = now.Add(time.Duration(rng.IntN(1000)))
		ev := sla.Event{TicketID: ids[rng.IntN(len(ids))], At: now, Type: types[rng.IntN(len(types))],
			Status: statuses[rng.IntN(len(statuses))], Author: authors[rng.IntN(len(authors))]}
		switch rng.IntN(20) {
		case 0:
			ev.At = now.Add(-time.Duration(rng.IntN(48)) * time.Hour) // out of order
		case 1:
			ev.At = time.Time{}
		case 2:
			ev.At = now.In(sp)
		case 3, 4: // the previous event's ticket, nanoseconds before it
			ev.TicketID, ev.At = prev.TicketID, prev.At.Add(-time.Duration(1+rng.IntN(999)))
		}
		prev = ev
		if rng.IntN(2) == 0 {
			a.Observe(ev)
		} else {
			observe(&ev)
		}
		m.observe(ev)
		if rng.IntN(8) > 0 {
			continue
		}
		id := ids[rng.IntN(len(ids))]
		r := sla.Result{View: sla.View{Ticket: id, Status: sla.StatusOpen, Policy: []string{"berlin", "any"}[rng.IntN(2)]}}
		if rng.IntN(4) == 0 {
			a.Add(sla.Result{View: sla.View{Ticket: id}}) // no status: skipped, and forgotten
			m.finish(id, nil, at)
			continue
		}
		want := m.finish(id, calOf(r.Policy, ""), at)
		got := a.status.finish(&r, &a.calendars, a.cfg.At)
		require.Equal(t, want, keptTimes(got), "seed %d: time in status of %q at %v", seed, id, now)
	}
	for _, id := range ids {
		r := sla.Result{View: sla.View{Ticket: id, Status: sla.StatusOpen, Policy: "berlin"}}
		want := m.finish(id, berlin, at)
		assert.Equal(t, want, keptTimes(a.status.finish(&r, &a.calendars, a.cfg.At)), "seed %d: time in status of %q at the end", seed, id)
	}
}

// keptTimes copies what finish returns (nil for none): it is valid only
// until the next finish.
func keptTimes(st []statusTime) []statusTime {
	if len(st) == 0 {
		return nil
	}
	return slices.Clone(st)
}

func TestStatusTracksAgreeWithModel(t *testing.T) {
	tests := []struct {
		name    string
		seed    uint64
		events  int
		at      time.Time
		collide bool
		// hashBits are the bits of a hash kept when collide is set (zero:
		// every short id has one hash).
		hashBits uint32
		reason   string
	}{
		{name: "short history", seed: 1, events: 40},
		{name: "long histories", seed: 2, events: 3000},
		{name: "evaluated at an instant", seed: 3, events: 3000, at: time.Date(2026, 4, 20, 12, 0, 0, 0, time.UTC)},
		{name: "another history", seed: 4, events: 3000},
		{name: "every short id with one hash", seed: 5, events: 3000, collide: true,
			reason: "a ticket whose hash another tracked ticket holds is found by its id"},
		{name: "two hashes", seed: 6, events: 3000, collide: true, hashBits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.collide {
				defer func() { hashBits = ^uint32(0) }()
				hashBits = tt.hashBits
			}
			randomStatusHistory(t, tt.seed, tt.events, tt.at)
		})
	}
}

func FuzzStatusTracks(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		f.Add(seed, uint16(500))
	}
	f.Fuzz(func(t *testing.T, seed uint64, events uint16) {
		randomStatusHistory(t, seed, int(events%4000), time.Time{})
	})
}

// String returns the id k holds.
func (k shortID) String() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], k.lo)
	binary.LittleEndian.PutUint64(b[8:], k.hi)
	return string(b[:b[15]])
}

func TestShortKey(t *testing.T) {
	tests := []struct {
		a, b  string
		same  bool
		short bool // a is short enough
	}{
		{a: "T1", b: "T1", same: true, short: true},
		{a: "T1", b: "T1\x00", short: true},
		{a: "", b: "\x00", short: true},
		{a: "0123456789abcde", b: "0123456789abcde", same: true, short: true},
		{a: "01234567", b: "01234567\x00", short: true},
		{a: "01234567", b: "0123456", short: true},
		{a: "0123456789", b: "0123456789", same: true, short: true},
		{a: "0123456789", b: "0123456788", short: true},
		{a: "abcd", b: "abcd\x00", short: true},
		{a: "abcde", b: "abcdf", short: true},
		{a: "abc", b: "abd", short: true},
		{a: "012345678901234", b: "012345678901235", short: true},
		{a: "0123456789abcdef", b: "0123456789abcdef", same: true},
	}
	for _, tt := range tests {
		ka, oka := shortKey(tt.a)
		kb, okb := shortKey(tt.b)
		assert.Equal(t, tt.short, oka, "shortKey(%q) short", tt.a)
		if oka && okb {
			assert.Equal(t, tt.same, ka == kb, "shortKey(%q) == shortKey(%q)", tt.a, tt.b)
		}
		if oka {
			assert.Equal(t, tt.a, ka.String(), "the id shortKey(%q) holds", tt.a)
		}
	}
}

func TestCalendarCache(t *testing.T) {
	cals := map[string]*calendar.Calendar{}
	calls := map[[2]string]int{}
	c := calendarCache{calOf: func(policy, name string) *calendar.Calendar {
		calls[[2]string{policy, name}]++
		return cals[policy+"/"+name]
	}}
	var want []*calendar.Calendar
	var keys [][2]string
	for i := range 2 * maxKnownCalendars {
		cal, err := calendar.New(calendar.Spec{Timezone: "America/New_York", Hours: map[string][]string{"mon-fri": {"09:00-17:00"}}})
		require.NoError(t, err)
		k := [2]string{string(rune('a' + i)), "x"}
		cals[k[0]+"/"+k[1]] = cal
		keys, want = append(keys, k), append(want, cal)
	}
	for range 3 {
		for i, k := range keys {
			assert.Same(t, want[i], c.of(k[0], k[1]), "calendar of %v", k)
		}
	}
	assert.Equal(t, 1, calls[keys[0]], "the first calendars are asked for once")
	assert.Equal(t, 3, calls[keys[len(keys)-1]], "past the cache, every time")
	assert.Nil(t, (&calendarCache{}).of("p", "c"), "no Calendar function: 24x7")
}

func TestStatusCodes(t *testing.T) {
	for i, s := range sla.Statuses() {
		code, ok := statusCodeOf(s)
		require.True(t, ok, "statusCodeOf(%q) known", s)
		assert.Equal(t, statusCode(i), code, "statusCodeOf(%q) = its place in the life cycle", s)
		assert.Equal(t, slices.Contains(sla.ActiveStatuses(), s), code < measuredCodes, "%q measured", s)
	}
	named := map[statusCode]sla.Status{openCode: sla.StatusOpen, pendingCode: sla.StatusPending,
		solvedCode: sla.StatusSolved, closedCode: sla.StatusClosed}
	for code, s := range named {
		assert.Equal(t, s, allStatuses[code])
	}
	_, ok := statusCodeOf("escalated")
	assert.False(t, ok, "an unknown status has no code")
}
