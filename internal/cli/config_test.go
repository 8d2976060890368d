package cli_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
	"github.com/cfngen/cfngen/internal/model"
)

// cfgMain runs cli.Main with args and returns the exit code and both outputs.
func cfgMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(args, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

// cfgMustMain runs cli.Main and fails the test unless it exits 0.
func cfgMustMain(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := cfgMain(t, args...)
	if code != cli.ExitOK {
		t.Fatalf("cfngen %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

// cfgTree maps every entry under root (slash-separated relative path) to
// its mode and, for regular files, its content. A missing root is empty.
func cfgTree(t *testing.T, root string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String() + " " + info.ModTime().String()
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			desc += "\n" + string(data)
		}
		tree[filepath.ToSlash(rel)] = desc
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("walk %s: %v", root, err)
	}
	return tree
}

// cfgFiles returns the regular files under root and their contents.
func cfgFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	return files
}

func cfgKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cfgWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cfgParams reads a params file into ParameterKey -> ParameterValue.
func cfgParams(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var list []struct{ ParameterKey, ParameterValue string }
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := map[string]string{}
	for _, p := range list {
		m[p.ParameterKey] = p.ParameterValue
	}
	return m
}

var defaultOutputs = []string{
	"params/params-with-rds.json",
	"params/params.json",
	"stack-policy.json",
	"templates/backend-stack-with-rds.yaml",
	"templates/backend-stack.yaml",
}

// Mistakes found by Validate and by Parse, with the lines cfngen must print.
const (
	invalidForValidate = "project:\n  name: My_App\nnetwork:\n  azCount: 1\nenvironments:\n  dev:\n    params:\n      backupRetentionDays: 0\n"
	invalidForParse    = "network:\n  azCount: two\n  azCounts: 2\npassword: x\n"
)

var (
	invalidForValidateLines = []string{
		`  line 2: project.name: "My_App" must be 3-20 lowercase letters`,
		"  line 4: network.azCount: 1 is out of range (2..3)",
		"  line 8: environments.dev.params.backupRetentionDays: 0 is out of range (1..35)",
	}
	invalidForParseLines = []string{
		`  line 2: network.azCount: "two" is not a whole number`,
		"  line 3: network.azCounts: unknown key (allowed: azCount, subnetOrder, subnetPrefix, vpcCidr)",
		"  line 4: password: secrets never go in cfngen.yaml",
	}
)

func TestInvalidConfigChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		lines     []string
		args      []string
	}{
		{"validate", invalidForValidate, invalidForValidateLines, nil},
		{"parse", invalidForParse, invalidForParseLines, nil},
		{"validate --check", invalidForValidate, invalidForValidateLines, []string{"--check"}},
		{"parse --format json", invalidForParse, invalidForParseLines, []string{"--format", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir) // no cfngen.yaml here: the first render uses the defaults
			out := filepath.Join(dir, "out")
			cfgMustMain(t, "render", "--out-dir", out)
			before := cfgTree(t, out)
			if got := cfgKeys(cfgFiles(t, out)); !reflect.DeepEqual(got, defaultOutputs) {
				t.Fatalf("previous render wrote %v", got)
			}

			cfg := filepath.Join(dir, "bad.yaml")
			cfgWrite(t, cfg, tc.src)
			args := append([]string{"render", "--config", cfg, "--out-dir", out}, tc.args...)
			code, stdout, stderr := cfgMain(t, args...)
			if code != cli.ExitTrouble {
				t.Errorf("exit %d, want %d", code, cli.ExitTrouble)
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
			if want := "cfngen: invalid config " + cfg + ":\n"; !strings.HasPrefix(stderr, want) {
				t.Errorf("stderr does not start with %q:\n%s", want, stderr)
			}
			for _, l := range tc.lines {
				if !strings.Contains(stderr, "\n"+l) {
					t.Errorf("stderr lacks %q:\n%s", l, stderr)
				}
			}
			if n := strings.Count(stderr, "\n  line "); n != len(tc.lines) {
				t.Errorf("%d problems on stderr, want %d:\n%s", n, len(tc.lines), stderr)
			}
			if strings.Contains(stderr, "wrote ") {
				t.Errorf("stderr reports a write:\n%s", stderr)
			}
			after := cfgTree(t, out)
			if !reflect.DeepEqual(before, after) {
				t.Errorf("output directory changed: before %v, after %v", cfgKeys(before), cfgKeys(after))
			}
		})
	}
}

