package eventbit

import "math/bits"

// MaxAuthor is the longest author routing rules read whole: they read a
// longer one cut, which Needs does not judge.
const MaxAuthor = 256

// Needs is what an event must have for a router to apply any rule to it,
// by event type: for a type in Types, a text (when Text has the type) or
// one of the type's Authors. An event of a type in Types that has none of
// these needs no routing. The zero Needs asks nothing.
type Needs struct {
	Types   Set
	Text    Set
	Authors [len(Names)][]string
}

// Skips reports whether an event of the type b (one bit), with a text
// (text) and the author author (the customer's name for an event without
// one), needs no routing: its type is in Types and it has nothing Holds
// finds.
func (n *Needs) Skips(b Set, text bool, author string) bool {
	return b&n.Types != 0 && !n.Holds(b, text, author)
}

// Holds reports whether an event of the type b (one bit, of Types) that
// has a text (text) and the author author (the customer's name for an
// event without one) has what some rule needs.
func (n *Needs) Holds(b Set, text bool, author string) bool {
	if text && n.Text&b != 0 || len(author) > MaxAuthor {
		return true
	}
	for _, a := range n.Authors[bits.TrailingZeros16(uint16(b))&15] {
		if a == author {
			return true
		}
	}
	return false
}
