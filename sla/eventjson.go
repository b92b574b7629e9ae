package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
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

// eventDecoder reads one event. A syntax error stops it; any other problem
// (an unknown key, a value of the wrong type) is remembered and decoding
// goes on, so that the event still carries its ticket id.
type eventDecoder struct {
	b      []byte
	i      int
	first  *ReadError // first problem found
	broken bool       // a syntax error: decoding stopped
	ev     Event
}

// decodeEvent decodes b, which must hold one JSON object and nothing else
// but white space.
func decodeEvent(b []byte) (Event, *ReadError) {
	d := eventDecoder{b: b}
	d.skipSpace()
	if d.i == len(d.b) {
		return Event{}, &ReadError{Msg: "blank line: want one JSON object", Err: ErrBlankLine}
	}
	if d.b[d.i] != '{' {
		d.syntax("want a JSON object, got %s", d.what())
		return d.ev, d.first
	}
	if !d.object() {
		return d.ev, d.first
	}
	d.skipSpace()
	if d.i < len(d.b) {
		d.syntax("more than one JSON value on the line")
	}
	return d.ev, d.first
}

// event keys, as bits for the duplicate check.
const (
	keyTicket = 1 << iota
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

// object reads the event object; it reports false after a syntax error.
func (d *eventDecoder) object() bool {
	ev := &d.ev
	var seen uint32
	team := false // "team" is a string, not null
	ok := d.members(func(key []byte, at int) bool {
		var bit uint32
		switch string(key) {
		case "ticket":
			bit = keyTicket
			ev.TicketID = d.str(key)
		case "at":
			bit = keyAt
			d.instant(key)
		case "type":
			bit = keyType
			ev.Type = EventType(d.common(key))
		case "channel":
			bit = keyChannel
			ev.Channel = d.common(key)
		case "priority":
			bit = keyPriority
			ev.Priority = d.common(key)
		case "status":
			bit = keyStatus
			ev.Status = Status(d.common(key))
		case "team":
			bit = keyTeam
			team = d.peek() == '"'
			ev.Team = d.str(key)
		case "agent":
			bit = keyAgent
			ev.Agent = d.str(key)
		case "tags":
			bit = keyTags
			ev.Tags = d.strs(key)
		case "remove_tags":
			bit = keyRemoveTags
			ev.RemoveTags = d.strs(key)
		case "subject":
			bit = keySubject
			ev.Subject = d.str(key)
		case "customer":
			bit = keyCustomer
			ev.Customer = d.customer()
		case "fields":
			bit = keyFields
			ev.Fields = d.fields(key)
		case "author":
			bit = keyAuthor
			ev.Author = Author(d.common(key))
		case "public":
			bit = keyPublic
			if b, ok := d.boolean(key); ok {
				ev.Public = &b
			}
		case "text":
			bit = keyText
			ev.Text = d.str(key)
		case "message_id":
			bit = keyMessageID
			ev.MessageID = d.str(key)
		case "referral":
			bit = keyReferral
			ev.Referral, _ = d.boolean(key)
		case "tier":
			bit = keyTier
			ev.Tier = d.tier(key)
		case "score":
			bit = keyScore
			ev.Score = d.integer(key)
		default:
			d.fail(at, "%s", unknownKey(key, eventKeys))
			d.value(0)
		}
		d.once(&seen, bit, at, "", key)
		return true
	})
	ev.ClearTeam = team && ev.Type == EventAssign && ev.Team == ""
	return ok
}

// members reads the members of an object at d.i ('{'), calling member
// with each key (the reader then at its value) and the key's offset.
// member must consume the value. It reports false after a syntax error.
func (d *eventDecoder) members(member func(key []byte, at int) bool) bool {
	d.i++ // '{'
	d.skipSpace()
	if d.peek() == '}' {
		d.i++
		return true
	}
	for {
		d.skipSpace()
		at := d.i
		if d.peek() != '"' {
			return d.syntax("want a key in double quotes, got %s", d.what())
		}
		key, ok := d.rawString()
		if !ok {
			return false
		}
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(d.unquote(key))
		}
		d.skipSpace()
		if d.peek() != ':' {
			return d.syntax("want ':' after key %s, got %s", quote(key), d.what())
		}
		d.i++
		d.skipSpace()
		if !member(key, at) || d.syntaxFailed() {
			return false
		}
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return true
		default:
			return d.syntax("want ',' or '}' after the value of %s, got %s", quote(key), d.what())
		}
	}
}

// str reads a string value (null is "").
func (d *eventDecoder) str(key []byte) string {
	switch d.peek() {
	case '"':
		s, _ := d.stringValue()
		return s
	case 'n':
		d.null()
		return ""
	}
	d.wrongType(key, "a string")
	return ""
}

