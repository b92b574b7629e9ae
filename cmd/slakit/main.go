// Command slakit checks SLA policy documents, replays ticket histories
// against them, sums histories up into KPIs and reports, compares two
// policies, imports helpdesk exports and answers business-time questions.
//
//	slakit check POLICY.yaml
//	slakit replay --policy P --events E.jsonl [--at RFC3339] [--format json|table|csv] [--only breached|at_risk|errors] [--max-line BYTES]
//	slakit report --policy P --events E.jsonl [--at RFC3339] [--by priority,channel] [--bucket day|week|month] [--zone CALENDAR|IANA] [--format json|table|csv|html] [--max-line BYTES]
//	slakit compare --policy A.yaml --policy B.yaml --events E.jsonl [--at RFC3339] [--format table|json|html]
//	slakit deadline --policy P --calendar NAME --from INSTANT --add 4h [--format table|json]
//	slakit deadline --policy P --calendar NAME --between A B [--format table|json]
//	slakit import servicenow|zendesk|chatwoot FILE... [--zone IANA] > events.jsonl
//	slakit calendar --policy P --calendar NAME [--year Y] [--format table|json]
//	slakit help [COMMAND]
//	slakit --version
//
// Events files are JSON Lines, one sla.Event per line ("-" reads standard
// input), read with sla.ReadEvents: keys are exact, and an unknown or
// repeated key is an error, so that a misspelt field is not silently
// ignored. A malformed line (a blank one, or one over --max-line bytes,
// included) is reported on stderr as FILE:LINE:COL: message and skipped;
// so is an event of an unknown or closed ticket, with its line. The rest
// is still replayed, and each ticket has exactly one result.
// docs/cli.md and docs/events.md describe the commands and the format.
//
// Exit status: 0 when all is well, 1 when problems were found in the input
// (policy errors, malformed lines, events that could not be applied) or
// standard output could not be written, 2 for usage errors. Every command has --help (slakit help COMMAND);
// slakit --version prints the module version from the build information.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
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
	stdin  io.Reader
	stdout io.Writer // an *output in run: its first write error is reported once the command returns
	stderr io.Writer
}

// output is a command's standard output. It keeps the first write error,
// after which it writes nothing more and returns that error, so that a
// command need not check each write: run reports the error once the
// command returns. (A closed pipe never gets here: the Go runtime ends the
// process with SIGPIPE on EPIPE from standard output.)
type output struct {
	w   io.Writer
	err error
}

func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		o.err = err
	}
	return n, err
}

// outputFailed reports whether writing standard output has failed; run
// then reports the error, and a command may stop early.
func (e *env) outputFailed() bool {
	o, ok := e.stdout.(*output)
	return ok && o.err != nil
}

// writeError reports an error of a writer of the output (a template, a CSV
// writer, a buffer) and returns exit status 1. An error of standard output
// itself is left to run, which reports it once.
func (e *env) writeError(err error) int {
	if !e.outputFailed() {
		fmt.Fprintf(e.stderr, "slakit: %v\n", err)
	}
	return exitProblem
}

type command struct {
	name, summary string
	run           func(e *env, args []string) int
}

var commands = []command{
	{"check", "check a policy document: every error as file:line:col, then warnings", runCheck},
	{"replay", "replay an events file against a policy: one result per ticket", runReplay},
	{"report", "sum an events file up into KPIs and goals", runReport},
	{"compare", "replay an events file against two policies: KPIs side by side, verdicts that change", runCompare},
	{"deadline", "add business time to an instant, or measure it between two", runDeadline},
	{"import", "convert a ServiceNow, Zendesk or Chatwoot export into an events file", runImport},
	{"calendar", "show a calendar's weekly hours and the dates it closes in a year", runCalendar},
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := &output{w: stdout}
	e := &env{stdin: stdin, stdout: out, stderr: stderr}
	st := dispatch(e, args)
	if out.err != nil {
		name := "slakit"
		if len(args) > 0 && (args[0] == "help" || lookup(args[0]) != nil) {
			name += " " + args[0]
		}
		err := out.err
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // "write /dev/stdout: no space left on device": the file is standard output
		}
		fmt.Fprintf(stderr, "%s: write output: %v\n", name, err)
		if st == exitOK {
			st = exitProblem
		}
	}
	return st
}

// dispatch runs the command args[0] names, or prints the help or the version.
func dispatch(e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "help":
		return runHelp(e, args[1:])
	case "-version", "--version":
		fmt.Fprintln(stdout, version(debug.ReadBuildInfo()))
		return exitOK
	}
	if c := lookup(args[0]); c != nil {
		return c.run(e, args[1:])
	}
	fmt.Fprintf(stderr, "slakit: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// newFlags returns a flag set that reports to stderr and prints the
// command's synopsis with --help.
func newFlags(e *env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("slakit "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: slakit %s\n\n%s\n", synopsis, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(out, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses the flags, which may come before, between or after the
// arguments; fs.Args() then holds the arguments. It returns an exit status
// and false when the command must stop (help asked, or a usage error).
func parse(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	var pos []string
	help := fs.Usage
	fs.Usage = func() {} // printed once below: the help on stdout, or a hint after an error
	defer func() { fs.Usage = help }()
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fs.SetOutput(e.stdout)
			help()
			return exitOK, false
		case err != nil: // the flag package printed the error
			fmt.Fprintf(e.stderr, "Run slakit help %s for usage.\n", strings.TrimPrefix(fs.Name(), "slakit "))
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
	fmt.Fprintf(e.stderr, "Run slakit help %s for usage.\n", strings.TrimPrefix(fs.Name(), "slakit "))
	return exitUsage
}

// stdinTwice returns a usage problem when more than one of the inputs (a
// flag or argument name, then its value) is "-": standard input can be read
// only once. It returns "" when at most one is.
func stdinTwice(inputs ...[2]string) string {
	var names []string
	for _, in := range inputs {
		if in[1] == "-" {
			names = append(names, in[0])
		}
	}
	if len(names) < 2 {
		return ""
	}
	both := " both"
	if len(names) > 2 {
		both = " all"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + both +
		" read standard input (-), which can be read only once"
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
