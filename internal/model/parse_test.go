package model

import (
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// parseOK parses src and fails the test on any problem.
func parseOK(t *testing.T, src string) (Backend, Lines) {
	t.Helper()
	b, lines, err := Parse([]byte(src), "cfngen.yaml")
	if err != nil {
		t.Fatalf("Parse:\n%s\n%v", src, err)
	}
	return b, lines
}

func TestStarterParsesToDefault(t *testing.T) {
	b, lines := parseOK(t, string(Starter()))
	if err := b.Validate("cfngen.yaml", lines); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// The starter file writes a params section for the default environment
	// only: that environment, and no other, is Listed.
	for _, e := range b.Environments {
		if want := e.Name == b.DefaultEnvironment; e.Listed != want {
			t.Errorf("environment %s: Listed = %v, want %v", e.Name, e.Listed, want)
		}
	}
	for i := range b.Environments {
		b.Environments[i].Listed = false
	}
	// The starter file writes "tags: {}", which decodes to an empty map;
	// Default has none (nil). Both mean no tags.
	if len(b.Tags) == 0 {
		b.Tags = nil
	}
	if len(b.Suppressions) == 0 {
		b.Suppressions = nil
	}
	// The starter chooses the subnet order that the default leaves unset
	// (both orders agree for two zones).
	want := Default()
	want.Network.SubnetOrder = "stable"
	if !reflect.DeepEqual(b, want) {
		t.Errorf("Starter() does not parse to Default() with subnetOrder stable:\n got %+v\nwant %+v", b, want)
	}
}

func TestStarterIsCommented(t *testing.T) {
	s := string(Starter())
	for _, want := range []string{
		"# Secrets never go in this file",
		"environments:\n  dev:\n",
		"  prod:\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("starter file lacks %q", want)
		}
	}
	// Versions are quoted, so that YAML reads them as text.
	for _, key := range []string{"auroraEngineVersion", "postgresEngineVersion"} {
		if !regexp.MustCompile(`\n  ` + key + `: ('17\.9'|"17\.9")\n`).MatchString(s) {
			t.Errorf("starter file does not quote %s", key)
		}
	}
	if string(Starter()) != s {
		t.Error("Starter() is not stable")
	}
}

func TestPartialConfigKeepsDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		edit      func(b *Backend)
	}{
		{"azCount only", "network:\n  azCount: 3\n", func(b *Backend) { b.Network.AZCount = 3 }},
		{"nested WAF field", "edge:\n  waf:\n    rateLimit: 500\n", func(b *Backend) { b.Edge.WAF.RateLimit = 500 }},
		{"api cpu", "compute:\n  api:\n    cpu: 512\n", func(b *Backend) { b.Compute.Api.CPU = 512 }},
		{"bastion off", "bastion:\n  enabled: false\n", func(b *Backend) { b.Bastion.Enabled = false }},
		{"lists replace, not merge", "database:\n  acuRanges: [1-2, 1-4]\n", func(b *Backend) { b.Database.ACURanges = []string{"1-2", "1-4"} }},
		{"tags", "tags:\n  team: core\n", func(b *Backend) { b.Tags = map[string]string{"team": "core"} }},
		{"empty sections", "network: {}\nedge:\n  waf: {}\n", func(*Backend) {}},
		{
			"project description only", "project:\n  description: Shop backend\n",
			func(b *Backend) { b.Project.Description = "Shop backend" },
		},
		{
			// Unquoted 16.10 is a float in YAML; the string field gets the
			// scalar's text, not 16.1.
			"unquoted engine version", "database:\n  auroraEngineVersion: 16.10\n",
			func(b *Backend) { b.Database.AuroraEngineVersion = "16.10" },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := parseOK(t, tc.src)
			want := Default()
			tc.edit(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q):\n got %+v\nwant %+v", tc.src, got, want)
			}
		})
	}
}

