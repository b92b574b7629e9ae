package sla

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPolicyReads checks what choosing the policy again reads: the
// priority always, a declared When or CalendarBy what it declares, an
// undeclared one any attribute, and an absent one nothing.
func TestPolicyReads(t *testing.T) {
	when := func(*Ticket) (bool, error) { return true, nil }
	by := func(*Ticket) (string, error) { return "", nil }
	tests := []struct {
		name string
		ps   []Policy
		want Attrs
	}{
		{"none", nil, AttrPriority},
		{"no conditions", []Policy{{Name: "a"}}, AttrPriority},
		{"undeclared when", []Policy{{Name: "a", When: when}}, AttrAll},
		{"declared when", []Policy{{Name: "a", When: when, WhenReads: AttrTeam}}, AttrPriority | AttrTeam},
		{"declared without when", []Policy{{Name: "a", WhenReads: AttrTeam}}, AttrPriority},
		{"undeclared calendar by", []Policy{{Name: "a", When: when, WhenReads: AttrFixed, CalendarBy: by}}, AttrAll},
		{"two policies", []Policy{
			{Name: "a", When: when, WhenReads: AttrStatus},
			{Name: "b", CalendarBy: by, CalendarByReads: AttrTags | AttrFixed},
		}, AttrPriority | AttrStatus | AttrTags | AttrFixed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, policyReads(tt.ps))
		})
	}
}
