package model

import (
	"strings"
	"testing"
)

// Regression tests for problems found by review: each config must be refused
// (or read) as stated.
func TestParseRegressions(t *testing.T) {
	refused := map[string]string{
		"alias key":           "project: {description: &k password}\nenvironments: {dev: {params: {*k : hunter2}}}\n",
		"anchored key":        "network: {&a azCount: 3}\n",
		"collection key":      "{a: 1}: 2\n",
		"int overflow":        "network: {azCount: 18446744073709551615}\n",
		"tagged non-int":      "network: {azCount: !!int abc}\n",
		"second document":     "project: {name: shop}\n---\nfoo: bar\n",
		"secret in tags":      "tags: {dbPassword: hunter2}\n",
		"spot size differs":   "compute:\n  instanceTypes: [{name: t3.small, alternative: m5.4xlarge}]\nenvironments: {dev: {params: {instanceType: t3.small}}}\n",
		"leading zero engine": "database: {auroraEngineVersion: '017.9'}\n",
		"odd ACU number":      "database: {acuRanges: [0.5-2, 1e0-2]}\n",
	}
	for name, src := range refused {
		b, lines, err := Parse([]byte(src), "cfngen.yaml")
		if err == nil {
			err = b.Validate("cfngen.yaml", lines)
		}
		if err == nil {
			t.Errorf("%s: accepted:\n%s", name, src)
		} else if strings.Contains(err.Error(), "\n  :") || strings.Contains(err.Error(), "unmarshal errors") {
			t.Errorf("%s: raw decoder message: %v", name, err)
		}
	}
}

func TestVPCNameFollowsProjectWithoutEnvironments(t *testing.T) {
	b, _, err := Parse([]byte("project: {name: shop}\n"), "cfngen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Environments {
		if e.Params.VPCName != "shop-vpc" {
			t.Errorf("%s: VPCName %q, want shop-vpc", e.Name, e.Params.VPCName)
		}
	}
	if Default().Default().Params.VPCName != "myapp-vpc" {
		t.Error("default VPCName changed")
	}
}

func TestEnvironmentLineIsItsKey(t *testing.T) {
	_, lines, err := Parse([]byte("environments:\n  Dev:\n    maxTasks: 3\n"), "cfngen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if lines["environments.Dev"] != 2 {
		t.Errorf("environments.Dev at line %d, want 2", lines["environments.Dev"])
	}
}