func TestInvalidConfigCreatesNoOutDir(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.yaml")
	cfgWrite(t, cfg, invalidForValidate)
	out := filepath.Join(dir, "out")
	if code, _, _ := cfgMain(t, "render", "--config", cfg, "--out-dir", out); code != cli.ExitTrouble {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
}

func TestMissingConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	out := filepath.Join(dir, "out")
	missing := filepath.Join(dir, "nope.yaml")
	code, stdout, stderr := cfgMain(t, "render", "--config", missing, "--out-dir", out)
	if code != cli.ExitTrouble {
		t.Errorf("exit %d, want %d", code, cli.ExitTrouble)
	}
	if stdout != "" || !strings.HasPrefix(stderr, "cfngen: ") || !strings.Contains(stderr, missing) {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
	// An explicit --config cfngen.yaml that does not exist is an error too,
	// not the defaults.
	if code, _, stderr := cfgMain(t, "render", "--config", "cfngen.yaml", "--out-dir", out); code != cli.ExitTrouble {
		t.Errorf("missing explicit cfngen.yaml: exit %d, stderr %s", code, stderr)
	}
}

func TestConfigFromWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	// No cfngen.yaml: the defaults.
	cfgMustMain(t, "render", "--out-dir", "a")
	if got := cfgParams(t, "a/params/params.json")["MyProjectName"]; got != "myapp" {
		t.Errorf("defaults: MyProjectName %q", got)
	}

	// cfngen.yaml present: it is used without --config.
	cfgWrite(t, "cfngen.yaml", "project:\n  name: shop\n")
	cfgMustMain(t, "render", "--out-dir", "b")
	if got := cfgParams(t, "b/params/params.json")["MyProjectName"]; got != "shop" {
		t.Errorf("cfngen.yaml: MyProjectName %q, want shop", got)
	}

	// --config wins over cfngen.yaml.
	cfgWrite(t, "other.yaml", "project:\n  name: store\n")
	cfgMustMain(t, "render", "--config", "other.yaml", "--out-dir", "c")
	if got := cfgParams(t, "c/params/params.json")["MyProjectName"]; got != "store" {
		t.Errorf("--config: MyProjectName %q, want store", got)
	}

	// An invalid cfngen.yaml is reported under its name.
	cfgWrite(t, "cfngen.yaml", "network:\n  azCount: 9\n")
	code, stdout, stderr := cfgMain(t, "render", "--out-dir", "d")
	if code != cli.ExitTrouble || stdout != "" {
		t.Errorf("invalid cfngen.yaml: exit %d, stdout %q", code, stdout)
	}
	if want := "cfngen: invalid config cfngen.yaml:\n  line 2: network.azCount: 9 is out of range (2..3): most regions give an account 3 availability zones (us-west-1: 2), and !GetAZs has no further zone to select\n"; stderr != want {
		t.Errorf("stderr %q\nwant %q", stderr, want)
	}
	if _, err := os.Lstat("d"); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	starter := string(model.Starter())

	stdout, stderr := cfgMustMain(t, "init")
	if stdout != "" || !strings.Contains(stderr, "wrote cfngen.yaml") {
		t.Errorf("init: stdout %q, stderr %q", stdout, stderr)
	}
	if got := cfgFiles(t, dir); len(got) != 1 || got["cfngen.yaml"] != starter {
		t.Fatalf("init wrote %v, want only cfngen.yaml with the starter file", cfgKeys(got))
	}
	if st, err := os.Stat("cfngen.yaml"); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("cfngen.yaml: %v %v", st.Mode(), err)
	}

	// It refuses to overwrite, and leaves the file alone.
	cfgWrite(t, "cfngen.yaml", "project:\n  name: mine\n")
	code, stdout, stderr := cfgMain(t, "init")
	if code != cli.ExitTrouble || stdout != "" {
		t.Errorf("second init: exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "cfngen.yaml already exists; use --force to replace it") {
		t.Errorf("second init: stderr %q", stderr)
	}
	if got := cfgFiles(t, dir); len(got) != 1 || got["cfngen.yaml"] != "project:\n  name: mine\n" {
		t.Errorf("second init changed the directory: %v", got)
	}

	// --force replaces it.
	cfgMustMain(t, "init", "--force")
	if got := cfgFiles(t, dir); len(got) != 1 || got["cfngen.yaml"] != starter {
		t.Errorf("init --force: %v", cfgKeys(got))
	}

	// --config writes another file.
	cfgMustMain(t, "init", "--config", "infra.yaml")
	if got := cfgFiles(t, dir)["infra.yaml"]; got != starter {
		t.Errorf("init --config infra.yaml wrote %d bytes", len(got))
	}
}

