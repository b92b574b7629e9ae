package docs

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/slakit/slakit/policy"
)

const schemaFile = "docs/policy.schema.json"

// compileSchema compiles docs/policy.schema.json; the compiler checks it
// against the JSON Schema 2020-12 meta-schema.
func compileSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, schemaFile))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err, "%s is not JSON", schemaFile)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	const url = "https://raw.githubusercontent.com/slakit/slakit/main/docs/policy.schema.json"
	require.NoError(t, c.AddResource(url, doc))
	sch, err := c.Compile(url)
	require.NoError(t, err, "%s is not a valid JSON Schema", schemaFile)
	var tree map[string]any
	require.NoError(t, json.Unmarshal(raw, &tree))
	return sch, tree
}

// instance turns a YAML document into the JSON value an editor's YAML
// language server validates: YAML 1.2 scalars, string keys.
func instance(src []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// policyFiles returns every YAML file of the repository.
func policyFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			out = append(out, path)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// TestSchemaAcceptsValidPolicies checks the schema against every policy of
// the repository that slakit loads, and every whole policy document shown
// in README.md and docs/ (which must load). A policy slakit refuses is
// skipped: the schema checks keys and types, not references.
func TestSchemaAcceptsValidPolicies(t *testing.T) {
	sch, _ := compileSchema(t)
	valid := 0
	for _, path := range policyFiles(t) {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		if _, err := policy.Load(path, src); err != nil {
			continue
		}
		valid++
		inst, err := instance(src)
		require.NoError(t, err, path)
		assert.NoError(t, sch.Validate(inst), "%s: slakit loads it, the schema refuses it", path)
	}
	require.Positive(t, valid, "no policy in the repository loads")
	for _, b := range blocksOf(t, "yaml") {
		if !regexp.MustCompile(`(?m)^version:`).MatchString(b.code) {
			continue // a fragment
		}
		if _, err := policy.Load(b.String(), []byte(b.code)); err != nil {
			t.Errorf("%s: the policy shown does not load:\n%v", b, err.(policy.ErrorList).String())
			continue
		}
		inst, err := instance([]byte(b.code))
		require.NoError(t, err, b.String())
		assert.NoError(t, sch.Validate(inst), "%s: slakit loads the policy shown, the schema refuses it", b)
	}
}

// TestSchemaRejects checks documents that slakit refuses because of an
// unknown key or a wrong type: the schema must refuse them as well, so an
// editor flags them while they are typed.
func TestSchemaRejects(t *testing.T) {
	sch, _ := compileSchema(t)
	tests := []struct{ name, doc string }{
		{"no version", "slas: []"},
		{"version as a string", `version: "1"`},
		{"version 2", "version: 2"},
		{"unknown top-level key", "version: 1\nslaz: []"},
		{"calendar without timezone", "version: 1\ncalendars: {c: {hours: {mon: [\"09:00-17:00\"]}}}"},
		{"calendar hours not a list", "version: 1\ncalendars: {c: {timezone: UTC, hours: {mon: \"09:00-17:00\"}}}"},
		{"calendar range malformed", "version: 1\ncalendars: {c: {timezone: UTC, hours: {mon: [\"9-17\"]}}}"},
		{"empty priorities", "version: 1\npriorities: []"},
		{"priorities twice", "version: 1\npriorities: [high, high]"},
		{"rule without name", "version: 1\nrules: [{set: {team: a}}]"},
		{"rule without set", "version: 1\nrules: [{name: r}]"},
		{"rule on an unknown event type", "version: 1\nrules: [{name: r, on: [mesage], set: {team: a}}]"},
		{"rule stop as a string", "version: 1\nrules: [{name: r, stop: \"yes\"}]"},
		{"rule set unknown key", "version: 1\nrules: [{name: r, set: {tagz: [a]}}]"},
		{"sla target as a number", "version: 1\nslas: [{name: p, targets: {normal: {resolution: 15}}}]"},
		{"sla target in days", "version: 1\nslas: [{name: p, targets: {normal: {resolution: 3d}}}]"},
		{"sla target negative", "version: 1\nslas: [{name: p, targets: {normal: {resolution: -1h}}}]"},
		{"sla reopen", "version: 1\nslas: [{name: p, reopen: sometimes}]"},
		{"sla pause_on solved", "version: 1\nslas: [{name: p, pause_on: [solved]}]"},
		{"sla unknown key", "version: 1\nslas: [{name: p, target: {}}]"},
		{"custom metric without stop", "version: 1\nslas: [{name: p, metrics: {m: {start: 'true'}}}]"},
		{"level at as a number", "version: 1\nescalations: {l: [{name: a, at: 80, actions: [{notify: x}]}]}"},
		{"level at in days", "version: 1\nescalations: {l: [{name: a, at: breach+2d, actions: [{notify: x}]}]}"},
		{"level without actions", "version: 1\nescalations: {l: [{name: a, at: 80%}]}"},
		{"unknown action", "version: 1\nescalations: {l: [{name: a, at: 80%, actions: [{page: x}]}]}"},
		{"action with two keys", "version: 1\nescalations: {l: [{name: a, at: 80%, actions: [{notify: x, assign: y}]}]}"},
		{"whatsapp duration", "version: 1\nwhatsapp: {send_margin: soon}"},
		{"whatsapp unknown key", "version: 1\nwhatsapp: {margin: 2m}"},
		{"fcr as a string", "version: 1\nkpis: {fcr: {max_agent_replies: one}}"},
		{"fcr zero", "version: 1\nkpis: {fcr: {max_agent_replies: 0}}"},
		{"goal without operator", "version: 1\nkpis: {goals: {sla_compliance: \"95%\"}}"},
		{"goal unknown KPI", "version: 1\nkpis: {goals: {happiness: \">= 95%\"}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Load("test.yaml", []byte(tt.doc))
			require.Error(t, err, "slakit must refuse the case too:\n%s", tt.doc)
			inst, err := instance([]byte(tt.doc))
			require.NoError(t, err)
			assert.Error(t, sch.Validate(inst), "the schema accepts:\n%s", tt.doc)
		})
	}
}

