// Command slakit checks SLA policy documents, replays ticket histories
// against them, sums histories up into KPIs and answers business-time
// questions.
//
//	slakit check POLICY.yaml
//	slakit replay --policy P --events E.jsonl [--at RFC3339] [--format json|table]
//	slakit report --policy P --events E.jsonl [--at RFC3339] [--by priority,channel] [--bucket day|week] [--format json|table]
//	slakit deadline --policy P --calendar NAME --from RFC3339 --add 4h
//	slakit deadline --policy P --calendar NAME --between A B
//	slakit calendar --policy P --calendar NAME [--year Y] [--format table|json]
//
// Events files are JSON Lines, one sla.Event per line ("-" reads standard
// input). A malformed line is reported with its line number and skipped;
// the rest is still replayed. Unknown fields in an event are errors, so
// that a misspelt field is not silently ignored.
//
// Exit status: 0 when all is well, 1 when problems were found in the input
// (policy errors, malformed lines, events that could not be applied), 2 for
// usage errors. Every command has --help.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a command runs with: its arguments and streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	name, summary string
	run           func(e *env, args []string) int
}

var commands = []command{
	{"check", "check a policy document: every error as file:line:col, then warnings", runCheck},
	{"replay", "replay an events file against a policy: one result per ticket", runReplay},
	{"report", "sum an events file up into KPIs and goals", runReport},
	{"deadline", "add business time to an instant, or measure it between two", runDeadline},
	{"calendar", "show a calendar's weekly hours and the dates it closes in a year", runCalendar},
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "slakit: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "slakit: SLA policies for customer support, from the command line.")
	fmt.Fprintln(w, "\nUsage: slakit COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun slakit COMMAND --help for a command's flags.")
	fmt.Fprintln(w, "Exit status: 0 ok, 1 problems found in the input, 2 usage error.")
}

// newFlags returns a flag set that reports to stderr and prints the
// command's synopsis with --help.
func newFlags(e *env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("slakit "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: slakit %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses the flags, which may come before, between or after the
// arguments; fs.Args() then holds the arguments. It returns an exit status
// and false when the command must stop (help asked, or a usage error).
func parse(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	var pos []string
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK, false
		case err != nil:
			return exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	// Parse the collected arguments as the flag set's own (no flags left).
	_ = fs.Parse(append([]string{"--"}, pos...))
	return 0, true
}

// usageError reports a usage problem and returns the usage exit status.
func usageError(e *env, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "Run %s --help for usage.\n", fs.Name())
	return exitUsage
}

// open opens a named file, or standard input for "-".
func (e *env) open(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(e.stdin), nil
	}
	return os.Open(name)
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
