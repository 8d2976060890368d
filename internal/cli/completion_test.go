package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/cfngen/cfngen/internal/cli"
)

// freeText are flags whose values are the user's own words: they complete
// to no file names (an AWS profile completes to those the AWS files name,
// none here).
// diff --against completes git revisions, none outside a repository.
var freeText = map[string]bool{"deploy --s3-bucket": true, "deploy --s3-prefix": true, "deploy --profile": true, "diff --against": true}

// Every flag that takes a value completes to something: its allowed values,
// or files or directories of the right kind, never the shell's default.
func TestCompletionCoversEveryFlag(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Chdir(t.TempDir()) // no cfngen.yaml: the built-in model
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
			free := freeText[cmd.Name()+" --"+f.Name] && last == ":4"
			if code != cli.ExitOK || last == ":0" || (!values && last != ":8" && last != ":16" && !free) {
				t.Errorf("cfngen %s --%s completes to %q (exit %d, %s); want values or a file filter", cmd.Name(), f.Name, stdout, code, stderr)
			}
		})
	}
	if n < 10 {
		t.Errorf("only %d flags with values found", n)
	}
	for _, want := range []string{"deploy --env:dev staging prod", "deploy --stack:myapp-dev myapp-staging myapp-prod",
		"deploy --variant:aurora rds", "deploy --allow-replace:VPC InternetGateway", "deploy --region:af-south-1",
		"render --format:yaml json", "diff --format:text json markdown", "diff --fail-on:replace data-loss security fails breaks", "graph --format:mermaid dot", "graph --level:overview full", "graph --variant:aurora rds", "validate --format:text json sarif"} {
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

// deploy --profile completes to the profiles of the AWS CLI's files.
func TestCompletionAWSProfiles(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(config, []byte("[default]\nregion = eu-west-1\n[profile ops]\n[sso-session corp]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[ci]\naws_access_key_id = x\n[ops]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	_, stdout, _ := cfgMain(t, "__complete", "deploy", "--profile", "")
	if stdout != "ci\ndefault\nops\n:4\n" {
		t.Errorf("profiles %q, want ci, default, ops", stdout)
	}
}
