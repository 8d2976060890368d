package output

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStale(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "params/params.json", "params/prod/params.json", "params/qa/params.json", "params/tags.json", "params/notes.txt", "templates/backend-stack.yaml")
	if err := os.MkdirAll(filepath.Join(root, "params", "dir.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := Stale(root, files("params/params.json", "params/prod/params.json", "templates/backend-stack.yaml"),
		[]string{"templates/backend-stack.yaml", "params/params.json", "params/*/params.json", "params/tags.json", "params/*.json"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"params/qa/params.json", "params/tags.json"}; !slices.Equal(got, want) {
		t.Errorf("Stale = %v, want %v (files only, each once, not the fresh ones)", got, want)
	}
}

func TestChanged(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "a", "b")
	got, err := Changed(root, []File{{Path: "a", Data: []byte("old a")}, {Path: "b", Data: []byte("new b")}, {Path: "c", Data: []byte("c")}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got {
		names = append(names, f.Path)
	}
	if want := []string{"b", "c"}; !slices.Equal(names, want) {
		t.Errorf("Changed = %v, want %v", names, want)
	}
}

// Sync writes and removes as one set, and removes the directories removing
// left empty.
func TestSync(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "params/params.json", "params/prod/params.json", "params/prod/params-with-rds.json", "params/qa/params.json", "params/qa/keep.txt")
	err := Sync(root, files("params/params.json"), []string{"params/prod/params.json", "params/prod/params-with-rds.json", "params/qa/params.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"params/params.json": "new params/params.json", "params/qa/keep.txt": "old params/qa/keep.txt"}
	if got := tree(t, root); !equalMaps(got, want) {
		t.Errorf("tree = %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(root, "params", "prod")); !os.IsNotExist(err) {
		t.Errorf("params/prod is left: %v", err)
	}
}

// A failure while removing puts back what was written and removed.
func TestSyncRollsBack(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "params/params.json", "params/prod/params.json", "params/qa/params.json")
	before := tree(t, root)
	// renames: params.json->backup, tmp->params.json, prod->backup, qa->backup (fails)
	failRename(t, 4)
	err := Sync(root, files("params/params.json"), []string{"params/prod/params.json", "params/qa/params.json"})
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if strings.Contains(err.Error(), ".tmp") {
		t.Errorf("error shows a temporary file name: %v", err)
	}
	if got := tree(t, root); !equalMaps(got, before) {
		t.Errorf("after a failed sync: %v, want the old set %v", got, before)
	}
}