func TestInitStdout(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	stdout, stderr := cfgMustMain(t, "init", "--stdout")
	if stdout != string(model.Starter()) {
		t.Errorf("init --stdout printed %d bytes, want the starter file", len(stdout))
	}
	if stderr != "" {
		t.Errorf("stderr %q", stderr)
	}
	if got := cfgFiles(t, dir); len(got) != 0 {
		t.Errorf("init --stdout wrote %v", cfgKeys(got))
	}
	// --stdout prints even when cfngen.yaml exists, and leaves it alone.
	cfgWrite(t, "cfngen.yaml", "x: 1\n")
	if stdout, _ := cfgMustMain(t, "init", "--stdout"); stdout != string(model.Starter()) {
		t.Error("init --stdout with an existing cfngen.yaml")
	}
	if got := cfgFiles(t, dir)["cfngen.yaml"]; got != "x: 1\n" {
		t.Errorf("cfngen.yaml changed: %q", got)
	}
}

func TestInitFileRendersDefaults(t *testing.T) {
	root := t.TempDir()
	withInit, without := filepath.Join(root, "with-init"), filepath.Join(root, "without")
	for _, d := range []string{withInit, without} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	t.Chdir(withInit)
	cfgMustMain(t, "init")
	cfgMustMain(t, "render", "--out-dir", "out")
	cfgMustMain(t, "render", "--out-dir", "out-json", "--format", "json", "--via-s3")

	t.Chdir(without)
	cfgMustMain(t, "render", "--out-dir", "out")
	cfgMustMain(t, "render", "--out-dir", "out-json", "--format", "json", "--via-s3")
	cfgMustMain(t, "render", "--config", filepath.Join(withInit, "cfngen.yaml"), "--out-dir", "out-explicit")

	for _, pair := range [][2]string{
		{filepath.Join(withInit, "out"), filepath.Join(without, "out")},
		{filepath.Join(withInit, "out-json"), filepath.Join(without, "out-json")},
		{filepath.Join(without, "out-explicit"), filepath.Join(without, "out")},
	} {
		a, b := cfgFiles(t, pair[0]), cfgFiles(t, pair[1])
		if len(a) == 0 {
			t.Fatalf("%s is empty", pair[0])
		}
		if !reflect.DeepEqual(cfgKeys(a), cfgKeys(b)) {
			t.Errorf("%s has %v, %s has %v", pair[0], cfgKeys(a), pair[1], cfgKeys(b))
			continue
		}
		for _, k := range cfgKeys(a) {
			if a[k] != b[k] {
				t.Errorf("%s differs between %s and %s", k, pair[0], pair[1])
			}
		}
	}
	if got := cfgKeys(cfgFiles(t, filepath.Join(without, "out"))); !reflect.DeepEqual(got, defaultOutputs) {
		t.Errorf("default render wrote %v", got)
	}
}

