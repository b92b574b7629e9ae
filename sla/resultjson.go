package sla

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/whatsappwindow"
)

// This file holds the JSON encoder of Result and Clock: one append-based
// writer that MarshalJSON calls, so that the replay output has one code
// path. Its bytes are those encoding/json gives for the same shape
// (strings escaped as encoding/json escapes them, HTML characters
// included; instants in RFC 3339 with nanoseconds trimmed). A new field of
// the ticket result is written here, and nowhere else.

// MarshalJSON encodes the result in the shape of the replay output (see
// [Result.AppendJSON]).
func (r Result) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(nil)
}

// AppendJSON appends the JSON form of the result (what MarshalJSON
// returns) to b and returns the extended buffer; on error it returns b
// unchanged. A writer of many results reuses one buffer and allocates
// nothing per result.
func (r *Result) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	loc := r.loc
	if loc == nil {
		loc = time.UTC
	}
	w.raw(`{"ticket":`)
	w.str(r.Ticket)
	w.raw(`,"policy":`)
	if r.Policy == "" {
		w.raw("null")
	} else {
		w.str(r.Policy)
	}
	w.raw(`,"calendar":`)
	if r.Calendar == "" {
		w.raw("null")
	} else {
		w.str(r.Calendar)
	}
	w.raw(`,"priority":`)
	w.str(r.Priority)
	w.raw(`,"status":`)
	w.str(string(r.Status))
	w.raw(`,"agreement":`)
	w.str(string(r.Agreement))
	w.raw(`,"clocks":`)
	w.b = append(w.b, '[')
	for i := range r.Clocks {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.clock(&r.Clocks[i])
	}
	w.b = append(w.b, ']')
	w.raw(`,"escalations":`)
	w.b = append(w.b, '[')
	for i := range r.Escalations {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.escalation(&r.Escalations[i], loc)
	}
	w.b = append(w.b, ']')
	w.raw(`,"olas":`)
	w.b = append(w.b, '[')
	for i := range r.OLAs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.ola(&r.OLAs[i])
	}
	w.b = append(w.b, ']')
	w.raw(`,"rules":`)
	w.b = append(w.b, '[')
	for i, x := range r.Rules {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.raw(`{"rule":`)
		w.str(x.Rule)
		w.raw(`,"at":`)
		w.strictTime(in(x.At, loc))
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
	w.raw(`,"stats":`)
	w.stats(&r.Stats, loc)
	w.raw(`,"whatsapp":`)
	if r.WhatsApp == nil {
		w.raw("null")
	} else {
		w.whatsApp(r.WhatsApp, loc)
	}
	w.raw(`,"next_wake":`)
	w.time(in(r.NextWake, loc))
	w.raw(`,"errors":`)
	w.b = append(w.b, '[')
	for i, err := range r.Errors {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(err.Error())
	}
	w.b = append(w.b, ']')
	if len(r.Failures) > 0 || r.FailuresOmitted != 0 {
		w.raw(`,"condition_failures":`)
		w.b = append(w.b, '[')
		for i := range r.Failures {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.failure(&r.Failures[i], loc)
		}
		w.b = append(w.b, ']')
		if r.FailuresOmitted != 0 {
			w.raw(`,"condition_failures_omitted":`)
			w.int(int64(r.FailuresOmitted))
		}
	}
	w.b = append(w.b, '}')
	if w.err != nil {
		return b, fmt.Errorf("sla: result of ticket %q: %w", r.Ticket, w.err)
	}
	return w.b, nil
}

// MarshalJSON encodes the clock in the shape of the replay output:
// instants in the clock's own zone, durations in whole seconds.
func (c Clock) MarshalJSON() ([]byte, error) {
	w := jsonWriter{}
	w.clock(&c)
	return w.b, w.err
}

