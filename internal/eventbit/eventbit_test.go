package eventbit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNames checks that each name has a bit of its own in a Set.
func TestNames(t *testing.T) {
	var all Set
	require.LessOrEqual(t, len(Names), 16, "a Set holds 16 types")
	seen := map[string]bool{}
	for i, name := range Names {
		assert.NotEmpty(t, name, "bit %d", i)
		assert.False(t, seen[name], "%s twice", name)
		seen[name] = true
		all |= 1 << i
	}
	assert.Equal(t, Set(1)<<len(Names)-1, all)
	assert.Equal(t, all, All)
}