// commonValues holds the values most events repeat (event types,
// statuses, authors, the usual channels and priorities), so that decoding
// them allocates nothing. It is never written after init.
var commonValues = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{
		string(EventCreated), string(EventMessage), string(EventNote), string(EventStatus), string(EventPriority),
		string(EventAssign), string(EventUpdate), string(EventEscalated), string(EventCSAT), string(EventWindowRejected),
		string(AuthorCustomer), string(AuthorAgent), string(AuthorBot),
		WhatsAppChannel, "email", "chat", "phone", "web", "sms", "social",
		"low", "normal", "high", "urgent", "critical",
	} {
		m[v] = v
	}
	for _, st := range lifeCycle {
		m[string(st)] = string(st)
	}
	return m
}()

// common reads a string value that is often one of commonValues.
func (d *eventDecoder) common(key []byte) string {
	if d.peek() == '"' {
		j := d.i + 1
		for j < len(d.b) && d.b[j] != '"' && d.b[j] != '\\' {
			j++
		}
		if j < len(d.b) && d.b[j] == '"' {
			if v, ok := commonValues[string(d.b[d.i+1:j])]; ok {
				d.i = j + 1
				return v
			}
		}
	}
	return d.str(key)
}

// instant reads "at": an RFC 3339 instant with a UTC offset.
func (d *eventDecoder) instant(key []byte) {
	at := d.i
	if d.peek() == 'n' {
		d.null()
		return
	}
	if d.peek() != '"' {
		d.wrongType(key, "an RFC 3339 instant in a string, such as \"2026-03-02T09:05:00-03:00\"")
		return
	}
	raw, ok := d.rawString()
	if !ok {
		return
	}
	if err := d.ev.At.UnmarshalText(raw); err != nil {
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
	if out == nil && !d.syntaxFailed() {
		out = []string{}
	}
	return out
}

// once records that the key of bit was read, reporting it (with prefix)
// when it was read before.
func (d *eventDecoder) once(seen *uint32, bit uint32, at int, prefix string, key []byte) {
	if *seen&bit != 0 {
		d.fail(at, "%sduplicate key %s", prefix, quote(key))
	}
	*seen |= bit
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
		if d.syntaxFailed() {
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

// customer reads the customer object (null is nil).
func (d *eventDecoder) customer() *Customer {
	switch d.peek() {
	case 'n':
		d.null()
		return nil
	case '{':
	default:
		d.wrongType([]byte("customer"), "an object")
		return nil
	}
	c := &Customer{}
	values := [...]*string{&c.ID, &c.Tier, &c.Country, &c.Language, &c.Phone} // in the order of customerKeys
	var seen uint32
	d.members(func(key []byte, at int) bool {
		for i, k := range customerKeys {
			if string(key) == k {
				*values[i] = d.str(key)
				d.once(&seen, 1<<i, at, "customer: ", key)
				return true
			}
		}
		d.fail(at, "customer: %s", unknownKey(key, customerKeys))
		d.value(0)
		return true
	})
	return c
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

// tier reads a string or a number (kept as written: 2 is "2").
func (d *eventDecoder) tier(key []byte) string {
	switch c := d.peek(); {
	case c == '"' || c == 'n':
		return d.str(key)
	case c == '-' || (c >= '0' && c <= '9'):
		n, _ := d.number()
		return string(n)
	}
	d.wrongType(key, "a string or a number")
	return ""
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
		d.members(func(key []byte, at int) bool {
			k := string(key)
			if _, dup := m[k]; dup {
				d.fail(at, "duplicate key %s", quote(key))
			}
			m[k] = d.value(depth + 1)
			return true
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

// rawString reads a string at d.i and returns its bytes between the
// quotes, escapes and all.
func (d *eventDecoder) rawString() ([]byte, bool) {
	b := d.b
	start := d.i + 1
	for i := start; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return b[start:i], true
		case c == '\\':
			i++
		case c < 0x20:
			d.i = i
			return nil, d.syntax("control character %#02x in a string (write it as \\u%04x)", c, c)
		}
	}
	d.i = len(b)
	return nil, d.syntax("string not closed")
}

// stringValue reads a string value.
func (d *eventDecoder) stringValue() (string, bool) {
	raw, ok := d.rawString()
	if !ok {
		return "", false
	}
	return d.unquote(raw), true
}

// unquote returns the string of the raw bytes between quotes. Escapes are
// decoded and invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func (d *eventDecoder) unquote(raw []byte) string {
	ascii, escaped := true, false
	for _, c := range raw {
		ascii = ascii && c < utf8.RuneSelf
		escaped = escaped || c == '\\'
	}
	if !escaped && (ascii || utf8.Valid(raw)) {
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

func (d *eventDecoder) skipSpace() {
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

func (d *eventDecoder) syntaxFailed() bool { return d.broken }

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
