package project

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/golden"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/scenario"
)

func renderFiles(t testing.TB, m model.Backend, format string) ([]File, []Report) {
	t.Helper()
	files, reports, err := Files(m, format)
	if err != nil {
		t.Fatal(err)
	}
	return files, reports
}

// TestGolden locks every file cfngen writes for each scenario: the one
// place the bytes of the default output are locked.
func TestGolden(t *testing.T) {
	for _, sc := range scenario.All {
		t.Run(sc.Name, func(t *testing.T) {
			files, _ := renderFiles(t, sc.Model(), "yaml")
			for _, f := range files {
				golden.Assert(t, filepath.Join("testdata", sc.Name, f.Path), f.Data)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	first, _ := renderFiles(t, model.Default(), "yaml")
	for run := range 5 {
		again, _ := renderFiles(t, model.Default(), "yaml")
		if len(again) != len(first) {
			t.Fatalf("run %d: %d files, want %d", run, len(again), len(first))
		}
		for i := range first {
			if string(first[i].Data) != string(again[i].Data) || first[i].Path != again[i].Path {
				t.Fatalf("run %d: %s differs between runs", run, first[i].Path)
			}
		}
	}
}

func TestTemplateSize(t *testing.T) {
	for _, sc := range scenario.All {
		files, _ := renderFiles(t, sc.Model(), "yaml")
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".yaml") && len(f.Data) > 51200 {
				t.Errorf("%s/%s is %d bytes, over the 51,200-byte --template-body limit", sc.Name, f.Path, len(f.Data))
			}
		}
	}
}

// TestLayout checks that every path comes from the variant table.
func TestLayout(t *testing.T) {
	m := model.Default()
	files, reports := renderFiles(t, m, "json")
	want := map[string]bool{}
	for _, v := range layout.Variants {
		want[layout.TemplatePath(v, "json")] = true
		want[layout.ParamsPath(v, m.DefaultEnvironment, m.DefaultEnvironment)] = true
	}
	for _, f := range files {
		if f.Path != layout.TagsPath && f.Path != layout.StackPolicyPath && !want[f.Path] {
			t.Errorf("unexpected file %s", f.Path)
		}
		delete(want, f.Path)
	}
	for p := range want {
		t.Errorf("missing file %s", p)
	}
	for i, r := range reports {
		if r.Variant != layout.Variants[i] || r.Path != layout.TemplatePath(r.Variant, "json") || r.Format != "json" {
			t.Errorf("report %d = %s %s %s", i, r.Variant, r.Path, r.Format)
		}
	}
}

// TestValidateClean holds cfngen to its own validator: every golden
// scenario's templates and params files have no finding, error or warning,
// except the ones cfngen's default suppressions declare intended (and each
// of those must match a finding, or C698 reports it).
func TestValidateClean(t *testing.T) {
	withSSM := model.Default()
	withSSM.Compute.SessionManager = true
	models := append([]scenario.Scenario{}, scenario.All...)
	models = append(models, scenario.Scenario{Name: "session-manager", Model: func() model.Backend { return withSSM }})
	for _, sc := range models {
		_, reports := renderFiles(t, sc.Model(), "yaml")
		for _, r := range reports {
			for _, f := range r.Findings {
				if f.Suppressed == nil {
					t.Errorf("%s %s: %s %s %s: %s", sc.Name, r.Path, f.Severity, f.Rule, f.Resource, f.Message)
				}
			}
		}
	}
}

var (
	hardCodedAZ        = regexp.MustCompile(`[a-z]{2}(-gov)?-[a-z]+-[0-9][a-f]\b`)
	hardCodedPartition = regexp.MustCompile(`arn:aws:`)
	base64Leftover     = regexp.MustCompile(`\bey[A-Za-z0-9+/]{20,}={0,2}`) // base64 of a JSON object
)

// TestNoLeftovers guards the encoder: no intrinsic marker, no base64 blob, no
// hard-coded AZ or partition in any rendered template, and no password in a
// params file.
func TestNoLeftovers(t *testing.T) {
	for _, sc := range scenario.All {
		for _, format := range []string{"yaml", "json"} {
			files, _ := renderFiles(t, sc.Model(), format)
			for _, f := range files {
				s := string(f.Data)
				if strings.Contains(s, "\x1f") || strings.Contains(s, "cfn:{") {
					t.Errorf("%s/%s contains an unresolved intrinsic marker", sc.Name, f.Path)
				}
				if m := base64Leftover.FindString(s); m != "" {
					t.Errorf("%s/%s contains a base64-like blob %q", sc.Name, f.Path, m)
				}
				if m := hardCodedAZ.FindString(s); m != "" {
					t.Errorf("%s/%s hard-codes AZ %q", sc.Name, f.Path, m)
				}
				if hardCodedPartition.MatchString(s) {
					t.Errorf("%s/%s hard-codes the aws partition", sc.Name, f.Path)
				}
				if strings.HasPrefix(f.Path, layout.ParamsDir+"/") && strings.Contains(s, "MyDatabasePassword") {
					t.Errorf("%s/%s holds the database password key", sc.Name, f.Path)
				}
			}
		}
	}
}

// TestStackPolicyProtectsData: stack-policy.json (the README's create-stack
// passes it) denies replacing or deleting, in an update, every resource
// whose data a redeploy cannot bring back: each variant's database (the
// Aurora cluster, not its instances), every bucket and the database secret. The list is read off the rendered
// templates by type here, so a new bucket or a renamed logical id fails
// until the policy follows; every other update stays allowed.
func TestStackPolicyProtectsData(t *testing.T) {
	files, reports := renderFiles(t, model.Default(), "yaml")
	var raw []byte
	for _, f := range files {
		if f.Path == layout.StackPolicyPath {
			raw = f.Data
		}
	}
	var policy struct {
		Statement []struct {
			Effect, Principal string
			Action, Resource  any
		}
	}
	if err := json.Unmarshal(raw, &policy); err != nil {
		t.Fatalf("%s: %v", layout.StackPolicyPath, err)
	}
	list := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			var out []string
			for _, e := range x {
				out = append(out, e.(string))
			}
			return out
		}
		return nil
	}
	allowAll := false
	denied := map[string]bool{}
	for _, s := range policy.Statement {
		actions, resources := list(s.Action), list(s.Resource)
		switch {
		case s.Effect == "Allow" && slices.Equal(actions, []string{"Update:*"}) && slices.Equal(resources, []string{"*"}):
			allowAll = true
		case s.Effect == "Deny" && slices.Contains(actions, "Update:Replace") && slices.Contains(actions, "Update:Delete"):
			for _, r := range resources {
				denied[strings.TrimPrefix(r, "LogicalResourceId/")] = true
			}
		}
	}
	if !allowAll {
		t.Error("no statement allows Update:* on *: with a stack policy, every other update would be refused")
	}
	want := map[string]bool{}
	for _, r := range reports {
		resources, _ := r.Doc.Tree()["Resources"].(map[string]any)
		for id, body := range resources {
			r := body.(map[string]any)
			props, _ := r["Properties"].(map[string]any)
			switch r["Type"] {
			case "AWS::RDS::DBInstance":
				if props["DBClusterIdentifier"] == nil { // an Aurora instance holds no data
					want[id] = true
				}
			case "AWS::RDS::DBCluster", "AWS::S3::Bucket", "AWS::SecretsManager::Secret":
				want[id] = true
			}
		}
	}
	if len(want) == 0 || !maps.Equal(denied, want) {
		t.Errorf("protected %v, want %v", slices.Sorted(maps.Keys(denied)), slices.Sorted(maps.Keys(want)))
	}
}
