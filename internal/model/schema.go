package model

import (
	"reflect"
	"strconv"
	"strings"
)

// Schema returns a JSON Schema (draft 2020-12) of cfngen.yaml, derived from
// the model's types and their yaml, desc, min, max and enum tags, so that it
// cannot drift from what Parse accepts.
func Schema() map[string]any {
	s := schemaOf(reflect.TypeOf(Backend{}))
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = "https://github.com/cfngen/cfngen/cfngen.schema.json"
	s["title"] = "cfngen.yaml"
	s["description"] = "The backend that cfngen renders into CloudFormation templates and parameter files. Every field is optional: missing fields keep their defaults."
	props := s["properties"].(map[string]any)
	tagsSchema(props["tags"].(map[string]any))
	env := schemaOf(reflect.TypeOf(Environment{}))
	env["description"] = "Settings of one environment; missing fields keep the preset (prod, or dev for other names)."
	props["environments"] = map[string]any{
		"type":          "object",
		"description":   "Environments served by the templates. An environment with a params section gets its own params files.",
		"minProperties": 1,
		"propertyNames": map[string]any{"pattern": EnvPattern.String()},
		"additionalProperties": map[string]any{
			"anyOf": []any{env, map[string]any{"type": "null"}},
		},
	}
	return s
}

func schemaOf(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := f.Tag.Get("yaml")
			if name == "" || name == "-" {
				continue
			}
			p := schemaOf(f.Type)
			if d := f.Tag.Get("desc"); d != "" {
				p["description"] = d
			}
			if v, err := strconv.Atoi(f.Tag.Get("min")); err == nil {
				p["minimum"] = v
			}
			if v, err := strconv.Atoi(f.Tag.Get("max")); err == nil {
				p["maximum"] = v
			}
			if e := f.Tag.Get("enum"); e != "" {
				var vals []any
				for _, s := range strings.Split(e, ",") {
					if f.Type.Kind() == reflect.Int {
						n, _ := strconv.Atoi(s)
						vals = append(vals, n)
					} else {
						vals = append(vals, s)
					}
				}
				p["enum"] = vals
			}
			if rule := schemaRules[t.Name()+"."+name]; rule != nil {
				rule(p)
			}
			props[name] = p
		}
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	default:
		return map[string]any{"type": "string"}
	}
}
