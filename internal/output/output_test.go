package output

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func files(names ...string) []File {
	var out []File
	for _, n := range names {
		out = append(out, File{Path: n, Data: []byte("new " + n)})
	}
	return out
}

// tree lists the regular files under root with their contents.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			data, _ := os.ReadFile(p)
			out[rel] = string(data)
		}
		return nil
	})
	return out
}

func seed(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("old "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteAll(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "templates/a.yaml")
	if err := Write(root, files("templates/a.yaml", "params/x/b.json")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"templates/a.yaml": "new templates/a.yaml", "params/x/b.json": "new params/x/b.json"}
	if got := tree(t, root); !equalMaps(got, want) {
		t.Errorf("tree = %v, want %v", got, want)
	}
}

// failRename makes the n-th rename (1-based) fail.
func failRename(t *testing.T, n int) {
	t.Helper()
	count := 0
	rename = func(a, b string) error {
		count++
		if count == n {
			return &os.LinkError{Op: "rename", Old: a, New: b, Err: errors.New("injected failure")}
		}
		return os.Rename(a, b)
	}
	t.Cleanup(func() { rename = os.Rename })
}

// A failing rename half-way puts the old set back and leaves no new file,
// temporary file or directory.
func TestWriteRollsBack(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "templates/a.yaml", "templates/b.yaml")
	before := tree(t, root)
	// renames: a->backup, tmp->a, b->backup, tmp->b (fails)
	failRename(t, 4)
	err := Write(root, files("templates/a.yaml", "templates/b.yaml", "params/new/c.json"))
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if strings.Contains(err.Error(), ".tmp") && !strings.Contains(err.Error(), "rollback") {
		t.Errorf("error shows a temporary file name: %v", err)
	}
	if got := tree(t, root); !equalMaps(got, before) {
		t.Errorf("after a failed write: %v, want the old set %v", got, before)
	}
	if _, err := os.Stat(filepath.Join(root, "params")); !os.IsNotExist(err) {
		t.Errorf("a directory created for the new set is left: %v", err)
	}
}

// When the old file cannot be put back, the error says so and where it is.
func TestWriteReportsFailedRollback(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "templates/a.yaml", "templates/b.yaml")
	// tmp->b fails (4th rename), then restoring a from its backup fails.
	count := 0
	rename = func(a, b string) error {
		count++
		if count == 4 || (count > 4 && strings.HasSuffix(a, ".old") && strings.HasSuffix(b, "a.yaml")) {
			return &os.LinkError{Op: "rename", Old: a, New: b, Err: errors.New("injected failure")}
		}
		return os.Rename(a, b)
	}
	t.Cleanup(func() { rename = os.Rename })
	err := Write(root, files("templates/a.yaml", "templates/b.yaml"))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"rollback incomplete", "could not restore " + filepath.Join(root, "templates/a.yaml"), ".old"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
}

func TestWriteOneCreatesDirectory(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "infra", "cfngen.yaml")
	if err := WriteOne(p, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, root); !equalMaps(got, map[string]string{"infra/cfngen.yaml": "x"}) {
		t.Errorf("tree = %v", got)
	}
}

func TestCompare(t *testing.T) {
	root := t.TempDir()
	seed(t, root, "a", "b")
	fs := []File{{Path: "a", Data: []byte("old a")}, {Path: "b", Data: []byte("new b")}, {Path: "c", Data: []byte("c")}}
	diffs, err := Compare(root, fs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diffs {
		rel, _ := filepath.Rel(root, d.Path)
		got = append(got, rel+map[bool]string{true: " missing", false: ""}[d.Missing])
	}
	if want := []string{"b", "c missing"}; !slices.Equal(got, want) {
		t.Errorf("differences %q, want %q", got, want)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
