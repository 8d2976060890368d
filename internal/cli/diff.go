package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/diff"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/project"
)

// DiffOptions are the arguments of cfngen diff.
type DiffOptions struct {
	IO        IOStreams
	Old, New  string // two template files; empty: the model's stacks
	OldParams string
	NewParams string
	Config    string
	Dir       string
	Against   string
	Worktree  bool
	Format    string
	FailOn    []string
}

// Fail-on kinds of cfngen diff.
// fails: CloudFormation is forecast to refuse the update; breaks: parameter
// files or importing stacks break.
var failKinds = []string{"replace", "data-loss", "security", "fails", "breaks"}

// NewCmdDiff builds cfngen diff; runF replaces the run step in tests.
func NewCmdDiff(io IOStreams, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff [OLD NEW]",
		Short: "Forecast what deploying a change does to a live stack",
		Long: `Diff forecasts, offline, what a CloudFormation update from one template (and
parameter values) to another does: every resource added, removed or modified
with the changed property paths; whether CloudFormation replaces it (True,
Conditional where an intrinsic or an unknown parameter decides, False) from
the create-only properties of the resource schemas; data loss when a
stateful resource (database, bucket, secret, queue, log group, repository,
...) is deleted or replaced, or that its DeletionPolicy/UpdateReplacePolicy
retains it; replacements that fail on a custom name; security changes (IAM
grants broadened, Deny removed, ingress opened, public exposure); parameters
that break parameter files; outputs whose removal or change breaks importing
stacks. A resource whose property refers to a replaced resource changes
too, and is replaced when that property is create-only.

With OLD and NEW it compares two template files (YAML or JSON), with the
parameter files --old-params and --new-params when given (parameters they do
not set take their Default; a Ref to a parameter without either decides
nothing: Conditional).

Without arguments it compares the stacks cfngen renders: the committed
templates and parameter files under --dir (the last deploy, as far as the
repository knows) with a fresh render of the model in memory (cfngen.yaml
or --config), once per template and parameter file. With --against REV the
old side is those files at git revision REV instead (git show REV:path), for
example the tag of the last deploy; add --worktree to take the new side from
the files under --dir rather than a fresh render.

Output: text for people, grouped, most dangerous first (will fail, data
loss, security, breaks parameter files or importers, replaced, removed,
modified, added); --format json (an array, one object per change: stack,
section, logicalId, type, action, replacement, dataLoss, fails, routine, breaks, paths,
details, security, notes); --format markdown for a pull-request comment.

Exit codes: 0 no change, 1 changes, 2 bad input or usage. With --fail-on
replace, data-loss, security, fails (CloudFormation is forecast to refuse
the update) or breaks (parameter files or importing stacks break),
comma-separated or repeated, the exit code is 1 only when such a change
exists, else 0: a CI gate. replace ignores a new ECS task definition
revision, which is how services deploy.`,
		Example: `  cfngen diff
  cfngen diff --against v1.4.0 --fail-on data-loss,security
  cfngen diff --format markdown > comment.md
  cfngen diff old.yaml new.yaml --old-params old.json --new-params new.json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return fmt.Errorf("diff takes two templates (OLD NEW) or none (the model's stacks), not %d", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.Old, opts.New = args[0], args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.OldParams, "old-params", "", "parameter file of OLD")
	f.StringVar(&opts.NewParams, "new-params", "", "parameter file of NEW")
	f.StringVarP(&opts.Config, "config", "c", "", "backend model file, without OLD NEW (default: cfngen.yaml if it exists, else built-in defaults)")
	f.StringVar(&opts.Dir, "dir", ".", "root of the committed templates/ and params/, without OLD NEW")
	f.StringVar(&opts.Against, "against", "", "old side: the committed files at this git revision, without OLD NEW")
	f.BoolVar(&opts.Worktree, "worktree", false, "new side: the files under --dir instead of a fresh render (with --against)")
	f.StringVarP(&opts.Format, "format", "f", "text", "output format: text, json or markdown")
	f.StringSliceVar(&opts.FailOn, "fail-on", nil, "exit 1 only for these changes: replace, data-loss, security, fails (CloudFormation refuses the update), breaks (parameter files or importers)")
	return cmd
}

func runDiff(opts *DiffOptions) error {
	if !slices.Contains([]string{"text", "json", "markdown"}, opts.Format) {
		return fmt.Errorf("--format %q is not allowed (allowed: text, json, markdown)", opts.Format)
	}
	for _, k := range opts.FailOn {
		if !slices.Contains(failKinds, k) {
			return fmt.Errorf("--fail-on %q is not allowed (allowed: %s)", k, strings.Join(failKinds, ", "))
		}
	}
	var forecasts []diff.Forecast
	var err error
	if opts.Old != "" {
		forecasts, err = diffFiles(opts)
	} else {
		forecasts, err = diffModel(opts)
	}
	if err != nil {
		return err
	}
	switch opts.Format {
	case "json":
		err = diff.WriteJSON(opts.IO.Out, forecasts)
	case "markdown":
		err = diff.WriteMarkdown(opts.IO.Out, forecasts)
	default:
		err = diff.WriteText(opts.IO.Out, forecasts)
	}
	if err != nil {
		return err
	}
	return diffExit(forecasts, opts.FailOn)
}

// diffExit picks the exit code: 1 when there is a change (of a --fail-on
// kind, when given), else 0.
func diffExit(forecasts []diff.Forecast, failOn []string) error {
	total := 0
	hits := map[string]int{}
	for _, f := range forecasts {
		total += len(f.Changes)
		for _, c := range f.Changes {
			if c.Replaces() && !c.Routine {
				hits["replace"]++
			}
			if c.Loses() {
				hits["data-loss"]++
			}
			if len(c.Security) > 0 {
				hits["security"]++
			}
			if c.Fails != "" {
				hits["fails"]++
			}
			if c.Breaks {
				hits["breaks"]++
			}
		}
	}
	if len(failOn) == 0 {
		if total == 0 {
			return nil
		}
		return &exitError{code: ExitDiff, err: fmt.Errorf("%d change(s) forecast", total)}
	}
	var found []string
	for _, k := range failKinds {
		if slices.Contains(failOn, k) && hits[k] > 0 {
			found = append(found, fmt.Sprintf("%d %s", hits[k], k))
		}
	}
	if len(found) == 0 {
		return nil
	}
	return &exitError{code: ExitDiff, err: fmt.Errorf("--fail-on: %s", strings.Join(found, ", "))}
}

// diffFiles compares the two template files given as arguments.
func diffFiles(opts *DiffOptions) ([]diff.Forecast, error) {
	if opts.Config != "" || opts.Against != "" || opts.Worktree || opts.Dir != "." {
		return nil, fmt.Errorf("--config, --dir, --against and --worktree compare the model's stacks: leave them out with OLD NEW")
	}
	read := func(tmpl, params string) (diff.Template, error) {
		data, err := readInput(opts.IO, tmpl)
		if err != nil {
			return diff.Template{}, err
		}
		var p []byte
		if params != "" {
			if p, err = os.ReadFile(params); err != nil {
				return diff.Template{}, fmt.Errorf("read parameters: %w", err)
			}
		}
		return diff.Parse(tmpl, data, params, p)
	}
	old, err := read(opts.Old, opts.OldParams)
	if err != nil {
		return nil, err
	}
	new, err := read(opts.New, opts.NewParams)
	if err != nil {
		return nil, err
	}
	return []diff.Forecast{diff.Compare(old, new)}, nil
}

// stackFiles is one rendered template with its parameter files.
type stackFiles struct {
	Template string
	Params   []string
	Data     map[string][]byte // path -> content
}

// renderedStacks renders the model in memory: every template with the
// paths of its parameter files, and their contents. It is the one place
// cfngen diff calls the renderer.
func renderedStacks(config string) ([]stackFiles, error) {
	b, src, err := loadModel(config)
	if err != nil {
		return nil, err
	}
	files, _, err := project.Files(b, "yaml")
	if err != nil {
		return nil, inConfig(err, src)
	}
	data := map[string][]byte{}
	for _, f := range files {
		data[f.Path] = f.Data
	}
	var out []stackFiles
	for _, v := range layout.Variants {
		sf := stackFiles{Template: layout.TemplatePath(v, "yaml"), Data: data}
		for _, e := range b.Environments {
			if e.Name == b.DefaultEnvironment || e.Listed {
				sf.Params = append(sf.Params, layout.ParamsPath(v, e.Name, b.DefaultEnvironment))
			}
		}
		out = append(out, sf)
	}
	return out, nil
}

// diffModel compares the model's stacks: committed (or at --against) with
// a fresh render (or the working tree with --worktree).
func diffModel(opts *DiffOptions) ([]diff.Forecast, error) {
	if opts.OldParams != "" || opts.NewParams != "" {
		return nil, fmt.Errorf("--old-params and --new-params go with OLD NEW")
	}
	if opts.Worktree && opts.Against == "" {
		return nil, fmt.Errorf("--worktree compares --against REV with the files under --dir: give --against")
	}
	stacks, err := renderedStacks(opts.Config)
	if err != nil {
		return nil, err
	}
	oldLabel, oldRead := "committed", func(path string) ([]byte, error) { return readOptional(filepath.Join(opts.Dir, path)) }
	if opts.Against != "" {
		if err := gitCommit(opts.Dir, opts.Against); err != nil {
			return nil, err
		}
		oldLabel, oldRead = "at "+opts.Against, func(path string) ([]byte, error) { return gitShow(opts.Dir, opts.Against, path) }
	}
	newLabel, newRead := "fresh render", func(path string) ([]byte, error) { return nil, nil }
	if opts.Worktree {
		newLabel, newRead = "working tree", func(path string) ([]byte, error) { return readOptional(filepath.Join(opts.Dir, path)) }
	}
	var forecasts []diff.Forecast
	for _, s := range stacks {
		for _, params := range s.Params {
			side := func(label string, read func(string) ([]byte, error), rendered bool) (diff.Template, bool, error) {
				tmpl, p := s.Data[s.Template], s.Data[params]
				if !rendered {
					var err error
					if tmpl, err = read(s.Template); err != nil {
						return diff.Template{}, false, err
					}
					if p, err = read(params); err != nil {
						return diff.Template{}, false, err
					}
				}
				if tmpl == nil || p == nil {
					return diff.Template{}, false, nil
				}
				name := fmt.Sprintf("%s with %s (%s)", s.Template, params, label)
				t, err := diff.Parse(name, tmpl, params, p)
				return t, true, err
			}
			old, ok, err := side(oldLabel, oldRead, false)
			if err != nil {
				return nil, err
			}
			if !ok {
				fmt.Fprintf(opts.IO.ErrOut, "skipped %s with %s: not %s (a new stack or environment: nothing deployed to update)\n", s.Template, params, oldLabel)
				continue
			}
			new, ok, err := side(newLabel, newRead, !opts.Worktree)
			if err != nil {
				return nil, err
			}
			if !ok {
				fmt.Fprintf(opts.IO.ErrOut, "skipped %s with %s: not in the %s\n", s.Template, params, newLabel)
				continue
			}
			forecasts = append(forecasts, diff.Compare(old, new))
		}
	}
	return forecasts, nil
}

// readOptional reads a file; a missing file is nil, not an error.
func readOptional(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// gitCommit checks that rev names a commit of the repository at dir.
func gitCommit(dir, rev string) error {
	cmd := exec.Command("git", "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	cmd.Dir = dir
	if out, err := cmd.Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
		return fmt.Errorf("--against %q: not a commit of the git repository at %s", rev, dir)
	}
	return nil
}

// gitShow returns a file at a revision (path relative to dir); a file the
// revision does not have is nil.
func gitShow(dir, rev, path string) ([]byte, error) {
	exists := exec.Command("git", "cat-file", "-e", rev+":./"+filepath.ToSlash(path))
	exists.Dir = dir
	if exists.Run() != nil {
		return nil, nil
	}
	cmd := exec.Command("git", "show", rev+":./"+filepath.ToSlash(path))
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git show %s:%s: %s", rev, path, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
