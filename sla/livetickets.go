package sla

// liveTickets holds a replay's live tickets by the hash of their id
// (idHash), which a replay on several goroutines computes once per event to
// choose the shard: a lookup then hashes 8 bytes and compares one id. An id
// whose hash another live id holds goes to apart, keyed by the id itself
// (one chance in 2^64 per pair of ids).
type liveTickets struct {
	byHash map[uint64]*replayTicket
	apart  map[string]*replayTicket
}

func newLiveTickets() liveTickets {
	return liveTickets{byHash: map[uint64]*replayTicket{}}
}

// get returns the live ticket of id (h its hash), or nil.
func (l *liveTickets) get(id string, h uint64) *replayTicket {
	if t := l.byHash[h]; t != nil && t.st.ticket.ID == id {
		return t
	}
	if len(l.apart) > 0 {
		return l.apart[id]
	}
	return nil
}

// put adds t, the ticket of id (h its hash), which is not live.
func (l *liveTickets) put(id string, h uint64, t *replayTicket) {
	if l.byHash[h] == nil {
		l.byHash[h] = t
		return
	}
	if l.apart == nil {
		l.apart = map[string]*replayTicket{}
	}
	l.apart[id] = t
}

// del forgets t, the live ticket of id (h its hash).
func (l *liveTickets) del(id string, h uint64, t *replayTicket) {
	if l.byHash[h] == t {
		delete(l.byHash, h)
		return
	}
	delete(l.apart, id)
}

// len returns how many tickets are live.
func (l *liveTickets) len() int { return len(l.byHash) + len(l.apart) }

// appendTo appends the live tickets to ts, in no order, and forgets them.
func (l *liveTickets) appendTo(ts []*replayTicket) []*replayTicket {
	for _, t := range l.byHash {
		ts = append(ts, t)
	}
	for _, t := range l.apart {
		ts = append(ts, t)
	}
	clear(l.byHash)
	clear(l.apart)
	return ts
}
