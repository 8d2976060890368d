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
