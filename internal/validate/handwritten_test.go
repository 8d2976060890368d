package validate

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestHandwrittenTemplate locks what validate finds in the hand-written
// backend template with typical mistakes (testdata/handwritten): every rule
// listed must fire. cfn-lint reports five warnings and no error on the same
// file.
func TestHandwrittenTemplate(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "handwritten", "backend-mistakes.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := Run([]Input{{Path: path, Data: data}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range findings {
		got[f.Rule] = true
	}
	want := strings.Fields(`D510 D511 D513 D514 D515 D516 D517 D520 D521 D522 D523 D525 D526 D545
		D530 D531 D532 D533 D534 D535 D536 D537 D540 D541 D542 D543 D550 D551 D552 D553 D554 D555 R208`)
	var missing []string
	for _, id := range want {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules that no longer fire on %s: %s", path, strings.Join(missing, " "))
	}
	if n := Errors(findings); n < 20 {
		t.Errorf("%d errors, want at least 20", n)
	}
}

// TestHandwrittenCorrectTemplates validates correct templates of the
// backend written by hand (testdata/handwritten), in styles other than
// cfngen's, with their parameter files and the backend profile: a correct
// template gets no error and no warning (issue 13). Their intended
// deviations are suppressed in their Metadata, as a user would; every
// suppression must match a finding (C698), so each one is exercised too.
func TestHandwrittenCorrectTemplates(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "handwritten")
	for _, c := range []struct{ template, params string }{
		{"backend-correct.yaml", "backend-correct.params.json"},
		{"backend-correct-rds.json", "backend-correct-rds.params.json"},
	} {
		t.Run(c.template, func(t *testing.T) {
			in := Input{Path: filepath.Join(dir, c.template), ParamsPath: filepath.Join(dir, c.params), Profiles: []string{ProfileBackend}}
			var err error
			if in.Data, err = os.ReadFile(in.Path); err != nil {
				t.Fatal(err)
			}
			if in.Params, err = os.ReadFile(in.ParamsPath); err != nil {
				t.Fatal(err)
			}
			findings, err := Run([]Input{in}, nil)
			if err != nil {
				t.Fatal(err)
			}
			suppressed := 0
			for _, f := range findings {
				if f.Suppressed != nil {
					suppressed++
					continue
				}
				t.Errorf("%s:%d: %s %s %s: %s", f.File, f.Line, f.Severity, f.Rule, f.Resource, f.Message)
			}
			if suppressed == 0 {
				t.Errorf("no suppressed finding: the suppressions in %s were not read", c.template)
			}
		})
	}
}
