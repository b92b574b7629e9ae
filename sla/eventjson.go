package sla

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the JSON codec of Event. Decoding is a single pass over
// the bytes written for the events format: keys must be spelt exactly
// (case included), each key may appear once, and an unknown key is an
// error. encoding/json matches keys without regard to case and keeps the
// last of two equal keys, which lets a misspelt or doubled field through.

// eventFields is Event without its methods, so that the JSON encoder of
// Event can reuse the struct tags without recursing.
type eventFields Event

// MarshalJSON encodes the event in the events format; ClearTeam is written
// as "team": "".
func (ev Event) MarshalJSON() ([]byte, error) {
	var w struct {
		*eventFields
		Team *string `json:"team,omitempty"`
	}
	w.eventFields = (*eventFields)(&ev)
	if ev.Team != "" || (ev.ClearTeam && ev.Type == EventAssign) {
		w.Team = &ev.Team
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes one event of the events format, strictly: keys
// are matched exactly, and an unknown or repeated key is an error. Two
// payloads take more than one JSON form: "tier" is a string or a number
// (2 becomes "2"), and "team": "" on an assign event sets ClearTeam. A
// null value counts as an absent key. The instant "at" must be RFC 3339
// with a UTC offset.
//
// On error the event holds what could be read (the ticket id, in
// particular, when the line is well-formed JSON).
func (ev *Event) UnmarshalJSON(b []byte) error {
	var err *ReadError
	*ev, err = decodeEvent(b)
	if err != nil {
		return err
	}
	return nil
}

// maxDepth bounds the nesting of arrays and objects in "fields".
const maxDepth = 1000

// eventDecoder reads events. A syntax error stops it; any other problem
// (an unknown key, a value of the wrong type) is remembered and decoding
// goes on, so that the event still carries its ticket id.
//
// The plain short strings of an event (no escapes, valid UTF-8, at most
// maxShared bytes) are copied into one buffer and become substrings of a
// single string made when the event is done: one allocation per event, not
// one per string, and a string the engine keeps holds no more than its
// event's short strings.
type eventDecoder struct {
	b      []byte
	i      int
	first  *ReadError // first problem found
	broken bool       // a syntax error: decoding stopped
	team   bool       // "team" is a string, not null

	ticket  []byte          // the ticket id read by head, a plain ASCII string not yet set
	text    []byte          // the plain strings of the event, one after the other
	pending []pendingString // where they go
	recent  *recentStrings  // the strings of events with one: nil for none

	instants *instantCache // nil for none
}

// recentStrings keeps the strings of recent events that had only one (as
// a rule, a ticket id), and agents' and teams' names, by a hash of their
// bytes, so that the next event of the ticket, or the next assignment to
// the agent, takes the same string and allocates nothing. It keeps a
// string until another takes its slot: its memory is bounded.
type recentStrings [4096]recentString

type recentString struct {
	s      string
	prefix uint64 // prefixWord of s: a string of up to eight bytes is compared as one number
}

// recentSlot returns the slot of b, whose prefixWord is prefix, in a
// recentStrings: a hash of its first and last eight bytes and its length.
func recentSlot(b []byte, prefix uint64) int {
	h := prefix ^ uint64(len(b))<<59
	if len(b) > 8 {
		h = h*0xff51afd7ed558ccd ^ binary.LittleEndian.Uint64(b[len(b)-8:])
	}
	return int(h * 0x9e3779b97f4a7c15 >> 52) // 12 bits: len(recentStrings{}) slots
}

// maxRecent is the longest string a recentStrings keeps.
const maxRecent = 32

// get returns the string of b, from r when it is there.
func (r *recentStrings) get(b []byte) string {
	prefix := prefixWord(b)
	e := &r[recentSlot(b, prefix)]
	if e.prefix != prefix || len(e.s) != len(b) || len(b) > 8 && e.s[8:] != string(b[8:]) {
		e.s, e.prefix = string(b), prefix
	}
	return e.s
}

// pendingString is a string of the event to set from eventDecoder.text.
type pendingString struct {
	field    field
	from, to int
}

// field names a string of an event. The decoder names them rather than
// holding pointers into the event, which then stays on the caller's stack.
type field uint8

const (
	fieldTicket field = iota
	fieldType
	fieldChannel
	fieldPriority
	fieldStatus
	fieldTeam
	fieldAgent
	fieldSubject
	fieldAuthor
	fieldText
	fieldMessageID
	fieldTier
	fieldCustomer // + the index in customerKeys
)

// of returns the string of ev that f names; for a customer's, ev.Customer
// must be set.
func (f field) of(ev *Event) *string {
	switch f {
	case fieldTicket:
		return &ev.TicketID
	case fieldType:
		return (*string)(&ev.Type)
	case fieldChannel:
		return &ev.Channel
	case fieldPriority:
		return &ev.Priority
	case fieldStatus:
		return (*string)(&ev.Status)
	case fieldTeam:
		return &ev.Team
	case fieldAgent:
		return &ev.Agent
	case fieldSubject:
		return &ev.Subject
	case fieldAuthor:
		return (*string)(&ev.Author)
	case fieldText:
		return &ev.Text
	case fieldMessageID:
		return &ev.MessageID
	case fieldTier:
		return &ev.Tier
	}
	c := ev.Customer
	return [...]*string{&c.ID, &c.Tier, &c.Country, &c.Language, &c.Phone}[f-fieldCustomer] // in the order of customerKeys
}

// maxShared is the longest string that shares its event's allocation. A
// longer one (a message's text, as a rule) has its own, so that a short
// string the engine keeps for a ticket's life (its id, its subject) does
// not keep it too.
const maxShared = 64

// maxKeptText is the largest text buffer an eventDecoder keeps between
// events.
const maxKeptText = 64 << 10

// decodeEvent decodes b, which must hold one JSON object and nothing else
// but white space.
func decodeEvent(b []byte) (Event, *ReadError) {
	var (
		d  eventDecoder
		ev Event
	)
	err := d.decode(&ev, b)
	return ev, err
}

// decode decodes the event of line b into ev (overwritten).
func (d *eventDecoder) decode(ev *Event, b []byte) *ReadError {
	*ev = Event{}
	d.b, d.i, d.first, d.broken, d.team, d.ticket = b, 0, nil, false, false, nil
	d.skipSpace()
	if d.i == len(d.b) {
		return &ReadError{Msg: "blank line: want one JSON object", Err: ErrBlankLine}
	}
	if d.b[d.i] != '{' {
		d.syntax("want a JSON object, got %s", d.what())
		return d.first
	}
	if d.object(ev) {
		d.skipSpace()
		if d.i < len(d.b) {
			d.syntax("more than one JSON value on the line")
		}
	}
	d.flush(ev)
	ev.ClearTeam = d.team && ev.Type == EventAssign && ev.Team == ""
	if cap(d.text) > maxKeptText {
		d.text = nil
	}
	d.b = nil
	return d.first
}

// flush sets the pending strings of ev.
func (d *eventDecoder) flush(ev *Event) {
	if d.ticket != nil {
		id := d.ticket
		d.ticket = nil
		if len(d.pending) == 0 && len(id) <= maxRecent && d.recent != nil {
			ev.TicketID = d.recent.get(id)
			return
		}
		d.set(ev, fieldTicket, id, 0)
	}
	if len(d.pending) == 0 {
		return
	}
	if len(d.pending) == 1 && len(d.text) <= maxRecent && d.recent != nil {
		*d.pending[0].field.of(ev) = d.recent.get(d.text)
		d.pending, d.text = d.pending[:0], d.text[:0]
		return
	}
	s := string(d.text)
	for _, p := range d.pending {
		*p.field.of(ev) = s[p.from:p.to]
	}
	d.pending, d.text = d.pending[:0], d.text[:0]
}

// event keys, in the order of eventKeys; 1<<key is the key's bit for the
// duplicate check.
const (
	keyTicket = iota
	keyAt
	keyType
	keyChannel
	keyPriority
	keyStatus
	keyTeam
	keyAgent
	keyTags
	keyRemoveTags
	keySubject
	keyCustomer
	keyFields
	keyAuthor
	keyPublic
	keyText
	keyMessageID
	keyReferral
	keyTier
	keyScore
)

// eventKeys lists the keys of the events format, for hints.
var eventKeys = []string{"ticket", "at", "type", "channel", "priority", "status", "team", "agent", "tags",
	"remove_tags", "subject", "customer", "fields", "author", "public", "text", "message_id", "referral", "tier", "score"}

var customerKeys = []string{"id", "tier", "country", "language", "phone"}

var (
	eventKeyTable    = newWordTable(eventKeys...)
	customerKeyTable = newWordTable(customerKeys...)
)

// object reads the event object; it reports false after a syntax error.
func (d *eventDecoder) object(ev *Event) bool {
	var seen uint32
	if d.open() {
		return true
	}
	if d.head(ev) {
		seen = 1<<keyTicket | 1<<keyAt | 1<<keyType
		if d.i < len(d.b) && d.b[d.i] == ',' { // as next does, without a call
			d.i++
		} else if !d.next(typeKey) {
			return !d.broken
		}
	}
	for {
		key, prefix, at, ok := d.key()
		if !ok {
			return false
		}
		k := eventKeyTable.findPrefix(key, prefix)
		var bit uint32 // none for an unknown key
		if k >= 0 {
			bit = 1 << (uint(k) & 31)
		}
		if seen&bit != 0 {
			d.flush(ev) // the first value is set before the second
		}
		switch k {
		case keyTicket:
			d.str(ev, fieldTicket, key)
		case keyAt:
			d.instant(ev, key)
		case keyType:
			d.common(ev, fieldType, key)
		case keyChannel:
			d.common(ev, fieldChannel, key)
		case keyPriority:
			d.common(ev, fieldPriority, key)
		case keyStatus:
			d.common(ev, fieldStatus, key)
		case keyTeam:
			d.team = d.peek() == '"'
			d.str(ev, fieldTeam, key)
		case keyAgent:
			d.str(ev, fieldAgent, key)
		case keyTags:
			ev.Tags = d.strs(key)
		case keyRemoveTags:
			ev.RemoveTags = d.strs(key)
		case keySubject:
			d.str(ev, fieldSubject, key)
		case keyCustomer:
			d.customer(ev)
		case keyFields:
			ev.Fields = d.fields(key)
		case keyAuthor:
			d.common(ev, fieldAuthor, key)
		case keyPublic:
			if b, ok := d.boolean(key); ok {
				ev.Public = &b
			}
		case keyText:
			d.str(ev, fieldText, key)
		case keyMessageID:
			d.str(ev, fieldMessageID, key)
		case keyReferral:
			ev.Referral, _ = d.boolean(key)
		case keyTier:
			d.tier(ev, key)
		case keyScore:
			ev.Score = d.integer(key)
		default:
			d.fail(at, "%s", unknownKey(key, eventKeys))
			d.value(0)
		}
		if d.broken {
			return false
		}
		d.once(&seen, bit, at, "", key)
		if d.i < len(d.b) && d.b[d.i] == ',' { // as next does, without a call
			d.i++
		} else if !d.next(key) {
			return !d.broken
		}
	}
}

// open reads the '{' of an object at d.i and reports whether the object
// is empty (its '}' read too).
func (d *eventDecoder) open() bool {
	d.i++ // '{'
	d.skipSpace()
	if d.peek() == '}' {
		d.i++
		return true
	}
	return false
}

// key reads a member's key and its ':', leaving the reader at the value.
// It returns the key, its prefixWord and its offset, and false after a
// syntax error.
func (d *eventDecoder) key() ([]byte, uint64, int, bool) {
	// Most often: no white space before it, a plain key of at most eight
	// bytes, and ':' right after it.
	if b, at := d.b, d.i; at+9 <= len(b) && b[at] == '"' {
		i := at + 1
		x := binary.LittleEndian.Uint64(b[i:])
		n := bits.TrailingZeros64(stopBytes(x)) >> 3 // 8 when the first eight bytes are plain
		if i+n+1 < len(b) && b[i+n] == '"' && b[i+n+1] == ':' {
			d.i = i + n + 2
			d.skipSpace()
			if n < 8 {
				x &= lowBytes(n)
			}
			return b[i : i+n], x, at, true
		}
	}
	return d.keyOther()
}

// keyOther is key for the other keys: after white space, escaped, longer,
// or not followed at once by ':'.
func (d *eventDecoder) keyOther() ([]byte, uint64, int, bool) {
	d.skipSpace()
	at := d.i
	if d.peek() != '"' {
		return nil, 0, at, d.syntax("want a key in double quotes, got %s", d.what())
	}
	key, flags, ok := d.scanString()
	if !ok {
		return nil, 0, at, false
	}
	if flags&strEscaped != 0 {
		key = []byte(d.unquote(key, flags))
	}
	d.skipSpace()
	if d.peek() != ':' {
		return nil, 0, at, d.syntax("want ':' after key %s, got %s", quote(key), d.what())
	}
	d.i++
	d.skipSpace()
	return key, prefixWord(key), at, true
}

// next reads what follows a member's value: it reports true after a ','
// (another member follows) and false after the '}' or a syntax error.
func (d *eventDecoder) next(key []byte) bool {
	if d.i < len(d.b) && d.b[d.i] == '}' { // most often, the ',' being read by the caller
		d.i++
		return false
	}
	d.skipSpace()
	switch d.peek() {
	case ',':
		d.i++
		return true
	case '}':
		d.i++
		return false
	}
	return d.syntax("want ',' or '}' after the value of %s, got %s", quote(key), d.what())
}

// members reads the members of an object at d.i ('{'), calling member
// with each key (the reader then at its value) and the key's offset.
// member must consume the value. It reports false after a syntax error.
func (d *eventDecoder) members(member func(key []byte, at int)) bool {
	if d.open() {
		return true
	}
	for {
		key, _, at, ok := d.key()
		if !ok {
			return false
		}
		member(key, at)
		if d.broken {
			return false
		}
		if !d.next(key) {
			return !d.broken
		}
	}
}

// str reads a string value (null is "") into the field f of ev.
func (d *eventDecoder) str(ev *Event, f field, key []byte) {
	switch d.peek() {
	case '"':
		raw, flags, ok := d.scanString()
		if ok {
			d.set(ev, f, raw, flags)
		} else {
			*f.of(ev) = ""
		}
		return
	case 'n':
		d.null()
	default:
		d.wrongType(key, "a string")
	}
	*f.of(ev) = ""
}

// set sets the field f of ev to the string of raw, a string's bytes
// between quotes with flags: when the event is done, from the event's
// text, if the string is plain and short.
func (d *eventDecoder) set(ev *Event, f field, raw []byte, flags uint8) {
	if flags&strEscaped != 0 || flags&strNonASCII != 0 && !utf8.Valid(raw) || len(raw) > maxShared {
		if (f == fieldTicket || f == fieldMessageID) && !validIDText(raw) {
			// The opening quote: raw ends where the closing one was read.
			d.fail(d.i-len(raw)-2, "%s: not valid UTF-8", fieldKeys[f])
		}
		*f.of(ev) = d.unquote(raw, flags)
		return
	}
	if d.recent != nil && len(raw) <= maxRecent { // the few names of a desk's agents and teams
		switch f {
		case fieldAgent:
			ev.Agent = d.recent.get(raw)
			return
		case fieldTeam:
			ev.Team = d.recent.get(raw)
			return
		}
	}
	from := len(d.text)
	d.text = append(d.text, raw...)
	d.pending = append(d.pending, pendingString{field: f, from: from, to: len(d.text)})
}

// commonValues holds the values most events repeat (event types,
// statuses, authors, the usual channels and priorities), so that decoding
// them allocates nothing. It is never written after init.
var commonValues = func() *wordTable {
	words := []string{
		string(EventCreated), string(EventMessage), string(EventNote), string(EventStatus), string(EventPriority),
		string(EventAssign), string(EventUpdate), string(EventEscalated), string(EventCSAT), string(EventWindowRejected),
		string(AuthorCustomer), string(AuthorAgent), string(AuthorBot),
		WhatsAppChannel, "email", "chat", "phone", "web", "sms", "social",
		"low", "normal", "high", "urgent", "critical",
	}
	for _, st := range lifeCycle {
		if !slices.Contains(words, string(st)) {
			words = append(words, string(st))
		}
	}
	return newWordTable(words...)
}()

// common reads a string value that is often one of commonValues into the
// field f of ev.
func (d *eventDecoder) common(ev *Event, f field, key []byte) {
	if d.peek() != '"' {
		d.str(ev, f, key)
		return
	}
	if k, end := shortCommon(d.b, d.i+1); k >= 0 {
		d.i = end + 1
		*f.of(ev) = commonValues.words[k]
		return
	}
	raw, flags, ok := d.scanString()
	switch {
	case !ok:
		*f.of(ev) = ""
	case flags != 0:
		d.set(ev, f, raw, flags)
	default:
		if k := commonValues.find(raw); k >= 0 {
			*f.of(ev) = commonValues.words[k]
		} else {
			d.set(ev, f, raw, flags)
		}
	}
}

// instant reads "at": an RFC 3339 instant with a UTC offset.
func (d *eventDecoder) instant(ev *Event, key []byte) {
	at := d.i
	if d.peek() == 'n' {
		d.null()
		return
	}
	if d.peek() != '"' {
		d.wrongType(key, "an RFC 3339 instant in a string, such as \"2026-03-02T09:05:00-03:00\"")
		return
	}
	raw, _, ok := d.scanString()
	if !ok {
		return
	}
	var err error
	if ev.At, err = d.instants.parse(raw); err != nil {
		s := string(raw)
		if noOffset(s) {
			d.fail(at, "%s: %s has no UTC offset: add a UTC offset, such as %s or %s",
				quote(key), shortQuote(s), strconv.Quote(s+"Z"), strconv.Quote(s+"-03:00"))
		} else {
			d.fail(at, "%s: %s is not an RFC 3339 instant such as \"2026-03-02T09:05:00-03:00\"", quote(key), shortQuote(s))
		}
	}
}

// noOffset reports whether s is a date and time of day without a UTC
// offset, such as 2026-03-02T09:05:00 or 2026-03-02 09:05:00.123.
func noOffset(s string) bool {
	if len(s) < len("2006-01-02T15:04") || len(s) > 40 {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case i == 10:
			if c != 'T' && c != 't' && c != ' ' {
				return false
			}
		case i == 4 || i == 7:
			if c != '-' {
				return false
			}
		case i == 13 || i == 16:
			if c != ':' {
				return false
			}
		case i == 19 && c == '.':
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// strs reads a list of strings (null is nil).
func (d *eventDecoder) strs(key []byte) []string {
	switch d.peek() {
	case 'n':
		d.null()
		return nil
	case '[':
	default:
		d.wrongType(key, "a list of strings")
		return nil
	}
	var out []string
	d.elements(func() {
		if d.peek() != '"' {
			d.wrongType(key, "a list of strings")
			return
		}
		s, _ := d.stringValue()
		out = append(out, s)
	})
	if out == nil && !d.broken {
		out = []string{}
	}
	return out
}

// once records that the key of bit was read, reporting it (with prefix)
// when it was read before.
func (d *eventDecoder) once(seen *uint32, bit uint32, at int, prefix string, key []byte) {
	if *seen&bit != 0 {
		d.duplicate(at, prefix, key)
	}
	*seen |= bit
}

func (d *eventDecoder) duplicate(at int, prefix string, key []byte) {
	d.fail(at, "%sduplicate key %s", prefix, quote(key))
}

// elements reads the elements of an array at d.i ('['), calling element
// with the reader at each one; element must consume it (or leave it
// unread after a problem, which d.value then skips).
func (d *eventDecoder) elements(element func()) {
	d.i++ // '['
	d.skipSpace()
	if d.peek() == ']' {
		d.i++
		return
	}
	for {
		d.skipSpace()
		start := d.i
		element()
		if d.broken {
			return
		}
		if d.i == start {
			d.value(0)
		}
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.syntax("want ',' or ']' in a list, got %s", d.what())
			return
		}
	}
}

// customer reads the customer object into ev.Customer (null is nil).
func (d *eventDecoder) customer(ev *Event) {
	ev.Customer = nil
	switch d.peek() {
	case 'n':
		d.null()
		return
	case '{':
	default:
		d.wrongType([]byte("customer"), "an object")
		return
	}
	ev.Customer = &Customer{}
	var seen uint32
	d.members(func(key []byte, at int) {
		k := customerKeyTable.find(key)
		if k < 0 {
			d.fail(at, "customer: %s", unknownKey(key, customerKeys))
			d.value(0)
			return
		}
		if seen&(1<<k) != 0 {
			d.flush(ev) // the first value is set before the second
		}
		d.str(ev, fieldCustomer+field(k), key)
		d.once(&seen, 1<<k, at, "customer: ", key)
	})
}

// fields reads the "fields" object: any JSON values by name.
func (d *eventDecoder) fields(key []byte) map[string]any {
	switch d.peek() {
	case 'n':
		d.null()
		return nil
	case '{':
	default:
		d.wrongType(key, "an object")
		return nil
	}
	m, _ := d.value(0).(map[string]any)
	return m
}

// boolean reads true, false or null (reported as not ok).
func (d *eventDecoder) boolean(key []byte) (v, ok bool) {
	switch {
	case d.literal("true"):
		return true, true
	case d.literal("false"):
		return false, true
	case d.literal("null"):
		return false, false
	}
	d.wrongType(key, "true or false")
	return false, false
}

// tier reads a string or a number (kept as written: 2 is "2") into
// ev.Tier.
func (d *eventDecoder) tier(ev *Event, key []byte) {
	switch c := d.peek(); {
	case c == '"' || c == 'n':
		d.str(ev, fieldTier, key)
		return
	case c == '-' || (c >= '0' && c <= '9'):
		n, _ := d.number()
		ev.Tier = string(n)
		return
	}
	d.wrongType(key, "a string or a number")
	ev.Tier = ""
}

// integer reads a whole number (null is 0).
func (d *eventDecoder) integer(key []byte) int {
	at := d.i
	switch c := d.peek(); {
	case c == 'n':
		d.null()
		return 0
	case c == '-' || (c >= '0' && c <= '9'):
		n, ok := d.number()
		if !ok {
			return 0
		}
		v, err := strconv.Atoi(string(n))
		if err != nil {
			d.fail(at, "%s: want a whole number, got %s", quote(key), shortQuote(string(n)))
		}
		return v
	}
	d.wrongType(key, "a number")
	return 0
}

// value reads any JSON value as encoding/json decodes it into an any
// (objects refuse duplicate keys); a syntax error returns nil.
func (d *eventDecoder) value(depth int) any {
	if depth > maxDepth {
		d.syntax("values nested more than %d deep", maxDepth)
		return nil
	}
	switch c := d.peek(); {
	case c == '"':
		s, _ := d.stringValue()
		return s
	case c == '{':
		m := map[string]any{}
		d.members(func(key []byte, at int) {
			k := string(key)
			if _, dup := m[k]; dup {
				d.fail(at, "duplicate key %s", quote(key))
			}
			m[k] = d.value(depth + 1)
		})
		return m
	case c == '[':
		l := []any{}
		d.elements(func() { l = append(l, d.value(depth+1)) })
		return l
	case c == '-' || (c >= '0' && c <= '9'):
		at := d.i
		n, ok := d.number()
		if !ok {
			return nil
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) {
			d.fail(at, "number %s is out of range", shortQuote(string(n)))
		}
		return f
	case d.literal("true"):
		return true
	case d.literal("false"):
		return false
	case d.literal("null"):
		return nil
	}
	d.syntax("want a JSON value, got %s", d.what())
	return nil
}

// number reads a JSON number and returns its text.
func (d *eventDecoder) number() ([]byte, bool) {
	start, b := d.i, d.b
	i := d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		d.i = i
		return nil, d.syntax("want a digit in a number, got %s", d.what())
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			d.i = j
			return nil, d.syntax("want a digit after the decimal point, got %s", d.what())
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			d.i = j
			return nil, d.syntax("want a digit in an exponent, got %s", d.what())
		}
		i = j
	}
	d.i = i
	return b[start:i], true
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// stringValue reads a string value.
func (d *eventDecoder) stringValue() (string, bool) {
	raw, flags, ok := d.scanString()
	if !ok {
		return "", false
	}
	return d.unquote(raw, flags), true
}

// fieldKeys are the JSON keys of the fields whose value validIDText
// checks, quoted as messages quote keys.
var fieldKeys = [...]string{fieldTicket: `"ticket"`, fieldMessageID: `"message_id"`}

// validIDText reports whether raw, a JSON string's bytes between quotes,
// is an id that decodes exactly: valid UTF-8 without an escaped lone
// surrogate (\udc00, say). encoding/json turns either into U+FFFD, which
// would make two different ids one (a ticket's events given to another
// ticket, a message counted as another's redelivery).
func validIDText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] != 'u' || i+6 > len(raw) {
			i++ // another escape, or a \u the decoder refuses
			continue
		}
		r := hex4(raw[i+2 : i+6])
		switch {
		case r >= 0xdc00 && r <= 0xdfff:
			return false // a second half with no first
		case r >= 0xd800 && r <= 0xdbff:
			if i+12 > len(raw) || raw[i+6] != '\\' || raw[i+7] != 'u' {
				return false
			}
			if lo := hex4(raw[i+8 : i+12]); lo < 0xdc00 || lo > 0xdfff {
				return false
			}
			i += 6
		}
		i += 5
	}
	return true
}

