package sla_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

const okLine = `{"ticket":"T1","at":"2026-03-02T09:05:00-03:00","type":"created","channel":"whatsapp","priority":"normal","customer":{"id":"c1","tier":"vip"},"text":"Problema de pagamento"}`

func TestDecodeEventStrict(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		ticket string // the ticket id, also on error
		col    int    // column of the error
		err    string // substring of the error; "" for none
		reason string
	}{
		{name: "ok", line: okLine, ticket: "T1"},
		{name: "white space and CR", line: " \t" + okLine + " \r", ticket: "T1"},
		{name: "key case", line: `{"Ticket":"T1","at":"2026-03-02T09:05:00Z","type":"note"}`, col: 2,
			err: `unknown key "Ticket" (did you mean "ticket"? keys are exact)`, reason: "encoding/json would match it"},
		{name: "duplicate at", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","at":"2026-03-02T10:05:00Z","type":"note"}`, ticket: "T1", col: 44,
			err: `duplicate key "at"`, reason: "encoding/json keeps the last"},
		{name: "duplicate after case", line: `{"ticket":"T1","ticket":"T2","type":"note"}`, ticket: "T2", col: 16, err: `duplicate key "ticket"`},
		{name: "unknown key, ticket after it", line: `{"colour":"red","ticket":"T9","at":"2026-03-02T09:05:00Z","type":"note"}`, ticket: "T9", col: 2,
			err: `unknown key "colour" (keys: ticket, at,`, reason: "decoding goes on to find the ticket"},
		{name: "escaped key is the key", line: `{"tick\u0065t":"T1","at":"2026-03-02T09:05:00Z","type":"note"}`, ticket: "T1"},
		{name: "customer key case", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","customer":{"ID":"c"}}`, ticket: "T1", col: 73,
			err: `customer: unknown key "ID" (did you mean "id"?`},
		{name: "customer duplicate", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"created","customer":{"id":"a","id":"b"}}`, ticket: "T1", col: 82,
			err: `customer: duplicate key "id"`},
		{name: "fields duplicate", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"update","fields":{"x":1,"x":2}}`, ticket: "T1", col: 76,
			err: `duplicate key "x"`},
		{name: "no offset", line: `{"ticket":"T1","at":"2026-03-02T09:05:00","type":"note"}`, ticket: "T1", col: 21,
			err: `"at": "2026-03-02T09:05:00" has no UTC offset: add a UTC offset, such as "2026-03-02T09:05:00Z" or "2026-03-02T09:05:00-03:00"`},
		{name: "no offset, space, fraction", line: `{"ticket":"T1","at":"2026-03-02 09:05:00.5","type":"note"}`, ticket: "T1", err: `add a UTC offset`},
		{name: "not an instant", line: `{"ticket":"T1","at":"yesterday","type":"note"}`, ticket: "T1",
			err: `"at": "yesterday" is not an RFC 3339 instant such as "2026-03-02T09:05:00-03:00"`},
		{name: "at a number", line: `{"ticket":"T1","at":12,"type":"note"}`, ticket: "T1", err: `"at": want an RFC 3339 instant in a string`},
		{name: "not json", line: `not json`, col: 1, err: `want a JSON object, got 'n'`},
		{name: "array", line: `[1,2]`, col: 1, err: `want a JSON object, got a list`},
		{name: "two values", line: `{"ticket":"T3"} {"ticket":"T4"}`, ticket: "T3", col: 17, err: "more than one JSON value on the line"},
		{name: "unclosed", line: `{"ticket":"T3"`, ticket: "T3", col: 15, err: "want ',' or '}' after the value of \"ticket\", got the end of the line"},
		{name: "unclosed string", line: `{"ticket":"T3`, col: 14, err: "string not closed"},
		{name: "control character", line: "{\"ticket\":\"T\x01\"}", col: 13, err: `control character 0x01 in a string`},
		{name: "bad escape", line: `{"ticket":"T\x"}`, err: `bad escape`},
		{name: "trailing comma", line: `{"ticket":"T1",}`, ticket: "T1", col: 16, err: `want a key in double quotes, got '}'`},
		{name: "score fraction", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"csat","score":4.5}`, ticket: "T1", err: `"score": want a whole number, got "4.5"`},
		{name: "tags not strings", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"update","tags":["a",2]}`, ticket: "T1", err: `"tags": want a list of strings, got a number`},
		{name: "public a string", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"message","public":"yes"}`, ticket: "T1", err: `"public": want true or false, got a string`},
		{name: "bad number", line: `{"ticket":"T1","tier":-}`, ticket: "T1", err: `want a digit in a number`},
		// Ids that decoding would change (invalid UTF-8 or an escaped lone
		// surrogate, both U+FFFD after it) would make two tickets one, or
		// a message another's redelivery: the line is malformed.
		{name: "ticket invalid UTF-8", line: "{\"ticket\":\"T\xff\",\"at\":\"2026-03-02T09:05:00Z\",\"type\":\"note\"}", ticket: "T\uFFFD",
			col: 11, err: `"ticket": not valid UTF-8`},
		{name: "ticket lone second half", line: `{"ticket":"T\udc01","at":"2026-03-02T09:05:00Z","type":"note"}`, ticket: "T\uFFFD",
			col: 11, err: `"ticket": not valid UTF-8`},
		{name: "ticket lone first half", line: `{"type":"note","ticket":"T\ud83dx"}`, ticket: "T\uFFFDx", col: 25, err: `"ticket": not valid UTF-8`},
		{name: "ticket first half at the end", line: `{"ticket":"T\ud83d"}`, ticket: "T\uFFFD", col: 11, err: `"ticket": not valid UTF-8`},
		{name: "ticket surrogate pair", line: `{"ticket":"T\ud83d\ude00","at":"2026-03-02T09:05:00Z","type":"note"}`, ticket: "T😀"},
		{name: "ticket escaped replacement character", line: `{"ticket":"T\ufffd\n","at":"2026-03-02T09:05:00Z","type":"note"}`, ticket: "T\uFFFD\n"},
		{name: "message id lone surrogate", line: `{"ticket":"T1","at":"2026-03-02T09:05:00Z","type":"message","message_id":"wamid.\udfff"}`,
			ticket: "T1", col: 74, err: `"message_id": not valid UTF-8`},
		{name: "text invalid UTF-8 is replaced", line: "{\"ticket\":\"T1\",\"at\":\"2026-03-02T09:05:00Z\",\"type\":\"note\",\"text\":\"a\xffb\"}", ticket: "T1"},
		{name: "deep fields", line: `{"ticket":"T1","fields":{"x":` + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + `}}`, ticket: "T1", err: "nested more than 1000 deep"},
		{name: "long value quoted short", line: `{"ticket":"T1","at":"` + strings.Repeat("9", 5000) + `"}`, ticket: "T1", err: `... (5000 bytes) is not an RFC 3339 instant`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev sla.Event
			err := ev.UnmarshalJSON([]byte(tt.line))
			assert.Equal(t, tt.ticket, ev.TicketID, "ticket id of %s", tt.line)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.err)
			var re *sla.ReadError
			require.ErrorAs(t, err, &re)
			if tt.col != 0 {
				assert.Equal(t, tt.col, re.Col, "column of %q", re.Msg)
			}
			assert.Less(t, len(err.Error()), 400, "the message stays short")
		})
	}
}

// TestDecodeEventAllKeys decodes an event with every key set and compares
// it with the event encoded again, so that a field added to Event without
// a decoder fails here.
func TestDecodeEventAllKeys(t *testing.T) {
	yes := false
	want := sla.Event{TicketID: "T1", At: time.Date(2026, 3, 2, 9, 5, 0, 123, time.FixedZone("", -3*3600)), Type: sla.EventCreated,
		Channel: "whatsapp", Priority: "urgent", Status: sla.StatusOpen, Team: "billing", Agent: "ana",
		Tags: []string{"vip", "pix"}, RemoveTags: []string{"old"}, Subject: "Pagamento \"duplo\" ✓",
		Customer: &sla.Customer{ID: "c1", Tier: "vip", Country: "BR", Language: "pt", Phone: "+5511"},
		Fields:   map[string]any{"n": 1.5, "s": "x", "b": true, "z": nil, "l": []any{"a", 2.0}, "o": map[string]any{"k": "v"}},
		Author:   sla.AuthorAgent, Public: &yes, Text: "olá\nmundo\t\u2028", MessageID: "wamid.1", Referral: true, Tier: "L2", Score: 5}
	b, err := json.Marshal(want)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	var got sla.Event
	require.NoError(t, got.UnmarshalJSON(b), "%s", b)
	assert.Equal(t, len(m), 20, "keys written: %s", b)
	assert.True(t, want.At.Equal(got.At))
	got.At = want.At
	assert.Equal(t, want, got)
}

func readAll(t *testing.T, input string, opts ...sla.ReadOption) (evs []sla.Event, errs []*sla.ReadError) {
	t.Helper()
	for ev, err := range sla.ReadEvents(strings.NewReader(input), opts...) {
		if err != nil {
			var re *sla.ReadError
			require.ErrorAs(t, err, &re)
			errs = append(errs, re)
			ev.TicketID = "!" + ev.TicketID
		}
		evs = append(evs, ev)
	}
	return evs, errs
}

func TestReadEventsLines(t *testing.T) {
	long := `{"ticket":"L","at":"2026-03-02T09:05:00Z","type":"note","text":"` + strings.Repeat("x", 200_000) + `"}`
	line := func(id string) string { return `{"ticket":"` + id + `","at":"2026-03-02T09:05:00Z","type":"note"}` }
	tests := []struct {
		name    string
		input   string
		max     int
		tickets []string // one per line; "!" marks an error
		lines   []int    // lines of the errors
		is      []error  // sentinels of the errors
	}{
		{name: "empty input"},
		{name: "no final newline", input: line("A") + "\n" + line("B"), tickets: []string{"A", "B"}},
		{name: "CRLF", input: line("A") + "\r\n" + line("B") + "\r\n", tickets: []string{"A", "B"}},
		{name: "blank lines are errors", input: line("A") + "\n\n  \n" + line("B") + "\n\n", tickets: []string{"A", "!", "!", "B", "!"},
			lines: []int{2, 3, 5}, is: []error{sla.ErrBlankLine, sla.ErrBlankLine, sla.ErrBlankLine}},
		{name: "long line skipped, reading goes on", input: line("A") + "\n" + long + "\n" + line("B") + "\n", max: 100_000,
			tickets: []string{"A", "!", "B"}, lines: []int{2}, is: []error{sla.ErrLineTooLong}},
		{name: "long last line", input: line("A") + "\n" + long, max: 1000, tickets: []string{"A", "!"}, lines: []int{2}, is: []error{sla.ErrLineTooLong}},
		{name: "long line under a larger limit", input: long + "\n" + line("B"), max: 300_000, tickets: []string{"L", "B"}},
		{name: "long line at the default limit", input: long + "\n" + line("B"), tickets: []string{"L", "B"}},
		{name: "limit is exact", input: line("A") + "\n" + line("B"), max: len(line("A")), tickets: []string{"A", "B"}},
		{name: "one over the limit", input: line("A") + "\n" + line("BB"), max: len(line("A")), tickets: []string{"A", "!"}, lines: []int{2}, is: []error{sla.ErrLineTooLong}},
		{name: "malformed lines keep their numbers", input: line("A") + "\nnot json\n" + `{"ticket":"C","At":"x"}` + "\n" + line("D"),
			tickets: []string{"A", "!", "!C", "D"}, lines: []int{2, 3}, is: []error{nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, errs := readAll(t, tt.input, sla.MaxLine(tt.max))
			var tickets []string
			for _, ev := range evs {
				tickets = append(tickets, ev.TicketID)
			}
			assert.Equal(t, tt.tickets, tickets)
			require.Len(t, errs, len(tt.lines))
			for i, re := range errs {
				assert.Equal(t, tt.lines[i], re.Line, "line of %v", re)
				if tt.is[i] != nil {
					assert.ErrorIs(t, re, tt.is[i])
				}
			}
		})
	}
}

func TestReadEventsMessages(t *testing.T) {
	_, errs := readAll(t, okLine+"\n"+`{"ticket":"T1","Type":"note"}`+"\n"+strings.Repeat("x", 50), sla.MaxLine(40))
	require.Len(t, errs, 3)
	assert.Equal(t, "sla: line 1: line of 173 bytes is longer than the limit of 40 bytes: skipped", errs[0].Error())
	assert.Equal(t, `sla: line 2:16: unknown key "Type" (did you mean "type"? keys are exact)`, errs[1].Error())
	assert.Equal(t, "sla: line 3: line of 50 bytes is longer than the limit of 40 bytes: skipped", errs[2].Error())
}

func TestReadEventsReadError(t *testing.T) {
	disk := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(okLine+"\n"+okLine[:20]), iotest.ErrReader(disk))
	var got []error
	for _, err := range sla.ReadEvents(r) {
		got = append(got, err)
	}
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	require.Len(t, got, 2)
	assert.NoError(t, got[0])
	assert.ErrorIs(t, last, disk)
	assert.EqualError(t, last, "sla: line 2: reading: disk on fire")
}

func TestReadEventsStops(t *testing.T) {
	n := 0
	for range sla.ReadEvents(strings.NewReader(okLine + "\n" + okLine + "\n" + okLine)) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}

func TestReadEventsReplayLines(t *testing.T) {
	pol := sla.Policy{Name: "p", Targets: map[string]map[sla.Metric]time.Duration{"normal": {sla.Resolution: 8 * time.Hour}}}
	eng, err := sla.NewEngine(sla.Config{Policies: []sla.Policy{pol}})
	require.NoError(t, err)
	input := okLine + "\n\n" + `{"ticket":"T1","at":"2026-03-02T10:00:00-03:00","type":"status","status":"nope"}` + "\n"
	var lines []int
	for res, err := range eng.Replay(sla.ReadEvents(strings.NewReader(input)), time.Time{}) {
		if err != nil { // the blank line, apart
			var ee *sla.EventError
			require.ErrorAs(t, err, &ee)
			lines = append(lines, ee.Line)
			continue
		}
		for _, err := range res.Errors {
			var ee *sla.EventError
			require.ErrorAs(t, err, &ee)
			lines = append(lines, ee.Line)
		}
	}
	assert.Equal(t, []int{2, 3}, lines, "the replay's lines are the file's")
}

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{okLine, `{"ticket":"T","tier":2,"fields":{"a":[1,{"b":null}]}}`, `{"Ticket":"x"}`, `{"at":"2026-03-02T09:05:00"}`,
		`{"ticket":"T\u00e9\ud83d\ude00","text":"\x"}`, `{"ticket":"T","score":1e3}`, "", "\n", "[]", `{"customer":{"id":"a"},"team":""}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ev sla.Event
		err := ev.UnmarshalJSON(b)
		if err != nil {
			var re *sla.ReadError
			require.ErrorAs(t, err, &re)
			require.LessOrEqual(t, re.Col, len(b)+1)
			return
		}
		require.True(t, json.Valid(b), "accepted invalid JSON %q", b)
		// What is accepted encodes and decodes to the same event.
		out, err := json.Marshal(ev)
		require.NoError(t, err)
		var back sla.Event
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))
	})
}

