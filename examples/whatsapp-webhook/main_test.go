package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
	"github.com/slakit/slakit/whatsappwindow/webhook"
)

const root = "../.."

// The demo runs end to end: handshake, a refused unsigned delivery, a
// ticket opened from a signed message, the window closing, and a 131047
// failure; the desk logs what it received.
func TestDemo(t *testing.T) {
	var out, logs bytes.Buffer
	require.NoError(t, demo(&out, &logs, root))
	for _, want := range []string{
		"handshake: 200 1158201444",
		"unsigned delivery: 401",
		"signed delivery: 200",
		"window open: free-form replies until Tue 05:58",
		"first_response: running, due Mon 08:15",
		"fired remind (first_response #1) at Mon 08:12: notify assignee",
		"window closing_soon",
		"window expired: only approved templates may be sent",
		"the window closed before the first reply",
	} {
		assert.Contains(t, out.String(), want)
	}
	for _, want := range []string{
		"webhook: handshake from 127.0.0.1:",
		"refused: webhook: missing X-Hub-Signature-256 header", // the unsigned delivery
		"webhook: delivery of 996 bytes: 1 messages, 0 statuses, 0 calls, 0 other changes",
		"webhook: WA-1: created at 2026-03-02T09:00:00Z applied (message wamid.",
		"webhook: WA-1: window_rejected at",
	} {
		assert.Contains(t, logs.String(), want)
	}
}

// newDesk returns a desk on the reference policy, logging into logs.
func newDesk(t *testing.T, logs io.Writer) *Desk {
	t.Helper()
	eng, err := loadEngine(root)
	require.NoError(t, err)
	return NewDesk(eng, []byte("s3cret"), "tok", log.New(logs, "", 0))
}

// message returns a signed delivery of one text message from user at
// unix second ts.
func message(t *testing.T, user, id string, ts int64) []byte {
	t.Helper()
	b, err := os.ReadFile(root + "/testdata/whatsapp/text.json")
	require.NoError(t, err)
	s := strings.ReplaceAll(string(b), "5511987654321", user)
	s = strings.Replace(s, "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEE1RjQ2NTdDRTdBMjMyAA==", id, 1)
	s = strings.Replace(s, `"1772442000"`, fmt.Sprintf(`"%d"`, ts), 1)
	return []byte(s)
}

func TestResponses(t *testing.T) {
	big := append(message(t, "5511900000001", "wamid.big", 1772442000), bytes.Repeat([]byte(" "), maxBody)...)
	justUnder := bytes.Repeat([]byte("x"), maxBody)
	twoMiB := append(message(t, "5511900000001", "wamid.2mib", 1772442000), bytes.Repeat([]byte(" "), 2<<20)...)
	tests := []struct {
		name   string
		method string
		query  url.Values
		body   []byte
		secret string
		code   int
		ctype  string
		text   string // the response body, or a part of it
		reason string
	}{
		{name: "handshake", method: http.MethodGet, query: url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"tok"}, "hub.challenge": {"<b>1158201444</b>"}},
			code: 200, ctype: "text/plain; charset=utf-8", text: "<b>1158201444</b>", reason: "echoed as text, never as HTML"},
		{name: "handshake wrong token", method: http.MethodGet, query: url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"nope"}, "hub.challenge": {"1"}},
			code: 403},
		{name: "signed", method: http.MethodPost, body: message(t, "5511900000001", "wamid.1", 1772442000), secret: "s3cret", code: 200},
		{name: "unsigned", method: http.MethodPost, body: message(t, "5511900000001", "wamid.1", 1772442000), code: 401},
		{name: "wrong secret", method: http.MethodPost, body: message(t, "5511900000001", "wamid.1", 1772442000), secret: "other", code: 401},
		{name: "signed body of 2 MiB", method: http.MethodPost, body: twoMiB, secret: "s3cret", code: 200,
			reason: "Meta's payloads may reach 3 MB"},
		{name: "signed body over 3 MiB", method: http.MethodPost, body: big, secret: "s3cret", code: 413, text: "body over 3145728 bytes",
			reason: "a well-signed body that is too large is not a signature problem"},
		{name: "signed 3 MiB of garbage", method: http.MethodPost, body: justUnder, secret: "s3cret", code: 400, reason: "at the limit the body is read and verified"},
		{name: "other method", method: http.MethodPut, code: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			d := newDesk(t, &logs)
			req := httptest.NewRequest(tt.method, "/?"+tt.query.Encode(), bytes.NewReader(tt.body))
			if tt.secret != "" {
				req.Header.Set(webhook.SignatureHeader, webhook.Sign(tt.body, []byte(tt.secret)))
			}
			rec := httptest.NewRecorder()
			d.ServeHTTP(rec, req)
			assert.Equal(t, tt.code, rec.Code, "%s (%s); log:\n%s", tt.name, tt.reason, logs.String())
			if tt.ctype != "" {
				assert.Equal(t, tt.ctype, rec.Header().Get("Content-Type"))
			}
			if tt.code == 200 && tt.method == http.MethodGet {
				assert.Equal(t, tt.text, rec.Body.String())
			} else {
				assert.Contains(t, rec.Body.String(), tt.text)
			}
			assert.NotEmpty(t, logs.String(), "every request is logged")
		})
	}
}

