package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// usage prints the list of commands. Each command's own help is printed
// by the command itself (slakit help CMD runs CMD --help).
func usage(w io.Writer) {
	fmt.Fprintln(w, "slakit: SLA policies for customer support, from the command line.")
	fmt.Fprintln(w, "\nUsage: slakit COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun slakit help COMMAND (or slakit COMMAND --help) for a command's flags;")
	fmt.Fprintln(w, "slakit --version for the version.")
	fmt.Fprintln(w, "Exit status: 0 ok, 1 problems found in the input (or the output could not be written),")
	fmt.Fprintln(w, "2 usage error.")
}

// runHelp prints the usage, or a command's help.
func runHelp(e *env, args []string) int {
	switch len(args) {
	case 0:
		usage(e.stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			return c.run(e, []string{"--help"})
		}
		fmt.Fprintf(e.stderr, "slakit help: unknown command %q\n", args[0])
	default:
		fmt.Fprintf(e.stderr, "slakit help: want one command, got %d arguments\n", len(args))
	}
	fmt.Fprintf(e.stderr, "Commands: %s.\n", strings.Join(commandNames(), ", "))
	return exitUsage
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// version returns the version line: the module version the binary was
// built from (go install ...@v1.2.0 gives v1.2.0), or "(devel)" for a
// build inside the repository, with the commit when Go recorded one.
func version(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "slakit (devel)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	var notes []string
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		notes = append(notes, fmt.Sprintf("commit %.12s%s", rev, modified))
	}
	if info.GoVersion != "" {
		notes = append(notes, info.GoVersion)
	}
	if len(notes) == 0 {
		return "slakit " + v
	}
	return fmt.Sprintf("slakit %s (%s)", v, strings.Join(notes, ", "))
}

// plural returns "1 error", "2 errors": n with the singular or the plural.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
