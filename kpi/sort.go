package kpi

import "slices"

// radixMin is the shortest slice sortValues sorts by radix: below it,
// clearing and summing the counts costs more than comparing.
const radixMin = 256

// sortValues sorts v in place. Long slices are sorted by an LSD radix sort
// on bytes (the counts of all four taken in one pass; the bytes that every
// value shares skipped), which costs O(n) instead of O(n log n); buf is
// scratch space, returned grown for reuse.
func sortValues(v, buf []uint32) []uint32 {
	if len(v) < radixMin {
		slices.Sort(v)
		return buf
	}
	if cap(buf) < len(v) {
		buf = make([]uint32, len(v))
	}
	var count [4][256]int
	for _, x := range v {
		count[0][x&0xff]++
		count[1][x>>8&0xff]++
		count[2][x>>16&0xff]++
		count[3][x>>24]++
	}
	src, dst := v, buf[:len(v)]
	for d := range count {
		c, shift := &count[d], uint(8*d)
		if c[src[0]>>shift&0xff] == len(src) {
			continue // every value has this digit
		}
		pos := 0
		for i, n := range c {
			c[i] = pos
			pos += n
		}
		for _, x := range src {
			k := x >> shift & 0xff
			dst[c[k]] = x
			c[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
	return buf
}
