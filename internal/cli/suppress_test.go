package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cli"
)

// A config suppression reaches the template in every scanner's form, and
// cfngen validate honours it there.
func TestConfigSuppression(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfngen.yaml")
	cfgWrite(t, cfg, `suppressions:
  - rule: C624
    resource: AppSecurityGroup
    reason: The API calls a payment provider over HTTPS
    expires: 2999-12-31
`)
	cfgMustMain(t, "render", "--config", cfg, "--out-dir", dir)
	data, err := os.ReadFile(filepath.Join(dir, "templates", "backend-stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"          - {rule: C624, expires: '2999-12-31', reason: The API calls a payment provider over HTTPS}\n",
		"          - {id: W5, reason: The API calls a payment provider over HTTPS}\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("template lacks %q", want)
		}
	}
	// The default reason for AppSecurityGroup was replaced, not repeated.
	if strings.Count(string(data), "rule: C624") != 4 {
		t.Errorf("want 4 C624 suppressions (app, instances, bastion, proxy), got %d", strings.Count(string(data), "rule: C624"))
	}
	t.Chdir(dir)
	code, stdout, stderr := cfgMain(t, "validate", "--format", "json")
	if code != cli.ExitOK {
		t.Fatalf("validate: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, `"reason": "The API calls a payment provider over HTTPS"`) || !strings.Contains(stdout, `"expires": "2999-12-31"`) {
		t.Errorf("JSON lacks the config suppression:\n%.2000s", stdout)
	}
}

// Bad suppressions are config errors (exit 2, nothing written) or
// validation errors (exit 1, nothing written), each naming the problem.
func TestConfigSuppressionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		code         int
		want         []string
	}{
		{"unknown rule", `suppressions:
  - {rule: C999, resource: AppSecurityGroup, reason: some reason here}
`, cli.ExitTrouble, []string{"suppressions[0].rule: rule C999 does not exist (cfngen validate --rules lists them)"}},
		{"unknown resource", `suppressions:
  - {rule: C624, resource: AppSecurityGrup, reason: some reason here}
`, cli.ExitTrouble, []string{`suppressions[0].resource: "AppSecurityGrup" is not a resource of the templates (did you mean AppSecurityGroup?)`}},
		{"form", `suppressions:
  - {rule: c624, resource: App-SG, reason: short, expires: 2027-13-01}
`, cli.ExitTrouble, []string{
			`line 2: suppressions[0].rule: "c624" must be a rule id such as C624`,
			`suppressions[0].resource: "App-SG" must be a logical id`,
			"suppressions[0].reason: must say in one line of 10-200 characters why the finding is intended",
			`suppressions[0].expires: "2027-13-01" must be a date YYYY-MM-DD`,
		}},
		{"duplicate", `suppressions:
  - {rule: C624, resource: AppSecurityGroup, reason: some reason here}
  - {rule: C624, resource: AppSecurityGroup, reason: another reason here}
`, cli.ExitTrouble, []string{"suppressions[1]: suppresses C624 on AppSecurityGroup again (already suppressions[0])"}},
		{"unused", `suppressions:
  - {rule: C624, resource: DatabaseSecurityGroup, reason: nothing to suppress here}
`, cli.ExitDiff, []string{"error C698 DatabaseSecurityGroup: suppression of C624 matches no finding on DatabaseSecurityGroup"}},
		{"expired", `suppressions:
  - {rule: C624, resource: AppSecurityGroup, reason: promised to move to endpoints, expires: 2000-01-31}
`, cli.ExitDiff, []string{
			"error C699 AppSecurityGroup: suppression of C624 on AppSecurityGroup expired on 2000-01-31 (reason given: promised to move to endpoints)",
			"warning C624 AppSecurityGroup: AppSecurityGroup allows egress on tcp 443 to 0.0.0.0/0",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "cfngen.yaml")
			cfgWrite(t, cfg, tc.config)
			out := filepath.Join(dir, "out")
			code, _, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", out)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output directory created: %v", err)
			}
		})
	}
}

// A suppression of a finding that only one environment's values produce is
// used, not called unused by the other environments' checks.
func TestSuppressionAcrossEnvironments(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfngen.yaml")
	cfgWrite(t, cfg, `environments:
  dev:
    params: {backupRetentionDays: 3}
  prod:
    params:
      backupRetentionDays: 14
      certificateArn: arn:aws:acm:eu-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
suppressions:
  - {rule: C632, resource: DBCluster, reason: dev keeps three days of backups to save cost}
  - {rule: C632, resource: DBInstance, reason: dev keeps three days of backups to save cost}
`)
	_, stderr := cfgMustMain(t, "render", "--config", cfg, "--out-dir", dir)
	if strings.Contains(stderr, "C698") || strings.Contains(stderr, "C632") {
		t.Errorf("render reports the suppression or its finding:\n%s", stderr)
	}
}

// allowSshFromAnywhere is the acknowledgment: its suppressions come with it.
func TestAllowSSHFromAnywhere(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfngen.yaml")
	cfgWrite(t, cfg, `bastion: {allowSshFromAnywhere: true}
environments:
  dev:
    params: {sshCidr: 0.0.0.0/0}
`)
	cfgMustMain(t, "render", "--config", cfg, "--out-dir", dir)
	data, err := os.ReadFile(filepath.Join(dir, "templates", "backend-stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{"C620", "C621"} {
		if !strings.Contains(string(data), "{rule: "+rule+", reason: bastion.allowSshFromAnywhere is set in cfngen.yaml}") {
			t.Errorf("no %s suppression with the setting as its reason", rule)
		}
	}

	// Without the setting, a range wider than /16 is refused.
	cfgWrite(t, cfg, "environments:\n  dev:\n    params: {sshCidr: 10.0.0.0/8}\n")
	code, _, stderr := cfgMain(t, "render", "--config", cfg, "--out-dir", filepath.Join(dir, "x"))
	if code != cli.ExitTrouble || !strings.Contains(stderr, "environments.dev.params.sshCidr: 10.0.0.0/8 opens SSH to 16777216 addresses; use /16 to /32") {
		t.Errorf("sshCidr /8: exit %d, stderr:\n%s", code, stderr)
	}
}
