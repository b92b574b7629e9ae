package kpi

import (
	"maps"
	"slices"
)

// NaturalCompare compares a and b in natural order, like [strings.Compare]
// (-1, 0 or +1): runs of digits compare by their numeric value, so
// "Group 2" sorts before "Group 10" and "P9" before "P10"; other bytes
// compare as bytes. Between equal numbers the one with fewer leading
// zeros comes first, and [None] sorts after every other key, so the order
// is total.
func NaturalCompare(a, b string) int {
	if a == b {
		return 0
	}
	if a == None {
		return 1
	}
	if b == None {
		return -1
	}
	zeros := 0 // the tie breaker: fewer leading zeros first
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && a[i] == '0' {
				i++
			}
			for j < len(b) && b[j] == '0' {
				j++
			}
			if zeros == 0 {
				zeros = (i - si) - (j - sj)
			}
			ni, nj := i, j
			for ni < len(a) && isDigit(a[ni]) {
				ni++
			}
			for nj < len(b) && isDigit(b[nj]) {
				nj++
			}
			// Longer significant digit runs are larger numbers; equal
			// lengths compare digit by digit.
			if d := (ni - i) - (nj - j); d != 0 {
				return sign(d)
			}
			for ; i < ni; i, j = i+1, j+1 {
				if a[i] != b[j] {
					return sign(int(a[i]) - int(b[j]))
				}
			}
			continue
		}
		if ca != cb {
			return sign(int(ca) - int(cb))
		}
		i, j = i+1, j+1
	}
	if d := (len(a) - i) - (len(b) - j); d != 0 {
		return sign(d)
	}
	if zeros != 0 {
		return sign(zeros)
	}
	// Same text up to zeros (cannot happen with zeros == 0 unless equal).
	if a < b {
		return -1
	}
	return 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func sign(d int) int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}

// GroupKeys returns the keys of one dimension of [Report.By] in natural
// order ([NaturalCompare]), [None] last.
func GroupKeys(groups map[string]Report) []string {
	return slices.SortedFunc(maps.Keys(groups), NaturalCompare)
}
