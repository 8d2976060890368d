package cli_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// renderTwoEnv renders testdata/two-env's config into a fresh directory and
// returns it and its config path.
func renderTwoEnv(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "two-env", "cfngen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = filepath.Join(dir, "cfngen.yaml")
	cfgWrite(t, cfg, string(src))
	cfgMustMain(t, "render", "--config", cfg, "--out-dir", dir)
	if _, err := os.Stat(filepath.Join(dir, "params", "prod", "params.json")); err != nil {
		t.Fatalf("two-environment render: %v", err)
	}
	return dir, cfg
}

// A config file emptied by mistake, or one that holds a mistake of the
// classes the issue lists, is refused with its line and changes nothing,
// here over an existing two-environment output.
func TestBadInputOverTwoEnvironmentOutput(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty file", "", "  the file has no settings (it is empty or holds only comments), so cfngen will not render the built-in defaults from it"},
		{"only comments", "# all settings removed\n", "  the file has no settings"},
		{"!Sub tag", "project:\n  description: !Sub '${AWS::Region}'\n", "  line 2: project.description: the YAML tag !Sub is not allowed"},
		{"${} in a tag", "tags:\n  region: ${AWS::Region}\n", `  line 2: tags.region: "${AWS::Region}" holds ${...}`},
		{"access key in a tag", "tags:\n  owner: AKIAIOSFODNN7EXAMPLE\n", "  line 2: tags.owner: looks like an AWS access key id"},
		{"NUL byte", "project:\n  name: a\x00b\n", "  line 2: a NUL byte at column 10"},
		{"not UTF-8", "project:\n  description: \xff\n", "  line 2: byte 0xFF at column 16 is not UTF-8"},
		{"trailing garbage", "project: {name: shop} x\n", "  line 1: did not find expected key"},
		{"bucket prefix", "project:\n  name: sthree\n", `  line 2: project.name: "sthree" starts the bucket names`},
		{"certificate partition", "environments:\n  dev:\n    params:\n      certificateArn: arn:aws-cn:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n",
			"  line 4: environments.dev.params.certificateArn: \"arn:aws-cn:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\" names region eu-west-1, which is in partition aws, not aws-cn"},
		{"multicast VPC", "network:\n  vpcCidr: 239.1.0.0/16\n", `  line 2: network.vpcCidr: "239.1.0.0/16" lies in the multicast block`},
		{"sslPolicy", "edge:\n  sslPolicy: ELBSecurityPolicy-TLS13-1-1-2021-06\n", `  line 2: edge.sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" is not a load balancer policy`},
		{"reserved user", "environments:\n  dev:\n    params:\n      databaseUser: pg_app\n", `  line 4: environments.dev.params.databaseUser: "pg_app" starts with pg_`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, cfg := renderTwoEnv(t)
			before := cfgTree(t, dir)
			cfgWrite(t, cfg, tc.src)
			delete(before, "cfngen.yaml")
			code, stdout, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", dir)
			if code != cli.ExitTrouble || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, cli.ExitTrouble)
			}
			if want := "cfngen: invalid config " + cfg + ":\n" + tc.want; !strings.HasPrefix(stderr, want) {
				t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr, want)
			}
			after := cfgTree(t, dir)
			delete(after, "cfngen.yaml")
			if !reflect.DeepEqual(before, after) {
				t.Errorf("files changed")
			}
		})
	}
}

// validate --params refuses what the aws CLI refuses, naming the line, with
// exit code 2; values CloudFormation would refuse, or take and then fail at
// deploy, are findings (exit 1).
func TestValidateParamsStrict(t *testing.T) {
	dir, _ := renderTwoEnv(t)
	tpl := filepath.Join(dir, "templates", "backend-stack.yaml")
	params := filepath.Join(dir, "params", "params.json")
	good, err := os.ReadFile(params)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cfgMain(t, "validate", tpl, "--params", params); code != cli.ExitOK {
		t.Fatalf("rendered params: exit %d\n%s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.json")
	for _, tc := range []struct {
		name, old, new string
		code           int
		want           string
	}{
		{"lower-case key", `"ParameterKey": "Environment"`, `"parameterKey": "Environment"`, cli.ExitTrouble,
			"unknown field; did you mean ParameterKey? Field names are case-sensitive"},
		{"null value", `"ParameterValue": "dev"`, `"ParameterValue": null`, cli.ExitTrouble,
			"null is not allowed: the aws CLI accepts only strings"},
		{"NaN", `"ParameterValue": "7"`, `"ParameterValue": "NaN"`, cli.ExitDiff,
			`BackupRetentionPeriod: "NaN" is not a number`},
		{"7.5", `"ParameterValue": "7"`, `"ParameterValue": "7.5"`, cli.ExitDiff,
			"BackupRetentionPeriod: 7.5 is not a whole number"},
		{"host bits", `"ParameterValue": "198.51.100.7/32"`, `"ParameterValue": "198.51.100.7/24"`, cli.ExitDiff,
			`MyIPAddress: "198.51.100.7/24" has host bits set; the network address is 198.51.100.0/24`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(good), tc.old) {
				t.Fatalf("params file lacks %s:\n%s", tc.old, good)
			}
			cfgWrite(t, bad, strings.Replace(string(good), tc.old, tc.new, 1))
			code, stdout, stderr := cfgMain(t, "validate", tpl, "--params", bad)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d (want %d), output:\n%s%s\nwant %q", code, tc.code, stdout, stderr, tc.want)
			}
			if tc.code == cli.ExitTrouble && !strings.Contains(stderr, bad+": not a parameters file the aws CLI accepts") {
				t.Errorf("stderr does not name the file:\n%s", stderr)
			}
		})
	}
}

