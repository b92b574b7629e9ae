package importer_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slakit/slakit/importer"
	"github.com/slakit/slakit/sla"
)

func TestSummary(t *testing.T) {
	var s importer.Summary
	assert.Equal(t, "0 records, 0 tickets, 0 events, 0 problems", s.String(), "the zero value")
	s.Add(sla.Event{Type: sla.EventCreated}, nil)
	s.Add(sla.Event{Type: sla.EventMessage}, nil)
	s.Add(sla.Event{}, &importer.Problem{Kind: importer.KindCut})
	s.Add(sla.Event{}, &importer.Problem{Kind: importer.KindAfterClosed})
	s.Add(sla.Event{}, errors.New("read error"))
	s.Records = 4
	assert.Equal(t, 3, s.ProblemCount())
	assert.Equal(t, "4 records, 1 ticket, 2 events, 3 problems (after_closed 1, cut 1, malformed 1)", s.String())
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		p    importer.Problem
		want string
	}{
		{"csv", importer.Problem{File: "a.csv", Line: 3, Ticket: "INC1", Kind: importer.KindCut, Msg: "m"}, `a.csv:3: ticket "INC1": cut: m`},
		{"file only", importer.Problem{File: "a.json", Kind: importer.KindMalformed, Msg: "m"}, "a.json: malformed: m"},
		{"record", importer.Problem{File: "a.json", Line: 9, Record: "payload[2]", Kind: importer.KindDuplicate, Msg: "m"}, "a.json:9: payload[2]: duplicate: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.Error())
		})
	}
}
