package sla

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCycleLayout pins a cycle's size and its fields' order and offsets
// (64-bit platforms), so that a field added later fails here: a cycle
// is read by every event and every result of its ticket, and a larger one
// is more cache lines to read (a field few cycles need belongs in
// cycleExt).
func TestCycleLayout(t *testing.T) {
	if reflect.TypeFor[uintptr]().Size() != 8 {
		t.Skip("offsets are for 64-bit platforms")
	}
	typ := reflect.TypeFor[cycle]()
	require.Equal(t, uintptr(112), typ.Size())
	want := []struct {
		name string
		off  uintptr
	}{{"Metric", 0}, {"Start", 16}, {"due", 40}, {"stopped", 64}, {"ext", 72}, {"Target", 80}, {"Base", 88},
		{"Fired", 96}, {"N", 104}, {"Cancel", 108}, {"State", 109}, {"marks", 110}, {"counted", 111}}
	require.Equal(t, len(want), typ.NumField(), "the cycle's fields")
	for i, w := range want {
		f := typ.Field(i)
		assert.Equal(t, w.name, f.Name, "field %d", i)
		assert.Equal(t, w.off, f.Offset, "offset of %s", w.name)
	}
}
