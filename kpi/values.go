package kpi

// values is a multiset of elapsed seconds, kept in chunks that double in
// size up to maxChunk: appending never copies what is already kept, and a
// small group costs a small chunk.
type values struct {
	chunks [][]uint32
	n      int
}

const (
	minChunk = 16
	maxChunk = 8192
)

func (v *values) add(x uint32) {
	k := len(v.chunks) - 1
	if k < 0 || len(v.chunks[k]) == cap(v.chunks[k]) {
		size := minChunk
		if k >= 0 {
			size = min(2*cap(v.chunks[k]), maxChunk)
		}
		v.chunks = append(v.chunks, make([]uint32, 0, size))
		k++
	}
	v.chunks[k] = append(v.chunks[k], x)
	v.n++
}

// addAll adds every value of o (copying them: o's chunks are never shared).
func (v *values) addAll(o *values) {
	for _, c := range o.chunks {
		for _, x := range c {
			v.add(x)
		}
	}
}

// sorted returns the values in ascending order in (*buf)[:n], using *buf
// and *scratch as storage (grown as needed, kept for reuse).
func (v *values) sorted(buf, scratch *[]uint32) []uint32 {
	if cap(*buf) < v.n {
		*buf = make([]uint32, v.n)
	}
	out := (*buf)[:0]
	for _, c := range v.chunks {
		out = append(out, c...)
	}
	*scratch = sortValues(out, *scratch)
	return out
}

func (v *values) clone() values {
	var c values
	c.addAll(v)
	return c
}
