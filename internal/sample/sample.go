package sample

import (
	"bufio"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/slakit/slakit/calendar"
	"github.com/slakit/slakit/sla"
)

// Options chooses what [Events] generates. A zero Tickets, Start or Weeks
// means its default (see [Default]); every Seed, 0 included, is a seed.
type Options struct {
	// Seed seeds the PCG generator.
	Seed uint64
	// Tickets is the number of tickets created in the period (default 3000).
	Tickets int
	// Start is the first day of the period; only its date counts, read in
	// each desk's zone (default 2026-03-02, a Monday).
	Start time.Time
	// Weeks is the length of the period (default 4).
	Weeks int
}

// Default returns the options of testdata/history/sample.jsonl: seed 1,
// 3000 tickets over the 4 weeks from Monday 2 March 2026.
func Default() Options {
	return Options{Seed: 1, Tickets: 3000, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Weeks: 4}
}

// ErrOptions is wrapped by the error reported for invalid options.
var ErrOptions = errors.New("sample: invalid options")

func (o Options) withDefaults() (Options, error) {
	d := Default()
	if o.Tickets == 0 {
		o.Tickets = d.Tickets
	}
	if o.Start.IsZero() {
		o.Start = d.Start
	}
	if o.Weeks == 0 {
		o.Weeks = d.Weeks
	}
	switch {
	case o.Tickets < 0 || o.Tickets > 10_000_000:
		return o, fmt.Errorf("%w: tickets %d out of 1..10000000", ErrOptions, o.Tickets)
	case o.Weeks < 0 || o.Weeks > 520:
		return o, fmt.Errorf("%w: weeks %d out of 1..520", ErrOptions, o.Weeks)
	case o.Start.Year() < 1900 || o.Start.Year() > 2900:
		return o, fmt.Errorf("%w: start %s out of the years 1900..2900", ErrOptions, o.Start.Format(time.DateOnly))
	}
	return o, nil
}

// Events generates the history described by o, in time order. An invalid
// o yields a single error wrapping [ErrOptions]. The sequence plugs into
// [sla.Engine.Replay]:
//
//	for r, err := range eng.Replay(sample.Events(sample.Default()), time.Time{}) { ... }
func Events(o Options) iter.Seq2[sla.Event, error] {
	return func(yield func(sla.Event, error) bool) {
		o, err := o.withDefaults()
		if err != nil {
			yield(sla.Event{}, err)
			return
		}
		g, err := newGenerator(o)
		if err != nil {
			yield(sla.Event{}, err)
			return
		}
		g.run(func(ev sla.Event) bool { return yield(ev, nil) })
	}
}

