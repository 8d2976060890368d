package cli_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
	"github.com/cfngen/cfngen/internal/golden"
)

// TestEndToEnd renders each case under testdata/ (a directory holding a
// cfngen.yaml) through the CLI and compares every written file with the
// golden files in the case's out/ directory (go test -update rewrites them).
func TestEndToEnd(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "cfngen.yaml"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no end-to-end cases found: %v", err)
	}
	for _, cfg := range cases {
		dir := filepath.Dir(cfg)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := cli.Main([]string{"render", "--config", cfg, "--out-dir", out}, cli.IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var written []string
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(out, p)
					written = append(written, rel)
					data, _ := os.ReadFile(p)
					golden.Assert(t, filepath.Join(dir, "out", rel), data)
				}
				return nil
			})
			// No golden file may be left without a written counterpart.
			filepath.WalkDir(filepath.Join(dir, "out"), func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(filepath.Join(dir, "out"), p)
					if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
						t.Errorf("golden %s was not written by this render", rel)
					}
				}
				return nil
			})
			if len(written) == 0 {
				t.Error("render wrote nothing")
			}
		})
	}
}
