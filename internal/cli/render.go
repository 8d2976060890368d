package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/render"
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
		Long: `Render writes, under the output directory:
  templates/backend-stack.yaml           Aurora PostgreSQL Serverless v2
  templates/backend-stack-with-rds.yaml  RDS for PostgreSQL instance
  params/params.json                     parameters of the Aurora stack
  params/params-with-rds.json            parameters of the RDS stack

Every file is rendered in memory first and written through a temporary file,
so an error never leaves a mixed set of old and new files.

With --check nothing is written: the files on disk are compared with a fresh
render, a unified diff of any difference goes to standard output, and the exit
code is 1 when they differ.

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
		_, reports, err := render.Files(b, "yaml")
		if err != nil {
			return inConfig(err, src)
		}
		return printStats(opts.IO.Out, reports, opts.Format)
	}
	files, reports, err := render.Files(b, opts.Format)
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
	if opts.Check {
		if err := checkFiles(opts, files); err != nil {
			return err
		}
	} else {
		if err := writeAll(opts.OutDir, files); err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", filepath.Join(opts.OutDir, f.Path))
		}
	}
	for _, line := range report {
		fmt.Fprintln(opts.IO.ErrOut, line)
	}
	return validate.WriteText(opts.IO.ErrOut, findings)
}

func checkFiles(opts *RenderOptions, files []render.File) error {
	return compareFiles(opts.IO, opts.OutDir, files, "rendered", "a fresh render", "render")
}

// compareFiles prints a unified diff of every file that differs from its
// fresh version (labelled "<path> (<made>)") and fails with ExitDiff when
// any does; "cfngen <command>" regenerates them.
func compareFiles(io IOStreams, root string, files []render.File, made, fresh, command string) error {
	stale := 0
	for _, f := range files {
		path := filepath.Join(root, f.Path)
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if bytes.Equal(old, f.Data) {
			continue
		}
		stale++
		fmt.Fprint(io.Out, unifiedDiff(path+" (on disk)", path+" ("+made+")", string(old), string(f.Data)))
	}
	if stale > 0 {
		return &exitError{code: ExitDiff, err: fmt.Errorf("%d file(s) differ from %s; run cfngen %s", stale, fresh, command)}
	}
	fmt.Fprintf(io.ErrOut, "%d files match %s\n", len(files), fresh)
	return nil
}

// writeAll writes every file to a temporary name first and renames them only
// once all were written. Files it replaces are kept aside until every rename
// succeeded, and put back if one fails, so an error leaves the old set (and
// no new directories) in place.
func writeAll(root string, files []render.File) (err error) {
	// An interrupt waits until the set is complete or rolled back.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer func() {
		signal.Stop(sig)
		select {
		case s := <-sig:
			if err == nil {
				err = fmt.Errorf("interrupted (%v) after every file was written", s)
			}
		default:
		}
	}()
	var temps, created []string
	type swap struct{ path, backup string }
	var done []swap
	defer func() {
		if err == nil {
			for _, s := range done {
				if s.backup != "" {
					os.Remove(s.backup)
				}
			}
			return
		}
		for i := len(done) - 1; i >= 0; i-- {
			s := done[i]
			if s.backup != "" {
				os.Rename(s.backup, s.path)
			} else {
				os.Remove(s.path)
			}
		}
		for _, t := range temps {
			os.Remove(t)
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i]) // only removes directories left empty
		}
	}()
	for _, f := range files {
		path := filepath.Join(root, f.Path)
		dirs, err := mkdirs(filepath.Dir(path))
		created = append(created, dirs...)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
		if err != nil {
			return err
		}
		temps = append(temps, tmp.Name())
		_, werr := tmp.Write(f.Data)
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr != nil {
			return werr
		}
	}
	for i, f := range files {
		path := filepath.Join(root, f.Path)
		backup := ""
		if st, err := os.Lstat(path); err == nil {
			if st.IsDir() {
				return fmt.Errorf("write %s: is a directory", path)
			}
			backup = temps[i] + ".old"
			if err := os.Rename(path, backup); err != nil {
				return err
			}
		}
		if err := os.Rename(temps[i], path); err != nil {
			if backup != "" {
				os.Rename(backup, path)
			}
			return err
		}
		done = append(done, swap{path, backup})
	}
	temps = nil
	return nil
}

// mkdirs creates dir and its missing parents, returning those it created.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			return created, err
		}
		created = append(created, d)
	}
	return created, nil
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
