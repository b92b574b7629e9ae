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
			"without targets, ladder levels that can never fire) are printed the same way with\n"+
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
	fmt.Fprintf(e.stdout, "%s: ok: %d calendars, %d rules, %d SLA policies, %d escalation ladders, %d KPI goals\n",
		filepath.Base(fs.Arg(0)), len(set.Calendars()), len(set.Rules()), len(set.Config().Policies),
		len(set.Ladders()), len(set.KPI().Goals))
	return exitOK
}

// loadPolicy loads a policy document, printing every error to stderr.
func loadPolicy(e *env, name string) (*policy.Set, bool) {
	var set *policy.Set
	var err error
	if name == "-" {
		set, err = policy.LoadReader("<stdin>", e.stdin)
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
		fmt.Fprintf(e.stderr, "%s: %d errors\n", name, len(list))
	} else {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
	}
	return nil, false
}
