package policy_test

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/policy"
	"github.com/slakit/slakit/slatest"
)

// The -update flag, which slatest.GoldenBytes honours, rewrites the golden files.
var _ = flag.Bool("update", false, "rewrite the golden files")

// TestBrokenGolden loads a file with many mistakes and compares the whole
// error list, as `slakit check` prints it, with broken.golden.
func TestBrokenGolden(t *testing.T) {
	const file, golden = "testdata/policies/broken.yaml", "../testdata/policies/broken.golden"
	src, err := os.ReadFile("../" + file)
	require.NoError(t, err)
	_, err = policy.Load(file, src)
	require.Error(t, err)
	list, ok := err.(policy.ErrorList)
	require.True(t, ok, "LoadFile error %T is not an ErrorList", err)
	slatest.GoldenBytes(t, golden, []byte(list.String()))
}

func TestWarnings(t *testing.T) {
	doc := `version: 1
slas:
  - name: catch-all
    escalation: used
    targets:
      urgent: {first_response: 1h, next_response: 9h, resolution: 8h}
      high: {first_response: 2h}
      normal: {first_response: 4h}
      low: {first_response: 8h}
  - name: vip
    when: 'ticket.customer.tier == "vip"'
    targets:
      urgent: {first_response: 5m}
  - name: empty
    when: 'true'
escalations:
  unused:
    - {name: a, at: breach, actions: [{notify: x}]}
  used:
    - {name: b, metric: periodic_update, at: breach, actions: [{notify: x}]}
    - {name: c, metric: first_response, at: breach, actions: [{notify: x}]}
    - {name: d, at: window-2h, actions: [{notify: x}]}
    - {name: e, at: breach+1h, actions: [{notify: x}]}
`
	s, err := policy.Load("w.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, `w.yaml:6:51: slas[0].targets.urgent.next_response: next_response target 9h0m0s is longer than the resolution target 8h0m0s
w.yaml:10:11: slas[1]: policy "vip" can never apply: policy "catch-all" above it has no when and matches every ticket
w.yaml:12:5: slas[1].targets: no targets for priority high, normal, low: tickets of that priority get no clocks under this policy
w.yaml:14:11: slas[2]: policy "empty" can never apply: policy "catch-all" above it has no when and matches every ticket
w.yaml:14:11: slas[2]: policy "empty" has no targets: it runs no clocks
w.yaml:18:7: escalations.unused: ladder "unused" is used by no policy: its levels never fire
w.yaml:20:7: escalations.used[0]: level can never fire: no policy using ladder "used" has a target for periodic_update
`, s.Warnings().String())
	for _, w := range s.Warnings() {
		assert.NoError(t, w.Err, "a warning wraps no sentinel")
	}
}
