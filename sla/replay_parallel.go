package sla

import (
	"iter"
	"sort"
	"sync"
	"time"
)

// This file runs a replay on several goroutines. Tickets are split among
// shards by a hash of their id, so that the events of one ticket are
// applied in order by one shard. Every shard sees every event (a chunk of
// the input is shared, read-only): it applies its own tickets' events and
// only reads the instants of the others, which move its clock for the
// tickets that close by themselves. Each shard tags what it yields with
// the input line it came from, and the caller's goroutine merges the
// shards' output chunk by chunk, so that the results come out exactly as
// Replay yields them. In a replay into sinks ([Engine.ReplayShards]), a
// shard gives its events and results to its own sink instead, and only
// the problems are merged.

// parallelChunk is how many input lines a chunk holds, and parallelDepth
// how many chunks may be in flight: memory stays bounded whatever the
// input.
const (
	parallelChunk = 512
	parallelDepth = 12
)

// ReplayOptions are the options of [Engine.ReplayParallel].
type ReplayOptions struct {
	// Workers is how many goroutines apply events (at most 255): the
	// tickets are shared among them by a hash of their id. Below 2, the
	// replay runs on the caller's goroutine as [Engine.Replay] does.
	Workers int
	// Observe, when set, is called with each well-formed event of the
	// input, in input order, on the goroutine ranging over the results,
	// before what the replay yields after that event: a report that
	// follows the events (time in status) sees them exactly as it would
	// beside Replay. It must not keep ev.
	Observe func(ev *Event)
}

// ReplayParallel is [Engine.Replay] on several goroutines (opts.Workers):
// it yields the same results and problems, in the same order. The events
// sequence is read on a goroutine of its own, so it must not rely on
// running on the caller's. Memory is Replay's plus a few chunks of events
// in flight; each goroutine that ends leaves its storage to later
// replays, as Replay does. Stopping early stops every goroutine before
// ReplayParallel returns.
func (e *Engine) ReplayParallel(events iter.Seq2[Event, error], at time.Time, opts ReplayOptions) iter.Seq2[Result, error] {
	if opts.Workers < 2 {
		if opts.Observe != nil {
			events = observing(events, opts.Observe)
		}
		return e.Replay(events, at)
	}
	return func(yield func(Result, error) bool) {
		p := newParallelReplay(e, min(opts.Workers, 255), nil)
		p.observe = opts.Observe
		p.start(events)
		defer p.stop()
		p.merge(at, yield)
	}
}

// observing calls observe with each well-formed event of events before
// passing it on.
func observing(events iter.Seq2[Event, error], observe func(*Event)) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for ev, err := range events {
			if err == nil {
				observe(&ev)
			}
			if !yield(ev, err) {
				return
			}
		}
	}
}

// inputItem is one line of the input.
type inputItem struct {
	ev   Event
	err  error
	hash uint64 // idHash(ev.TicketID) of a well-formed event
}

// inputChunk is parallelChunk consecutive lines of the input, the first
// being line first. own lists, for each shard, the indexes of the items
// it applies, and clock is the replay's clock after each item: the latest
// instant of a well-formed event up to it (the chunks before included),
// which a shard reads for the lines it does not own. For a replay into
// sinks, named is the same over the events that name a ticket (see
// [ShardSink.Result]).
type inputChunk struct {
	first int
	items []inputItem
	own   [][]int32
	clock []time.Time
	named []time.Time
}

// output is one pair a shard yields, with the place it takes in the
// replay's output: the input line being read, then what was yielded for
// that line's own ticket before the tickets it closed by the clock
// (closing set), these in order of their instants and of creation.
type output struct {
	line    int
	closing bool
	at      time.Time
	order   int
	res     Result
	err     error
}

// before reports whether o comes before p in the replay's output.
func (o *output) before(p *output) bool {
	if o.line != p.line {
		return o.line < p.line
	}
	if o.closing != p.closing {
		return !o.closing
	}
	if c := o.at.Compare(p.at); c != 0 {
		return c < 0
	}
	return o.order < p.order
}

// shardOutput is what a shard yields for one chunk (chunk != nil), or at
// the end of the input, its latest applied instant (end), then the
// results of its open tickets in batches.
type shardOutput struct {
	chunk  *inputChunk
	outs   []output
	end    bool
	latest time.Time
}

type parallelReplay struct {
	e       *Engine
	n       int
	observe func(*Event)
	sinks   []ShardSink // a replay into sinks: shard i gives its results to sinks[i]
	in      []chan *inputChunk
	out     []chan shardOutput
	free    chan *inputChunk
	bufs    []chan []output // each shard's output buffers, back from the merger
	done    chan struct{}   // closed to stop every goroutine
	at      chan time.Time
	wg      sync.WaitGroup
	closed  sync.Once
}

