package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const importData = "../../testdata/import/"

func TestImport(t *testing.T) {
	edgeGolden, err := os.ReadFile(importData + "servicenow/edge.golden.jsonl")
	require.NoError(t, err)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string // whole stdout when want is set
		want  bool
		err   string // substring of stderr
	}{
		{name: "servicenow edge cases", args: []string{"import", "servicenow", importData + "servicenow/edge.csv", "--zone", "America/Sao_Paulo"},
			code: exitProblem, out: string(edgeGolden), want: true,
			err: "slakit import servicenow: 19 records, 4 tickets, 21 events, 9 problems (after_closed 1, bad_value 2, before_opening 1, cut 2, malformed 2, out_of_order 1)\n"},
		{name: "servicenow from stdin, UTC", stdin: "number,incident_state,sys_updated_at\nINC1,New,01-03-2026 10:00\n",
			args: []string{"import", "servicenow", "-"}, code: exitOK, want: true,
			out: `{"ticket":"INC1","at":"2026-03-01T10:00:00Z","type":"created","status":"new"}` + "\n",
			err: "1 record, 1 ticket, 1 event, 0 problems\n"},
		{name: "problem names stdin", stdin: "number\n", args: []string{"import", "servicenow", "-"}, code: exitProblem,
			err: "<stdin>:1: malformed: header: no column incident_state, sys_updated_at"},
		{name: "zendesk pages", args: []string{"import", "zendesk", importData + "zendesk/audits-101-page1.json", importData + "zendesk/audits-101-page2.json"},
			code: exitProblem, out: `{"ticket":"101","at":"2026-03-02T12:05:00Z","type":"created","channel":"whatsapp"`,
			err: "slakit import zendesk: 9 records, 1 ticket, 13 events, 2 problems (after_closed 1, malformed 1)\n"},
		{name: "chatwoot conversation", args: []string{"import", "chatwoot", importData + "chatwoot/conversation-47.json"},
			code: exitOK, out: `{"ticket":"47","at":"2026-03-05T08:00:00Z","type":"created","channel":"email","status":"open","customer":{"id":"14"},"author":"agent"}`,
			err: "slakit import chatwoot: 5 records, 1 ticket, 5 events, 0 problems\n"},
		{name: "no file", args: []string{"import", "servicenow"}, code: exitUsage, err: "want a source and at least one file"},
		{name: "unknown source", args: []string{"import", "freshdesk", "x"}, code: exitUsage, err: `unknown source "freshdesk"`},
		{name: "bad zone", args: []string{"import", "servicenow", "x", "--zone", "Mars/Olympus"}, code: exitUsage, err: `--zone "Mars/Olympus"`},
		{name: "missing file", args: []string{"import", "servicenow", "nope.csv"}, code: exitProblem, err: "nope.csv"},
		{name: "help", args: []string{"import", "--help"}, code: exitOK, out: "Usage: slakit import SOURCE FILE..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code, "stderr: %s", errOut)
			if tt.want {
				assert.Equal(t, tt.out, out)
			} else {
				assert.Contains(t, out, tt.out)
			}
			assert.Contains(t, errOut, tt.err)
		})
	}
}
