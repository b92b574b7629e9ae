package importer

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/slakit/slakit/sla"
)

// Input is one file of an export: its name, used in problems, and its
// content.
type Input struct {
	Name string
	R    io.Reader
}

// Kind classifies a [Problem].
type Kind string

// Problem kinds.
const (
	// KindMalformed reports a record that cannot be read at all (a CSV row with the
	// wrong number of fields, a JSON record of the wrong shape, a file that is
	// not JSON). The record is skipped.
	KindMalformed Kind = "malformed"
	// KindBadValue reports a field that cannot be read (a date, a state, a
	// priority). The field is ignored; the rest of the record is used when
	// it can be.
	KindBadValue Kind = "bad_value"
	// KindOutOfOrder reports a record dated before the ticket's previous one. It is
	// taken at the previous record's instant, in the input's order.
	KindOutOfOrder Kind = "out_of_order"
	// KindBeforeOpening reports a record dated before the ticket was opened. It is
	// taken at the opening instant.
	KindBeforeOpening Kind = "before_opening"
	// KindAfterClosed reports a record of a ticket that is already closed. It is
	// skipped: a closed ticket takes no more events.
	KindAfterClosed Kind = "after_closed"
	// KindCut reports that the input ends while the ticket is still open although the
	// export says it was closed later (an export cut in the middle of a
	// ticket's history). The ticket's events so far are kept.
	KindCut Kind = "cut"
	// KindNoCreate reports a ticket whose history does not start with its
	// creation (an export that starts in the middle of it). Its records are
	// skipped.
	KindNoCreate Kind = "no_create"
	// KindUnknownTicket reports a record that names a ticket or conversation the
	// input does not otherwise describe. It is skipped.
	KindUnknownTicket Kind = "unknown_ticket"
	// KindDuplicate reports a record already read (overlapping pages). The copy is
	// skipped.
	KindDuplicate Kind = "duplicate"
	// KindMismatch reports that the ticket's history does not end where the export
	// says the ticket is now (pages of its history missing). The events
	// stand as the history gives them.
	KindMismatch Kind = "mismatch"
)

// Problem is one input problem. It is yielded by the readers in place of
// an event, with the event's TicketID set when the ticket is known.
type Problem struct {
	File   string // the input's name
	Line   int    // 1-based line of the record; 0 when unknown
	Record string // the record's path in a JSON document, e.g. "audits[3]"; "" for CSV
	Ticket string // the ticket's id in the export; "" when unknown
	Kind   Kind
	Msg    string
}

// Error formats the problem as "file:line: record: ticket "ID": kind: msg",
// leaving out the parts that are unknown.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Record != "" {
		fmt.Fprintf(&b, ": %s", p.Record)
	}
	if p.Ticket != "" {
		fmt.Fprintf(&b, ": ticket %q", p.Ticket)
	}
	fmt.Fprintf(&b, ": %s: %s", p.Kind, p.Msg)
	return b.String()
}

// Summary counts what an import read and produced. Its zero value is ready
// to use.
type Summary struct {
	Records  int          // records read (CSV rows, audits, ticket events, messages)
	Tickets  int          // tickets created (created events)
	Events   int          // events yielded
	Problems map[Kind]int // problems by kind; an error that is not a *Problem counts as malformed
}

// Add counts one item a reader yielded.
func (s *Summary) Add(ev sla.Event, err error) {
	if err != nil {
		if s.Problems == nil {
			s.Problems = map[Kind]int{}
		}
		var p *Problem
		if errors.As(err, &p) {
			s.Problems[p.Kind]++
		} else {
			s.Problems[KindMalformed]++
		}
		return
	}
	s.Events++
	if ev.Type == sla.EventCreated {
		s.Tickets++
	}
}

// ProblemCount returns the number of problems of every kind.
func (s *Summary) ProblemCount() int {
	n := 0
	for _, c := range s.Problems {
		n += c
	}
	return n
}

// String formats the summary on one line, problems by kind in name order:
// "5998 records, 890 tickets, 5105 events, 13 problems (after_closed 7, before_opening 5, out_of_order 1)".
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s, %s, %s", count(s.Records, "record"), count(s.Tickets, "ticket"), count(s.Events, "event"),
		count(s.ProblemCount(), "problem"))
	if len(s.Problems) > 0 {
		b.WriteString(" (")
		for i, k := range slices.Sorted(maps.Keys(s.Problems)) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %d", k, s.Problems[k])
		}
		b.WriteString(")")
	}
	return b.String()
}

// count is "1 ticket" or "n tickets".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