// Removing an environment (and the tags) leaves files of the old render
// behind: render --check reports them and render removes them, keeping
// files in params/ that cfngen did not write.
func TestRenderRemovesStaleFiles(t *testing.T) {
	dir, cfg := renderTwoEnv(t)
	own := filepath.Join(dir, "params", "custom", "params.json")
	cfgWrite(t, own, `[{"ParameterKey": "Environment", "ParameterValue": "dev"}]`)
	cfgWrite(t, cfg, "project:\n  name: shop\n") // no prod params, no tags
	stale := []string{"params/prod/params-with-rds.json", "params/prod/params.json", "params/tags.json"}

	before := cfgTree(t, dir)
	code, stdout, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", dir, "--check")
	if code != cli.ExitDiff {
		t.Errorf("--check: exit %d, want %d\n%s", code, cli.ExitDiff, stderr)
	}
	for _, s := range stale {
		if want := filepath.Join(dir, s) + " (stale: a fresh render removes it)"; !strings.Contains(stdout, want) {
			t.Errorf("--check does not report %s:\n%s", s, stdout)
		}
	}
	if !strings.Contains(stderr, "; 3 stale file(s) that a fresh render removes\n") {
		t.Errorf("--check summary:\n%s", stderr)
	}
	if !reflect.DeepEqual(before, cfgTree(t, dir)) {
		t.Error("--check changed files")
	}

	_, stderr = cfgMustMain(t, "render", "--config", cfg, "--out-dir", dir)
	for _, s := range stale {
		if !strings.Contains(stderr, "removed "+filepath.Join(dir, s)+" (stale)\n") {
			t.Errorf("render does not say it removed %s:\n%s", s, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, s)); !os.IsNotExist(err) {
			t.Errorf("%s is left: %v", s, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "params", "prod")); !os.IsNotExist(err) {
		t.Errorf("params/prod is left: %v", err)
	}
	if _, err := os.Stat(own); err != nil {
		t.Errorf("a params file cfngen did not write was removed: %v", err)
	}
	if code, stdout, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", dir, "--check"); code != cli.ExitOK {
		t.Errorf("--check after render: exit %d\n%s%s", code, stdout, stderr)
	}
}

// validate without arguments checks every template with every params file
// under params/, including each environment's.
func TestValidateChecksEveryParamsFile(t *testing.T) {
	dir, _ := renderTwoEnv(t)
	t.Chdir(dir)
	code, stdout, stderr := cfgMain(t, "validate")
	if code != cli.ExitOK || stdout != "" || !strings.HasPrefix(stderr, "2 template(s): 0 error(s), 0 warning(s), ") {
		t.Fatalf("validate on a fresh two-environment render: exit %d\n%s%s", code, stdout, stderr)
	}
	prod := filepath.Join("params", "prod", "params-with-rds.json")
	data, err := os.ReadFile(prod)
	if err != nil {
		t.Fatal(err)
	}
	cfgWrite(t, prod, strings.Replace(string(data), `"ParameterValue": "prod"`, `"ParameterValue": "qa"`, 1))
	cfgWrite(t, filepath.Join("params", "extra", "other.json"), "[]")
	code, stdout, stderr = cfgMain(t, "validate")
	if code != cli.ExitDiff {
		t.Errorf("exit %d, want %d", code, cli.ExitDiff)
	}
	if want := prod + ":7: error P403 Environment: \"qa\" is not one of dev, prod"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stderr, "note: "+filepath.Join("params", "extra", "other.json")+" belongs to no template under templates/; not checked\n") {
		t.Errorf("stderr does not name the unclaimed params file:\n%s", stderr)
	}
	if !strings.Contains(stderr, "2 template(s): 1 error(s), 0 warning(s), ") {
		t.Errorf("summary:\n%s", stderr)
	}
}

