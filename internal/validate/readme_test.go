package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeListsEveryRule keeps the README's rule table in step with the
// rules.
func TestReadmeListsEveryRule(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		row := "| " + r.ID + " | " + string(r.Severity) + " | " + r.Title + " |"
		if !strings.Contains(string(data), row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
}