// Write writes the history described by o to w as JSON Lines, one
// [sla.Event] a line, and returns the number of events written.
func Write(w io.Writer, o Options) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf []byte
	n := 0
	for ev, err := range Events(o) {
		if err != nil {
			return n, err
		}
		buf = AppendJSON(buf[:0], &ev)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// AppendJSON appends the JSON form of ev (as encoding/json marshals an
// [sla.Event]) to b.
func AppendJSON(b []byte, ev *sla.Event) []byte {
	j, err := json.Marshal(ev)
	if err != nil { // an Event of the generator always marshals
		panic(err)
	}
	return append(b, j...)
}

// desk is one support desk: a channel, a zone, its business hours and the
// texts its customers write.
type desk struct {
	channel string
	cal     *calendar.Calendar
	loc     *time.Location
	agents  []string
	langs   []lang
	langW   []float64
	dayW    [7]float64 // by time.Weekday
	open    [2]float64 // business hours, as fractional local hours [from, to)
	lunch   [2]float64 // no arrivals peak in it (zero: none)
	fr, nr  map[string]time.Duration
}

type lang struct {
	billing, outage, general, followup []string
	closing                            string
}

var (
	pt = lang{
		billing:  []string{"Problema de pagamento", "Cobrança duplicada no cartão", "Não recebi o boleto", "Minha fatura veio errada", "Quero o reembolso do pagamento"},
		outage:   []string{"O app está fora do ar", "Sistema caído desde cedo", "O site está fora do ar de novo"},
		general:  []string{"Quero mudar meu endereço", "Como faço para trocar o plano?", "Preciso de ajuda com meu pedido", "Meu pedido ainda não chegou", "Esqueci minha senha", "Oi, tudo bem? Tenho uma dúvida"},
		followup: []string{"Alguma novidade?", "Ainda não funcionou", "Obrigado!", "Segue o print", "Pode me ligar?"},
	}
	es = lang{
		billing:  []string{"Problema con mi factura", "Me hicieron un cobro doble", "No puedo completar el pago"},
		outage:   []string{"El servicio está caído", "La app está down otra vez"},
		general:  []string{"¿Dónde está mi pedido?", "Quiero cambiar mi plan", "No puedo iniciar sesión", "Hola, necesito ayuda"},
		followup: []string{"¿Alguna novedad?", "Gracias", "Sigue sin funcionar"},
	}
	de = lang{
		billing:  []string{"Falsche Rechnung", "Doppelte Abbuchung vom Konto", "Zahlung fehlgeschlagen", "Rechnung für März fehlt"},
		outage:   []string{"Ausfall des Kundenportals", "Portal ist down", "Totaler Ausfall seit heute Morgen"},
		general:  []string{"Lieferung verspätet", "Passwort zurücksetzen", "Frage zu meinem Vertrag", "Adresse ändern"},
		followup: []string{"Gibt es Neuigkeiten?", "Danke für die Hilfe", "Das Problem besteht weiterhin"},
		closing:  "Viele Grüße",
	}
	it = lang{
		billing:  []string{"Fattura errata", "Addebito non riconosciuto", "Fattura di marzo mancante"},
		outage:   []string{"Il portale non funziona", "L'app non funziona da stamattina"},
		general:  []string{"Ordine non ancora arrivato", "Vorrei cambiare il mio indirizzo", "Domanda sul contratto"},
		followup: []string{"Ci sono novità?", "Grazie mille", "Il problema persiste"},
		closing:  "Cordiali saluti",
	}
	en = lang{
		billing:  []string{"Wrong invoice amount", "Refund not received", "Payment failed twice", "Billing question"},
		outage:   []string{"Dashboard is down", "Outage in the EU region", "API is down for us"},
		general:  []string{"Cannot reset my password", "Question about my order", "How do I export my data?", "Change of address"},
		followup: []string{"Any update?", "Thanks, that helped", "Still not working"},
		closing:  "Best regards",
	}
)

func newDesks() ([2]*desk, error) {
	sp, err := calendar.New(calendar.Spec{Timezone: "America/Sao_Paulo",
		Hours:     map[string][]string{"mon-fri": {"08:00-12:00", "13:00-18:00"}, "sat": {"09:00-13:00"}},
		Holidays:  []string{"br", "2026-12-24"},
		Overrides: map[string][]string{"2026-12-31": {"08:00-12:00"}}})
	if err != nil {
		return [2]*desk{}, err
	}
	ber, err := calendar.New(calendar.Spec{Timezone: "Europe/Berlin",
		Hours:    map[string][]string{"mon-fri": {"09:00-17:30"}},
		Holidays: []string{"de-be", "2026-12-24", "2026-12-31"}})
	if err != nil {
		return [2]*desk{}, err
	}
	m := func(u, h, n, l time.Duration) map[string]time.Duration {
		return map[string]time.Duration{"urgent": u, "high": h, "normal": n, "low": l}
	}
	wa := &desk{channel: "whatsapp", cal: sp, loc: sp.Location(),
		agents: []string{"ana", "bruno", "carla", "diego", "fernanda", "joao"},
		langs:  []lang{pt, es}, langW: []float64{0.75, 0.25},
		dayW: [7]float64{0.12, 1.25, 1.1, 1, 1, 0.95, 0.35},
		open: [2]float64{8, 18}, lunch: [2]float64{12, 13},
		fr: m(5*time.Minute, 10*time.Minute, 15*time.Minute, time.Hour),
		nr: m(15*time.Minute, 30*time.Minute, time.Hour, 4*time.Hour)}
	em := &desk{channel: "email", cal: ber, loc: ber.Location(),
		agents: []string{"jonas", "lena", "marco", "sophie"},
		langs:  []lang{de, it, en}, langW: []float64{0.5, 0.2, 0.3},
		dayW: [7]float64{0.05, 1.3, 1.1, 1, 1, 0.9, 0.1},
		open: [2]float64{9, 17.5},
		fr:   m(time.Hour, 2*time.Hour, 4*time.Hour, 8*time.Hour),
		nr:   m(2*time.Hour, 4*time.Hour, 8*time.Hour, 16*time.Hour)}
	return [2]*desk{wa, em}, nil
}

type arrival struct {
	at   time.Time
	desk uint8
	n    int32 // draw order, for a stable sort
}

type generator struct {
	o     Options
	desks [2]*desk
	end   [2]time.Time
	arr   []arrival
}

func newGenerator(o Options) (*generator, error) {
	desks, err := newDesks()
	if err != nil {
		return nil, err
	}
	g := &generator{o: o, desks: desks}
	y, mo, d := o.Start.Date()
	for i, dk := range desks {
		g.end[i] = time.Date(y, mo, d+7*o.Weeks, 0, 0, 0, 0, dk.loc)
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x736c616b6974)) // "slakit"
	days := 7 * o.Weeks
	g.arr = make([]arrival, o.Tickets)
	for i := range g.arr {
		k := uint8(0)
		if r.Float64() < 0.4 {
			k = 1
		}
		dk := desks[k]
		var day int
		for { // rejection sampling on the weekday weights
			day = r.IntN(days)
			wd := time.Date(y, mo, d+day, 12, 0, 0, 0, dk.loc).Weekday()
			if r.Float64()*1.3 < dk.dayW[wd] {
				break
			}
		}
		var h float64
		switch u := r.Float64(); {
		case u < 0.1: // night, evening, early morning
			h = r.Float64() * 24
		default: // business hours, a morning peak and an after-lunch peak
			for {
				h = dk.open[0] + r.Float64()*(dk.open[1]-dk.open[0])
				if h >= dk.lunch[0] && h < dk.lunch[1] && r.Float64() < 0.7 {
					continue
				}
				peak := 1 - 0.4*abs(h-(dk.open[0]+2))/(dk.open[1]-dk.open[0])
				if r.Float64() < peak {
					break
				}
			}
		}
		sec := int(h * 3600)
		at := time.Date(y, mo, d+day, 0, 0, sec, 0, dk.loc)
		g.arr[i] = arrival{at: at, desk: k, n: int32(i)}
	}
	slices.SortFunc(g.arr, func(a, b arrival) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return int(a.n - b.n)
	})
	return g, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// run generates the tickets in order of creation and merges their events
