// Package word reads the bytes of a string as little-endian machine words,
// for hashing and keying ids eight or four bytes at a time: each function
// is written so that the compiler makes it a single load.
package word

// LE64 returns the first 8 bytes of s as a little-endian word. s must hold
// at least 8 bytes.
func LE64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// LE32 returns the first 4 bytes of s as a little-endian word. s must hold
// at least 4 bytes.
func LE32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}
