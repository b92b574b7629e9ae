package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// eventFields is Event without its methods, so that the JSON codec of
// Event can reuse the struct tags without recursing.
type eventFields Event

// UnmarshalJSON decodes one event of the events format. Unknown keys are
// errors. Two payloads take more than one JSON form: "tier" is a string or
// a number (2 becomes "2"), and "team": "" on an assign event sets
// ClearTeam.
func (ev *Event) UnmarshalJSON(b []byte) error {
	var w struct {
		*eventFields
		Team *string         `json:"team"`
		Tier json.RawMessage `json:"tier"`
	}
	*ev = Event{}
	w.eventFields = (*eventFields)(ev)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return err
	}
	if w.Team != nil {
		ev.Team = *w.Team
		ev.ClearTeam = ev.Type == EventAssign && *w.Team == ""
	}
	tier, err := decodeTier(w.Tier)
	if err != nil {
		return err
	}
	ev.Tier = tier
	return nil
}

// decodeTier reads the tier of an escalated event: absent, null, a string
// or a number (kept as written: 2 is "2").
func decodeTier(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", err
		}
		return n.String(), nil
	}
	return "", fmt.Errorf("tier: want a string or a number, got %s", raw)
}

// MarshalJSON encodes the event in the events format; ClearTeam is written
// as "team": "".
func (ev Event) MarshalJSON() ([]byte, error) {
	var w struct {
		*eventFields
		Team *string `json:"team,omitempty"`
	}
	w.eventFields = (*eventFields)(&ev)
	if ev.Team != "" || (ev.ClearTeam && ev.Type == EventAssign) {
		w.Team = &ev.Team
	}
	return json.Marshal(w)
}
