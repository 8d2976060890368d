package validate

import (
	"fmt"

	"github.com/cfngen/cfngen/internal/cfn"
)

// Parameter-file rules: a params file against the template's parameters.
var paramRuleSet = []Rule{
	{ID: "P401", Severity: Error, Title: "parameter file names only template parameters",
		Fix: "remove the key, or add the parameter to the template", Check: paramsCheck(unknownParams)},
	{ID: "P402", Severity: Error, Title: "parameters without a default have a value",
		Fix: "add the parameter to the parameter file, or give it a Default", Check: paramsCheck(missingParams)},
	{ID: "P403", Severity: Error, Title: "parameter values meet the template's constraints",
		Fix: "use a value within AllowedValues, AllowedPattern, lengths and ranges", Check: paramsCheck(badValues)},
	{ID: "P404", Severity: Error, Title: "no secret on disk: NoEcho parameters have no value in the file",
		Fix: "remove the value from the file; generate the secret in Secrets Manager or pass it at deploy time", Check: paramsCheck(secretValues)},
	{ID: "P405", Severity: Warning, Title: "parameter files name each key once",
		Fix: "remove the duplicate entry", Check: paramsCheck(duplicateParams)},
}

type paramFn func(t *Template, defs map[string]cfn.Parameter) []Finding

// paramsCheck runs a check when a parameter file was given; findings point
// at the parameter file.
func paramsCheck(f paramFn) func(*Template) []Finding {
	return func(t *Template) []Finding {
		if t.Params == nil {
			return nil
		}
		defs := map[string]cfn.Parameter{}
		for name, raw := range t.Section("Parameters") {
			defs[name] = toParameter(raw)
		}
		out := f(t, defs)
		for i := range out {
			out[i].File = t.ParamsPath
		}
		return out
	}
}

// toParameter reads a template's parameter declaration.
func toParameter(raw any) cfn.Parameter {
	m, _ := raw.(map[string]any)
	var p cfn.Parameter
	p.Type, _ = m["Type"].(string)
	p.Default = m["Default"]
	p.AllowedPattern, _ = m["AllowedPattern"].(string)
	p.ConstraintDescription, _ = m["ConstraintDescription"].(string)
	if l, ok := m["AllowedValues"].([]any); ok {
		for _, v := range l {
			if s, ok := literal(v); ok {
				p.AllowedValues = append(p.AllowedValues, s)
			}
		}
	}
	intp := func(k string) *int {
		if f, ok := number(m[k]); ok {
			i := int(f)
			return &i
		}
		return nil
	}
	floatp := func(k string) *float64 {
		if f, ok := number(m[k]); ok {
			return &f
		}
		return nil
	}
	p.MinLength, p.MaxLength = intp("MinLength"), intp("MaxLength")
	p.MinValue, p.MaxValue = floatp("MinValue"), floatp("MaxValue")
	p.NoEcho = truthy(m["NoEcho"])
	return p
}

func unknownParams(t *Template, defs map[string]cfn.Parameter) []Finding {
	var out []Finding
	for _, v := range t.Params {
		if _, ok := defs[v.ParameterKey]; !ok {
			out = append(out, Finding{Line: v.Line, Message: fmt.Sprintf("%s is not a parameter of %s (CloudFormation refuses the file)", v.ParameterKey, t.Path)})
		}
	}
	return out
}

func missingParams(t *Template, defs map[string]cfn.Parameter) []Finding {
	given := map[string]bool{}
	for _, v := range t.Params {
		given[v.ParameterKey] = true
	}
	var out []Finding
	for _, name := range keys(defs) {
		if defs[name].Default == nil && !given[name] {
			out = append(out, Finding{Message: fmt.Sprintf("%s has no default and no value", name)})
		}
	}
	return out
}

func badValues(t *Template, defs map[string]cfn.Parameter) []Finding {
	var out []Finding
	for _, v := range t.Params {
		p, ok := defs[v.ParameterKey]
		if !ok || p.NoEcho {
			continue
		}
		if msg := p.Check(v.ParameterValue); msg != "" {
			out = append(out, Finding{Line: v.Line, Message: v.ParameterKey + ": " + msg})
		}
	}
	return out
}

func secretValues(t *Template, defs map[string]cfn.Parameter) []Finding {
	var out []Finding
	for _, v := range t.Params {
		if p, ok := defs[v.ParameterKey]; ok && p.NoEcho && v.ParameterValue != "" {
			out = append(out, Finding{Line: v.Line, Message: fmt.Sprintf("%s is NoEcho but the file holds its value in plain text", v.ParameterKey)})
		}
	}
	return out
}

func duplicateParams(t *Template, _ map[string]cfn.Parameter) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, v := range t.Params {
		if seen[v.ParameterKey] {
			out = append(out, Finding{Line: v.Line, Message: fmt.Sprintf("%s is given more than once", v.ParameterKey)})
		}
		seen[v.ParameterKey] = true
	}
	return out
}
