package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/slakit/slakit/sla"
)

// maxLine is the longest events line read (a message text can be long).
const maxLine = 16 << 20

// readEvents yields the events of a JSON Lines stream, one per line, in
// constant memory. A line that cannot be decoded yields its error, with the
// event's ticket id when the line is JSON that names one, so that the
// replay reports it with that ticket. Every physical line is yielded, so
// the replay's line numbers are the file's. A read error ends the stream
// with one last error.
func readEvents(r io.Reader, bad *int) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), maxLine)
		for sc.Scan() {
			ev, err := decodeEvent(sc.Bytes())
			if err != nil {
				*bad++
			}
			if !yield(ev, err) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			*bad++
			yield(sla.Event{}, fmt.Errorf("reading events: %w", err))
		}
	}
}

// decodeEvent decodes one line strictly: unknown fields are errors.
func decodeEvent(line []byte) (sla.Event, error) {
	var ev sla.Event
	if len(bytes.TrimSpace(line)) == 0 {
		return ev, fmt.Errorf("empty line")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		var id struct {
			Ticket string `json:"ticket"`
		}
		_ = json.Unmarshal(line, &id)
		return sla.Event{TicketID: id.Ticket}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return sla.Event{TicketID: ev.TicketID}, fmt.Errorf("more than one JSON value on the line")
	}
	return ev, nil
}
