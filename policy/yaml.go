package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/slakit/slakit/internal/duration"
)

// This file is the glue to go.yaml.in/yaml/v3: the document is parsed
// into a yaml.Node tree, which the loader walks itself, so that every
// problem (an unknown or duplicate key, a wrong type, a bad value) is
// reported with its line and column, and all of them at once.

// node is a node of the document; the other files of the package use it
// through the loader's methods and the predicates below, not through the
// YAML library.
type node = yaml.Node

func isMap(n *node) bool    { return n.Kind == yaml.MappingNode }
func isList(n *node) bool   { return n.Kind == yaml.SequenceNode }
func isScalar(n *node) bool { return n.Kind == yaml.ScalarNode }
func isNull(n *node) bool   { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// Bounds on a document.
const (
	maxDocBytes = 4 << 20   // 4 MiB of YAML
	maxNodes    = 1_000_000 // nodes visited, aliases expanded
)

// loader holds the state of one load: the file name, the source (to
// place errors inside quoted expressions), the diagnostics so far. It
// keeps the first maxErrors errors and warnings and counts the rest; once
// the node budget is spent it records nothing more, since what follows
// would only echo that.
type loader struct {
	file    string
	lines   []string
	errs    ErrorList
	warns   ErrorList
	more    map[*ErrorList]*Error // the first error not kept, by list
	dropped map[*ErrorList]int    // how many were not kept, by list
	budget  int
	spent   bool // the node budget is spent
}

func (l *loader) add(list *ErrorList, n *yaml.Node, field string, sentinel error, format string, args ...any) {
	if l.spent {
		return
	}
	line, col := 1, 1
	if n != nil {
		line, col = max(n.Line, 1), max(n.Column, 1)
	}
	if len(field) > maxField {
		field = cut(field, maxField) + "..."
	}
	e := &Error{File: l.file, Line: line, Col: col, Field: field,
		Msg: cut(fmt.Sprintf(format, args...), maxMsg), Err: sentinel}
	if len(*list) < maxErrors {
		*list = append(*list, e)
		return
	}
	if l.more == nil {
		l.more, l.dropped = map[*ErrorList]*Error{}, map[*ErrorList]int{}
	}
	if l.more[list] == nil {
		l.more[list] = e
	}
	l.dropped[list]++
}

// finish sorts a list and ends it with a line saying how many more there
// were, placed at the first of them.
func (l *loader) finish(list *ErrorList) ErrorList {
	list.sort()
	if e := l.more[list]; e != nil {
		what := "errors"
		if list == &l.warns {
			what = "warnings"
		}
		e.Field, e.Msg = "", fmt.Sprintf("and %d more %s", l.dropped[list], what)
		*list = append(*list, e)
	}
	return *list
}

// errf records an error at n.
func (l *loader) errf(n *yaml.Node, field string, sentinel error, format string, args ...any) {
	l.add(&l.errs, n, field, sentinel, format, args...)
}

// warnf records a warning at n.
func (l *loader) warnf(n *yaml.Node, field string, format string, args ...any) {
	l.add(&l.warns, n, field, nil, format, args...)
}

var yamlLine = regexp.MustCompile(`(?s)^(?:yaml: )?(?:line (\d+): )?(.*)$`)

// parse reads exactly one YAML document into a node tree. YAML syntax
// errors carry the line the parser reports; it gives no column, so the
// column is 1.
func (l *loader) parse(src []byte) (root *yaml.Node) {
	if len(src) > maxDocBytes {
		l.errf(nil, "", ErrTooLarge, "document larger than %d bytes", maxDocBytes)
		return nil
	}
	if line, col, msg := badRune(src); msg != "" {
		l.errs = append(l.errs, &Error{File: l.file, Line: line, Col: col, Msg: msg, Err: ErrSyntax})
		return nil
	}
	l.lines = strings.Split(string(src), "\n")
	defer func() {
		if r := recover(); r != nil { // the YAML parser is not known to panic; be safe
			l.errf(nil, "", ErrSyntax, "cannot parse YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.errf(nil, "", ErrEmpty, "empty document; want version: 1 and the policy")
			return nil
		}
		l.syntax(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		l.errf(&extra, "", ErrSyntax, "a second YAML document; a policy file holds one")
	} else if !errors.Is(err, io.EOF) {
		l.syntax(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.errf(&doc, "", ErrEmpty, "empty document; want version: 1 and the policy")
		return nil
	}
	return doc.Content[0]
}

func (l *loader) syntax(err error) {
	msg := err.Error()
	line := 1
	// The YAML library's errors have no type to ask: read "yaml: line N: MSG".
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			line = n
		}
		msg = m[2]
	}
	l.errs = append(l.errs, &Error{File: l.file, Line: line, Col: 1, Msg: "yaml: " + msg, Err: ErrSyntax})
}

// resolve follows aliases, charging the node budget so that alias bombs
// stop early. It returns nil when the budget is spent.
func (l *loader) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	l.budget++
	if l.budget == maxNodes {
		l.errf(n, "", ErrTooLarge, "document too large: more than %d nodes once aliases are expanded", maxNodes)
		l.spent = true
	}
	if l.budget >= maxNodes {
		return nil
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		}
		return "a string"
	}
	return "something else"
}

