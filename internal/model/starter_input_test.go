package model

import (
	"strings"
	"testing"
)

// The starter file leaves derived defaults unset: renaming the project in
// it renames the VPC too, as it does without a config file.
func TestStarterLeavesDerivedDefaults(t *testing.T) {
	src := string(Starter())
	if !strings.Contains(src, "\nproject:\n") || !strings.Contains(src, "  name: myapp\n") {
		t.Fatalf("starter has no project name to change:\n%s", src)
	}
	if strings.Contains(src, "\n      vpcName:") {
		t.Errorf("starter sets vpcName, which then stops following the project name")
	}
	b, lines, err := Parse([]byte(strings.Replace(src, "  name: myapp\n", "  name: shop\n", 1)), "cfngen.yaml")
	if err == nil {
		err = b.Validate("cfngen.yaml", lines)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Environments {
		if e.Params.VPCName != "shop-vpc" {
			t.Errorf("%s: vpcName %q, want shop-vpc", e.Name, e.Params.VPCName)
		}
	}
}
