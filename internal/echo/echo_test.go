package echo_test

import (
	"strings"
	"testing"

	"github.com/slakit/slakit/internal/echo"
	"github.com/stretchr/testify/assert"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"short", "abc", `"abc"`},
		{"at the bound", strings.Repeat("a", 64), `"` + strings.Repeat("a", 64) + `"`},
		{"long", strings.Repeat("a", 65), `"` + strings.Repeat("a", 64) + `"...`},
		{"rune at the cut", strings.Repeat("a", 63) + "é", `"` + strings.Repeat("a", 63) + `"...`},
	} {
		assert.Equal(t, tc.want, echo.Quote(tc.in), "Quote(%q)", tc.in)
	}
}

func TestList(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	for _, tc := range []struct {
		name  string
		names []string
		total int
		want  string
	}{
		{"all", names[:3], 3, "a, b, c"},
		{"first ten", names, 12, "a, b, c, d, e, f, g, h, i, j and 2 more"},
		{"given few of many", names[:2], 5, "a, b and 3 more"},
		{"long name quoted", []string{strings.Repeat("x", 70)}, 1, `"` + strings.Repeat("x", 64) + `"...`},
		{"none", nil, 0, ""},
	} {
		assert.Equal(t, tc.want, echo.List(tc.names, tc.total), tc.name)
	}
}
