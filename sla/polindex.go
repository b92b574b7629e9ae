package sla

import "math"

// This file keeps, in each State, the policy in force and the ticket's
// effective priority as indices, so that an event, a firing or a view
// finds them without looking the policy's name and the priority's name up.
//
// The index is derived: it stands for what policyOf and priority answer
// from the state's policy name and ticket priority, and it holds only for
// the engine that computed it, whose stamp (Engine.ixID) it carries. A
// State handed to another engine, as after a policy reload, or decoded
// from JSON, or emptied for another ticket (State.reuse), carries another
// stamp or none, and is looked up again. Every write of the ticket's
// priority clears it (State.write, setAttributes, route: a router may
// change any attribute); reselect, which alone sets the policy, sets it
// again.

// noStamp is the stamp of an engine whose id does not fit the stamp: it
// never writes an index, so that no state trusts one for it.
const noStamp = math.MaxUint32

// stampOf returns the stamp of the engine of id id (from 1 on).
func stampOf(id uint64) uint32 {
	if id >= noStamp {
		return noStamp
	}
	return uint32(id)
}

// policyPrio returns the policy in force for st (nil for none), as
// e.policyOf(st), and the index of its ticket's effective priority under
// it, as e.priority(&st.ticket, pol): from st's index when this engine
// computed it, else looked up. It does not change st (see indexed).
func (e *Engine) policyPrio(st *State) (pol *compiled, prio int) {
	if st.ixBy == e.ixID {
		return e.ixPols[st.ixPol], int(st.ixPrio)
	}
	pol, prio = e.lookup(st) // assigned, not returned: cheap enough to inline
	return
}

// indexed is policyPrio for a caller that owns st: a lookup is kept in st.
func (e *Engine) indexed(st *State) (pol *compiled, prio int) {
	if st.ixBy == e.ixID {
		return e.ixPols[st.ixPol], int(st.ixPrio)
	}
	pol, prio = e.reindex(st) // as in policyPrio
	return
}

// reindex looks up the policy in force for st and its ticket's effective
// priority, and keeps them in st's index.
func (e *Engine) reindex(st *State) (*compiled, int) {
	i := e.policyPos(st)
	pol := e.ixPols[i+1]
	prio := e.prioUnder(&st.ticket, pol)
	st.setIndex(e, i, prio)
	return pol, prio
}

// lookup finds the policy in force for st and its ticket's effective
// priority from their names.
func (e *Engine) lookup(st *State) (*compiled, int) {
	pol := e.policyOf(st)
	return pol, e.prioUnder(&st.ticket, pol)
}

// prioUnder is e.priority(t, pol), without a lookup for a ticket that has
// neither priority nor policy (one being created).
func (e *Engine) prioUnder(t *Ticket, pol *compiled) int {
	if t.Priority == "" && pol == nil {
		return e.defPrio // no priority is named ""
	}
	return e.priority(t, pol)
}

// setIndex records in st, for e, the policy in force, e.policies[i] (-1
// for none), and the index prio of the ticket's effective priority; an
// engine without stamp, or an index too large to hold, leaves st without
// index.
func (st *State) setIndex(e *Engine, i, prio int) {
	if e.ixID == noStamp || i+1 > math.MaxUint16 || uint(prio) > math.MaxUint8 {
		st.ixBy = 0
		return
	}
	st.ixBy, st.ixPol, st.ixPrio = e.ixID, uint16(i+1), uint8(prio)
}

// dropIndex forgets st's index: the ticket's priority changed, or may have.
func (st *State) dropIndex() { st.ixBy = 0 }