func TestEnvironmentsOverPresets(t *testing.T) {
	b, _ := parseOK(t, `environments:
  dev:
  prod:
    maxTasks: 30
  qa:
    logRetentionDays: 7
    params:
      apiImageTag: v2
`)
	if got, want := b.EnvNames(), []string{"dev", "prod", "qa"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("EnvNames = %v, want %v (staging is dropped, the file's order is kept)", got, want)
	}

	prod, _ := b.Env("prod")
	want := Preset("prod")
	want.MaxTasks = 30
	want.Params.VPCName = "myapp-vpc"
	if !reflect.DeepEqual(prod, want) {
		t.Errorf("prod = %+v\nwant %+v", prod, want)
	}
	if !prod.NATPerAZ || !prod.MultiAZ || !prod.DeletionProtection || prod.MinInstances != 2 || prod.MaxInstances != 10 || prod.LogRetentionDays != 365 {
		t.Errorf("prod lost its preset: %+v", prod)
	}

	dev, _ := b.Env("dev")
	wantDev := Preset("dev")
	wantDev.Params.VPCName = "myapp-vpc"
	if !reflect.DeepEqual(dev, wantDev) {
		t.Errorf("dev = %+v\nwant %+v", dev, wantDev)
	}

	// A name without a preset of its own starts like dev.
	qa, _ := b.Env("qa")
	wantQA := Preset("dev")
	wantQA.Name, wantQA.Listed, wantQA.LogRetentionDays = "qa", true, 7
	wantQA.Params.ApiImageTag, wantQA.Params.VPCName = "v2", "myapp-vpc"
	if !reflect.DeepEqual(qa, wantQA) {
		t.Errorf("qa = %+v\nwant %+v", qa, wantQA)
	}
}

func TestEnvironmentParamsKeepPresetParams(t *testing.T) {
	b, _ := parseOK(t, "environments:\n  prod:\n    params:\n      enableSpot: true\n")
	prod, _ := b.Env("prod")
	want := Preset("prod").Params
	want.EnableSpot, want.VPCName = true, "myapp-vpc"
	if prod.Params != want {
		t.Errorf("prod params = %+v\nwant %+v", prod.Params, want)
	}
}

func TestListed(t *testing.T) {
	b, _ := parseOK(t, `environments:
  dev:
  staging:
    maxTasks: 5
  prod:
    params:
      apiImageTag: v2
  qa:
    params: {}
`)
	want := map[string]bool{"dev": false, "staging": false, "prod": true, "qa": true}
	for _, e := range b.Environments {
		if e.Listed != want[e.Name] {
			t.Errorf("%s: Listed = %v, want %v", e.Name, e.Listed, want[e.Name])
		}
	}
	if len(b.Environments) != len(want) {
		t.Errorf("environments %v", b.EnvNames())
	}
	// Without an environments section nothing is Listed.
	d, _ := parseOK(t, "network:\n  azCount: 2\n")
	for _, e := range d.Environments {
		if e.Listed {
			t.Errorf("%s is Listed without an environments section", e.Name)
		}
	}
}

func TestVPCNameFollowsProject(t *testing.T) {
	b, _ := parseOK(t, "project:\n  name: shop\nenvironments:\n  dev:\n  prod:\n    params:\n      vpcName: main\n")
	for name, want := range map[string]string{"dev": "shop-vpc", "prod": "main"} {
		if e, _ := b.Env(name); e.Params.VPCName != want {
			t.Errorf("%s: vpcName %q, want %q", name, e.Params.VPCName, want)
		}
	}
}

func TestLines(t *testing.T) {
	_, lines := parseOK(t, `project:
  name: shop
network:
  azCount: 3
database:
  acuRanges:
    - 0.5-2
    - 1-4
tags:
  team: core
environments:
  dev:
  prod:
    params:
      apiImageTag: v2
`)
	for path, want := range map[string]int{
		"project.name":                         2,
		"network.azCount":                      4,
		"database.acuRanges":                   7,
		"database.acuRanges[1]":                8,
		"tags.team":                            10,
		"environments":                         12,
		"environments.dev":                     12,
		"environments.prod.params.apiImageTag": 15,
	} {
		if got := lines[path]; got != want {
			t.Errorf("lines[%q] = %d, want %d", path, got, want)
		}
	}
}

func TestParseErrorsAreConfigErrors(t *testing.T) {
	_, _, err := Parse([]byte("network: [\n"), "a/b.yaml")
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("error %T %v", err, err)
	}
	if ce.File != "a/b.yaml" || len(ce.Problems) != 1 || ce.Problems[0].Message == "" {
		t.Errorf("ConfigError = %+v", ce)
	}
	if !strings.HasPrefix(err.Error(), "invalid config a/b.yaml:\n  ") {
		t.Errorf("Error() = %q", err.Error())
	}
}

