package cfn

import (
	"cmp"
	"slices"
)

// The ordering rules for everything cfngen writes, in one table. Keys listed
// for a context come first, in the listed order; other keys follow
// alphabetically. Section entries (parameters, resources, ...) keep the order
// in which the builders added them.
var keyOrder = map[string][]string{
	"template":   {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Resources", "Outputs"},
	"Parameters": {"Description", "Type", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue", "NoEcho", "ConstraintDescription"},
	"Resources":  {"Type", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Metadata", "Properties"},
	"Outputs":    {"Description", "Condition", "Value", "Export"},
	"Rules":      {"RuleCondition", "Assertions", "Assert", "AssertDescription"},
	// Inside properties and everything else; policy documents and their
	// statements are recognised by their keys and use their own order.
	"body":      {"Name", "PolicyName", "Key", "Value", "rule", "id"},
	"policy":    {"Version", "Id", "Statement"},
	"statement": {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"},
}

var rank = func() map[string]map[string]int {
	r := map[string]map[string]int{}
	for ctx, keys := range keyOrder {
		r[ctx] = map[string]int{}
		for i, k := range keys {
			r[ctx][k] = i
		}
	}
	return r
}()

// orderedKeys returns m's keys in the order of the given context.
func orderedKeys(ctx string, m map[string]any) []string {
	if ctx == "body" {
		if _, ok := m["Statement"]; ok {
			ctx = "policy"
		} else if _, ok := m["Effect"]; ok {
			ctx = "statement"
		}
	}
	keys := SortedKeys(m)
	pr := rank[ctx]
	// Ranked keys by rank, then the unranked ones in alphabetical order.
	slices.SortStableFunc(keys, func(a, b string) int {
		ra, oka := pr[a]
		rb, okb := pr[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return keys
}

// shortTags maps long-form intrinsic names to their YAML short form.
var shortTags = map[string]string{
	"Ref":             "!Ref",
	"Condition":       "!Condition",
	"Fn::Base64":      "!Base64",
	"Fn::Cidr":        "!Cidr",
	"Fn::Equals":      "!Equals",
	"Fn::And":         "!And",
	"Fn::Or":          "!Or",
	"Fn::Not":         "!Not",
	"Fn::If":          "!If",
	"Fn::FindInMap":   "!FindInMap",
	"Fn::GetAtt":      "!GetAtt",
	"Fn::GetAZs":      "!GetAZs",
	"Fn::ImportValue": "!ImportValue",
	"Fn::Join":        "!Join",
	"Fn::Select":      "!Select",
	"Fn::Split":       "!Split",
	"Fn::Sub":         "!Sub",
}
