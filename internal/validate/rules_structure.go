package validate

import (
	"fmt"
	"sort"
	"strings"
)

var (
	topLevelKeys  = []string{"AWSTemplateFormatVersion", "Conditions", "Description", "Hooks", "Mappings", "Metadata", "Outputs", "Parameters", "Resources", "Rules", "Transform"}
	resourceAttrs = []string{"Condition", "CreationPolicy", "DeletionPolicy", "DependsOn", "Metadata", "Properties", "Type", "UpdatePolicy", "UpdateReplacePolicy"}
)

// Structure rules: sections, resource types, attributes and properties
// against the resource schemas.
var structureRuleSet = []Rule{
	{ID: "S101", Severity: Error, Title: "template sections are known and Resources is present",
		Fix: "use only the CloudFormation template sections; define at least one resource", Check: checkSections},
	{ID: "S102", Severity: Error, Title: "resource types exist",
		Fix: "correct the type name (AWS::Service::Resource)", Check: checkTypes},
	{ID: "S103", Severity: Error, Title: "resource attributes are known",
		Fix: "use Type, Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy, UpdatePolicy", Check: checkResourceAttrs},
	{ID: "S104", Severity: Error, Title: "properties exist for the resource type",
		Fix: "remove the property or correct its name", Check: checkProperties(unknownProps)},
	{ID: "S105", Severity: Error, Title: "required properties are present",
		Fix: "add the required property", Check: checkProperties(missingProps)},
	{ID: "S106", Severity: Error, Title: "property values have the right type",
		Fix: "give the property a value of the type the resource expects (intrinsics are allowed)", Check: checkProperties(wrongKinds)},
	{ID: "S107", Severity: Error, Title: "resource attributes have the form CloudFormation takes",
		Fix: "Properties, Metadata, CreationPolicy and UpdatePolicy are objects; DependsOn a logical id or a list of them; Condition a condition name; DeletionPolicy Delete, Retain, RetainExceptOnCreate or Snapshot; UpdateReplacePolicy Delete, Retain or Snapshot", Check: checkAttrShapes},
	{ID: "S108", Severity: Warning, Title: "templates with transforms are checked as far as they can be before expansion",
		Fix: "to check everything, validate the processed template (aws cloudformation get-template --template-stage Processed, or sam validate / sam build output)", Check: checkTransforms},
}

// transforms lists the transforms a template declares at the top level
// (a name, a list of names, or {Name, Parameters} objects).
func (t *Template) transforms() []string {
	var out []string
	var add func(v any)
	add = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				add(e)
			}
		case map[string]any:
			if n, ok := x["Name"].(string); ok {
				out = append(out, n)
			}
		}
	}
	add(t.Tree["Transform"])
	return out
}

// transformed reports whether CloudFormation changes the template before it
// creates anything: a Transform section or an inline Fn::Transform (macros,
// AWS::Include). Resources and names may then come from the expansion, so
// rules do not call a name missing.
func (t *Template) transformed() bool {
	if t.transformedSet {
		return t.transformedVal
	}
	t.transformedSet = true
	t.transformedVal = len(t.transforms()) > 0
	if !t.transformedVal {
		for _, sec := range []string{"Resources", "Outputs", "Conditions", "Mappings", "Parameters"} {
			t.each(sec, func(_ *nodePath, v any) {
				if m, ok := v.(map[string]any); ok {
					for k := range m {
						if k == "Fn::Transform" || strings.HasPrefix(k, "Rain::") {
							t.transformedVal = true
						}
					}
				}
			})
		}
	}
	return t.transformedVal
}

// macro reports whether a transform other than the AWS ones that keep
// resource types and properties (AWS::LanguageExtensions, SAM for its own
// types) may rewrite the template: a macro, AWS::Include, or Rain
// directives. Types, attributes and properties are then not checked.
func (t *Template) macro() bool {
	for _, n := range t.transforms() {
		if n != "AWS::LanguageExtensions" && !strings.HasPrefix(n, "AWS::Serverless") {
			return true
		}
	}
	return t.transformed() && len(t.transforms()) == 0
}

// sam reports whether the template uses the AWS SAM transform.
func (t *Template) sam() bool {
	for _, n := range t.transforms() {
		if strings.HasPrefix(n, "AWS::Serverless") {
			return true
		}
	}
	return false
}

func checkTransforms(t *Template) []Finding {
	names := t.transforms()
	if len(names) == 0 {
		if !t.transformed() {
			return nil
		}
		names = []string{"its inline transforms (Fn::Transform) or Rain directives"}
	}
	return []Finding{{Path: "Transform", Message: fmt.Sprintf("the template needs %s expanded by CloudFormation first: resources, properties and names the expansion makes are not checked here", strings.Join(names, ", "))}}
}

// Resource attributes and the values they take.
var (
	deletionPolicies      = []string{"Delete", "Retain", "RetainExceptOnCreate", "Snapshot"}
	updateReplacePolicies = []string{"Delete", "Retain", "Snapshot"}
)

