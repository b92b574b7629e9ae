package servicenow

import (
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/out"
	"github.com/slakit/slakit/sla"
)

// Reader converts incident audit logs into events. Set Zone before
// calling Events. A Reader is for one import at a time; it is not safe for
// concurrent use.
type Reader struct {
	// Zone is where the log's naive dates were written; nil means UTC.
	Zone *time.Location

	records int
}

// Records returns the number of data rows read so far (the header not
// counted).
func (r *Reader) Records() int { return r.records }

// columns are the indexes of the columns the reader uses; -1 when absent.
type columns struct {
	number, state, updated, opened, priority, group, agent, contact, caller, closed int
}

// incident is what the reader remembers of an open incident.
type incident struct {
	order    int
	opened   time.Time
	last     time.Time // instant of the last event
	status   sla.Status
	priority string
	team     string
	agent    string
	closedAt string // the closed_at cell of the last row, as written
	file     string
	line     int // line of the last row
}

// Events reads the inputs, in order, as one log and yields the events and
// the problems (as [*importer.Problem] errors) in file order. A read error
// of an input is a problem; the next input is read all the same.
func (r *Reader) Events(inputs ...importer.Input) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		c := newConv(r, yield)
		for _, in := range inputs {
			if !c.file(in) {
				return
			}
		}
		c.finish()
	}
}

// recentlyClosed is how many closed incident numbers are remembered to
// report rows after a close.
const recentlyClosed = 4096

func newConv(r *Reader, yield func(sla.Event, error) bool) *conv {
	c := &conv{r: r, loc: r.Zone, open: map[string]*incident{}, closed: newRecent(recentlyClosed), o: out.New(yield)}
	if c.loc == nil {
		c.loc = time.UTC
	}
	return c
}

// conv is the state of one conversion.
type conv struct {
	r      *Reader
	loc    *time.Location
	open   map[string]*incident
	closed *recent
	order  int
	o      *out.Out
}

func (c *conv) emit(ev sla.Event) bool { return c.o.Event(ev) }

func (c *conv) problem(file string, line int, ticket string, kind importer.Kind, format string, args ...any) bool {
	return c.o.Problem(importer.Problem{File: file, Line: line, Ticket: ticket}, kind, format, args...)
}

// file converts one input; it reports false when the consumer stopped.
func (c *conv) file(in importer.Input) bool {
	cr := csv.NewReader(in.R)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return c.problem(in.Name, 1, "", importer.KindMalformed, "empty file: want a header row")
		}
		return c.problem(in.Name, 1, "", importer.KindMalformed, "header: %v", csvMessage(err))
	}
	cols, missing := findColumns(header)
	if len(missing) > 0 {
		return c.problem(in.Name, 1, "", importer.KindMalformed, "header: no column %s", strings.Join(missing, ", "))
	}
	width := len(header)
	lastOff := cr.InputOffset()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return !c.o.Stopped()
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			c.r.records++
			if !c.problem(in.Name, line, "", importer.KindMalformed, "%s", csvMessage(err)) {
				return false
			}
			if off := cr.InputOffset(); off == lastOff {
				return true // no progress: give up on this input
			} else {
				lastOff = off
			}
			continue
		}
		lastOff = cr.InputOffset()
		c.r.records++
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			if !c.problem(in.Name, line, cell(rec, cols.number), importer.KindMalformed,
				"%d cells, the header has %d", len(rec), width) {
				return false
			}
			continue
		}
		if !c.row(in.Name, line, rec, &cols) {
			return false
		}
	}
}

// csvMessage is a CSV error without the position, which the problem
// carries.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func findColumns(header []string) (columns, []string) {
	c := columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1}
	idx := map[string]*int{
		"number": &c.number, "incident_state": &c.state, "sys_updated_at": &c.updated, "opened_at": &c.opened,
		"priority": &c.priority, "assignment_group": &c.group, "assigned_to": &c.agent,
		"contact_type": &c.contact, "caller_id": &c.caller, "closed_at": &c.closed,
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if p, ok := idx[h]; ok && *p < 0 {
			*p = i
		}
	}
	var missing []string
	for _, name := range []string{"number", "incident_state", "sys_updated_at"} {
		if *idx[name] < 0 {
			missing = append(missing, name)
		}
	}
	return c, missing
}

