package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/slakit/slakit/policy"
)

func runCheck(e *env, args []string) int {
	fs := newFlags(e, "check", "check POLICY.yaml",
		"Checks a policy document. Every error is printed as file:line:col: field: message\n"+
			"and the exit status is 1; warnings (a policy that can never match, priorities\n"+
			"without targets, ladder levels that can never fire, settings that cannot work\n"+
			"together) are printed the same way with\n"+
			"\"warning:\" and do not change the exit status. \"-\" reads standard input.")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	if fs.NArg() != 1 {
		return usageError(e, fs, "want one policy file, got %d arguments", fs.NArg())
	}
	set, ok := loadPolicy(e, fs.Arg(0))
	if !ok {
		return exitProblem
	}
	for _, w := range set.Warnings() {
		fmt.Fprintf(e.stderr, "%s:%d:%d: warning: %s: %s\n", w.File, w.Line, w.Col, w.Field, w.Msg)
	}
	olas := ""
	if n := len(set.OLAs()); n > 0 {
		olas = ", " + plural(n, "OLA", "OLAs")
	}
	name := filepath.Base(fs.Arg(0))
	if fs.Arg(0) == "-" {
		name = "<stdin>"
	}
	fmt.Fprintf(e.stdout, "%s: ok: %s, %s, %s%s, %s, %s\n", name,
		plural(len(set.Calendars()), "calendar", "calendars"), plural(len(set.Rules()), "rule", "rules"),
		plural(len(set.Config().Policies), "SLA policy", "SLA policies"), olas,
		plural(len(set.Ladders()), "escalation ladder", "escalation ladders"), plural(len(set.KPI().Goals), "KPI goal", "KPI goals"))
	return exitOK
}

// loadPolicy loads a policy document, printing every error to stderr.
func loadPolicy(e *env, name string) (*policy.Set, bool) {
	var set *policy.Set
	var err error
	if name == "-" {
		name = "<stdin>"
		set, err = policy.LoadReader(name, e.stdin)
	} else {
		set, err = policy.LoadFile(name)
	}
	if err == nil {
		return set, true
	}
	var list policy.ErrorList
	if errors.As(err, &list) {
		for _, x := range list {
			fmt.Fprintln(e.stderr, x)
		}
		fmt.Fprintf(e.stderr, "%s: %s\n", name, plural(len(list), "error", "errors"))
	} else {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
	}
	return nil, false
}
