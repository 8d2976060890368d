package cli_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
)

var outputFiles = []string{
	"params/params-with-rds.json",
	"params/params.json",
	"stack-policy.json",
	"templates/backend-stack-with-rds.yaml",
	"templates/backend-stack.yaml",
}

// run calls cli.Main with args and returns the exit code and both outputs.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(args, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

// snapshot describes every entry under root: its type, permissions and, for
// regular files, its content. Keys are slash-separated relative paths.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String()
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			desc += " " + string(data)
		}
		snap[filepath.ToSlash(rel)] = desc
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", root, err)
	}
	return snap
}

// regularFiles lists the regular files under root, sorted, slash-separated.
func regularFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	for p, desc := range snapshot(t, root) {
		if strings.HasPrefix(desc, "-") {
			files = append(files, p)
		}
	}
	slices.Sort(files)
	return files
}

func diffSnapshots(before, after map[string]string) []string {
	var d []string
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			d = append(d, "removed "+p)
		case a != b:
			d = append(d, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			d = append(d, "added "+p)
		}
	}
	slices.Sort(d)
	return d
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// renderInto renders into dir with cli.Main and fails the test unless it succeeds.
func renderInto(t *testing.T, dir string) {
	t.Helper()
	if code, _, stderr := run(t, "render", "--out-dir", dir); code != cli.ExitOK {
		t.Fatalf("render --out-dir %s: exit %d, stderr:\n%s", dir, code, stderr)
	}
}

func wantRendered(t *testing.T) map[string][]byte {
	t.Helper()
	files, _, err := project.Files(model.Default(), "yaml")
	if err != nil {
		t.Fatalf("render.Files: %v", err)
	}
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Data
	}
	return m
}

func TestRenderWrites(t *testing.T) {
	want := wantRendered(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		args  func(dir string) []string
		chdir bool // run in dir, for the default --out-dir
		// unchanged: the files already hold the fresh render, so render
		// writes none and says so.
		unchanged bool
	}{
		{
			name: "empty directory, --out-dir",
			args: func(dir string) []string { return []string{"render", "--out-dir", dir} },
		},
		{
			name: "missing directory, -o",
			args: func(dir string) []string { return []string{"render", "-o", filepath.Join(dir, "a", "b")} },
		},
		{
			name:  "default out-dir is the working directory",
			args:  func(string) []string { return []string{"render"} },
			chdir: true,
		},
		{
			name: "overwrites stale files",
			setup: func(t *testing.T, dir string) {
				for _, p := range outputFiles {
					writeFile(t, filepath.Join(dir, p), "stale\n")
				}
			},
			args: func(dir string) []string { return []string{"render", "--out-dir=" + dir} },
		},
		{
			name:      "render twice",
			setup:     renderInto,
			args:      func(dir string) []string { return []string{"render", "--out-dir", dir} },
			unchanged: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			if tt.chdir {
				t.Chdir(dir)
			}
			args := tt.args(dir)
			outDir := "."
			for i, a := range args {
				switch {
				case a == "--out-dir" || a == "-o":
					outDir = args[i+1]
				case strings.HasPrefix(a, "--out-dir="):
					outDir = strings.TrimPrefix(a, "--out-dir=")
				}
			}

			code, stdout, stderr := run(t, args...)
			if code != cli.ExitOK {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			if got := regularFiles(t, outDir); !slices.Equal(got, outputFiles) {
				t.Errorf("files under %s = %q, want exactly %q (no *.tmp left over)", outDir, got, outputFiles)
			}
			for _, p := range outputFiles {
				path := filepath.Join(outDir, p)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(data, want[p]) {
					t.Errorf("%s differs from render.Files", p)
				}
				if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
					t.Errorf("%s: mode %v, %v; want -rw-r--r--", p, info.Mode(), err)
				}
				msg := fmt.Sprintf("wrote %s\n", path)
				if strings.Contains(stderr, msg) == tt.unchanged {
					t.Errorf("stderr says %q = %v, want %v:\n%s", msg, !tt.unchanged, !tt.unchanged, stderr)
				}
			}
			if tt.unchanged && !strings.Contains(stderr, fmt.Sprintf("%d file(s) unchanged\n", len(outputFiles))) {
				t.Errorf("stderr does not say the files are unchanged:\n%s", stderr)
			}
		})
	}
}

