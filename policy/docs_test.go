package policy_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
)

// TestExpressionsDocExamples loads every when of docs/expressions.md's
// examples as a rule (or, with clock, as a level): the page shows only
// expressions that load.
func TestExpressionsDocExamples(t *testing.T) {
	src, err := os.ReadFile("../docs/expressions.md")
	require.NoError(t, err)
	whens := regexp.MustCompile(`(?m)^when: ('.*')$`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, whens, "no examples found in docs/expressions.md")
	for _, m := range whens {
		doc := "version: 1\ncalendars:\n  sp-support: {timezone: America/Sao_Paulo, hours: {mon-fri: [\"08:00-18:00\"]}}\n"
		if strings.Contains(m[1], "clock.") {
			doc += "escalations:\n  l:\n    - {name: a, at: breach, when: " + m[1] + ", actions: [{notify: x}]}\n"
		} else {
			doc += "rules:\n  - {name: a, when: " + m[1] + ", set: {tags: [x]}}\n"
		}
		_, err := policy.Load("doc.yaml", []byte(doc))
		require.NoError(t, err, "docs/expressions.md example %s", m[1])
	}
}