// in time order.
func (g *generator) run(yield func(sla.Event) bool) {
	var h cursorHeap
	customers := max(g.o.Tickets/3, 1)
	var tk ticket
	for i, a := range g.arr {
		for len(h) > 0 && h[0].before(a.at, i) {
			if !h.next(yield) {
				return
			}
		}
		tk.reset(g, i, a, customers)
		tk.script()
		if len(tk.evs) > 0 {
			heap.Push(&h, &cursor{evs: slices.Clone(tk.evs), seq: i})
		}
	}
	for len(h) > 0 {
		if !h.next(yield) {
			return
		}
	}
}

// cursor is the next event of one ticket in the merge.
type cursor struct {
	evs []sla.Event
	seq int
}

func (c *cursor) before(at time.Time, seq int) bool {
	if x := c.evs[0].At.Compare(at); x != 0 {
		return x < 0
	}
	return c.seq < seq
}

type cursorHeap []*cursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].before(h[j].evs[0].At, h[j].seq) }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}

// next yields the earliest event and advances its ticket.
func (h *cursorHeap) next(yield func(sla.Event) bool) bool {
	c := (*h)[0]
	ev := c.evs[0]
	c.evs = c.evs[1:]
	if len(c.evs) == 0 {
		heap.Pop(h)
	} else {
		heap.Fix(h, 0)
	}
	return yield(ev)
}