func TestRenderCheck(t *testing.T) {
	const edited = "templates/backend-stack.yaml"
	const editLine = 50 // 1-based; far from both ends, so the hunk has full context
	tests := []struct {
		name string
		// setup prepares dir and returns the directory to pass to --out-dir.
		setup      func(t *testing.T, dir string) string
		wantCode   int
		wantStdout func(outDir string) string   // exact; nil: see wantIn
		wantIn     func(outDir string) []string // substrings of stdout
		wantStderr string                       // substring
	}{
		{
			name:       "fresh render",
			setup:      func(t *testing.T, dir string) string { renderInto(t, dir); return dir },
			wantCode:   cli.ExitOK,
			wantStdout: func(string) string { return "" },
			wantStderr: "5 files match a fresh render\n",
		},
		{
			name: "one template line modified",
			setup: func(t *testing.T, dir string) string {
				renderInto(t, dir)
				path := filepath.Join(dir, edited)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.SplitAfter(string(data), "\n")
				lines[editLine-1] = strings.TrimSuffix(lines[editLine-1], "\n") + " # edited by hand\n"
				writeFile(t, path, strings.Join(lines, ""))
				return dir
			},
			wantCode: cli.ExitDiff,
			wantStdout: func(outDir string) string {
				data, err := os.ReadFile(filepath.Join(outDir, edited))
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.SplitAfter(string(data), "\n")
				path := filepath.Join(outDir, edited)
				var sb strings.Builder
				fmt.Fprintf(&sb, "--- %s (on disk)\n+++ %s (rendered)\n", path, path)
				fmt.Fprintf(&sb, "@@ -%d,7 +%d,7 @@\n", editLine-3, editLine-3)
				for _, l := range lines[editLine-4 : editLine-1] {
					sb.WriteString(" " + l)
				}
				sb.WriteString("-" + lines[editLine-1])
				sb.WriteString("+" + strings.TrimSuffix(lines[editLine-1], " # edited by hand\n") + "\n")
				for _, l := range lines[editLine : editLine+3] {
					sb.WriteString(" " + l)
				}
				return sb.String()
			},
			wantStderr: "cfngen: 1 file(s) differ from a fresh render; run cfngen render\n",
		},
		{
			name: "newline missing at end of a params file",
			setup: func(t *testing.T, dir string) string {
				renderInto(t, dir)
				path := filepath.Join(dir, "params", "params.json")
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, path, strings.TrimSuffix(string(data), "\n"))
				return dir
			},
			wantCode: cli.ExitDiff,
			wantIn: func(outDir string) []string {
				p := filepath.Join(outDir, "params", "params.json")
				return []string{
					"--- " + p + " (on disk)\n+++ " + p + " (rendered)\n@@ -",
					"-]\n\\ No newline at end of file\n+]\n",
				}
			},
			wantStderr: "cfngen: 1 file(s) differ",
		},
		{
			name: "one file deleted",
			setup: func(t *testing.T, dir string) string {
				renderInto(t, dir)
				if err := os.Remove(filepath.Join(dir, "params", "params-with-rds.json")); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			wantCode: cli.ExitDiff,
			wantIn: func(outDir string) []string {
				p := filepath.Join(outDir, "params", "params-with-rds.json")
				return []string{fmt.Sprintf("--- %s (on disk)\n+++ %s (rendered)\n@@ -0,0 +1,%d @@\n+[\n", p, p, renderedLines("params/params-with-rds.json"))}
			},
			wantStderr: "cfngen: 1 file(s) differ",
		},
		{
			name:     "missing directory",
			setup:    func(t *testing.T, dir string) string { return filepath.Join(dir, "missing") },
			wantCode: cli.ExitDiff,
			wantIn: func(outDir string) []string {
				var want []string
				for _, f := range outputFiles {
					p := filepath.Join(outDir, f)
					want = append(want, "--- "+p+" (on disk)\n+++ "+p+" (rendered)\n@@ -0,0 +1,")
				}
				return want
			},
			wantStderr: "cfngen: 5 file(s) differ from a fresh render; run cfngen render\n",
		},
		{
			name: "unreadable file (a directory)",
			setup: func(t *testing.T, dir string) string {
				if err := os.MkdirAll(filepath.Join(dir, "params", "params.json"), 0o755); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			wantCode:   cli.ExitTrouble,
			wantStderr: string(filepath.Separator) + filepath.Join("params", "params.json") + ": ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			outDir := tt.setup(t, dir)
			before := snapshot(t, dir)

			code, stdout, stderr := run(t, "render", "--check", "--out-dir", outDir)

			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if tt.wantStdout != nil {
				if want := tt.wantStdout(outDir); stdout != want {
					t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
				}
			}
			var wantIn []string
			if tt.wantIn != nil {
				wantIn = tt.wantIn(outDir)
			}
			for _, s := range wantIn {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout does not contain %q", s)
				}
			}
			if tt.wantCode == cli.ExitDiff {
				// One diff per differing file, each with a hunk.
				n := 0
				for _, l := range strings.Split(stdout, "\n") {
					if strings.HasPrefix(l, "--- ") && strings.HasSuffix(l, " (on disk)") {
						n++
					}
				}
				want := 1
				if strings.Contains(stderr, fmt.Sprintf("%d file(s)", len(outputFiles))) {
					want = len(outputFiles)
				}
				if n != want || strings.Count(stdout, "\n+++ ") != want || strings.Count(stdout, "\n@@ -") < want {
					t.Errorf("stdout has %d '---' headers, want %d, each with '+++' and '@@':\n%.2000s", n, want, stdout)
				}
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if code != cli.ExitOK && !strings.HasPrefix(stderr, "cfngen: ") {
				t.Errorf("stderr = %q, want a message starting with \"cfngen: \"", stderr)
			}
			if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
				t.Errorf("--check changed the directory: %q", d)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings; empty: stdout must be empty
		wantStderr string   // prefix; empty: stderr must be empty
	}{
		{
			name:       "unknown command",
			args:       []string{"bogus"},
			wantCode:   cli.ExitTrouble,
			wantStderr: `cfngen: unknown command "bogus" for "cfngen"`,
		},
		{
			name:       "unknown flag",
			args:       []string{"--bogus"},
			wantCode:   cli.ExitTrouble,
			wantStderr: "cfngen: unknown flag: --bogus",
		},
		{
			name:       "unknown render flag",
			args:       []string{"render", "--bogus"},
			wantCode:   cli.ExitTrouble,
			wantStderr: "cfngen: unknown flag: --bogus",
		},
		{
			name:       "render --out-dir without a value",
			args:       []string{"render", "--out-dir"},
			wantCode:   cli.ExitTrouble,
			wantStderr: "cfngen: flag needs an argument: --out-dir",
		},
		{
			name:       "render extra argument",
			args:       []string{"render", "extra-arg"},
			wantCode:   cli.ExitTrouble,
			wantStderr: `cfngen: unknown command "extra-arg" for "cfngen render"`,
		},
		{
			name:       "--help",
			args:       []string{"--help"},
			wantCode:   cli.ExitOK,
			wantStdout: []string{"cfngen renders the CloudFormation templates", "Usage:\n  cfngen [command]", "render", "--version"},
		},
		{
			name:       "no arguments prints help",
			args:       nil,
			wantCode:   cli.ExitOK,
			wantStdout: []string{"Usage:\n  cfngen [command]"},
		},
		{
			name:       "render --help",
			args:       []string{"render", "--help"},
			wantCode:   cli.ExitOK,
			wantStdout: []string{"Usage:\n  cfngen render [flags]", "-o, --out-dir string", "--check", "templates/backend-stack.yaml"},
		},
		{
			name:       "render -h",
			args:       []string{"render", "-h"},
			wantCode:   cli.ExitOK,
			wantStdout: []string{"Usage:\n  cfngen render [flags]"},
		},
		{
			name:       "help render",
			args:       []string{"help", "render"},
			wantCode:   cli.ExitOK,
			wantStdout: []string{"Usage:\n  cfngen render [flags]"},
		},
		{
			name:       "--version",
			args:       []string{"--version"},
			wantCode:   cli.ExitOK,
			wantStdout: []string{"cfngen " + cli.Version + "\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // in case something renders to "."
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d", code, tt.wantCode)
			}
			if len(tt.wantStdout) == 0 && stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout does not contain %q:\n%s", s, stdout)
				}
			}
			switch {
			case tt.wantStderr == "" && stderr != "":
				t.Errorf("stderr = %q, want empty", stderr)
			case !strings.HasPrefix(stderr, tt.wantStderr):
				t.Errorf("stderr = %q, want prefix %q", stderr, tt.wantStderr)
			}
			if got := regularFiles(t, "."); len(got) > 0 {
				t.Errorf("wrote %q", got)
			}
		})
	}
	t.Run("--version is exact", func(t *testing.T) {
		if _, stdout, _ := run(t, "--version"); stdout != "cfngen "+cli.Version+"\n" {
			t.Errorf("stdout = %q, want %q", stdout, "cfngen "+cli.Version+"\n")
		}
	})
}

