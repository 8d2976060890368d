package diff

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cfnschema"
	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
)

// renderModel renders a config (YAML; empty for the built-in defaults) in
// memory, as cfngen render would write it, keyed by path. It is the only
// place the tests call the renderer.
func renderModel(t testing.TB, config []byte) map[string][]byte {
	t.Helper()
	b := model.Default()
	if config != nil {
		var lines model.Lines
		var err error
		if b, lines, err = model.Parse(config, "config"); err != nil {
			t.Fatal(err)
		}
		if err := b.Validate("config", lines); err != nil {
			t.Fatal(err)
		}
	}
	files, _, err := project.Files(b, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

// stacks pairs each template with its default environment's params file.
var stacks = []struct{ template, params string }{
	{"templates/backend-stack.yaml", "params/params.json"},
	{"templates/backend-stack-with-rds.yaml", "params/params-with-rds.json"},
}

// modelForecasts renders the defaults and a scenario's config and compares
// both stacks.
func modelForecasts(t testing.TB, config []byte) ([]Forecast, []Template) {
	t.Helper()
	old, new := renderModel(t, nil), renderModel(t, config)
	var forecasts []Forecast
	var news []Template
	for _, s := range stacks {
		o, err := Parse(s.template+" (defaults)", old[s.template], s.params, old[s.params])
		if err != nil {
			t.Fatal(err)
		}
		n, err := Parse(s.template+" (changed)", new[s.template], s.params, new[s.params])
		if err != nil {
			t.Fatal(err)
		}
		forecasts = append(forecasts, Compare(o, n))
		news = append(news, n)
	}
	return forecasts, news
}

func TestModelChanges(t *testing.T) {
	configs, err := filepath.Glob("testdata/model/*.yaml")
	if err != nil || len(configs) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, path := range configs {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			config, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			forecasts, news := modelForecasts(t, config)
			var buf bytes.Buffer
			if err := WriteText(&buf, forecasts); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, "testdata/model/"+name+".txt", buf.Bytes())
			for i, f := range forecasts {
				checkVerdicts(t, f)
				checkTaskCount(t, f, news[i])
			}
		})
	}
}