// ticket writes the script of one ticket.
type ticket struct {
	r      *rand.Rand
	pcg    rand.PCG
	g      *generator
	dk     *desk
	id     string
	evs    []sla.Event
	last   time.Time
	end    time.Time
	done   bool
	lang   lang
	prio   string // the priority the desk will work at (after the rules)
	lastCu time.Time
	msgs   int
}

func (t *ticket) reset(g *generator, i int, a arrival, customers int) {
	t.pcg.Seed(g.o.Seed, uint64(i)+1)
	if t.r == nil {
		t.r = rand.New(&t.pcg)
	}
	t.g, t.dk = g, g.desks[a.desk]
	t.id = "T" + strconv.Itoa(i+1)
	t.evs = t.evs[:0]
	t.last = a.at
	t.end = g.end[a.desk]
	t.done = false
	t.lastCu = time.Time{}
	t.msgs = 0
	t.lang = t.dk.langs[t.pick(t.dk.langW)]
	// customer ids by a skewed draw, so some customers come back
	cu := int(float64(customers) * t.r.Float64() * t.r.Float64())
	t.evs = append(t.evs, sla.Event{At: a.at, Customer: &sla.Customer{ID: "c" + strconv.Itoa(cu+1)}})
	if cu%13 == 0 {
		t.evs[0].Customer.Tier = "vip"
	}
}

