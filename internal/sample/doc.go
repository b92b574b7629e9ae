// Package sample generates realistic, seeded ticket histories for slakit:
// the sample data of the examples, of slatest's own tests and of the
// benchmarks (testdata/history/sample.jsonl is its default output).
//
//	for ev := range sample.Events(sample.Default()) {
//		st, err = eng.Apply(states[ev.TicketID], ev) // or feed eng.Replay
//	}
//	err := sample.Write(w, opts) // JSON Lines, the events file format
//
// # Determinism
//
// The output is a pure function of [Options]: the same seed and options
// give byte-identical output on every machine and Go version that keeps
// math/rand/v2's PCG stream (which the Go 1 compatibility promise covers).
// The generator never reads the system clock or the local zone; instants
// are in the zones of the two desks.
//
// # Content
//
// Two desks of the reference policy (testdata/policies/multidesk.yaml):
//
//   - WhatsApp, São Paulo (America/Sao_Paulo, 08:00-12:00 and 13:00-18:00
//     on weekdays, 09:00-13:00 on Saturdays): Portuguese and Spanish texts,
//     a message_id on every customer message, some tickets from
//     Click-to-WhatsApp ads (referral), and a few window_rejected events
//     when the first reply comes after the 24-hour window closed.
//   - Email, Berlin (Europe/Berlin, 09:00-17:30 on weekdays): German,
//     Italian and English texts with a subject.
//
// Tickets arrive on business-day patterns in each desk's zone (peaks in
// the morning and after lunch, fewer on Saturdays, a few at night and on
// Sundays). The mix: VIP customers (customer.tier "vip"), billing texts
// that trip the billing keywords, outage texts, assignments to agents,
// replies that are usually quick in business time and sometimes slow
// (breaches), pending waits ended by the customer's answer, reopenings
// (a customer message after solved), human escalations (escalated
// events), CSAT ratings (1-5, mostly positive), closings three to five days after
// solving, and tickets still open at the end of the period (backlog):
// events at or after Start + Weeks are not emitted.
//
// # Order and size
//
// Events of all tickets are interleaved in time order (equal instants in
// ticket order, then in the ticket's own order); ticket ids are T1, T2,
// ... in order of creation. Tickets average between six and seven events:
// the default 3000 tickets give about 19,000 events (2 MB of JSON Lines),
// and 160,000 tickets over 26 weeks about 1.06 million (115 MB, written
// in about two seconds). [Events] streams them: it keeps the creation
// instants of all tickets (a few dozen bytes each) and the events of the
// tickets in flight only.
package sample
