package cli_test

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/cfngen/cfngen/internal/cli"
)

// Every flag that takes a value completes to something: its allowed values,
// or files or directories of the right kind, never the shell's default.
func TestCompletionCoversEveryFlag(t *testing.T) {
	root := cli.NewCmdRoot(cli.IOStreams{})
	n := 0
	for _, cmd := range root.Commands() {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() == "bool" {
				return
			}
			n++
			code, stdout, stderr := cfgMain(t, "__complete", cmd.Name(), "--"+f.Name, "")
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			last := lines[len(lines)-1]
			values := len(lines) > 1
			if code != cli.ExitOK || last == ":0" || (!values && last != ":8" && last != ":16") {
				t.Errorf("cfngen %s --%s completes to %q (exit %d, %s); want values or a file filter", cmd.Name(), f.Name, stdout, code, stderr)
			}
		})
	}
	if n < 10 {
		t.Errorf("only %d flags with values found", n)
	}
	for _, want := range []string{"render --format:yaml json", "graph --format:mermaid dot", "graph --level:overview full", "graph --variant:aurora rds", "validate --format:text json sarif"} {
		cmdFlag, values, _ := strings.Cut(want, ":")
		args := append([]string{"__complete"}, strings.Fields(cmdFlag)...)
		_, stdout, _ := cfgMain(t, append(args, "")...)
		if got := strings.Join(strings.Fields(stdout)[:len(strings.Fields(values))], " "); got != values {
			t.Errorf("%s completes to %q, want %q", cmdFlag, got, values)
		}
	}
}

// The completion command is listed and writes a script for each shell.
func TestCompletionCommand(t *testing.T) {
	stdout, _ := cfgMustMain(t, "--help")
	if !strings.Contains(stdout, "completion") {
		t.Errorf("help does not list completion:\n%s", stdout)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		stdout, _ := cfgMustMain(t, "completion", shell)
		if !strings.Contains(stdout, "cfngen") {
			t.Errorf("completion %s: no script", shell)
		}
	}
}