// hex4 returns the value of four hexadecimal digits, -1 when one is not.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unquote returns the string of the raw bytes between quotes. Escapes are
// decoded and invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func (d *eventDecoder) unquote(raw []byte, flags uint8) string {
	if flags&strEscaped == 0 && (flags&strNonASCII == 0 || utf8.Valid(raw)) {
		return string(raw)
	}
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		d.syntax("bad escape in the string %s", shortQuote(string(raw)))
		return ""
	}
	return s
}

// literal consumes word (true, false, null) if it is next.
func (d *eventDecoder) literal(word string) bool {
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

func (d *eventDecoder) null() {
	if !d.literal("null") {
		d.syntax("want a JSON value, got %s", d.what())
	}
}

func (d *eventDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// skipSpace skips white space; most often there is none.
func (d *eventDecoder) skipSpace() {
	if d.i < len(d.b) && d.b[d.i] > ' ' {
		return
	}
	d.skipSpaceLoop()
}

func (d *eventDecoder) skipSpaceLoop() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// what describes the input at d.i for an error message.
func (d *eventDecoder) what() string {
	if d.i >= len(d.b) {
		return "the end of the line"
	}
	switch c := d.b[d.i]; {
	case c == '[':
		return "a list"
	case c == '"':
		return "a string"
	case c >= 0x20 && c < utf8.RuneSelf:
		return strconv.QuoteRune(rune(c))
	default:
		return fmt.Sprintf("byte %#02x", c)
	}
}

// wrongType records that the value of key has the wrong type, and skips it.
func (d *eventDecoder) wrongType(key []byte, want string) {
	at := d.i
	got := "a number"
	switch d.peek() {
	case '"':
		got = "a string"
	case '{':
		got = "an object"
	case '[':
		got = "a list"
	case 't', 'f':
		got = "a boolean"
	case 'n':
		got = "null"
	}
	d.fail(at, "%s: want %s, got %s", quote(key), want, got)
	d.value(0)
}

// fail records a problem; decoding goes on.
func (d *eventDecoder) fail(at int, format string, args ...any) {
	if d.first == nil {
		d.first = &ReadError{Col: at + 1, Msg: fmt.Sprintf(format, args...)}
	}
}

// syntax records a syntax error at d.i, which stops decoding. It returns
// false for the callers' convenience.
func (d *eventDecoder) syntax(format string, args ...any) bool {
	if !d.broken {
		d.first = &ReadError{Col: d.i + 1, Msg: fmt.Sprintf(format, args...)}
		d.b = d.b[:d.i] // nothing more to read: every reader stops at once
		d.broken = true
	}
	return false
}

// unknownKey describes an unknown key, with the known key it may stand
// for: the same but for case or '-', or one or two letters away.
func unknownKey(key []byte, known []string) string {
	k := string(key)
	best, dist := "", 3
	for _, w := range known {
		if strings.EqualFold(k, w) || strings.EqualFold(strings.ReplaceAll(k, "-", "_"), w) {
			return fmt.Sprintf("unknown key %s (did you mean %q? keys are exact)", quote(key), w)
		}
		if d := editDistance(k, w, 3); d < dist {
			best, dist = w, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key %s (did you mean %q?)", quote(key), best)
	}
	return fmt.Sprintf("unknown key %s (keys: %s)", quote(key), strings.Join(known, ", "))
}

// editDistance returns the Levenshtein distance of a and b in bytes, or
// limit when it is limit or more (or a is much longer than b).
func editDistance(a, b string, limit int) int {
	if len(a) > len(b)+limit || len(b) > len(a)+limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// quote quotes a key for a message, shortened when long.
func quote(key []byte) string { return shortQuote(string(key)) }

// shortQuote quotes s, cut to at most 40 bytes of it.
func shortQuote(s string) string {
	const most = 40
	if len(s) <= most {
		return strconv.Quote(s)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("... (%d bytes)", len(s))
}
