package docs

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRelativeLinks checks that every relative link of README.md,
// CHANGELOG.md and docs/*.md points at a file or directory that exists,
// and that a link's #fragment into a markdown page (the same page or
// another) names one of that page's headings.
func TestRelativeLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked, fragments := 0, 0
	anchors := map[string]map[string]bool{} // page -> its headings' anchors
	for _, file := range markdownFiles(t) {
		src, err := os.ReadFile(filepath.Join(root, file))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, frag, _ := strings.Cut(target, "#")
			rel := file
			if target != "" {
				rel = path.Join(path.Dir(file), target)
			}
			checked++
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
			if !assert.NoError(t, err, "%s: link %q points at nothing", file, m[1]) || frag == "" ||
				path.Ext(rel) != ".md" {
				continue
			}
			if anchors[rel] == nil {
				anchors[rel] = headingAnchors(t, rel)
			}
			fragments++
			assert.True(t, anchors[rel][frag], "%s: link %q: %s has no heading with the anchor %q", file, m[1], rel, frag)
		}
	}
	require.Positive(t, checked, "no relative links found")
	require.Positive(t, fragments, "no links to a heading found")
}

// headingAnchors returns the anchors GitHub gives the headings of the
// markdown page file (outside fenced code): the heading's text in lower
// case, without markup and punctuation but hyphens and underscores, its
// spaces made hyphens; a repeated one gets -1, -2, ...
func headingAnchors(t *testing.T, file string) map[string]bool {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, file))
	require.NoError(t, err)
	out := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for line := range strings.SplitSeq(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		text, ok := strings.CutPrefix(line, "#")
		if fenced || !ok {
			continue
		}
		text = strings.TrimLeft(text, "#")
		if !strings.HasPrefix(text, " ") {
			continue
		}
		a := headingAnchor(text)
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// headingAnchor returns the anchor of a heading's text (see
// headingAnchors).
func headingAnchor(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestHeadingAnchor(t *testing.T) {
	for text, want := range map[string]string{
		"slas[].default_priority":             "slasdefault_priority",
		"Scope: how often a level fires":      "scope-how-often-a-level-fires",
		"`close_solved_after`":                "close_solved_after",
		"Time zones, DST and São Paulo":       "time-zones-dst-and-são-paulo",
		"  escalations[].levels[].after  ":    "escalationslevelsafter",
		"Install (Go 1.26 or later)":          "install-go-126-or-later",
		"One-sink replay: results in storage": "one-sink-replay-results-in-storage",
	} {
		assert.Equal(t, want, headingAnchor(text), "%q", text)
	}
}

// TestNoDesignCitations checks that no Go file or markdown page cites the
// internal design note: the documentation for users is docs/.
func TestNoDesignCitations(t *testing.T) {
	cite := regexp.MustCompile(`DESIGN(\.md)? ?§|DESIGN\.md`)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(p); d.IsDir() || (ext != ".go" && ext != ".md") || strings.HasSuffix(p, "links_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if loc := cite.FindIndex(src); loc != nil {
			line := 1 + strings.Count(string(src[:loc[0]]), "\n")
			t.Errorf("%s:%d cites the design note (%q); link to docs/ instead", p, line, src[loc[0]:loc[1]])
		}
		return nil
	})
	require.NoError(t, err)
}
