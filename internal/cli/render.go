package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/cfn"
	"github.com/cfngen/cfngen/internal/layout"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/output"
	"github.com/cfngen/cfngen/internal/project"
	"github.com/cfngen/cfngen/internal/validate"
)

// RenderOptions are the flags of cfngen render.
type RenderOptions struct {
	IO     IOStreams
	Config string
	OutDir string
	Check  bool
	Stats  bool
	Format string
	ViaS3  bool
}

// NewCmdRender builds cfngen render; runF replaces the run step in tests.
func NewCmdRender(io IOStreams, runF func(*RenderOptions) error) *cobra.Command {
	opts := &RenderOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render the templates and parameter files",
		Long: `Render writes, under the output directory (--out-dir, default .):
  templates/backend-stack.yaml           Aurora PostgreSQL Serverless v2
  templates/backend-stack-with-rds.yaml  RDS for PostgreSQL instance
                                         (.json instead with --format json)
  params/params.json                     parameters of the Aurora stack for the
                                         default environment (defaultEnvironment)
  params/params-with-rds.json            the same for the RDS stack
  params/<env>/params.json               every other environment that has a
  params/<env>/params-with-rds.json      params section in cfngen.yaml
  params/tags.json                       stack tags, when cfngen.yaml has tags
  stack-policy.json                      stack policy for create-stack and
                                         set-stack-policy (both variants)

Only files whose content changes are written ("wrote"); files cfngen wrote
before that a fresh render no longer produces (the params files of a removed
environment, tags.json without tags) are removed ("removed"). A params file
counts as cfngen's only when its Environment value names its directory.

Every file is rendered in memory first and written through a temporary file,
so an error never leaves a mixed set of old and new files.

With --check nothing is written: the files on disk are compared with a fresh
render, a unified diff of any difference (stale files included) goes to
standard output, and the exit code is 1 when they differ.

Every render reports, per template on standard error, its size against the
51,200-byte limit of create-stack --template-body and its resources,
parameters, outputs and mappings against CloudFormation's limits. It warns
from 90% of any limit and refuses to write anything (exit 1) at 100%.
With --stats the report on the YAML templates goes to standard output for
every variant, as a table or, with --format json, as JSON, and nothing is
written. JSON templates are larger than 51,200 bytes: render them with
--via-s3 and deploy them with --template-url.`,
		Example: `  cfngen render
  cfngen render --out-dir build
  cfngen render --check
  cfngen render --format json
  cfngen render --stats --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRender(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Config, "config", "c", "", "backend model file (default: cfngen.yaml if it exists, else built-in defaults)")
	cmd.Flags().StringVarP(&opts.OutDir, "out-dir", "o", ".", "root directory of templates/ and params/")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "compare with the files on disk instead of writing; exit 1 on any difference")
	cmd.Flags().BoolVar(&opts.Stats, "stats", false, "print size and limit figures of every template to standard output; write nothing")
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "yaml", "template format: yaml or json (with --stats: the report's format)")
	cmd.Flags().BoolVar(&opts.ViaS3, "via-s3", false, "templates are deployed with --template-url from S3: allow up to 1 MB instead of 51,200 bytes")
	return cmd
}

func runRender(opts *RenderOptions) error {
	if opts.Format != "yaml" && opts.Format != "json" {
		return fmt.Errorf("--format %q is not allowed (allowed: yaml, json)", opts.Format)
	}
	b, src, err := loadModel(opts.Config)
	if err != nil {
		return err
	}
	if opts.Stats {
		// --format picks the report's format; the figures are those of the
		// YAML templates cfngen writes by default.
		_, reports, err := project.Files(b, "yaml")
		if err != nil {
			return inConfig(err, src)
		}
		return printStats(opts.IO.Out, reports, opts.Format)
	}
	files, reports, err := project.Files(b, opts.Format)
	if err != nil {
		return inConfig(err, src)
	}
	report, err := checkLimits(reports, opts.ViaS3)
	if err != nil {
		return err
	}
	// Render runs cfngen validate on what it is about to write and refuses
	// templates with errors; warnings are printed after writing.
	var findings []validate.Finding
	for _, r := range reports {
		findings = append(findings, r.Findings...)
	}
	if n := validate.Errors(findings); n > 0 {
		validate.WriteText(opts.IO.ErrOut, findings)
		return &exitError{code: ExitDiff, err: fmt.Errorf("%d validation error(s) in the rendered templates, nothing written", n)}
	}
	stale, err := staleFiles(opts.OutDir, files, opts.Format)
	if err != nil {
		return err
	}
	if src == builtInDefaults && len(stale) > 0 && !opts.Check {
		// Files of environments the defaults do not have: these outputs
		// came from a config file that is not here (moved, or cfngen run
		// from another directory). Rendering the defaults over them would
		// replace the project and delete those environments' files.
		return fmt.Errorf("no %s here, so cfngen would render its built-in defaults, but %s holds generated files of environments the defaults do not have (%s): run cfngen where your %s is, or name it with --config; nothing written",
			DefaultConfig, opts.OutDir, strings.Join(stale, ", "), DefaultConfig)
	}
	if opts.Check {
		if err := checkFiles(opts, files, stale); err != nil {
			return err
		}
	} else if err := syncFiles(opts.IO, opts.OutDir, files, stale); err != nil {
		return err
	}
	for _, line := range report {
		fmt.Fprintln(opts.IO.ErrOut, line)
	}
	return validate.WriteText(opts.IO.ErrOut, findings)
}

func checkFiles(opts *RenderOptions, files []project.File, stale []string) error {
	for _, s := range stale {
		path := filepath.Join(opts.OutDir, s)
		old, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprint(opts.IO.Out, unifiedDiff(path+" (on disk)", path+" (stale: a fresh render removes it)", string(old), ""))
	}
	err := compareFiles(opts.IO, opts.OutDir, files, "rendered", "a fresh render", "render")
	if len(stale) == 0 {
		return err
	}
	n := len(stale)
	if e := (*exitError)(nil); errors.As(err, &e) {
		return &exitError{code: ExitDiff, err: fmt.Errorf("%v; %d stale file(s) that a fresh render removes", e.err, n)}
	} else if err != nil {
		return err
	}
	return &exitError{code: ExitDiff, err: fmt.Errorf("%d stale file(s) that a fresh render removes; run cfngen render", n)}
}

// syncFiles writes the files whose content changed and removes the stale
// ones, as one set, and says what it did.
func syncFiles(io IOStreams, root string, files []project.File, stale []string) error {
	changed, err := output.Changed(root, files)
	if err != nil {
		return err
	}
	if err := output.Sync(root, changed, stale); err != nil {
		return err
	}
	for _, f := range changed {
		fmt.Fprintf(io.ErrOut, "wrote %s\n", filepath.Join(root, f.Path))
	}
	for _, s := range stale {
		fmt.Fprintf(io.ErrOut, "removed %s (stale)\n", filepath.Join(root, s))
	}
	if n := len(files) - len(changed); n > 0 {
		fmt.Fprintf(io.ErrOut, "%d file(s) unchanged\n", n)
	}
	return nil
}

// staleFiles lists the files under root that cfngen wrote before and a
// fresh render no longer produces. A params file in params/<env>/ counts
// only when its Environment value is <env>, so that files of one's own in
// params/ are never removed.
func staleFiles(root string, files []project.File, format string) ([]string, error) {
	candidates, err := output.Stale(root, files, layout.Generated(format))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range candidates {
		if c == layout.TagsPath {
			out = append(out, c)
			continue
		}
		dir, _ := path.Split(c)
		env := path.Base(strings.TrimSuffix(dir, "/"))
		data, err := os.ReadFile(filepath.Join(root, c))
		if err != nil {
			return nil, err
		}
		values, err := cfn.DecodeParams(data, c)
		if err != nil {
			continue
		}
		for _, v := range values {
			if v.ParameterKey == "Environment" && v.ParameterValue == env {
				out = append(out, c)
				break
			}
		}
	}
	return out, nil
}

// compareFiles prints a unified diff of every file that differs from its
// fresh version (labelled "<path> (<made>)") and fails with ExitDiff when
// any does; "cfngen <command>" regenerates them.
func compareFiles(io IOStreams, root string, files []project.File, made, fresh, command string) error {
	diffs, err := output.Compare(root, files)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprint(io.Out, unifiedDiff(d.Path+" (on disk)", d.Path+" ("+made+")", string(d.OnDisk), string(d.Fresh)))
	}
	if len(diffs) > 0 {
		return &exitError{code: ExitDiff, err: fmt.Errorf("%d file(s) differ from %s; run cfngen %s", len(diffs), fresh, command)}
	}
	fmt.Fprintf(io.ErrOut, "%d files match %s\n", len(files), fresh)
	return nil
}

// inConfig names the config file in a config error that render found (a
// suppression of an unknown rule or resource).
func inConfig(err error, src string) error {
	var ce *model.ConfigError
	if errors.As(err, &ce) && ce.File == "" {
		ce.File = src
	}
	return err
}