func (t *ticket) pick(w []float64) int {
	u := t.r.Float64()
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func (t *ticket) one(s []string) string { return s[t.r.IntN(len(s))] }

func (t *ticket) chance(p float64) bool { return t.r.Float64() < p }

// wall returns a wall-clock delay uniformly in [lo, hi).
func (t *ticket) wall(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(t.r.Int64N(int64(hi-lo)))
}

// add appends an event of the ticket at at (or just after the previous
// one); events at or after the end of the period are dropped, with every
// later one.
func (t *ticket) add(ev sla.Event) bool {
	if t.done {
		return false
	}
	at := ev.At.Truncate(time.Second).In(t.dk.loc)
	if !at.After(t.last) {
		at = t.last.Add(time.Duration(1+t.r.IntN(30)) * time.Second)
	}
	if !at.Before(t.end) {
		t.done = true
		return false
	}
	ev.TicketID, ev.At = t.id, at
	t.last = at
	t.evs = append(t.evs, ev)
	return true
}

func (t *ticket) customer(at time.Time, text string) bool {
	ev := sla.Event{At: at, Type: sla.EventMessage, Text: text}
	if t.dk.channel == "whatsapp" {
		t.msgs++
		ev.MessageID = t.wamid()
	}
	if !t.add(ev) {
		return false
	}
	t.lastCu = t.last
	return true
}

func (t *ticket) wamid() string {
	return "wamid." + t.id + "." + strconv.Itoa(t.msgs)
}

// reply is an agent's public reply after a business-time delay drawn
// around target: usually well within it, sometimes late.
func (t *ticket) reply(from time.Time, target time.Duration, slow float64) bool {
	var f float64
	switch u := t.r.Float64(); {
	case u < slow*0.25:
		f = 2 + 4*t.r.Float64() // very late
	case u < slow:
		f = 0.85 + 0.75*t.r.Float64() // around the deadline
	default:
		f = 0.05 + 0.65*t.r.Float64()
	}
	at := t.dk.cal.Add(from, time.Duration(f*float64(target)))
	if t.dk.channel == "whatsapp" && !t.lastCu.IsZero() && at.Sub(t.lastCu) > 24*time.Hour && t.chance(0.5) {
		// the free-form reply bounced (131047); a template goes out instead
		if !t.add(sla.Event{At: at, Type: sla.EventWindowRejected}) {
			return false
		}
		at = at.Add(t.wall(time.Minute, 10*time.Minute))
	}
	return t.add(sla.Event{At: at, Type: sla.EventMessage, Author: sla.AuthorAgent})
}

func (t *ticket) script() {
	cr := &t.evs[0]
	t.evs = t.evs[:0]
	created := *cr
	created.Type = sla.EventCreated
	created.Channel = t.dk.channel
	prios := []string{"urgent", "high", "normal", "low"}
	created.Priority = prios[t.pick([]float64{0.04, 0.14, 0.72, 0.10})]
	t.prio = created.Priority
	var text string
	switch k := t.pick([]float64{0.25, 0.07, 0.68}); k {
	case 0:
		text = t.one(t.lang.billing)
	case 1:
		text = t.one(t.lang.outage)
		if t.prio != "urgent" {
			t.prio = "high"
		}
	default:
		text = t.one(t.lang.general)
	}
	vip := created.Customer.Tier == "vip"
	if vip {
		t.prio = "urgent"
	}
	if t.dk.channel == "whatsapp" {
		created.Text = text
		t.msgs++
		created.MessageID = t.wamid()
		created.Referral = t.chance(0.12)
	} else {
		created.Subject = text
		created.Text = text + ". " + t.lang.closing
	}
	start := created.At
	if !t.add(created) {
		return
	}
	t.lastCu = t.last

	slow := 0.12
	if vip {
		slow = 0.2 // urgent targets are tight
	}
	fr := t.dk.fr[t.prio]
	// assignment, usually before the first reply
	if t.chance(0.85) {
		at := t.dk.cal.Add(start, time.Duration(t.r.Float64()*0.5*float64(fr)))
		if !t.add(sla.Event{At: at, Type: sla.EventAssign, Agent: t.one(t.dk.agents)}) {
			return
		}
	}
	if t.chance(0.03) { // nobody answered yet: backlog
		return
	}
	if !t.reply(t.last, fr, slow) {
		return
	}
	if t.chance(0.05 + 0.3*b2f(t.prio == "high" && text != "" && slices.Contains(t.lang.outage, text))) {
		if !t.add(sla.Event{At: t.last.Add(t.wall(5*time.Minute, 2*time.Hour)), Type: sla.EventEscalated, Tier: "tier2"}) {
			return
		}
	}
	nr := t.dk.nr[t.prio]
	turns := t.pick([]float64{0.55, 0.28, 0.12, 0.05})
	for range turns {
		if !t.customer(t.last.Add(t.wall(2*time.Minute, 6*time.Hour)), t.one(t.lang.followup)) {
			return
		}
		if !t.reply(t.last, nr, slow) {
			return
		}
	}
	if t.chance(0.2) { // waiting for the customer
		if !t.add(sla.Event{At: t.last.Add(t.wall(time.Minute, 10*time.Minute)), Type: sla.EventStatus, Status: sla.StatusPending}) {
			return
		}
		if t.chance(0.7) {
			if !t.customer(t.last.Add(t.wall(30*time.Minute, 60*time.Hour)), t.one(t.lang.followup)) {
				return
			}
			if !t.reply(t.last, nr, slow) {
				return
			}
		}
	}
	if t.chance(0.04) { // forgotten: backlog
		return
	}
	for round := 0; ; round++ {
		if !t.add(sla.Event{At: t.last.Add(t.wall(time.Minute, 90*time.Minute)), Type: sla.EventStatus, Status: sla.StatusSolved}) {
			return
		}
		if round > 0 || !t.chance(0.08) {
			break
		}
		// reopened by the customer
		if !t.customer(t.last.Add(t.wall(2*time.Hour, 72*time.Hour)), t.one(t.lang.followup)) {
			return
		}
		if !t.reply(t.last, nr, slow) {
			return
		}
	}
	solved := t.last
	if t.chance(0.3) {
		score := 5 - t.pick([]float64{0.45, 0.25, 0.12, 0.08, 0.10})
		if !t.add(sla.Event{At: solved.Add(t.wall(5*time.Minute, 20*time.Hour)), Type: sla.EventCSAT, Score: score}) {
			return
		}
	}
	// The helpdesk closes solved tickets three to five days later, as
	// Zendesk and Freshdesk automations do.
	t.add(sla.Event{At: solved.Add(t.wall(72*time.Hour, 120*time.Hour)), Type: sla.EventStatus, Status: sla.StatusClosed})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
