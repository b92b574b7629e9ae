package sla_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slakit/slakit/sla"
)

// junkView returns a View with every field set to something no view of
// the tests has, its slices with room to spare.
func junkView(t *testing.T) sla.View {
	at := time.Date(1999, 1, 2, 3, 4, 5, 6, time.UTC)
	clock := sla.Clock{Metric: "junk", Cycle: 99, State: "junk", Start: at, Stop: at, Deadline: at, BreachedAt: at,
		Target: 1, Elapsed: 2, PausedTime: 3, Remaining: 4, Percent: 5, Paused: true, AfterWindow: true}
	var v sla.View
	rv := reflect.ValueOf(&v).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("junk")
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 16))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Struct:
			f.Set(reflect.ValueOf(at))
		default:
			t.Fatalf("View.%s: no junk for a %s", rv.Type().Field(i).Name, f.Kind())
		}
	}
	v.Clocks[0] = clock
	v.OLAs[0] = sla.OLAClock{OLA: "junk", Team: "junk", Clock: clock}
	v.Escalations[0] = sla.Escalation{Ladder: "junk", Level: "junk", At: at}
	v.WhatsApp.ExpiredBeforeFirstResponse = true
	return v
}

// withoutEmpty is v with its empty slices nil: EvaluateInto keeps the
// storage of the slices it is given.
func withoutEmpty(v sla.View) sla.View {
	rv := reflect.ValueOf(&v).Elem()
	for i := range rv.NumField() {
		if f := rv.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return v
}

// EvaluateInto into a View that holds another view (every field set)
// describes the ticket as Evaluate does: it writes every field.
func TestEvaluateIntoOverwritesEveryField(t *testing.T) {
	e := mustEngine(t, genConfig(t))
	rng := rand.New(rand.NewPCG(19, 13))
	var zero sla.State // no ticket yet: no priority, no clocks
	v := junkView(t)
	at := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	e.EvaluateInto(&v, &zero, at)
	require.Equal(t, withoutEmpty(e.Evaluate(zero, at)), withoutEmpty(v), "a state without events")
	views := 0
	for i := range 30 {
		b := make([]byte, 64+rng.IntN(400))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		st := sla.State{}
		for k, ev := range genEvents(&byteSource{b: b}, 1, 60) {
			next, err := e.Apply(st, ev)
			if err != nil {
				continue
			}
			st = next
			at := ev.At.Add(time.Duration(rng.IntN(300)) * time.Minute)
			v := junkView(t)
			e.EvaluateInto(&v, &st, at)
			require.Equal(t, withoutEmpty(e.Evaluate(st, at)), withoutEmpty(v), "history %d, event %d", i, k)
			views++
		}
	}
	require.Greater(t, views, 500)
}
