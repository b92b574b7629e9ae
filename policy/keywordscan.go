package policy

import (
	"slices"
	"unicode/utf8"

	"github.com/slakit/slakit/sla"
)

// Keyword scans shared by the routing rules of one event. The reference
// policy's billing rule looks for its keywords in ticket.subject + " " +
// event.text and its outage rule for others in event.text: routing an
// event would read event.text twice. Instead, the rules' has_keyword
// calls are planned together once the rules are compiled: each field they
// read (a slot) is scanned at most once per event, for the keywords of
// every list that reads it (a union of the lists; or of every slot's
// lists, when the slots share one union: see oneUnion), and each call
// reads the bits of its list from that scan.
//
// A concatenation is read from the scans of its parts when its fields are
// apart, between literals that begin and end with an ASCII byte that is
// not part of a word, and every keyword of the list is made of word runes
// alone: a keyword can then only match inside one part, as a whole
// maximal run of word runes, so the text has the keyword exactly when one
// of its parts has it (the literals' own words are matched when the rules
// are compiled). Only the fields the rules cannot change are shared (not
// ticket.priority, team or agent), so the scans made for one rule hold
// for the next.

// scans holds, for one ticket and event, the keyword scans made so far:
// bit scanPairs+slot says that the field of the slot was scanned, and the
// bits below it which of the slots' lists it has (see scanPlan.base).
type scans uint64

const (
	scanSlots = 8                     // fields scanned per event, at most
	scanPairs = 64 - scanSlots        // lists over all slots, at most
	scanDone  = scans(1) << scanPairs // the bit of slot 0's scan
)

// scanPlan is the plan of the keyword scans shared by a set of rules;
// immutable once compiled. A nil plan shares none.
type scanPlan struct {
	// collect is set while the rules' conditions are walked to find
	// their calls: the calls are noted, and none reads the scans.
	collect bool
	fields  []strField    // by slot: the field scanned
	lists   [][]*keywords // by slot: the lists looked for in it, in bit order
	slots   []*scanSlot
}

// scanSlot is a field the rules scan.
type scanSlot struct {
	field strField
	base  uint8     // the bit of the first of its lists
	done  scans     // the bit of its scan
	union *keywords // its lists' keywords
}

// planScans returns the plan of the scans the conditions can share and
// compiles their Go code with it; nil when they share none.
func planScans(conds []*cond) *scanPlan { return planScansWith(conds, true) }

// planScansWith is planScans; with one false, each slot has a union of its
// own (see oneUnion).
func planScansWith(conds []*cond, one bool) *scanPlan {
	pl := &scanPlan{collect: true}
	for _, c := range conds {
		c.compileNative(pl)
	}
	pl.collect = false
	var u1 *keywords
	if one {
		u1 = pl.oneUnion()
	}
	bit := 0
	for slot, lists := range pl.lists {
		lists = lists[:min(len(lists), scanPairs-bit)]
		u := u1
		if u == nil {
			u = newKeywordUnion(lists)
		}
		if u == nil {
			lists = nil
		}
		pl.lists[slot] = lists
		pl.slots = append(pl.slots, &scanSlot{field: pl.fields[slot], base: uint8(bit), done: scanDone << slot, union: u})
		bit += len(lists)
	}
	if bit == 0 {
		return nil
	}
	for _, c := range conds {
		c.compileNative(pl)
	}
	return pl
}

// oneUnion returns the union of the lists of all slots, when there are
// two slots or more, the union's lists, once per slot, fit in the scans'
// bits, and the union has an automaton; it then gives that union's lists
// to every slot. Otherwise it returns nil and each slot has a union of its
// own.
//
// The slots (ticket.subject and event.text, for the reference policy's
// billing rule) then share one automaton: the scan of one field leaves the
// table's lines in the cache for the scan of the next, where two automata
// would each find theirs cold. Each list's bit in a union's scan is exact
// whatever the other lists are, and the bits of a slot's lists that no
// call reads through it are not read.
func (pl *scanPlan) oneUnion() *keywords {
	if len(pl.lists) < 2 {
		return nil
	}
	var all []*keywords
	for _, lists := range pl.lists {
		for _, kw := range lists {
			if !slices.Contains(all, kw) {
				all = append(all, kw)
			}
		}
	}
	if len(pl.lists)*len(all) > scanPairs {
		return nil
	}
	u := newKeywordUnion(all)
	if u == nil || u.dfa == nil {
		return nil
	}
	for slot := range pl.lists {
		pl.lists[slot] = all
	}
	return u
}

