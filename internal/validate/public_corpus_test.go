package validate

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestPublicCorpus validates every template under $CFNGEN_CORPUS (YAML or
// JSON files that mention Resources; opt-in, nothing runs without it) and
// prints a summary: templates, crashes, files refused, and the errors per
// rule. With $CFNGEN_CORPUS_CFNLINT, the output of one `cfn-lint --format
// parseable` run over the same files, it also counts for each error rule
// how many of the templates it fires on cfn-lint passes (no E finding):
// those are the first place to look for false positives. cfn-lint's paths
// may be relative to $CFNGEN_CORPUS. tools/corpus.sh runs both.
func TestPublicCorpus(t *testing.T) {
	root := os.Getenv("CFNGEN_CORPUS")
	if root == "" {
		t.Skip("set CFNGEN_CORPUS to a directory of templates to run")
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), "Resources") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	lintFails := cfnLintFailures(t, os.Getenv("CFNGEN_CORPUS_CFNLINT"))

	var templates, crashes int
	refused := map[string][]string{} // reason -> files
	errFiles := map[string]map[string]bool{}
	errCount := map[string]int{}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		findings, err := Run([]Input{{Path: f, Data: data}}, nil)
		if errors.Is(err, ErrInternal) {
			crashes++
			t.Errorf("%v", err)
		}
		if err != nil {
			reason := err.Error()
			if i := strings.Index(reason, ": "); i >= 0 {
				reason = reason[i+2:]
			}
			refused[reason] = append(refused[reason], f)
			continue
		}
		templates++
		for _, fd := range findings {
			if fd.Severity != Error || fd.Suppressed != nil {
				continue
			}
			errCount[fd.Rule]++
			if errFiles[fd.Rule] == nil {
				errFiles[fd.Rule] = map[string]bool{}
			}
			errFiles[fd.Rule][f] = true
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "files: %d, templates validated: %d, crashes: %d, refused: %d\n", len(files), templates, crashes, len(files)-templates)
	for _, reason := range keys(refused) {
		fmt.Fprintf(&b, "  refused (%d): %s  e.g. %s\n", len(refused[reason]), reason, refused[reason][0])
	}
	fmt.Fprintf(&b, "errors per rule (findings / templates%s):\n", map[bool]string{true: " / templates cfn-lint passes", false: ""}[lintFails != nil])
	for _, id := range keys(errCount) {
		line := fmt.Sprintf("  %s %d / %d", id, errCount[id], len(errFiles[id]))
		if lintFails != nil {
			pass := 0
			for f := range errFiles[id] {
				rel, _ := filepath.Rel(root, f)
				if !lintFails[f] && !lintFails[rel] {
					pass++
				}
			}
			line += fmt.Sprintf(" / %d", pass)
		}
		b.WriteString(line + "\n")
	}
	t.Log("\n" + b.String())
	if crashes > 0 {
		t.Errorf("%d crashes", crashes)
	}
}

// cfnLintFailures reads `cfn-lint --format parseable` output and returns the
// files with an error (E) finding; nil without a file.
func cfnLintFailures(t *testing.T, path string) map[string]bool {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 7)
		if len(parts) == 7 && strings.HasPrefix(parts[5], "E") {
			out[parts[0]] = true
		}
	}
	return out
}
