package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/docs"
	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/project"
)

// DocsOptions are the arguments of cfngen docs.
type DocsOptions struct {
	IO       IOStreams
	Template string // "" documents the model's templates
	Config   string
	OutDir   string
	Check    bool
}

// NewCmdDocs builds cfngen docs; runF replaces the run step in tests.
func NewCmdDocs(io IOStreams, runF func(*DocsOptions) error) *cobra.Command {
	opts := &DocsOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "docs [TEMPLATE]",
		Short: "Write the Markdown reference of the templates and the README's diagram",
		Long: `Docs writes, under the output directory, a Markdown reference per template:
  docs/backend-stack.md           the Aurora PostgreSQL Serverless v2 template
  docs/backend-stack-with-rds.md  the RDS for PostgreSQL instance template
with the architecture diagram, how to deploy, every parameter (type, default,
allowed values, the value in each environment, what uses it), the settings
each environment selects, the conditions, every resource by component with
what it is for, the outputs, and a diagram of every resource. It also
replaces the overview diagram in README.md, between the lines
<!-- cfngen:graph:begin --> and <!-- cfngen:graph:end --> (a README without
them is left alone).

Everything is generated from the model and the templates rendered from it,
in memory, and written through temporary files. With --check nothing is
written: the files on disk are compared with a fresh generation, a unified
diff goes to standard output, and the exit code is 1 when they differ.

With TEMPLATE (any CloudFormation template, YAML or JSON; - reads standard
input) it prints that template's reference to standard output instead.`,
		Example: `  cfngen docs
  cfngen docs --check
  cfngen docs my-stack.yaml > my-stack.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Template = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runDocs(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Config, "config", "c", "", "backend model file (default: cfngen.yaml if it exists, else built-in defaults)")
	cmd.Flags().StringVarP(&opts.OutDir, "out-dir", "o", "", "root directory of docs/ and README.md (default: the current directory)")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "compare with the files on disk instead of writing; exit 1 on any difference")
	return cmd
}

func runDocs(opts *DocsOptions) error {
	if opts.Template != "" {
		if opts.Config != "" || opts.OutDir != "" || opts.Check {
			return fmt.Errorf("--config, --out-dir and --check work on the model's docs: leave them out with TEMPLATE (its reference goes to standard output)")
		}
		data, err := readInput(opts.IO, opts.Template)
		if err != nil {
			return err
		}
		md, err := docs.ForTemplate(opts.Template, data)
		if err != nil {
			return fmt.Errorf("%s: %w", opts.Template, err)
		}
		_, err = opts.IO.Out.Write(md)
		return err
	}
	root := opts.OutDir
	if root == "" {
		root = "."
	}
	b, _, err := loadModel(opts.Config)
	if err != nil {
		return err
	}
	files, err := project.Docs(b)
	if err != nil {
		return err
	}
	readme, err := readmeFile(root, b, opts)
	if err != nil {
		return err
	}
	if readme != nil {
		files = append(files, *readme)
	}
	if opts.Check {
		return checkDocs(opts, root, files)
	}
	return syncFiles(opts.IO, root, files, nil)
}

// readmeFile returns README.md with a fresh generated block, or nil when
// there is no README or it has no block.
func readmeFile(root string, b model.Backend, opts *DocsOptions) (*project.File, error) {
	path := filepath.Join(root, docs.ReadmePath)
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !docs.HasBlock(old) {
		fmt.Fprintf(opts.IO.ErrOut, "%s has no %s line: its diagram is not managed\n", path, docs.BlockBegin)
		return nil, nil
	}
	block, err := project.ReadmeBlock(b)
	if err != nil {
		return nil, err
	}
	data, err := docs.Splice(old, block)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &project.File{Path: docs.ReadmePath, Data: data}, nil
}

func checkDocs(opts *DocsOptions, root string, files []project.File) error {
	return compareFiles(opts.IO, root, files, "generated", "a fresh generation", "docs")
}
