package sla

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
)

// DefaultMaxLine is the longest line, in bytes without the newline, that
// [ReadEvents] decodes unless told otherwise with [MaxLine]: 1 MiB, room
// for a long message text.
const DefaultMaxLine = 1 << 20

// Errors of the events reader, wrapped by a [*ReadError]; test them with
// [errors.Is].
var (
	// ErrLineTooLong reports a line longer than the reader's limit. The
	// line is skipped and reading goes on.
	ErrLineTooLong = errors.New("sla: line too long")
	// ErrBlankLine reports a line that holds nothing but white space.
	ErrBlankLine = errors.New("sla: blank line")
)

// ReadError is a line of an events file that is not an event: not JSON,
// not one object, a key that is unknown, repeated or spelt in another
// case, a value of the wrong type, an instant without a UTC offset, a
// blank line or a line over the limit.
type ReadError struct {
	Line int    // 1-based line in the input; 0 from [Event.UnmarshalJSON]
	Col  int    // 1-based byte column in the line; 0 when the line as a whole is at fault
	Msg  string // the problem, without position
	Err  error  // [ErrLineTooLong], [ErrBlankLine] or nil
}

// Error returns "sla: line L:C: message" (or "sla: event JSON, column C:
// message" without a line).
func (e *ReadError) Error() string {
	var b strings.Builder
	b.WriteString("sla: ")
	switch {
	case e.Line > 0 && e.Col > 0:
		fmt.Fprintf(&b, "line %d:%d: ", e.Line, e.Col)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	case e.Col > 0:
		fmt.Fprintf(&b, "event JSON, column %d: ", e.Col)
	default:
		b.WriteString("event JSON: ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel error, if any.
func (e *ReadError) Unwrap() error { return e.Err }

// ReadOption changes how [ReadEvents] reads.
type ReadOption func(*readConfig)

type readConfig struct {
	maxLine int
}

// MaxLine sets the longest line ReadEvents decodes, in bytes without the
// newline (n <= 0 means [DefaultMaxLine]). The reader holds at most one
// line in memory.
func MaxLine(n int) ReadOption {
	return func(c *readConfig) {
		if n > 0 {
			c.maxLine = n
		}
	}
}

// ReadEvents reads an events file: JSON Lines, one event per line, in the
// form [Event.UnmarshalJSON] decodes (keys spelt exactly, none unknown or
// repeated, instants with a UTC offset).
//
// It yields one pair per line of the input, in order, so that the n-th
// pair is line n and [Engine.Replay] reports file lines. A line that is
// not an event yields a [*ReadError] with its line and column, together
// with what could be read of the event (the ticket id, in particular, when
// the line is well-formed JSON), and reading goes on. A blank line is such
// an error. A line longer than the limit ([DefaultMaxLine], or [MaxLine])
// yields an error wrapping [ErrLineTooLong] and is skipped without being
// held in memory. A final line without a newline is read like the others.
// An error of r itself ends the sequence with a last error (Line is the
// line being read).
//
// The sequence reads r as it goes, in memory bounded by the limit (and a
// 96 KB table of recent ticket ids, which spares many events an
// allocation); it can be ranged over once.
func ReadEvents(r io.Reader, opts ...ReadOption) iter.Seq2[Event, error] {
	cfg := readConfig{maxLine: DefaultMaxLine}
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(Event, error) bool) {
		lr := lineReader{r: r, max: cfg.maxLine}
		var (
			d  = eventDecoder{recent: new(recentStrings), instants: new(instantCache)}
			ev Event
		)
		for n := 1; ; n++ {
			line, size, err := lr.next()
			if err == io.EOF && size == 0 {
				return
			}
			if err != nil && err != io.EOF {
				yield(Event{}, &ReadError{Line: n, Msg: "reading: " + err.Error(), Err: err})
				return
			}
			var bad *ReadError
			if size > cfg.maxLine {
				ev = Event{}
				bad = &ReadError{Msg: fmt.Sprintf("line of %d bytes is longer than the limit of %d bytes: skipped", size, cfg.maxLine), Err: ErrLineTooLong}
			} else {
				bad = d.decode(&ev, line)
			}
			if bad != nil {
				bad.Line = n
				if !yield(ev, bad) {
					return
				}
			} else if !yield(ev, nil) {
				return
			}
			if err == io.EOF {
				return
			}
		}
	}
}

// lineReader reads lines of at most max bytes and measures longer ones
// without keeping them.
type lineReader struct {
	r   io.Reader
	max int
	buf []byte // read from r; buf[start:end] is not yet returned
	err error  // the error that ended r, once met

	start, end int
	long       []byte // a line longer than buf, gathered
}

var errImpossibleCount = errors.New("the reader returned an impossible count of bytes")

// lineBuffer is the size of a lineReader's buffer: most lines are found
// whole in it.
const lineBuffer = 64 << 10

// next returns the next line without its newline (valid until the next
// call; nil when the line is over the limit), the line's length, and
// io.EOF when the input ended (with or without a line).
func (lr *lineReader) next() ([]byte, int, error) {
	if i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n'); i >= 0 {
		line := lr.buf[lr.start : lr.start+i]
		lr.start += i + 1
		return line, i, nil
	}
	return lr.nextFilling()
}

// nextFilling is next when the buffer holds no whole line.
func (lr *lineReader) nextFilling() ([]byte, int, error) {
	if lr.buf == nil {
		lr.buf = make([]byte, lineBuffer)
	}
	lr.long = lr.long[:0]
	size := 0 // of the line's bytes moved out of buf
	for {
		rest := lr.buf[lr.start:lr.end]
		i := bytes.IndexByte(rest, '\n')
		if i >= 0 || lr.err != nil {
			if i >= 0 {
				lr.start += i + 1
				rest = rest[:i]
			} else {
				lr.start = lr.end
			}
			err := lr.err
			if i >= 0 {
				err = nil
			}
			total := size + len(rest)
			switch {
			case total > lr.max:
				return nil, total, err
			case size == 0:
				return rest, total, err
			}
			lr.long = append(lr.long, rest...)
			return lr.long, total, err
		}
		if lr.start == 0 && lr.end == len(lr.buf) { // full, without a newline
			if size+lr.end <= lr.max {
				lr.long = append(lr.long, lr.buf...)
			}
			size += lr.end
			lr.end = 0
		}
		lr.fill()
	}
}

// fill moves the unread bytes to the front of the buffer and reads more
// after them, or records the error that ends the input.
func (lr *lineReader) fill() {
	lr.end = copy(lr.buf, lr.buf[lr.start:lr.end])
	lr.start = 0
	for range 100 { // as bufio.Reader, give up on a reader that returns nothing
		n, err := lr.r.Read(lr.buf[lr.end:])
		if n < 0 || n > len(lr.buf)-lr.end {
			lr.err = errImpossibleCount
			return
		}
		lr.end += n
		if err != nil {
			lr.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	lr.err = io.ErrNoProgress
}
