//go:build race

package calendar_test

// raceEnabled scales the randomised tests down under the race detector, which slows them ten
// times.
const raceEnabled = true
