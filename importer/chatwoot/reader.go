package chatwoot

import (
	"bytes"
	"encoding/json"
	"iter"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/internal/jsondoc"
	"github.com/slakit/slakit/importer/internal/out"
	"github.com/slakit/slakit/sla"
)

// Reader converts Chatwoot conversations and messages into events. A
// Reader is for one import at a time; it is not safe for concurrent use.
type Reader struct {
	records int
}

// Records returns the number of conversations and messages read so far
// (inboxes not counted; a conversation's embedded last message counted
// once).
func (r *Reader) Records() int { return r.records }

// conversation is a conversation record as read.
type conversation struct {
	ID        jsondoc.ID   `json:"id"`
	InboxID   jsondoc.ID   `json:"inbox_id"`
	Status    string       `json:"status"`
	CreatedAt jsondoc.Time `json:"created_at"`
	Meta      struct {
		Channel string `json:"channel"`
		Sender  *struct {
			ID jsondoc.ID `json:"id"`
		} `json:"sender"`
		Team *struct {
			Name string `json:"name"`
		} `json:"team"`
	} `json:"meta"`
	Messages []json.RawMessage `json:"messages"`

	pos importer.Problem
	seq int
}

// message is a message record as read.
type message struct {
	ID             jsondoc.ID      `json:"id"`
	ConversationID jsondoc.ID      `json:"conversation_id"`
	MessageType    json.RawMessage `json:"message_type"`
	Content        string          `json:"content"`
	Private        bool            `json:"private"`
	CreatedAt      jsondoc.Time    `json:"created_at"`
	SenderType     string          `json:"sender_type"`
	SourceID       string          `json:"source_id"`

	kind     string // incoming, outgoing, activity, template
	embedded bool   // the copy a conversation record carries
	pos      importer.Problem
	seq      int
}

// Events reads all the inputs, then yields every conversation's events,
// conversation after conversation in order of creation, and the problems
// (as [*importer.Problem] errors).
func (r *Reader) Events(inputs ...importer.Input) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		c := &conv{r: r, o: out.New(yield), convs: map[jsondoc.ID]*conversation{}, inboxes: map[jsondoc.ID]string{},
			msgs: map[jsondoc.ID][]*message{}, seen: map[jsondoc.ID]*message{}, teams: map[string]bool{}}
		for _, in := range inputs {
			if !c.read(in) {
				return
			}
		}
		c.convert()
	}
}

type conv struct {
	r       *Reader
	o       *out.Out
	convs   map[jsondoc.ID]*conversation
	order   []jsondoc.ID // conversations in input order
	inboxes map[jsondoc.ID]string
	msgs    map[jsondoc.ID][]*message // by conversation
	seen    map[jsondoc.ID]*message   // by message id
	teams   map[string]bool
	seq     int
}

// read reads one input; it reports false when the consumer stopped.
func (c *conv) read(in importer.Input) bool {
	file := importer.Problem{File: in.Name}
	data, parts, p := jsondoc.Load(in, "data.payload", "payload", "")
	if p != nil {
		return c.o.Report(p)
	}
	var recs []jsondoc.Record
	for _, p := range []string{"data.payload", "payload", ""} {
		recs = append(recs, parts[p]...)
	}
	if len(recs) == 0 {
		// A single conversation, or nothing Chatwoot.
		var probe map[string]json.RawMessage
		if d := bytes.TrimSpace(data); len(d) > 0 && d[0] == '{' && json.Unmarshal(d, &probe) == nil && probe["id"] != nil &&
			(probe["inbox_id"] != nil || probe["messages"] != nil) {
			recs = []jsondoc.Record{{Path: "conversation", Line: 1, Raw: data}}
		} else if !bytes.Contains(data, []byte(`"payload"`)) && !bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
			return c.o.Problem(file, importer.KindMalformed, "no conversations, messages or inboxes: not a Chatwoot export page")
		}
	}
	for _, rec := range recs {
		if !c.record(in.Name, rec) {
			return false
		}
	}
	return true
}

// record reads one record of any kind; it reports false when the consumer
// stopped.
func (c *conv) record(file string, rec jsondoc.Record) bool {
	pos := importer.Problem{File: file, Line: rec.Line, Record: rec.Path}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(rec.Raw, &probe); err != nil {
		c.r.records++
		return c.o.Problem(pos, importer.KindMalformed, "want an object: %s; skipped", jsondoc.Message(err))
	}
	switch {
	case probe["message_type"] != nil:
		return c.message(pos, rec.Raw, "", false)
	case probe["channel_type"] != nil:
		var ib struct {
			ID          jsondoc.ID `json:"id"`
			ChannelType string     `json:"channel_type"`
		}
		if err := json.Unmarshal(rec.Raw, &ib); err != nil || ib.ID == "" {
			return c.malformed(pos, err, "an inbox without an id")
		}
		c.inboxes[ib.ID] = ib.ChannelType
		return true
	case probe["inbox_id"] != nil || probe["status"] != nil || probe["meta"] != nil || probe["messages"] != nil:
		return c.conversation(pos, rec.Raw)
	}
	c.r.records++
	return c.o.Problem(pos, importer.KindMalformed, "neither a conversation, a message nor an inbox; skipped")
}

