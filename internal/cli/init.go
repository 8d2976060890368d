package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/cfngen/cfngen/internal/model"
	"github.com/cfngen/cfngen/internal/output"
)

// InitOptions are the flags of cfngen init.
type InitOptions struct {
	IO     IOStreams
	Config string
	Force  bool
	Stdout bool
}

// NewCmdInit builds cfngen init.
func NewCmdInit(io IOStreams, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter cfngen.yaml holding the defaults",
		Long: `Init writes a starter config file: every field, its description and its
default value. Rendering with it gives exactly the built-in default output.
It refuses to replace an existing file unless --force is given.`,
		Example: `  cfngen init
  cfngen init --config infra/cfngen.yaml
  cfngen init --stdout | less`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Config, "config", "c", DefaultConfig, "file to write")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing file")
	cmd.Flags().BoolVar(&opts.Stdout, "stdout", false, "print the starter file instead of writing it")
	return cmd
}

func runInit(opts *InitOptions) error {
	data := model.Starter()
	if opts.Stdout {
		_, err := opts.IO.Out.Write(data)
		return err
	}
	if _, err := os.Stat(opts.Config); err == nil && !opts.Force {
		return fmt.Errorf("%s already exists; use --force to replace it", opts.Config)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := output.WriteOne(opts.Config, data); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", opts.Config)
	return nil
}