// init --config in a directory that does not exist yet creates it; when it
// cannot write, the message names the file or directory, never a temporary
// file.
func TestInitConfigInNewDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "infra", "cfngen.yaml")
	_, stderr := cfgMustMain(t, "init", "--config", cfg)
	if stderr != "wrote "+cfg+"\n" {
		t.Errorf("stderr %q", stderr)
	}
	if _, _, err := loadConfig(t, cfg); err != nil {
		t.Errorf("the written file does not load: %v", err)
	}
	blocker := filepath.Join(dir, "file")
	cfgWrite(t, blocker, "x")
	code, _, stderr := cfgMain(t, "init", "--config", filepath.Join(blocker, "cfngen.yaml"))
	if code != cli.ExitTrouble || !strings.Contains(stderr, blocker) || strings.Contains(stderr, ".tmp") {
		t.Errorf("exit %d, stderr %q; want 2 naming %s and no temporary file", code, stderr, blocker)
	}
}

// loadConfig renders cfg with --check into an empty directory: it loads when
// the only complaint is the missing files.
func loadConfig(t *testing.T, cfg string) (int, string, error) {
	t.Helper()
	code, _, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", t.TempDir(), "--check")
	if code == cli.ExitTrouble {
		return code, stderr, &os.PathError{Op: "load", Path: cfg, Err: os.ErrInvalid}
	}
	return code, stderr, nil
}

// Files whose content does not change are not rewritten and not reported
// as written, by render and by docs.
func TestUnchangedFilesAreNotWritten(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, command := range []string{"render", "docs"} {
		if _, stderr := cfgMustMain(t, command); !strings.Contains(stderr, "wrote ") {
			t.Fatalf("first %s wrote nothing:\n%s", command, stderr)
		}
		before := cfgTree(t, dir) // modes and times included
		_, stderr := cfgMustMain(t, command)
		if strings.Contains(stderr, "wrote ") || !strings.Contains(stderr, " file(s) unchanged\n") {
			t.Errorf("second %s:\n%s", command, stderr)
		}
		if !reflect.DeepEqual(before, cfgTree(t, dir)) {
			t.Errorf("second %s touched files", command)
		}
	}
}

// The README's path for a newcomer: init, render, check and validate, then
// a two-environment config, each step with the documented exit code.
func TestNewcomerPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	two, err := os.ReadFile(filepath.Join(cwd(t), "..", "..", "testdata", "two-env", "cfngen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		edit string // written to cfngen.yaml before the step, if set
		code int
	}{
		{args: []string{"init"}},
		{args: []string{"render"}},
		{args: []string{"render", "--check"}},
		{args: []string{"validate"}},
		{args: []string{"render", "--check"}, edit: string(two), code: cli.ExitDiff},
		{args: []string{"render"}},
		{args: []string{"render", "--check"}},
		{args: []string{"validate"}},
		{args: []string{"init"}, code: cli.ExitTrouble}, // cfngen.yaml exists
	}
	for _, s := range steps {
		if s.edit != "" {
			cfgWrite(t, filepath.Join(dir, "cfngen.yaml"), s.edit)
		}
		code, stdout, stderr := cfgMain(t, s.args...)
		if code != s.code {
			t.Fatalf("cfngen %s: exit %d, want %d\n%s%s", strings.Join(s.args, " "), code, s.code, stdout, stderr)
		}
	}
	for _, p := range []string{"params/prod/params.json", "params/prod/params-with-rds.json", "params/tags.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// cwd is the directory the test started in (the package directory), kept
// before t.Chdir moves away.
var startDir, _ = os.Getwd()

func cwd(t *testing.T) string {
	t.Helper()
	if startDir == "" {
		t.Fatal("no start directory")
	}
	return startDir
}

// render --help names every file a render writes (an environment's
// directory as <env>), and the JSON variant.
func TestRenderHelpListsWrittenFiles(t *testing.T) {
	dir, _ := renderTwoEnv(t)
	help, _ := cfgMustMain(t, "render", "--help")
	n := 0
	for p := range cfgFiles(t, dir) {
		if p == "cfngen.yaml" {
			continue
		}
		n++
		if shown := strings.Replace(p, "params/prod/", "params/<env>/", 1); !strings.Contains(help, shown) {
			t.Errorf("render --help does not list %s:\n%s", shown, help)
		}
	}
	if n != 8 || !strings.Contains(help, "(.json instead with --format json)") {
		t.Errorf("%d files written; help:\n%s", n, help)
	}
}

// A config moved away (or cfngen run from another directory) must not
// render the built-in defaults over a two-environment output and delete
// the other environment's files: render refuses and changes nothing.
func TestDefaultsDoNotReplaceAnotherProject(t *testing.T) {
	dir, cfg := renderTwoEnv(t)
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	before := cfgTree(t, dir)
	code, _, stderr := cfgMain(t, "render")
	if code != cli.ExitTrouble || !strings.Contains(stderr, "no cfngen.yaml here, so cfngen would render its built-in defaults") || !strings.Contains(stderr, "params/prod/params.json") {
		t.Fatalf("exit %d, stderr %q; want 2 naming the other environment's files", code, stderr)
	}
	if after := cfgTree(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("render changed files although it refused")
	}
	// --check only reports: the stale files are a difference (exit 1).
	if code, _, _ := cfgMain(t, "render", "--check"); code != cli.ExitDiff {
		t.Errorf("render --check: exit %d, want 1", code)
	}
}
