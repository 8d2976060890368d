package deploy

import (
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
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

// Stateful reports whether resources of type typ hold data, and what to call
// them ("database", "bucket", ...).
func Stateful(typ string) (string, bool) {
	d, ok := awsfacts.DataTypes[typ]
	return d.Noun, ok
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
