// Command crm-plugin shows slakit embedded in a CRM the way a plugin uses
// it: the incremental API, with each ticket's state kept by the host in a
// real database (SQLite, through database/sql and the pure-Go driver
// modernc.org/sqlite), a timer per ticket stored beside it from
// View.NextWake, and Engine.Advance called when a timer is due, so that
// escalation levels fire on time even when no event comes.
//
// The database has two tables:
//
//	tickets(id, state, next_wake)   state: sla.State as JSON; next_wake: indexed, NULL when no timer
//	applied(event_id, ticket_id)    the CRM's event ids already applied (idempotency)
//
// Each event is applied in one transaction: the state is read, the event
// applied, the new state and its timer written and the event id recorded
// together, so a crash between two steps loses nothing and a redelivered
// event is not applied twice. The timer loop takes the due wakes
// (next_wake <= now) in order, each in its own transaction, and calls
// Advance.
//
// The CRM's clock is simulated: events and timers are processed in time
// order over two days of the reference policy's desks, and every line
// printed says what the plugin would do.
//
// Run it from the repository root (testdata paths are resolved from the
// repository root: the nearest directory, from the current one up, that
// holds testdata/policies/multidesk.yaml):
//
//	go run ./examples/crm-plugin [-db tickets.db]
//
// Without -db the database is a temporary file, removed at the end.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", pure Go

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
)

func main() {
	dbPath := flag.String("db", "", "SQLite database file (default: a temporary file)")
	flag.Parse()
	if err := runMain(os.Stdout, repo.Root(), *dbPath); err != nil {
		fmt.Fprintln(os.Stderr, "crm-plugin:", err)
		os.Exit(1)
	}
}

func runMain(w io.Writer, root, dbPath string) error {
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "crm-plugin")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "tickets.db")
	}
	return run(w, root, dbPath)
}

// schema creates the plugin's tables. next_wake is unix milliseconds,
// rounded up so that a wake is never taken before its instant; the
// partial index holds only the tickets with a timer.
const schema = `
CREATE TABLE IF NOT EXISTS tickets (
	id        TEXT PRIMARY KEY,
	state     TEXT NOT NULL,
	next_wake INTEGER
);
CREATE INDEX IF NOT EXISTS tickets_next_wake ON tickets(next_wake) WHERE next_wake IS NOT NULL;
CREATE TABLE IF NOT EXISTS applied (
	event_id  TEXT PRIMARY KEY,
	ticket_id TEXT NOT NULL
);`

// plugin is the host side: the engine and the database of states and
// timers.
type plugin struct {
	eng *sla.Engine
	db  *sql.DB
	w   io.Writer
	// zones holds the zone of each policy's calendar, in which a timer's
	// instant is printed.
	zones map[string]*time.Location

	// beforeCommit, when set, runs inside every transaction just before
	// the commit; an error rolls the transaction back (tests use it to
	// crash between two steps).
	beforeCommit func(what string) error
}

// openPlugin opens (or creates) the database at path, for the engine of
// set.
func openPlugin(set *policy.Set, eng *sla.Engine, path string, w io.Writer) (*plugin, error) {
	q := url.Values{"_pragma": {"busy_timeout(5000)", "journal_mode(WAL)", "synchronous(NORMAL)"}, "_txlock": {"immediate"}}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serialises writes anyway
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, err
	}
	return &plugin{eng: eng, db: db, w: w, zones: zones(set)}, nil
}

// Close closes the database.
func (p *plugin) Close() error { return p.db.Close() }

// crmEvent is an event as the CRM delivers it: with the CRM's own id, so
// that a redelivery is recognised.
type crmEvent struct {
	ID string
	sla.Event
}

