// Package cli is cfngen's command line: cobra commands, exit codes and the
// only code that prints or touches files.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/cfngen/cfngen/internal/cli.Version=...".
var Version = "dev"

// Exit codes, after diff(1): 0 clean, 1 differences or findings, 2 trouble.
const (
	ExitOK      = 0
	ExitDiff    = 1
	ExitTrouble = 2
)

// IOStreams are the streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// System returns the process's standard streams.
func System() IOStreams { return IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr} }

// exitError carries an exit code other than 2 up to Main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// NewCmdRoot builds the command tree.
func NewCmdRoot(io IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:           "cfngen",
		Short:         "Generate the backend's CloudFormation templates and parameter files",
		Long:          "cfngen renders the CloudFormation templates (Aurora Serverless v2 and RDS variants) and\nparameter files of the backend from its Go model.",
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.SetVersionTemplate("cfngen {{.Version}}\n")
	root.AddCommand(NewCmdRender(io, nil), NewCmdValidate(io, nil), NewCmdGraph(io, nil), NewCmdDocs(io, nil), NewCmdInit(io, nil), NewCmdSchema(io), NewCmdDeploy(io, nil), NewCmdDiff(io, nil))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
	completeFlags(root)
	return root
}

// Main runs cfngen with args and returns the process exit code.
func Main(args []string, io IOStreams) int {
	// cfngen lives for milliseconds and allocates little: collecting garbage
	// less often is cheaper than collecting it at the default pace.
	debug.SetGCPercent(400)
	root := NewCmdRoot(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(io.ErrOut, "cfngen: %v\n", err)
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitTrouble
}

// fixedCompletion completes a flag with a fixed list of values.
func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
