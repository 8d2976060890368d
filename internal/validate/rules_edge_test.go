package validate

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAWSGrantee(t *testing.T) {
	ref := func(n string) any { return map[string]any{"Ref": n} }
	cases := []struct {
		name string
		v    any
		want grantee
	}{
		{"ELB account id", "127311923021", granteeELB},
		{"ELB root ARN", "arn:aws-us-gov:iam::048591011584:root", granteeELB},
		{"other account", "123456789012", granteeOther},
		{"wildcard", "*", granteeOther},
		{"own account", ref("AWS::AccountId"), granteeSelf},
		{"parameter", ref("ElbAccount"), granteeELB},
		{"mapping", map[string]any{"Fn::FindInMap": []any{"M", ref("AWS::Region"), "Id"}}, granteeELB},
		{"if with NoValue", map[string]any{"Fn::If": []any{"C", "156460612806", ref("AWS::NoValue")}}, granteeELB},
		{"if of NoValues", map[string]any{"Fn::If": []any{"C", ref("AWS::NoValue"), ref("AWS::NoValue")}}, granteeNone},
		{"if with own account", map[string]any{"Fn::If": []any{"C", "156460612806", ref("AWS::AccountId")}}, granteeSelf},
		{"sub own account", map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}, granteeSelf},
		{"sub ELB account", map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::797873946194:root"}, granteeELB},
		{"sub mapped account", map[string]any{"Fn::Sub": []any{"arn:${AWS::Partition}:iam::${A}:root",
			map[string]any{"A": map[string]any{"Fn::FindInMap": []any{"M", ref("AWS::Region"), "Id"}}}}}, granteeELB},
		{"join own account", map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":iam::", ref("AWS::AccountId"), ":root"}}}, granteeSelf},
		{"join ELB account", map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":iam::033677994240:root"}}}, granteeELB},
	}
	for _, c := range cases {
		if got := awsGrantee(c.v); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestEdgeRulesOnTemplates: the committed templates raise no edge rule.
func TestEdgeRulesOnTemplates(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "templates", "*.yaml"))
	if len(files) == 0 {
		t.Skip("no templates")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := Run([]Input{{Path: f, Data: data}}, edgeRuleSet)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range fs {
			t.Errorf("%s: %s %s", f, x.Rule, x.Message)
		}
	}
}
