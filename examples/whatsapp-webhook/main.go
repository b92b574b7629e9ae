// Command whatsapp-webhook is a WhatsApp Cloud API webhook that feeds
// slakit: it answers Meta's verification handshake, checks the
// X-Hub-Signature-256 of every delivery, decodes the payload, opens or
// continues a ticket per conversation, applies the events to the SLA engine
// and keeps each ticket's state in memory (a real host keeps it in its
// database as JSON). It then tells what an agent may send and until when.
//
// Run the self-contained demo (it posts the sample payloads of
// testdata/whatsapp to the handler, signed with a demo secret):
//
//	go run ./examples/whatsapp-webhook
//
// Or serve for real (the policy and payloads are found from anywhere in the
// repository):
//
//	APP_SECRET=... VERIFY_TOKEN=... go run ./examples/whatsapp-webhook -listen :8080
//
// # Environment
//
//   - APP_SECRET: the Meta app's secret (App settings, Basic). Every POST
//     must carry X-Hub-Signature-256, the HMAC-SHA256 of the body with this
//     secret; others are answered 401.
//   - VERIFY_TOKEN: the token you typed in the webhook configuration. Meta's
//     GET handshake must carry it as hub.verify_token; the server then
//     echoes hub.challenge as text/plain.
//
// Both are required with -listen; the demo uses its own.
//
// # What it answers
//
// 200 to a signed delivery it could decode (even in part: Meta retries
// anything else, for days); 401 to a missing or wrong signature; 413 to a
// body over 3 MiB (Meta's payloads are up to 3 MB, most a few KB); 400 to a signed body
// that is not a webhook payload; 403 to a handshake with the wrong token.
// The server closes connections whose headers take more than 5 s, and
// bounds reading a request, writing a response and keeping an idle
// connection. Every request is logged: the handshake, each delivery with
// its size and what it held, each event applied and each refused, each
// redelivered message dropped.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slakit/slakit/examples/internal/repo"
	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow"
	"github.com/slakit/slakit/whatsappwindow/webhook"
)

// maxBody is the largest delivery read: 3 MiB, since Meta documents
// webhook payloads of up to 3 MB (most are a few KB).
const maxBody = 3 << 20

// Desk is the webhook handler and the in-memory store of tickets. It is
// safe for concurrent use: one mutex guards the tickets, and every Apply
// and Evaluate of a ticket's State runs under it.
type Desk struct {
	eng    *sla.Engine
	secret []byte
	token  string
	log    *log.Logger

	mu      sync.Mutex
	tickets map[string]sla.State          // by ticket id
	convs   map[whatsappwindow.Key]string // open ticket of each conversation
	seen    map[string][]string           // by ticket id: the last seenCap message ids applied, oldest first
	n       int
}

// seenCap is how many message ids (wamids) the desk remembers per ticket to
// recognise a redelivery. Meta redelivers a message until it is answered
// 200; the engine's window counts a known id once, but the engine would
// still take the message as a second customer message (after an agent
// reply, one that starts a new next_response cycle), so the desk drops it
// before. A real host records the ids in its database, in the same
// transaction as the state.
const seenCap = 64

// NewDesk returns a desk on the engine, with the app secret that signs
// deliveries and the token of the verification handshake. It logs what
// it receives to logger (nil: the standard logger).
func NewDesk(eng *sla.Engine, appSecret []byte, verifyToken string, logger *log.Logger) *Desk {
	if logger == nil {
		logger = log.Default()
	}
	return &Desk{eng: eng, secret: appSecret, token: verifyToken, log: logger,
		tickets: map[string]sla.State{}, convs: map[whatsappwindow.Key]string{}, seen: map[string][]string{}}
}

// redelivered reports whether the message id was already applied to the
// ticket; d.mu is held.
func (d *Desk) redelivered(ticket, id string) bool {
	return id != "" && slices.Contains(d.seen[ticket], id)
}

