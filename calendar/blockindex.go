package calendar

// blockIndex counts, in a sorted list of keys, those below a value: the
// count below the start of the value's block, kept in a table, then the
// keys of that block. A lookup costs a subtraction, a shift and a short
// scan, where a binary search over two centuries of holidays or offset
// changes costs 8 to 10 dependent probes.
type blockIndex struct {
	first int64   // keys[0]
	shift uint    // blocks are 1<<shift long
	blk   []int32 // blk[k]: the number of keys below first + k<<shift
	keys  []int64 // sorted
}

// newBlockIndex indexes keys (sorted; kept, not copied) in blocks of
// 1<<shift.
func newBlockIndex(keys []int64, shift uint) blockIndex {
	b := blockIndex{keys: keys, shift: shift}
	if len(keys) == 0 {
		return b
	}
	b.first = keys[0]
	last := keys[len(keys)-1]
	i := 0
	for start := b.first; start <= last; start += 1 << shift {
		for keys[i] < start {
			i++
		}
		b.blk = append(b.blk, int32(i))
	}
	return b
}

// below returns the number of keys below x: the index of the first key at
// or after x.
func (b *blockIndex) below(x int64) int {
	if x <= b.first || len(b.blk) == 0 {
		return 0
	}
	k := uint64(x-b.first) >> b.shift
	if k >= uint64(len(b.blk)) {
		return len(b.keys) // after the last key's block
	}
	i := int(b.blk[k])
	for keys := b.keys; i < len(keys) && keys[i] < x; i++ {
	}
	return i
}
