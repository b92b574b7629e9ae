// Package jsondoc splits a JSON document into the records of its arrays,
// each with its line, so that the JSON importers can report a bad record
// by its place and go on with the others.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/slakit/slakit/importer"
)

// MaxSize is the largest document read (an API page is far smaller).
const MaxSize = 256 << 20

// Record is one element of an array of a document.
type Record struct {
	Path string // the element's path, e.g. "audits[3]" or "data.payload[0]"
	Line int    // 1-based line where the element starts
	Raw  json.RawMessage
}

// Error is a document that cannot be read, with the line of the problem.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ReadAll reads a whole document of at most MaxSize bytes.
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxSize>>20)
	}
	return data, nil
}

// Load reads a whole input and splits it (see [Split]). When the input
// cannot be read, it returns a malformed problem naming the file and, for
// a syntax error, the line.
func Load(in importer.Input, paths ...string) ([]byte, map[string][]Record, *importer.Problem) {
	p := &importer.Problem{File: in.Name, Kind: importer.KindMalformed}
	data, err := ReadAll(in.R)
	if err != nil {
		p.Msg = err.Error()
		return nil, nil, p
	}
	parts, err := Split(data, paths...)
	if err != nil {
		p.Msg = err.Error()
		if je, ok := err.(*Error); ok {
			p.Line, p.Msg = je.Line, je.Msg
		}
		return nil, nil, p
	}
	return data, parts, nil
}

// Split returns the elements of the arrays found at the given paths:
// "audits" is the member audits of the top-level object, "data.payload"
// the member payload of its member data, "" the top-level value when it is
// an array. Records are grouped by path, in document order. A path whose
// value is not an array is skipped. The document must be one JSON value.
func Split(data []byte, paths ...string) (map[string][]Record, error) {
	w := &walker{data: data, dec: json.NewDecoder(bytes.NewReader(data)), want: paths, out: map[string][]Record{}, line: 1}
	if err := w.value("", true); err != nil {
		return nil, err
	}
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Error{Line: w.lineAt(int(w.dec.InputOffset())), Msg: "more than one JSON value"}
	}
	return w.out, nil
}

type walker struct {
	data []byte
	dec  *json.Decoder
	want []string
	out  map[string][]Record
	pos  int // position lineAt counted newlines up to
	line int // line at pos
}

// lineAt is the line of the first byte at or after off that is not
// white space or a comma. Offsets must not decrease between calls.
func (w *walker) lineAt(off int) int {
	for off < len(w.data) && strings.IndexByte(" \t\r\n,", w.data[off]) >= 0 {
		off++
	}
	if off < w.pos {
		return w.line
	}
	w.line += bytes.Count(w.data[w.pos:off], []byte{'\n'})
	w.pos = off
	return w.line
}

func (w *walker) fail(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{Line: w.lineAt(int(se.Offset)), Msg: strings.TrimPrefix(se.Error(), "json: ")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Line: w.lineAt(len(w.data)), Msg: "unexpected end of the document"}
	}
	return &Error{Line: w.lineAt(int(w.dec.InputOffset())), Msg: strings.TrimPrefix(err.Error(), "json: ")}
}

// wanted reports whether the array at path is wanted; top says path is
// the document itself ("" is then the top-level value, not a member named
// "").
func (w *walker) wanted(path string, top bool) bool {
	for _, p := range w.want {
		if p == path && (top || p != "") {
			return true
		}
	}
	return false
}

// under reports whether a wanted path lies inside the object at path. The
// descent is bounded by the wanted paths' depth, whatever the document's.
func (w *walker) under(path string, top bool) bool {
	for _, p := range w.want {
		if top && p != "" || !top && strings.HasPrefix(p, path+".") {
			return true
		}
	}
	return false
}

// value reads the value at path; top says it is the document itself.
func (w *walker) value(path string, top bool) error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.fail(err)
	}
	switch tok {
	case json.Delim('['):
		if !w.wanted(path, top) {
			return w.skip()
		}
		for i := 0; w.dec.More(); i++ {
			line := w.lineAt(int(w.dec.InputOffset()))
			var raw json.RawMessage
			if err := w.dec.Decode(&raw); err != nil {
				return w.fail(err)
			}
			w.out[path] = append(w.out[path], Record{Path: fmt.Sprintf("%s[%d]", path, i), Line: line, Raw: raw})
		}
		if _, err := w.dec.Token(); err != nil {
			return w.fail(err)
		}
	case json.Delim('{'):
		if !w.under(path, top) {
			return w.skip()
		}
		for w.dec.More() {
			key, err := w.dec.Token()
			if err != nil {
				return w.fail(err)
			}
			name, _ := key.(string)
			if !top {
				name = path + "." + name
			}
			if err := w.value(name, false); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

// skip reads the rest of an array or object whose opening delimiter was
// read.
func (w *walker) skip() error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return w.fail(err)
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}