func benchInput(n int) []byte {
	var b strings.Builder
	for i := range n {
		switch i % 3 {
		case 0:
			b.WriteString(okLine)
		case 1:
			b.WriteString(`{"ticket":"T1","at":"2026-03-02T09:12:00-03:00","type":"message","author":"agent","text":"Olá! Já verificamos o pagamento.","message_id":"wamid.HBgLNTUxMTk5OTk5OTk5FQIAEhgUM0E"}`)
		default:
			b.WriteString(`{"ticket":"T1","at":"2026-03-02T10:00:00-03:00","type":"update","tags":["pix","refund"],"fields":{"order":"A-1","amount":129.9}}`)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// BenchmarkReadEvents reads 3,000 typical lines (created, message,
// update); BenchmarkReadEventsEncodingJSON reads them as the CLI did
// before, with encoding/json, for comparison.
func BenchmarkReadEvents(b *testing.B) {
	benchReadEvents(b, benchInput(3000))
}

// BenchmarkReadEventsHistory reads the generator's default history
// (testdata/history/sample.jsonl: the events of 3,000 tickets over four
// weeks, in the mix of the large histories of BenchmarkReplayEndToEnd).
func BenchmarkReadEventsHistory(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("..", "testdata", "history", "sample.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	benchReadEvents(b, in)
}

func benchReadEvents(b *testing.B, in []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		for _, err := range sla.ReadEvents(bytes.NewReader(in)) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadEventsEncodingJSON(b *testing.B) {
	in := benchInput(3000)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	type plain sla.Event // without the strict decoder
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(in))
		for sc.Scan() {
			var ev struct {
				plain
				Tier json.RawMessage `json:"tier"`
			}
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}