// TestConcurrent delivers messages of many users while agents reply and
// views are read, all at once; run with -race.
func TestConcurrent(t *testing.T) {
	d := newDesk(t, io.Discard)
	srv := httptest.NewServer(d)
	defer srv.Close()
	const users, perUser = 6, 15
	base := int64(1772442000) // Mon 2026-03-02 09:00 UTC
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perUser {
				body := message(t, fmt.Sprintf("55119000000%02d", u), fmt.Sprintf("wamid.%d.%d", u, i), base+int64(i*60))
				req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
				req.Header.Set(webhook.SignatureHeader, webhook.Sign(body, []byte("s3cret")))
				resp, err := http.DefaultClient.Do(req)
				if !assert.NoError(t, err) {
					return
				}
				resp.Body.Close()
				assert.Equal(t, 200, resp.StatusCode)
			}
		}()
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("WA-%d", 1+(i+r)%users)
				at := time.Unix(base+int64(i%perUser)*60, 0)
				if v, ok := d.View(id, at.Add(time.Hour)); ok {
					assert.Equal(t, id, v.Ticket)
				}
				_ = d.Reply(id, at) // refused when out of order: the point is the concurrency
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	for u := range users {
		v, ok := d.View(fmt.Sprintf("WA-%d", u+1), time.Unix(base+3600, 0))
		require.True(t, ok, "ticket of user %d", u)
		assert.Equal(t, "whatsapp", v.Policy)
	}
	_, ok := d.View(fmt.Sprintf("WA-%d", users+1), time.Unix(base, 0))
	assert.False(t, ok, "one ticket per user")
}

// TestSlowClient: a connection that does not finish its headers is closed
// at the header timeout; one that does not finish its body, at the read
// timeout; the server keeps serving others.
func TestSlowClient(t *testing.T) {
	d := newDesk(t, io.Discard)
	var logs bytes.Buffer
	var mu sync.Mutex
	srv := newServer("127.0.0.1:0", d, timeouts{header: 200 * time.Millisecond, read: 400 * time.Millisecond, write: time.Second, idle: time.Second},
		log.New(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) }), "", 0))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(ln)
	defer srv.Close()

	tests := []struct {
		name    string
		partial string
		within  time.Duration
	}{
		{name: "unfinished headers", partial: "POST / HTTP/1.1\r\nHost: x\r\nContent-Le", within: 2 * time.Second},
		{name: "unfinished body", partial: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"object\":", within: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			start := time.Now()
			_, err = io.WriteString(conn, tt.partial)
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
			// The server answers (an error status) and/or closes: either way the
			// read ends well before our own deadline.
			_, err = io.ReadAll(bufio.NewReader(conn))
			assert.NoError(t, err, "the server closed the connection")
			assert.Less(t, time.Since(start), tt.within, "closed after %s", time.Since(start))
		})
	}

	// Meanwhile a normal client is served.
	resp, err := http.Get("http://" + ln.Addr().String() + "/?" + url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"tok"}, "hub.challenge": {"42"}}.Encode())
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "42", string(b))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestServerTimeouts(t *testing.T) {
	srv := newServer(":0", http.NotFoundHandler(), serverTimeouts, nil)
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.WriteTimeout)
	assert.Positive(t, srv.IdleTimeout)
}

// post delivers a signed body to the desk and returns the status code.
func post(t *testing.T, d *Desk, body []byte) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign(body, []byte("s3cret")))
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	return rec.Code
}

// clock returns the view's clock of metric m, or false.
func clock(v sla.View, m sla.Metric) (sla.Clock, bool) {
	for _, c := range v.Clocks {
		if c.Metric == m {
			return c, true
		}
	}
	return sla.Clock{}, false
}

