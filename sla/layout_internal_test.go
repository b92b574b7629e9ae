package sla

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordAt is where the allocator places a replay's record in a cache
// line: a block of more than 512 bytes that holds pointers starts with an
// 8-byte header (Go 1.22 and later), in a size class that is a multiple
// of 64 bytes. TestRecordLayout checks it on a record allocated.
const recordAt = 8

// lineSize is the cache line the record's layout is made for.
const lineSize = 64

// fieldAt returns the offset and size in the struct type t of the field
// named by path, dotted through nested structs ("st.ticket.ID"), and
// whether t has it.
func fieldAt(t reflect.Type, path string) (off, size uintptr, ok bool) {
	for name := range strings.SplitSeq(path, ".") {
		f, found := t.FieldByName(name)
		if !found {
			return 0, 0, false
		}
		off, t = off+f.Offset, f.Type
	}
	return off, t.Size(), true
}

// recordLines returns the cache lines (numbered from the record's first)
// that the field path of a replayTicket spans.
func recordLines(t *testing.T, path string) []uintptr {
	t.Helper()
	off, size, ok := fieldAt(reflect.TypeFor[replayTicket](), path)
	require.True(t, ok, "replayTicket has no field %s", path)
	var lines []uintptr
	for l := (recordAt + off) / lineSize; l <= (recordAt+off+size-1)/lineSize; l++ {
		lines = append(lines, l)
	}
	return lines
}

// TestRecordLayout pins the layout of a replay's ticket record that a
// replay with more open tickets than the processor's caches hold relies
// on: the fields most events read lie in 7 cache lines (listed by field,
// so that a field added in the wrong place moves one of them and fails);
// each memo lies in one line; the cycles come last and start a line (the
// first cycle's metric, start, deadline and stop then lie in one).
func TestRecordLayout(t *testing.T) {
	if reflect.TypeFor[uintptr]().Size() != 8 {
		t.Skip("the layout is for 64-bit platforms")
	}
	rec := newReplayTicket()
	require.Equal(t, uintptr(recordAt), reflect.ValueOf(rec).Pointer()%lineSize,
		"where the allocator places a record in a cache line (the layout below assumes it)")

	hot := []struct {
		line   uintptr
		fields []string
	}{
		{0, []string{"seen", "open", "st.ticket.ID"}},
		{1, []string{"st.ticket.Status", "st.ticket.Team"}},
		{4, []string{"st.ticket.CreatedAt", "st.events"}},
		{5, []string{"st.fireAt", "st.fireBy", "st.cycles"}},
		{6, []string{"st.nth", "st.more", "st.window", "st.breachFrom", "st.replied", "st.waiting", "st.fireBound",
			"st.olaShut", "st.lastRes", "st.unpaused", "st.ixPrio", "st.ixPol", "st.ixBy"}},
		{7, []string{"st.stats.at"}},
		{12, []string{"more.fails", "more.memos", "more.fired", "memos.lad", "memos.reads", "memos.least", "memos.known",
			"memos.ruled"}},
	}
	var lines []uintptr
	for _, h := range hot {
		lines = append(lines, h.line)
		for _, f := range h.fields {
			assert.Equal(t, []uintptr{h.line}, recordLines(t, f), "%s", f)
		}
	}
	// Fields that span two of those lines.
	for _, f := range []string{"st.lastAt", "st.open", "st.stats"} {
		for _, l := range recordLines(t, f) {
			assert.Contains(t, lines, l, "%s", f)
		}
	}
	// The ticket's rarely read attributes lie in lines of their own.
	for _, f := range []string{"st.ticket.Agent", "st.ticket.Tags", "st.ticket.Subject", "st.ticket.Customer.ID",
		"st.ticket.Customer.Tier", "st.ticket.Customer.Country", "st.ticket.Customer.Language"} {
		for _, l := range recordLines(t, f) {
			assert.NotContains(t, lines, l, "%s", f)
		}
	}
	// The rarely used part's fields that some events read (those of a
	// ticket with a CalendarBy or an OLA cycle) lie in the line before.
	assert.Equal(t, []uintptr{11}, recordLines(t, "more.calendar"))
	olas, _, _ := fieldAt(reflect.TypeFor[replayTicket](), "more.olas")
	assert.Equal(t, uintptr(12*lineSize), recordAt+olas+16, "the pointer and length of more.olas end line 11")
	// The room for a rule and the rules, written at creation, lie in one
	// line.
	assert.Equal(t, []uintptr{8}, slices.Compact(append(recordLines(t, "rule"), recordLines(t, "more.rules")...)))
	// The counts, read when a cycle starts, lie in one line.
	assert.Equal(t, []uintptr{17}, slices.Compact(append(recordLines(t, "counts"), recordLines(t, "count")[0])))

	// The window's list of ids seen and the room for its first two, read
	// at a WhatsApp message, lie in one line.
	assert.Equal(t, []uintptr{21}, slices.Compact(append(recordLines(t, "window.Seen"), recordLines(t, "ids")...)))

	memo := reflect.TypeFor[firingMemo]().Size()
	assert.Equal(t, uintptr(lineSize), memo, "a memo fills a cache line")
	off, _, _ := fieldAt(reflect.TypeFor[replayTicket](), "memos.m")
	assert.Zero(t, (recordAt+off)%lineSize, "each memo lies in one cache line")

	typ := reflect.TypeFor[replayTicket]()
	off, size, _ := fieldAt(typ, "cycles")
	assert.Zero(t, (recordAt+off)%lineSize, "the cycles start a cache line")
	assert.Equal(t, typ.Size(), off+size, "the cycles come last")
	assert.Equal(t, uintptr(22*lineSize), recordAt+off, "the record before its cycles fills 22 cache lines")
}
