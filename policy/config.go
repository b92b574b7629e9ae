package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/slakit/slakit/escalation"
	"github.com/slakit/slakit/sla"
)

// The rules of an engine configuration (reopen modes, pause statuses,
// custom metric names, targets, priorities, ladders, OLAs, ...) are
// sla.NewEngine's: the sections read the values, check what only the
// document knows (YAML shapes and types, unknown keys, the names of
// calendars and ladders), and record where each value came from under the
// field path sla gives it ("policies[1].reopen"). engineErrors places
// NewEngine's errors there.

// mark records that the value sla knows at path (a sla.ConfigError field)
// is at n, field in the document.
func (c *compiler) mark(path string, n *node, field string) {
	c.at[path] = loc{n, field}
}

// engineErrors builds an engine from what the document gave, and reports
// its configuration errors at the places the sections marked. An error at
// a field that already has an error, or inside or around it, is the same
// problem seen again (from the Go side, or from the enclosing setting, as
// "no targets" after a target of an undefined priority): it is dropped.
func (c *compiler) engineErrors(root *node) {
	cfg := c.set.Config()
	cfg.Priorities = c.rawPrios
	// A ladder with errors was not built; stand in an empty one, so that a
	// policy using it is not told that it does not exist.
	for name := range c.ladderKeys {
		if cfg.Ladders[name] == nil {
			cfg.Ladders[name] = &escalation.Ladder{}
		}
	}
	_, err := sla.NewEngine(cfg)
	for _, e := range joined(err) {
		var ce *sla.ConfigError
		if !errors.As(e, &ce) {
			c.errf(root, "", ErrValue, "%v", e)
			continue
		}
		l := c.place(ce.Field, root)
		if erredNear(c.errs, l.field) {
			continue
		}
		sentinel, msg := ErrValue, ce.Msg
		switch {
		case errors.Is(ce, sla.ErrUndefined):
			sentinel = ErrUndefined
		case errors.Is(ce, sla.ErrDuplicate):
			sentinel = ErrDuplicate
			msg += c.duplicateOf(ce.Field, l.node)
		}
		c.errf(l.node, l.field, sentinel, "%s", msg)
	}
}

// duplicateOf returns " (first at line N)" for a policy or OLA name
// (policies[i].name, olas[i].name at n) defined twice.
func (c *compiler) duplicateOf(path string, n *node) string {
	if !strings.HasSuffix(path, ".name") || n == nil {
		return ""
	}
	switch {
	case strings.HasPrefix(path, "policies["):
		return c.firstLine("policy", n.Value)
	case strings.HasPrefix(path, "olas["):
		return c.firstLine("OLA", n.Value)
	}
	return ""
}

// place returns where the value at path is: the marked place of path or
// of its closest marked parent; the document's root when none is marked.
func (c *compiler) place(path string, root *node) loc {
	var i int
	if _, err := fmt.Sscanf(path, "priorities[%d]", &i); err == nil && i >= 0 && i < len(c.prioNodes) {
		return c.prioNodes[i]
	}
	for p := path; p != ""; {
		if l, ok := c.at[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return loc{root, path}
}
