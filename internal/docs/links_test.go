package docs

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pending are pages written on other branches in the same round; a link
// to one of them may point at nothing until they are merged.
var pending = map[string]bool{
	"docs/escalation.md": true, "docs/expressions.md": true, "docs/calendar.md": true, "docs/import.md": true,
	"docs/reports.md": true, "docs/events.md": true, "docs/cli.md": true, "docs/hosting.md": true,
}

// TestRelativeLinks checks that every relative link of README.md,
// CHANGELOG.md and docs/*.md points at a file or directory that exists.
func TestRelativeLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, file := range markdownFiles(t) {
		src, err := os.ReadFile(filepath.Join(root, file))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			rel := path.Join(path.Dir(file), target)
			checked++
			if pending[rel] {
				continue
			}
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
			assert.NoError(t, err, "%s: link %q points at nothing", file, m[1])
		}
	}
	require.Positive(t, checked, "no relative links found")
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
