package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// valMain runs cli.Main with args and returns the exit code and both outputs.
func valMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(args, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

// valFiles writes files (name -> content) into a new temporary directory,
// makes it the working directory, and returns it.
func valFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

var valSummary = regexp.MustCompile(`(?m)^(\d+) template\(s\): (\d+) error\(s\), (\d+) warning\(s\), (\d+) suppressed$`)

// Templates for the tests: each small enough that only the rule it is about
// has something to say.
const (
	valBadRef = `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Ref TopicNme
`
	valUnusedParam = `Parameters:
  Unused:
    Type: String
    Default: x
Resources:
  Topic:
    Type: AWS::SNS::Topic
`
	valNeedsA = `Parameters:
  A:
    Type: String
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Ref A
      Type: String
      Value: a
`
	valNeedsB = `Parameters:
  B:
    Type: String
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Ref B
      Type: String
      Value: b
`
	valParamsA = `[{"ParameterKey": "A", "ParameterValue": "alerts"}]`
	valParamsB = `[{"ParameterKey": "B", "ParameterValue": "jobs"}]`
)

// TestValidateCommittedTemplates checks the repository's own templates,
// whatever its cfngen.yaml says: no finding. The counts below are those of
// the built-in defaults, so they are checked on a fresh default render.
func TestValidateCommittedTemplates(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	code, stdout, stderr := valMain(t, "validate")
	if code != cli.ExitOK {
		t.Fatalf("cfngen validate: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stdout != "" {
		t.Errorf("findings on the committed templates:\n%s", stdout)
	}
	if !strings.Contains(stderr, " 0 error(s), 0 warning(s), ") {
		t.Errorf("summary %q, want no errors and no warnings", stderr)
	}
}

func TestValidateDefaultTemplates(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no cfngen.yaml: the built-in defaults
	if code, _, stderr := valMain(t, "render"); code != cli.ExitOK {
		t.Fatalf("render: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := valMain(t, "validate")
	if code != cli.ExitOK || stdout != "" {
		t.Fatalf("cfngen validate: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// The findings cfngen's defaults intend are suppressed, not hidden:
	// 11 per template (see the README's suppression table).
	if !strings.Contains(stderr, "2 template(s): 0 error(s), 0 warning(s), 22 suppressed") {
		t.Errorf("summary %q, want 2 templates without findings and 22 suppressed", stderr)
	}
	code, stdout, _ = valMain(t, "validate", "--show-suppressed")
	if code != cli.ExitOK {
		t.Fatalf("--show-suppressed: exit %d", code)
	}
	for _, want := range []string{
		"templates/backend-stack.yaml:",
		"warning C625 LoadBalancerSecurityGroup: LoadBalancerSecurityGroup allows tcp 443 from 0.0.0.0/0 to an internet-facing load balancer",
		"    suppressed: Public load balancer by design; WAF in front",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--show-suppressed output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestValidateBadTemplate(t *testing.T) {
	valFiles(t, map[string]string{"bad.yaml": valBadRef})
	code, stdout, stderr := valMain(t, "validate", "bad.yaml")
	if code != cli.ExitDiff {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, cli.ExitDiff, stdout, stderr)
	}
	want := "bad.yaml:5: error R201 Topic: Ref to \"TopicNme\", which is not a parameter, resource or pseudo parameter\n" +
		"    fix: define the parameter or resource, or correct the name\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks the R201 finding %q:\n%s", want, stdout)
	}
	m := valSummary.FindStringSubmatch(stderr)
	if m == nil || m[1] != "1" || m[2] == "0" {
		t.Errorf("stderr %q: want a summary of 1 template with errors", stderr)
	}
	if strings.Contains(stdout, "template(s)") {
		t.Errorf("the summary went to stdout:\n%s", stdout)
	}
}

func TestValidateStrict(t *testing.T) {
	valFiles(t, map[string]string{"warn.yaml": valUnusedParam})
	code, stdout, stderr := valMain(t, "validate", "warn.yaml")
	if code != cli.ExitOK {
		t.Fatalf("without --strict: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "warning R208") {
		t.Errorf("stdout lacks the R208 warning:\n%s", stdout)
	}
	if m := valSummary.FindStringSubmatch(stderr); m == nil || m[2] != "0" || m[3] == "0" {
		t.Errorf("stderr %q: want warnings and no errors", stderr)
	}
	code, stdout, stderr = valMain(t, "validate", "warn.yaml", "--strict")
	if code != cli.ExitDiff {
		t.Errorf("with --strict: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, cli.ExitDiff, stdout, stderr)
	}
	if code, _, _ := valMain(t, "validate", "--strict", "warn.yaml"); code != cli.ExitDiff {
		t.Errorf("--strict before the template: exit %d, want %d", code, cli.ExitDiff)
	}
}

func TestValidateFormats(t *testing.T) {
	valFiles(t, map[string]string{"bad.yaml": valBadRef})

	code, stdout, stderr := valMain(t, "validate", "bad.yaml", "--format", "json")
	if code != cli.ExitDiff {
		t.Fatalf("--format json: exit %d\nstderr:\n%s", code, stderr)
	}
	var findings []struct {
		Rule, Severity, File, Resource, Message, Fix string
		Line                                         int
	}
	if err := json.Unmarshal([]byte(stdout), &findings); err != nil {
		t.Fatalf("--format json output does not parse: %v\n%s", err, stdout)
	}
	found := false
	for _, f := range findings {
		if f.Rule == "R201" {
			found = true
			if f.Severity != "error" || f.File != "bad.yaml" || f.Line != 5 || f.Resource != "Topic" || f.Fix == "" {
				t.Errorf("R201 finding: %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("no R201 finding in %s", stdout)
	}

	code, stdout, stderr = valMain(t, "validate", "--format=sarif", "bad.yaml")
	if code != cli.ExitDiff {
		t.Fatalf("--format sarif: exit %d\nstderr:\n%s", code, stderr)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatalf("--format sarif output does not parse: %v\n%s", err, stdout)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("SARIF log: version %q, %d runs", log.Version, len(log.Runs))
	}
	found = false
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "R201" && r.Level == "error" && len(r.Locations) == 1 && r.Locations[0].PhysicalLocation.Region.StartLine == 5 {
			found = true
		}
	}
	if !found {
		t.Errorf("no R201 result at line 5 in the SARIF log:\n%s", stdout)
	}

	if code, _, stderr := valMain(t, "validate", "bad.yaml", "--format", "xml"); code != cli.ExitTrouble || !strings.Contains(stderr, "xml") {
		t.Errorf("--format xml: exit %d, stderr %q; want 2 and a message", code, stderr)
	}
}

func TestValidateParams(t *testing.T) {
	valFiles(t, map[string]string{
		"a.yaml": valNeedsA, "b.yaml": valNeedsB,
		"a.json": valParamsA, "b.json": valParamsB, "empty.json": "[]",
	})

	// Each --params belongs to the template before it.
	if code, stdout, stderr := valMain(t, "validate", "a.yaml", "--params", "a.json", "b.yaml", "-p", "b.json"); code != cli.ExitOK {
		t.Errorf("matching params: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, _ := valMain(t, "validate", "a.yaml", "--params=b.json", "b.yaml", "--params", "a.json")
	if code != cli.ExitDiff {
		t.Errorf("swapped params: exit %d, want %d", code, cli.ExitDiff)
	}
	for _, want := range []string{
		"b.json:1: error P401 B is not a parameter of a.yaml",
		"b.json: error P402 A has no default and no value",
		"a.json:1: error P401 A is not a parameter of b.yaml",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("swapped params: stdout lacks %q:\n%s", want, stdout)
		}
	}
	// A template without --params is not checked for parameter values; with
	// an empty file it is.
	if code, stdout, _ := valMain(t, "validate", "a.yaml"); code != cli.ExitOK {
		t.Errorf("no params file: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := valMain(t, "validate", "a.yaml", "--params", "empty.json"); code != cli.ExitDiff || !strings.Contains(stdout, "P402") {
		t.Errorf("empty params file: exit %d, want %d with P402\n%s", code, cli.ExitDiff, stdout)
	}

	for _, args := range [][]string{
		{"validate", "--params", "a.json", "a.yaml"},
		{"validate", "a.yaml", "--params", "a.json", "--params", "b.json"},
		{"validate", "a.yaml", "--params"},
	} {
		code, stdout, stderr := valMain(t, args...)
		if code != cli.ExitTrouble || stdout != "" || !strings.Contains(stderr, "--params") && !strings.Contains(stderr, "two") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, stdout, stderr)
		}
	}
	if _, _, stderr := valMain(t, "validate", "--params", "a.json", "a.yaml"); !strings.Contains(stderr, "must follow the template") {
		t.Errorf("leading --params: stderr %q", stderr)
	}
}

func TestValidateCannotRun(t *testing.T) {
	valFiles(t, map[string]string{
		"ok.yaml":      valNeedsA,
		"notes.txt":    "just some notes, not a template\n",
		"list.yaml":    "- Resources\n- Outputs\n",
		"broken.yaml":  "Resources:\n  Topic: {Type: AWS::SNS::Topic\n",
		"bad-params":   `{"A": "alerts"}`,
		"unknown.yaml": "Resources:\n  Topic:\n    Type: !Bogus AWS::SNS::Topic\n",
	})
	if err := os.Mkdir("templates.yaml", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"missing.yaml"}, "missing.yaml"},
		{[]string{"templates.yaml"}, "templates.yaml"},
		{[]string{"ok.yaml", "--params", "missing.json"}, "missing.json"},
		{[]string{"notes.txt"}, "not a CloudFormation template"},
		{[]string{"list.yaml"}, "not a CloudFormation template"},
		{[]string{"broken.yaml"}, "not a CloudFormation template"},
		{[]string{"unknown.yaml"}, "not a CloudFormation template"},
		{[]string{"ok.yaml", "--params", "bad-params"}, "not a parameters file"},
		{[]string{"ok.yaml", "--bogus"}, "unknown flag: --bogus (see cfngen validate --help)"},
	} {
		code, stdout, stderr := valMain(t, append([]string{"validate"}, c.args...)...)
		if code != cli.ExitTrouble {
			t.Errorf("%v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.args, code, cli.ExitTrouble, stdout, stderr)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%v: stderr %q lacks %q", c.args, stderr, c.want)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q, want nothing", c.args, stdout)
		}
	}
	if valCanHideFiles(t) {
		if err := os.Chmod("ok.yaml", 0); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := valMain(t, "validate", "ok.yaml"); code != cli.ExitTrouble || !strings.Contains(stderr, "ok.yaml") {
			t.Errorf("unreadable template: exit %d, stderr %q; want 2", code, stderr)
		}
	}
}

// valCanHideFiles reports whether removing a file's permissions makes it
// unreadable (not so for root).
func valCanHideFiles(t *testing.T) bool {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(p, nil, 0); err != nil {
		t.Fatal(err)
	}
	_, err := os.ReadFile(p)
	return err != nil
}

func TestValidateHelp(t *testing.T) {
	for _, flag := range []string{"--help", "-h"} {
		code, stdout, stderr := valMain(t, "validate", "x.yaml", flag)
		if code != cli.ExitOK {
			t.Errorf("validate %s: exit %d\nstderr:\n%s", flag, code, stderr)
		}
		for _, want := range []string{"Usage:", "--params", "--strict", "sarif"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("validate %s: help lacks %q:\n%s", flag, want, stdout)
			}
		}
	}
}

func TestValidateRulesList(t *testing.T) {
	code, stdout, stderr := valMain(t, "validate", "--rules")
	if code != cli.ExitOK {
		t.Fatalf("validate --rules: exit %d\nstderr:\n%s", code, stderr)
	}
	for _, want := range []string{"S101  error", "R208  warning", "L301  warning", "P404  error", "D551  error", "D555  warning"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("validate --rules lacks %q:\n%s", want, stdout)
		}
	}
}

// "-" reads the template from standard input; it can be read once.
func TestValidateStdin(t *testing.T) {
	valFiles(t, map[string]string{"a.json": valParamsA})
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"validate", "-", "--params", "a.json"}, cli.IOStreams{In: strings.NewReader(valNeedsA), Out: &out, ErrOut: &errOut})
	if code != cli.ExitOK || !strings.Contains(errOut.String(), "1 template(s): 0 error(s)") {
		t.Errorf("validate - with params: exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	code = cli.Main([]string{"validate", "-"}, cli.IOStreams{In: strings.NewReader(valBadRef), Out: &out, ErrOut: &errOut})
	if code != cli.ExitDiff || !strings.Contains(out.String(), "TopicNme") {
		t.Errorf("validate - with a bad reference: exit %d, want 1 naming TopicNme\nstdout:\n%s", code, out.String())
	}
	if code, _, stderr := valMain(t, "validate", "-", "-"); code != cli.ExitTrouble || !strings.Contains(stderr, "only once") {
		t.Errorf("validate - -: exit %d, stderr %q; want 2", code, stderr)
	}
}

// Cobra parses validate's flags, so the shell completes them and their values.
func TestValidateCompletion(t *testing.T) {
	code, stdout, stderr := valMain(t, "__complete", "validate", "--format", "")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"text", "json", "sarif"} {
		if !strings.Contains(stdout, want+"\n") {
			t.Errorf("completion of --format lacks %q:\n%s", want, stdout)
		}
	}
	_, stdout, _ = valMain(t, "__complete", "validate", "--")
	for _, want := range []string{"--params", "--strict", "--show-suppressed", "--rules", "--format"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("flag completion lacks %s:\n%s", want, stdout)
		}
	}
	if _, stdout, _ := valMain(t, "validate", "--help"); strings.Count(stdout, "Flags:") != 1 {
		t.Errorf("validate --help has %d Flags: sections, want 1", strings.Count(stdout, "Flags:"))
	}
}

// TestValidateBatchWithBadFile: one file that cannot be read or parsed is
// trouble (exit 2), but the findings of the others are still reported.
func TestValidateBatchWithBadFile(t *testing.T) {
	valFiles(t, map[string]string{
		"bad.yaml":  "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: {Ref: X}\n",
		"notes.txt": "just some notes, not a template\n",
	})
	code, stdout, stderr := valMain(t, "validate", "notes.txt", "bad.yaml", "missing.yaml")
	if code != cli.ExitTrouble {
		t.Errorf("exit %d, want %d", code, cli.ExitTrouble)
	}
	if !strings.Contains(stdout, "bad.yaml:4: error S107") {
		t.Errorf("stdout lacks the finding of bad.yaml:\n%s", stdout)
	}
	for _, want := range []string{"notes.txt: not a CloudFormation template", "missing.yaml"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestValidateProfile: --profile backend runs the backend's rules on a
// template cfngen did not write; an unknown profile is bad usage.
func TestValidateProfile(t *testing.T) {
	valFiles(t, map[string]string{
		"queue.yaml": "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {SqsManagedSseEnabled: true}\n",
	})
	if _, stdout, _ := valMain(t, "validate", "queue.yaml"); strings.Contains(stdout, "D557") {
		t.Errorf("backend rule without --profile:\n%s", stdout)
	}
	code, stdout, _ := valMain(t, "validate", "queue.yaml", "--profile", "backend")
	if code != cli.ExitDiff || !strings.Contains(stdout, "error D557 Queue: no output gives the queue URL") {
		t.Errorf("--profile backend: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := valMain(t, "validate", "queue.yaml", "--profile", "frontend"); code != cli.ExitTrouble || !strings.Contains(stderr, `--profile "frontend" is not allowed (allowed: backend)`) {
		t.Errorf("unknown profile: exit %d, stderr %q", code, stderr)
	}
}