func checkAttrShapes(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		for _, k := range keys(r.Body) {
			v := r.Body[k]
			if _, _, isFn := fn(v); isFn && (k == "DeletionPolicy" || k == "UpdateReplacePolicy") {
				continue // resolved by CloudFormation (AWS::LanguageExtensions)
			}
			msg := ""
			switch k {
			case "Properties", "Metadata", "CreationPolicy", "UpdatePolicy":
				if _, ok := v.(map[string]any); !ok && v != nil {
					msg = fmt.Sprintf("%s is %s, not an object", k, describe(v))
				}
			case "DependsOn":
				switch x := v.(type) {
				case string:
				case []any:
					for i, e := range x {
						if _, ok := e.(string); !ok {
							msg = fmt.Sprintf("DependsOn item %d is %s, not a logical id", i, describe(e))
							break
						}
					}
				default:
					msg = fmt.Sprintf("DependsOn is %s, not a logical id or a list of them", describe(v))
				}
			case "Condition":
				if _, ok := v.(string); !ok {
					msg = fmt.Sprintf("Condition is %s, not a condition name", describe(v))
				}
			case "DeletionPolicy", "UpdateReplacePolicy":
				allowed := deletionPolicies
				if k == "UpdateReplacePolicy" {
					allowed = updateReplacePolicies
				}
				if s, ok := v.(string); !ok || !contains(allowed, s) {
					msg = fmt.Sprintf("%s is %s (allowed: %s)", k, describe(v), strings.Join(allowed, ", "))
				}
			}
			if msg != "" {
				f := at(r, "", "%s: %s", r.ID, msg)
				f.Path += "/" + k
				out = append(out, f)
			}
		}
	}
	return out
}

func checkSections(t *Template) []Finding {
	var out []Finding
	for k := range t.Tree {
		if k == "Globals" && t.sam() {
			continue // the SAM transform reads and removes it
		}
		if !contains(topLevelKeys, k) {
			out = append(out, Finding{Path: k, Message: fmt.Sprintf("unknown template section %q", k)})
		}
	}
	if len(t.Section("Resources")) == 0 {
		out = append(out, Finding{Path: "Resources", Message: "the template has no Resources"})
	}
	return out
}

func checkTypes(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		switch {
		case r.Body == nil:
			out = append(out, at(r, "", "resource %s is not a mapping", r.ID))
		case t.macro():
			// a macro or Rain module may supply the type
		case r.Type == "":
			out = append(out, at(r, "", "resource %s has no Type", r.ID))
		case strings.HasPrefix(r.Type, "Custom::"):
		case t.macro() || strings.HasPrefix(r.Type, "AWS::Serverless::") && t.sam():
			// the transform (SAM, a macro) turns it into AWS resources
		case strings.HasPrefix(r.Type, "AWS::") && lookupType(r.Type) == nil:
			out = append(out, at(r, "", "unknown resource type %s", r.Type))
		case !strings.HasPrefix(r.Type, "AWS::"):
			f := at(r, "", "type %s is not an AWS type; its properties are not checked", r.Type)
			f.Severity = Warning
			out = append(out, f)
		}
	}
	return out
}

// customAttrs are the attributes a custom resource takes besides the usual
// ones: Version, from the first custom resource syntax.
var customAttrs = []string{"Version"}

// samAttrs are the attributes the SAM transform reads on its resources.
var samAttrs = []string{"Connectors", "IgnoreGlobals"}

func checkResourceAttrs(t *Template) []Finding {
	var out []Finding
	for _, r := range t.Resources() {
		custom := strings.HasPrefix(r.Type, "Custom::") || r.Type == "AWS::CloudFormation::CustomResource"
		if t.macro() {
			break
		}
		for k := range r.Body {
			if custom && contains(customAttrs, k) || t.sam() && contains(samAttrs, k) {
				continue
			}
			if !contains(resourceAttrs, k) {
				f := at(r, "", "unknown resource attribute %q", k)
				f.Path += "/" + k
				out = append(out, f)
			}
		}
	}
	return out
}

type propCheck func(r Resource, path string, props map[string]any, def structDef, s *typeSchema) []Finding

// checkProperties walks every resource's properties against its schema,
// descending into property types, and applies one check at each level.
func checkProperties(check propCheck) func(*Template) []Finding {
	return func(t *Template) []Finding {
		if t.macro() {
			return nil // the macro may rewrite properties
		}
		var out []Finding
		for _, r := range t.Resources() {
			s := lookupType(r.Type)
			if s == nil || strings.HasPrefix(r.Type, "Custom::") {
				continue
			}
			props := r.Properties
			if props == nil {
				props = map[string]any{}
			}
			if _, _, isFn := fn(r.Body["Properties"]); isFn {
				continue
			}
			top := structDef{Props: s.Props, Required: s.Required, Open: s.Open}
			out = append(out, descend(check, r, "Resources/"+r.ID+"/Properties", props, top, s)...)
		}
		return out
	}
}

