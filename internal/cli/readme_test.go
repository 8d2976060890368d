package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// TestReadmeErrorExample renders the README's example of a bad cfngen.yaml
// and demands exactly the error text the README shows under it.
func TestReadmeErrorExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- the example below is checked by TestReadmeErrorExample -->\n"
	_, rest, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatal("README has no checked error example")
	}
	block := func(s, fence string) (string, string) {
		_, after, ok := strings.Cut(s, fence)
		if !ok {
			t.Fatalf("no %q block in the README example", fence)
		}
		body, after, ok := strings.Cut(after, "\n```\n")
		if !ok {
			t.Fatal("unclosed block in the README example")
		}
		return body + "\n", after
	}
	config, rest := block(rest, "```yaml\n")
	want, _ := block(rest, "```\n")

	dir := t.TempDir()
	t.Chdir(dir)
	cfgWrite(t, filepath.Join(dir, "cfngen.yaml"), config)
	code, stdout, stderr := cfgMain(t, "render")
	if code != cli.ExitTrouble || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
	}
	if stderr != want {
		t.Errorf("the README shows:\n%s\ncfngen prints:\n%s", want, stderr)
	}
}