// in is t in loc; the zero instant stays zero.
func in(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// jsonWriter appends JSON to b; the first error is kept in err and the
// writing goes on (the caller drops the bytes).
type jsonWriter struct {
	b   []byte
	err error
	// zone is the offset of the last instant written and the stretch of
	// time its zone holds that offset: the instants of one result mostly
	// share it, and a zone lookup costs more than the rest of the writing.
	zone zoneSpan
	// day is the local day of the last instant written, days since
	// 0000-03-01 plus one (0 for none), and date its "2006-01-02".
	day  int64
	date [10]byte
}

// zoneSpan is a zone's offset from UTC (seconds) during [from, to) (Unix
// seconds) in loc; the zero zoneSpan holds for no instant.
type zoneSpan struct {
	loc      *time.Location
	from, to int64
	offset   int64
}

// key appends sep and the quoted key with its colon; keys need no escaping.
func (w *jsonWriter) key(sep byte, k string) {
	w.b = append(w.b, sep, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

func (w *jsonWriter) int(n int64) {
	if n >= 0 && n < 10 {
		w.b = append(w.b, byte('0'+n))
		return
	}
	w.b = strconv.AppendInt(w.b, n, 10)
}

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

// time appends t as an RFC 3339 string with trimmed nanoseconds, or null
// for the zero instant.
func (w *jsonWriter) time(t time.Time) {
	if t.IsZero() {
		w.raw("null")
		return
	}
	w.b = append(w.b, '"')
	w.rfc3339(t)
	w.b = append(w.b, '"')
}

// rfc3339 appends t as t.AppendFormat(b, time.RFC3339Nano) does, but with
// the zone's offset from w.zone when it holds at t.
func (w *jsonWriter) rfc3339(t time.Time) {
	sec := t.Unix()
	z := &w.zone
	if loc := t.Location(); loc != z.loc || sec < z.from || sec >= z.to {
		start, end := t.ZoneBounds()
		_, off := t.Zone()
		*z = zoneSpan{loc: loc, from: math.MinInt64, to: math.MaxInt64, offset: int64(off)}
		if !start.IsZero() {
			z.from = start.Unix()
		}
		if !end.IsZero() {
			z.to = end.Unix()
		}
	}
	// Local seconds since 0000-03-01 (a year counted from March ends with
	// its leap day), for dates up to 9999-12-31 and an offset within a
	// day; the standard library writes the others.
	local := sec + z.offset + 719468*86400
	if local < 0 || local >= 3652365*86400 || z.offset <= -86400 || z.offset >= 86400 {
		w.b = t.AppendFormat(w.b, time.RFC3339Nano)
		return
	}
	days, s := local/86400, local%86400
	b := slices.Grow(w.b, 35)
	n0 := len(b)
	d := (*[35]byte)(b[n0 : n0+35]) // 2006-01-02T15:04:05.999999999-07:00
	if days+1 != w.day {
		era := days / 146097
		doe := days - era*146097
		yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
		doy := doe - (365*yoe + yoe/4 - yoe/100)
		mp := (5*doy + 2) / 153
		day := doy - (153*mp+2)/5 + 1
		month, year := mp+3, yoe+era*400
		if mp >= 10 {
			month, year = mp-9, year+1
		}
		put2(d, 0, year/100)
		put2(d, 2, year%100)
		d[4] = '-'
		put2(d, 5, month)
		d[7] = '-'
		put2(d, 8, day)
		w.day, w.date = days+1, [10]byte(d[:10])
	} else {
		copy(d[:10], w.date[:])
	}
	d[10] = 'T'
	put2(d, 11, s/3600)
	d[13] = ':'
	put2(d, 14, s/60%60)
	d[16] = ':'
	put2(d, 17, s%60)
	n := 19
	if ns := int64(t.Nanosecond()); ns != 0 {
		d[19] = '.'
		put2(d, 20, ns/1e7)
		put2(d, 22, ns/1e5%100)
		put2(d, 24, ns/1e3%100)
		put2(d, 26, ns/10%100)
		d[28] = byte('0' + ns%10)
		n = 29
		for d[n-1] == '0' {
			n--
		}
	}
	if z.offset == 0 {
		d[n] = 'Z'
		w.b = b[:n0+n+1]
		return
	}
	m := z.offset / 60
	d[n] = '+'
	if m < 0 {
		m, d[n] = -m, '-'
	}
	put2(d, n+1, m/60)
	d[n+3] = ':'
	put2(d, n+4, m%60)
	w.b = b[:n0+n+6]
}

// digitPairs holds "00" to "99" at 0 to 99; indexed by a byte, it needs
// no bounds check.
var digitPairs = func() (t [256][2]byte) {
	for v := range 100 {
		t[v] = [2]byte{byte('0' + v/10), byte('0' + v%10)}
	}
	return t
}()

// put2 writes v, 0 to 99, in two digits at d[i:].
func put2(d *[35]byte, i int, v int64) {
	*(*[2]byte)(d[i : i+2]) = digitPairs[uint8(v)]
}

// strictTime appends t as time.Time's MarshalJSON does: RFC 3339 with
// trimmed nanoseconds, an error for a year outside [0,9999] or an offset
// of 24 hours or more. The zero instant is written as one.
func (w *jsonWriter) strictTime(t time.Time) {
	n := len(w.b)
	w.b = append(w.b, '"')
	w.rfc3339(t)
	if s := w.b[n+1:]; len(s) < 5 || s[4] != '-' || s[len(s)-1] != 'Z' && !validOffset(s[len(s)-6:]) {
		w.b = w.b[:n]
		if _, err := t.MarshalJSON(); err != nil && w.err == nil {
			w.err = err
		}
		return
	}
	w.b = append(w.b, '"')
}

// validOffset reports whether o, "+hh:mm", has an hour below 24.
func validOffset(o []byte) bool {
	return (o[0] == '+' || o[0] == '-') && (o[1] < '2' || o[1] == '2' && o[2] < '4')
}

func (w *jsonWriter) clock(c *Clock) {
	w.raw(`{"metric":`)
	w.str(string(c.Metric))
	w.raw(`,"cycle":`)
	w.int(int64(c.Cycle))
	w.raw(`,"state":`)
	w.str(string(c.State))
	w.raw(`,"started_at":`)
	w.time(c.Start)
	w.raw(`,"stopped_at":`)
	w.time(c.Stop)
	w.raw(`,"deadline":`)
	w.time(c.Deadline)
	w.raw(`,"target_seconds":`)
	w.int(seconds(c.Target))
	w.raw(`,"elapsed_seconds":`)
	w.int(seconds(c.Elapsed))
	w.raw(`,"paused_seconds":`)
	w.int(seconds(c.PausedTime))
	w.raw(`,"breached_at":`)
	w.time(c.BreachedAt)
	if c.AfterWindow {
		w.raw(`,"after_window":`)
		w.raw("true")
	}
	w.b = append(w.b, '}')
}

// ola writes an entry of the "olas" list: the OLA clock's team, OLA,
// metric, cycle, state, target, elapsed time and deadline.
func (w *jsonWriter) ola(o *OLAClock) {
	w.raw(`{"team":`)
	w.str(o.Team)
	w.raw(`,"ola":`)
	w.str(o.OLA)
	w.raw(`,"metric":`)
	w.str(string(o.Metric))
	w.raw(`,"cycle":`)
	w.int(int64(o.Cycle))
	w.raw(`,"state":`)
	w.str(string(o.State))
	w.raw(`,"target_seconds":`)
	w.int(seconds(o.Target))
	w.raw(`,"elapsed_seconds":`)
	w.int(seconds(o.Elapsed))
	w.raw(`,"deadline":`)
	w.time(o.Deadline)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) escalation(x *Escalation, loc *time.Location) {
	w.raw(`{"ladder":`)
	w.str(x.Ladder)
	w.raw(`,"level":`)
	w.str(x.Level)
	w.raw(`,"metric":`)
	w.str(string(x.Metric))
	w.raw(`,"cycle":`)
	w.int(int64(x.Cycle))
	w.raw(`,"at":`)
	w.strictTime(in(x.At, loc))
	w.raw(`,"actions":`)
	if x.Actions == nil {
		w.raw("null")
	} else {
		w.b = append(w.b, '[')
		for i := range x.Actions {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.action(&x.Actions[i])
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) action(a *escalation.Action) {
	w.raw(`{"type":`)
	w.str(string(a.Type))
	if a.Target != "" {
		w.raw(`,"target":`)
		w.str(a.Target)
	}
	if len(a.Tags) > 0 {
		w.raw(`,"tags":`)
		w.b = append(w.b, '[')
		for i, t := range a.Tags {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.str(t)
		}
		w.b = append(w.b, ']')
	}
	if len(a.Params) > 0 {
		keys := make([]string, 0, len(a.Params))
		for k := range a.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.raw(`,"params":`)
		for i, k := range keys {
			if i == 0 {
				w.b = append(w.b, '{')
			} else {
				w.b = append(w.b, ',')
			}
			w.str(k)
			w.b = append(w.b, ':')
			w.str(a.Params[k])
		}
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) stats(s *Stats, loc *time.Location) {
	w.raw(`{"agent_replies":`)
	w.int(int64(s.AgentReplies))
	w.raw(`,"customer_messages":`)
	w.int(int64(s.CustomerMessages))
	w.raw(`,"reopens":`)
	w.int(int64(s.Reopens))
	w.raw(`,"escalations":`)
	w.int(int64(s.Escalations))
	if s.EscalationTier != "" {
		w.raw(`,"escalation_tier":`)
		w.str(s.EscalationTier)
	}
	if s.CSAT != 0 {
		w.raw(`,"csat":`)
		w.int(int64(s.CSAT))
	}
	w.optTime("first_reply_at", s.FirstReplyAt, loc)
	w.optTime("last_customer_at", s.LastCustomerAt, loc)
	w.optTime("window_rejected_at", s.WindowRejectedAt, loc)
	if s.WindowExpiredBeforeFirstResponse {
		w.raw(`,"window_expired_before_first_response":`)
		w.raw("true")
	}
	w.optTime("solved_at", s.SolvedAt, loc)
	w.optTime("closed_at", s.ClosedAt, loc)
	w.optTime("waiting_since", s.WaitingSince, loc)
	w.raw(`,"policy_changes":`)
	w.int(int64(s.PolicyChanges))
	w.raw(`,"priority_changes":`)
	w.int(int64(s.PriorityChanges))
	w.b = append(w.b, '}')
}

// optTime appends the key and t in loc unless t is zero.
func (w *jsonWriter) optTime(k string, t time.Time, loc *time.Location) {
	if t.IsZero() {
		return
	}
	w.key(',', k)
	w.strictTime(t.In(loc))
}

func (w *jsonWriter) whatsApp(x *WhatsApp, loc *time.Location) {
	v := &x.Verdict
	w.raw(`{"last_customer_message_at":`)
	w.time(in(x.LastCustomerMessageAt, loc))
	w.raw(`,"window_closes_at":`)
	w.time(in(v.ClosesAt, loc))
	w.raw(`,"open":`)
	w.bool(!v.ClosesAt.IsZero() && v.State != whatsappwindow.Expired)
	w.raw(`,"state":`)
	name, err := v.State.MarshalText()
	if err != nil && w.err == nil {
		w.err = err
	}
	w.str(string(name))
	w.raw(`,"free_form":`)
	w.bool(v.FreeForm)
	w.raw(`,"template_required":`)
	w.bool(v.TemplateRequired)
	w.raw(`,"expired_before_first_response":`)
	w.bool(x.ExpiredBeforeFirstResponse)
	w.raw(`,"free_entry_point_until":`)
	w.time(in(v.FreeEntryPointUntil, loc))
	w.b = append(w.b, '}')
}

const hexDigits = "0123456789abcdef"

// jsonPlain holds the bytes a JSON string takes as they are: the ASCII
// ones str does not escape.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

func (w *jsonWriter) failure(f *CondFailure, loc *time.Location) {
	w.raw(`{"condition":`)
	w.str(f.Cond)
	w.raw(`,"name":`)
	w.str(f.Name)
	w.raw(`,"error":`)
	w.str(f.Error)
	w.raw(`,"count":`)
	w.int(int64(f.Count))
	w.raw(`,"first_at":`)
	w.time(in(f.At, loc))
	w.b = append(w.b, '}')
}

// str appends s as a JSON string escaped as encoding/json escapes it:
// quote, backslash and control characters, <, > and & as \u00XX, U+2028
// and U+2029, and each byte of invalid UTF-8 as \ufffd.
func (w *jsonWriter) str(s string) {
	i := 0
	for i < len(s) && jsonPlain[s[i]] {
		i++
	}
	if i == len(s) { // most strings: nothing to escape
		w.b = append(append(append(w.b, '"'), s...), '"')
		return
	}
	b := append(w.b, '"')
	start := 0
	for i < len(s) {
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}
