package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestComputeText(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want []string
	}{
		{"sub", map[string]any{"Fn::Base64": map[string]any{"Fn::Sub": "echo ECS_CLUSTER=${Cluster}"}}, []string{"ECS_CLUSTER=${Cluster}"}},
		{"join", map[string]any{"Fn::Join": []any{"", []any{"ECS_CLUSTER=", map[string]any{"Ref": "Cluster"}}}}, []string{"ECS_CLUSTER=${Cluster}"}},
		{"if", map[string]any{"Fn::If": []any{"C", "A=1", "B=2"}}, []string{"A=1", "B=2"}},
	} {
		got := computeText(c.v)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: computeText = %q, want it to contain %q", c.name, got, w)
			}
		}
	}
}

func TestComputePolicyProblem(t *testing.T) {
	for s, bad := range map[string]bool{
		"arn:aws:iam::aws:policy/AWSRDSProxyServiceRole":                                      true,
		"arn:${AWS::Partition}:iam::aws:policy/AmazonECSTaskExecutionRolePolicy":              true,
		"arn:${AWS::Partition}:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy":   true,
		"arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy": false,
		"arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore":                  false,
		"arn:${AWS::Partition}:iam::aws:policy/SomeNewPolicy":                                 false,
		"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/AWSRDSProxyServiceRole":          false,
	} {
		if got := computePolicyProblem(s) != ""; got != bad {
			t.Errorf("computePolicyProblem(%q) reports %v, want %v", s, got, bad)
		}
	}
}

// The committed templates must stay free of compute and network findings.
func TestComputeNetworkRulesOnCommittedTemplates(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "templates", "*.yaml"))
	if len(files) == 0 {
		t.Skip("no committed templates")
	}
	rules := append(append([]Rule{}, computeRuleSet...), networkRuleSet...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := Run([]Input{{Path: f, Data: data}}, rules)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fs {
			t.Errorf("%s:%d %s %s", f, fd.Line, fd.Rule, fd.Message)
		}
	}
}