func (c *conv) malformed(pos importer.Problem, err error, what string) bool {
	if err != nil {
		what = jsondoc.Message(err)
	}
	return c.o.Problem(pos, importer.KindMalformed, "%s; skipped", what)
}

func (c *conv) conversation(pos importer.Problem, raw json.RawMessage) bool {
	c.r.records++
	cv := &conversation{}
	if err := json.Unmarshal(raw, cv); err != nil {
		pos.Ticket = string(peekID(raw))
		return c.malformed(pos, err, "")
	}
	if cv.ID == "" {
		return c.malformed(pos, nil, "a conversation without an id")
	}
	pos.Ticket = string(cv.ID)
	if !cv.CreatedAt.IsZero() && !jsondoc.InRange(cv.CreatedAt.Time) {
		return c.malformed(pos, nil, "created_at outside the years 1900 to 2999")
	}
	if old := c.convs[cv.ID]; old != nil {
		if !c.o.Problem(pos, importer.KindDuplicate, "conversation read before (%s:%d); skipped", old.pos.File, old.pos.Line) {
			return false
		}
	} else {
		cv.pos, cv.seq = pos, c.seq
		c.seq++
		c.convs[cv.ID] = cv
		c.order = append(c.order, cv.ID)
		if cv.Meta.Team != nil && cv.Meta.Team.Name != "" {
			c.teams[cv.Meta.Team.Name] = true
		}
	}
	for i, m := range cv.Messages {
		mp := pos
		mp.Record = pos.Record + ".messages[" + itoa(i) + "]"
		if !c.message(mp, m, cv.ID, true) {
			return false
		}
	}
	cv.Messages = nil
	return true
}

func (c *conv) message(pos importer.Problem, raw json.RawMessage, conversation jsondoc.ID, embedded bool) bool {
	m := &message{}
	err := json.Unmarshal(raw, m)
	if m.ConversationID == "" {
		m.ConversationID = conversation
	}
	pos.Ticket = string(m.ConversationID)
	if old := c.seen[m.ID]; m.ID != "" && old != nil {
		if embedded || old.embedded {
			if !embedded { // the page's copy is the one with a place
				old.pos = pos
				old.embedded = false
			}
			return true
		}
		c.r.records++
		return c.o.Problem(pos, importer.KindDuplicate, "message %s read before (%s:%d); skipped", m.ID, old.pos.File, old.pos.Line)
	}
	c.r.records++
	if err != nil {
		return c.malformed(pos, err, "")
	}
	if m.kind = messageKind(m.MessageType); m.kind == "" {
		return c.malformed(pos, nil, "message_type "+string(m.MessageType)+" unknown (want 0-3 or incoming, outgoing, activity, template)")
	}
	switch {
	case m.ConversationID == "":
		return c.malformed(pos, nil, "a message without a conversation_id")
	case m.CreatedAt.IsZero():
		return c.malformed(pos, nil, "a message without created_at")
	case !jsondoc.InRange(m.CreatedAt.Time):
		return c.malformed(pos, nil, "created_at outside the years 1900 to 2999")
	}
	m.embedded, m.pos, m.seq = embedded, pos, c.seq
	c.seq++
	if m.ID != "" {
		c.seen[m.ID] = m
	}
	c.msgs[m.ConversationID] = append(c.msgs[m.ConversationID], m)
	return true
}

// messageKind names a message_type, written as a number or a name.
func messageKind(raw json.RawMessage) string {
	s, _, err := jsondoc.Scalar(raw)
	if err != nil {
		return ""
	}
	switch strings.ToLower(s) {
	case "0", "incoming":
		return "incoming"
	case "1", "outgoing":
		return "outgoing"
	case "2", "activity":
		return "activity"
	case "3", "template":
		return "template"
	}
	return ""
}

func peekID(raw json.RawMessage) jsondoc.ID {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return ""
	}
	s, _, err := jsondoc.Scalar(p.ID)
	if err != nil {
		return ""
	}
	return jsondoc.ID(s)
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

// channel turns an inbox type such as Channel::WebWidget into web_widget.
func channel(channelType string) string {
	name := strings.TrimPrefix(channelType, "Channel::")
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldWithin is how close the first incoming message must be to the
// conversation's creation to be its created text.
const foldWithin = time.Minute
