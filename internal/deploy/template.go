package deploy

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/internal/cfn"
)

// iamTypes are the resource types CloudFormation refuses to create without
// CAPABILITY_IAM or CAPABILITY_NAMED_IAM, each with the property that gives
// it a custom name (which needs CAPABILITY_NAMED_IAM).
var iamTypes = map[string]string{
	"AWS::IAM::AccessKey":           "",
	"AWS::IAM::Group":               "GroupName",
	"AWS::IAM::InstanceProfile":     "InstanceProfileName",
	"AWS::IAM::ManagedPolicy":       "ManagedPolicyName",
	"AWS::IAM::Policy":              "",
	"AWS::IAM::Role":                "RoleName",
	"AWS::IAM::User":                "UserName",
	"AWS::IAM::UserToGroupAddition": "",
}

// Capabilities returns the capabilities a template needs, derived from its
// parsed tree: CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM as
// well when one of them has a custom name, and CAPABILITY_AUTO_EXPAND for a
// template with a Transform (macros, AWS::Serverless, AWS::Include).
func Capabilities(tree map[string]any) []string {
	var iam, named bool
	resources, _ := tree["Resources"].(map[string]any)
	for _, id := range cfn.SortedKeys(resources) {
		body, _ := resources[id].(map[string]any)
		typ, _ := body["Type"].(string)
		nameProp, ok := iamTypes[typ]
		if !ok {
			continue
		}
		iam = true
		props, _ := body["Properties"].(map[string]any)
		if _, has := props[nameProp]; nameProp != "" && has {
			named = true
		}
	}
	var out []string
	if iam {
		out = append(out, "CAPABILITY_IAM")
	}
	if named {
		out = append(out, "CAPABILITY_NAMED_IAM")
	}
	if _, ok := tree["Transform"]; ok {
		out = append(out, "CAPABILITY_AUTO_EXPAND")
	}
	return out
}

// statefulTypes hold data that a replacement or removal loses (or leaves
// behind, with a Retain policy, cut off from the stack): changes to them are
// marked as dangerous.
var statefulTypes = map[string]string{
	"AWS::RDS::DBCluster":            "database",
	"AWS::RDS::DBInstance":           "database",
	"AWS::S3::Bucket":                "bucket",
	"AWS::SecretsManager::Secret":    "secret",
	"AWS::SQS::Queue":                "queue",
	"AWS::Logs::LogGroup":            "log group",
	"AWS::DynamoDB::Table":           "table",
	"AWS::EFS::FileSystem":           "file system",
	"AWS::ECR::Repository":           "image repository",
	"AWS::ElastiCache::CacheCluster": "cache",
}

// Stateful reports whether resources of type typ hold data, and what to call
// them ("database", "bucket", ...).
func Stateful(typ string) (string, bool) {
	what, ok := statefulTypes[typ]
	return what, ok
}

// protectedTypes are what the prod stack policy protects from replacement
// and deletion: the database, the buckets and the secret.
var protectedTypes = []string{"AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::SecretsManager::Secret"}

// Protected lists, sorted, the logical ids of a template's resources that
// the prod stack policy protects.
func Protected(tree map[string]any) []string {
	resources, _ := tree["Resources"].(map[string]any)
	var out []string
	for _, id := range cfn.SortedKeys(resources) {
		body, _ := resources[id].(map[string]any)
		typ, _ := body["Type"].(string)
		if slices.Contains(protectedTypes, typ) {
			out = append(out, id)
		}
	}
	return out
}

// StackPolicy is a stack policy that allows every update except replacing
// or deleting the protected resources; those named in lifted are left out of
// the deny (for one update that replaces them on purpose). It is nil when
// nothing is protected. The JSON is deterministic.
func StackPolicy(protected, lifted []string) []byte {
	type statement struct {
		Effect    string
		Principal string
		Action    any
		Resource  any
	}
	stmts := []statement{{Effect: "Allow", Principal: "*", Action: "Update:*", Resource: "*"}}
	var deny []string
	for _, id := range protected {
		if !slices.Contains(lifted, id) {
			deny = append(deny, "LogicalResourceId/"+id)
		}
	}
	if len(protected) == 0 {
		return nil
	}
	if len(deny) > 0 {
		stmts = append(stmts, statement{Effect: "Deny", Principal: "*", Action: []string{"Update:Replace", "Update:Delete"}, Resource: deny})
	}
	data, _ := json.Marshal(struct{ Statement []statement }{stmts}) // strings and slices always marshal
	return data
}

// isStackName reports whether s is a valid stack name: a letter, then
// letters, digits and hyphens, at most 128 characters.
func isStackName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// ValidStackName returns a message when name cannot be a stack name.
func ValidStackName(name string) error {
	if isStackName(name) {
		return nil
	}
	return &InputError{Msg: "stack name " + quote(name) + " must start with a letter and hold only letters, digits and hyphens (at most 128 characters)"}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