// cell is the value of column i, "" for a missing column or "?".
func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	v := strings.TrimSpace(rec[i])
	if v == "?" {
		return ""
	}
	return v
}

// row converts one data row; it reports false when the consumer stopped.
func (c *conv) row(file string, line int, rec []string, cols *columns) bool {
	id := cell(rec, cols.number)
	if id == "" {
		return c.problem(file, line, "", importer.KindMalformed, "no incident number")
	}
	raw := cell(rec, cols.updated)
	t, err := parseTime(raw, c.loc)
	if err != nil {
		return c.problem(file, line, id, importer.KindBadValue, "sys_updated_at %q: %v; row skipped", raw, err)
	}
	inc := c.open[id]
	if inc == nil {
		if c.closed.has(id) {
			return c.problem(file, line, id, importer.KindAfterClosed,
				"row after the incident's Closed row (state %s at %s); skipped", cell(rec, cols.state), raw)
		}
		return c.first(file, line, id, t, rec, cols)
	}
	inc.file, inc.line, inc.closedAt = file, line, cell(rec, cols.closed)
	if t.Before(inc.last) {
		if !c.problem(file, line, id, importer.KindOutOfOrder, "updated at %s, before the previous row (%s): taken at the previous row's instant",
			raw, inc.last.Format(time.RFC3339)) {
			return false
		}
		t = inc.last
	}
	inc.last = t
	if p, ok := c.priority(file, line, id, rec, cols); !ok {
		return false
	} else if p != "" && p != inc.priority {
		inc.priority = p
		if !c.emit(sla.Event{TicketID: id, At: t, Type: sla.EventPriority, Priority: p}) {
			return false
		}
	}
	if cols.group >= 0 || cols.agent >= 0 {
		team, agent := cell(rec, cols.group), cell(rec, cols.agent)
		ev := sla.Event{TicketID: id, At: t, Type: sla.EventAssign}
		if cols.group >= 0 && team != inc.team {
			inc.team, ev.Team, ev.ClearTeam = team, team, team == ""
		}
		if agent != "" && agent != inc.agent {
			inc.agent, ev.Agent = agent, agent
		}
		if (ev.Team != "" || ev.ClearTeam || ev.Agent != "") && !c.emit(ev) {
			return false
		}
	}
	return c.status(file, line, id, inc, t, rec, cols)
}

// first converts the first row of an incident.
func (c *conv) first(file string, line int, id string, t time.Time, rec []string, cols *columns) bool {
	opened := t
	if raw := cell(rec, cols.opened); raw != "" {
		o, err := parseTime(raw, c.loc)
		if err != nil {
			if !c.problem(file, line, id, importer.KindBadValue, "opened_at %q: %v; opened at the row's sys_updated_at", raw, err) {
				return false
			}
		} else {
			opened = o
		}
	}
	if t.Before(opened) {
		if !c.problem(file, line, id, importer.KindBeforeOpening, "updated at %s, before the opening at %s: taken at the opening",
			cell(rec, cols.updated), cell(rec, cols.opened)) {
			return false
		}
		t = opened
	}
	prio, ok := c.priority(file, line, id, rec, cols)
	if !ok {
		return false
	}
	inc := &incident{order: c.order, opened: opened, last: t, status: sla.StatusNew, priority: prio,
		team: cell(rec, cols.group), agent: cell(rec, cols.agent), closedAt: cell(rec, cols.closed), file: file, line: line}
	c.order++
	c.open[id] = inc
	ev := sla.Event{TicketID: id, At: opened, Type: sla.EventCreated, Status: sla.StatusNew, Priority: prio,
		Team: inc.team, Agent: inc.agent, Channel: channel(cell(rec, cols.contact))}
	if caller := cell(rec, cols.caller); caller != "" {
		ev.Customer = &sla.Customer{ID: caller}
	}
	if !c.emit(ev) {
		return false
	}
	return c.status(file, line, id, inc, t, rec, cols)
}