// tx runs f in a transaction, committing when f and beforeCommit succeed.
func (p *plugin) tx(what string, f func(tx *sql.Tx) error) error {
	tx, err := p.db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if err := f(tx); err != nil {
		return err
	}
	if p.beforeCommit != nil {
		if err := p.beforeCommit(what); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// load reads a ticket's state (the zero State for a new ticket).
func load(tx *sql.Tx, id string) (sla.State, bool, error) {
	var (
		st sla.State
		b  []byte
	)
	err := tx.QueryRow(`SELECT state FROM tickets WHERE id = ?`, id).Scan(&b)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return st, false, nil
	case err != nil:
		return st, false, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, true, fmt.Errorf("ticket %s: %w", id, err)
	}
	return st, true, nil
}

// save writes the state and its timer, from the view of the state at the
// instant at.
func (p *plugin) save(tx *sql.Tx, id string, st sla.State, at time.Time) (sla.View, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return sla.View{}, err
	}
	v := p.eng.Evaluate(st, at)
	var wake sql.NullInt64
	if !v.NextWake.IsZero() {
		wake = sql.NullInt64{Int64: wakeMillis(v.NextWake), Valid: true}
	}
	_, err = tx.Exec(`INSERT INTO tickets (id, state, next_wake) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, next_wake = excluded.next_wake`, id, b, wake)
	return v, err
}

// wakeMillis is t in unix milliseconds, rounded up.
func wakeMillis(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}

// event is what the CRM calls when something happens to a ticket. It
// reports whether the event was applied (false: applied before).
func (p *plugin) event(ev crmEvent) (bool, error) {
	var (
		v       sla.View
		fired   []sla.Escalation
		team    string
		already bool
	)
	err := p.tx("event "+ev.ID, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO applied (event_id, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, ev.ID, ev.TicketID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			already = err == nil
			return err
		}
		st, _, err := load(tx, ev.TicketID)
		if err != nil {
			return err
		}
		// The state's JSON can be queried in place: the levels fired so far.
		var n int
		if err := tx.QueryRow(`SELECT coalesce((SELECT json_array_length(state, '$.escalations') FROM tickets WHERE id = ?), 0)`,
			ev.TicketID).Scan(&n); err != nil {
			return err
		}
		if st, err = p.eng.Apply(st, ev.Event); err != nil {
			return err
		}
		if v, err = p.save(tx, ev.TicketID, st, ev.At); err != nil {
			return err
		}
		fired = v.Escalations[min(n, len(v.Escalations)):]
		return tx.QueryRow(`SELECT coalesce(json_extract(state, '$.ticket.team'), '') FROM tickets WHERE id = ?`, ev.TicketID).Scan(&team)
	})
	if err != nil || already {
		return false, err
	}
	what := string(ev.Type)
	switch ev.Type {
	case sla.EventMessage:
		what = string(ev.Author) + " message"
	case sla.EventStatus:
		what = "status " + string(ev.Status)
	}
	loc := ev.At.Location()
	p.printf(ev.At, ev.TicketID, "%s: policy %s, priority %s, team %s%s", what, v.Policy, v.Priority, team, clocks(v, loc))
	p.fired(v, fired, loc)
	return true, nil
}

// nextWake returns the earliest timer, if any.
func (p *plugin) nextWake() (time.Time, bool, error) {
	var ms sql.NullInt64
	if err := p.db.QueryRow(`SELECT min(next_wake) FROM tickets WHERE next_wake IS NOT NULL`).Scan(&ms); err != nil {
		return time.Time{}, false, err
	}
	return time.UnixMilli(ms.Int64), ms.Valid, nil
}

// wakeDue runs every timer due at now (next_wake <= now), in order of
// next_wake then ticket id, each in its own transaction, and returns how
// many it ran.
func (p *plugin) wakeDue(now time.Time) (int, error) {
	n := 0
	for {
		var (
			id string
			ms int64
		)
		err := p.db.QueryRow(`SELECT id, next_wake FROM tickets WHERE next_wake <= ? ORDER BY next_wake, id LIMIT 1`,
			now.UnixMilli()).Scan(&id, &ms)
		if errors.Is(err, sql.ErrNoRows) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if err := p.wake(id, time.UnixMilli(ms)); err != nil {
			return n, err
		}
		n++
	}
}

