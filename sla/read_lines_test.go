package sla

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// bufioLineReader is the lineReader the events reader had before, on a
// bufio.Reader: the oracle of TestLineReader.
type bufioLineReader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

func (lr *bufioLineReader) next() ([]byte, int, error) {
	chunk, err := lr.r.ReadSlice('\n')
	if err == nil {
		return chunk[:len(chunk)-1], len(chunk) - 1, nil
	}
	lr.buf = lr.buf[:0]
	size := 0
	for {
		if size+len(chunk) <= lr.max+1 {
			lr.buf = append(lr.buf, chunk...)
		}
		size += len(chunk)
		if err != bufio.ErrBufferFull {
			break
		}
		chunk, err = lr.r.ReadSlice('\n')
	}
	if err == nil {
		size--
		if size <= lr.max {
			return lr.buf[:size], size, nil
		}
		return nil, size, nil
	}
	if size <= lr.max {
		return lr.buf[:size], size, err
	}
	return nil, size, err
}

type lineRead struct {
	line string
	kept bool // line is not nil (or empty)
	size int
	err  error
}

// TestLineReader reads lines of lengths around the buffer's size, with
// and without a final newline, under several limits, from readers that
// give a byte at a time, data with their error, or fail, and wants what
// the bufio-based reader gave.
func TestLineReader(t *testing.T) {
	fire := errors.New("disk on fire")
	var inputs []string
	for _, sizes := range [][]int{
		{0}, {1, 0, 2}, {100, 65535, 3}, {65536, 10}, {65537, 65535, 65536}, {lineBuffer*2 + 5, 7}, {200_000},
	} {
		var b strings.Builder
		for i, n := range sizes {
			b.WriteString(strings.Repeat(string(rune('a'+i)), n))
			b.WriteByte('\n')
		}
		inputs = append(inputs, b.String(), strings.TrimSuffix(b.String(), "\n"), b.String()+"tail")
	}
	inputs = append(inputs, "", "\n", "\n\n", "x")
	readers := map[string]func(string) io.Reader{
		"whole":        func(s string) io.Reader { return strings.NewReader(s) },
		"byte a time":  func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"data and EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"failing": func(s string) io.Reader {
			return io.MultiReader(strings.NewReader(s), iotest.ErrReader(fire))
		},
	}
	for _, max := range []int{10, lineBuffer, 150_000} {
		for i, in := range inputs {
			for name, reader := range readers {
				if name == "byte a time" && len(in) > 1000 {
					continue // slow under -race, and the whole reader covers it
				}
				t.Run(fmt.Sprintf("max %d input %d %s", max, i, name), func(t *testing.T) {
					want := readLines(&bufioLineReader{r: bufio.NewReaderSize(reader(in), lineBuffer), max: max}, max)
					got := readLines(&lineReader{r: reader(in), max: max}, max)
					require.Equal(t, want, got)
				})
			}
		}
	}
}

// readLines reads the lines of lr; the bytes of a line over max are not
// kept (the events reader does not read them).
func readLines(lr interface{ next() ([]byte, int, error) }, max int) []lineRead {
	var out []lineRead
	for range 1000 {
		line, size, err := lr.next()
		if size > max {
			line = nil
		}
		out = append(out, lineRead{line: fmt.Sprintf("%d bytes, crc %08x", len(line), crc32.ChecksumIEEE(line)), kept: line != nil || size == 0, size: size, err: err})
		if err != nil {
			break
		}
	}
	return out
}

// TestLineReaderNoProgress: a reader that returns nothing, again and
// again, ends the input with io.ErrNoProgress, as with bufio.
func TestLineReaderNoProgress(t *testing.T) {
	lr := lineReader{r: readerFunc(func([]byte) (int, error) { return 0, nil }), max: 10}
	_, _, err := lr.next()
	require.ErrorIs(t, err, io.ErrNoProgress)
	lr = lineReader{r: readerFunc(func(p []byte) (int, error) { return len(p) + 1, nil }), max: 10}
	_, _, err = lr.next()
	require.ErrorIs(t, err, errImpossibleCount)
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