func TestSchemaCommand(t *testing.T) {
	stdout, stderr := cfgMustMain(t, "schema")
	if stderr != "" {
		t.Errorf("stderr %q", stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("schema output is not valid JSON:\n%s", stdout)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" || s["additionalProperties"] != false {
		t.Errorf("$schema %v, additionalProperties %v", s["$schema"], s["additionalProperties"])
	}
	props, _ := s["properties"].(map[string]any)
	for _, k := range []string{"project", "network", "environments", "tags"} {
		if props[k] == nil {
			t.Errorf("schema lacks %s", k)
		}
	}
	// Same as model.Schema().
	want, err := json.Marshal(model.Schema())
	if err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, w) {
		t.Error("schema output differs from model.Schema()")
	}
}

func TestEnvironmentParamsFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfgWrite(t, "cfngen.yaml", `environments:
  dev:
  prod:
    maxTasks: 8
    params:
      acuRange: 1-4
      instanceClass: db.t4g.small
      apiImageTag: v2
      certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
`)
	cfgMustMain(t, "render", "--out-dir", "out")
	want := []string{
		"params/params-with-rds.json",
		"params/params.json",
		"params/prod/params-with-rds.json",
		"params/prod/params.json",
		"stack-policy.json",
		"templates/backend-stack-with-rds.yaml",
		"templates/backend-stack.yaml",
	}
	if got := cfgKeys(cfgFiles(t, "out")); !reflect.DeepEqual(got, want) {
		t.Fatalf("files %v\nwant %v", got, want)
	}
	for _, tc := range []struct {
		path string
		want map[string]string
	}{
		{"out/params/params.json", map[string]string{"Environment": "dev", "RDSInstanceType": "0.5-2", "ApiImageTag": "latest"}},
		{"out/params/params-with-rds.json", map[string]string{"Environment": "dev", "RDSInstanceType": "db.t4g.micro", "ApiImageTag": "latest"}},
		{"out/params/prod/params.json", map[string]string{"Environment": "prod", "RDSInstanceType": "1-4", "ApiImageTag": "v2", "MyProjectName": "myapp"}},
		{"out/params/prod/params-with-rds.json", map[string]string{"Environment": "prod", "RDSInstanceType": "db.t4g.small", "ApiImageTag": "v2"}},
	} {
		got := cfgParams(t, tc.path)
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tc.path, k, got[k], v)
			}
		}
	}
	// The template serves exactly the configured environments.
	tmpl, err := os.ReadFile("out/templates/backend-stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(tmpl), "staging") {
		t.Error("template mentions staging, which the config dropped")
	}
}

func TestTagsFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfgWrite(t, "cfngen.yaml", "tags:\n  team: core\n  app: shop\n  Owner: ops\n  cost-center: '42'\n")
	cfgMustMain(t, "render", "--out-dir", "out")
	data, err := os.ReadFile("out/params/tags.json")
	if err != nil {
		t.Fatal(err)
	}
	var tags []map[string]string
	if err := json.Unmarshal(data, &tags); err != nil {
		t.Fatalf("tags.json: %v\n%s", err, data)
	}
	want := []map[string]string{
		{"Key": "Owner", "Value": "ops"},
		{"Key": "app", "Value": "shop"},
		{"Key": "cost-center", "Value": "42"},
		{"Key": "team", "Value": "core"},
	}
	if !reflect.DeepEqual(tags, want) {
		t.Errorf("tags.json = %s\nwant %v", data, want)
	}
	// Exactly the two keys, in this order, in every entry.
	if !strings.Contains(string(data), `"Key": "Owner",`+"\n"+`    "Value": "ops"`) {
		t.Errorf("tags.json layout:\n%s", data)
	}

	// No tags, no tags.json.
	if err := os.Remove("cfngen.yaml"); err != nil {
		t.Fatal(err)
	}
	cfgMustMain(t, "render", "--out-dir", "none")
	if _, err := os.Stat("none/params/tags.json"); !os.IsNotExist(err) {
		t.Errorf("tags.json without tags: %v", err)
	}
}
