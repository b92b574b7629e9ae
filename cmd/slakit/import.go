package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/importer/chatwoot"
	"github.com/slakit/slakit/importer/servicenow"
	"github.com/slakit/slakit/importer/zendesk"
	"github.com/slakit/slakit/sla"
)

// importSource opens the reader of one helpdesk: its events, and the
// number of records it read once they are consumed.
type importSource func(zone *time.Location, inputs []importer.Input) (iter.Seq2[sla.Event, error], func() int)

var importSources = map[string]importSource{
	"servicenow": func(zone *time.Location, inputs []importer.Input) (iter.Seq2[sla.Event, error], func() int) {
		r := &servicenow.Reader{Zone: zone}
		return r.Events(inputs...), r.Records
	},
	"zendesk": func(_ *time.Location, inputs []importer.Input) (iter.Seq2[sla.Event, error], func() int) {
		r := &zendesk.Reader{}
		return r.Events(inputs...), r.Records
	},
	"chatwoot": func(_ *time.Location, inputs []importer.Input) (iter.Seq2[sla.Event, error], func() int) {
		r := &chatwoot.Reader{}
		return r.Events(inputs...), r.Records
	},
}

const importSourceNames = "servicenow, zendesk or chatwoot"

func runImport(e *env, args []string) int {
	fs := newFlags(e, "import", "import SOURCE FILE... [--zone IANA]",
		"Converts a helpdesk's export into an events file: JSON Lines on standard output, one\n"+
			"event per line, ready for slakit replay and report. SOURCE is "+importSourceNames+".\n"+
			"Several files are read as one export (\"-\" reads standard input). Every problem in\n"+
			"the input is printed to standard error with its file, line or record, and the import\n"+
			"goes on; a summary ends standard error. The exit status is 1 when there were problems.\n"+
			"The mapping and every decision on odd data: docs/import.md.")
	zone := fs.String("zone", "", "IANA zone of the written instants and of naive input dates such as ServiceNow's (default UTC)")
	if st, ok := parse(e, fs, args); !ok {
		return st
	}
	if fs.NArg() < 2 {
		return usageError(e, fs, "want a source and at least one file")
	}
	src, ok := importSources[fs.Arg(0)]
	if !ok {
		return usageError(e, fs, "unknown source %q: want %s", fs.Arg(0), importSourceNames)
	}
	loc := time.UTC
	if *zone != "" {
		l, err := time.LoadLocation(*zone)
		if err != nil || *zone == "Local" {
			return usageError(e, fs, "--zone %q: want an IANA zone such as America/Sao_Paulo", *zone)
		}
		loc = l
	}
	stdins := 0
	for _, name := range fs.Args()[1:] {
		if name == "-" {
			stdins++
		}
	}
	if stdins > 1 {
		return usageError(e, fs, "- (standard input) given %d times: it can be read only once", stdins)
	}
	var inputs []importer.Input
	for _, name := range fs.Args()[1:] {
		r, err := e.open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: %v\n", err)
			return exitProblem
		}
		defer r.Close()
		if name == "-" {
			name = "<stdin>"
		}
		inputs = append(inputs, importer.Input{Name: name, R: r})
	}
	events, records := src(loc, inputs)
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	var sum importer.Summary
	for ev, err := range events {
		sum.Add(ev, err)
		if err != nil {
			fmt.Fprintf(e.stderr, "%v\n", err)
			continue
		}
		ev.At = ev.At.In(loc)
		b, err := json.Marshal(ev)
		if err != nil {
			fmt.Fprintf(e.stderr, "slakit: ticket %q: %v\n", ev.TicketID, err)
			return exitProblem
		}
		w.Write(b)
		w.WriteByte('\n')
		if e.outputFailed() {
			break // the rest would be lost: the flush below reports the error
		}
	}
	if err := w.Flush(); err != nil {
		return e.writeError(err)
	}
	sum.Records = records()
	fmt.Fprintf(e.stderr, "slakit import %s: %s\n", fs.Arg(0), strings.TrimSpace(sum.String()))
	if sum.ProblemCount() > 0 {
		return exitProblem
	}
	return exitOK
}
