//go:build !unix

package kpi_test

// cpuNanos is not measured on this system.
func cpuNanos() int64 { return 0 }