// yamlKeys lists the yaml tags of t's fields, skipping "-".
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	sort.Strings(keys)
	return keys
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// schemaJSON returns Schema() through a JSON round trip, as editors see it.
func schemaJSON(t *testing.T) map[string]any {
	t.Helper()
	data, err := json.Marshal(Schema())
	if err != nil {
		t.Fatalf("Schema() does not encode: %v", err)
	}
	if !json.Valid(data) {
		t.Fatal("Schema() is not valid JSON")
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemaTopLevel(t *testing.T) {
	s := schemaJSON(t)
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" || s["type"] != "object" {
		t.Errorf("$schema %v, type %v", s["$schema"], s["type"])
	}
	if ap, ok := s["additionalProperties"].(bool); !ok || ap {
		t.Errorf("top-level additionalProperties = %v, want false", s["additionalProperties"])
	}
	props, _ := s["properties"].(map[string]any)
	got := sortedKeys(props)
	want := append(yamlKeys(reflect.TypeOf(Backend{})), "environments")
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema properties %v\nwant (yaml tags + environments) %v", got, want)
	}

	// Parse's own list of allowed keys, from its unknown-key message.
	_, _, err := Parse([]byte("zzz: 1\n"), "x")
	m := regexp.MustCompile(`unknown key \(allowed: ([^)]*)\)`).FindStringSubmatch(errText(err))
	if m == nil {
		t.Fatalf("no unknown-key problem: %v", err)
	}
	accepted := strings.Split(m[1], ", ")
	sort.Strings(accepted)
	if !reflect.DeepEqual(got, accepted) {
		t.Errorf("schema properties %v\nParse accepts %v", got, accepted)
	}
	// And every schema key is accepted by Parse (a null value is a problem,
	// but not an unknown key).
	for _, k := range got {
		_, _, err := Parse([]byte(k+":\n"), "x")
		if strings.Contains(errText(err), "unknown key") {
			t.Errorf("Parse refuses schema key %q: %v", k, err)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestSchemaMatchesTypes walks the schema with the Go types: every struct
// is an object with exactly its yaml keys and no others.
func TestSchemaMatchesTypes(t *testing.T) {
	s := schemaJSON(t)
	var walk func(path string, s map[string]any, typ reflect.Type)
	walk = func(path string, s map[string]any, typ reflect.Type) {
		switch typ.Kind() {
		case reflect.Struct:
			if s["type"] != "object" || s["additionalProperties"] != false {
				t.Errorf("%s: type %v, additionalProperties %v", path, s["type"], s["additionalProperties"])
			}
			props, _ := s["properties"].(map[string]any)
			if got, want := sortedKeys(props), yamlKeys(typ); path != "" && !reflect.DeepEqual(got, want) {
				t.Errorf("%s: properties %v, want %v", path, got, want)
			}
			for i := 0; i < typ.NumField(); i++ {
				f := typ.Field(i)
				tag := f.Tag.Get("yaml")
				if tag == "" || tag == "-" {
					continue
				}
				p, ok := props[tag].(map[string]any)
				if !ok {
					continue
				}
				if d, _ := p["description"].(string); d == "" {
					t.Errorf("%s.%s has no description", path, tag)
				}
				walk(path+"."+tag, p, f.Type)
			}
		case reflect.Slice:
			items, _ := s["items"].(map[string]any)
			if s["type"] != "array" || items == nil {
				t.Errorf("%s: not an array: %v", path, s)
				return
			}
			walk(path+"[]", items, typ.Elem())
		case reflect.Map:
			if s["type"] != "object" {
				t.Errorf("%s: not an object: %v", path, s)
			}
		case reflect.Int:
			if s["type"] != "integer" {
				t.Errorf("%s: type %v, want integer", path, s["type"])
			}
		case reflect.Bool:
			if s["type"] != "boolean" {
				t.Errorf("%s: type %v, want boolean", path, s["type"])
			}
		case reflect.String:
			if s["type"] != "string" {
				t.Errorf("%s: type %v, want string", path, s["type"])
			}
		}
	}
	walk("", s, reflect.TypeOf(Backend{}))

	envs, _ := s["properties"].(map[string]any)["environments"].(map[string]any)
	if envs == nil {
		t.Fatal("no environments property")
	}
	if pn, _ := envs["propertyNames"].(map[string]any); pn == nil || pn["pattern"] != EnvPattern.String() {
		t.Errorf("environments propertyNames = %v", envs["propertyNames"])
	}
	anyOf, _ := envs["additionalProperties"].(map[string]any)["anyOf"].([]any)
	if len(anyOf) != 2 {
		t.Fatalf("environments additionalProperties anyOf = %v", anyOf)
	}
	env, _ := anyOf[0].(map[string]any)
	walk("environments.*", env, reflect.TypeOf(Environment{}))
	if null, _ := anyOf[1].(map[string]any); null["type"] != "null" {
		t.Errorf("an environment may not be null in the schema: %v", anyOf[1])
	}
}
