package policy

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
)

// The expression functions keys and values. expr-lang's builtins list a
// map in Go's map order, which changes from run to run:
// keys(ticket.fields)[0] == "plan" was true or false at random. These
// list it in the order of its keys (text sorted byte by byte), so the
// same ticket gives the same answer.

// sortedBuiltin replaces the function of an expr-lang builtin, keeping its
// checks of the arguments (and so its error messages).
func sortedBuiltin(name string, fn func(args ...any) (any, error)) expr.Option {
	return func(c *conf.Config) {
		f := *builtin.Builtins[builtin.Index[name]]
		f.Func, f.Fast, f.Safe = fn, nil, nil
		c.Functions[name] = &f
	}
}

// sortedKeys returns the keys of a map in order: strings byte by byte,
// other keys (none in the data; a map literal's could be numbers) by
// their printed form.
func sortedKeys(args ...any) ([]reflect.Value, reflect.Value, error) {
	if len(args) != 1 {
		return nil, reflect.Value{}, fmt.Errorf("invalid number of arguments (expected 1, got %d)", len(args))
	}
	v := reflect.ValueOf(args[0])
	if v.Kind() != reflect.Map {
		return nil, v, fmt.Errorf("cannot get keys from %s", v.Kind())
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		if a.Kind() == reflect.String && b.Kind() == reflect.String {
			return cmp.Compare(a.String(), b.String())
		}
		return cmp.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
	})
	return keys, v, nil
}

func callKeys(args ...any) (any, error) {
	keys, _, err := sortedKeys(args...)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k.Interface()
	}
	return out, nil
}

func callValues(args ...any) (any, error) {
	keys, v, err := sortedKeys(args...)
	if err != nil {
		if v.Kind() != reflect.Map {
			err = fmt.Errorf("cannot get values from %s", v.Kind())
		}
		return nil, err
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = v.MapIndex(k).Interface()
	}
	return out, nil
}
