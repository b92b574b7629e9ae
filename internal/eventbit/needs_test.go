package eventbit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNeedsHolds checks what an event must have by type.
func TestNeedsHolds(t *testing.T) {
	var n Needs
	n.Types = 1<<1 | 1<<2 // message, note
	n.Text = 1 << 1
	n.Authors[1] = []string{"customer"}
	n.Authors[2] = []string{"agent", "bot"}
	long := strings.Repeat("x", MaxAuthor+1)
	tests := []struct {
		name   string
		b      Set
		text   bool
		author string
		want   bool
	}{
		{"message with a text", 1 << 1, true, "agent", true},
		{"message of the customer", 1 << 1, false, "customer", true},
		{"message of an agent without text", 1 << 1, false, "agent", false},
		{"note with a text", 1 << 2, true, "customer", false},
		{"note of a bot", 1 << 2, false, "bot", true},
		{"note of an author too long to judge", 1 << 2, false, long, true},
		{"note of an author as long as judged", 1 << 2, false, long[1:], false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, n.Holds(tt.b, tt.text, tt.author), "%s: Holds(%b, %v, %q)", tt.name, tt.b, tt.text, tt.author)
	}
}