// TestSchemaKeys checks that every mapping of the document with fixed keys
// has exactly the keys the loader knows: an unknown key makes the loader
// list them ("unknown key "zzz" (want a, b, c)"), and the schema's object
// at that place must have the same properties and refuse the unknown key.
func TestSchemaKeys(t *testing.T) {
	sch, tree := compileSchema(t)
	tests := []struct {
		name string
		doc  string
		path []string // to the schema object, from the root
	}{
		{"document", "version: 1\nzzz: 1", nil},
		{"calendar", "version: 1\ncalendars: {c: {timezone: UTC, zzz: 1}}", []string{"$defs", "calendar"}},
		{"rule", "version: 1\nrules: [{name: r, set: {team: a}, zzz: 1}]", []string{"$defs", "rule"}},
		{"rule set", "version: 1\nrules: [{name: r, set: {zzz: 1}}]", []string{"$defs", "ruleSet"}},
		{"SLA policy", "version: 1\nslas: [{name: p, zzz: 1}]", []string{"$defs", "sla"}},
		{"SLA validity", "version: 1\nslas: [{name: p, valid: {zzz: 1}}]", []string{"$defs", "sla", "properties", "valid"}},
		{"SLA calendar per ticket", "version: 1\nslas: [{name: p, calendar: {zzz: 1}}]", []string{"$defs", "calendarBy"}},
		{"OLA", "version: 1\nolas: [{name: o, team: b, targets: {normal: {time_to_own: 1h}}, zzz: 1}]", []string{"$defs", "ola"}},
		{"custom metric", "version: 1\nslas: [{name: p, metrics: {m: {start: 'true', stop: 'true', zzz: 1}}}]", []string{"$defs", "customMetric"}},
		{"level", "version: 1\nescalations: {l: [{name: a, at: 80%, actions: [{notify: x}], zzz: 1}]}", []string{"$defs", "level"}},
		{"action", "version: 1\nescalations: {l: [{name: a, at: 80%, actions: [{zzz: x}]}]}", []string{"$defs", "action"}},
		{"whatsapp", "version: 1\nwhatsapp: {zzz: 1}", []string{"$defs", "whatsapp"}},
		{"kpis", "version: 1\nkpis: {zzz: 1}", []string{"$defs", "kpis"}},
		{"kpis.fcr", "version: 1\nkpis: {fcr: {zzz: 1}}", []string{"$defs", "kpis", "properties", "fcr"}},
	}
	want := regexp.MustCompile(`"zzz" \(want ([a-z_, ]+)\)`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Load("test.yaml", []byte(tt.doc))
			var list policy.ErrorList
			require.True(t, errors.As(err, &list), "Load(%q) = %v, want an unknown key error", tt.doc, err)
			m := want.FindStringSubmatch(list.String())
			require.NotNil(t, m, "Load(%q) errors name no known keys:\n%s", tt.doc, list.String())
			loader := strings.Split(m[1], ", ")
			slices.Sort(loader)

			node := tree
			for _, k := range tt.path {
				next, ok := node[k].(map[string]any)
				require.True(t, ok, "%s has no %v", schemaFile, tt.path)
				node = next
			}
			props, _ := node["properties"].(map[string]any)
			var schema []string
			for k := range props {
				schema = append(schema, k)
			}
			slices.Sort(schema)
			assert.Equal(t, loader, schema, "keys of %s: the loader's (want) and %s %v properties differ", tt.name, schemaFile, tt.path)
			assert.Equal(t, false, node["additionalProperties"], "%s %v must refuse unknown keys", schemaFile, tt.path)

			inst, err := instance([]byte(tt.doc))
			require.NoError(t, err)
			assert.Error(t, sch.Validate(inst), "the schema accepts the unknown key zzz:\n%s", tt.doc)
		})
	}
}
