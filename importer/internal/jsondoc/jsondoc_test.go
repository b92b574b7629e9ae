package jsondoc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplit(t *testing.T) {
	doc := `{
  "audits": [
    {"id": 1},
    {"id": 2,
     "events": []}, {"id": 3}
  ],
  "users": [{"id": 7}],
  "next_page": null,
  "data": {"meta": {"x": [1, 2]}, "payload": [
    {"id": 9}
  ]},
  "other": [[{"deep": 1}]]
}`
	got, err := Split([]byte(doc), "audits", "users", "data.payload", "missing")
	require.NoError(t, err)
	type rec struct {
		Path string
		Line int
		Raw  string
	}
	var flat []rec
	for _, p := range []string{"audits", "users", "data.payload"} {
		for _, r := range got[p] {
			flat = append(flat, rec{r.Path, r.Line, string(r.Raw)})
		}
	}
	assert.Equal(t, []rec{
		{"audits[0]", 3, `{"id": 1}`},
		{"audits[1]", 4, "{\"id\": 2,\n     \"events\": []}"},
		{"audits[2]", 5, `{"id": 3}`},
		{"users[0]", 7, `{"id": 7}`},
		{"data.payload[0]", 10, `{"id": 9}`},
	}, flat)
	assert.NotContains(t, got, "missing")

	top, err := Split([]byte("[\n{\"a\":1},\n{\"a\":2}]"), "")
	require.NoError(t, err)
	require.Len(t, top[""], 2)
	assert.Equal(t, "[1]", top[""][1].Path)
	assert.Equal(t, 3, top[""][1].Line)
}

// TestSplitDeep: a deeply nested document is skipped, not walked: the
// descent stops where no wanted path lies.
func TestSplitDeep(t *testing.T) {
	deep := strings.Repeat(`{"": `, 100000) + "[1]" + strings.Repeat("}", 100000)
	got, err := Split([]byte(deep), "", "audits")
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = Split([]byte(`{"": [1], "audits": [2]}`), "", "audits")
	require.NoError(t, err)
	assert.Len(t, got["audits"], 1)
	assert.NotContains(t, got, "", "a member named \"\" is not the top-level value")
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		msg       string
	}{
		{"empty", "", 1, "unexpected end"},
		{"truncated", "{\"audits\": [\n{\"id\": 1},\n{\"id\"", 3, "unexpected end"},
		{"syntax", "{\"audits\": [\n{\"id\": 1},\n{\"id\" 2}]}", 3, "invalid character"},
		{"two values", "{}\n{}", 2, "more than one JSON value"},
		{"syntax in a skipped member", "{\"x\": [1,,2], \"audits\": []}", 1, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Split([]byte(tt.doc), "audits")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.line, e.Line, "%v", err)
			assert.Contains(t, e.Msg, tt.msg)
		})
	}
}

func TestReadAll(t *testing.T) {
	b, err := ReadAll(strings.NewReader("{}"))
	require.NoError(t, err)
	assert.Equal(t, "{}", string(b))
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{`{"audits":[{"id":1},{"id":2}],"users":[]}`, `[1,2]`, `{"data":{"payload":[{}]}}`, `{"audits":[`, `nul`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		got, err := Split([]byte(doc), "audits", "", "data.payload")
		if err != nil {
			return
		}
		for _, recs := range got {
			last := 0
			for _, r := range recs {
				if r.Line < last || r.Line < 1 || r.Line > strings.Count(doc, "\n")+1 {
					t.Fatalf("record %s at line %d after %d", r.Path, r.Line, last)
				}
				last = r.Line
			}
		}
	})
}
