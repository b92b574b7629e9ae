package docs

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// root is the repository root, relative to this package's directory.
const root = "../.."

// block is a fenced code block of a markdown file.
type block struct {
	file string // relative to the repository root
	line int    // 1-based line of the block's first code line
	lang string // the fence's info string, e.g. "go"
	code string
}

func (b block) String() string { return b.file + ":" + strconv.Itoa(b.line) }

// markdownFiles returns README.md and the markdown files of docs/,
// relative to the repository root.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md", "CHANGELOG.md"}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	for _, f := range more {
		rel, err := filepath.Rel(root, f)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

// blocks returns the fenced code blocks (``` fences) of a markdown file.
func blocks(t *testing.T, file string) []block {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, file))
	require.NoError(t, err)
	var out []block
	var cur *block
	var code strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &block{file: file, line: n + 1, lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
			code.Reset()
		case cur != nil && trimmed == "```":
			cur.code = code.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			code.WriteString(line)
			code.WriteByte('\n')
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "%s: a ``` block is not closed", file)
	return out
}

// blocksOf returns the blocks of every markdown file with the given language.
func blocksOf(t *testing.T, lang string) []block {
	t.Helper()
	var out []block
	for _, f := range markdownFiles(t) {
		for _, b := range blocks(t, f) {
			if b.lang == lang {
				out = append(out, b)
			}
		}
	}
	return out
}
