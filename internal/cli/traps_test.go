package cli_test

import (
	"os"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// TestDeployTrapsRefused: values that would fail at deploy time are bad
// input like any other: exit 2, every problem with its line and field, and
// nothing written.
func TestDeployTrapsRefused(t *testing.T) {
	t.Chdir(t.TempDir())
	cfgWrite(t, "cfngen.yaml", "network:\n  azCount: 4\nalarms:\n  dbConnections: 200\n")
	code, stdout, stderr := cfgMain(t, "render", "--out-dir", "out")
	if code != cli.ExitTrouble || stdout != "" {
		t.Errorf("exit %d, stdout %q; want exit %d and no output", code, stdout, cli.ExitTrouble)
	}
	want := "cfngen: invalid config cfngen.yaml:\n" +
		"  line 2: network.azCount: 4 is out of range (2..3): most regions give an account 3 availability zones (us-west-1: 2), and !GetAZs has no further zone to select\n" +
		"  line 4: alarms.dbConnections: 200 is never exceeded on db.t4g.micro (environments.dev.params.instanceClass of the RDS stack): it allows at most 112 connections (max_connections is memory/9531392 bytes, at most 5000)\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if _, err := os.Lstat("out"); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
}