// newParallelReplay returns the replay of e on n shards; with sinks (n of
// them), into sinks.
func newParallelReplay(e *Engine, n int, sinks []ShardSink) *parallelReplay {
	p := &parallelReplay{e: e, n: n, sinks: sinks, free: make(chan *inputChunk, parallelDepth+2), done: make(chan struct{})}
	for range parallelDepth + 2 {
		c := &inputChunk{items: make([]inputItem, 0, parallelChunk), own: make([][]int32, n),
			clock: make([]time.Time, 0, parallelChunk)}
		if sinks != nil {
			c.named = make([]time.Time, 0, parallelChunk)
		}
		for i := range c.own {
			c.own[i] = make([]int32, 0, parallelChunk)
		}
		p.free <- c
	}
	for range n {
		p.in = append(p.in, make(chan *inputChunk, parallelDepth))
		p.out = append(p.out, make(chan shardOutput, parallelDepth))
		p.bufs = append(p.bufs, make(chan []output, parallelDepth+2))
	}
	p.at = make(chan time.Time, n)
	return p
}

// start starts the reader and the shards.
func (p *parallelReplay) start(events iter.Seq2[Event, error]) {
	p.wg.Add(1 + p.n)
	go p.read(events)
	for i := range p.n {
		go p.shard(i)
	}
}

// stop stops every goroutine and waits for them.
func (p *parallelReplay) stop() {
	p.closed.Do(func() { close(p.done) })
	p.wg.Wait()
}

// read reads the input into chunks and hands each to every shard.
func (p *parallelReplay) read(events iter.Seq2[Event, error]) {
	defer p.wg.Done()
	defer func() {
		for _, in := range p.in {
			close(in)
		}
	}()
	line := 0
	var c *inputChunk
	var clock, named time.Time
	sinks := p.sinks != nil
	send := func() bool {
		for _, in := range p.in {
			select {
			case in <- c:
			case <-p.done:
				return false
			}
		}
		c = nil
		return true
	}
	for ev, err := range events {
		line++
		if c == nil {
			select {
			case c = <-p.free:
			case <-p.done:
				return
			}
			c.first, c.items, c.clock, c.named = line, c.items[:0], c.clock[:0], c.named[:0]
			for i := range c.own {
				c.own[i] = c.own[i][:0]
			}
		}
		sh := 0 // a malformed line belongs to shard 0
		var h uint64
		if err == nil {
			h = idHash(ev.TicketID)
			sh = int(h % uint64(p.n))
			if ev.At.After(clock) {
				clock = ev.At
			}
			if sinks && ev.TicketID != "" && ev.At.After(named) {
				named = ev.At
			}
		}
		k := len(c.items)
		c.own[sh] = append(c.own[sh], int32(k))
		c.clock = append(c.clock, clock)
		if sinks {
			c.named = append(c.named, named)
		}
		c.items = c.items[:k+1] // within the capacity, parallelChunk; set in place, not built and copied
		it := &c.items[k]
		it.ev, it.err, it.hash = ev, err, h
		if len(c.items) == parallelChunk && !send() {
			return
		}
	}
	if c != nil {
		send()
	}
}

// shard replays the tickets of shard i. Into a sink, it gives the sink
// its events and results, and sends only its problems to the merger.
func (p *parallelReplay) shard(i int) {
	defer p.wg.Done()
	defer close(p.out[i])
	r := newReplayer(p.e)
	// Into sinks, the results stay on the shard, given to its sink by
	// emit with the latest instant named by the line that closed them, or
	// by the last line for the tickets open at the end (r.named, set below
	// and by others; a nil sink drops them): yield then sees problems
	// alone.
	into := p.sinks != nil
	if into {
		r.into(p.sinks[i : i+1])
	}
	var outs []output
	line := 0
	yield := func(res Result, err error) bool {
		o := output{line: line, res: res, err: err}
		if c := r.closing; c != nil {
			o.closing, o.at, o.order = true, c.at, c.order
		}
		outs = append(outs, o)
		return true
	}
	send := func(o shardOutput) bool {
		select {
		case p.out[i] <- o:
			return true
		case <-p.done:
			return false
		}
	}
	for c := range p.in[i] {
		select {
		case outs = <-p.bufs[i]:
		default:
			outs = nil
		}
		next := 0 // the first item not yet taken
		for _, k := range c.own[i] {
			r.others(c, next, int(k), &line, yield)
			it := &c.items[k]
			line = c.first + int(k)
			if into {
				r.named = c.named[k]
				if it.err == nil {
					r.sink.Event(&it.ev)
				}
			}
			r.event(line, &it.ev, it.hash, it.err, yield)
			next = int(k) + 1
		}
		r.others(c, next, len(c.items), &line, yield)
		if into && len(c.named) > 0 {
			r.named = c.named[len(c.named)-1] // for the tickets still open at the end
		}
		if !send(shardOutput{chunk: c, outs: outs}) {
			return
		}
	}
	if !send(shardOutput{end: true, latest: r.latestApplied()}) {
		return
	}
	var at time.Time
	select {
	case at = <-p.at:
	case <-p.done:
		return
	}
	rest := r.rest()
	if into {
		if p.finishInto(r, rest, at) {
			r.release()
		}
		return
	}
	for len(rest) > 0 {
		k := min(len(rest), parallelChunk)
		outs = make([]output, k)
		for j, t := range rest[:k] {
			r.emit(t, at, func(res Result, err error) bool {
				outs[j] = output{order: t.order, res: res, err: err}
				return true
			})
			r.recycle(t) // its result holds none of the record's storage
		}
		rest = rest[k:]
		if !send(shardOutput{outs: outs}) {
			return
		}
	}
	r.release() // its storage, emptied, for the next replay, as Replay leaves its own
}