// pair is one key of a mapping.
type pair struct {
	key, val *yaml.Node
	name     string
}

// pairs returns the entries of a mapping in order. It reports a node of
// another kind, non-string keys and duplicate keys (keeping the first).
func (l *loader) pairs(n *yaml.Node, field, what string) []pair {
	if n = l.resolve(n); n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		l.errf(n, field, ErrField, "want %s (a mapping), got %s", what, kindName(n))
		return nil
	}
	var out []pair
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := l.resolve(n.Content[i]), n.Content[i+1]
		if k == nil {
			return out
		}
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
			l.errf(k, field, ErrField, "want a key name, got %s", kindName(k))
			continue
		}
		if k.Tag == "!!merge" {
			l.errf(k, field, ErrField, "merge keys (<<) are not supported")
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			l.errf(k, join(field, k.Value), ErrField, "duplicate key %s (first at line %d)", q(k.Value), prev.Line)
			continue
		}
		seen[k.Value] = k
		out = append(out, pair{key: k, val: v, name: k.Value})
	}
	return out
}

// fields returns the values of a mapping with a fixed set of keys,
// reporting unknown keys.
func (l *loader) fields(n *yaml.Node, field, what string, known ...string) map[string]pair {
	ps := l.pairs(n, field, what)
	out := make(map[string]pair, len(ps))
	for _, p := range ps {
		if !contains(known, p.name) {
			l.errf(p.key, join(field, p.name), ErrField, "unknown key %s (want %s)", q(p.name), strings.Join(known, ", "))
			continue
		}
		out[p.name] = p
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// list returns the items of a sequence; null is an empty list.
func (l *loader) list(n *yaml.Node, field, what string) []*yaml.Node {
	if n = l.resolve(n); n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errf(n, field, ErrField, "want %s (a list), got %s", what, kindName(n))
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = l.resolve(c); c == nil {
			return out
		}
		out = append(out, c)
	}
	return out
}

// entries returns the items of a list of mappings (policies, rules,
// OLAs, levels): list, reporting each null item (a stray "-", null or ~)
// at its place. A null item is returned with the others, so that indices
// stay those of the document; callers skip it as they skip any item that
// is not a mapping.
func (l *loader) entries(n *yaml.Node, field, what string) []*yaml.Node {
	items := l.list(n, field, what)
	for i, it := range items {
		if isNull(it) {
			l.errf(it, fmt.Sprintf("%s[%d]", field, i), ErrField, "an entry cannot be empty")
		}
	}
	return items
}

// str returns a string scalar.
func (l *loader) str(n *yaml.Node, field, what string) (string, bool) {
	if n = l.resolve(n); n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		hint := ""
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			hint = " (quote it to make it a string)"
		}
		l.errf(n, field, ErrField, "want %s (a string), got %s%s", what, kindName(n), hint)
		return "", false
	}
	return n.Value, true
}

// name returns a non-empty string scalar.
func (l *loader) name(n *yaml.Node, field, what string) (string, bool) {
	s, ok := l.str(n, field, what)
	if ok && strings.TrimSpace(s) == "" {
		l.errf(n, field, ErrValue, "%s is empty", what)
		return "", false
	}
	return s, ok
}

