// Command slakit-sample writes a seeded, realistic ticket history as JSON
// Lines in the events file format (docs/events.md): WhatsApp tickets of a São
// Paulo desk and email tickets of a Berlin desk, interleaved in time
// order. See package internal/sample for what the history holds.
//
// Usage:
//
//	slakit-sample [-seed N] [-tickets N] [-start YYYY-MM-DD] [-weeks N] [-o FILE]
//
// The defaults reproduce testdata/history/sample.jsonl:
//
//	go run ./cmd/slakit-sample -o testdata/history/sample.jsonl
//
// and a history of about a million events, for benchmarks:
//
//	go run ./cmd/slakit-sample -tickets 160000 -weeks 26 -o /tmp/big.jsonl
//
// The same flags always give the same bytes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slakit/slakit/internal/sample"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with its arguments and outputs; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer) int {
	d := sample.Default()
	fs := flag.NewFlagSet("slakit-sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", d.Seed, "seed of the PCG generator")
	tickets := fs.Int("tickets", d.Tickets, "number of tickets created in the period")
	start := fs.String("start", d.Start.Format(time.DateOnly), "first day of the period (YYYY-MM-DD or RFC 3339; only the date counts)")
	weeks := fs.Int("weeks", d.Weeks, "length of the period in weeks")
	out := fs.String("o", "-", "output file (- for standard output)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slakit-sample [-seed N] [-tickets N] [-start YYYY-MM-DD] [-weeks N] [-o FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "slakit-sample: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	st, err := time.Parse(time.DateOnly, *start)
	if err != nil {
		st, err = time.Parse(time.RFC3339, *start)
	}
	if err != nil {
		fmt.Fprintf(stderr, "slakit-sample: -start %q: want YYYY-MM-DD or RFC 3339\n", *start)
		return 2
	}
	if *tickets <= 0 || *weeks <= 0 {
		fmt.Fprintln(stderr, "slakit-sample: -tickets and -weeks must be positive")
		return 2
	}
	o := sample.Options{Seed: *seed, Tickets: *tickets, Start: st, Weeks: *weeks}

	w := stdout
	var f *os.File
	if *out != "-" {
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(stderr, "slakit-sample:", err)
			return 1
		}
		w = f
	}
	n, err := sample.Write(w, o)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "slakit-sample:", err)
		return 1
	}
	if f != nil {
		fmt.Fprintf(stderr, "slakit-sample: %d events of %d tickets written to %s\n", n, *tickets, *out)
	}
	return 0
}
