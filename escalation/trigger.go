package escalation

import (
	"errors"

	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slakit/slakit/internal/duration"
	"github.com/slakit/slakit/internal/threshold"
)

// TriggerKind says what a [Trigger] measures.
type TriggerKind uint8

// The kinds of trigger.
const (
	// Percent fires when the clock's elapsed business time reaches a share of its target
	// ("80%").
	Percent TriggerKind = iota + 1
	// Breach fires at an offset of business time from the deadline ("breach-30m", "breach",
	// "breach+2h").
	Breach
	// Elapsed fires when the clock's elapsed business time reaches a duration ("20m").
	Elapsed
	// Window fires that long, in wall-clock time, before the WhatsApp customer service window
	// closes ("window-2h").
	Window
)

// The kinds threshold.Of reads are numbered as TriggerKind numbers them (a
// compile-time check: the index is out of range otherwise).
var _ = [1]int{}[(Percent^threshold.Percent)|(Breach^threshold.Breach)|(Elapsed^threshold.Elapsed)]

// TriggerError is the error of [ParseTrigger]: Text is the trigger as
// given and Msg says what is wrong with it. It wraps [ErrBadTrigger].
type TriggerError struct {
	Text string
	Msg  string
}

// Error prints "escalation: bad trigger "text": message".
func (e *TriggerError) Error() string { return fmt.Sprintf("%v %q: %s", ErrBadTrigger, e.Text, e.Msg) }

// Unwrap returns [ErrBadTrigger].
func (e *TriggerError) Unwrap() error { return ErrBadTrigger }

// Trigger is when a level falls due. The zero Trigger is invalid.
type Trigger struct {
	Kind TriggerKind
	// BasisPoints is the share of the target for Percent, in hundredths of a percent (8000 is
	// 80%).
	BasisPoints int64
	// Offset is the signed offset from the deadline for Breach, the elapsed business time for
	// Elapsed, and how long before the window closes for Window.
	Offset time.Duration
}

// ParseTrigger parses the text of a level's `at`: "80%", "12.5%", "breach", "breach-30m",
// "breach+2h", "20m", "1h30m" or "window-2h". Durations use Go syntax; "d" is refused because
// business days are not 24 hours.
func ParseTrigger(s string) (Trigger, error) {
	text := strings.TrimSpace(s)
	fail := func(why string) (Trigger, error) {
		return Trigger{}, &TriggerError{Text: s, Msg: why}
	}
	switch {
	case text == "":
		return fail("empty; want 80%, breach, breach-30m, breach+2h, 20m or window-2h")
	case strings.HasSuffix(text, "%"):
		bp, ok := parseBasisPoints(strings.TrimSuffix(text, "%"))
		if !ok {
			return fail("want a percentage such as 80% or 12.5%, above 0% and at most 1000%")
		}
		return Trigger{Kind: Percent, BasisPoints: bp}, nil
	case text == "breach":
		return Trigger{Kind: Breach}, nil
	case strings.HasPrefix(text, "breach"):
		rest := text[len("breach"):]
		sign := rest[0]
		if sign != '+' && sign != '-' {
			return fail("want breach, breach-30m or breach+2h")
		}
		d, err := parseDuration(rest[1:])
		if err != nil {
			return fail(err.Error())
		}
		if sign == '-' {
			d = -d
		}
		return Trigger{Kind: Breach, Offset: d}, nil
	case strings.HasPrefix(text, "window"):
		rest := text[len("window"):]
		if rest == "" {
			return Trigger{Kind: Window}, nil
		}
		if rest[0] != '-' {
			return fail("want window-2h: a duration before the window closes")
		}
		d, err := parseDuration(rest[1:])
		if err != nil {
			return fail(err.Error())
		}
		return Trigger{Kind: Window, Offset: d}, nil
	}
	d, err := parseDuration(text)
	if err != nil {
		return fail(err.Error() + "; want 80%, breach, breach-30m, breach+2h, 20m or window-2h")
	}
	return Trigger{Kind: Elapsed, Offset: d}, nil
}

// parseDuration parses a positive Go duration, refusing days with a hint.
func parseDuration(s string) (time.Duration, error) {
	d, err := duration.Parse(s)
	if errors.Is(err, duration.ErrSyntax) {
		return 0, fmt.Errorf("bad duration %q: %w", s, err)
	}
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be positive", s)
	}
	return d, nil
}

// parseBasisPoints parses "80" or "12.5" (at most two decimals) into hundredths of a percent.
func parseBasisPoints(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1000 || strings.ContainsAny(whole, "+-") {
		return 0, false
	}
	var f int64
	if frac != "" {
		v, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || strings.ContainsAny(frac, "+-") {
			return 0, false
		}
		if len(frac) == 1 {
			v *= 10
		}
		f = v
	}
	bp := w*100 + f
	if bp <= 0 || bp > 100000 {
		return 0, false
	}
	return bp, true
}

// String returns the trigger in the syntax ParseTrigger reads.
func (t Trigger) String() string {
	switch t.Kind {
	case Percent:
		if t.BasisPoints%100 == 0 {
			return fmt.Sprintf("%d%%", t.BasisPoints/100)
		}
		return strings.TrimRight(fmt.Sprintf("%d.%02d", t.BasisPoints/100, t.BasisPoints%100), "0") + "%"
	case Breach:
		switch {
		case t.Offset > 0:
			return "breach+" + shortDuration(t.Offset)
		case t.Offset < 0:
			return "breach-" + shortDuration(-t.Offset)
		}
		return "breach"
	case Elapsed:
		return shortDuration(t.Offset)
	case Window:
		if t.Offset == 0 {
			return "window"
		}
		return "window-" + shortDuration(t.Offset)
	}
	return "invalid"
}

// shortDuration prints 2h0m0s as 2h and 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// threshold returns the elapsed business time at which t is reached on a clock with the given
// target, never below zero. It reports false for Window triggers, which are wall-clock.
func (t Trigger) threshold(target time.Duration) (time.Duration, bool) {
	return threshold.Of(uint8(t.Kind), t.BasisPoints, t.Offset, target)
}
