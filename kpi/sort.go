package kpi

import "slices"

// sortValues sorts v in place. Long slices are sorted by an LSD radix sort
// on bytes (passes where every value has the same byte are skipped),
// which costs O(n) instead of O(n log n); buf is scratch space, returned
// grown for reuse.
func sortValues(v, buf []uint32) []uint32 {
	if len(v) < 256 {
		slices.Sort(v)
		return buf
	}
	if cap(buf) < len(v) {
		buf = make([]uint32, len(v))
	}
	src, dst := v, buf[:len(v)]
	for shift := uint(0); shift < 32; shift += 8 {
		var count [256]int
		for _, x := range src {
			count[(x>>shift)&0xff]++
		}
		if count[(src[0]>>shift)&0xff] == len(src) {
			continue
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, x := range src {
			d := (x >> shift) & 0xff
			dst[count[d]] = x
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
	return buf
}
