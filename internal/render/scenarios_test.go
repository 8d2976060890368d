package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/model"
)

// scenarios are the models locked by golden files.
var scenarios = []struct {
	name  string
	model func() model.Backend
}{
	{"default", model.Default},
	{"three-az", func() model.Backend {
		m := model.Default()
		m.Network.AZCount = 3
		return m
	}},
	{"uploads-no-bastion", func() model.Backend {
		m := model.Default()
		m.Bastion.Enabled = false
		m.Edge.WAF.CountLargeBodies = true
		m.DefaultEnvironment = "prod"
		setParams(&m, func(p *model.Params) { p.EnableSpot = true })
		return m
	}},
}

// setParams changes the parameter values of every environment.
func setParams(m *model.Backend, f func(*model.Params)) {
	for i := range m.Environments {
		f(&m.Environments[i].Params)
	}
}

func renderFiles(t testing.TB, m model.Backend) []File {
	t.Helper()
	files, _, err := Files(m, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGolden(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			for _, f := range renderFiles(t, sc.model()) {
				golden.Assert(t, filepath.Join("testdata", sc.name, f.Path), f.Data)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	first := renderFiles(t, model.Default())
	for run := 0; run < 5; run++ {
		again := renderFiles(t, model.Default())
		if len(again) != len(first) {
			t.Fatalf("run %d: %d files, first run %d", run, len(again), len(first))
		}
		for i := range first {
			if string(first[i].Data) != string(again[i].Data) || first[i].Path != again[i].Path {
				t.Fatalf("run %d: %s differs between runs", run, first[i].Path)
			}
		}
	}
}

// TestCommittedOutput proves the templates and params users deploy are what
// cfngen renders today.
func TestCommittedOutput(t *testing.T) {
	for _, f := range renderFiles(t, model.Default()) {
		disk, err := os.ReadFile(filepath.Join("..", "..", f.Path))
		if err != nil {
			t.Fatalf("read committed %s: %v", f.Path, err)
		}
		if string(disk) != string(f.Data) {
			t.Errorf("committed %s differs from a fresh render: run `go run ./cmd/cfngen render`", f.Path)
		}
	}
}

func TestTemplateSize(t *testing.T) {
	for _, sc := range scenarios {
		for _, f := range renderFiles(t, sc.model()) {
			if strings.HasSuffix(f.Path, ".yaml") && len(f.Data) > 51200 {
				t.Errorf("%s/%s is %d bytes, over the 51,200-byte --template-body limit", sc.name, f.Path, len(f.Data))
			}
		}
	}
}

// TestCfnLint runs the real linter over every golden template. It is
// mandatory in CI (CI=true); elsewhere it skips, saying so, when cfn-lint is
// not installed.
func TestCfnLint(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cfn-lint is required in CI but was not found on PATH")
		}
		t.Skip("cfn-lint not found on PATH: skipping the linter (CI runs it)")
	}
	var paths []string
	for _, sc := range scenarios {
		files := renderFiles(t, sc.model())
		if sc.name == "default" {
			jsonFiles, _, err := Files(sc.model(), "json")
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, jsonFiles...)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".yaml") && !strings.HasPrefix(f.Path, "templates/") {
				continue
			}
			p := filepath.Join(t.TempDir(), sc.name+"-"+filepath.Base(f.Path))
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	out, err := exec.Command(bin, append([]string{"--"}, paths...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("cfn-lint found problems (%v):\n%s", err, out)
	}
}

// TestLogicalIDLock locks the set of logical ids of every variant and
// scenario. Renaming a logical id replaces the resource on AWS (a new
// database, a new bucket): such a change must show up here, on purpose.
func TestLogicalIDLock(t *testing.T) {
	for _, sc := range scenarios {
		for _, v := range Variants {
			s, err := RenderVariant(sc.model(), v)
			if err != nil {
				t.Fatal(err)
			}
			ids := s.Template.ResourceIDs()
			sort.Strings(ids)
			golden.Assert(t, filepath.Join("testdata", "logical-ids", sc.name+"-"+string(v)+".txt"), []byte(strings.Join(ids, "\n")+"\n"))
		}
	}
}

// TestValidateClean holds cfngen to its own validator: every golden
// scenario's templates and params files have no finding, error or warning,
// except the ones cfngen's default suppressions declare intended (and each
// of those must match a finding, or C698 reports it).
func TestValidateClean(t *testing.T) {
	for _, sc := range scenarios {
		_, reports, err := Files(sc.model(), "yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reports {
			for _, f := range r.Findings {
				if f.Suppressed != nil {
					continue
				}
				t.Errorf("%s %s: %s %s %s: %s", sc.name, r.Path, f.Severity, f.Rule, f.Resource, f.Message)
			}
		}
	}
}