func TestRenderWriteFailure(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, dir string)
		wantPath  string // relative to dir, named on stderr
		needsPerm bool   // relies on file permissions, which root ignores
	}{
		{
			name:     "templates is a regular file",
			setup:    func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "templates"), "not a directory\n") },
			wantPath: "templates",
		},
		{
			name: "params is a regular file, old templates in place",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "templates", "backend-stack.yaml"), "old\n")
				writeFile(t, filepath.Join(dir, "params"), "not a directory\n")
			},
			wantPath: "params",
		},
		{
			name: "params is not writable, old files in place",
			setup: func(t *testing.T, dir string) {
				for _, p := range outputFiles {
					writeFile(t, filepath.Join(dir, p), "old "+p+"\n")
				}
				if err := os.Chmod(filepath.Join(dir, "params"), 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(filepath.Join(dir, "params"), 0o755) })
			},
			wantPath:  filepath.Join("params", "params.json"),
			needsPerm: true,
		},
		{
			name: "last file's path is a directory, old files in place",
			setup: func(t *testing.T, dir string) {
				for _, p := range outputFiles[1:] {
					writeFile(t, filepath.Join(dir, p), "old "+p+"\n")
				}
				writeFile(t, filepath.Join(dir, "params", "params-with-rds.json", "keep"), "x\n")
			},
			wantPath: filepath.Join("params", "params-with-rds.json"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needsPerm && os.Geteuid() == 0 {
				t.Skip("running as root: permissions are not enforced")
			}
			dir := t.TempDir()
			tt.setup(t, dir)
			before := snapshot(t, dir)

			code, stdout, stderr := run(t, "render", "--out-dir", dir)

			if code != cli.ExitTrouble {
				t.Errorf("exit %d, want %d", code, cli.ExitTrouble)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			if p := filepath.Join(dir, tt.wantPath); !strings.HasPrefix(stderr, "cfngen: ") || !strings.Contains(stderr, p) {
				t.Errorf("stderr = %q, want a cfngen: message naming %s", stderr, p)
			}
			if strings.Contains(stderr, "wrote ") {
				t.Errorf("stderr reports writes on failure: %q", stderr)
			}
			if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
				t.Errorf("failed render changed the directory: %q", d)
			}
		})
	}
}

func TestNewCmdRenderFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    cli.RenderOptions // IO is checked separately
		wantErr string
	}{
		{name: "defaults", args: nil, want: cli.RenderOptions{OutDir: "."}},
		{name: "--out-dir", args: []string{"--out-dir", "build"}, want: cli.RenderOptions{OutDir: "build"}},
		{name: "--out-dir=", args: []string{"--out-dir=build/x"}, want: cli.RenderOptions{OutDir: "build/x"}},
		{name: "-o", args: []string{"-o", "out"}, want: cli.RenderOptions{OutDir: "out"}},
		{name: "-o joined", args: []string{"-oout"}, want: cli.RenderOptions{OutDir: "out"}},
		{name: "--check", args: []string{"--check"}, want: cli.RenderOptions{OutDir: ".", Check: true}},
		{name: "--check=false", args: []string{"--check=false"}, want: cli.RenderOptions{OutDir: "."}},
		{name: "both", args: []string{"--check", "-o", "dist"}, want: cli.RenderOptions{OutDir: "dist", Check: true}},
		{name: "last --out-dir wins", args: []string{"-o", "a", "--out-dir", "b"}, want: cli.RenderOptions{OutDir: "b"}},
		{name: "bad bool", args: []string{"--check=maybe"}, wantErr: `invalid argument "maybe" for "--check"`},
		{name: "positional argument", args: []string{"build"}, wantErr: `unknown command "build" for "render"`},
		{name: "unknown shorthand", args: []string{"-x"}, wantErr: "unknown shorthand flag: 'x' in -x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			ios := cli.IOStreams{Out: &out, ErrOut: &errOut}
			var got *cli.RenderOptions
			cmd := cli.NewCmdRender(ios, func(o *cli.RenderOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(&out)
			cmd.SetErr(&errOut)
			cmd.SilenceUsage = true
			cmd.SilenceErrors = true

			err := cmd.Execute()

			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("runF called with %+v despite the error", *got)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if got == nil {
				t.Fatal("runF not called")
			}
			if got.OutDir != tt.want.OutDir || got.Check != tt.want.Check {
				t.Errorf("options = {OutDir: %q, Check: %v}, want {OutDir: %q, Check: %v}", got.OutDir, got.Check, tt.want.OutDir, tt.want.Check)
			}
			if got.IO.Out != ios.Out || got.IO.ErrOut != ios.ErrOut {
				t.Error("options do not carry the IOStreams given to NewCmdRender")
			}
		})
	}

	t.Run("runF error is returned", func(t *testing.T) {
		sentinel := errors.New("boom")
		cmd := cli.NewCmdRender(cli.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(*cli.RenderOptions) error { return sentinel })
		cmd.SetArgs(nil)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		if err := cmd.Execute(); !errors.Is(err, sentinel) {
			t.Errorf("error = %v, want %v", err, sentinel)
		}
	})
}

// renderedLines counts the lines of one file of a fresh default render.
func renderedLines(path string) int {
	files, _, err := project.Files(model.Default(), "yaml")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		if f.Path == path {
			return strings.Count(string(f.Data), "\n")
		}
	}
	panic("no rendered file " + path)
}
