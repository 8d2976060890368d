package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

func TestStatsTable(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "render", "--stats", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"templates/backend-stack.yaml (aurora)", "templates/backend-stack-with-rds.yaml (rds)", "bytes", "51200", "resources", "500", "parameters", "outputs", "compute"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats table lacks %q:\n%s", want, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("--stats wrote files: %v", entries)
	}
}

func TestStatsJSON(t *testing.T) {
	code, out, stderr := run(t, "render", "--stats", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var stats []statsJSON
	if err := json.Unmarshal([]byte(out), &stats); err != nil {
		t.Fatalf("--stats --format json is not JSON: %v\n%s", err, out)
	}
	if len(stats) != 2 || stats[0].Usage[0].Name != "bytes" || stats[0].Usage[0].Limit != cfn.MaxBodyBytes {
		t.Fatalf("unexpected stats: %+v", stats)
	}
	_, reports, err := project.Files(model.Default(), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if stats[0].Usage[0].Used != reports[0].Usage[0].Used {
		t.Errorf("stats report %d bytes, the template has %d", stats[0].Usage[0].Used, reports[0].Usage[0].Used)
	}
	total := 0
	for _, p := range stats[0].Parts {
		total += p.Bytes
	}
	if used := stats[0].Usage[0].Used; total < used*9/10 || total > used*11/10 {
		t.Errorf("parts add up to %d bytes, template is %d", total, used)
	}
}

func TestJSONTemplatesNeedS3(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "render", "--format", "json", "-o", dir)
	if code != ExitDiff || out != "" {
		t.Fatalf("json without --via-s3: exit %d, stdout %q, want exit 1", code, out)
	}
	for _, want := range []string{"over the limit of 51200", "largest parts:", "--template-url", "--via-s3"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused render wrote files: %v", entries)
	}
	code, _, stderr = run(t, "render", "--format", "json", "--via-s3", "-o", dir)
	if code != 0 {
		t.Fatalf("json with --via-s3: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "templates", "backend-stack.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Errorf("JSON template does not parse: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "params", "params.json")); err != nil {
		t.Errorf("params not written: %v", err)
	}
}

func TestBadFormat(t *testing.T) {
	code, out, stderr := run(t, "render", "--format", "xml")
	if code != ExitTrouble || out != "" || !strings.Contains(stderr, `--format "xml" is not allowed (allowed: yaml, json)`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestLimitWarningsAndRefusal(t *testing.T) {
	report := func(bytes, resources int) project.Report {
		d := &cfn.Doc{Sections: []cfn.Section{{Name: "Resources"}}}
		u := d.Usage(bytes)
		u[1].Used = resources
		return project.Report{Path: "templates/x.yaml", Format: "yaml", Usage: u, Doc: d}
	}
	lines, err := checkLimits([]project.Report{report(40000, 10)}, false)
	if err != nil || len(lines) != 1 || strings.Contains(strings.Join(lines, "\n"), "warning") {
		t.Errorf("78%%: lines %q, err %v; want one summary and no warning", lines, err)
	}
	lines, err = checkLimits([]project.Report{report(47000, 460)}, false)
	text := strings.Join(lines, "\n")
	if err != nil || !strings.Contains(text, "warning: templates/x.yaml uses 91.8% of the bytes limit") || !strings.Contains(text, "uses 92.0% of the resources limit") {
		t.Errorf("91.8%%: lines %q, err %v; want byte and resource warnings", lines, err)
	}
	if _, err := checkLimits([]project.Report{report(51201, 10)}, false); err == nil || !strings.Contains(err.Error(), "over the limit of 51200") {
		t.Errorf("51,201 bytes: err %v, want a refusal", err)
	}
	if _, err := checkLimits([]project.Report{report(51201, 10)}, true); err != nil {
		t.Errorf("51,201 bytes via S3: err %v, want success", err)
	}
	if _, err := checkLimits([]project.Report{report(1000, 501)}, true); err == nil || !strings.Contains(err.Error(), "501 resources") {
		t.Errorf("501 resources: err %v, want a refusal", err)
	}
}
