//go:build !unix

package policy_test

import "time"

var processStart = time.Now()

// cpuTime is the wall clock time since the tests started, where the
// processor time is not at hand.
func cpuTime() time.Duration { return time.Since(processStart) }
