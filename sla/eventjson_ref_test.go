package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file keeps the events decoder as it was before the scanner of
// eventjson_scan.go (a byte at a time, one allocation per string): the
// oracle of the differential tests. A new key of the events format goes
// into both.

// refDecoder reads one event. A syntax error stops it; any other problem
// (an unknown key, a value of the wrong type) is remembered and decoding
// goes on, so that the event still carries its ticket id.
type refDecoder struct {
	b      []byte
	i      int
	first  *ReadError // first problem found
	broken bool       // a syntax error: decoding stopped
	ev     Event
}

// decodeEvent decodes b, which must hold one JSON object and nothing else
// but white space.
func refDecodeEvent(b []byte) (Event, *ReadError) {
	d := refDecoder{b: b}
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

// object reads the event object; it reports false after a syntax error.
func (d *refDecoder) object() bool {
	ev := &d.ev
	var seen uint32
	team := false // "team" is a string, not null
	ok := d.members(func(key []byte, at int) bool {
		var bit uint32
		switch string(key) {
		case "ticket":
			bit = 1 << keyTicket
			ev.TicketID = d.idStr(key)
		case "at":
			bit = 1 << keyAt
			d.instant(key)
		case "type":
			bit = 1 << keyType
			ev.Type = EventType(d.common(key))
		case "channel":
			bit = 1 << keyChannel
			ev.Channel = d.common(key)
		case "priority":
			bit = 1 << keyPriority
			ev.Priority = d.common(key)
		case "status":
			bit = 1 << keyStatus
			ev.Status = Status(d.common(key))
		case "team":
			bit = 1 << keyTeam
			team = d.peek() == '"'
			ev.Team = d.str(key)
		case "agent":
			bit = 1 << keyAgent
			ev.Agent = d.str(key)
		case "tags":
			bit = 1 << keyTags
			ev.Tags = d.strs(key)
		case "remove_tags":
			bit = 1 << keyRemoveTags
			ev.RemoveTags = d.strs(key)
		case "subject":
			bit = 1 << keySubject
			ev.Subject = d.str(key)
		case "customer":
			bit = 1 << keyCustomer
			ev.Customer = d.customer()
		case "fields":
			bit = 1 << keyFields
			ev.Fields = d.fields(key)
		case "author":
			bit = 1 << keyAuthor
			ev.Author = Author(d.common(key))
		case "public":
			bit = 1 << keyPublic
			if b, ok := d.boolean(key); ok {
				ev.Public = &b
			}
		case "text":
			bit = 1 << keyText
			ev.Text = d.str(key)
		case "message_id":
			bit = 1 << keyMessageID
			ev.MessageID = d.idStr(key)
		case "referral":
			bit = 1 << keyReferral
			ev.Referral, _ = d.boolean(key)
		case "tier":
			bit = 1 << keyTier
			ev.Tier = d.tier(key)
		case "score":
			bit = 1 << keyScore
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
func (d *refDecoder) members(member func(key []byte, at int) bool) bool {
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
func (d *refDecoder) str(key []byte) string {
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

// idStr reads a string value that is an id: one that decoding would
// change (see validIDText) is a problem at its opening quote.
func (d *refDecoder) idStr(key []byte) string {
	if d.peek() != '"' {
		return d.str(key)
	}
	at := d.i
	raw, ok := d.rawString()
	if !ok {
		return ""
	}
	if !validIDText(raw) {
		d.fail(at, "%s: not valid UTF-8", quote(key))
	}
	return d.unquote(raw)
}

// refCommonValues holds the values most events repeat (event types,
// statuses, authors, the usual channels and priorities), so that decoding
// them allocates nothing. It is never written after init.
var refCommonValues = func() map[string]string {
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

// common reads a string value that is often one of refCommonValues.
func (d *refDecoder) common(key []byte) string {
	if d.peek() == '"' {
		j := d.i + 1
		for j < len(d.b) && d.b[j] != '"' && d.b[j] != '\\' {
			j++
		}
		if j < len(d.b) && d.b[j] == '"' {
			if v, ok := refCommonValues[string(d.b[d.i+1:j])]; ok {
				d.i = j + 1
				return v
			}
		}
	}
	return d.str(key)
}

// instant reads "at": an RFC 3339 instant with a UTC offset.
func (d *refDecoder) instant(key []byte) {
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

// strs reads a list of strings (null is nil).
func (d *refDecoder) strs(key []byte) []string {
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
func (d *refDecoder) once(seen *uint32, bit uint32, at int, prefix string, key []byte) {
	if *seen&bit != 0 {
		d.fail(at, "%sduplicate key %s", prefix, quote(key))
	}
	*seen |= bit
}

// elements reads the elements of an array at d.i ('['), calling element
// with the reader at each one; element must consume it (or leave it
// unread after a problem, which d.value then skips).
func (d *refDecoder) elements(element func()) {
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
func (d *refDecoder) customer() *Customer {
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
func (d *refDecoder) fields(key []byte) map[string]any {
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
func (d *refDecoder) boolean(key []byte) (v, ok bool) {
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
func (d *refDecoder) tier(key []byte) string {
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
func (d *refDecoder) integer(key []byte) int {
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
func (d *refDecoder) value(depth int) any {
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
func (d *refDecoder) number() ([]byte, bool) {
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

// rawString reads a string at d.i and returns its bytes between the
// quotes, escapes and all.
func (d *refDecoder) rawString() ([]byte, bool) {
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
func (d *refDecoder) stringValue() (string, bool) {
	raw, ok := d.rawString()
	if !ok {
		return "", false
	}
	return d.unquote(raw), true
}

// unquote returns the string of the raw bytes between quotes. Escapes are
// decoded and invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func (d *refDecoder) unquote(raw []byte) string {
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
func (d *refDecoder) literal(word string) bool {
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

func (d *refDecoder) null() {
	if !d.literal("null") {
		d.syntax("want a JSON value, got %s", d.what())
	}
}

func (d *refDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *refDecoder) skipSpace() {
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
func (d *refDecoder) what() string {
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
func (d *refDecoder) wrongType(key []byte, want string) {
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
func (d *refDecoder) fail(at int, format string, args ...any) {
	if d.first == nil {
		d.first = &ReadError{Col: at + 1, Msg: fmt.Sprintf(format, args...)}
	}
}

// syntax records a syntax error at d.i, which stops decoding. It returns
// false for the callers' convenience.
func (d *refDecoder) syntax(format string, args ...any) bool {
	if !d.broken {
		d.first = &ReadError{Col: d.i + 1, Msg: fmt.Sprintf(format, args...)}
		d.b = d.b[:d.i] // nothing more to read: every reader stops at once
		d.broken = true
	}
	return false
}

func (d *refDecoder) syntaxFailed() bool { return d.broken }

// decoderCases are lines for the differential test of the decoder against
// refDecodeEvent, and seeds of its fuzz target: every key, each string
// form (plain, escaped, non-ASCII, invalid UTF-8, long, at the end of the
// line), duplicates of keys whose strings are set when the event is done,
// and syntax errors in the middle of strings.
var decoderCases = []struct {
	name string
	line string
}{
	{"typical", `{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","priority":"normal","customer":{"id":"c1","tier":"vip"},"text":"Problema de pagamento"}`},
	{"every key", `{"ticket":"T1","at":"2026-03-02T09:05:00.000000123-03:00","type":"created","channel":"whatsapp","priority":"urgent","status":"open","team":"billing","agent":"ana","tags":["vip","pix"],"remove_tags":["old"],"subject":"Pagamento \"duplo\" ✓","customer":{"id":"c1","tier":"vip","country":"BR","language":"pt","phone":"+5511"},"fields":{"n":1.5,"s":"x","b":true,"z":null,"l":["a",2],"o":{"k":"v"}},"author":"agent","public":false,"text":"olá\nmundo","message_id":"wamid.1","referral":true,"tier":"L2","score":5}`},
	{"keys of eight bytes", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","priority":"high","customer":{"language":"pt","country":"BR"}}`},
	{"key of eight bytes, then space", `{"ticket":"T1","priority" :"high","customer" : {"language"  :"pt"}}`},
	{"unknown keys of eight and nine bytes", `{"ticket":"T1","priorit_":"x","priorityx":"y","customerzz":{}}`},
	{"key of eight bytes at the end", `{"ticket":"T1","priority"`},
	{"key of eight bytes and its colon at the end", `{"ticket":"T1","priority":`},
	{"key of eight bytes with an escape", `{"ticket":"T1","priorit\u0079":"high"}`},
	{"head: instant of 25 bytes with a fraction", `{"ticket":"T1","at":"2026-03-02T09:05:00.1234Z","type":"note"}`},
	{"head: instant of 23 bytes, a quote at 25", `{"ticket":"T1","at":"2026-03-02T09:05:00.50Z","type":"note"}`},
	{"head: instant of 20 bytes, not valid", `{"ticket":"T1","at":"2026-03-02T25:05:00Z","type":"note"}`},
	{"head: instant of 25 bytes, not valid", `{"ticket":"T1","at":"2026-03-02T09:05:00+24:00","type":"note"}`},
	{"head: instant of 19 bytes", `{"ticket":"T1","at":"2026-03-02T09:05:00","type":"note"}`},
	{"head: instant with a quote where the short one ends", `{"ticket":"T1","at":"2026-03-02T09:05:00Z\"","type":"note"}`},
	{"head: type at the end of the line", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"window_rejected"}`},
	{"head: type not closed", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"assig`},
	{"common values of eight bytes", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"message","channel":"whatsapp","author":"customer"}`},
	{"common values, escaped or not plain", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"m\u0065ssage","channel":"wh\u0061tsapp","author":"agént","status":"open\u0000"}`},
	{"common values at the end of the line", `{"ticket":"T1","type":"status","status":"closed"}`},
	{"common value not closed at the end of the line", `{"ticket":"T1","type":"status","status":"closed`},
	{"common value as a prefix", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"messages","author":"agentx","status":"ope"}`},
	{"unusual common values", `{"ticket":"T1","type":"typo","channel":"fax","priority":"p1","status":"weird","author":"robot"}`},
	{"common values escaped", `{"ticket":"T1","type":"cr\u0065ated","channel":"wh\u0061tsapp","status":"\u006fpen"}`},
	{"common value in another key", `{"ticket":"T1","type":"email","channel":"created","priority":"closed"}`},
	{"empty strings", `{"ticket":"","type":"","channel":"","text":"","customer":{"id":""},"tier":""}`},
	{"null values", `{"ticket":null,"at":null,"type":null,"team":null,"tags":null,"customer":null,"fields":null,"public":null,"tier":null,"score":null}`},
	{"non-ASCII", `{"ticket":"Té","text":"Olá! Já verificamos o pagamento. 日本語 😀","subject":"ç"}`},
	{"invalid UTF-8", "{\"ticket\":\"T\xff1\",\"text\":\"a\xc3\",\"agent\":\"\xe2\x82\"}"},
	{"escapes", `{"ticket":"T\u00e9\ud83d\ude00","text":"a\"b\\c\/d\b\f\n\r\t","agent":"\ud800"}`},
	{"bad escape", `{"ticket":"T1","text":"\x"}`},
	{"backslash at the end", `{"ticket":"T1","text":"abc\`},
	{"control character after eight bytes", "{\"ticket\":\"T1\",\"text\":\"abcdefghijk\x1fl\"}"},
	{"control character in a key", "{\"tick\x01et\":\"T1\"}"},
	{"string not closed, short", `{"ticket":"T`},
	{"string not closed, long", `{"ticket":"T1","text":"abcdefghijklmnopqrstuvwxyz`},
	{"quote at each offset", `{"a":"","ab":"x","abc":"xy","abcd":"xyz","abcde":"xyzw","abcdef":"1234567","abcdefg":"12345678"}`},
	{"long text", `{"ticket":"T1","text":"` + strings.Repeat("abcdefghé", 300) + `"}`},
	{"duplicate ticket", `{"ticket":"T1","ticket":"T2","type":"note"}`},
	{"duplicate ticket, then null", `{"ticket":"T1","text":"x","ticket":null}`},
	{"duplicate type, plain then common", `{"ticket":"T1","type":"typo","type":"note"}`},
	{"duplicate type, common then plain", `{"ticket":"T1","type":"note","type":"typo"}`},
	{"duplicate type, then wrong type", `{"ticket":"T1","type":"typo","type":3}`},
	{"duplicate customer", `{"ticket":"T1","customer":{"id":"a","tier":"b"},"customer":{"id":"c"}}`},
	{"duplicate customer, then null", `{"ticket":"T1","customer":{"id":"a"},"customer":null}`},
	{"duplicate customer id", `{"ticket":"T1","customer":{"id":"a","phone":"1","id":"b"}}`},
	{"customer wrong type", `{"ticket":"T1","customer":"c1"}`},
	{"customer unknown key", `{"ticket":"T1","customer":{"ID":"c","id":"d"}}`},
	{"customer not closed", `{"ticket":"T1","customer":{"id":"c1"`},
	{"tier number", `{"ticket":"T1","type":"escalated","tier":2}`},
	{"tier duplicate", `{"ticket":"T1","tier":"L1","tier":3}`},
	{"assign clears team", `{"ticket":"T1","type":"assign","team":""}`},
	{"assign clears team, type after", `{"team":"","ticket":"T1","type":"assign"}`},
	{"assign team null", `{"ticket":"T1","type":"assign","team":null}`},
	{"assign team duplicate", `{"ticket":"T1","type":"assign","team":"","team":"x"}`},
	{"assign team then syntax error", `{"ticket":"T1","type":"assign","team":"" x`},
	{"escaped key", `{"tick\u0065t":"T1","\u0061t":"2026-03-02T09:05:00Z"}`},
	{"non-ASCII key", `{"tickét":"T1"}`},
	{"unknown key", `{"colour":"red","ticket":"T9"}`},
	{"key case", `{"Ticket":"T1","TYPE":"note"}`},
	{"wrong types", `{"ticket":1,"type":true,"text":[],"agent":{},"public":"yes","referral":1,"score":"5","tags":["a",2]}`},
	{"no offset", `{"ticket":"T1","at":"2026-03-02T09:05:00"}`},
	{"bad instant", `{"ticket":"T1","at":"yesterday"}`},
	{"white space", " \t{ \"ticket\" : \"T1\" , \"type\" :\"note\" }\r "},
	{"two values", `{"ticket":"T3"} {"ticket":"T4"}`},
	{"trailing comma", `{"ticket":"T1",}`},
	{"not an object", `["ticket"]`},
	{"blank", "  "},
	{"empty object", `{}`},
	{"head", `{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"note"}`},
	{"head, long strings", `{"ticket":"TICKET-0123456789","at":"2026-03-02T09:05:00.123456789+05:30","type":"window_rejected","text":"x"}`},
	{"head, empty strings", `{"ticket":"","at":"","type":""}`},
	{"head, unusual type", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"typo"}`},
	{"head, escaped ticket", `{"ticket":"T\u0031","at":"2026-03-02T09:05:00Z","type":"note"}`},
	{"head, non-ASCII ticket", `{"ticket":"Té","at":"2026-03-02T09:05:00Z","type":"note"}`},
	{"head, control character in the ticket", "{\"ticket\":\"T\x7f\x01\",\"at\":\"2026-03-02T09:05:00Z\",\"type\":\"note\"}"},
	{"head, escaped type", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"not\u0065"}`},
	{"head, non-ASCII type", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"noté"}`},
	{"head, no offset", `{"ticket":"T1","at":"2026-03-02T09:05:00","type":"note"}`},
	{"head, bad instant", `{"ticket":"T1","at":"2026-02-30T09:05:00Z","type":"note"}`},
	{"head, instant not a string", `{"ticket":"T1","at":1,"type":"note"}`},
	{"head, another key second", `{"ticket":"T1","type":"note","at":"2026-03-02T09:05:00Z"}`},
	{"head, another key third", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","text":"x","type":"note"}`},
	{"head, white space", `{"ticket": "T1","at":"2026-03-02T09:05:00Z","type":"note"}`},
	{"head, then white space", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note" , "text" : "x" }`},
	{"head, type not closed", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note`},
	{"head, then the end of the line", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note"`},
	{"head, then a trailing comma", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note",}`},
	{"head, then a duplicate ticket", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note","ticket":"T2"}`},
	{"head, then a duplicate type", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"typo","type":"note"}`},
	{"head, then a duplicate at", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note","at":"x"}`},
	{"head, cut", `{"ticket":"T1","at":"2026-03-02T09:05:00Z","ty`},
	{"id lone surrogates", `{"ticket":"T\udc01\ud800x\ud83d\ude00","message_id":"m\ud83d","agent":"\udc00"}`},
	{"id escapes of every kind", `{"ticket":"\u00e9\"\\\/\b\f\n\r\t\uD83D\uDE00\uZZZZ","message_id":"\u"}`},
	{"deep fields", `{"ticket":"T1","fields":{"x":` + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + `}}`},
}

// TestDecodeEventReference decodes each case with the decoder and with the
// reference and wants the same event and the same error.
func TestDecodeEventReference(t *testing.T) {
	for _, tt := range decoderCases {
		t.Run(tt.name, func(t *testing.T) {
			checkDecodeEventReference(t, []byte(tt.line))
		})
	}
}

func checkDecodeEventReference(t *testing.T, line []byte) {
	t.Helper()
	want, wantErr := refDecodeEvent(line)
	got, gotErr := decodeEvent(line)
	require.Equal(t, wantErr, gotErr, "error of %q", line)
	require.Equal(t, want, got, "event of %q", line)
	// The reader's decoder, used again (its recent strings then hold the
	// line's), gives the same.
	d := eventDecoder{recent: new(recentStrings), instants: new(instantCache)}
	var again Event
	for range 2 {
		require.Equal(t, wantErr, d.decode(&again, line), "error of %q, decoder used again", line)
		require.Equal(t, want, again, "event of %q, decoder used again", line)
	}
}

func FuzzDecodeEventReference(f *testing.F) {
	for _, tt := range decoderCases {
		f.Add([]byte(tt.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		checkDecodeEventReference(t, line)
	})
}

// TestReadEventsReference reads the cases as one file, each line after
// every other (so that the reader's buffers and recent strings carry over
// from any line to any other), and wants what the reference decodes.
func TestReadEventsReference(t *testing.T) {
	var (
		file  strings.Builder
		lines []string
	)
	for _, a := range decoderCases {
		for _, b := range decoderCases {
			for _, line := range []string{a.line, b.line} {
				if strings.Contains(line, "\n") {
					continue // not one line
				}
				file.WriteString(line + "\n")
				lines = append(lines, line)
			}
		}
	}
	n := 0
	for got, err := range ReadEvents(strings.NewReader(file.String())) {
		require.Less(t, n, len(lines))
		want, wantErr := refDecodeEvent([]byte(lines[n]))
		if wantErr == nil {
			require.NoError(t, err, "line %d: %q", n+1, lines[n])
		} else {
			wantErr.Line = n + 1
			require.Equal(t, error(wantErr), err, "line %d: %q", n+1, lines[n])
		}
		require.Equal(t, want, got, "line %d: %q", n+1, lines[n])
		n++
	}
	require.Equal(t, len(lines), n)
}

// TestRecentStrings gets strings in turn from a recentStrings: the same
// again, two of the same length that share a slot (also with the same
// first eight bytes), and strings that differ by a zero byte or length.
func TestRecentStrings(t *testing.T) {
	var a, b string // of the same length, in the same slot
	first := map[int]string{}
	for i := 10000; b == ""; i++ {
		s := fmt.Sprintf("T%d", i)
		slot := recentSlot([]byte(s), prefixWord([]byte(s)))
		if f, ok := first[slot]; ok {
			a, b = f, s
		}
		first[slot] = s
	}
	var c, d string // of the same length and first eight bytes, in the same slot
	clear(first)
	for i := 10000; d == ""; i++ {
		s := fmt.Sprintf("INC00000%d", i)
		slot := recentSlot([]byte(s), prefixWord([]byte(s)))
		if f, ok := first[slot]; ok {
			c, d = f, s
		}
		first[slot] = s
	}
	tests := []struct {
		get  []string
		want []string
	}{
		{get: []string{"T1", "T1"}, want: []string{"T1", "T1"}},
		{get: []string{a, b, a, b}, want: []string{a, b, a, b}},
		{get: []string{"", "x", ""}, want: []string{"", "x", ""}},
		{get: []string{c, d, c, d}, want: []string{c, d, c, d}},
		{get: []string{"T1", "T1\x00", "T1"}, want: []string{"T1", "T1\x00", "T1"}},
		{get: []string{"INC0000000001", "INC0000000001", "INC00000000010"}, want: []string{"INC0000000001", "INC0000000001", "INC00000000010"}},
	}
	for _, tt := range tests {
		var r recentStrings
		for i, s := range tt.get {
			assert.Equal(t, tt.want[i], r.get([]byte(s)), "get %d of %q", i, tt.get)
		}
	}
	var r recentStrings
	r.get([]byte("T1"))
	assert.Zero(t, testing.AllocsPerRun(10, func() { r.get([]byte("T1")) }), "a recent string is not allocated again")

	// An assignment's ticket id and agent or team come from the table.
	dec := eventDecoder{recent: new(recentStrings), instants: new(instantCache)}
	for _, line := range []string{
		`{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"assign","agent":"ana"}`,
		`{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"assign","team":"billing"}`,
		`{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"assign","team":"billing","agent":"ana"}`,
	} {
		var ev Event
		b := []byte(line)
		require.Nil(t, dec.decode(&ev, b))
		want := ev
		assert.Zero(t, testing.AllocsPerRun(10, func() {
			require.Nil(t, dec.decode(&ev, b))
		}), "decoding %s again", line)
		assert.Equal(t, want, ev)
	}
}

// TestDecodeEventSharing checks which strings of an event share an
// allocation: the short plain ones do; a long one or an escaped one has
// its own, so that a kept ticket id does not keep a long text alive.
func TestDecodeEventSharing(t *testing.T) {
	long := strings.Repeat("x", maxShared+1)
	tests := []struct {
		name   string
		line   string
		shared []string // fields sharing the ticket id's allocation
		apart  []string // fields with an allocation of their own
	}{
		{name: "short strings", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","subject":"s","text":"olá","customer":{"id":"c1"}}`,
			shared: []string{"subject", "text", "customer.id"}},
		{name: "a long text", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","subject":"s","text":"` + long + `"}`,
			shared: []string{"subject"}, apart: []string{"text"}},
		{name: "at the limit", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","subject":"s","text":"` + long[1:] + `"}`,
			shared: []string{"subject", "text"}},
		{name: "an escaped text", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","subject":"s","text":"a\nb"}`,
			shared: []string{"subject"}, apart: []string{"text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := decodeEvent([]byte(tt.line))
			require.Nil(t, err)
			fields := map[string]string{"subject": ev.Subject, "text": ev.Text}
			if ev.Customer != nil {
				fields["customer.id"] = ev.Customer.ID
			}
			// The shared strings, the ticket id among them, lie one after
			// the other; the others outside them.
			ptr := func(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s))) }
			lo, hi, total := ptr(ev.TicketID), ptr(ev.TicketID)+uintptr(len(ev.TicketID)), len(ev.TicketID)
			for _, f := range tt.shared {
				lo, hi, total = min(lo, ptr(fields[f])), max(hi, ptr(fields[f])+uintptr(len(fields[f]))), total+len(fields[f])
			}
			assert.Equal(t, uintptr(total), hi-lo, "the shared strings lie one after the other")
			for _, f := range tt.apart {
				assert.False(t, ptr(fields[f]) >= lo && ptr(fields[f]) <= hi, "%s has its own allocation", f) // not even right after them
			}
		})
	}
}
