package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
	"github.com/cfngen/cfngen/internal/docs"
)

const docsReadme = "# project\n\nintro\n\n" + docs.BlockBegin + "\nold diagram\n" + docs.BlockEnd + "\n\nrest\n"

var docsFiles = []string{"README.md", "docs/backend-stack-with-rds.md", "docs/backend-stack.md"}

func TestDocsWritesAndChecks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "README.md"), docsReadme)
	code, _, stderr := run(t, "docs", "--out-dir", dir)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := regularFiles(t, dir); !slices.Equal(got, docsFiles) {
		t.Errorf("files %v, want %v", got, docsFiles)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	if !strings.HasPrefix(string(readme), "# project\n\nintro\n\n"+docs.BlockBegin+"\n") ||
		!strings.Contains(string(readme), "```mermaid\nflowchart LR\n") || !strings.HasSuffix(string(readme), docs.BlockEnd+"\n\nrest\n") ||
		strings.Contains(string(readme), "old diagram") {
		t.Errorf("README block not replaced:\n%s", readme)
	}
	code, stdout, stderr := run(t, "docs", "--out-dir", dir, "--check")
	if code != cli.ExitOK || stdout != "" || !strings.Contains(stderr, "3 files match a fresh generation") {
		t.Errorf("check after docs: exit %d, %q, %q", code, stdout, stderr)
	}
}

func TestDocsCheckStale(t *testing.T) {
	for name, spoil := range map[string]func(dir string){
		"edited reference": func(dir string) {
			p := filepath.Join(dir, "docs", "backend-stack.md")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(data), "## Parameters", "## Params", 1)), 0o644)
		},
		"stale README diagram": func(dir string) {
			p := filepath.Join(dir, "README.md")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(data), "internet --> waf", "internet --> lb", 1)), 0o644)
		},
		"missing reference": func(dir string) { os.RemoveAll(filepath.Join(dir, "docs")) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "README.md"), docsReadme)
			if code, _, stderr := run(t, "docs", "-o", dir); code != cli.ExitOK {
				t.Fatalf("docs: exit %d: %s", code, stderr)
			}
			spoil(dir)
			before := snapshot(t, dir)
			code, stdout, stderr := run(t, "docs", "-o", dir, "--check")
			if code != cli.ExitDiff || !strings.Contains(stderr, "differ from a fresh generation; run cfngen docs") {
				t.Errorf("exit %d, stderr %q; want 1", code, stderr)
			}
			if !strings.Contains(stdout, "(on disk)") || !strings.Contains(stdout, "(generated)") {
				t.Errorf("no diff on stdout:\n%s", stdout)
			}
			if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
				t.Errorf("--check changed files: %v", d)
			}
		})
	}
}

func TestDocsReadme(t *testing.T) {
	// No README: only docs/ is written.
	dir := t.TempDir()
	if code, _, stderr := run(t, "docs", "-o", dir); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := regularFiles(t, dir); !slices.Equal(got, docsFiles[1:]) {
		t.Errorf("files %v", got)
	}
	// A README without the block is left alone, and said so.
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "README.md"), "# mine\n")
	code, _, stderr := run(t, "docs", "-o", dir)
	if data, _ := os.ReadFile(filepath.Join(dir, "README.md")); code != cli.ExitOK || string(data) != "# mine\n" || !strings.Contains(stderr, "is not managed") {
		t.Errorf("exit %d, README %q, stderr %q", code, data, stderr)
	}
	// Broken markers: exit 2, nothing written.
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "README.md"), docs.BlockBegin+"\nno end\n")
	before := snapshot(t, dir)
	code, _, stderr = run(t, "docs", "-o", dir)
	if code != cli.ExitTrouble || !strings.Contains(stderr, "README.md: want one") {
		t.Errorf("broken markers: exit %d, %s", code, stderr)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
		t.Errorf("files changed: %v", d)
	}
}

func TestDocsTemplate(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	writeFile(t, small, graphSmall)
	before := snapshot(t, dir)
	code, stdout, stderr := run(t, "docs", small)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"# small\n", "```mermaid\nflowchart LR\n", "| `Uploads` | `S3::Bucket` | Object storage. |",
		"aws cloudformation create-stack --stack-name small \\\n  --template-body file://" + small + "\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("reference lacks %q:\n%s", want, stdout)
		}
	}
	if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
		t.Errorf("docs TEMPLATE wrote files: %v", d)
	}
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "Parameters: {}\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"docs", bad}, bad + ": template has no Resources section"},
		{[]string{"docs", filepath.Join(dir, "missing.yaml")}, "no such file"},
		{[]string{"docs", small, "--check"}, "leave them out with TEMPLATE"},
		{[]string{"docs", small, "-o", dir}, "leave them out with TEMPLATE"},
		{[]string{"docs", "--config", filepath.Join(dir, "missing.yaml")}, "read config"},
	} {
		code, stdout, stderr := run(t, c.args...)
		if code != cli.ExitTrouble || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// TestCommittedFiles runs the CI gate on the repository itself: the
// committed templates, params files, docs and README diagram are what
// cfngen generates from the repository's model (its cfngen.yaml, or the
// built-in defaults without one).
func TestCommittedFiles(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, command := range []string{"render", "docs"} {
		code, stdout, stderr := run(t, command, "--check")
		if code != cli.ExitOK {
			t.Errorf("cfngen %s --check on the repository: exit %d (run `make render`)\n%s%s", command, code, stderr, stdout)
		}
	}
}

func TestDocsFlags(t *testing.T) {
	var got *cli.DocsOptions
	cmd := cli.NewCmdDocs(cli.IOStreams{}, func(o *cli.DocsOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--check", "-o", "out", "-c", "m.yaml"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Check || got.OutDir != "out" || got.Config != "m.yaml" || got.Template != "" {
		t.Errorf("options %+v", got)
	}
}
