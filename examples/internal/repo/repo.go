// Package repo finds the repository root for the examples, so that go run
// works from anywhere inside the repository.
package repo

import (
	"os"
	"path/filepath"
)

// Policy is the reference policy, relative to the root.
const Policy = "testdata/policies/multidesk.yaml"

// Root returns the nearest directory, from the current one up, that holds
// the reference policy; "." when none does.
func Root() string {
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(d, Policy)); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return "."
		}
		d = up
	}
}
