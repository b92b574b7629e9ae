package sla

// Agreement summarises the clocks of a ticket's SLA policy in one word,
// for a list badge: how the ticket stands against its agreement.
type Agreement string

// Agreement states, from the most to the least pressing: a ticket is
// breached if any clock is, else at risk if a running clock is at or past
// [Config.AtRisk] percent of its target, else on track while a clock
// runs, else paused while its open clocks are paused, else fulfilled when
// every clock that got a verdict met it, else none.
const (
	AgreementOnTrack   Agreement = "on_track"  // a clock runs below the at-risk share of its target
	AgreementAtRisk    Agreement = "at_risk"   // a running clock is at or past the at-risk share
	AgreementBreached  Agreement = "breached"  // a clock is breached (running or stopped)
	AgreementPaused    Agreement = "paused"    // every open clock is paused
	AgreementFulfilled Agreement = "fulfilled" // no open clock; every decided clock met
	AgreementNone      Agreement = "none"      // no clocks (no policy, no targets) or only cancelled ones
)

// DefaultAtRisk is the at-risk percent used when [Config.AtRisk] is 0.
const DefaultAtRisk = 80.0

// agreement is the badge of clocks whose states are the phases set in
// seen (bit p for phase p), risk saying that a running one is at or past
// the at-risk share of its target. OLA clocks are not among them: they
// have states of their own.
func agreement(seen uint8, risk bool) Agreement {
	switch {
	case seen&(1<<phBreached) != 0:
		return AgreementBreached
	case risk:
		return AgreementAtRisk
	case seen&(1<<phRunning) != 0:
		return AgreementOnTrack
	case seen&(1<<phPaused) != 0:
		return AgreementPaused
	case seen&(1<<phMet) != 0:
		return AgreementFulfilled
	}
	return AgreementNone
}
