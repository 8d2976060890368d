package cli_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

const dbNameConfig = `environments:
  dev:
    params: {databaseName: orders}
  staging: {}
  prod: {}
`

func TestDiffModel(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no cfngen.yaml: the defaults
	renderInto(t, dir)
	before := snapshot(t, dir)

	code, out, stderr := run(t, "diff")
	if code != cli.ExitOK || strings.Count(out, "no changes") != 2 {
		t.Fatalf("committed = rendered: exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}

	cfg := filepath.Join(t.TempDir(), "cfngen.yaml")
	writeFile(t, cfg, dbNameConfig)
	code, out, _ = run(t, "diff", "--config", cfg)
	if code != cli.ExitDiff || !strings.Contains(out, "~ DBCluster (AWS::RDS::DBCluster)  replacement: True, data loss: True") ||
		!strings.Contains(out, "~ DBInstance (AWS::RDS::DBInstance)  replacement: True, data loss: True") {
		t.Errorf("database name: exit %d, stdout:\n%s", code, out)
	}
	for _, c := range []struct {
		failOn string
		code   int
	}{{"data-loss", cli.ExitDiff}, {"replace", cli.ExitDiff}, {"security", cli.ExitOK}, {"security,data-loss", cli.ExitDiff}, {"fails,breaks", cli.ExitOK}} {
		if code, _, stderr := run(t, "diff", "--config", cfg, "--fail-on", c.failOn); code != c.code {
			t.Errorf("--fail-on %s: exit %d, want %d; stderr: %s", c.failOn, code, c.code, stderr)
		}
	}

	code, out, _ = run(t, "diff", "--config", cfg, "--format", "json")
	var changes []map[string]any
	if err := json.Unmarshal([]byte(out), &changes); err != nil || code != cli.ExitDiff {
		t.Fatalf("json: exit %d, %v:\n%s", code, err, out)
	}
	found := false
	for _, c := range changes {
		if c["logicalId"] == "DBCluster" {
			found = true
			want := map[string]any{"action": "Modify", "replacement": "True", "dataLoss": "True", "type": "AWS::RDS::DBCluster",
				"paths": []any{"Properties.DatabaseName"}, "security": []any{}}
			for k, v := range want {
				if !reflect.DeepEqual(c[k], v) {
					t.Errorf("json DBCluster %s = %v, want %v", k, c[k], v)
				}
			}
		}
	}
	if !found {
		t.Errorf("json: no DBCluster change:\n%s", out)
	}

	code, out, _ = run(t, "diff", "--config", cfg, "--format", "markdown")
	if code != cli.ExitDiff || !strings.HasPrefix(out, "## cfngen diff\n") || !strings.Contains(out, "| Data loss | Modify `DBCluster` |") {
		t.Errorf("markdown: exit %d:\n%s", code, out)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
		t.Errorf("cfngen diff touched files: %v", d)
	}
}

func TestDiffFiles(t *testing.T) {
	pair := "../diff/testdata/handwritten/stateful/"
	code, out, stderr := run(t, "diff", pair+"old.yaml", pair+"new.yaml", "--old-params", pair+"old-params.json", "--new-params", pair+"new-params.json")
	if code != cli.ExitDiff || !strings.Contains(out, "Will fail (5)") || !strings.Contains(stderr, "change(s) forecast") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if code, out, _ := run(t, "diff", pair+"old.yaml", pair+"old.yaml"); code != cli.ExitOK || !strings.Contains(out, "no changes") {
		t.Errorf("a template against itself: exit %d:\n%s", code, out)
	}
	if code, _, _ := run(t, "diff", pair+"old.yaml", pair+"new.yaml", "--fail-on", "security"); code != cli.ExitDiff {
		t.Errorf("--fail-on security: exit %d", code)
	}
	// fails and breaks gate the Will fail and Breaks groups (review
	// finding 13); a change of neither kind passes them.
	for _, kind := range []string{"fails", "breaks"} {
		code, _, stderr := run(t, "diff", pair+"old.yaml", pair+"new.yaml", "--old-params", pair+"old-params.json", "--new-params", pair+"new-params.json", "--fail-on", kind)
		if code != cli.ExitDiff || !strings.Contains(stderr, "--fail-on: ") || !strings.Contains(stderr, " "+kind) {
			t.Errorf("--fail-on %s: exit %d; stderr: %s", kind, code, stderr)
		}
	}
}

func TestDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, "not-a-template.yaml", "just: [a, list\n")
	writeFile(t, "t.yaml", "Resources: {}\n")
	writeFile(t, "bad-params.json", "{}\n")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"diff", "t.yaml"}, "two templates (OLD NEW) or none"},
		{[]string{"diff", "--format", "xml"}, `--format "xml" is not allowed`},
		{[]string{"diff", "--fail-on", "everything"}, `--fail-on "everything" is not allowed`},
		{[]string{"diff", "missing.yaml", "t.yaml"}, "missing.yaml"},
		{[]string{"diff", "not-a-template.yaml", "t.yaml"}, "not-a-template.yaml"},
		{[]string{"diff", "t.yaml", "t.yaml", "--new-params", "bad-params.json"}, "bad-params.json: not a parameters file"},
		{[]string{"diff", "t.yaml", "t.yaml", "--against", "HEAD"}, "leave them out with OLD NEW"},
		{[]string{"diff", "--old-params", "p.json"}, "go with OLD NEW"},
		{[]string{"diff", "--worktree"}, "give --against"},
		{[]string{"diff", "--against", "no-such-revision"}, "not a commit"},
	} {
		code, _, stderr := run(t, c.args...)
		if code != cli.ExitTrouble || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.msg)
		}
	}
}

func TestDiffAgainst(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	renderInto(t, dir)
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "deployed"},
		{"tag", "deployed"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if code, out, stderr := run(t, "diff", "--against", "deployed"); code != cli.ExitOK {
		t.Fatalf("against the same files: exit %d\n%s\n%s", code, out, stderr)
	}
	// The working tree moves on: the new side is the fresh render or, with
	// --worktree, the files on disk.
	writeFile(t, "cfngen.yaml", dbNameConfig)
	code, out, _ := run(t, "diff", "--against", "deployed")
	if code != cli.ExitDiff || !strings.Contains(out, "(at deployed) -> templates/backend-stack.yaml with params/params.json (fresh render)") || !strings.Contains(out, "DBCluster") {
		t.Errorf("against deployed, fresh render: exit %d:\n%s", code, out)
	}
	if code, _, _ := run(t, "diff", "--against", "deployed", "--worktree"); code != cli.ExitOK {
		t.Errorf("against deployed, working tree not rendered yet: exit %d", code)
	}
	renderInto(t, dir)
	if code, out, _ := run(t, "diff", "--against", "deployed", "--worktree", "--fail-on", "data-loss"); code != cli.ExitDiff || !strings.Contains(out, "(working tree)") {
		t.Errorf("against deployed, working tree rendered: exit %d:\n%s", code, out)
	}
}