// finishInto gives a sink the results of the tickets still open (rest,
// in order of creation) evaluated at at, recycling their records; it
// stops early, and returns false, if the replay is stopped.
func (p *parallelReplay) finishInto(r *replayer, rest []*replayTicket, at time.Time) bool {
	yield := func(Result, error) bool { return true } // emit gives r.sink the results
	for j, t := range rest {
		if j%parallelChunk == 0 {
			select {
			case <-p.done:
				return false
			default:
			}
		}
		r.emit(t, at, yield)
		r.recycle(t)
	}
	return true
}

// others takes the items from up to to of c, which another shard
// applies: the replay's clock moves to their instants, closing the
// tickets solved long enough by then, each at the line whose instant
// closed it (set in *line), as Replay does.
func (r *replayer) others(c *inputChunk, from, to int, line *int, yield func(Result, error) bool) {
	for from < to {
		end := c.clock[to-1]
		if len(r.closings) == 0 || r.closings[0].at.After(end) {
			if end.After(r.clock) {
				r.clock = end
			}
			return
		}
		// The first item whose instant reaches the earliest closing.
		due := r.closings[0].at
		j := from + sort.Search(to-from, func(k int) bool { return !c.clock[from+k].Before(due) })
		*line = c.first + j
		if r.sink != nil {
			r.named = c.named[j]
		}
		r.observe(c.clock[j], yield)
		from = j + 1
	}
}

// merge yields the shards' output in the order of Replay.
func (p *parallelReplay) merge(at time.Time, yield func(Result, error) bool) {
	heads := make([][]output, p.n)
	bufs := make([][]output, p.n) // heads as the shards sent them
	for {
		// One output per shard: a chunk's, or the end of the input.
		var latest time.Time
		end := false
		var chunk *inputChunk
		for i := range p.n {
			o := <-p.out[i]
			if o.end {
				end = true
				if o.latest.After(latest) {
					latest = o.latest
				}
				continue
			}
			heads[i], bufs[i], chunk = o.outs, o.outs, o.chunk
		}
		if end {
			if at.IsZero() {
				at = latest
			}
			break
		}
		if !p.mergeChunk(chunk, heads, yield) {
			return
		}
		clear(chunk.items) // drop the events' memory before reuse
		p.free <- chunk
		for i, b := range bufs {
			if cap(b) > 0 {
				clear(b) // drop the results' memory before reuse
				select {
				case p.bufs[i] <- b[:0]:
				default:
				}
			}
		}
	}
	for range p.n {
		p.at <- at
	}
	// The open tickets: each shard's in order of creation.
	open := make([]bool, p.n)
	for i := range p.n {
		open[i] = true
	}
	for {
		for i := range p.n {
			if len(heads[i]) == 0 && open[i] {
				o, ok := <-p.out[i]
				heads[i], open[i] = o.outs, ok
			}
		}
		best := -1
		for i := range p.n {
			if len(heads[i]) > 0 && (best < 0 || heads[i][0].order < heads[best][0].order) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		o := &heads[best][0]
		if !yield(o.res, o.err) {
			return
		}
		heads[best] = heads[best][1:]
	}
}

// mergeChunk yields the outputs of every shard for one chunk, each
// shard's in order, merged by their places, with the chunk's events
// observed at their places.
func (p *parallelReplay) mergeChunk(c *inputChunk, heads [][]output, yield func(Result, error) bool) bool {
	if p.observe == nil {
		return mergeOutputs(heads, c.first+len(c.items), yield)
	}
	next := firstLine(heads)
	for k := range c.items {
		if it := &c.items[k]; it.err == nil {
			p.observe(&it.ev)
		}
		if line := c.first + k; line >= next {
			if !mergeOutputs(heads, line, yield) {
				return false
			}
			next = firstLine(heads)
		}
	}
	return true
}

// firstLine returns the earliest input line of the shards' next outputs,
// or the largest int when none is left.
func firstLine(heads [][]output) int {
	first := int(^uint(0) >> 1)
	for _, h := range heads {
		if len(h) > 0 && h[0].line < first {
			first = h[0].line
		}
	}
	return first
}

// mergeOutputs yields the outputs of every shard up to input line last,
// each shard's in order, merged by their places.
func mergeOutputs(heads [][]output, last int, yield func(Result, error) bool) bool {
	for {
		best := -1
		for i := range heads {
			if len(heads[i]) > 0 && heads[i][0].line <= last && (best < 0 || heads[i][0].before(&heads[best][0])) {
				best = i
			}
		}
		if best < 0 {
			return true
		}
		o := &heads[best][0]
		if !yield(o.res, o.err) {
			return false
		}
		heads[best] = heads[best][1:]
	}
}