// strs returns a list of strings; a single string is a list of one.
func (l *loader) strs(n *yaml.Node, field, what string) ([]string, bool) {
	if r := l.resolve(n); r != nil && r.Kind == yaml.ScalarNode && r.Tag == "!!str" {
		return []string{r.Value}, true
	}
	items := l.list(n, field, what+"s")
	out := make([]string, 0, len(items))
	ok := true
	for i, it := range items {
		s, good := l.name(it, fmt.Sprintf("%s[%d]", field, i), what)
		ok = ok && good
		if good {
			out = append(out, s)
		}
	}
	return out, ok
}

func (l *loader) boolean(n *yaml.Node, field string) (bool, bool) {
	if n = l.resolve(n); n == nil {
		return false, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errf(n, field, ErrField, "want true or false, got %s", kindName(n))
		return false, false
	}
	b, err := strconv.ParseBool(strings.ToLower(n.Value))
	if err != nil {
		l.errf(n, field, ErrField, "want true or false, got %s", q(n.Value))
		return false, false
	}
	return b, true
}

func (l *loader) integer(n *yaml.Node, field string) (int, bool) {
	if n = l.resolve(n); n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		l.errf(n, field, ErrField, "want an integer, got %s", kindName(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
	if err != nil {
		l.errf(n, field, ErrValue, "integer %s out of range", q(n.Value))
		return 0, false
	}
	return int(v), true
}

// duration returns a positive duration in Go syntax. Days are refused
// with a hint: business days are not 24 hours.
func (l *loader) duration(n *yaml.Node, field string) (time.Duration, bool) {
	if n = l.resolve(n); n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") {
		l.errf(n, field, ErrField, "want a duration such as 15m or 4h, got %s", kindName(n))
		return 0, false
	}
	d, err := duration.Parse(n.Value)
	if err != nil {
		l.errf(n, field, ErrValue, "bad duration %s: %v", q(n.Value), err)
		return 0, false
	}
	if d <= 0 {
		l.errf(n, field, ErrValue, "duration %s must be positive", q(n.Value))
		return 0, false
	}
	return d, true
}

// percent returns a share written "80%" (a number and a percent sign),
// above 0% and below 100%.
func (l *loader) percent(n *yaml.Node, field string) (float64, bool) {
	if n = l.resolve(n); n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		l.errf(n, field, ErrField, "want a percentage such as 80%%, got %s", kindName(n))
		return 0, false
	}
	num, ok := strings.CutSuffix(strings.TrimSpace(n.Value), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil {
		l.errf(n, field, ErrValue, "bad percentage %s: want a number and %%, such as 80%%", q(n.Value))
		return 0, false
	}
	if !(v > 0 && v < 100) {
		l.errf(n, field, ErrValue, "percentage %s: want above 0%% and below 100%%", q(n.Value))
		return 0, false
	}
	return v, true
}

// scalar returns a scalar as a JSON-like value: string, float64, bool or nil.
func (l *loader) scalar(n *yaml.Node, field string) (any, bool) {
	if n = l.resolve(n); n == nil {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		l.errf(n, field, ErrField, "want a string, number or boolean, got %s", kindName(n))
		return nil, false
	}
	switch n.Tag {
	case "!!null":
		return nil, true
	case "!!bool":
		return l.boolean(n, field)
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			l.errf(n, field, ErrValue, "bad number %s", q(n.Value))
			return nil, false
		}
		return f, true
	}
	return n.Value, true
}

// badRune finds the first byte sequence YAML does not allow: invalid
// UTF-8, or a control character other than tab and line breaks (NUL,
// DEL, C1 controls). It returns its 1-based line and column (in runes)
// and a message, or "" when there is none.
func badRune(src []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02X): the document must be UTF-8 text", src[i])
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r', r == 0x7F, r >= 0x80 && r <= 0x9F && r != 0x85, r == 0xFFFE, r == 0xFFFF:
			return line, col, fmt.Sprintf("control character U+%04X is not allowed in YAML", r)
		}
		i += size
		col++
	}
	return 0, 0, ""
}

