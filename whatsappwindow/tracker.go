package whatsappwindow

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Config holds the knobs of a [Tracker]. Every field is taken literally: the
// zero Config has no send margin, no closing-soon thresholds, no tolerance
// for future timestamps, and does not count reactions. [DefaultConfig]
// returns the recommended values.
type Config struct {
	// ClosingSoon lists lead times before the window closes, such as 2h and
	// 15m. Once the time remaining is at most one of them the state is
	// [ClosingSoon] and [Verdict.Threshold] names the smallest one reached.
	// Each must be positive, at most [Length], and listed once; order does
	// not matter.
	ClosingSoon []time.Duration
	// SendMargin is kept free before the window closes to cover send
	// latency, queueing and clock differences: free-form is allowed at t
	// only if t + SendMargin is before the window closes. Not negative.
	SendMargin time.Duration
	// MaxSkew is how far into the future (after the instant passed to
	// Observe) an observation's timestamp may lie; a later timestamp is
	// clamped to that instant. Not negative.
	MaxSkew time.Duration
	// ReactionsCount makes user reactions open and refresh the window.
	// Meta does not say whether they do, so the default is no.
	ReactionsCount bool
}

// DefaultConfig returns the recommended configuration: closing soon at 2h
// and 15m, a 2 minute send margin, 5 minutes of tolerated clock skew, and
// reactions not counted.
func DefaultConfig() Config {
	return Config{
		ClosingSoon: []time.Duration{2 * time.Hour, 15 * time.Minute},
		SendMargin:  2 * time.Minute,
		MaxSkew:     5 * time.Minute,
	}
}

// Tracker applies the window rules with one [Config]. It holds no window
// state: the host keeps each [Window] and passes it in. A Tracker is
// immutable and safe for concurrent use by multiple goroutines. The zero
// Tracker uses the zero Config. A nil *Tracker must not be used: its methods
// may panic.
type Tracker struct {
	cfg Config // ClosingSoon sorted longest first, owned
}

// New validates c and returns a Tracker that applies it. The error lists
// every problem: a [*ConfigError], or several joined with [errors.Join];
// each wraps [ErrInvalidConfig].
func New(c Config) (*Tracker, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if c.SendMargin < 0 {
		bad("send_margin", "%v is negative", c.SendMargin)
	}
	if c.MaxSkew < 0 {
		bad("max_skew", "%v is negative", c.MaxSkew)
	}
	seen := make(map[time.Duration]bool, len(c.ClosingSoon))
	for i, d := range c.ClosingSoon {
		field := fmt.Sprintf("closing_soon[%d]", i)
		switch {
		case d <= 0:
			bad(field, "%v is not positive", d)
		case d > Length:
			bad(field, "%v is longer than the 24h window", d)
		case seen[d]:
			bad(field, "%v listed twice", d)
		}
		seen[d] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	soon := slices.Clone(c.ClosingSoon)
	slices.SortFunc(soon, func(a, b time.Duration) int { return cmp.Compare(b, a) })
	c.ClosingSoon = soon
	return &Tracker{cfg: c}, nil
}

// ConfigError is a field of a [Config] that [New] refuses. Field is its
// path as a policy file spells it ("send_margin", "max_skew",
// "closing_soon[2]" with the index into [Config.ClosingSoon]), so that a
// loader can point at the value; Msg says what is wrong with it. It wraps
// [ErrInvalidConfig].
type ConfigError struct {
	Field string
	Msg   string
}

// Error prints "whatsappwindow: invalid config: field: message".
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrInvalidConfig, e.Field, e.Msg)
}

// Unwrap returns [ErrInvalidConfig].
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// Config returns a copy of the configuration, thresholds longest first.
func (t *Tracker) Config() Config {
	c := t.cfg
	c.ClosingSoon = slices.Clone(c.ClosingSoon)
	return c
}

// Observe applies o to w, which the host received at the instant at, and
// reports whether w changed (so the host knows whether to store it).
//
// User messages and calls (and reactions if configured) open and refresh
// the window from o.At; an id already seen is ignored, and an older
// timestamp never moves the window back. Business messages never extend
// it. A timestamp more than [Config.MaxSkew] after at is taken as at; a
// zero at disables that clamp (for replays of stored histories).
//
// Observe refuses, leaving w untouched, an observation without a key,
// timestamp or known kind, and one for another key than w's. A zero w takes
// o's key.
func (t *Tracker) Observe(w *Window, o Observation, at time.Time) (changed bool, err error) {
	switch {
	case !o.Kind.valid():
		return false, fmt.Errorf("%w: %v", ErrUnknownKind, o.Kind)
	case o.Key.Business == "" || o.Key.User == "":
		return false, fmt.Errorf("%w: %q", ErrNoKey, o.Key.String())
	case o.At.IsZero():
		return false, fmt.Errorf("%w: %v %q", ErrNoTimestamp, o.Kind, o.MessageID)
	case w.Key != (Key{}) && w.Key != o.Key:
		return false, fmt.Errorf("%w: observation %q, window %q", ErrKeyMismatch, o.Key.String(), w.Key.String())
	}
	if w.Key == (Key{}) {
		w.Key = o.Key
		changed = true
	}
	ts := o.At.UTC()
	if !at.IsZero() && ts.After(at.Add(t.cfg.MaxSkew)) {
		ts = at.UTC()
	}
	kind := o.Kind
	if kind == UserReaction && !t.cfg.ReactionsCount {
		kind = UserOther
	}
	switch kind {
	case UserMessage, UserCall, UserReaction:
		changed = w.observeUser(ts, &o) || changed
	case BusinessMessage:
		changed = w.observeBusiness(ts, o.Billing, o.Status == "" || o.Status == "sent") || changed
	case Rejection:
		changed = w.observeRejection(ts) || changed
	}
	return changed, nil
}

// ObserveMap applies o to the window stored in ws under o.Key (a zero
// Window if there is none) and stores the result back. It is the in-memory
// form of Observe for hosts that keep every window in one map; the map is
// not safe for concurrent use.
func (t *Tracker) ObserveMap(ws map[Key]Window, o Observation, at time.Time) (changed bool, err error) {
	w := ws[o.Key]
	if changed, err = t.Observe(&w, o, at); err != nil || !changed {
		return changed, err
	}
	ws[o.Key] = w
	return true, nil
}