func descend(check propCheck, r Resource, path string, props map[string]any, def structDef, s *typeSchema) []Finding {
	out := check(r, path, props, def, s)
	for name, v := range props {
		kind, ok := def.Props[name]
		if !ok {
			continue
		}
		p := path + "/" + name
		for _, item := range values(kind, v) {
			k := strings.TrimPrefix(kind, "[")
			if !strings.HasPrefix(k, "#") {
				continue
			}
			sub, ok := item.v.(map[string]any)
			if !ok {
				continue
			}
			if _, _, isFn := fn(sub); isFn {
				continue
			}
			if d, ok := s.Defs[k[1:]]; ok {
				out = append(out, descend(check, r, p+item.suffix, sub, d, s)...)
			}
		}
	}
	return out
}

type indexed struct {
	suffix string
	v      any
}

// values lists the values to descend into: the list items of a list kind,
// the value itself otherwise. Fn::If branches are followed.
func values(kind string, v any) []indexed {
	if f, a, ok := fn(v); ok {
		if f == "Fn::If" {
			if l, ok := a.([]any); ok && len(l) == 3 {
				return append(values(kind, l[1]), values(kind, l[2])...)
			}
		}
		return nil
	}
	if strings.HasPrefix(kind, "[") {
		l, ok := v.([]any)
		if !ok {
			return nil
		}
		var out []indexed
		for i, e := range l {
			if f, a, ok := fn(e); ok && f == "Fn::If" {
				if b, ok := a.([]any); ok && len(b) == 3 {
					out = append(out, indexed{fmt.Sprintf("/%d", i), b[1]}, indexed{fmt.Sprintf("/%d", i), b[2]})
				}
				continue
			}
			out = append(out, indexed{fmt.Sprintf("/%d", i), e})
		}
		return out
	}
	return []indexed{{"", v}}
}

func unknownProps(r Resource, path string, props map[string]any, def structDef, _ *typeSchema) []Finding {
	if def.Open == 1 {
		return nil
	}
	var out []Finding
	for name := range props {
		if _, ok := def.Props[name]; !ok {
			out = append(out, Finding{Resource: r.ID, Path: path + "/" + name,
				Message: fmt.Sprintf("%s has no property %s%s", r.Type, name, suggest(name, keys(def.Props)))})
		}
	}
	return out
}

func missingProps(r Resource, path string, props map[string]any, def structDef, _ *typeSchema) []Finding {
	var out []Finding
	for _, name := range def.Required {
		if _, ok := props[name]; !ok {
			out = append(out, Finding{Resource: r.ID, Path: path,
				Message: fmt.Sprintf("%s requires property %s", strings.TrimPrefix(path, "Resources/"), name)})
		}
	}
	return out
}

func wrongKinds(r Resource, path string, props map[string]any, def structDef, _ *typeSchema) []Finding {
	var out []Finding
	for name, v := range props {
		kind, ok := def.Props[name]
		if !ok {
			continue
		}
		if msg := kindProblem(kind, v); msg != "" {
			out = append(out, Finding{Resource: r.ID, Path: path + "/" + name, Message: name + " " + msg})
		}
	}
	return out
}

// kindProblem says why v cannot be a value of kind, or "".
func kindProblem(kind string, v any) string {
	if _, _, ok := fn(v); ok || kind == "*" {
		return ""
	}
	switch {
	case strings.HasPrefix(kind, "["):
		l, ok := v.([]any)
		if !ok {
			return "must be a list"
		}
		for i, e := range l {
			if msg := kindProblem(kind[1:], e); msg != "" {
				return fmt.Sprintf("item %d %s", i, msg)
			}
		}
	case strings.HasPrefix(kind, "#"), kind == "o":
		if _, ok := v.(map[string]any); !ok && kind != "o" {
			return "must be an object"
		} else if !ok {
			if _, isStr := v.(string); !isStr {
				return "must be an object"
			}
		}
	case kind == "s":
		switch v.(type) {
		case map[string]any, []any:
			return "must be a string"
		}
	case kind == "n":
		if _, ok := number(v); !ok {
			return fmt.Sprintf("must be a number, not %v", describe(v))
		}
	case kind == "b":
		s, ok := literal(v)
		if !ok || (!strings.EqualFold(s, "true") && !strings.EqualFold(s, "false")) {
			return fmt.Sprintf("must be true or false, not %v", describe(v))
		}
	}
	return ""
}

func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// suggest names the closest candidate (" (did you mean X?)"), or lists a
// short set of candidates, or says nothing.
func suggest(name string, candidates []string) string {
	best, bestD := "", 4
	for _, c := range candidates {
		if d := distance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	switch {
	case best != "":
		return fmt.Sprintf(" (did you mean %s?)", best)
	case len(candidates) > 0 && len(candidates) <= 8:
		return " (it has: " + strings.Join(candidates, ", ") + ")"
	}
	return ""
}

// distance is the Levenshtein distance of two strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