// exprPos returns the position in the file of the rune at (line, col),
// 1-based, of the expression held by the scalar n. It follows the
// scalar's text through quotes, escapes and folded line breaks for plain
// and quoted scalars, and through the indentation of literal (|) ones;
// for folded (>) scalars it is n's position.
func (l *loader) exprPos(n *yaml.Node, line, col int) (int, int) {
	if n.Style == yaml.LiteralStyle {
		// Content starts on the next line, indented by the block's indentation
		// (that of its first line); lines are kept as written.
		first := n.Line + line
		if n.Line >= len(l.lines) || first > len(l.lines) {
			return n.Line, n.Column
		}
		body := l.lines[n.Line]
		indent := len(body) - len(strings.TrimLeft(body, " "))
		return first, indent + col
	}
	if n.Style != 0 && n.Style != yaml.SingleQuotedStyle && n.Style != yaml.DoubleQuotedStyle {
		return n.Line, n.Column
	}
	// The offset, in runes, of the wanted rune in n.Value.
	k := 0
	for i, ln := range strings.SplitAfter(n.Value, "\n") {
		if i == line-1 {
			k += col - 1
			break
		}
		k += utf8.RuneCountInString(ln)
	}
	if li, ci, ok := l.flowPos(n, k); ok {
		return li, ci
	}
	return n.Line, n.Column
}

// flowPos walks the source of the flow scalar n (plain, single- or
// double-quoted) to the k-th rune of its value and returns its 1-based
// line and column. ok is false when the source does not read as the
// value (it then gives up rather than guess).
func (l *loader) flowPos(n *yaml.Node, k int) (line, col int, ok bool) {
	li, ci := n.Line-1, n.Column-1 // 0-based line, rune column
	if li < 0 || li >= len(l.lines) {
		return 0, 0, false
	}
	raw := []rune(strings.TrimSuffix(l.lines[li], "\r"))
	if n.Style != 0 {
		ci++ // the opening quote
	}
	nextLine := func() bool {
		if li+1 >= len(l.lines) {
			return false
		}
		li, ci = li+1, 0
		raw = []rune(strings.TrimSuffix(l.lines[li], "\r"))
		return true
	}
	blankFrom := func(i int) bool { // only white space from i to the end of the line
		for ; i < len(raw); i++ {
			if raw[i] != ' ' && raw[i] != '\t' {
				return false
			}
		}
		return true
	}
	skipIndent := func() {
		for ci < len(raw) && (raw[ci] == ' ' || raw[ci] == '\t') {
			ci++
		}
	}
	value := []rune(n.Value)
	for j := 0; j <= k && j < len(value); {
		switch {
		case blankFrom(ci):
			// A line break: it and the white space around it fold to one
			// space, or to one newline per blank line that follows.
			at, atCol := li, ci
			breaks := 0
			for {
				if !nextLine() {
					return 0, 0, false
				}
				skipIndent()
				if ci < len(raw) {
					break
				}
				breaks++
			}
			if j+max(breaks, 1) > k {
				return at + 1, atCol + 1, true
			}
			j += max(breaks, 1)
			continue
		case n.Style == yaml.DoubleQuotedStyle && raw[ci] == '\\' && blankFrom(ci+1):
			if !nextLine() { // an escaped line break: nothing in the value
				return 0, 0, false
			}
			skipIndent()
			continue
		}
		if j == k {
			return li + 1, ci + 1, true
		}
		switch {
		case n.Style == yaml.DoubleQuotedStyle && raw[ci] == '\\' && ci+1 < len(raw):
			ci += escapeLen(raw[ci+1])
		case n.Style == yaml.SingleQuotedStyle && raw[ci] == '\'' && ci+1 < len(raw) && raw[ci+1] == '\'':
			ci += 2
		case raw[ci] == value[j]:
			ci++
		default:
			return 0, 0, false
		}
		j++
	}
	return 0, 0, false
}

// escapeLen is the length in the source of a double-quoted escape that
// starts with a backslash and c: \x41, \u00e7, \U0001F600, or \n and the like.
func escapeLen(c rune) int {
	switch c {
	case 'x':
		return 4
	case 'u':
		return 6
	case 'U':
		return 10
	}
	return 2
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}