// TestModelFacts pins what issue 12 asks the forecast to say about real
// model changes.
func TestModelFacts(t *testing.T) {
	read := func(name string) []Forecast {
		config, err := os.ReadFile("testdata/model/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		f, _ := modelForecasts(t, config)
		return f
	}
	// A new database name replaces the cluster (Aurora) or the instance
	// (RDS), with data loss.
	db := read("database-name")
	for i, id := range []string{"DBCluster", "DBInstance"} {
		c := find(db[i], SecResources, id)
		if c == nil || c.Replacement != True || c.DataLoss != True {
			t.Errorf("database name, %s: %s is not replaced with data loss: %+v", stacks[i].template, id, c)
		}
	}
	// Routine database changes (review finding 5): a longer backup
	// retention and Multi-AZ are applied by ModifyDBInstance or
	// ModifyDBCluster, not by a replacement, and lose nothing.
	for _, name := range []string{"backup-retention", "multi-az"} {
		for i, f := range read(name) {
			for _, c := range f.Changes {
				if c.Replaces() || c.Loses() || c.Fails != "" {
					t.Errorf("%s, %s: %s: replacement %q, data loss %q, fails %q", name, stacks[i].template, c.LogicalID, c.Replacement, c.DataLoss, c.Fails)
				}
			}
		}
	}
	// A new image tag replaces nothing but the task definition (a new
	// revision) and does not replace the service.
	for i, f := range read("image-tag") {
		for _, c := range f.Changes {
			if c.Replaces() && !c.Routine {
				t.Errorf("image tag, %s: %s is replaced", stacks[i].template, c.LogicalID)
			}
		}
		if c := find(f, SecResources, "ApiService"); c == nil || c.Replacement != False {
			t.Errorf("image tag, %s: ApiService: %+v", stacks[i].template, c)
		}
	}
	// A new VPC range or AZ count replaces the proxy: new subnets. With a
	// custom name that the update keeps, that fails; a name that changes
	// with the subnets (cfngen's) lets the replacement through.
	for _, name := range []string{"az-count", "vpc-range"} {
		config, err := os.ReadFile("testdata/model/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		forecasts, news := modelForecasts(t, config)
		for i, f := range forecasts {
			_, named := mapOf(mapOf(section(news[i].Tree, "Resources")["DBProxy"])["Properties"])["DBProxyName"]
			c := find(f, SecResources, "DBProxy")
			switch {
			case c == nil && name == "vpc-range":
				t.Errorf("%s, %s: DBProxy unchanged in a new VPC", name, stacks[i].template)
			case c != nil && c.Replaces():
				keepsName := named
				for _, p := range c.Paths {
					if p.Path == "Properties.DBProxyName" {
						keepsName = false
					}
				}
				if (c.Fails != "") != keepsName {
					t.Errorf("%s, %s: DBProxy (keeps a custom name: %v): %+v", name, stacks[i].template, keepsName, c)
				}
			}
		}
	}
	for i, f := range read("certificate") {
		if c := find(f, SecResources, "HttpsListener"); c == nil || c.Action != Add {
			t.Errorf("certificate, %s: no HttpsListener added: %+v", stacks[i].template, c)
		}
	}
	// Spot and a new environment replace nothing.
	for _, name := range []string{"spot", "environment-added"} {
		for i, f := range read(name) {
			for _, c := range f.Changes {
				if c.Replaces() || c.Loses() || c.Fails != "" {
					t.Errorf("%s, %s: %s: replacement %s, data loss %s, fails %s", name, stacks[i].template, c.LogicalID, c.Replacement, c.DataLoss, c.Fails)
				}
			}
		}
	}
}

func find(f Forecast, section, id string) *Change {
	for i, c := range f.Changes {
		if c.Section == section && c.LogicalID == id {
			return &f.Changes[i]
		}
	}
	return nil
}

// checkVerdicts recomputes every replacement verdict of a forecast from the
// schema's create-only lists, with its own path matching: a path replaces
// when a create-only property is it, inside it or around it.
func checkVerdicts(t *testing.T, f Forecast) {
	t.Helper()
	replaced := map[string]string{}
	for _, c := range f.Changes {
		if c.Section == SecResources {
			replaced[c.LogicalID] = c.Replacement
		}
	}
	for _, c := range f.Changes {
		if c.Section != SecResources || c.Action != Modify {
			if c.Replacement != "" {
				t.Errorf("%s %s %s has replacement %s", c.Section, c.Action, c.LogicalID, c.Replacement)
			}
			continue
		}
		schema := cfnschema.Lookup(c.Type)
		if schema == nil {
			t.Errorf("%s: no schema for %s", c.LogicalID, c.Type)
			continue
		}
		want := False
		for _, p := range c.Paths {
			v := False
			if prop, ok := strings.CutPrefix(p.Path, "Properties."); ok {
				if matchesAny(schema.CreateOnly, prop) {
					v = True
				} else if top, _, _ := strings.Cut(prop, "."); matchesAny(schema.CondCreateOnly, prop) && c.Type != "AWS::AutoScaling::AutoScalingGroup" && inPlace[c.Type][top] == "" && !(c.Type == "AWS::EC2::Instance" && ebsBacked[top]) {
					// Conditionally create-only: a replacement unless
					// AWS documents an update in place (replace.go).
					v = Conditional
				}
			}
			if p.Path == "Type" {
				v = True
			}
			if v == True && p.Uncertain {
				v = Conditional
			}
			if p.Replacement != v {
				t.Errorf("%s (%s) %s: path verdict %s, the schema says %s", c.LogicalID, c.Type, p.Path, p.Replacement, v)
			}
			if p.Via != "" && replaced[p.Via] != True && replaced[p.Via] != Conditional {
				t.Errorf("%s %s: changes via %s, which is not replaced", c.LogicalID, p.Path, p.Via)
			}
			if v == True || (v == Conditional && want != True) {
				want = v
			}
		}
		if c.Replacement != want {
			t.Errorf("%s (%s): replacement %s, the schema says %s", c.LogicalID, c.Type, c.Replacement, want)
		}
	}
}

func matchesAny(schemaPaths []string, prop string) bool {
	for _, sp := range schemaPaths {
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(sp), `\*`, `[0-9]+`) + `(\..*)?$`
		if regexp.MustCompile(re).MatchString(prop) || strings.HasPrefix(sp+".", prop+".") {
			return true
		}
	}
	return false
}

// checkTaskCount demands the task-count warning exactly when a modified,
// auto-scaled ECS service sets DesiredCount to something other than 0 (which
// stops it on purpose): cfngen's templates write it only as
// !If [ApiStopped, 0, !Ref AWS::NoValue].
func checkTaskCount(t *testing.T, f Forecast, n Template) {
	t.Helper()
	var stopsOrOmits func(v any) bool
	stopsOrOmits = func(v any) bool {
		m := mapOf(v)
		if branches, ok := m["Fn::If"].([]any); ok && len(branches) == 3 {
			return stopsOrOmits(branches[1]) && stopsOrOmits(branches[2])
		}
		return m["Ref"] == "AWS::NoValue" || fmt.Sprint(v) == "0"
	}
	for _, c := range f.Changes {
		if c.Type != "AWS::ECS::Service" || c.Action != Modify {
			continue
		}
		count, present := mapOf(mapOf(section(n.Tree, "Resources")[c.LogicalID])["Properties"])["DesiredCount"]
		set := present && !stopsOrOmits(count)
		warned := slices.ContainsFunc(c.Notes, func(s string) bool { return strings.HasPrefix(s, "task count reset") })
		if set != warned {
			t.Errorf("%s: DesiredCount set %v, task count warning %v", c.LogicalID, set, warned)
		}
	}
}

// TestHandwritten compares the hand-written template pairs under
// testdata/handwritten/<case>/: old.* and new.* (YAML or JSON), with
// old-params.json and new-params.json when present.
func TestHandwritten(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/handwritten/*")
	if len(dirs) < 2 {
		t.Fatalf("want two hand-written cases, found %d", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			f := handwritten(t, dir)
			checkVerdicts(t, f)
			for _, w := range []struct {
				file  string
				write func(*bytes.Buffer, []Forecast) error
			}{
				{"forecast.txt", func(b *bytes.Buffer, f []Forecast) error { return WriteText(b, f) }},
				{"forecast.json", func(b *bytes.Buffer, f []Forecast) error { return WriteJSON(b, f) }},
				{"forecast.md", func(b *bytes.Buffer, f []Forecast) error { return WriteMarkdown(b, f) }},
			} {
				var buf bytes.Buffer
				if err := w.write(&buf, []Forecast{f}); err != nil {
					t.Fatal(err)
				}
				golden.Assert(t, filepath.Join(dir, w.file), buf.Bytes())
			}
		})
	}
}

func handwritten(t testing.TB, dir string) Forecast {
	t.Helper()
	side := func(which string) Template {
		matches, _ := filepath.Glob(filepath.Join(dir, which+".*"))
		var tmpl string
		for _, m := range matches {
			if ext := filepath.Ext(m); ext == ".yaml" || ext == ".json" {
				tmpl = m
			}
		}
		data, err := os.ReadFile(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		pp := filepath.Join(dir, which+"-params.json")
		params, err := os.ReadFile(pp)
		if err != nil {
			params = nil
		}
		out, err := Parse(filepath.Base(tmpl), data, filepath.Base(pp), params)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return Compare(side("old"), side("new"))
}

func TestNoChange(t *testing.T) {
	files := renderModel(t, nil)
	for _, s := range stacks {
		a, err := Parse("a", files[s.template], "p", files[s.params])
		if err != nil {
			t.Fatal(err)
		}
		if f := Compare(a, a); len(f.Changes) != 0 {
			t.Errorf("%s against itself: %d changes, first %+v", s.template, len(f.Changes), f.Changes[0])
		}
	}
}

func TestDeterministic(t *testing.T) {
	config, err := os.ReadFile("testdata/model/vpc-range.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var first string
	for i := 0; i < 5; i++ {
		f, _ := modelForecasts(t, config)
		var b bytes.Buffer
		if err := WriteJSON(&b, f); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.String()
		} else if b.String() != first {
			t.Fatal("two forecasts of the same change differ")
		}
	}
}

// BenchmarkCompare parses and compares both stacks of the widest model
// change (a new VPC range replaces most of the network).
func BenchmarkCompare(b *testing.B) {
	config, err := os.ReadFile("testdata/model/vpc-range.yaml")
	if err != nil {
		b.Fatal(err)
	}
	old, new := renderModel(b, nil), renderModel(b, config)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range stacks {
			o, err := Parse("old", old[s.template], s.params, old[s.params])
			if err != nil {
				b.Fatal(err)
			}
			n, err := Parse("new", new[s.template], s.params, new[s.params])
			if err != nil {
				b.Fatal(err)
			}
			if f := Compare(o, n); len(f.Changes) == 0 {
				b.Fatal("no changes")
			}
		}
	}
}

// BenchmarkCompareParsed is BenchmarkCompare without the YAML parsing.
func BenchmarkCompareParsed(b *testing.B) {
	config, err := os.ReadFile("testdata/model/vpc-range.yaml")
	if err != nil {
		b.Fatal(err)
	}
	old, new := renderModel(b, nil), renderModel(b, config)
	var pairs [][2]Template
	for _, s := range stacks {
		o, err := Parse("old", old[s.template], s.params, old[s.params])
		if err != nil {
			b.Fatal(err)
		}
		n, err := Parse("new", new[s.template], s.params, new[s.params])
		if err != nil {
			b.Fatal(err)
		}
		pairs = append(pairs, [2]Template{o, n})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pairs {
			if f := Compare(p[0], p[1]); len(f.Changes) == 0 {
				b.Fatal("no changes")
			}
		}
	}
}

// TestCorpus runs every template of the repository's test data through
// Compare: against itself it must forecast nothing, against an empty
// template it must add every resource without a Condition (all of them when
// the template has none) and nothing that is not a resource of it, and it
// must never panic.
func TestCorpus(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../validate/testdata/rules/*/*", "../../testdata/*/*", "../../templates/*"} {
		m, _ := filepath.Glob(pattern)
		paths = append(paths, m...)
	}
	empty := Template{Name: "empty", Tree: map[string]any{}}
	n := 0
	for _, p := range paths {
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".json" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := Parse(p, data, "", nil)
		if err != nil || section(tmpl.Tree, "Resources") == nil {
			continue // not a template (a params file, a broken case)
		}
		n++
		if f := Compare(tmpl, tmpl); len(f.Changes) != 0 {
			t.Errorf("%s against itself: %s: %+v", p, f.Summary(), f.Changes[0])
		}
		added := map[string]bool{}
		for _, c := range Compare(empty, tmpl).Changes {
			if c.Section == SecResources && c.Action == Add {
				added[c.LogicalID] = true
			}
		}
		res := section(tmpl.Tree, "Resources")
		for id := range added {
			if _, ok := res[id]; !ok {
				t.Errorf("%s: %s added, which is not a resource of it", p, id)
			}
		}
		conditional := 0
		for _, id := range sortedKeys(res) {
			if strings.HasPrefix(id, "Fn::ForEach::") {
				// Not expanded: the forecast says so instead.
				if f := Compare(empty, tmpl); !slices.ContainsFunc(f.Notes, func(n string) bool { return strings.HasPrefix(n, id+" is not expanded") }) {
					t.Errorf("%s: no note that %s is not expanded: %q", p, id, f.Notes)
				}
				conditional++
			} else if _, ok := mapOf(res[id])["Condition"]; ok {
				conditional++ // a condition that is false leaves it out
			} else if !added[id] {
				t.Errorf("%s: %s (no Condition) is not added", p, id)
			}
		}
		if conditional == 0 && len(added) != len(res) {
			t.Errorf("%s: %d resources added of %d", p, len(added), len(res))
		}
		Compare(tmpl, empty)
	}
	if n < 50 {
		t.Errorf("only %d templates in the corpus", n)
	}
}

// An update of an auto-scaled service that sets DesiredCount undoes the
// scaling; one that leaves it out, or sets it only to stop the service,
// does not.
func TestTaskCountReset(t *testing.T) {
	tpl := func(def, count, image string) []byte {
		return []byte(`Parameters:
  Count:
    Type: Number
    Default: ` + def + `
Conditions:
  Stopped: !Equals [!Ref Count, 0]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: api, Image: ` + image + `}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: c
      TaskDefinition: !Ref Task
` + count + `
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ResourceId: !Sub service/c/${Service.Name}
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
      MinCapacity: !Ref Count
      MaxCapacity: 10
`)
	}
	for _, c := range []struct {
		name, def, count string
		warn             bool
	}{
		{"a fixed count", "2", "      DesiredCount: 2", true},
		{"the count parameter", "2", "      DesiredCount: !Ref Count", true},
		{"no count", "2", "", false},
		{"only to stop, running", "2", "      DesiredCount: !If [Stopped, 0, !Ref AWS::NoValue]", false},
		{"only to stop, stopped", "0", "      DesiredCount: !If [Stopped, 0, !Ref AWS::NoValue]", false},
	} {
		old, err := Parse("old", tpl(c.def, c.count, "api:v1"), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		new, err := Parse("new", tpl(c.def, c.count, "api:v2"), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		f := Compare(old, new)
		s := find(f, SecResources, "Service")
		if s == nil {
			t.Fatalf("%s: the service is not modified", c.name)
		}
		warned := slices.ContainsFunc(s.Notes, func(n string) bool { return strings.HasPrefix(n, "task count reset") })
		if warned != c.warn {
			t.Errorf("%s: task count warning %v, want %v (notes %q)", c.name, warned, c.warn, s.Notes)
		}
	}
}

// A parameter whose deployed value is unknown (NoEcho, read back masked)
// makes every value it feeds uncertain, even with a Default.
func TestUnknownParameter(t *testing.T) {
	tpl := []byte(`Parameters:
  DBName:
    Type: String
    Default: app
    NoEcho: true
Resources:
  DB:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      DatabaseName: !Ref DBName
`)
	old, err := Parse("old", tpl, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	new := old
	if f := Compare(old, new); len(f.Changes) != 0 {
		t.Fatalf("known values: %d changes", len(f.Changes))
	}
	old.Unknown = map[string]bool{"DBName": true}
	f := Compare(old, new)
	c := find(f, SecResources, "DB")
	if c == nil || c.Replacement != Conditional || c.DataLoss != Conditional || len(c.Paths) != 1 || !c.Paths[0].Uncertain {
		t.Fatalf("unknown old value: %+v", f.Changes)
	}
}

// The brief text keeps the dangerous groups with their notes, names the
// replaced resources and leaves out paths and plain modifications.
func TestWriteBrief(t *testing.T) {
	old, err := Parse("old", []byte(`Resources:
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties: {DBProxyName: p, EngineFamily: POSTGRESQL, VpcSubnetIds: [a, b]}
  Group:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateName: lt, LaunchTemplateData: {ImageId: ami-1}}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 7}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: a}
`), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	new, err := Parse("new", []byte(`Resources:
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties: {DBProxyName: p, EngineFamily: POSTGRESQL, VpcSubnetIds: [a, c]}
  Group:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateName: lt2, LaunchTemplateData: {ImageId: ami-1}}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: b}
`), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := Compare(old, new)
	var brief, text bytes.Buffer
	if err := WriteBrief(&brief, f); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&text, []Forecast{f}); err != nil {
		t.Fatal(err)
	}
	got := brief.String()
	for _, want := range []string{"  " + f.Summary() + "\n", "\n  Will fail (1)\n    ~ Proxy (AWS::RDS::DBProxy)", "the replacement fails: DBProxyName is custom",
		"\n  Data loss (1)\n    - Logs (AWS::Logs::LogGroup)", "data loss: Logs is deleted", "\n  Replaced (1)\n    ~ Group (AWS::EC2::LaunchTemplate)  replacement: True\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("brief lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"Topic", "VpcSubnetIds", "Modified ("} {
		if strings.Contains(got, not) {
			t.Errorf("brief has %q:\n%s", not, got)
		}
		if !strings.Contains(text.String(), not) {
			t.Errorf("the full text lacks %q, so the test proves nothing:\n%s", not, text.String())
		}
	}
}

// paramForecast compares two templates that differ in one parameter
// declaration, with a new parameter file (nil: none).
func paramForecast(t *testing.T, oldDecl, newDecl, newParams string) *Change {
	t.Helper()
	tpl := func(decl string) []byte {
		return []byte("Parameters:\n  P:\n" + decl + "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref P}\n")
	}
	old, err := Parse("old", tpl(oldDecl), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var params []byte
	if newParams != "" {
		params = []byte(newParams)
	}
	new, err := Parse("new", tpl(newDecl), "new.json", params)
	if err != nil {
		t.Fatal(err)
	}
	return find(Compare(old, new), SecParameters, "P")
}

// Review finding 6: a removed Default fails the update when the new
// parameter file does not set the parameter, and a known value is checked
// against every constraint, not only AllowedValues.
func TestParameterRefused(t *testing.T) {
	const empty = `[]`
	const sets = `[{"ParameterKey": "P", "ParameterValue": "abcdef"}]`
	for _, tc := range []struct {
		name, old, new, params string
		fails, breaks          bool
	}{
		{"default removed, not set", "    Type: String\n    Default: abc\n", "    Type: String\n", empty, true, true},
		{"default removed, set", "    Type: String\n    Default: abc\n", "    Type: String\n", sets, false, true},
		{"default removed, no params file", "    Type: String\n    Default: abc\n", "    Type: String\n", "", false, true},
		{"MaxLength below the value", "    Type: String\n", "    Type: String\n    MaxLength: 3\n", sets, true, true},
		{"MaxLength above the value", "    Type: String\n", "    Type: String\n    MaxLength: 30\n", sets, false, true},
		{"pattern the value breaks", "    Type: String\n", "    Type: String\n    AllowedPattern: '[0-9]+'\n", sets, true, true},
		{"MinValue above the default", "    Type: Number\n    Default: 5\n", "    Type: Number\n    Default: 5\n    MinValue: 10\n", empty, true, true},
		// cfngen's own stricter rules are not CloudFormation refusals: "2.0"
		// for a whole-number parameter is accepted by CloudFormation.
		{"a whole number spelt 2.0 under a lower MaxValue", "    Type: Number\n    Default: 1\n    MaxValue: 10\n", "    Type: Number\n    Default: 1\n    MaxValue: 8\n",
			`[{"ParameterKey": "P", "ParameterValue": "2.0"}]`, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := paramForecast(t, tc.old, tc.new, tc.params)
			if c == nil {
				t.Fatal("no change")
			}
			if (c.Fails == True) != tc.fails || c.Breaks != tc.breaks {
				t.Errorf("fails %q (want %v), breaks %v (want %v): %q", c.Fails, tc.fails, c.Breaks, tc.breaks, c.Notes)
			}
		})
	}
}

// Review finding 7: wider constraints break nothing; narrower ones do; a
// changed AllowedPattern is a note, since which of two patterns accepts
// more is not decided.
func TestParameterConstraintDirection(t *testing.T) {
	num := "    Type: Number\n    Default: 5\n"
	str := "    Type: String\n    Default: abc\n"
	for _, tc := range []struct {
		name, old, new string
		breaks         bool
	}{
		{"MaxValue raised", num + "    MaxValue: 10\n", num + "    MaxValue: 100\n", false},
		{"MaxValue lowered", num + "    MaxValue: 100\n", num + "    MaxValue: 10\n", true},
		{"MinValue lowered", num + "    MinValue: 2\n", num + "    MinValue: 1\n", false},
		{"MinValue raised", num + "    MinValue: 1\n", num + "    MinValue: 2\n", true},
		{"MinValue removed", num + "    MinValue: 1\n", num, false},
		{"MaxLength added", str, str + "    MaxLength: 10\n", true},
		{"MaxLength raised", str + "    MaxLength: 10\n", str + "    MaxLength: 20\n", false},
		{"MinLength lowered", str + "    MinLength: 3\n", str + "    MinLength: 1\n", false},
		{"MinLength raised", str + "    MinLength: 1\n", str + "    MinLength: 2\n", true},
		{"value added", str + "    AllowedValues: [abc]\n", str + "    AllowedValues: [abc, def]\n", false},
		{"value removed", str + "    AllowedValues: [abc, def]\n", str + "    AllowedValues: [abc]\n", true},
		{"pattern changed", str + "    AllowedPattern: '[a-z]+'\n", str + "    AllowedPattern: '[a-z0-9]+'\n", false},
		{"pattern added", str, str + "    AllowedPattern: '[a-z]+'\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := paramForecast(t, tc.old, tc.new, "")
			if c == nil {
				t.Fatal("no change")
			}
			if c.Breaks != tc.breaks || c.Fails != "" {
				t.Errorf("breaks %v (want %v), fails %q: %q", c.Breaks, tc.breaks, c.Fails, c.Notes)
			}
		})
	}
}

// Every conditionally create-only property of the types whose AWS
// documentation was checked is decided, in exactly one list: a schema
// update that adds one fails here until someone checks it.
func TestConditionalCoverage(t *testing.T) {
	for typ, replace := range mayReplace {
		schema := cfnschema.Lookup(typ)
		if schema == nil {
			t.Errorf("%s: no schema", typ)
			continue
		}
		for _, p := range schema.CondCreateOnly {
			n := 0
			for _, in := range []bool{replace[p], inPlace[typ][p] != "", typ == "AWS::EC2::Instance" && ebsBacked[p]} {
				if in {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s.%s is in %d of mayReplace, inPlace and ebsBacked, want 1", typ, p, n)
			}
		}
		for p := range replace {
			if !slices.Contains(schema.CondCreateOnly, p) {
				t.Errorf("%s.%s in mayReplace is not conditionally create-only", typ, p)
			}
		}
	}
	for typ, props := range inPlace {
		for p := range props {
			if !slices.Contains(cfnschema.Lookup(typ).CondCreateOnly, p) {
				t.Errorf("%s.%s in inPlace is not conditionally create-only", typ, p)
			}
		}
	}
	// Other types keep the schema's verdict.
	if replace, _ := conditional("AWS::DynamoDB::Table", "KeySchema"); !replace {
		t.Error("an unchecked type's conditionally create-only property does not replace")
	}
}