// status yields the row's state when it changes the incident's status,
// and forgets an incident that is closed.
func (c *conv) status(file string, line int, id string, inc *incident, t time.Time, rec []string, cols *columns) bool {
	s, ok := c.state(file, line, id, rec, cols)
	if !ok {
		return false
	}
	if s != "" && s != inc.status {
		inc.status = s
		if !c.emit(sla.Event{TicketID: id, At: t, Type: sla.EventStatus, Status: s}) {
			return false
		}
	}
	if inc.status == sla.StatusClosed {
		delete(c.open, id)
		c.closed.add(id)
	}
	return true
}

// priority reads the row's priority: "" when there is none or it cannot be
// read (then reported); ok is false when the consumer stopped.
func (c *conv) priority(file string, line int, id string, rec []string, cols *columns) (string, bool) {
	raw := cell(rec, cols.priority)
	if raw == "" {
		return "", true
	}
	p, good := mapPriority(raw)
	if !good {
		return "", c.problem(file, line, id, importer.KindBadValue, "priority %q: want a label such as \"3 - Moderate\" or 1 to 5; ignored", raw)
	}
	return p, true
}

// state reads the row's status: "" when it cannot be read (then reported);
// ok is false when the consumer stopped.
func (c *conv) state(file string, line int, id string, rec []string, cols *columns) (sla.Status, bool) {
	raw := cell(rec, cols.state)
	s, good := states[strings.ToLower(raw)]
	if !good {
		return "", c.problem(file, line, id, importer.KindBadValue, "incident_state %q unknown; ignored", raw)
	}
	return s, true
}

// finish reports the incidents cut by the end of the input.
func (c *conv) finish() {
	rest := make([]string, 0, len(c.open))
	for id, inc := range c.open {
		if inc.closedAt != "" {
			rest = append(rest, id)
		}
	}
	slices.SortFunc(rest, func(a, b string) int { return c.open[a].order - c.open[b].order })
	for _, id := range rest {
		inc := c.open[id]
		if !c.problem(inc.file, inc.line, id, importer.KindCut,
			"the input ends with the incident %s, but closed_at says it closed at %s", inc.status, inc.closedAt) {
			return
		}
	}
}

var states = map[string]sla.Status{
	"new":                sla.StatusNew,
	"active":             sla.StatusOpen,
	"in progress":        sla.StatusOpen,
	"awaiting user info": sla.StatusPending,
	"awaiting caller":    sla.StatusPending,
	"awaiting problem":   sla.StatusOnHold,
	"awaiting vendor":    sla.StatusOnHold,
	"awaiting evidence":  sla.StatusOnHold,
	"awaiting change":    sla.StatusOnHold,
	"on hold":            sla.StatusOnHold,
	"resolved":           sla.StatusSolved,
	"closed":             sla.StatusClosed,
	"canceled":           sla.StatusClosed,
	"cancelled":          sla.StatusClosed,
}

var numericPriorities = [...]string{"critical", "high", "moderate", "low", "planning"}

// mapPriority turns "1 - Critical" into "critical" and "1" into critical
// (ServiceNow's numbering, 1 to 5).
func mapPriority(raw string) (string, bool) {
	if _, label, ok := strings.Cut(raw, " - "); ok {
		raw = label
	} else if len(raw) == 1 && raw[0] >= '1' && raw[0] <= '5' {
		return numericPriorities[raw[0]-'1'], true
	}
	label := strings.Join(strings.Fields(strings.ToLower(raw)), "_")
	if label == "" || strings.ContainsFunc(label, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		return "", false
	}
	return label, true
}

// channel turns a contact_type such as "Self service" into "self_service".
func channel(contact string) string {
	return strings.Join(strings.Fields(strings.ToLower(contact)), "_")
}

// recent remembers the last n ids added to it.
type recent struct {
	ids  map[string]struct{}
	ring []string
	next int
}

func newRecent(n int) *recent { return &recent{ids: map[string]struct{}{}, ring: make([]string, n)} }

func (r *recent) has(id string) bool { _, ok := r.ids[id]; return ok }

func (r *recent) add(id string) {
	if r.has(id) {
		return
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.ids, old)
	}
	r.ring[r.next], r.ids[id] = id, struct{}{}
	r.next = (r.next + 1) % len(r.ring)
}
