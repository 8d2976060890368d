//go:build external

package project

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/scenario"
)

// TestExternalCfnLint runs the real linter, cfn-lint, once over every
// template cfngen renders in its golden scenarios (YAML, and JSON for the
// default), over the end-to-end case's templates and over the correct
// hand-written templates in testdata/handwritten. It is slow (seconds),
// so it is kept out of `go test ./...` behind the external build tag;
// `make test` and CI run it. It never skips: without cfn-lint it fails.
func TestExternalCfnLint(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is not on PATH: install it (pip install cfn-lint) to run the external checks; `go test ./...` runs everything else")
	}
	dir := t.TempDir()
	var paths []string
	for _, sc := range scenario.All {
		formats := []string{"yaml"}
		if sc.Name == "default" {
			formats = append(formats, "json")
		}
		for _, format := range formats {
			files, _ := renderFiles(t, sc.Model(), format)
			for _, f := range files {
				if !strings.HasPrefix(f.Path, "templates/") {
					continue
				}
				p := filepath.Join(dir, sc.Name+"-"+filepath.Base(f.Path))
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
		}
	}
	// The end-to-end case's golden templates (internal/cli's TestEndToEnd
	// proves the CLI writes exactly these).
	e2e, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "out", "templates", "*"))
	if err != nil || len(e2e) == 0 {
		t.Fatalf("no end-to-end templates found: %v", err)
	}
	paths = append(paths, e2e...)
	// The correct hand-written templates of the backend (internal/validate's
	// TestHandwrittenCorrectTemplates requires 0 findings of validate on them).
	for _, name := range []string{"backend-correct.yaml", "backend-correct-rds.json"} {
		paths = append(paths, filepath.Join("..", "..", "testdata", "handwritten", name))
	}
	out, err := exec.Command(bin, append([]string{"--"}, paths...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("cfn-lint found problems (%v):\n%s", err, out)
	}
	t.Logf("cfn-lint passed %d templates", len(paths))
}
