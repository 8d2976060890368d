package deploy

import (
	"os"
	"slices"
	"testing"

	"github.com/cfngen/cfngen/internal/cfn"
)

func parse(t *testing.T, src string) map[string]any {
	t.Helper()
	tree, _, err := cfn.ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestCapabilities(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"none", "Resources:\n  Q: {Type: AWS::SQS::Queue}\n", nil},
		{"iam", "Resources:\n  R: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}\n", []string{"CAPABILITY_IAM"}},
		{"named iam", "Resources:\n  R: {Type: AWS::IAM::Role, Properties: {RoleName: !Sub '${AWS::StackName}-r'}}\n", []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		{"named profile", "Resources:\n  P: {Type: AWS::IAM::InstanceProfile, Properties: {InstanceProfileName: p, Roles: []}}\n", []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		{"transform", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function}\n", []string{"CAPABILITY_AUTO_EXPAND"}},
	} {
		if got := Capabilities(parse(t, tc.src)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The committed templates: IAM roles without custom names, and the
// resources the prod stack policy protects.
func TestCommittedTemplates(t *testing.T) {
	for path, protected := range map[string][]string{
		"../../templates/backend-stack.yaml":          {"ApiBucket", "DBCluster", "DBSecret", "LogBucket"},
		"../../templates/backend-stack-with-rds.yaml": {"ApiBucket", "DBInstance", "DBSecret", "LogBucket"},
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tree := parse(t, string(data))
		if got := Capabilities(tree); !slices.Equal(got, []string{"CAPABILITY_IAM"}) {
			t.Errorf("%s: capabilities %q", path, got)
		}
		if got := cfn.Protected(tree); !slices.Equal(got, protected) {
			t.Errorf("%s: protected %q, want %q", path, got, protected)
		}
	}
}

func TestStackPolicy(t *testing.T) {
	if cfn.StackPolicy(nil, nil) != nil {
		t.Error("nothing to protect: no policy")
	}
	allLifted := string(cfn.StackPolicy([]string{"Db"}, []string{"Db"}))
	if want := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"}]}`; allLifted != want {
		t.Errorf("got %s, want %s", allLifted, want)
	}
}

func TestValidStackName(t *testing.T) {
	for name, ok := range map[string]bool{"myapp-dev": true, "A1": true, "1app": false, "my_app": false, "": false, "a-": true} {
		if got := ValidStackName(name) == nil; got != ok {
			t.Errorf("%q: valid %v, want %v", name, got, ok)
		}
	}
}