// shared returns has_keyword(text, kw) reading the scans of the plan, nil
// when the plan does not share them. While the plan collects, it notes
// the call.
func (pl *scanPlan) shared(text operand, kw *keywords) nativeFunc {
	if pl == nil || !shareable(text, kw) {
		return nil
	}
	if pl.collect {
		pl.note(text, kw)
		return nil
	}
	type ref struct {
		slot *scanSlot
		bit  scans
	}
	var refs []ref
	lit := false
	for _, p := range text {
		if p.field == 0 {
			lit = lit || kw.matchString(p.lit)
			continue
		}
		slot := slices.Index(pl.fields, p.field)
		if slot < 0 {
			return nil
		}
		j := slices.Index(pl.lists[slot], kw)
		if j < 0 {
			return nil
		}
		s := pl.slots[slot]
		refs = append(refs, ref{s, scans(1) << (int(s.base) + j)})
	}
	if lit { // a literal has a keyword: the text always has
		return func(_ *sla.Ticket, _ *sla.Event, m scans) (bool, scans) { return true, m }
	}
	if len(refs) == 1 { // a field alone
		s, bit := refs[0].slot, refs[0].bit
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			if m&s.done == 0 {
				m |= s.scan(t, ev)
			}
			return m&bit != 0, m
		}
	}
	if len(refs) == 2 { // two fields, as in ticket.subject + " " + event.text
		s0, bit0, s1, bit1 := refs[0].slot, refs[0].bit, refs[1].slot, refs[1].bit
		return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
			if m&s0.done == 0 {
				m |= s0.scan(t, ev)
			}
			if m&bit0 != 0 {
				return true, m
			}
			if m&s1.done == 0 {
				m |= s1.scan(t, ev)
			}
			return m&bit1 != 0, m
		}
	}
	return func(t *sla.Ticket, ev *sla.Event, m scans) (bool, scans) {
		for _, r := range refs {
			if m&r.slot.done == 0 {
				m |= r.slot.scan(t, ev)
			}
			if m&r.bit != 0 {
				return true, m
			}
		}
		return false, m
	}
}

// scan scans the field for the keywords of the slot's lists and returns
// the bits of those found and the bit of the scan.
func (s *scanSlot) scan(t *sla.Ticket, ev *sla.Event) scans {
	var v string
	switch s.field { // the fields has_keyword reads most, read in place
	case eventText:
		v = cut(ev.Text, maxTextBytes)
	case ticketSubject:
		v = cut(t.Subject, maxTextBytes)
	default:
		v = s.field.get(t, ev)
	}
	if v == "" {
		return s.done
	}
	// keywords.scan's dispatch in line: a text scanned by the automaton
	// (most) makes no call through scan.
	var found uint64
	if d := s.union.dfa; d != nil {
		found = d.scan(s.union, v)
	} else {
		found = s.union.scan([]string{v})
	}
	return scans(found)<<(s.base&63) | s.done
}

// note adds the fields of text to the slots (while there is room) and kw
// to the lists of each.
func (pl *scanPlan) note(text operand, kw *keywords) {
	for _, p := range text {
		if p.field == 0 {
			continue
		}
		slot := slices.Index(pl.fields, p.field)
		if slot < 0 {
			if len(pl.fields) == scanSlots {
				continue
			}
			slot = len(pl.fields)
			pl.fields = append(pl.fields, p.field)
			pl.lists = append(pl.lists, nil)
		}
		if !slices.Contains(pl.lists[slot], kw) {
			pl.lists[slot] = append(pl.lists[slot], kw)
		}
	}
}

// shareable reports whether has_keyword(text, kw) can be read from scans
// of text's fields: it reads at least one field, none that a rule
// changes, and, for a concatenation, its fields are apart between
// separating literals and kw's keywords are words (see the top of this
// file).
func shareable(text operand, kw *keywords) bool {
	fields := 0
	for i, p := range text {
		switch {
		case p.field == 0:
			if len(text) > 1 && !separates(p.lit) {
				return false
			}
		case !p.field.stable():
			return false
		case i > 0 && text[i-1].field != 0:
			return false
		default:
			fields++
		}
	}
	return fields > 0 && (len(text) == 1 || kw.words())
}

// separates reports whether s begins and ends with an ASCII byte that is
// not part of a word.
func separates(s string) bool {
	return s != "" && s[0] < utf8.RuneSelf && !asciiWord[s[0]] &&
		s[len(s)-1] < utf8.RuneSelf && !asciiWord[s[len(s)-1]]
}

// words reports whether every keyword is made of word runes alone.
func (k *keywords) words() bool {
	for _, kw := range k.folded {
		for _, r := range kw {
			if !isWordRune(r) {
				return false
			}
		}
	}
	return true
}

// stable reports whether no routing rule changes the field: rules write a
// ticket's priority, team, agent, tags and fields.
func (f strField) stable() bool {
	switch f {
	case ticketPriority, ticketTeam, ticketAgent:
		return false
	}
	return true
}
