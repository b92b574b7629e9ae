package sla

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// TestRecordLayout pins the layout of a replay's ticket record that a
// replay with more open tickets than the processor's caches hold relies
// on: the record keeps its 2,560-byte size class; the state, the record's
// open indices and the part of stateMore most events read (calendar,
// fails, memos, olas, fired) lie in its first 9 cache lines, the latter
// in one line of its own; the cycles come last.
func TestRecordLayout(t *testing.T) {
	var r replayTicket
	assert.Equal(t, uintptr(2560), unsafe.Sizeof(r))
	assert.Zero(t, unsafe.Offsetof(r.more)%64, "stateMore starts a cache line")
	assert.Equal(t, uintptr(9*64), unsafe.Offsetof(r.more)+64)
	assert.LessOrEqual(t, unsafe.Offsetof(r.open)+unsafe.Sizeof(r.open), unsafe.Offsetof(r.more))
	for _, end := range []uintptr{unsafe.Offsetof(r.more.calendar) + unsafe.Sizeof(r.more.calendar), unsafe.Offsetof(r.more.fails) + 8,
		unsafe.Offsetof(r.more.memos) + 8, unsafe.Offsetof(r.more.olas) + unsafe.Sizeof(r.more.olas), unsafe.Offsetof(r.more.fired) + 8} {
		assert.LessOrEqual(t, end, uintptr(64))
	}
	assert.Equal(t, unsafe.Sizeof(r), unsafe.Offsetof(r.cycles)+unsafe.Sizeof(r.cycles), "the cycles come last")
}
