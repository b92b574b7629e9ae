package docs

import (
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// imports are the packages a snippet may use without importing them: the
// name it uses, then the import path.
var imports = map[string]string{
	"calendar":       "github.com/slakit/slakit/calendar",
	"escalation":     "github.com/slakit/slakit/escalation",
	"kpi":            "github.com/slakit/slakit/kpi",
	"policy":         "github.com/slakit/slakit/policy",
	"sla":            "github.com/slakit/slakit/sla",
	"slatest":        "github.com/slakit/slakit/slatest",
	"webhook":        "github.com/slakit/slakit/whatsappwindow/webhook",
	"whatsappwindow": "github.com/slakit/slakit/whatsappwindow",
	"bytes":          "bytes",
	"context":        "context",
	"errors":         "errors",
	"fmt":            "fmt",
	"http":           "net/http",
	"io":             "io",
	"iter":           "iter",
	"json":           "encoding/json",
	"log":            "log",
	"os":             "os",
	"slices":         "slices",
	"sql":            "database/sql",
	"strings":        "strings",
	"sync":           "sync",
	"testing":        "testing",
	"time":           "time",
}

var (
	testFunc      = regexp.MustCompile(`(?m)^func (Test|Example|Benchmark|Fuzz)`)
	packageClause = regexp.MustCompile(`(?m)^package `)
)

// source turns a snippet into a Go file. A snippet that starts with a
// package clause is a whole file. Otherwise it gets a package clause and
// the imports it uses (from the imports table); if it parses as a list of
// declarations it is one, otherwise it is a list of statements, put in a
// function. offset
// is the number of lines added before the snippet's first line.
func source(code string) (src string, offset int, test bool) {
	test = testFunc.MatchString(code)
	if packageClause.MatchString(code) {
		return code, 0, test
	}
	var head strings.Builder
	head.WriteString("package snippet\n\n")
	for _, path := range usedImports(code) {
		fmt.Fprintf(&head, "import %q\n", path)
	}
	head.WriteString("\n")
	if decls := head.String() + code; parses(decls) {
		return decls, strings.Count(head.String(), "\n"), test
	}
	head.WriteString("func _() {\n")
	return head.String() + code + "}\n", strings.Count(head.String(), "\n"), test
}

// parses reports whether src parses as a Go file.
func parses(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	return err == nil
}

// usedImports returns the import paths of the names from the imports
// table that code uses as a package (name followed by a dot, not itself
// after a dot), sorted.
func usedImports(code string) []string {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(code)), []byte(code), nil, 0)
	var out []string
	prev, prevLit := token.ILLEGAL, ""
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.PERIOD && prev == token.IDENT {
			if path, ok := imports[prevLit]; ok && !slices.Contains(out, path) {
				out = append(out, path)
			}
		}
		if tok == token.PERIOD && prev == token.PERIOD {
			tok = token.ILLEGAL // "..." is not a selector
		}
		if prev == token.PERIOD && tok == token.IDENT {
			tok = token.ILLEGAL // a selector's name is not a package
		}
		prev, prevLit = tok, lit
	}
	slices.Sort(out)
	return out
}

func TestSource(t *testing.T) {
	tests := []struct {
		name, code  string
		wantImports []string
		wantOffset  int
		wantTest    bool
	}{
		{
			name:        "statements",
			code:        "cal, err := calendar.New(calendar.Spec{Timezone: \"UTC\"})\nfmt.Println(cal, err, time.Hour)\n",
			wantImports: []string{"fmt", "github.com/slakit/slakit/calendar", "time"},
			wantOffset:  7,
		},
		{
			name:        "a test function; a field named like a package is not an import",
			code:        "func TestX(t *testing.T) {\n\t_ = t.sla.x\n}\n",
			wantImports: []string{"testing"},
			wantOffset:  4,
			wantTest:    true,
		},
		{
			name:     "a whole file",
			code:     "package main\n\nfunc main() {}\n",
			wantTest: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, offset, test := source(tt.code)
			require.Equal(t, tt.wantOffset, offset, "source(%q) offset", tt.code)
			require.Equal(t, tt.wantTest, test, "source(%q) test", tt.code)
			require.Contains(t, src, tt.code, "source(%q) lost the code", tt.code)
			if tt.wantImports != nil {
				require.Equal(t, tt.wantImports, usedImports(tt.code), "usedImports(%q)", tt.code)
			}
		})
	}
}

// TestGoSnippetsCompile builds every ```go block of README.md and docs/*.md
// in a throwaway module that uses this repository, with go vet (which
// type-checks test files too and runs vet's checks).
func TestGoSnippetsCompile(t *testing.T) {
	snippets := blocksOf(t, "go")
	require.NotEmpty(t, snippets, "README.md has Go snippets")
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds the snippets")
	absRoot, err := filepath.Abs(root)
	require.NoError(t, err)
	dir := t.TempDir()
	writeModule(t, dir, absRoot)
	where := map[string]block{} // directory name -> snippet
	offsets := map[string]int{}
	for i, b := range snippets {
		name := fmt.Sprintf("s%02d", i+1)
		src, offset, test := source(b.code)
		file := "snippet.go"
		if test {
			file = "snippet_test.go"
		}
		require.NoError(t, os.Mkdir(filepath.Join(dir, name), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name, file), []byte(src), 0o644))
		where[name], offsets[name] = b, offset
	}
	cmd := exec.Command(goCmd, "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	// Point each message at the markdown line: "./s03/snippet.go:12:5: msg".
	re := regexp.MustCompile(`(?m)^(?:vet: )?\.?/?(s\d\d)/[a-z_]+\.go:(\d+)(:\d+)?: (.*)$`)
	var msgs []string
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		b := where[m[1]]
		n, _ := strconv.Atoi(m[2])
		msgs = append(msgs, fmt.Sprintf("%s:%d: %s", b.file, b.line+n-1-offsets[m[1]], m[4]))
	}
	t.Errorf("Go snippets do not compile (%v):\n%s\n\ngo vet said:\n%s", err, strings.Join(msgs, "\n"), out)
}

// writeModule writes a go.mod that requires this repository (replaced by
// its directory) and the same modules at the same versions, and its go.sum.
func writeModule(t *testing.T, dir, absRoot string) {
	t.Helper()
	mod, err := os.ReadFile(filepath.Join(absRoot, "go.mod"))
	require.NoError(t, err)
	sum, err := os.ReadFile(filepath.Join(absRoot, "go.sum"))
	require.NoError(t, err)
	text := strings.Replace(string(mod), "module github.com/slakit/slakit", "module slakit.test/snippets", 1)
	text += fmt.Sprintf("\nrequire github.com/slakit/slakit v0.0.0\n\nreplace github.com/slakit/slakit => %s\n", absRoot)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(text), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
}
