//go:build unix

package policy_test

import (
	"syscall"
	"time"
)

// cpuTime is the processor time of the process so far: unlike the wall
// clock, it does not count the time other processes have the processor.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