// A redelivered message reaches the engine once: after an agent reply it
// would otherwise start a next_response cycle the customer never asked for.
func TestRedelivery(t *testing.T) {
	const base = int64(1772442000) // Mon 2026-03-02 09:00 UTC
	tests := []struct {
		name  string
		reply int64 // seconds after the message
	}{
		{name: "reply in the message's second", reply: 0},
		{name: "reply ten minutes later", reply: 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			d := newDesk(t, &logs)
			b := message(t, "5511900000001", "wamid.A", base)
			require.Equal(t, 200, post(t, d, b))
			require.NoError(t, d.Reply("WA-1", time.Unix(base+tt.reply, 0)))
			require.Equal(t, 200, post(t, d, b), "a redelivery is answered 200 all the same")
			v, ok := d.View("WA-1", time.Unix(base+tt.reply+60, 0))
			require.True(t, ok)
			_, running := clock(v, "next_response")
			assert.False(t, running, "no next_response cycle from a redelivery; log:\n%s", logs.String())
			assert.Contains(t, logs.String(), "webhook: WA-1: message wamid.A is a redelivery: ignored")
		})
	}
}

// withReferral adds a Click to WhatsApp referral to a message delivery.
func withReferral(body []byte) []byte {
	return bytes.Replace(body, []byte(`"type": "text",`),
		[]byte(`"type": "text", "referral": {"source_type": "ad", "source_id": "1", "ctwa_clid": "x"},`), 1)
}

// A customer message stamped before the ticket's last event (an agent reply
// on the helpdesk's clock, or a message delivered first) is applied at that
// event's instant instead of being refused as out of order.
func TestLateMessage(t *testing.T) {
	const base = int64(1772442000) // Mon 2026-03-02 09:00 UTC
	t.Run("stamped before the agent's reply", func(t *testing.T) {
		var logs bytes.Buffer
		d := newDesk(t, &logs)
		require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.A", base)))
		require.NoError(t, d.Reply("WA-1", time.Unix(base+600, 0)))
		require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.B", base+599)))
		v, ok := d.View("WA-1", time.Unix(base+700, 0))
		require.True(t, ok)
		c, running := clock(v, "next_response")
		require.True(t, running, "the late message starts a next_response cycle; log:\n%s", logs.String())
		assert.Equal(t, sla.ClockRunning, c.State)
		assert.Contains(t, logs.String(), "webhook: WA-1: message wamid.B stamped 2026-03-02T09:09:59Z is older than the ticket's last event: applied at 2026-03-02T09:10:00Z")
		assert.Contains(t, logs.String(), "webhook: WA-1: message at 2026-03-02T09:10:00Z applied (message wamid.B)")
		assert.NotContains(t, logs.String(), "out of order")
	})
	t.Run("delivered after a later message", func(t *testing.T) {
		var logs bytes.Buffer
		d := newDesk(t, &logs)
		require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.B", base+30)))
		require.Equal(t, 200, post(t, d, withReferral(message(t, "5511900000001", "wamid.A", base))))
		assert.Contains(t, logs.String(), "webhook: WA-1: message at 2026-03-02T09:00:30Z applied (message wamid.A)",
			"the message and its referral count")
		assert.NotContains(t, logs.String(), "out of order")
	})
	t.Run("hours late is refused", func(t *testing.T) {
		// Meta retries deliveries for days: a message two hours older
		// than the ticket's last event is not counted two hours late.
		var logs bytes.Buffer
		d := newDesk(t, &logs)
		require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.A", base)))
		require.NoError(t, d.Reply("WA-1", time.Unix(base+3*3600, 0)))
		require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.B", base+3600)))
		assert.Contains(t, logs.String(), "out of order", "refused and logged")
		assert.NotContains(t, logs.String(), "applied (message wamid.B)")
		v, ok := d.View("WA-1", time.Unix(base+3*3600+60, 0))
		require.True(t, ok)
		_, running := clock(v, "next_response")
		assert.False(t, running, "no next_response cycle from a message hours late")
	})
}

// Tickets are numbered only when one is created: a reaction, which opens
// none, does not take a number.
func TestTicketNumbers(t *testing.T) {
	var logs bytes.Buffer
	d := newDesk(t, &logs)
	reaction, err := os.ReadFile(root + "/testdata/whatsapp/reaction.json")
	require.NoError(t, err)
	require.Equal(t, 200, post(t, d, reaction))
	require.Contains(t, logs.String(), "(reaction) is not a customer message: ignored")
	require.Equal(t, 200, post(t, d, message(t, "5511900000001", "wamid.A", 1772442000)))
	_, ok := d.View("WA-1", time.Unix(1772442060, 0))
	assert.True(t, ok, "the first ticket is WA-1; log:\n%s", logs.String())
}