// wake is what a due timer calls: Advance to the timer's instant.
func (p *plugin) wake(id string, at time.Time) error {
	var (
		v     sla.View
		fired []sla.Escalation
	)
	err := p.tx("wake "+id, func(tx *sql.Tx) error {
		st, ok, err := load(tx, id)
		if err != nil || !ok {
			return err
		}
		st, fired = p.eng.Advance(st, at)
		v, err = p.save(tx, id, st, at)
		return err
	})
	if err != nil {
		return err
	}
	loc := p.zones[v.Policy]
	if loc == nil {
		loc = time.UTC
	}
	at = at.In(loc)
	var breached []string
	for _, c := range v.Clocks {
		if c.State == sla.StateBreached && !c.BreachedAt.After(at) && c.BreachedAt.After(at.Add(-time.Millisecond)) {
			breached = append(breached, string(c.Metric)+" breached")
		}
	}
	if len(fired) == 0 && len(breached) == 0 {
		what := "nothing to do"
		if wa := v.WhatsApp; wa != nil {
			what = fmt.Sprintf("whatsapp window %s (closes %s, free-form %t)",
				wa.Verdict.State, wa.Verdict.ClosesAt.In(loc).Format(day), wa.Verdict.FreeForm)
		}
		p.printf(at, id, "timer: %s%s", what, next(v, loc))
		return nil
	}
	if len(breached) > 0 {
		p.printf(at, id, "timer: %s%s", strings.Join(breached, ", "), next(v, loc))
	}
	p.fired(v, fired, loc)
	return nil
}

func (p *plugin) fired(v sla.View, fired []sla.Escalation, loc *time.Location) {
	for _, e := range fired {
		acts := make([]string, len(e.Actions))
		for i, a := range e.Actions {
			acts[i] = action(a)
		}
		p.printf(e.At.In(loc), v.Ticket, "escalation %s (%s): %s%s", e.Level, e.Metric, strings.Join(acts, ", "), next(v, loc))
	}
}

func (p *plugin) printf(at time.Time, id, format string, args ...any) {
	fmt.Fprintf(p.w, "%s  %-3s %s\n", at.Format(day+" -07"), id, fmt.Sprintf(format, args...))
}

// summary prints what the database holds.
func (p *plugin) summary() error {
	var tickets, size, timers, applied int
	if err := p.db.QueryRow(`SELECT count(*), coalesce(sum(length(state)), 0), count(next_wake) FROM tickets`).Scan(&tickets, &size, &timers); err != nil {
		return err
	}
	if err := p.db.QueryRow(`SELECT count(*) FROM applied`).Scan(&applied); err != nil {
		return err
	}
	fmt.Fprintf(p.w, "end: %d tickets in the database (%d bytes of JSON), %d events applied, %d timers set\n", tickets, size, applied, timers)
	return nil
}

// day is how instants are printed.
const day = "Mon 2 Jan 15:04"

func action(a escalation.Action) string {
	b, _ := json.Marshal(a)
	return strings.NewReplacer(`"`, "", "{", "", "}", "").Replace(string(b))
}

func clocks(v sla.View, loc *time.Location) string {
	var b strings.Builder
	for _, c := range v.Clocks {
		if c.State == sla.StateRunning {
			fmt.Fprintf(&b, "; %s due %s", c.Metric, c.Deadline.In(loc).Format(day))
		} else if c.Stop.Equal(v.At) {
			fmt.Fprintf(&b, "; %s %s", c.Metric, c.State)
		}
	}
	return b.String() + next(v, loc)
}

func next(v sla.View, loc *time.Location) string {
	if v.NextWake.IsZero() {
		return "; no timer"
	}
	return "; timer " + v.NextWake.In(loc).Format(day)
}

// simulate runs the CRM's clock: it delivers the events in time order and,
// before each, runs the timers due by then; then it runs the timers due
// before end. Events already applied (after a restart) are skipped.
func (p *plugin) simulate(events []crmEvent, end time.Time) error {
	for _, ev := range events {
		if err := p.timersUntil(ev.At, true); err != nil {
			return err
		}
		if _, err := p.event(ev); err != nil {
			return err
		}
	}
	return p.timersUntil(end, false)
}