// remember records an applied message id, forgetting the oldest beyond
// seenCap; d.mu is held.
func (d *Desk) remember(ticket, id string) {
	if id == "" {
		return
	}
	ids := d.seen[ticket]
	if len(ids) >= seenCap {
		ids = slices.Delete(ids, 0, len(ids)-seenCap+1)
	}
	d.seen[ticket] = append(ids, id)
}

// ServeHTTP answers the GET handshake and POST deliveries.
func (d *Desk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		challenge, err := webhook.Handshake(r.URL.Query(), d.token)
		if err != nil {
			d.log.Printf("webhook: handshake from %s refused: %v", r.RemoteAddr, err)
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		d.log.Printf("webhook: handshake from %s answered", r.RemoteAddr)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		io.WriteString(w, challenge)
	case http.MethodPost:
		d.deliver(w, r)
	default:
		d.log.Printf("webhook: %s from %s refused: GET or POST", r.Method, r.RemoteAddr)
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
	}
}

// deliver reads, checks and applies one delivery.
func (d *Desk) deliver(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		d.log.Printf("webhook: delivery from %s refused: body over %d bytes", r.RemoteAddr, maxBody)
		http.Error(w, fmt.Sprintf("body over %d bytes", maxBody), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		d.log.Printf("webhook: delivery from %s: cannot read the body: %v", r.RemoteAddr, err)
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if err := webhook.Verify(body, r.Header.Get(webhook.SignatureHeader), d.secret); err != nil {
		d.log.Printf("webhook: delivery of %d bytes from %s refused: %v", len(body), r.RemoteAddr, err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	batch, err := webhook.Decode(body)
	if batch == nil {
		d.log.Printf("webhook: delivery of %d bytes refused: %v", len(body), err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d.log.Printf("webhook: delivery of %d bytes: %d messages, %d statuses, %d calls, %d other changes",
		len(body), len(batch.Messages), len(batch.Statuses), len(batch.Calls), len(batch.Other))
	if err != nil {
		d.log.Printf("webhook: some items skipped: %v", err) // the rest of the batch still counts
	}
	d.feed(batch)
	w.WriteHeader(http.StatusOK) // Meta retries anything else
}

// feed turns a batch into ticket events: a message on a conversation with
// no open ticket creates one.
func (d *Desk) feed(b *webhook.Batch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, m := range b.Messages {
		key := m.Key()
		id, ok := d.convs[key]
		if !ok {
			id = fmt.Sprintf("WA-%d", d.n+1) // numbered only if the message creates it
		}
		ev, counts := m.Event(id, !ok)
		switch {
		case !counts:
			d.log.Printf("webhook: message %s (%s) is not a customer message: ignored", m.ID, m.Type)
		case d.redelivered(id, m.ID):
			d.log.Printf("webhook: %s: message %s is a redelivery: ignored", id, m.ID)
		default:
			d.moveLate(&ev)
			if !d.apply(ev) {
				break // refused (logged): no ticket number taken, no conversation
			}
			if !ok {
				d.n++
				d.convs[key] = id
			}
			d.remember(id, m.ID)
		}
	}
	for _, s := range b.Statuses {
		if id, ok := d.convs[s.Key()]; ok {
			if ev, counts := s.Event(id); counts {
				d.apply(ev)
			}
		}
	}
}

// moveLate moves a customer message older than the ticket's last applied
// event to that event's instant; d.mu is held. The engine refuses events
// out of order, and Meta's timestamp of a message can be earlier than an
// agent reply the helpdesk stamped with its own clock, or than a message
// delivered before it: refused, the message would be lost for the SLA (no
// next_response cycle, no referral). Moved, it counts a little late (see
// docs/hosting.md). Only by at most maxLate: Meta retries a delivery for
// days, and a message hours late (or a redelivery older than the ids the
// desk remembers) is refused and logged rather than counted hours late.
func (d *Desk) moveLate(ev *sla.Event) {
	st, ok := d.tickets[ev.TicketID]
	if !ok || !st.Created() || ev.Type != sla.EventMessage {
		return
	}
	if last := st.LastAt(); ev.At.Before(last) && !ev.At.Before(last.Add(-maxLate)) {
		d.log.Printf("webhook: %s: message %s stamped %s is older than the ticket's last event: applied at %s",
			ev.TicketID, ev.MessageID, ev.At.Format(time.RFC3339), last.Format(time.RFC3339Nano))
		ev.At = last
	}
}

// maxLate is how late a customer message may be and still be moved to the
// ticket's last event (see moveLate): the window's default send margin, so
// that a moved message never makes the view promise a free-form reply
// Meta would refuse.
const maxLate = 2 * time.Minute

// apply applies an event and reports whether the engine took it; d.mu is
// held.
func (d *Desk) apply(ev sla.Event) bool {
	st, err := d.eng.Apply(d.tickets[ev.TicketID], ev)
	if err != nil {
		d.log.Printf("webhook: %v", err) // the state is unchanged
		return false
	}
	d.tickets[ev.TicketID] = st
	d.log.Printf("webhook: %s: %s at %s applied (message %s)", ev.TicketID, ev.Type, ev.At.Format(time.RFC3339), ev.MessageID)
	return true
}

// Reply records an agent's public reply (it comes from the helpdesk, not
// from the webhook).
func (d *Desk) Reply(ticket string, at time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, err := d.eng.Apply(d.tickets[ticket], sla.Event{TicketID: ticket, At: at, Type: sla.EventMessage, Author: sla.AuthorAgent})
	if err != nil {
		return err
	}
	d.tickets[ticket] = st
	return nil
}

// View returns what the engine says about a ticket at an instant. The
// State is evaluated under the desk's lock: a State is a value the next
// Apply may build on, so it is not read while another goroutine applies
// an event to the same ticket.
func (d *Desk) View(ticket string, at time.Time) (sla.View, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.tickets[ticket]
	if !ok {
		return sla.View{}, false
	}
	return d.eng.Evaluate(st, at), true
}

// timeouts bound what one client may hold of the server.
type timeouts struct {
	header, read, write, idle time.Duration
}

// serverTimeouts: headers within 5 s (a connection that has not sent them
// by then is closed), the whole request within 15 s, the response within
// 15 s, an idle keep-alive connection for a minute.
var serverTimeouts = timeouts{header: 5 * time.Second, read: 15 * time.Second, write: 15 * time.Second, idle: time.Minute}

// newServer returns the HTTP server of the webhook on addr.
func newServer(addr string, h http.Handler, t timeouts, logger *log.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.header,
		ReadTimeout:       t.read,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          logger,
	}
}

// describe prints what an agent may send on a ticket at an instant.
func describe(w io.Writer, v sla.View) {
	fmt.Fprintf(w, "%s at %s: policy %s, priority %s, status %s\n", v.Ticket, v.At.Format("Mon 02 Jan 15:04"),
		v.Policy, v.Priority, v.Status)
	if wa := v.WhatsApp; wa != nil {
		vd := wa.Verdict
		switch {
		case vd.FreeForm:
			fmt.Fprintf(w, "  window %s: free-form replies until %s (%s left)\n", vd.State, vd.FreeFormUntil.Format("Mon 15:04"),
				strings.TrimSuffix(vd.Remaining.Round(time.Minute).String(), "0s"))
		default:
			fmt.Fprintf(w, "  window %s: only approved templates may be sent\n", vd.State)
		}
		if wa.ExpiredBeforeFirstResponse {
			fmt.Fprintln(w, "  the window closed before the first reply (reported apart from SLA breaches)")
		}
	}
	for _, c := range v.Clocks {
		line := fmt.Sprintf("  %s: %s, due %s", c.Metric, c.State, c.Deadline.Format("Mon 15:04"))
		if c.AfterWindow {
			line += " (after the window closes: the reply will need a template)"
		}
		fmt.Fprintln(w, line)
	}
	for _, e := range v.Escalations {
		var acts []string
		for _, a := range e.Actions {
			acts = append(acts, string(a.Type)+" "+a.Target)
		}
		fmt.Fprintf(w, "  fired %s (%s #%d) at %s: %s\n", e.Level, e.Metric, e.Cycle, e.At.Format("Mon 15:04"), strings.Join(acts, ", "))
	}
	if !v.NextWake.IsZero() {
		fmt.Fprintf(w, "  next timer: %s\n", v.NextWake.Format("Mon 02 Jan 15:04"))
	}
}

// loadEngine builds the engine of the reference policy.
func loadEngine(root string) (*sla.Engine, error) {
	set, err := policy.LoadFile(filepath.Join(root, repo.Policy))
	if err != nil {
		return nil, err
	}
	return set.Engine()
}

// demo posts the sample payloads to the desk and prints what happens; the
// desk's log goes to logOut.
func demo(out, logOut io.Writer, root string) error {
	eng, err := loadEngine(root)
	if err != nil {
		return err
	}
	secret := []byte("demo-app-secret")
	desk := NewDesk(eng, secret, "demo-verify-token", log.New(logOut, "", 0))
	srv := httptest.NewServer(desk)
	defer srv.Close()

	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"demo-verify-token"}, "hub.challenge": {"1158201444"}}
	resp, err := http.Get(srv.URL + "?" + q.Encode())
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Fprintf(out, "handshake: %d %s\n", resp.StatusCode, body)

	post := func(file string, sign bool) (int, error) {
		payload, err := os.ReadFile(filepath.Join(root, "testdata/whatsapp", file))
		if err != nil {
			return 0, err
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(payload))
		if sign {
			req.Header.Set(webhook.SignatureHeader, webhook.Sign(payload, secret))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	code, err := post("text.json", false)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "unsigned delivery: %d\n", code)
	if code, err = post("text.json", true); err != nil {
		return err
	}
	fmt.Fprintf(out, "signed delivery: %d\n\n", code)

	sp := time.FixedZone("-03", -3*3600)
	show := func(at time.Time) {
		if v, ok := desk.View("WA-1", at); ok {
			describe(out, v)
			fmt.Fprintln(out)
		}
	}
	// The message came at 06:00 on a Monday, before the desk opens at 08:00.
	show(time.Date(2026, 3, 2, 7, 0, 0, 0, sp))
	show(time.Date(2026, 3, 2, 8, 20, 0, 0, sp))
	// Nobody answers; the next morning the window is about to close.
	show(time.Date(2026, 3, 3, 5, 30, 0, 0, sp))
	// An agent tries a free-form reply at 08:00 on Tuesday and Meta refuses it (131047).
	if code, err = post("status_failed_131047.json", true); err != nil {
		return err
	}
	fmt.Fprintf(out, "failed status delivery: %d\n", code)
	show(time.Date(2026, 3, 3, 8, 5, 0, 0, sp))
	return nil
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: whatsapp-webhook [-listen ADDR] [-root DIR]\n\n"+
			"Without -listen, runs a demo on the sample payloads. With -listen, serves the webhook;\n"+
			"the environment must hold APP_SECRET (the Meta app secret) and VERIFY_TOKEN (the\n"+
			"webhook's verify token).\n\nFlags:\n")
		flag.PrintDefaults()
	}
	listen := flag.String("listen", "", "serve the webhook on this address (reads APP_SECRET and VERIFY_TOKEN) instead of running the demo")
	root := flag.String("root", repo.Root(), "repository root, for the policy and sample payloads")
	flag.Parse()
	if *listen == "" {
		if err := demo(os.Stdout, io.Discard, *root); err != nil {
			log.Fatal(err)
		}
		return
	}
	secret, token := os.Getenv("APP_SECRET"), os.Getenv("VERIFY_TOKEN")
	if secret == "" || token == "" {
		log.Fatal(errors.New("set APP_SECRET and VERIFY_TOKEN"))
	}
	eng, err := loadEngine(*root)
	if err != nil {
		log.Fatal(err)
	}
	logger := log.Default()
	log.Printf("listening on %s", *listen)
	log.Fatal(newServer(*listen, NewDesk(eng, []byte(secret), token, logger), serverTimeouts, logger).ListenAndServe())
}
