package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// ID is an identifier written as a JSON number or string (Zendesk and
// Chatwoot ids are numbers; exports sometimes quote them). null is "".
type ID string

// UnmarshalJSON accepts a number, a string or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	s, null, err := Scalar(b)
	switch {
	case err != nil:
		return fmt.Errorf("id: %w", err)
	case null:
		*id = ""
	default:
		*id = ID(s)
	}
	return nil
}

// Time is an instant written as an RFC 3339 string or as a number of
// seconds since 1970 (Chatwoot's created_at, Zendesk's timestamp). null is
// the zero Time.
type Time struct{ time.Time }

// UnmarshalJSON accepts an RFC 3339 string, a number of seconds or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	t.Time = time.Time{}
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("instant %q: want RFC 3339 such as 2026-03-02T09:05:00Z", s)
		}
		t.Time = v
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("instant %.40s: want an RFC 3339 string or seconds since 1970", bytes.Join(bytes.Fields(b), nil))
	}
	if math.IsNaN(f) || f < 0 || f > 32503680000 { // 3000-01-01
		return fmt.Errorf("instant %s: seconds outside the years 1970 to 2999", b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// Scalar reads a JSON string, number or boolean as text (numbers as
// written) and reports null; arrays and objects are errors.
func Scalar(raw []byte) (s string, null bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true, nil
	}
	switch raw[0] {
	case '"':
		err = json.Unmarshal(raw, &s)
		return s, false, err
	case '[', '{':
		return "", false, fmt.Errorf("want a string or a number, got %.40s", raw)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", false, err
	}
	return strings.TrimSpace(string(raw)), false, nil
}

// Strings reads a list of strings: a JSON array of strings, or a string of
// words separated by spaces (how Zendesk sometimes writes tags). null is
// an empty list.
func Strings(raw []byte) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return strings.Fields(s), nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("want a list of strings, got %.40s", raw)
	}
	return list, nil
}

// Message describes a decoding error for a person: the member and what it
// should have been ("events: want a list, got string").
func Message(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := "a " + te.Type.Kind().String()
		switch te.Type.Kind() {
		case reflect.Slice, reflect.Array:
			want = "a list"
		case reflect.Struct, reflect.Map:
			want = "an object"
		case reflect.Int, reflect.Int64, reflect.Float64:
			want = "a number"
		case reflect.Bool:
			want = "true or false"
		}
		field := te.Field
		if field == "" {
			field = "record"
		}
		return fmt.Sprintf("%s: want %s, got %s", field, want, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// CompareIDs orders numeric ids by value ("9" before "10") and others as
// text.
func CompareIDs(a, b string) int {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// InRange reports whether t is in the years 1900 to 2999, the instants an
// event may have.
func InRange(t time.Time) bool { return t.Year() >= 1900 && t.Year() <= 2999 }