// timersUntil runs the timers due before t (or at t too, with inclusive),
// in time order, moving the simulated clock from one to the next.
func (p *plugin) timersUntil(t time.Time, inclusive bool) error {
	for {
		at, ok, err := p.nextWake()
		if err != nil || !ok || at.After(t) || (!inclusive && !at.Before(t)) {
			return err
		}
		if _, err := p.wakeDue(at); err != nil {
			return err
		}
	}
}

// history returns the CRM's events of two days at the reference policy's
// desks, in time order, and the instant the simulation ends.
func history(set *policy.Set) ([]crmEvent, time.Time) {
	sp := set.Calendar("sp-support").Location()
	ber := set.Calendar("berlin-support").Location()
	mon := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2026, 3, 2+day, h, m, 0, 0, loc) }
	events := []sla.Event{
		// a VIP's billing question on WhatsApp that nobody answers for two hours
		{TicketID: "T1", At: mon(sp, 0, 9, 5), Type: sla.EventCreated, Channel: "whatsapp",
			Customer: &sla.Customer{ID: "c1", Tier: "vip"}, Text: "Problema de pagamento", MessageID: "wamid.1"},
		{TicketID: "T1", At: mon(sp, 0, 11, 30), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Desculpe a demora!"},
		{TicketID: "T1", At: mon(sp, 0, 11, 40), Type: sla.EventStatus, Status: sla.StatusSolved},
		// an email just before closing time, answered the next morning
		{TicketID: "T2", At: mon(ber, 0, 16, 50), Type: sla.EventCreated, Channel: "email",
			Customer: &sla.Customer{ID: "c2"}, Subject: "Question about my order", Text: "Where is my order?"},
		{TicketID: "T2", At: mon(ber, 1, 10, 30), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "It ships today."},
		{TicketID: "T2", At: mon(ber, 1, 10, 35), Type: sla.EventStatus, Status: sla.StatusPending},
		{TicketID: "T2", At: mon(ber, 1, 14, 0), Type: sla.EventMessage, Author: sla.AuthorCustomer, Text: "Thanks!"},
		{TicketID: "T2", At: mon(ber, 1, 14, 5), Type: sla.EventStatus, Status: sla.StatusSolved},
		// an outage on WhatsApp in the evening: answered the next morning, after the window
		{TicketID: "T3", At: mon(sp, 0, 19, 30), Type: sla.EventCreated, Channel: "whatsapp",
			Customer: &sla.Customer{ID: "c3"}, Text: "O app está fora do ar", MessageID: "wamid.3"},
		{TicketID: "T3", At: mon(sp, 1, 8, 4), Type: sla.EventMessage, Author: sla.AuthorAgent, Text: "Já voltou!"},
	}
	slices.SortStableFunc(events, func(a, b sla.Event) int { return a.At.Compare(b.At) }) // the CRM sees them in time order
	out := make([]crmEvent, len(events))
	for i, ev := range events {
		out[i] = crmEvent{ID: fmt.Sprintf("crm-%02d", i+1), Event: ev}
	}
	return out, mon(sp, 2, 8, 0)
}

// zones returns the zone of each policy's calendar.
func zones(set *policy.Set) map[string]*time.Location {
	m := map[string]*time.Location{}
	for _, pol := range set.Config().Policies {
		if pol.Calendar != nil {
			m[pol.Name] = pol.Calendar.Location()
		}
	}
	return m
}

// loadEngine builds the engine of the reference policy.
func loadEngine(root string) (*policy.Set, *sla.Engine, error) {
	set, err := policy.LoadFile(filepath.Join(root, repo.Policy))
	if err != nil {
		return nil, nil, err
	}
	eng, err := set.Engine()
	return set, eng, err
}

// run simulates the CRM from Monday 2 March 2026 to Wednesday morning
// with the database at dbPath; root is the repository root.
func run(w io.Writer, root, dbPath string) error {
	set, eng, err := loadEngine(root)
	if err != nil {
		return err
	}
	p, err := openPlugin(set, eng, dbPath, w)
	if err != nil {
		return err
	}
	defer p.Close()
	events, end := history(set)
	if err := p.simulate(events, end); err != nil {
		return err
	}
	return p.summary()
}
